/** Opens SQLite (embedded default) or PostgreSQL (DATABASE_URL) behind one Kysely instance. */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import type { DB } from './database.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  dialect: Dialect;
  /** SQLite file path, when SQLite */
  file?: string;
  close(): Promise<void>;
}

// COUNT(*) and other int8 values come back as strings from pg by default; our counts fit in a JS number.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export function openDatabase(config: Pick<Config, 'dataDir' | 'databaseUrl' | 'databaseSchema'>): Database {
  if (config.databaseUrl) {
    const schema = config.databaseSchema;
    const pool = new pg.Pool({
      connectionString: config.databaseUrl,
      max: 10,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  const file = path.join(config.dataDir, 'dangjian.sqlite');
  const sqlite = new SQLite(file);
  // The system of record: WAL with FULL sync (NORMAL may lose a commit on power loss).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, dialect: 'sqlite', file, close: () => db.destroy() };
}

/**
 * Kysely prepares every query anew; for SQLite, parsing and planning a statement costs more than running it (a
 * five-table join: ~250 µs to prepare, ~20 µs to run). The same SQL text always comes back for the same query shape,
 * so prepared statements are kept (the most recent STATEMENT_CACHE shapes) and reused; a statement still being
 * iterated (a streamed query) is never handed out twice.
 */
const STATEMENT_CACHE = 500;

function withStatementCache(sqlite: SQLite.Database): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = sqlite.prepare.bind(sqlite);
  return new Proxy(sqlite, {
    get(target, prop, receiver) {
      if (prop !== 'prepare') {
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (source: string) => {
        const hit = cache.get(source);
        if (hit && !hit.busy) {
          cache.delete(source); // re-insert: most recently used last
          cache.set(source, hit);
          return hit;
        }
        const stmt = prepare(source);
        if (!hit) {
          cache.set(source, stmt);
          if (cache.size > STATEMENT_CACHE) cache.delete(cache.keys().next().value as string);
        }
        return stmt;
      };
    },
  });
}
