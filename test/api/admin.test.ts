/** The three separated admins: accounts and settings, grants and policy, and the bootstrap without demo data. */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, login, TEST_DB, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ demo: true });
});
afterAll(async () => t?.close());

async function newUser(username: string) {
  const sys = await login(t, 'sysadmin');
  const res = await call(t, sys, 'POST', '/api/users', { username, displayName: username, password: 'Start#2026gh' });
  expect(res.statusCode).toBe(201);
  return res.json().id as number;
}

describe('三员分立', () => {
  it('no account can hold two of the three admin roles', async () => {
    const sec = await login(t, 'secadmin');
    const uid = await newUser('zhaoyi');
    expect((await call(t, sec, 'POST', '/api/grants', { userId: uid, role: 'sysadmin' })).statusCode).toBe(201);
    for (const role of ['secadmin', 'auditor']) {
      const res = await call(t, sec, 'POST', '/api/grants', { userId: uid, role });
      expect(res.statusCode, role).toBe(409);
      expect(res.json().error.code).toBe('admin_role_conflict');
    }
    const grants = (await call(t, sec, 'GET', `/api/grants?userId=${uid}`)).json().items;
    expect(grants.map((g: { role: string }) => g.role)).toEqual(['sysadmin']);
  });

  it('an admin account cannot also hold a business role, nor a business account an admin role', async () => {
    const sec = await login(t, 'secadmin');
    const sys = await login(t, 'sysadmin');
    const root = (await call(t, sec, 'GET', '/api/orgs?pageSize=1')).json().items[0];
    const toAdmin = await call(t, sec, 'POST', '/api/grants', {
      userId: sys.user.id,
      role: 'org_admin',
      orgId: root.id,
    });
    expect(toAdmin.statusCode).toBe(409);
    expect(toAdmin.json().error.code).toBe('admin_role_conflict');
    const province = await login(t, 'province');
    const toBusiness = await call(t, sec, 'POST', '/api/grants', { userId: province.user.id, role: 'auditor' });
    expect(toBusiness.statusCode).toBe(409);
    expect((await call(t, sys, 'GET', `/api/orgs/${root.id}`)).statusCode).toBe(403);
  });

  it('the security admin cannot grant to itself, and none of the three reads organisations by default except to grant', async () => {
    const sec = await login(t, 'secadmin');
    const res = await call(t, sec, 'POST', '/api/grants', { userId: sec.user.id, role: 'auditor' });
    expect(res.statusCode).toBe(403);
    for (const u of ['sysadmin', 'auditor']) {
      const s = await login(t, u);
      expect((await call(t, s, 'GET', '/api/orgs')).statusCode, u).toBe(403);
    }
  });

  it('scoped roles need an organisation; a grant gives access to that subtree at once', async () => {
    const sec = await login(t, 'secadmin');
    const uid = await newUser('qianer');
    const noOrg = await call(t, sec, 'POST', '/api/grants', { userId: uid, role: 'org_admin' });
    expect(noOrg.statusCode).toBe(400);
    expect(noOrg.json().error.field).toBe('orgId');
    const orgs = (await call(t, sec, 'GET', '/api/orgs?pageSize=10000&q=绵阳市科学技术局')).json().items;
    const mianyang = orgs.find((o: { depth: number }) => o.depth === 1);
    const g = await call(t, sec, 'POST', '/api/grants', { userId: uid, role: 'org_admin', orgId: mianyang.id });
    expect(g.statusCode).toBe(201);
    expect(g.json()).toMatchObject({ role: 'org_admin', orgId: mianyang.id, orgName: mianyang.name });

    const sys = await login(t, 'sysadmin');
    await call(t, sys, 'POST', `/api/users/${uid}/reset-password`, { password: 'Start#2026ij' });
    const s = await login(t, 'qianer', 'Start#2026ij');
    await call(t, s, 'POST', '/api/auth/password', { currentPassword: 'Start#2026ij', newPassword: 'Mian#Yang2026' });
    const visible = (await call(t, s, 'GET', '/api/orgs?pageSize=10000')).json().items as { name: string }[];
    expect(visible.length).toBeGreaterThan(2);
    expect(visible.every((o) => !o.name.startsWith('成都'))).toBe(true);

    const removed = await call(t, sec, 'DELETE', `/api/grants/${g.json().id}`);
    expect(removed.statusCode).toBe(204);
    expect((await call(t, s, 'GET', '/api/orgs')).statusCode).toBe(403);
  });
});

describe('security policy', () => {
  it('validates the form and takes effect: a lower lockout threshold locks sooner', async () => {
    const sec = await login(t, 'secadmin');
    const policy = (await call(t, sec, 'GET', '/api/security/policy')).json();
    expect(policy).toMatchObject({
      lockoutThreshold: 5,
      lockoutMinutes: 15,
      idleTimeoutMinutes: 30,
      absoluteTimeoutHours: 12,
    });
    const bad = await call(t, sec, 'PUT', '/api/security/policy', { ...policy, passwordMinLength: 4 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('passwordMinLength');
    const ok = await call(t, sec, 'PUT', '/api/security/policy', { ...policy, lockoutThreshold: 3 });
    expect(ok.statusCode).toBe(200);
    await newUser('sunsan');
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'sunsan', password: `Bad#pass${i}` },
      });
      codes.push(r.statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 423]);
    const sys = await login(t, 'sysadmin');
    const users = (await call(t, sys, 'GET', '/api/users?q=sunsan')).json().items;
    expect(users[0].locked).toBe(true);
    await call(t, sys, 'POST', `/api/users/${users[0].id}/unlock`);
    const after = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'sunsan', password: 'Start#2026gh' },
    });
    expect(after.statusCode).toBe(200);
    await call(t, sec, 'PUT', '/api/security/policy', policy);
  });

  it('the security admin ends all sessions of an account', async () => {
    const s = await login(t, 'chengdu');
    const sec = await login(t, 'secadmin');
    const res = await call(t, sec, 'POST', `/api/users/${s.user.id}/revoke-sessions`);
    expect(res.statusCode).toBe(200);
    expect(res.json().ended).toBeGreaterThanOrEqual(1);
    expect((await call(t, s, 'GET', '/api/auth/me')).statusCode).toBe(401);
  });
});

describe('accounts and settings', () => {
  it('rejects a duplicate username and a malformed one, naming the field', async () => {
    const sys = await login(t, 'sysadmin');
    const dup = await call(t, sys, 'POST', '/api/users', {
      username: 'province',
      displayName: 'x',
      password: 'Start#2026gh',
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.field).toBe('username');
    const bad = await call(t, sys, 'POST', '/api/users', {
      username: '省厅',
      displayName: 'x',
      password: 'Start#2026gh',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('username');
  });

  it('stores system settings for the 系统管理员 only', async () => {
    const sys = await login(t, 'sysadmin');
    const res = await call(t, sys, 'PUT', '/api/settings', { platformName: '测试平台名称', defaultLocale: 'en-US' });
    expect(res.statusCode).toBe(200);
    expect((await call(t, sys, 'GET', '/api/settings')).json()).toEqual({
      platformName: '测试平台名称',
      defaultLocale: 'en-US',
    });
    const sec = await login(t, 'secadmin');
    expect((await call(t, sec, 'PUT', '/api/settings', { platformName: 'x', defaultLocale: 'zh-CN' })).statusCode).toBe(
      403,
    );
  });
});

describe('without demo data', () => {
  it('has no accounts; the CLI creates the first 安全管理员 who must change the password', async () => {
    if (TEST_DB !== 'sqlite') return; // the CLI reads the same configuration; one database is enough here
    const bare = await createTestApp();
    try {
      const none = await bare.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'province', password: 'Dangjian@2026' },
      });
      expect(none.statusCode).toBe(401);
      const out = execFileSync('npx', ['tsx', 'src/server/cli/index.ts', 'create-security-admin', 'anquan'], {
        env: { ...process.env, DATA_DIR: bare.dataDir, INITIAL_PASSWORD: 'First#Sec2026', PASSWORD_ITERATIONS: '1000' },
        encoding: 'utf8',
      });
      expect(out).toContain('anquan');
      const s = await login(bare, 'anquan', 'First#Sec2026');
      expect(s.user.permissions).toContain('grant.manage');
      const me = (await call(bare, s, 'GET', '/api/auth/me')).json().user;
      expect(me.mustChangePassword).toBe(true);
      expect(me.mfa.required).toBe(true);
    } finally {
      await bare.close();
    }
  });
});
