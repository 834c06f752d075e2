/**
 * Builds the real app on a fresh database for one test file: SQLite in a temp dir, or (TEST_DB=postgres) a
 * fresh schema in the PostgreSQL at TEST_DATABASE_URL. No mocks: requests go through app.inject().
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import type { AppContext, TypedApp } from '../../src/server/context.js';
import { seedDemo } from '../../src/server/demo/demo.js';

export const TEST_DB = process.env.TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestApp {
  app: TypedApp;
  ctx: AppContext;
  dataDir: string;
  close(): Promise<void>;
}

export async function createTestApp(opts: { demo?: boolean; env?: Record<string, string> } = {}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-test-'));
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    PASSWORD_ITERATIONS: '1000',
    LOGIN_RATE_LIMIT: '10000',
    DEMO: 'off',
    ...opts.env,
  };
  let schema: string | undefined;
  if (TEST_DB === 'postgres') {
    schema = `t_${crypto.randomBytes(6).toString('hex')}`;
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.end();
    env.DATABASE_URL = PG_URL;
    env.DATABASE_SCHEMA = schema;
  }
  const config = loadConfig(env);
  const { app, ctx } = await buildApp(config);
  if (opts.demo) await seedDemo(ctx.db, { passwordIterations: 1000, cipher: ctx.cipher });
  await app.ready();
  return {
    app,
    ctx,
    dataDir,
    async close() {
      await app.close();
      if (schema) {
        const client = new pg.Client({ connectionString: PG_URL });
        await client.connect();
        await client.query(`DROP SCHEMA ${schema} CASCADE`);
        await client.end();
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Session {
  cookie: string;
  csrf: string;
  user: { id: number; username: string; permissions: string[] };
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Logs in through the real route and returns the cookie and CSRF token. */
export async function login(t: TestApp, username: string, password = 'Dangjian@2026'): Promise<Session> {
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'dj_sid');
  if (!cookie) throw new Error('no session cookie');
  const body = res.json() as { csrfToken: string; user: Session['user'] };
  return { cookie: `dj_sid=${cookie.value}`, csrf: body.csrfToken, user: body.user };
}

/** A request as a logged-in user (CSRF header included on writes unless told otherwise). */
export function call(
  t: TestApp,
  s: Session | null,
  method: Method,
  url: string,
  payload?: unknown,
  opts: { csrf?: boolean } = {},
) {
  const headers: Record<string, string> = {};
  if (s) headers.cookie = s.cookie;
  if (s && method !== 'GET' && opts.csrf !== false) headers['x-csrf-token'] = s.csrf;
  return t.app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
}

export interface OrgItem {
  id: number;
  parentId: number | null;
  name: string;
  kind: string;
  isJoint: boolean;
  termStatus: string;
  childCount: number;
  memberCount: number;
  path: number[];
  divisionCode: string | null;
  depth: number;
}

export async function allOrgs(t: TestApp, s: Session): Promise<OrgItem[]> {
  const res = await call(t, s, 'GET', '/api/orgs?pageSize=10000');
  if (res.statusCode !== 200) throw new Error(`orgs: ${res.statusCode} ${res.body}`);
  return (res.json() as { items: OrgItem[] }).items;
}
