/**
 * Backup and restore (security.md, Reliability): `npm run cli -- backup <dir>` writes every table of the database,
 * read in one consistent snapshot, as JSON lines with an SM3 digest per file, plus the uploaded files, into a new
 * folder; `npm run cli -- restore <dir>` checks every digest, that the field-encryption key is the same (encrypted
 * 身份证号 and phone numbers are copied as stored: without the key they cannot be read, so a backup holds no clear
 * personal numbers and the key is never in it) and that the target is an empty, migrated database of the same
 * schema version, then writes everything in one transaction (all or nothing) and compares row counts and digests of
 * every table with the backup. A backup taken on SQLite restores on PostgreSQL and back.
 *
 * Tables kept by the database itself (the roster's search keys and counts, maintained by triggers; the character
 * positions a migration fills) are written to the backup and compared after a restore, but not inserted: the
 * triggers rebuild them from the restored members.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FieldCipher } from '../../crypto/sm.js';
import type { Db, Executor } from '../../db/database.js';
import { isPostgres } from '../../db/dialect.js';
import { AppError } from '../../errors.js';
import { forgetCachedSettings } from '../settings/settings.service.js';
import * as repo from './backup.repository.js';

export const BACKUP_FORMAT = 'dangjian-backup/1';
/** Maintained by triggers or filled by a migration: compared after a restore, never inserted. */
const MAINTAINED_BY_DATABASE = new Set(['member_org_counts', 'member_name_keys', 'member_name_positions']);
/** Not backed up: the migrator's own bookkeeping, and sessions (a restored system starts with everyone logged out). */
const NOT_BACKED_UP = (name: string) => name.startsWith('kysely_migration') || name === 'sessions';

interface TableEntry {
  file: string;
  columns: string[];
  rows: number;
  sm3: string;
}
interface FileEntry {
  path: string;
  size: number;
  sm3: string;
}
export interface Manifest {
  format: string;
  createdAt: string;
  dialect: 'sqlite' | 'postgres';
  migrations: string[];
  /** identifies the field-encryption key (an HMAC-SM3 of a fixed text under it), not the key */
  keyCheck: string;
  tables: Record<string, TableEntry>;
  files: FileEntry[];
}

export interface BackupResult {
  dir: string;
  tables: number;
  rows: number;
  files: number;
}

const sm3 = () => crypto.createHash('sm3');
const keyCheckOf = (cipher: FieldCipher) => cipher.blindIndex('dangjian/backup-key-check');
const uploadsDir = (dataDir: string) => path.join(dataDir, 'uploads');

function backupError(message: string, field = 'backup'): AppError {
  return new AppError(400, 'backup_invalid', message, field);
}

/** One canonical line per row: the values in the manifest's column order. */
const lineOf = (row: Record<string, unknown>, columns: string[]) =>
  `${JSON.stringify(columns.map((c) => row[c] ?? null))}\n`;

/** Tables in an order where every table comes after the tables it references. */
function insertionOrder(tables: repo.TableInfo[]): repo.TableInfo[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const out: repo.TableInfo[] = [];
  const visit = (t: repo.TableInfo, path: string[]) => {
    if (done.has(t.name)) return;
    if (path.includes(t.name)) throw new Error(`foreign keys form a cycle: ${[...path, t.name].join(' → ')}`);
    for (const ref of t.references) {
      const r = byName.get(ref);
      if (r && ref !== t.name) visit(r, [...path, t.name]);
    }
    done.add(t.name);
    out.push(t);
  };
  for (const t of tables) visit(t, []);
  return out;
}

/** Rows of a self-referencing table (orgs.parent_id) with every parent before its children. */
function parentsFirst(rows: Record<string, unknown>[], column: string, key: string): Record<string, unknown>[] {
  const placed = new Set<unknown>();
  const out: Record<string, unknown>[] = [];
  let pending = rows;
  while (pending.length > 0) {
    const next: Record<string, unknown>[] = [];
    for (const r of pending) {
      const parent = r[column];
      if (parent === null || parent === undefined || placed.has(parent) || parent === r[key]) {
        out.push(r);
        placed.add(r[key]);
      } else next.push(r);
    }
    if (next.length === pending.length) throw backupError(`${column} refers to rows that are not in the backup`);
    pending = next;
  }
  return out;
}

function listFiles(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile()) out.push(path.relative(root, full));
    }
  };
  walk(root);
  return out.sort();
}

function fileDigest(file: string): string {
  return sm3().update(fs.readFileSync(file)).digest('hex');
}

async function snapshotTables(db: Executor) {
  return (await repo.listTables(db)).filter((t) => !NOT_BACKED_UP(t.name));
}

/** Writes a backup into `dir`, which must not exist yet. */
export async function createBackup(
  db: Db,
  opts: { dataDir: string; cipher: FieldCipher; dir: string },
): Promise<BackupResult> {
  if (fs.existsSync(opts.dir)) throw backupError(`${opts.dir} already exists; choose a new folder`, 'dir');
  const tmp = `${opts.dir}.partial-${process.pid}`;
  fs.mkdirSync(path.join(tmp, 'tables'), { recursive: true });
  try {
    const pg = isPostgres(db);
    const run = pg ? db.transaction().setIsolationLevel('repeatable read') : db.transaction();
    const manifest: Manifest = await run.execute(async (trx) => {
      const tables = await snapshotTables(trx);
      const entries: Record<string, TableEntry> = {};
      for (const t of tables) {
        const file = `tables/${t.name}.jsonl`;
        const fd = fs.openSync(path.join(tmp, file), 'w');
        const hash = sm3();
        let rows = 0;
        for await (const batch of repo.readRows(trx, t)) {
          const text = batch.map((r) => lineOf(r, t.columns)).join('');
          fs.writeSync(fd, text);
          hash.update(text);
          rows += batch.length;
        }
        fs.fsyncSync(fd);
        fs.closeSync(fd);
        entries[t.name] = { file, columns: t.columns, rows, sm3: hash.digest('hex') };
      }
      return {
        format: BACKUP_FORMAT,
        createdAt: new Date().toISOString(),
        dialect: pg ? 'postgres' : 'sqlite',
        migrations: await repo.migrationNames(trx),
        keyCheck: keyCheckOf(opts.cipher),
        tables: entries,
        files: [] as FileEntry[],
      } satisfies Manifest;
    });
    // Uploaded files are written once under server-generated names and never changed, so a copy after the snapshot
    // holds every file the snapshot refers to.
    const src = uploadsDir(opts.dataDir);
    for (const rel of listFiles(src)) {
      const target = path.join(tmp, 'files', rel);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(path.join(src, rel), target);
      manifest.files.push({ path: rel, size: fs.statSync(target).size, sm3: fileDigest(target) });
    }
    fs.writeFileSync(path.join(tmp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    fs.renameSync(tmp, opts.dir);
    const rows = Object.values(manifest.tables).reduce((n, t) => n + t.rows, 0);
    return { dir: opts.dir, tables: Object.keys(manifest.tables).length, rows, files: manifest.files.length };
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Reads and checks a backup folder: format, every digest and row count. Throws on the first problem. */
export function readBackup(dir: string): Manifest {
  const file = path.join(dir, 'manifest.json');
  if (!fs.existsSync(file)) throw backupError(`${file} not found: not a backup folder`, 'dir');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  } catch {
    throw backupError('manifest.json is not valid JSON', 'manifest.json');
  }
  if (manifest.format !== BACKUP_FORMAT)
    throw backupError(`unknown backup format ${String(manifest.format)}`, 'format');
  for (const [name, t] of Object.entries(manifest.tables)) {
    if (!/^tables\/[a-z0-9_]+\.jsonl$/.test(t.file)) throw backupError(`table ${name}: bad file name`, name);
    const full = path.join(dir, t.file);
    if (!fs.existsSync(full)) throw backupError(`table ${name}: ${t.file} is missing`, name);
    const text = fs.readFileSync(full, 'utf8');
    if (sm3().update(text).digest('hex') !== t.sm3)
      throw backupError(`table ${name}: ${t.file} does not match its SM3 digest`, name);
    const lines = text === '' ? 0 : text.split('\n').length - 1;
    if (lines !== t.rows) throw backupError(`table ${name}: ${lines} rows, the manifest says ${t.rows}`, name);
  }
  for (const f of manifest.files) {
    const full = path.join(dir, 'files', f.path);
    if (f.path.split(/[\\/]/).includes('..') || path.isAbsolute(f.path)) throw backupError(`file ${f.path}: bad path`);
    if (!fs.existsSync(full) || fileDigest(full) !== f.sm3) throw backupError(`file ${f.path} is missing or altered`);
  }
  return manifest;
}

function* tableRows(dir: string, entry: TableEntry): Generator<Record<string, unknown>> {
  const text = fs.readFileSync(path.join(dir, entry.file), 'utf8');
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const values = JSON.parse(line) as unknown[];
    yield Object.fromEntries(entry.columns.map((c, i) => [c, values[i]]));
  }
}

export interface TableCheck {
  table: string;
  rows: number;
  sm3: string;
  expectedRows: number;
  expectedSm3: string;
  ok: boolean;
}

/** Row count and digest of every table now, beside the backup's. */
export async function compareWithBackup(db: Executor, manifest: Manifest): Promise<TableCheck[]> {
  const tables = await snapshotTables(db);
  const out: TableCheck[] = [];
  for (const [name, entry] of Object.entries(manifest.tables)) {
    const t = tables.find((x) => x.name === name);
    if (!t && MAINTAINED_BY_DATABASE.has(name)) continue;
    const hash = sm3();
    let rows = 0;
    if (t) {
      for await (const batch of repo.readRows(db, { ...t, columns: entry.columns })) {
        hash.update(batch.map((r) => lineOf(r, entry.columns)).join(''));
        rows += batch.length;
      }
    }
    const digest = hash.digest('hex');
    out.push({
      table: name,
      rows,
      sm3: digest,
      expectedRows: entry.rows,
      expectedSm3: entry.sm3,
      ok: rows === entry.rows && digest === entry.sm3,
    });
  }
  return out;
}

export interface RestoreResult {
  tables: number;
  rows: number;
  files: number;
  checks: TableCheck[];
}

/** Restores a checked backup into an empty database of the same schema version, with the same field key. */
export async function restoreBackup(
  db: Db,
  opts: { dataDir: string; cipher: FieldCipher; dir: string },
): Promise<RestoreResult> {
  const manifest = readBackup(opts.dir);
  if (manifest.keyCheck !== keyCheckOf(opts.cipher)) {
    throw backupError(
      'the field-encryption key (DATA_DIR/keys or FIELD_KEY) is not the one the backup was taken with: encrypted ID and phone numbers would not decrypt',
      'key',
    );
  }
  const migrations = await repo.migrationNames(db);
  if (migrations.join() !== manifest.migrations.join()) {
    throw backupError(
      `schema versions differ: backup ${manifest.migrations.at(-1) ?? '—'}, database ${migrations.at(-1) ?? '—'}; restore with the same release`,
      'migrations',
    );
  }
  for (const t of ['users', 'orgs', 'audit_log']) {
    if ((await repo.countRows(db, t)) > 0)
      throw backupError(`the database is not empty (${t} has rows); restore into a new one`, 'database');
  }
  const tables = await snapshotTables(db);
  const known = new Set(tables.map((t) => t.name));
  // a table the other database keeps for itself (SQLite's member_name_positions) may be absent here
  const unknown = Object.keys(manifest.tables).filter((n) => !known.has(n) && !MAINTAINED_BY_DATABASE.has(n));
  if (unknown.length > 0) throw backupError(`tables not in this schema: ${unknown.join(', ')}`, 'tables');

  // Files first into a side folder, moved into place once the rows are committed.
  const staging = `${uploadsDir(opts.dataDir)}.restoring-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  for (const f of manifest.files) {
    const target = path.join(staging, f.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(opts.dir, 'files', f.path), target);
  }
  const order = insertionOrder(tables.filter((t) => manifest.tables[t.name]));
  let rows = 0;
  try {
    await db.transaction().execute(async (trx) => {
      // what migrations and start-up wrote (settings, default rules) gives way to the backup's rows
      for (const t of [...order].reverse()) {
        if (!MAINTAINED_BY_DATABASE.has(t.name)) await repo.deleteAll(trx, t.name);
      }
      for (const t of order) {
        if (MAINTAINED_BY_DATABASE.has(t.name)) continue;
        const entry = manifest.tables[t.name]!;
        let batch = [...tableRows(opts.dir, entry)];
        if (t.selfReference && t.primaryKey.length === 1)
          batch = parentsFirst(batch, t.selfReference, t.primaryKey[0]!);
        // stay under SQLite's 32,766 bound parameters per statement
        const size = Math.max(1, Math.floor(30_000 / Math.max(1, entry.columns.length)));
        for (let i = 0; i < batch.length; i += size) await repo.insertRows(trx, t.name, batch.slice(i, i + size));
        rows += batch.length;
      }
      await repo.resetSequences(trx, order);
    });
    forgetCachedSettings();
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  const uploads = uploadsDir(opts.dataDir);
  if (manifest.files.length > 0) {
    fs.rmSync(uploads, { recursive: true, force: true });
    fs.renameSync(staging, uploads);
  } else fs.rmSync(staging, { recursive: true, force: true });
  const checks = await compareWithBackup(db, manifest);
  return { tables: order.length, rows, files: manifest.files.length, checks };
}
