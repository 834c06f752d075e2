/**
 * Roster search at province scale (1,000,000 members; measured by `npm run bench`, see bench/README.md). Two
 * structures kept by database triggers, so every write path (service, import, transfers, demo, tests) keeps them
 * right in the same transaction, and indexes:
 *
 * - member_org_counts(org_id, status, category, n): members per organisation, status and category. The roster's
 *   exact `total` for a subtree is then a sum over the subtree's organisations instead of a count over up to a
 *   million member rows (the count dominated every list request).
 * - member_name_keys(name_key, member_id, org_id, first): every suffix of the member's name (ASCII letters
 *   lower-cased), so the name search "contains q" is a prefix range on the key: 王建国 → 王建国, 建国, 国; "建" finds
 *   建国. About three keys per member. The org_id copy lets a subtree's matches be counted without reading members;
 *   `first` marks the suffixes whose first character does not occur earlier in the name, so a one-character search
 *   (a surname: tens of thousands of matches) counts its members without de-duplicating (王王芳 has two keys 王…).
 * - members(name) and members(org_id, name), which only the LIKE '%q%' scans used, are dropped.
 * - members(name_initials, org_id) in place of members(name_initials): the pinyin-initials prefix range, counted
 *   per subtree from the index alone; members(org_id, category, birth_date, status): a subtree's members by
 *   category, age band and status from the index alone; orgs(name): the import resolves organisation names.
 *
 * PostgreSQL uses statement-level triggers with transition tables (one aggregated statement per multi-row insert);
 * SQLite row-level triggers, with a table of character positions (member_name_positions) for the suffixes. Keys use
 * the "C" collation on PostgreSQL so the range is byte order, as on SQLite. The cost: a member insert writes about
 * four more index entries (the bench's bare insert runs about half as fast as before; see bench/README.md), and on
 * PostgreSQL writes into one organisation wait for each other's commit on its count row.
 */
import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current table types
type AnyDb = Kysely<any>;

/** Character positions 1…100 (names have at most 30): SQLite has no generate_series, nor CTEs in triggers. */
const POSITIONS = 100;

export async function up(db: AnyDb): Promise<void> {
  const pg = isPostgres(db);
  if (pg) {
    // INCLUDE: counts, key orgs and member ids come from the indexes alone (index-only scans)
    await sql`CREATE TABLE member_org_counts (org_id integer NOT NULL, status text NOT NULL, category text NOT NULL,
      n integer NOT NULL, CONSTRAINT member_org_counts_pk PRIMARY KEY (org_id, status, category) INCLUDE (n))`.execute(
      db,
    );
    await sql`CREATE TABLE member_name_keys (name_key text COLLATE "C" NOT NULL, member_id integer NOT NULL,
      org_id integer NOT NULL, first integer NOT NULL,
      CONSTRAINT member_name_keys_pk PRIMARY KEY (name_key, member_id) INCLUDE (org_id, first))`.execute(db);
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
      first integer NOT NULL, CONSTRAINT member_name_keys_pk PRIMARY KEY (name_key, member_id)) WITHOUT ROWID`.execute(
      db,
    );
    await sql`CREATE INDEX members_org_category_birth_idx ON members (org_id, category, birth_date, status)`.execute(
      db,
    );
  }
  // The name search no longer reads these (it reads member_name_keys): two indexes fewer to keep on every write.
  await db.schema.dropIndex('members_name_idx').execute();
  await db.schema.dropIndex('members_org_name_idx').execute();
  await db.schema.dropIndex('members_initials_idx').execute();
  await sql`CREATE INDEX members_initials_org_idx ON members (name_initials, org_id) ${pg ? sql`INCLUDE (id)` : sql``}`.execute(
    db,
  );
  await db.schema.createIndex('orgs_name_idx').on('orgs').column('name').execute();

  if (pg) {
    // the keys of a set of member rows
    const keys = (rows: string) =>
      `SELECT substr(l, i) AS name_key, r.id AS member_id, r.org_id,
              (position(substr(l, i, 1) in substr(l, 1, i - 1)) = 0)::integer AS first
         FROM ${rows} r CROSS JOIN LATERAL lower(r.name COLLATE "C") AS l
         CROSS JOIN LATERAL generate_series(1, char_length(r.name)) AS i`;
    await sql
      .raw(`CREATE FUNCTION members_search_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO member_name_keys (name_key, member_id, org_id, first) ${keys('new_rows')};
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
        INSERT INTO member_name_keys (name_key, member_id, org_id, first)
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
    await sql.raw(`INSERT INTO member_name_keys (name_key, member_id, org_id, first) ${keys('members')}`).execute(db);
  } else {
    await sql`CREATE TABLE member_name_positions (n integer PRIMARY KEY)`.execute(db);
    await sql
      .raw(
        `INSERT INTO member_name_positions (n) VALUES ${Array.from({ length: POSITIONS }, (_, i) => `(${i + 1})`).join(', ')}`,
      )
      .execute(db);
    /** the keys of one row (NEW or OLD), or of every row of `members` (m) */
    const keysOf = (row: string, from = '') => {
      const l = `lower(${row}.name)`;
      return `SELECT substr(${l}, p.n), ${row}.id, ${row}.org_id, instr(substr(${l}, 1, p.n - 1), substr(${l}, p.n, 1)) = 0
        FROM ${from}member_name_positions AS p WHERE p.n <= length(${row}.name)`;
    };
    const dropKeys = `DELETE FROM member_name_keys WHERE member_id = OLD.id AND name_key IN (
        SELECT substr(lower(OLD.name), p.n) FROM member_name_positions AS p WHERE p.n <= length(OLD.name));`;
    const addKeys = `INSERT INTO member_name_keys (name_key, member_id, org_id, first) ${keysOf('NEW')};`;
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
      .raw(`INSERT INTO member_name_keys (name_key, member_id, org_id, first) ${keysOf('m', 'members AS m, ')}`)
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
    await db.schema.dropTable('member_name_positions').execute();
  }
  await db.schema.dropIndex('orgs_name_idx').execute();
  await db.schema.dropIndex('members_org_category_birth_idx').execute();
  await db.schema.dropIndex('members_initials_org_idx').execute();
  await db.schema.createIndex('members_initials_idx').on('members').column('name_initials').execute();
  await db.schema.createIndex('members_org_name_idx').on('members').columns(['org_id', 'name']).execute();
  await db.schema.createIndex('members_name_idx').on('members').column('name').execute();
  await db.schema.dropTable('member_name_keys').execute();
  await db.schema.dropTable('member_org_counts').execute();
}
