/**
 * npx tsx bench/compliance.ts [--orgs 250000] [--meetings 10000000] [--seed 1] [--reps 40] [--only sqlite|postgres]
 *                            [--attendance 0.02] [--keep] [--pg-url URL] [--out FILE]
 *
 * The compliance rollup at province scale (issue 4, Scale): a synthetic province of `--orgs` organisations (the deep
 * tree of scripts/synthetic/tree.ts: real city and county names, up to 7 levels), a roster, and `--meetings` meeting
 * records (meetings rows + meeting_types rows) over last year and this year up to today: per branch a monthly 主题党日
 * (with the quarter's 党员大会 and 党课 in its last month), a monthly 支部委员会 where there are ≥7 full members,
 * yearly 组织生活会 / 民主评议 / 谈心谈话, per 党小组 a monthly 党小组会, some skipped, plus extra sittings up to the
 * requested volume. Attendance is recorded for the meetings of a share (`--attendance`) of the branches only (a full
 * attendance list for 10M meetings would be ~80M rows): elsewhere meetings have no quorum, which changes the mix of
 * statuses, not the work of the rollup.
 * Bulk-inserted (indexes rebuilt after the load), then results and rollups are computed once by the engine's
 * set-based rebuild (recomputeAll). Measured, through the service functions GET /api/compliance calls:
 *   - summary (the rollup read): the whole province and one city (成都), a quarter and a year, p50/p95;
 *   - the first page of items (200, worst first) and of those behind (50) for the same, p50 (lists: not the part
 *     that must be fast);
 *   - the baseline: one sequential scan of the meeting table (SELECT COUNT(*), SUM(minutes_length) FROM meetings:
 *     every row read) and of meeting_types;
 *   - the incremental maintenance of one meeting write (onMeetingChanged for one branch), p50/p95.
 * Goal: summary p95 < 300 ms at any size. Figures are printed and written to bench/results/compliance.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type RawBuilder, sql } from 'kysely';
import pg from 'pg';
import {
  type BulkWriter,
  type Column,
  postgresWriter,
  sqliteWriter,
  withoutIndexes,
} from '../scripts/synthetic/bulk.js';
import type { Value } from '../scripts/synthetic/members.js';
import { loadTree } from '../scripts/synthetic/seed.js';
import { buildTree, prng, type SyntheticOrg } from '../scripts/synthetic/tree.js';
import { loadConfig } from '../src/server/config.js';
import { type Database, openDatabase } from '../src/server/db/connect.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import * as engine from '../src/server/modules/compliance/compliance.engine.js';
import * as service from '../src/server/modules/compliance/compliance.service.js';
import { addMonths, todayInShanghai } from '../src/shared/dates.js';
import { type MeetingType, periodOf } from '../src/shared/meetings.js';

interface Options {
  orgs: number;
  meetings: number;
  seed: number;
  reps: number;
  attendance: number;
  only: 'sqlite' | 'postgres' | null;
  keep: boolean;
  pgUrl: string;
  out: string;
}

const USAGE =
  'usage: npx tsx bench/compliance.ts [--orgs N] [--meetings N] [--seed S] [--reps K] [--attendance SHARE] [--only sqlite|postgres] [--keep] [--pg-url URL] [--out FILE]';

function parseOptions(argv: string[]): Options {
  const o: Options = {
    orgs: 250_000,
    meetings: 10_000_000,
    seed: 1,
    reps: 40,
    attendance: 0.02,
    only: null,
    keep: false,
    pgUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bench',
    out: 'bench/results/compliance.json',
  };
  const num = (v: string | undefined, k: string) => {
    const n = Number(v?.replaceAll('_', ''));
    if (!Number.isFinite(n) || n < 0) throw new Error(`${k} needs a number\n${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--orgs') o.orgs = num(argv[++i], k);
    else if (k === '--meetings') o.meetings = num(argv[++i], k);
    else if (k === '--seed') o.seed = num(argv[++i], k);
    else if (k === '--reps') o.reps = Math.max(5, num(argv[++i], k));
    else if (k === '--attendance') o.attendance = num(argv[++i], k);
    else if (k === '--only') {
      const v = argv[++i];
      if (v !== 'sqlite' && v !== 'postgres') throw new Error(USAGE);
      o.only = v;
    } else if (k === '--keep') o.keep = true;
    else if (k === '--pg-url') o.pgUrl = argv[++i] ?? o.pgUrl;
    else if (k === '--out') o.out = argv[++i] ?? o.out;
    else if (k === '--help' || k === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${k}\n${USAGE}`);
  }
  return o;
}

const fmt = (x: number, d = 1) => x.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d });
const count = (n: number) => n.toLocaleString('en');
const log = (prefix: string) => (line: string) => console.log(`[${prefix}] ${line}`);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await fn();
  return [r, performance.now() - t0];
}

// ---- the synthetic records --------------------------------------------------------------------------------------

const MEETING_COLUMNS: readonly Column[] = [
  ['id', 'int'],
  ['org_id', 'int'],
  ['title', 'text'],
  ['status', 'text'],
  ['starts_at', 'text'],
  ['ends_at', 'text'],
  ['local_date', 'text'],
  ['minutes_length', 'int'],
  ['version', 'int'],
  ['created_at', 'text'],
  ['created_by', 'text'],
  ['updated_at', 'text'],
];
const TYPE_COLUMNS: readonly Column[] = [
  ['meeting_id', 'int'],
  ['type', 'text'],
  ['org_id', 'int'],
  ['local_date', 'text'],
];
const MEMBER_COLUMNS: readonly Column[] = [
  ['id', 'int'],
  ['org_id', 'int'],
  ['name', 'text'],
  ['status', 'text'],
  ['category', 'text'],
  ['created_at', 'text'],
  ['updated_at', 'text'],
];
const ATTENDEE_COLUMNS: readonly Column[] = [
  ['meeting_id', 'int'],
  ['member_id', 'int'],
  ['status', 'text'],
];

interface Loaded {
  orgs: number;
  members: number;
  meetings: number;
  meetingTypes: number;
  attendees: number;
  seconds: number;
  city: SyntheticOrg;
  root: SyntheticOrg;
  sampleBranch: number;
}

const TITLES: Record<MeetingType, string> = {
  party_congress: '支部党员大会',
  committee: '支部委员会',
  group: '党小组会',
  lecture: '党课',
  theme_day: '主题党日',
  life_meeting: '组织生活会',
  review: '民主评议党员',
  talk: '谈心谈话',
};

/** Loads tree, roster, meetings, types and a share of attendance through one bulk writer. */
async function load(w: BulkWriter, opts: Options, today: string, say: (s: string) => void): Promise<Loaded> {
  const started = performance.now();
  const now = new Date().toISOString();
  const tree = buildTree(opts.orgs, opts.seed, today);
  const closure = await loadTree(w, tree, now);
  say(`orgs: ${count(tree.orgs.length)} (closure ${count(closure)}), ${fmt((performance.now() - started) / 1000)} s`);

  const rand = prng(opts.seed ^ 0xc0ffee);
  const between = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  // roster: members sit on branches
  const roster = new Map<number, { id: number; full: boolean }[]>();
  const memberRows: Value[][] = [];
  let memberId = 0;
  for (const b of tree.branches) {
    const n = between(3, 16);
    const list: { id: number; full: boolean }[] = [];
    for (let i = 0; i < n; i++) {
      const full = rand() < 0.92;
      list.push({ id: ++memberId, full });
      memberRows.push([memberId, b.id, `党员${memberId}`, 'normal', full ? 'full' : 'probationary', now, now]);
    }
    roster.set(b.id, list);
  }
  await withoutIndexes(w, 'members', async () => {
    await w.begin();
    for (let i = 0; i < memberRows.length; i += 10_000) {
      await w.insert('members', MEMBER_COLUMNS, memberRows.slice(i, i + 10_000));
    }
    await w.commit();
  });
  say(`members: ${count(memberRows.length)}, ${fmt((performance.now() - started) / 1000)} s`);

  // the schedule: months from January last year to today's month
  const year = Number(today.slice(0, 4));
  const months: string[] = [];
  for (let m = `${year - 1}-01`; m <= today.slice(0, 7); m = addMonths(`${m}-01`, 1).slice(0, 7)) months.push(m);
  const committeeBranch = new Set(
    tree.branches.filter((b) => (roster.get(b.id) ?? []).filter((x) => x.full).length >= 7).map((b) => b.id),
  );
  const groups = tree.orgs.filter((o) => o.kind === 'group');
  // Expected records (a meeting row + its type rows) of the regular sittings; thinned out (`keep`) or topped up with
  // extra sittings (`extraRate` per org-month) to reach the requested volume.
  let perBranch = 0;
  for (const month of months) {
    const m = Number(month.slice(5));
    perBranch += 0.9 * (m % 3 === 0 ? 4 : 2) + (m === 12 ? 0.9 * 3 : 0) + (m === 11 ? 0.8 * 2 : 0);
  }
  const expected = tree.branches.length * perBranch + (committeeBranch.size + groups.length) * months.length * 0.85 * 2;
  const keep = Math.min(1, opts.meetings / expected);
  const orgMonths = (tree.branches.length + groups.length) * months.length;
  const extraRate = Math.max(0, (opts.meetings - expected) / 2 / orgMonths);
  const attendanceBranches = new Set(tree.branches.filter(() => rand() < opts.attendance).map((b) => b.id));

  let meetingId = 0;
  let typeRows = 0;
  let attendeeRows = 0;
  const meetings: Value[][] = [];
  const types: Value[][] = [];
  const attendees: Value[][] = [];
  const flush = async (force: boolean) => {
    if (!force && meetings.length < 50_000) return;
    await w.begin();
    for (let i = 0; i < meetings.length; i += 10_000)
      await w.insert('meetings', MEETING_COLUMNS, meetings.slice(i, i + 10_000));
    for (let i = 0; i < types.length; i += 10_000)
      await w.insert('meeting_types', TYPE_COLUMNS, types.slice(i, i + 10_000));
    for (let i = 0; i < attendees.length; i += 10_000) {
      await w.insert('meeting_attendees', ATTENDEE_COLUMNS, attendees.slice(i, i + 10_000));
    }
    await w.commit();
    meetings.length = 0;
    types.length = 0;
    attendees.length = 0;
  };
  let lastLog = performance.now();
  const add = async (org: SyntheticOrg, month: string, kinds: MeetingType[], branchId: number) => {
    let day = `${month}-${String(between(1, 28)).padStart(2, '0')}`;
    if (day > today) day = today;
    const hour = String(between(8, 17)).padStart(2, '0');
    const id = ++meetingId;
    const startsAt = `${day}T${hour}:00:00+08:00`;
    const submitted = day < today && rand() < 0.97;
    meetings.push([
      id,
      org.id,
      `${kinds.map((k) => TITLES[k]).join('暨')}（${month}）`,
      submitted ? 'submitted' : 'draft',
      new Date(startsAt).toISOString(),
      new Date(new Date(startsAt).getTime() + 7_200_000).toISOString(),
      day,
      between(80, 1600),
      1,
      now,
      'bench',
      now,
    ]);
    for (const k of kinds) types.push([id, k, org.id, day]);
    typeRows += kinds.length;
    if (attendanceBranches.has(branchId)) {
      for (const m of roster.get(branchId) ?? []) {
        attendees.push([id, m.id, rand() < 0.72 ? 'present' : rand() < 0.5 ? 'leave' : 'absent']);
        attendeeRows++;
      }
    }
    await flush(false);
    if (performance.now() - lastLog > 5000) {
      say(`meetings: ${count(meetingId)}, records ${count(meetingId + typeRows)} / ${count(opts.meetings)}`);
      lastLog = performance.now();
    }
  };
  const loadMeetings = async () => {
    for (const b of tree.branches) {
      for (const month of months) {
        const m = Number(month.slice(5));
        const quarterEnd = m % 3 === 0;
        if (rand() < 0.9 * keep) {
          const kinds: MeetingType[] = ['theme_day'];
          if (quarterEnd) kinds.push('party_congress', 'lecture');
          await add(b, month, kinds, b.id);
        }
        if (committeeBranch.has(b.id) && rand() < 0.85 * keep) await add(b, month, ['committee'], b.id);
        if (m === 12 && rand() < 0.9 * keep) await add(b, month, ['life_meeting', 'review'], b.id);
        if (m === 11 && rand() < 0.8 * keep) await add(b, month, ['talk'], b.id);
        for (let k = extraRate; k > 0; k--) {
          if (k >= 1 || rand() < k) await add(b, month, [rand() < 0.5 ? 'lecture' : 'theme_day'], b.id);
        }
      }
    }
    for (const g of groups) {
      for (const month of months) {
        if (rand() < 0.85 * keep) await add(g, month, ['group'], g.parentId!);
        for (let k = extraRate; k > 0; k--) if (k >= 1 || rand() < k) await add(g, month, ['group'], g.parentId!);
      }
    }
    // the draws above land near the requested volume; top up with extra 党课 so that it is reached exactly
    while (meetingId + typeRows < opts.meetings && tree.branches.length > 0) {
      const b = tree.branches[Math.floor(rand() * tree.branches.length)]!;
      await add(b, months[Math.floor(rand() * months.length)]!, ['lecture'], b.id);
    }
    await flush(true);
  };
  if (w.dialect === 'postgres') {
    // The generated rows are consistent by construction: skip the per-row foreign-key triggers while loading
    // (needs a superuser, as on the test machine; otherwise the load is just slower).
    await w
      .exec('SET session_replication_role = replica')
      .catch(() => say('foreign keys stay checked (not superuser)'));
  }
  await withoutIndexes(w, 'meeting_attendees', () =>
    withoutIndexes(w, 'meeting_types', () => withoutIndexes(w, 'meetings', loadMeetings)),
  );
  if (w.dialect === 'postgres') {
    await w.exec('SET session_replication_role = DEFAULT').catch(() => {});
    for (const t of ['meetings', 'members']) {
      await w.exec(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), GREATEST((SELECT MAX(id) FROM ${t}), 1))`);
    }
    await w.exec('VACUUM ANALYZE orgs, org_closure, members, meetings, meeting_types, meeting_attendees');
  }
  const seconds = (performance.now() - started) / 1000;
  say(
    `meetings: ${count(meetingId)} + types ${count(typeRows)} = ${count(meetingId + typeRows)} records, attendance ${count(attendeeRows)} rows, loaded in ${fmt(seconds)} s`,
  );
  const city = tree.cities.get('5101') ?? [...tree.cities.values()][0] ?? tree.root;
  return {
    orgs: tree.orgs.length,
    members: memberRows.length,
    meetings: meetingId,
    meetingTypes: typeRows,
    attendees: attendeeRows,
    seconds,
    city,
    root: tree.root,
    sampleBranch: [...committeeBranch][0] ?? tree.branches[0]!.id,
  };
}

// ---- measuring -----------------------------------------------------------------------------------------------------

interface Case {
  name: string;
  orgId: number;
  period: string;
}

export interface Figures {
  loaded: Omit<Loaded, 'city' | 'root'> & { cityName: string };
  rebuildSeconds: number;
  resultRows: number;
  rollupRows: number;
  scanMeetingsMs: number;
  scanTypesMs: number;
  summary: Record<string, { p50: number; p95: number; ratioToScan: number; orgs: number }>;
  firstPage: Record<string, { p50: number }>;
  behindPage: Record<string, { p50: number; total: number }>;
  meetingWrite: { p50: number; p95: number };
}

async function measure(database: Database, loaded: Loaded, opts: Options, today: string, say: (s: string) => void) {
  const db = database.db;
  const [, rebuildMs] = await timed(() => engine.recomputeAll(db, { today }));
  say(`results and rollups rebuilt from scratch in ${fmt(rebuildMs / 1000)} s`);
  if (database.dialect === 'postgres') await sql`ANALYZE`.execute(db);
  const rows = async (table: 'compliance_results' | 'compliance_rollups') =>
    Number((await sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql.table(table)}`.execute(db)).rows[0]?.n ?? 0);
  const resultRows = await rows('compliance_results');
  const rollupRows = await rows('compliance_rollups');
  say(`${count(resultRows)} result rows, ${count(rollupRows)} rollup rows`);

  // A full read of every row (SQLite answers a bare COUNT(*) from the b-tree's page counts without reading rows).
  const scan = async (query: RawBuilder<unknown>) => {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) times.push((await timed(() => query.execute(db)))[1]);
    return times.sort((a, b) => a - b)[1]!;
  };
  const scanMeetingsMs = await scan(sql`SELECT COUNT(*), SUM(minutes_length) FROM meetings`);
  const scanTypesMs = await scan(sql`SELECT COUNT(*), SUM(LENGTH(type)) FROM meeting_types`);
  say(`one sequential scan: meetings ${fmt(scanMeetingsMs)} ms, meeting_types ${fmt(scanTypesMs)} ms`);

  const year = Number(today.slice(0, 4));
  const quarter = periodOf(addMonths(today, -3), 'quarter');
  const cases: Case[] = [
    { name: 'province, quarter', orgId: loaded.root.id, period: quarter },
    { name: 'province, year', orgId: loaded.root.id, period: String(year) },
    { name: `city (${loaded.city.name}), quarter`, orgId: loaded.city.id, period: quarter },
    { name: `city (${loaded.city.name}), year`, orgId: loaded.city.id, period: String(year) },
  ];
  const summary: Figures['summary'] = {};
  const firstPage: Figures['firstPage'] = {};
  const behindPage: Figures['behindPage'] = {};
  for (const c of cases) {
    for (let i = 0; i < 3; i++) await service.summary(db, { orgId: c.orgId, period: c.period, today });
    const times: number[] = [];
    let orgs = 0;
    for (let i = 0; i < opts.reps; i++) {
      const [r, ms] = await timed(() => service.summary(db, { orgId: c.orgId, period: c.period, today }));
      orgs = r.summary.orgs;
      times.push(ms);
    }
    times.sort((a, b) => a - b);
    const p95 = percentile(times, 95);
    summary[c.name] = { p50: percentile(times, 50), p95, ratioToScan: p95 / scanMeetingsMs, orgs };
    const pages: number[] = [];
    for (let i = 0; i < 3; i++) {
      pages.push(
        (await timed(() => service.overview(db, { orgId: c.orgId, period: c.period, today, pageSize: 200 })))[1],
      );
    }
    firstPage[c.name] = { p50: pages.sort((a, b) => a - b)[1]! };
    const behind: number[] = [];
    let total = 0;
    for (let i = 0; i < 3; i++) {
      const [r, ms] = await timed(() => service.behind(db, { orgId: c.orgId, period: c.period, today, pageSize: 50 }));
      total = r.total;
      behind.push(ms);
    }
    behindPage[c.name] = { p50: behind.sort((a, b) => a - b)[1]!, total };
    say(
      `${c.name} ${c.period}: ${count(orgs)} orgs; summary p50 ${fmt(summary[c.name]!.p50)} ms, p95 ${fmt(p95)} ms; first items page ${fmt(firstPage[c.name]!.p50)} ms; behind list (${count(behindPage[c.name]!.total)}) ${fmt(behindPage[c.name]!.p50)} ms`,
    );
  }

  // the maintenance of one meeting write: one branch's rows of this year, and the counters above it
  const writes: number[] = [];
  for (let i = 0; i < Math.min(opts.reps, 20); i++) {
    writes.push(
      (
        await timed(() =>
          db
            .transaction()
            .execute((trx) =>
              engine.meetingChanged(trx, { orgId: loaded.sampleBranch, types: ['theme_day'], localDates: [today] }),
            ),
        )
      )[1],
    );
  }
  writes.sort((a, b) => a - b);
  const meetingWrite = { p50: percentile(writes, 50), p95: percentile(writes, 95) };
  say(`one meeting write's maintenance: p50 ${fmt(meetingWrite.p50)} ms, p95 ${fmt(meetingWrite.p95)} ms`);
  const { city, root: _root, ...rest } = loaded;
  return {
    loaded: { ...rest, cityName: city.name },
    rebuildSeconds: rebuildMs / 1000,
    resultRows,
    rollupRows,
    scanMeetingsMs,
    scanTypesMs,
    summary,
    firstPage,
    behindPage,
    meetingWrite,
  } satisfies Figures;
}

// ---- targets -----------------------------------------------------------------------------------------------------

async function runOn(kind: 'sqlite' | 'postgres', opts: Options, today: string): Promise<Figures> {
  const say = log(`compliance ${kind}`);
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  let database: Database;
  let writer: BulkWriter;
  let drop: () => Promise<void>;
  let where: string;
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-compliance-'));
    const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', DEMO: 'off' });
    database = openDatabase(config);
    await migrateToLatest(database.db);
    writer = sqliteWriter(database.file!);
    where = database.file!;
    drop = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    const schema = `bench_compliance_${stamp}`;
    const admin = new pg.Client({ connectionString: opts.pgUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const config = loadConfig({
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-compliance-pg-')),
      DATABASE_URL: opts.pgUrl,
      DATABASE_SCHEMA: schema,
      LOG_LEVEL: 'silent',
      DEMO: 'off',
    });
    database = openDatabase(config);
    await migrateToLatest(database.db, schema);
    writer = await postgresWriter(opts.pgUrl, schema);
    where = `schema ${schema}`;
    drop = async () => {
      const c = new pg.Client({ connectionString: opts.pgUrl });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    };
  }
  try {
    const loaded = await load(writer, opts, today, say);
    await writer.close();
    return await measure(database, loaded, opts, today, say);
  } finally {
    await database.close();
    if (opts.keep) console.log(`[compliance ${kind}] kept: ${where}`);
    else await drop();
  }
}

async function pgReachable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

/** Runs the compliance benchmark; `argv` as on the command line. Used alone and from bench/run.ts. */
export async function runComplianceBench(argv: string[]): Promise<Record<string, Figures>> {
  const opts = parseOptions(argv);
  const today = todayInShanghai();
  const started = performance.now();
  const out: Record<string, Figures> = {};
  for (const kind of ['sqlite', 'postgres'] as const) {
    if (opts.only && opts.only !== kind) continue;
    if (kind === 'postgres' && !(await pgReachable(opts.pgUrl))) {
      console.log(`[compliance postgres] skipped: ${opts.pgUrl} not reachable`);
      continue;
    }
    out[kind] = await runOn(kind, opts, today);
  }
  console.log('\nCompliance rollup (summary through service.summary, the path of GET /api/compliance):');
  console.log('database  case                              orgs      p50 ms   p95 ms   p95/scan   first page ms');
  for (const [kind, f] of Object.entries(out)) {
    for (const [name, s] of Object.entries(f.summary)) {
      console.log(
        `${kind.padEnd(9)} ${name.padEnd(32)} ${count(s.orgs).padStart(8)} ${fmt(s.p50).padStart(8)} ${fmt(s.p95).padStart(8)} ${fmt(s.ratioToScan, 4).padStart(10)} ${fmt(f.firstPage[name]!.p50).padStart(14)}`,
      );
    }
    console.log(
      `${kind.padEnd(9)} scan of meetings ${fmt(f.scanMeetingsMs)} ms (${count(f.loaded.meetings)} rows), meeting_types ${fmt(f.scanTypesMs)} ms (${count(f.loaded.meetingTypes)}); rebuild ${fmt(f.rebuildSeconds)} s; load ${fmt(f.loaded.seconds)} s; one meeting write ${fmt(f.meetingWrite.p50)} / ${fmt(f.meetingWrite.p95)} ms`,
    );
  }
  fs.mkdirSync(path.dirname(opts.out), { recursive: true });
  fs.writeFileSync(opts.out, `${JSON.stringify({ today, options: opts, results: out }, null, 2)}\n`);
  console.log(`\nwritten to ${opts.out}; ${fmt((performance.now() - started) / 60_000)} min in all`);
  return out;
}

const invokedDirectly =
  process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (invokedDirectly) {
  runComplianceBench(process.argv.slice(2)).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
