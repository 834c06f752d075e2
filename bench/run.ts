/**
 * npm run bench [-- --suite members|compliance|learning] [--quick] [--only sqlite|postgres] [-- suite options]
 *
 * Every scale benchmark of the project, on SQLite and PostgreSQL (database `bench` at BENCH_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/bench; never the test database), each printing its own figures and ratios,
 * then one summary table: figure, goal, met, per database.
 *   members     issue 3: a 100,000-row roster import vs a bare insert (≤ 3×); roster search over 1,000,000 members (p95 < 100 ms)
 *   compliance  issue 4: rollups of a synthetic province (250,000 orgs, 10,000,000 meeting records) for the province and a
 *               city, a quarter and a year (p95 < 300 ms), with the ratio to one sequential scan of the meeting table
 *   learning    issue 5: 2,000 members' progress heartbeats every 30 s while 500 open the library (p99 < 100 ms, no
 *               errors), heartbeat throughput vs a trivial route (≥ 0.4)
 * --quick runs small sizes as a smoke check: members 50,000 / import 5,000 rows; compliance 20,000 orgs / 400,000
 * records; learning 200 members / 50 library readers / 10 s. Options after a lone `--` go to every suite run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SUITES = ['members', 'compliance', 'learning'] as const;
type Suite = (typeof SUITES)[number];

const QUICK: Record<Suite, string[]> = {
  members: [
    '--members',
    '50000',
    '--orgs',
    '5000',
    '--import-rows',
    '5000',
    '--reps',
    '2',
    '--out',
    'bench/results/quick-members.json',
  ],
  compliance: [
    '--orgs',
    '20000',
    '--meetings',
    '400000',
    '--reps',
    '10',
    '--out',
    'bench/results/quick-compliance.json',
  ],
  learning: ['--members', '200', '--library', '50', '--seconds', '10', '--out', 'bench/results/quick-learning.json'],
};

interface Row {
  suite: Suite;
  database: string;
  figure: string;
  value: string;
  goal: string;
  met: boolean | null;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const fmt = (n: number, d = 1) => n.toLocaleString('en', { minimumFractionDigits: d, maximumFractionDigits: d });

function parse(argv: string[]) {
  const split = argv.indexOf('--');
  const own = split >= 0 ? argv.slice(0, split) : argv;
  const passthrough = split >= 0 ? argv.slice(split + 1) : [];
  let suites: Suite[] = [...SUITES];
  let quick = false;
  const shared: string[] = [];
  for (let i = 0; i < own.length; i++) {
    const a = own[i]!;
    if (a === '--suite') {
      const v = own[++i] as Suite;
      if (!SUITES.includes(v)) throw new Error(`--suite ${SUITES.join('|')}`);
      suites = [v];
    } else if (a === '--quick') quick = true;
    else if (a === '--only') shared.push(a, own[++i] ?? '');
    else if (a === '--help' || a === '-h') {
      console.log(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0]);
      process.exit(0);
    } else passthrough.push(a); // a suite's own option, when only one suite runs
  }
  return { suites, quick, shared, passthrough };
}

async function runSuite(suite: Suite, args: string[]): Promise<Row[]> {
  const rows: Row[] = [];
  if (suite === 'members') {
    const { runMembersBench } = await import('./members.js');
    const r = await runMembersBench(args);
    for (const db of ['sqlite', 'postgres'] as const) {
      const x = r[db];
      if (!x) continue;
      if (x.import) {
        rows.push({
          suite,
          database: db,
          figure: `import ${x.import.rows.toLocaleString('en')} rows vs bare insert`,
          value: `${fmt(x.import.ratio, 2)}×`,
          goal: '≤ 3×',
          met: x.import.ratio <= 3,
        });
      }
      if (x.search) {
        rows.push({
          suite,
          database: db,
          figure: `search p95 (${x.search.members.toLocaleString('en')} members)`,
          value: `${fmt(x.search.p95)} ms`,
          goal: '< 100 ms',
          met: x.search.p95 < 100,
        });
      }
    }
  } else if (suite === 'compliance') {
    const { runComplianceBench } = await import('./compliance.js');
    const r = await runComplianceBench(args);
    for (const [db, f] of Object.entries(r)) {
      const worst = Math.max(...Object.values(f.summary).map((s) => s.p95));
      const records = f.loaded.meetings + f.loaded.meetingTypes;
      rows.push({
        suite,
        database: db,
        figure: `rollup p95, worst of province/city × quarter/year (${f.loaded.orgs.toLocaleString('en')} orgs, ${records.toLocaleString('en')} records)`,
        value: `${fmt(worst)} ms (${fmt(worst / f.scanMeetingsMs, 4)}× one scan)`,
        goal: '< 300 ms',
        met: worst < 300,
      });
    }
  } else {
    const file = path.join(here, 'learning.ts');
    if (!fs.existsSync(file)) {
      console.log('[learning] bench/learning.ts not present: skipped');
      return rows;
    }
    const mod = (await import(pathToFileURL(file).href)) as {
      runLearningBench(
        argv: string[],
      ): Promise<
        Record<
          string,
          { heartbeat: { p99: number; errors: number }; library: { p99: number; errors: number }; ratio: number }
        >
      >;
    };
    const r = await mod.runLearningBench(args);
    for (const [db, f] of Object.entries(r)) {
      rows.push({
        suite,
        database: db,
        figure: 'heartbeat p99 under the 30 s schedule',
        value: `${fmt(f.heartbeat.p99)} ms`,
        goal: '< 100 ms',
        met: f.heartbeat.p99 < 100,
      });
      rows.push({
        suite,
        database: db,
        figure: 'library p99',
        value: `${fmt(f.library.p99)} ms`,
        goal: '< 100 ms',
        met: f.library.p99 < 100,
      });
      rows.push({
        suite,
        database: db,
        figure: 'errors',
        value: String(f.heartbeat.errors + f.library.errors),
        goal: '0',
        met: f.heartbeat.errors + f.library.errors === 0,
      });
      rows.push({
        suite,
        database: db,
        figure: 'heartbeat throughput / trivial route',
        value: fmt(f.ratio, 2),
        goal: '≥ 0.4',
        met: f.ratio >= 0.4,
      });
    }
  }
  return rows;
}

async function main() {
  const { suites, quick, shared, passthrough } = parse(process.argv.slice(2));
  const rows: Row[] = [];
  for (const s of suites) {
    console.log(`\n===== ${s} =====`);
    rows.push(...(await runSuite(s, [...(quick ? QUICK[s] : []), ...shared, ...passthrough])));
  }
  console.log('\n===== summary =====');
  const head = ['suite', 'database', 'figure', 'value', 'goal', 'met'];
  const cells = [
    head,
    ...rows.map((r) => [r.suite, r.database, r.figure, r.value, r.goal, r.met === null ? '' : r.met ? 'yes' : 'NO']),
  ];
  const widths = head.map((_, c) => Math.max(...cells.map((l) => [...l[c]!].length)));
  for (const [i, l] of cells.entries()) {
    console.log(l.map((cell, c) => cell + ' '.repeat(widths[c]! - [...cell].length)).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
