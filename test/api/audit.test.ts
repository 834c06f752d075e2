/** The SM3-chained audit log: what gets recorded, who may read it, and tamper detection. */
import { execFileSync } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, login, TEST_DB, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ demo: true });
});
afterAll(async () => t?.close());

interface Item {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  result: string;
  ip: string | null;
}

async function auditItems(q = ''): Promise<Item[]> {
  const auditor = await login(t, 'auditor');
  const res = await call(t, auditor, 'GET', `/api/audit?pageSize=10000${q}`);
  expect(res.statusCode).toBe(200);
  return res.json().items;
}

describe('audit log', () => {
  it('records every login and failure with actor, time, result and IP, newest first', async () => {
    await login(t, 'province');
    await login(t, 'chengdu');
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'chengdu', password: 'Nope#2026x' },
    });
    const items = await auditItems();
    const logins = items.filter((i) => i.action === 'auth.login');
    expect(logins.map((i) => i.actor)).toEqual(expect.arrayContaining(['province', 'chengdu', 'auditor']));
    const failed = items.find((i) => i.action === 'auth.login_failed' && i.target === 'chengdu');
    expect(failed).toMatchObject({ result: 'failure', ip: '127.0.0.1' });
    for (let i = 1; i < items.length; i++) expect(items[i - 1]!.id).toBeGreaterThan(items[i]!.id);
    expect(Date.parse(items[0]!.at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('records writes and denials', async () => {
    const p = await login(t, 'province');
    const root = (await call(t, p, 'GET', '/api/orgs?pageSize=1')).json().items[0];
    await call(t, p, 'PATCH', `/api/orgs/${root.id}`, { unitName: '四川省科学技术厅' });
    const sys = await login(t, 'sysadmin');
    await call(t, sys, 'GET', '/api/orgs');
    const items = await auditItems();
    expect(items.find((i) => i.action === 'org.update')).toMatchObject({ actor: 'province', result: 'success' });
    expect(items.find((i) => i.action === 'access.denied')).toMatchObject({ actor: 'sysadmin', result: 'denied' });
  });

  it('filters by action, actor and result', async () => {
    const items = await auditItems('&action=auth.login&actor=province');
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.action === 'auth.login' && i.actor === 'province')).toBe(true);
    const failures = await auditItems('&result=failure');
    expect(failures.every((i) => i.result === 'failure')).toBe(true);
  });

  it('is readable by the 审计管理员 only', async () => {
    for (const u of ['province', 'sysadmin', 'secadmin', 'member']) {
      const s = await login(t, u);
      expect((await call(t, s, 'GET', '/api/audit')).statusCode, u).toBe(403);
    }
  });

  it('is append-only for the application', async () => {
    await expect(t.ctx.db.updateTable('audit_log').set({ actor: 'x' }).execute()).rejects.toThrow(/append-only/);
    await expect(t.ctx.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
  });

  it('verify reports an intact chain, then the first broken row after a direct edit in the database', async () => {
    const auditor = await login(t, 'auditor');
    const ok = await call(t, auditor, 'POST', '/api/audit/verify');
    expect(ok.json()).toMatchObject({ ok: true, firstBrokenId: null });
    expect(ok.json().checked).toBeGreaterThan(10);

    // Someone with database access bypasses the trigger and rewrites an old row.
    const victim = (await auditItems('&action=auth.login_failed'))[0]!;
    if (TEST_DB === 'postgres') {
      await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change`.execute(t.ctx.db);
      await sql`UPDATE audit_log SET result = 'success' WHERE id = ${victim.id}`.execute(t.ctx.db);
      await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change`.execute(t.ctx.db);
    } else {
      await sql`DROP TRIGGER audit_log_no_update`.execute(t.ctx.db);
      await sql`UPDATE audit_log SET result = 'success' WHERE id = ${victim.id}`.execute(t.ctx.db);
    }
    const broken = await call(t, auditor, 'POST', '/api/audit/verify');
    expect(broken.json()).toMatchObject({ ok: false, firstBrokenId: victim.id });

    if (TEST_DB === 'sqlite') {
      // The operator's command reports it too, with a failing exit code.
      let out = '';
      let code = 0;
      try {
        out = execFileSync('npx', ['tsx', 'src/server/cli/index.ts', 'verify-audit'], {
          env: { ...process.env, DATA_DIR: t.dataDir, DATABASE_URL: '' },
          encoding: 'utf8',
        });
      } catch (e) {
        const err = e as { status: number; stdout: string };
        code = err.status;
        out = err.stdout;
      }
      expect(code).toBe(1);
      expect(out).toContain(`Row ${victim.id}`);
    }
  });
});
