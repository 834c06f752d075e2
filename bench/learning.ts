/**
 * npx tsx bench/learning.ts [--only sqlite|postgres] [--members 2000] [--library 500] [--seconds 60] [--interval 30]
 *                          [--concurrency 32] [--max-seconds 10] [--pg-url URL] [--out FILE]
 *
 * The learning benchmark of issue 5 (Scale): the real app over HTTP (buildApp, the real request gate with sessions in
 * the database) on SQLite and on PostgreSQL (a schema of its own in database `bench`), the base demo tree, and
 * `--members` members with accounts and sessions in 成都's and the province's branches, studying a published video.
 *   1. schedule: every member sends a progress heartbeat every `--interval` s (2,000 / 30 s ≈ 67 requests/s, spread
 *      evenly) for `--seconds`, while `--library` members open the library once each: p50/p99 and errors per route;
 *   2. throughput: `--concurrency` connections send heartbeats back to back for `--max-seconds`; then the same client
 *      against a bare Fastify app with one trivial route (GET /ping → {ok:true}) in the same process: the ratio of the
 *      two throughputs.
 * The client runs in a worker thread (bench/load-client.mjs: node:http with keep-alive), so it does not share the
 * server's event loop. Goal: p99 < 100 ms, no errors, ratio ≥ 0.4. Figures printed and written to
 * bench/results/learning.json.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import Fastify from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { hashPassword, sm3 } from '../src/server/crypto/sm.js';
import { seedDemo } from '../src/server/demo/demo.js';

interface Options {
  only: 'sqlite' | 'postgres' | null;
  members: number;
  library: number;
  seconds: number;
  interval: number;
  concurrency: number;
  maxSeconds: number;
  pgUrl: string;
  out: string;
}

export interface LearningFigures {
  members: number;
  heartbeat: { count: number; p50: number; p99: number; errors: number; perSecond: number };
  library: { count: number; p50: number; p99: number; errors: number };
  throughput: { heartbeatPerSecond: number; heartbeatP99: number; trivialPerSecond: number; errors: number };
  ratio: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const MEDIA = path.resolve(here, '../src/server/demo/learning-media/lesson-20th-congress.mp4');

function parseOptions(argv: string[]): Options {
  const o: Options = {
    only: null,
    members: 2000,
    library: 500,
    seconds: 60,
    interval: 30,
    concurrency: 32,
    maxSeconds: 10,
    pgUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bench',
    out: 'bench/results/learning.json',
  };
  const num = (v: string | undefined, k: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${k} needs a positive number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--only') {
      const v = argv[++i];
      if (v !== 'sqlite' && v !== 'postgres') throw new Error('--only sqlite|postgres');
      o.only = v;
    } else if (k === '--members') o.members = num(argv[++i], k);
    else if (k === '--library') o.library = num(argv[++i], k);
    else if (k === '--seconds') o.seconds = num(argv[++i], k);
    else if (k === '--interval') o.interval = num(argv[++i], k);
    else if (k === '--concurrency') o.concurrency = num(argv[++i], k);
    else if (k === '--max-seconds') o.maxSeconds = num(argv[++i], k);
    else if (k === '--pg-url') o.pgUrl = argv[++i] ?? o.pgUrl;
    else if (k === '--out') o.out = argv[++i] ?? o.out;
    else throw new Error(`unknown option ${k}`);
  }
  return o;
}

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const fmt = (n: number, d = 1) => n.toLocaleString('en', { minimumFractionDigits: d, maximumFractionDigits: d });
const errorsOf = (status: Record<string, number>) =>
  Object.entries(status).reduce((n, [code, c]) => (Number(code) >= 200 && Number(code) < 300 ? n : n + c), 0);

interface Client {
  cookie: string;
  csrf: string;
  contentId: number;
  duration: number;
}

function runClient<T>(data: Record<string, unknown>): Promise<T> {
  return new Promise((resolve, reject) => {
    const w = new Worker(path.join(here, 'load-client.mjs'), { workerData: data });
    w.once('message', (m) => {
      resolve(m as T);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

function multipart(fields: Record<string, string>, file: Buffer, name: string) {
  const boundary = `----djbench${crypto.randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function runOn(kind: 'sqlite' | 'postgres', o: Options): Promise<LearningFigures> {
  const say = (s: string) => console.log(`[learning ${kind}] ${s}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-bench-learning-'));
  const schema = `bench_learning_${Date.now()}`;
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    PASSWORD_ITERATIONS: '1000',
    LOGIN_RATE_LIMIT: '1000000',
    DEMO: 'off',
    PORT: '0',
  };
  if (kind === 'postgres') {
    const c = new pg.Client({ connectionString: o.pgUrl });
    await c.connect();
    await c.query(`CREATE SCHEMA ${schema}`);
    await c.end();
    env.DATABASE_URL = o.pgUrl;
    env.DATABASE_SCHEMA = schema;
  }
  const { app, ctx } = await buildApp(loadConfig(env));
  try {
    await seedDemo(ctx.db, { passwordIterations: 1000, cipher: ctx.cipher });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    if (!addr || typeof addr === 'string') throw new Error('no address');
    const baseUrl = `http://127.0.0.1:${addr.port}`;

    // ---- content: a published video, as the provincial 党务管理员 publishes it ----------------------------------
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'province', password: 'Dangjian@2026' },
    });
    const admin = {
      cookie: `dj_sid=${login.cookies.find((c) => c.name === 'dj_sid')!.value}`,
      csrf: (login.json() as { csrfToken: string }).csrfToken,
    };
    const root = await ctx.db.selectFrom('orgs').select('id').where('parent_id', 'is', null).executeTakeFirstOrThrow();
    const duration = 53;
    const mp = multipart(
      { kind: 'micro_lesson', title: '微党课：党的二十大精神要点', orgId: String(root.id), duration: String(duration) },
      fs.readFileSync(MEDIA),
      'lesson.mp4',
    );
    const headers = { cookie: admin.cookie, 'x-csrf-token': admin.csrf };
    const created = await app.inject({
      method: 'POST',
      url: '/api/learning/content',
      headers: { ...headers, 'content-type': mp.contentType },
      payload: mp.body,
    });
    if (created.statusCode !== 201) throw new Error(`create content: ${created.statusCode} ${created.body}`);
    const contentId = (created.json() as { id: number }).id;
    for (const step of ['submit', 'publish']) {
      const r = await app.inject({ method: 'POST', url: `/api/learning/content/${contentId}/${step}`, headers });
      if (r.statusCode !== 200) throw new Error(`${step}: ${r.statusCode} ${r.body}`);
    }
    // more items for the library page
    for (let i = 1; i <= 30; i++) {
      const a = await app.inject({
        method: 'POST',
        url: '/api/learning/content',
        headers,
        payload: {
          kind: 'article',
          title: `学习资料第${i}篇：党的二十大报告学习辅导`,
          summary: '学习辅导材料',
          orgId: root.id,
          body: `<p>${'深入学习贯彻党的二十大精神，'.repeat(40)}</p>`,
        },
      });
      const id = (a.json() as { id: number }).id;
      for (const step of ['submit', 'publish']) {
        await app.inject({ method: 'POST', url: `/api/learning/content/${id}/${step}`, headers });
      }
    }

    // ---- members with accounts and live sessions (bulk, as an import and logins would leave them) ---------------
    const branches = (await ctx.db.selectFrom('orgs').select('id').where('kind', '=', 'branch').execute()).map(
      (b) => b.id,
    );
    const hash = hashPassword('Bench#2026pw', 1000);
    const now = new Date();
    const iso = now.toISOString();
    const expires = new Date(now.getTime() + 12 * 3600_000).toISOString();
    const clients: Client[] = [];
    const t0 = performance.now();
    for (let start = 0; start < o.members; start += 250) {
      const n = Math.min(250, o.members - start);
      await ctx.db.transaction().execute(async (trx) => {
        const users = await trx
          .insertInto('users')
          .values(
            Array.from({ length: n }, (_, k) => ({
              username: `bench${start + k}`,
              display_name: `压测党员${start + k}`,
              password_hash: hash,
              password_changed_at: iso,
              must_change_password: 0,
              failed_count: 0,
              locked_until: null,
              disabled: 0,
              totp_secret: null,
              totp_enabled: 0,
              totp_last_step: 0,
              totp_exempt: 1,
              demo: 1,
              last_login_at: iso,
              created_at: iso,
              updated_at: iso,
            })),
          )
          .returning('id')
          .execute();
        const orgOf = (k: number) => branches[(start + k) % branches.length]!;
        await trx
          .insertInto('members')
          .values(
            users.map((u, k) => ({
              org_id: orgOf(k),
              name: `压测党员${start + k}`,
              gender: k % 2 ? '男' : '女',
              user_id: u.id,
              status: 'active',
              ethnicity: '汉族',
              birth_date: '1985-06-01',
              id_enc: null,
              id_index: null,
              id_masked: null,
              phone_enc: null,
              phone_index: null,
              phone_masked: null,
              education: null,
              unit: null,
              title: null,
              category: 'full',
              joined_at: '2010-07-01',
              full_at: '2011-07-01',
              name_initials: 'yc',
              left_at: null,
              created_at: iso,
              updated_at: iso,
            })),
          )
          .execute();
        await trx
          .insertInto('grants')
          .values(
            users.map((u, k) => ({
              user_id: u.id,
              role: 'member',
              org_id: orgOf(k),
              created_at: iso,
              created_by: 'bench',
            })),
          )
          .execute();
        const tokens = users.map(() => crypto.randomBytes(32).toString('base64url'));
        const csrfs = users.map(() => crypto.randomBytes(16).toString('hex'));
        await trx
          .insertInto('sessions')
          .values(
            users.map((u, k) => ({
              id: sm3(tokens[k]!),
              user_id: u.id,
              csrf_token: csrfs[k]!,
              mfa_pending: 0,
              created_at: iso,
              last_seen_at: iso,
              expires_at: expires,
              ip: '127.0.0.1',
              user_agent: 'bench',
            })),
          )
          .execute();
        for (let k = 0; k < n; k++)
          clients.push({ cookie: `dj_sid=${tokens[k]}`, csrf: csrfs[k]!, contentId, duration });
      });
    }
    say(
      `${o.members.toLocaleString('en')} members with sessions in ${branches.length} branches, ${fmt((performance.now() - t0) / 1000)} s`,
    );
    // one real request through the gate to make sure the sessions work
    const probe = await app.inject({
      method: 'POST',
      url: '/api/learning/progress',
      headers: { cookie: clients[0]!.cookie, 'x-csrf-token': clients[0]!.csrf },
      payload: { contentId, position: 0, duration },
    });
    if (probe.statusCode !== 200) throw new Error(`heartbeat probe: ${probe.statusCode} ${probe.body}`);

    // ---- 1. the schedule ----------------------------------------------------------------------------------------
    say(`schedule: ${o.members} members every ${o.interval} s for ${o.seconds} s, ${o.library} open the library`);
    const readers = clients.slice(0, o.library);
    const sched = await runClient<{
      heartbeat: number[];
      library: number[];
      heartbeatStatus: Record<string, number>;
      libraryStatus: Record<string, number>;
    }>({
      mode: 'schedule',
      baseUrl,
      members: clients,
      readers,
      seconds: o.seconds,
      interval: o.interval,
      maxSockets: 512,
    });
    const heartbeat = {
      count: sched.heartbeat.length,
      p50: pct(sched.heartbeat, 50),
      p99: pct(sched.heartbeat, 99),
      errors: errorsOf(sched.heartbeatStatus),
      perSecond: sched.heartbeat.length / o.seconds,
    };
    const library = {
      count: sched.library.length,
      p50: pct(sched.library, 50),
      p99: pct(sched.library, 99),
      errors: errorsOf(sched.libraryStatus),
    };
    say(
      `heartbeat: ${heartbeat.count} requests (${fmt(heartbeat.perSecond)}/s), p50 ${fmt(heartbeat.p50)} ms, p99 ${fmt(heartbeat.p99)} ms, errors ${heartbeat.errors} ${JSON.stringify(sched.heartbeatStatus)}`,
    );
    say(
      `library: ${library.count} requests, p50 ${fmt(library.p50)} ms, p99 ${fmt(library.p99)} ms, errors ${library.errors} ${JSON.stringify(sched.libraryStatus)}`,
    );

    // ---- 2. throughput against a trivial route --------------------------------------------------------------------
    const maxRun = await runClient<{
      requests: number;
      seconds: number;
      latencies: number[];
      status: Record<string, number>;
    }>({
      mode: 'max',
      baseUrl,
      members: clients,
      concurrency: o.concurrency,
      seconds: o.maxSeconds,
      target: 'heartbeat',
    });
    const bare = Fastify();
    bare.get('/ping', async () => ({ ok: true }));
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const bareAddr = bare.server.address();
    if (!bareAddr || typeof bareAddr === 'string') throw new Error('no address');
    const trivialRun = await runClient<{ requests: number; seconds: number; status: Record<string, number> }>({
      mode: 'max',
      baseUrl: `http://127.0.0.1:${bareAddr.port}`,
      concurrency: o.concurrency,
      seconds: o.maxSeconds,
      target: 'trivial',
    });
    await bare.close();
    const throughput = {
      heartbeatPerSecond: maxRun.requests / maxRun.seconds,
      heartbeatP99: pct(maxRun.latencies, 99),
      trivialPerSecond: trivialRun.requests / trivialRun.seconds,
      errors: errorsOf(maxRun.status),
    };
    const ratio = throughput.heartbeatPerSecond / throughput.trivialPerSecond;
    say(
      `throughput (${o.concurrency} connections): heartbeat ${fmt(throughput.heartbeatPerSecond, 0)}/s (p99 ${fmt(throughput.heartbeatP99)} ms, errors ${throughput.errors}), trivial route ${fmt(throughput.trivialPerSecond, 0)}/s, ratio ${fmt(ratio, 2)}`,
    );
    return { members: o.members, heartbeat, library, throughput, ratio };
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (kind === 'postgres') {
      const c = new pg.Client({ connectionString: o.pgUrl });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    }
  }
}

async function pgReachable(url: string): Promise<boolean> {
  try {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

/** Runs the learning benchmark; `argv` as on the command line. Used alone and from bench/run.ts. */
export async function runLearningBench(argv: string[]): Promise<Record<string, LearningFigures>> {
  const o = parseOptions(argv);
  const out: Record<string, LearningFigures> = {};
  for (const kind of ['sqlite', 'postgres'] as const) {
    if (o.only && o.only !== kind) continue;
    if (kind === 'postgres' && !(await pgReachable(o.pgUrl))) {
      console.log(`[learning postgres] skipped: ${o.pgUrl} not reachable`);
      continue;
    }
    out[kind] = await runOn(kind, o);
  }
  console.log('\nLearning heartbeats (POST /api/learning/progress) and library (GET /api/learning/content):');
  console.log(
    'database  heartbeats/s  hb p50 ms  hb p99 ms  library p99 ms  errors  max hb/s  trivial/s  ratio  goals met',
  );
  for (const [kind, f] of Object.entries(out)) {
    const errors = f.heartbeat.errors + f.library.errors;
    const met = f.heartbeat.p99 < 100 && f.library.p99 < 100 && errors === 0 && f.ratio >= 0.4;
    console.log(
      `${kind.padEnd(9)} ${fmt(f.heartbeat.perSecond).padStart(12)} ${fmt(f.heartbeat.p50).padStart(10)} ${fmt(f.heartbeat.p99).padStart(10)} ${fmt(f.library.p99).padStart(15)} ${String(errors).padStart(7)} ${fmt(f.throughput.heartbeatPerSecond, 0).padStart(9)} ${fmt(f.throughput.trivialPerSecond, 0).padStart(10)} ${fmt(f.ratio, 2).padStart(6)}  ${met ? 'yes' : 'NO'}`,
    );
  }
  const cpus = os.cpus();
  fs.mkdirSync(path.dirname(o.out), { recursive: true });
  fs.writeFileSync(
    o.out,
    `${JSON.stringify({ date: new Date().toISOString(), machine: `${cpus.length} × ${cpus[0]?.model}`, options: { ...o, pgUrl: undefined }, results: out }, null, 2)}\n`,
  );
  console.log(`written to ${o.out}`);
  return out;
}

const invokedDirectly =
  process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (invokedDirectly) {
  runLearningBench(process.argv.slice(2)).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
