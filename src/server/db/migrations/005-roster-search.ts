/**
 * Roster search at province scale (1,000,000 members; measured by `npm run bench`, see bench/README.md). Two
 * structures kept by database triggers, so every write path (service, import, transfers, demo, tests) keeps them
 * right in the same transaction, and an index:
 *
 * - member_org_counts(org_id, status, category, n): members per organisation, status and category. The roster's
 *   exact `total` for a subtree is then a sum over the subtree's organisations instead of a count over up to a
 *   million member rows (the count dominated every list request).
 * - member_name_keys(name_key, member_id, org_id): every suffix of the member's name (ASCII letters lower-cased),
 *   so the name search "contains q" is a prefix range on the key: 王建国 → 王建国, 建国, 国; "建" finds 建国. About
 *   three keys per member. The org_id copy lets a subtree's matches be counted without reading members.
 * - members(name_initials, org_id) in place of members(name_initials): the pinyin-initials prefix range, counted
 *   per subtree from the index alone; members(org_id, category, birth_date, status): a subtree's members by
 *   category, age band and status from the index alone; orgs(name): the import resolves organisation names.
 *
 * PostgreSQL uses statement-level triggers with transition tables (one aggregated statement per multi-row insert);
 * SQLite row-level triggers. Keys use the "C" collation on PostgreSQL so the range is byte order as on SQLite.
 */
import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current table types
type AnyDb = Kysely<any>;

/** Positions 1…100 for SQLite, which has no generate_series in triggers (names are at most 30 characters). */
const POSITIONS = `'[${Array.from({ length: 100 }, (_, i) => i + 1).join(',')}]'`;

export async function up(db: AnyDb): Promise<void> {
  const pg = isPostgres(db);
  if (pg) {
    // INCLUDE: counts, key orgs and member ids come from the indexes alone (index-only scans)
    await sql`CREATE TABLE member_org_counts (org_id integer NOT NULL, status text NOT NULL, category text NOT NULL,
      n integer NOT NULL, CONSTRAINT member_org_counts_pk PRIMARY KEY (org_id, status, category) INCLUDE (n))`.execute(
      db,
    );
    await sql`CREATE TABLE member_name_keys (name_key text COLLATE "C" NOT NULL, member_id integer NOT NULL,
      org_id integer NOT NULL, CONSTRAINT member_name_keys_pk PRIMARY KEY (name_key, member_id) INCLUDE (org_id))`.execute(
      db,
    );
    await sql`CREATE INDEX members_org_category_birth_idx ON members (org_id, category, birth_date, status) INCLUDE (id)`.execute(
      db,
    );
  } else {
    // WITHOUT ROWID: the primary key's b-tree holds every column; SQLite indexes hold the rowid (the id) anyway
    await sql`CREATE TABLE member_org_counts (org_id integer NOT NULL, status text NOT NULL, category text NOT NULL,
      n integer NOT NULL, CONSTRAINT member_org_counts_pk PRIMARY KEY (org_id, status, category)) WITHOUT ROWID`.execute(
      db,
    );
    await sql`CREATE TABLE member_name_keys (name_key text NOT NULL, member_id integer NOT NULL, org_id integer NOT NULL,
      CONSTRAINT member_name_keys_pk PRIMARY KEY (name_key, member_id)) WITHOUT ROWID`.execute(db);
    await sql`CREATE INDEX members_org_category_birth_idx ON members (org_id, category, birth_date, status)`.execute(
      db,
    );
  }
  await db.schema.dropIndex('members_initials_idx').execute();
  await sql`CREATE INDEX members_initials_org_idx ON members (name_initials, org_id) ${pg ? sql`INCLUDE (id)` : sql``}`.execute(
    db,
  );
  await db.schema.createIndex('orgs_name_idx').on('orgs').column('name').execute();

  if (pg) {
    // the keys of a set of member rows
    const keys = (rows: string) =>
      `SELECT substr(lower(r.name COLLATE "C"), i) AS name_key, r.id AS member_id, r.org_id
         FROM ${rows} r CROSS JOIN LATERAL generate_series(1, char_length(r.name)) AS i`;
    await sql
      .raw(`CREATE FUNCTION members_search_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO member_name_keys (name_key, member_id, org_id) ${keys('new_rows')};
        INSERT INTO member_org_counts (org_id, status, category, n)
          SELECT org_id, status, category, count(*) FROM new_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
          ON CONFLICT (org_id, status, category) DO UPDATE SET n = member_org_counts.n + EXCLUDED.n;
        RETURN NULL;
      END $$`)
      .execute(db);
    await sql
      .raw(`CREATE FUNCTION members_search_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM member_name_keys k USING (${keys('old_rows')}) o
          WHERE k.name_key = o.name_key AND k.member_id = o.member_id;
        UPDATE member_org_counts c SET n = c.n - o.n
          FROM (SELECT org_id, status, category, count(*) AS n FROM old_rows GROUP BY 1, 2, 3) o
          WHERE c.org_id = o.org_id AND c.status = o.status AND c.category = o.category;
        RETURN NULL;
      END $$`)
      .execute(db);
    // Transition tables cannot be combined with a column list: the function picks the rows that changed.
    await sql
      .raw(`CREATE FUNCTION members_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM member_name_keys k USING (
          ${keys('(SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE n.name IS DISTINCT FROM o.name OR n.org_id <> o.org_id)')}
        ) o WHERE k.name_key = o.name_key AND k.member_id = o.member_id;
        INSERT INTO member_name_keys (name_key, member_id, org_id)
          ${keys('(SELECT n.* FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.name IS DISTINCT FROM o.name OR n.org_id <> o.org_id)')};
        WITH changed AS (
          SELECT o.org_id AS old_org, o.status AS old_status, o.category AS old_category,
                 n.org_id AS new_org, n.status AS new_status, n.category AS new_category
            FROM old_rows o JOIN new_rows n ON n.id = o.id
           WHERE n.org_id <> o.org_id OR n.status <> o.status OR n.category <> o.category
        ), delta AS (
          SELECT old_org AS org_id, old_status AS status, old_category AS category, -1 AS d FROM changed
          UNION ALL
          SELECT new_org, new_status, new_category, 1 FROM changed
        )
        INSERT INTO member_org_counts (org_id, status, category, n)
          SELECT org_id, status, category, sum(d) FROM delta GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
          ON CONFLICT (org_id, status, category) DO UPDATE SET n = member_org_counts.n + EXCLUDED.n;
        RETURN NULL;
      END $$`)
      .execute(db);
    await sql`CREATE TRIGGER members_search_insert AFTER INSERT ON members
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION members_search_insert()`.execute(db);
    await sql`CREATE TRIGGER members_search_delete AFTER DELETE ON members
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION members_search_delete()`.execute(db);
    await sql`CREATE TRIGGER members_search_update AFTER UPDATE ON members
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION members_search_update()`.execute(
      db,
    );
    // the roster as it is
    await sql.raw(`INSERT INTO member_name_keys (name_key, member_id, org_id) ${keys('members')}`).execute(db);
  } else {
    const keysOf = (row: 'NEW' | 'OLD') =>
      `SELECT substr(lower(${row}.name), j.value), ${row}.id, ${row}.org_id FROM json_each(${POSITIONS}) AS j
        WHERE j.value <= length(${row}.name)`;
    const dropKeys = `DELETE FROM member_name_keys WHERE member_id = OLD.id AND name_key IN (
        SELECT substr(lower(OLD.name), j.value) FROM json_each(${POSITIONS}) AS j WHERE j.value <= length(OLD.name));`;
    const addKeys = `INSERT INTO member_name_keys (name_key, member_id, org_id) ${keysOf('NEW')};`;
    const countNew = `INSERT INTO member_org_counts (org_id, status, category, n) VALUES (NEW.org_id, NEW.status, NEW.category, 1)
        ON CONFLICT (org_id, status, category) DO UPDATE SET n = n + 1;`;
    const uncountOld = `UPDATE member_org_counts SET n = n - 1
        WHERE org_id = OLD.org_id AND status = OLD.status AND category = OLD.category;`;
    await sql
      .raw(`CREATE TRIGGER members_search_insert AFTER INSERT ON members BEGIN ${addKeys} ${countNew} END`)
      .execute(db);
    await sql
      .raw(`CREATE TRIGGER members_search_delete AFTER DELETE ON members BEGIN ${dropKeys} ${uncountOld} END`)
      .execute(db);
    await sql
      .raw(`CREATE TRIGGER members_search_rename AFTER UPDATE OF name, org_id ON members
        WHEN NEW.name IS NOT OLD.name OR NEW.org_id IS NOT OLD.org_id BEGIN ${dropKeys} ${addKeys} END`)
      .execute(db);
    await sql
      .raw(`CREATE TRIGGER members_search_recount AFTER UPDATE OF org_id, status, category ON members
        WHEN NEW.org_id IS NOT OLD.org_id OR NEW.status IS NOT OLD.status OR NEW.category IS NOT OLD.category
        BEGIN ${uncountOld} ${countNew} END`)
      .execute(db);
    await sql
      .raw(`INSERT INTO member_name_keys (name_key, member_id, org_id)
        SELECT substr(lower(m.name), j.value), m.id, m.org_id FROM members AS m, json_each(${POSITIONS}) AS j
        WHERE j.value <= length(m.name)`)
      .execute(db);
  }
  await sql`INSERT INTO member_org_counts (org_id, status, category, n)
    SELECT org_id, status, category, count(*) FROM members GROUP BY org_id, status, category`.execute(db);
  // planner statistics for the new tables now rather than at autovacuum's next round
  if (pg) await sql`ANALYZE member_org_counts, member_name_keys`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  if (isPostgres(db)) {
    for (const t of ['insert', 'delete', 'update']) {
      await sql.raw(`DROP TRIGGER members_search_${t} ON members`).execute(db);
      await sql.raw(`DROP FUNCTION members_search_${t}()`).execute(db);
    }
  } else {
    for (const t of ['insert', 'delete', 'rename', 'recount']) {
      await sql.raw(`DROP TRIGGER members_search_${t}`).execute(db);
    }
  }
  await db.schema.dropIndex('orgs_name_idx').execute();
  await db.schema.dropIndex('members_org_category_birth_idx').execute();
  await db.schema.dropIndex('members_initials_org_idx').execute();
  await db.schema.createIndex('members_initials_idx').on('members').column('name_initials').execute();
  await db.schema.dropTable('member_name_keys').execute();
  await db.schema.dropTable('member_org_counts').execute();
}
