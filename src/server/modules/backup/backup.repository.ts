/**
 * All SQL of backup and restore: what tables the schema has (columns, primary key, foreign keys) on either
 * database, reading a table in primary-key order, inserting rows as they were, and moving PostgreSQL's id
 * sequences past the restored ids.
 */
import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../../db/dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: backup works on every table of the schema, whatever its type
type AnyDb = Kysely<any>;

export interface TableInfo {
  name: string;
  columns: string[];
  primaryKey: string[];
  /** tables this one references (foreign keys), itself included when it references itself */
  references: string[];
  /** the column referencing this same table (orgs.parent_id), if any */
  selfReference: string | null;
  /** PostgreSQL: text columns, ordered byte-wise (COLLATE "C") so that both databases read rows in one order */
  byteOrdered: string[];
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function listTables(db: AnyDb): Promise<TableInfo[]> {
  return isPostgres(db) ? listPostgres(db) : listSqlite(db);
}

async function listSqlite(db: AnyDb): Promise<TableInfo[]> {
  const tables = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'
    AND name NOT LIKE 'sqlite_%' ORDER BY name`.execute(db);
  const out: TableInfo[] = [];
  for (const { name } of tables.rows) {
    const cols = await sql<{
      name: string;
      pk: number;
    }>`SELECT name, pk FROM pragma_table_info(${name}) ORDER BY cid`.execute(db);
    const fks = await sql<{
      table: string;
      from: string;
    }>`SELECT "table", "from" FROM pragma_foreign_key_list(${name})`.execute(db);
    out.push({
      name,
      columns: cols.rows.map((c) => c.name),
      primaryKey: cols.rows
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      references: [...new Set(fks.rows.map((f) => f.table))],
      selfReference: fks.rows.find((f) => f.table === name)?.from ?? null,
      byteOrdered: [], // SQLite's BINARY collation is byte order already
    });
  }
  return out;
}

async function listPostgres(db: AnyDb): Promise<TableInfo[]> {
  const tables = await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(db);
  const out: TableInfo[] = [];
  for (const { name } of tables.rows) {
    const cols = await sql<{
      name: string;
      type: string;
    }>`SELECT column_name AS name, data_type AS type FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = ${name} ORDER BY ordinal_position`.execute(db);
    const pk = await sql<{ name: string }>`SELECT a.attname AS name
      FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
      WHERE i.indrelid = (quote_ident(current_schema()) || '.' || quote_ident(${name}))::regclass AND i.indisprimary
      ORDER BY array_position(i.indkey, a.attnum)`.execute(db);
    const fks = await sql<{ ref: string; col: string }>`SELECT ref.relname AS ref, a.attname AS col
      FROM pg_constraint c
      JOIN pg_class rel ON rel.oid = c.conrelid
      JOIN pg_namespace n ON n.oid = rel.relnamespace
      JOIN pg_class ref ON ref.oid = c.confrelid
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
      WHERE c.contype = 'f' AND n.nspname = current_schema() AND rel.relname = ${name}`.execute(db);
    out.push({
      name,
      columns: cols.rows.map((c) => c.name),
      primaryKey: pk.rows.map((c) => c.name),
      references: [...new Set(fks.rows.map((f) => f.ref))],
      selfReference: fks.rows.find((f) => f.ref === name)?.col ?? null,
      byteOrdered: cols.rows.filter((c) => c.type === 'text' || c.type.startsWith('character')).map((c) => c.name),
    });
  }
  return out;
}

/**
 * Rows of a table in primary-key order (all columns when there is none), `batch` at a time: keyset paging on a
 * single-column key (big tables stay linear), OFFSET otherwise.
 */
export async function* readRows(
  db: AnyDb,
  table: TableInfo,
  batch = 5000,
): AsyncGenerator<Record<string, unknown>[], void, undefined> {
  const cols = sql.raw(table.columns.map(quote).join(', '));
  const from = sql.raw(quote(table.name));
  const ordered = (c: string) => (table.byteOrdered.includes(c) ? `${quote(c)} COLLATE "C"` : quote(c));
  const [single, ...rest] = table.primaryKey;
  if (single && rest.length === 0) {
    const key = sql.raw(ordered(single));
    let last: unknown = null;
    for (;;) {
      const after = last === null ? sql`` : sql`WHERE ${key} > ${last}`;
      const res = await sql<Record<string, unknown>>`SELECT ${cols} FROM ${from} ${after}
        ORDER BY ${key} LIMIT ${batch}`.execute(db);
      if (res.rows.length > 0) yield res.rows;
      if (res.rows.length < batch) return;
      last = res.rows[res.rows.length - 1]![single];
    }
  }
  const order = sql.raw((table.primaryKey.length > 0 ? table.primaryKey : table.columns).map(ordered).join(', '));
  for (let offset = 0; ; offset += batch) {
    const res = await sql<Record<string, unknown>>`SELECT ${cols} FROM ${from}
      ORDER BY ${order} LIMIT ${batch} OFFSET ${offset}`.execute(db);
    if (res.rows.length > 0) yield res.rows;
    if (res.rows.length < batch) return;
  }
}

export async function countRows(db: AnyDb, table: string): Promise<number> {
  const res = await sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM ${sql.raw(quote(table))}`.execute(db);
  return Number(res.rows[0]?.n ?? 0);
}

export async function deleteAll(db: AnyDb, table: string): Promise<void> {
  await sql`DELETE FROM ${sql.raw(quote(table))}`.execute(db);
}

export async function insertRows(db: AnyDb, table: string, rows: Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto(table).values(rows).execute();
}

/** PostgreSQL: every serial column's sequence continues after the largest restored id. */
export async function resetSequences(db: AnyDb, tables: TableInfo[]): Promise<void> {
  if (!isPostgres(db)) return; // SQLite's AUTOINCREMENT follows the largest id inserted
  for (const t of tables) {
    if (!t.columns.includes('id')) continue;
    const seq = await sql<{ seq: string | null }>`SELECT pg_get_serial_sequence(${quote(t.name)}, 'id') AS seq`.execute(
      db,
    );
    const name = seq.rows[0]?.seq;
    if (!name) continue;
    await sql`SELECT setval(${name}, COALESCE((SELECT MAX(id) FROM ${sql.raw(quote(t.name))}), 0) + 1, false)`.execute(
      db,
    );
  }
}

export async function migrationNames(db: AnyDb): Promise<string[]> {
  const res = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
  return res.rows.map((r) => r.name);
}
