/**
 * npm run bench -- --suite members [options] (or npx tsx bench/members.ts [options]): the roster figures of issue 3 on
 * SQLite and PostgreSQL.
 *
 *  1. Import: a 100,000-row sheet in the import template's layout, generated once, imported through the route's
 *     own pipeline (readFirstSheet → planImport → commitImport, dry run off) into a fresh database that holds
 *     the synthetic tree; compared with a bare bulk insert of the same, already encrypted rows (500-row INSERTs
 *     in one transaction) into the same database.
 *  2. Roster search over N members (default 1,000,000): a mix of realistic queries through members.service
 *     list(), the function GET /api/members calls, as the 党务管理员 of the province and of 成都; p50/p95/p99.
 *
 * Figures are printed and written to bench/results/latest.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type BulkWriter, postgresWriter, sqliteWriter } from '../scripts/synthetic/bulk.js';
import { memberGenerator, type PlainMember } from '../scripts/synthetic/members.js';
import { rowPool } from '../scripts/synthetic/pool.js';
import { defaultOrgCount, seedSynthetic, seedTree } from '../scripts/synthetic/seed.js';
import type { SyntheticTree } from '../scripts/synthetic/tree.js';
import { type Config, loadConfig } from '../src/server/config.js';
import { type FieldCipher, loadFieldCipher, sm3 } from '../src/server/crypto/sm.js';
import { type Database, openDatabase } from '../src/server/db/connect.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { commitImport, orgLabel, planImport } from '../src/server/modules/members/members.import.js';
import type { NewMember } from '../src/server/modules/members/members.repository.js';
import {
  columnsFor,
  list as listMembers,
  type MemberListQuery,
} from '../src/server/modules/members/members.service.js';
import {
  CATEGORY_LABELS,
  COLUMNS,
  type ColumnKey,
  readFirstSheet,
  rosterWorkbook,
  STATUS_LABELS,
} from '../src/server/modules/members/members.sheet.js';
import type { OrgScope } from '../src/server/modules/orgs/orgs.repository.js';
import { todayInShanghai } from '../src/shared/dates.js';

// ---- options -------------------------------------------------------------------------------------------------------

interface Options {
  members: number;
  orgs: number;
  importRows: number;
  seed: number;
  reps: number;
  only: 'sqlite' | 'postgres' | null;
  skipImport: boolean;
  skipSearch: boolean;
  keep: boolean;
  reuseSqlite: string | null;
  reuseSchema: string | null;
  pgUrl: string;
  out: string;
  compare: string | null;
}

const USAGE = `usage: npm run bench -- --suite members [--members N] [--orgs M] [--import-rows R] [--seed S] [--reps K]
       [--only sqlite|postgres] [--skip-import] [--skip-search] [--keep]
       [--reuse-sqlite DIR] [--reuse-schema NAME] [--pg-url URL] [--out FILE] [--compare FILE]`;

function parseOptions(argv: string[]): Options {
  const o: Options = {
    members: 1_000_000,
    orgs: 0,
    importRows: 100_000,
    seed: 1,
    reps: 3,
    only: null,
    skipImport: false,
    skipSearch: false,
    keep: false,
    reuseSqlite: null,
    reuseSchema: null,
    pgUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bench',
    out: 'bench/results/latest.json',
    compare: null,
  };
  const num = (v: string | undefined, k: string) => {
    const n = Number(v?.replaceAll('_', ''));
    if (!Number.isInteger(n) || n < 0) throw new Error(`${k} must be a whole number\n${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--members') o.members = num(argv[++i], k);
    else if (k === '--orgs') o.orgs = num(argv[++i], k);
    else if (k === '--import-rows') o.importRows = num(argv[++i], k);
    else if (k === '--seed') o.seed = num(argv[++i], k);
    else if (k === '--reps') o.reps = Math.max(1, num(argv[++i], k));
    else if (k === '--only') {
      const v = argv[++i];
      if (v !== 'sqlite' && v !== 'postgres') throw new Error(`--only sqlite|postgres\n${USAGE}`);
      o.only = v;
    } else if (k === '--skip-import') o.skipImport = true;
    else if (k === '--skip-search') o.skipSearch = true;
    else if (k === '--keep') o.keep = true;
    else if (k === '--reuse-sqlite') o.reuseSqlite = argv[++i] ?? null;
    else if (k === '--reuse-schema') o.reuseSchema = argv[++i] ?? null;
    else if (k === '--pg-url') o.pgUrl = argv[++i] ?? o.pgUrl;
    else if (k === '--out') o.out = argv[++i] ?? o.out;
    else if (k === '--compare') o.compare = argv[++i] ?? null;
    else if (k === '--help' || k === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${k}\n${USAGE}`);
  }
  if (!o.orgs) o.orgs = defaultOrgCount(o.members);
  return o;
}

// ---- databases -----------------------------------------------------------------------------------------------------

type Kind = 'sqlite' | 'postgres';

interface Target {
  kind: Kind;
  config: Config;
  where: string;
  writer(): Promise<BulkWriter>;
  drop(): Promise<void>;
}

const RUN = new Date().toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
const BENCH_DIR = path.join('data', 'bench');

async function pgReachable(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  } finally {
    await client.end().catch(() => {});
  }
}

async function pgAdmin(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh database (or an existing one to reuse) with the bench's field key. */
async function target(
  kind: Kind,
  purpose: string,
  fieldKey: string,
  opts: Options,
  reuse: string | null,
): Promise<Target> {
  if (kind === 'sqlite') {
    const dir = reuse ?? path.join(BENCH_DIR, `${RUN}-${purpose}`);
    if (!reuse) fs.rmSync(dir, { recursive: true, force: true });
    const config = loadConfig({ DATA_DIR: dir, FIELD_KEY: fieldKey, LOG_LEVEL: 'silent' });
    const file = path.join(config.dataDir, 'dangjian.sqlite');
    return {
      kind,
      config,
      where: file,
      writer: async () => sqliteWriter(file),
      drop: async () => fs.rmSync(config.dataDir, { recursive: true, force: true }),
    };
  }
  const schema = reuse ?? `bench_${RUN}_${purpose}`;
  if (!reuse) await pgAdmin(opts.pgUrl, `DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  const config = loadConfig({
    DATABASE_URL: opts.pgUrl,
    DATABASE_SCHEMA: schema,
    DATA_DIR: path.join(BENCH_DIR, 'pg-keys'),
    FIELD_KEY: fieldKey,
    LOG_LEVEL: 'silent',
  });
  return {
    kind,
    config,
    where: `schema ${schema}`,
    writer: () => postgresWriter(opts.pgUrl, schema),
    drop: () => pgAdmin(opts.pgUrl, `DROP SCHEMA IF EXISTS ${schema} CASCADE`),
  };
}

async function openMigrated(t: Target): Promise<{ database: Database; migrateSeconds: number }> {
  const database = openDatabase(t.config);
  const s = performance.now();
  await migrateToLatest(database.db, t.config.databaseSchema);
  return { database, migrateSeconds: (performance.now() - s) / 1000 };
}

// ---- figures -------------------------------------------------------------------------------------------------------

interface ImportFigures {
  rows: number;
  readSeconds: number;
  planSeconds: number;
  commitSeconds: number;
  totalSeconds: number;
  rowsPerSecond: number;
  bareInsertSeconds: number;
  bareRowsPerSecond: number;
  ratio: number;
}

interface QueryFigure {
  label: string;
  as: string;
  total: number;
  medianMs: number;
  maxMs: number;
}

interface SearchFigures {
  members: number;
  orgs: number;
  samples: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  queries: QueryFigure[];
}

export interface Results {
  date: string;
  machine: string;
  options: Omit<Options, 'pgUrl' | 'out' | 'compare'>;
  sqlite?: { import?: ImportFigures; search?: SearchFigures; seedSeconds?: number };
  postgres?: { import?: ImportFigures; search?: SearchFigures; seedSeconds?: number; skipped?: string };
}

const fmt = (n: number, d = 1) => n.toLocaleString('en', { minimumFractionDigits: d, maximumFractionDigits: d });
const int = (n: number) => Math.round(n).toLocaleString('en');

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

// ---- the import ----------------------------------------------------------------------------------------------------

/** The sheet: plain members drawn into the tree, in the template's columns, org as the template labels it. */
async function importSheet(tree: SyntheticTree, rows: number, seed: number, today: string) {
  const gen = memberGenerator(tree, seed + 7919, today);
  const members: PlainMember[] = Array.from({ length: rows }, () => gen.next());
  const nameCount = new Map<string, number>();
  for (const o of tree.orgs) nameCount.set(o.name, (nameCount.get(o.name) ?? 0) + 1);
  const shared = new Set([...nameCount].filter(([, n]) => n > 1).map(([name]) => name));
  const label = new Map(tree.orgs.map((o) => [o.id, orgLabel({ id: o.id, name: o.name }, shared)]));
  const cells = members.map((m) => {
    const v: Record<ColumnKey, string | null> = {
      name: m.name,
      gender: m.gender,
      ethnicity: m.ethnicity,
      birthDate: m.birthDate,
      idNumber: m.idNumber,
      phone: m.phone,
      education: m.education ?? null,
      unit: m.unit ?? null,
      title: m.title ?? null,
      org: label.get(m.orgId)!,
      category: CATEGORY_LABELS[m.category],
      joinedAt: m.joinedAt,
      fullAt: m.fullAt ?? null,
      status: STATUS_LABELS[m.status],
    };
    return COLUMNS.map((c) => v[c.key]);
  });
  const buffer = await rosterWorkbook(
    tree.orgs.map((o) => label.get(o.id)!),
    cells,
  );
  return { members, buffer };
}

/** The rows commitImport would write for these members (encrypted before the clock starts). */
function bareRows(cipher: FieldCipher, members: PlainMember[], now: string): NewMember[] {
  return members.map((m) => ({
    ...columnsFor(cipher, m),
    org_id: m.orgId,
    name: m.name,
    status: m.status,
    user_id: null,
    created_at: now,
    updated_at: now,
  }));
}

async function benchImport(
  t: Target,
  opts: Options,
  sheet: { members: PlainMember[]; buffer: Buffer } | null,
  log: (s: string) => void,
): Promise<{ figures: ImportFigures; sheet: { members: PlainMember[]; buffer: Buffer } }> {
  const { database } = await openMigrated(t);
  const { db } = database;
  const cipher = loadFieldCipher(t.config.dataDir, t.config.fieldKey);
  const w = await t.writer();
  const today = todayInShanghai();
  const { tree } = await seedTree([w], { members: 0, orgs: opts.orgs, seed: opts.seed }, today);
  if (w.dialect === 'postgres') await w.exec('VACUUM ANALYZE');
  log(`tree: ${int(tree.orgs.length)} orgs in ${t.where}`);
  if (!sheet) {
    const s = performance.now();
    sheet = await importSheet(tree, opts.importRows, opts.seed, today);
    log(
      `sheet: ${int(opts.importRows)} rows, ${fmt(sheet.buffer.length / 1024 / 1024)} MB xlsx (${fmt((performance.now() - s) / 1000)} s to write)`,
    );
  }
  const scope: OrgScope = { all: false, roots: [tree.root.id] };

  // The bare insert: the same rows, already encrypted, 500-row INSERTs in one transaction.
  const rows = bareRows(cipher, sheet.members, new Date().toISOString());
  let s = performance.now();
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('members')
        .values(rows.slice(i, i + 500))
        .execute();
  });
  const bareInsertSeconds = (performance.now() - s) / 1000;
  log(`bare insert: ${fmt(bareInsertSeconds, 2)} s`);
  await db.deleteFrom('members').execute();
  if (w.dialect === 'postgres') await w.exec('VACUUM ANALYZE members');
  else await w.exec('PRAGMA wal_checkpoint(TRUNCATE)');

  // The import, as POST /api/members/import runs it (after the upload checks).
  s = performance.now();
  const parsed = readFirstSheet(sheet.buffer);
  const readSeconds = (performance.now() - s) / 1000;
  s = performance.now();
  const plan = await planImport(db, cipher, scope, parsed);
  const planSeconds = (performance.now() - s) / 1000;
  if (plan.errors.length > 0) throw new Error(`the bench sheet has errors: ${JSON.stringify(plan.errors.slice(0, 5))}`);
  s = performance.now();
  const counts = await commitImport(db, cipher, plan, 'bench');
  const commitSeconds = (performance.now() - s) / 1000;
  if (counts.created !== opts.importRows) throw new Error(`imported ${counts.created} of ${opts.importRows}`);
  const totalSeconds = readSeconds + planSeconds + commitSeconds;
  log(`import: read ${fmt(readSeconds, 2)} s, plan ${fmt(planSeconds, 2)} s, commit ${fmt(commitSeconds, 2)} s`);
  await w.close();
  await database.close();
  return {
    sheet,
    figures: {
      rows: opts.importRows,
      readSeconds,
      planSeconds,
      commitSeconds,
      totalSeconds,
      rowsPerSecond: opts.importRows / totalSeconds,
      bareInsertSeconds,
      bareRowsPerSecond: opts.importRows / bareInsertSeconds,
      ratio: totalSeconds / bareInsertSeconds,
    },
  };
}

// ---- the search ----------------------------------------------------------------------------------------------------

interface Probe {
  label: string;
  as: 'province' | 'chengdu';
  /** the query of repetition i */
  make(i: number): { query: MemberListQuery; page: number; pageSize: number };
}

interface Landmarks {
  root: number;
  chengdu: number;
  /** county bureaus (depth 2) under 成都 and elsewhere */
  chengduCounty: number;
  county: number;
  /** a branch in a county outside 成都 */
  countyBranch: number;
  /** members to look up, with their plain numbers */
  people: { name: string; idNumber: string; phone: string | null; orgId: number; inChengdu: boolean }[];
}

/** Orgs and people to query, read back from the database (numbers decrypted with the bench key). */
async function landmarks(database: Database, cipher: FieldCipher): Promise<Landmarks> {
  const { db } = database;
  const root = await db
    .selectFrom('orgs')
    .select('id')
    .where('parent_id', 'is', null)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const chengdu = await db
    .selectFrom('orgs')
    .select('id')
    .where('division_code', '=', '5101')
    .where('depth', '=', 1)
    .executeTakeFirstOrThrow();
  const counties = await db
    .selectFrom('orgs')
    .select(['id', 'division_code'])
    .where('depth', '=', 2)
    .where('kind', '=', 'committee')
    .orderBy('id')
    .execute();
  const chengduCounty = counties.find((c) => c.division_code?.startsWith('5101'))!;
  const county = counties.find((c) => c.division_code?.startsWith('5107')) ?? counties[counties.length - 1]!;
  const countyBranch = await db
    .selectFrom('orgs')
    .innerJoin('org_closure', 'org_closure.descendant_id', 'orgs.id')
    .select('orgs.id')
    .where('org_closure.ancestor_id', '=', county.id)
    .where('orgs.kind', '=', 'branch')
    .orderBy('orgs.id')
    .executeTakeFirstOrThrow();
  const inChengdu = new Set(
    (await db.selectFrom('org_closure').select('descendant_id').where('ancestor_id', '=', chengdu.id).execute()).map(
      (r) => r.descendant_id,
    ),
  );
  const [{ max }] = await db
    .selectFrom('members')
    .select((eb) => eb.fn.max('id').as('max'))
    .execute();
  const rand = (() => {
    let a = 12345;
    return () => {
      a = (Math.imul(a, 1103515245) + 12345) >>> 0;
      return a / 4294967296;
    };
  })();
  const ids = Array.from({ length: 400 }, () => 1 + Math.floor(rand() * Number(max)));
  const rows = await db
    .selectFrom('members')
    .select(['name', 'id_enc', 'phone_enc', 'org_id'])
    .where('id', 'in', ids)
    .execute();
  const people = rows.map((r) => ({
    name: r.name,
    idNumber: cipher.decrypt(r.id_enc!),
    phone: r.phone_enc ? cipher.decrypt(r.phone_enc) : null,
    orgId: r.org_id,
    inChengdu: inChengdu.has(r.org_id),
  }));
  return {
    root: root.id,
    chengdu: chengdu.id,
    chengduCounty: chengduCounty.id,
    county: county.id,
    countyBranch: countyBranch.id,
    people,
  };
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '何', '罗'];
const INITIALS = ['wj', 'lh', 'zy', 'lj', 'cx', 'yw', 'zwh', 'ljg', 'hm', 'wxl', 'lm', 'cj'];
const TWO_CHARS = ['王建', '李明', '张伟', '刘洋', '陈静', '杨帆', '黄海', '赵强', '吴婷', '周杰', '何平', '罗军'];

function probes(l: Landmarks): Probe[] {
  const chengduPeople = l.people.filter((p) => p.inChengdu);
  const person = (i: number, list = l.people) => list[i % list.length]!;
  const page = (query: MemberListQuery, p = 1, pageSize = 20) => ({ query, page: p, pageSize });
  return [
    { label: 'whole province, page 1', as: 'province', make: () => page({}) },
    { label: 'whole province, page 1,000', as: 'province', make: (i) => page({}, 1000 + i) },
    { label: 'subtree: one city (成都)', as: 'province', make: () => page({ org: l.chengdu }) },
    { label: 'subtree: one city, page 200', as: 'province', make: (i) => page({ org: l.chengdu }, 200 + i) },
    { label: 'subtree: one county bureau', as: 'province', make: () => page({ org: l.county }) },
    { label: 'subtree: one county branch', as: 'province', make: () => page({ org: l.countyBranch }) },
    { label: 'name: surname (1 char)', as: 'province', make: (i) => page({ q: SURNAMES[i % SURNAMES.length] }) },
    { label: 'name: 2 chars', as: 'province', make: (i) => page({ q: TWO_CHARS[i % TWO_CHARS.length] }) },
    { label: 'name: full name', as: 'province', make: (i) => page({ q: person(i).name }) },
    { label: 'name: surname, page 100', as: 'province', make: (i) => page({ q: SURNAMES[i % SURNAMES.length] }, 100) },
    { label: 'pinyin initials', as: 'province', make: (i) => page({ q: INITIALS[i % INITIALS.length] }) },
    { label: 'exact 身份证号 (blind index)', as: 'province', make: (i) => page({ q: person(i).idNumber }) },
    {
      label: 'exact mobile (blind index)',
      as: 'province',
      make: (i) => page({ q: l.people.filter((p) => p.phone)[i % 50]!.phone! }),
    },
    { label: 'status 流动党员', as: 'province', make: () => page({ status: 'floating' }) },
    { label: 'city: page 1', as: 'chengdu', make: () => page({}) },
    { label: 'city: page 200', as: 'chengdu', make: (i) => page({}, 200 + i) },
    { label: 'city: county subtree', as: 'chengdu', make: () => page({ org: l.chengduCounty }) },
    { label: 'city: surname', as: 'chengdu', make: (i) => page({ q: SURNAMES[(i + 3) % SURNAMES.length] }) },
    { label: 'city: full name', as: 'chengdu', make: (i) => page({ q: person(i, chengduPeople).name }) },
    { label: 'city: pinyin initials', as: 'chengdu', make: (i) => page({ q: INITIALS[(i + 5) % INITIALS.length] }) },
    { label: 'city: exact 身份证号', as: 'chengdu', make: (i) => page({ q: person(i, chengduPeople).idNumber }) },
    {
      label: 'city: 身份证号 outside the city',
      as: 'chengdu',
      make: (i) =>
        page({
          q: person(
            i,
            l.people.filter((p) => !p.inChengdu),
          ).idNumber,
        }),
    },
    {
      label: 'city: 预备党员 aged 30–39',
      as: 'chengdu',
      make: () => page({ category: 'probationary', ageMin: 30, ageMax: 39 }),
    },
  ];
}

async function benchSearch(
  database: Database,
  cipher: FieldCipher,
  opts: Options,
  log: (s: string) => void,
): Promise<SearchFigures> {
  const l = await landmarks(database, cipher);
  const scopes: Record<Probe['as'], OrgScope> = {
    province: { all: false, roots: [l.root] },
    chengdu: { all: false, roots: [l.chengdu] },
  };
  const all: number[] = [];
  const figures: QueryFigure[] = [];
  for (const p of probes(l)) {
    const times: number[] = [];
    let total = 0;
    // one untimed run warms the cache for this shape, as a server that has been up a while would have it
    for (let i = -1; i < opts.reps; i++) {
      const { query, page, pageSize } = p.make(Math.max(0, i));
      const s = performance.now();
      const r = await listMembers(database.db, cipher, scopes[p.as], query, page, pageSize);
      const ms = performance.now() - s;
      if (i >= 0) times.push(ms);
      total = r.total;
    }
    all.push(...times);
    times.sort((a, b) => a - b);
    figures.push({ label: p.label, as: p.as, total, medianMs: percentile(times, 50), maxMs: times[times.length - 1]! });
    log(
      `${p.as.padEnd(8)} ${p.label.padEnd(32)} total ${int(total).padStart(9)}  median ${fmt(percentile(times, 50)).padStart(7)} ms  max ${fmt(times[times.length - 1]!).padStart(7)} ms`,
    );
  }
  all.sort((a, b) => a - b);
  const [{ n: members }] = await database.db
    .selectFrom('members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .execute();
  const [{ n: orgs }] = await database.db
    .selectFrom('orgs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .execute();
  return {
    members: Number(members),
    orgs: Number(orgs),
    samples: all.length,
    p50: percentile(all, 50),
    p95: percentile(all, 95),
    p99: percentile(all, 99),
    max: all[all.length - 1]!,
    queries: figures,
  };
}

// ---- main ----------------------------------------------------------------------------------------------------------

function table(results: Results, previous: Results | null) {
  const lines: string[][] = [['database', 'figure', 'value', 'baseline', 'ratio', 'goal', 'met']];
  for (const kind of ['sqlite', 'postgres'] as const) {
    const r = results[kind];
    if (!r) continue;
    if ('skipped' in r && r.skipped) {
      lines.push([kind, 'skipped', r.skipped, '', '', '', '']);
      continue;
    }
    const prev = previous?.[kind];
    if (r.import) {
      const i = r.import;
      lines.push([
        kind,
        `import ${int(i.rows)} rows`,
        `${fmt(i.totalSeconds, 2)} s`,
        `${fmt(i.bareInsertSeconds, 2)} s bare insert`,
        `${fmt(i.ratio, 2)}×`,
        '≤ 3×',
        i.ratio <= 3 ? 'yes' : 'NO',
      ]);
      lines.push([kind, 'import rows/s', int(i.rowsPerSecond), `${int(i.bareRowsPerSecond)} bare`, '', '', '']);
      const before = prev?.import;
      if (before) {
        lines.push([
          kind,
          'import vs before',
          `${fmt(i.totalSeconds, 2)} s`,
          `${fmt(before.totalSeconds, 2)} s before (${fmt(before.ratio, 2)}× bare)`,
          `${fmt(i.totalSeconds / before.totalSeconds, 2)}×`,
          '',
          '',
        ]);
      }
    }
    if (r.search) {
      const s = r.search;
      for (const p of ['p50', 'p95', 'p99'] as const) {
        const before = prev?.search?.[p];
        lines.push([
          kind,
          `search ${p} (${int(s.members)} members, ${s.samples} queries)`,
          `${fmt(s[p])} ms`,
          before !== undefined ? `${fmt(before)} ms before` : '100 ms goal',
          before !== undefined ? `${fmt(s[p] / before, 2)}×` : `${fmt(s[p] / 100, 2)}×`,
          p === 'p95' ? '< 100 ms' : '',
          p === 'p95' ? (s.p95 < 100 ? 'yes' : 'NO') : '',
        ]);
      }
    }
  }
  const widths = lines[0]!.map((_, c) => Math.max(...lines.map((l) => [...l[c]!].length)));
  for (const [i, l] of lines.entries()) {
    console.log(l.map((cell, c) => cell + ' '.repeat(widths[c]! - [...cell].length)).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

/** Runs the roster benchmark; `argv` as on the command line. Used alone and from bench/run.ts. */
export async function runMembersBench(argv: string[]): Promise<Results> {
  const opts = parseOptions(argv);
  const started = performance.now();
  const log = (kind: string) => (s: string) => console.log(`[${kind}] ${s}`);
  // A synthetic dataset: the field key is derived from the seed, so a kept database can be reused later.
  const fieldKey = sm3(`dangjian-bench-${opts.seed}`).slice(0, 32);
  const cpus = os.cpus();
  const results: Results = {
    date: new Date().toISOString(),
    machine: `${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${fmt(os.totalmem() / 1024 ** 3, 0)} GB RAM, ${os.type()} ${os.release()}, Node ${process.version}`,
    options: {
      members: opts.members,
      orgs: opts.orgs,
      importRows: opts.importRows,
      seed: opts.seed,
      reps: opts.reps,
      only: opts.only,
      skipImport: opts.skipImport,
      skipSearch: opts.skipSearch,
      keep: opts.keep,
      reuseSqlite: opts.reuseSqlite,
      reuseSchema: opts.reuseSchema,
    },
  };
  console.log(`bench ${RUN}: ${results.machine}`);
  console.log(`options: ${JSON.stringify(results.options)}`);

  const kinds: Kind[] = [];
  if (opts.only !== 'postgres') kinds.push('sqlite');
  if (opts.only !== 'sqlite') {
    const problem = await pgReachable(opts.pgUrl);
    if (problem) {
      console.log(
        `[postgres] SKIPPED: PostgreSQL at ${opts.pgUrl.replace(/\/\/[^@/]*@/, '//…@')} is unreachable (${problem})`,
      );
      results.postgres = { skipped: `unreachable: ${problem}` };
    } else kinds.push('postgres');
  }
  for (const k of kinds) results[k] = {};
  const dropLater: Target[] = [];

  if (!opts.skipImport) {
    let sheet: { members: PlainMember[]; buffer: Buffer } | null = null;
    for (const k of kinds) {
      const t = await target(k, 'import', fieldKey, opts, null);
      const r = await benchImport(t, opts, sheet, log(`${k} import`));
      sheet = r.sheet;
      results[k]!.import = r.figures;
      if (opts.keep) console.log(`[${k} import] kept: ${t.where}`);
      else await t.drop();
    }
  }

  if (!opts.skipSearch) {
    const targets: Target[] = [];
    for (const k of kinds)
      targets.push(await target(k, 'search', fieldKey, opts, k === 'sqlite' ? opts.reuseSqlite : opts.reuseSchema));
    const fresh = targets.filter((t) => !(t.kind === 'sqlite' ? opts.reuseSqlite : opts.reuseSchema));
    const opened = new Map<Target, Database>();
    for (const t of targets) {
      const { database, migrateSeconds } = await openMigrated(t);
      opened.set(t, database);
      if (migrateSeconds > 1) log(`${t.kind} search`)(`migrations took ${fmt(migrateSeconds)} s`);
      if (t.kind === 'postgres' && !fresh.includes(t)) {
        // a reused database may just have been migrated: what autovacuum would do within minutes
        const w = await t.writer();
        await w.exec('VACUUM ANALYZE');
        await w.close();
      }
    }
    if (fresh.length > 0) {
      // one generation, written to every fresh database
      const writers = await Promise.all(fresh.map((t) => t.writer()));
      const pool = rowPool(loadFieldCipher('', fieldKey), { dataDir: '', fieldKey });
      try {
        const r = await seedSynthetic(writers, pool, {
          members: opts.members,
          orgs: opts.orgs,
          seed: opts.seed,
          log: log(`seed ${fresh.map((t) => t.kind).join('+')}`),
        });
        for (const t of fresh) results[t.kind]!.seedSeconds = r.seconds;
      } finally {
        await pool.close();
        for (const w of writers) await w.close();
      }
    }
    for (const t of targets) {
      const database = opened.get(t)!;
      const cipher = loadFieldCipher(t.config.dataDir, t.config.fieldKey);
      results[t.kind]!.search = await benchSearch(database, cipher, opts, log(`${t.kind} search`));
      await database.close();
      const reused = t.kind === 'sqlite' ? opts.reuseSqlite : opts.reuseSchema;
      if (opts.keep || reused) {
        console.log(`[${t.kind} search] kept: ${t.where}`);
      } else dropLater.push(t);
    }
  }
  for (const t of dropLater) await t.drop();

  const previous = opts.compare ? (JSON.parse(fs.readFileSync(opts.compare, 'utf8')) as Results) : null;
  console.log('');
  table(results, previous);
  fs.mkdirSync(path.dirname(opts.out), { recursive: true });
  fs.writeFileSync(opts.out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwritten to ${opts.out}; ${fmt((performance.now() - started) / 1000 / 60)} min in all`);
  return results;
}

const invokedDirectly =
  process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (invokedDirectly) {
  runMembersBench(process.argv.slice(2)).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
