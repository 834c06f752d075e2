/**
 * Raw bulk writers for the synthetic data: prepared single-row statements on better-sqlite3 (the fastest path
 * SQLite has), and `INSERT … SELECT FROM unnest($1::int[], $2::text[], …)` on PostgreSQL (one parameter per
 * column, thousands of rows per statement). Both run inside explicit transactions.
 */
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { ColumnType, Value } from './members.js';

export type Column = readonly [string, ColumnType];

export interface BulkWriter {
  readonly dialect: 'sqlite' | 'postgres';
  exec(sql: string): Promise<void>;
  query<T>(sql: string): Promise<T[]>;
  insert(table: string, columns: readonly Column[], rows: Value[][]): Promise<void>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  close(): Promise<void>;
}

export function sqliteWriter(file: string): BulkWriter {
  const db = new SQLite(file);
  // the same settings as the app (connect.ts)
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const statements = new Map<string, SQLite.Statement>();
  return {
    dialect: 'sqlite',
    async exec(sql) {
      db.exec(sql);
    },
    async query<T>(sql: string) {
      return db.prepare(sql).all() as T[];
    },
    async insert(table, columns, rows) {
      const key = `${table}(${columns.map((c) => c[0]).join(',')})`;
      let st = statements.get(key);
      if (!st) {
        st = db.prepare(
          `INSERT INTO ${table} (${columns.map((c) => c[0]).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        );
        statements.set(key, st);
      }
      for (const r of rows) st.run(r);
    },
    async begin() {
      db.exec('BEGIN');
    },
    async commit() {
      db.exec('COMMIT');
    },
    async close() {
      db.close();
    },
  };
}

export async function postgresWriter(url: string, schema: string | undefined): Promise<BulkWriter> {
  const client = new pg.Client({ connectionString: url, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  await client.connect();
  // index builds after the load get room to sort in memory
  await client.query(`SET maintenance_work_mem = '512MB'`);
  return {
    dialect: 'postgres',
    async exec(sql) {
      await client.query(sql);
    },
    async query<T>(sql: string) {
      return (await client.query(sql)).rows as T[];
    },
    async insert(table, columns, rows) {
      if (rows.length === 0) return;
      const arrays = columns.map((_, i) => rows.map((r) => r[i]));
      const unnest = columns.map((c, i) => `$${i + 1}::${c[1] === 'int' ? 'int' : 'text'}[]`).join(', ');
      await client.query(
        `INSERT INTO ${table} (${columns.map((c) => c[0]).join(', ')}) SELECT * FROM unnest(${unnest})`,
        arrays,
      );
    },
    async begin() {
      await client.query('BEGIN');
    },
    async commit() {
      await client.query('COMMIT');
    },
    async close() {
      await client.end();
    },
  };
}

/**
 * Runs `load` with a table's secondary indexes dropped, then recreates them from their own stored definitions
 * (sqlite_master / pg_indexes), so the schema ends exactly as the migrations made it. Building an index once
 * over a full table is much faster than maintaining it row by row. Primary keys and constraint indexes stay.
 */
export async function withoutIndexes(w: BulkWriter, table: string, load: () => Promise<void>): Promise<void> {
  const defs =
    w.dialect === 'sqlite'
      ? (
          await w.query<{ name: string; sql: string }>(
            `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = '${table}' AND sql IS NOT NULL`,
          )
        ).map((r) => ({ name: r.name, sql: r.sql }))
      : (
          await w.query<{ name: string; sql: string }>(
            `SELECT i.indexname AS name, i.indexdef AS sql FROM pg_indexes i
               JOIN pg_class c ON c.relname = i.indexname
               JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = i.schemaname
             WHERE i.schemaname = current_schema() AND i.tablename = '${table}'
               AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)`,
          )
        ).map((r) => ({ name: r.name, sql: r.sql }));
  for (const d of defs) await w.exec(`DROP INDEX ${d.name}`);
  try {
    await load();
  } finally {
    for (const d of defs) await w.exec(d.sql);
  }
}
