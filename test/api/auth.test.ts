/** Logins, lockout, CSRF, sessions and their timeouts, password changes, TOTP, security headers. */
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, login, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ demo: true });
});
afterAll(async () => t?.close());

const loginReq = (username: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

describe('health', () => {
  it('reports the database in use', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', db: process.env.TEST_DB === 'postgres' ? 'postgres' : 'sqlite' });
    expect(res.json().version).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('login', () => {
  it('returns the user and a CSRF token and sets an HttpOnly SameSite=Lax cookie', async () => {
    const res = await loginReq('province', 'Dangjian@2026');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user.username).toBe('province');
    expect(body.csrfToken).toMatch(/^[\w-]{20,}$/);
    const cookie = res.cookies.find((c) => c.name === 'dj_sid');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    expect(cookie!.value.length).toBeGreaterThanOrEqual(43); // 256 random bits, base64url
  });

  it('gives a new session id on every login', async () => {
    const a = await login(t, 'chengdu');
    const b = await login(t, 'chengdu');
    expect(a.cookie).not.toBe(b.cookie);
  });

  it('answers unknown user and wrong password with the same 401 message', async () => {
    const unknown = await loginReq('nobody', 'Dangjian@2026');
    const wrong = await loginReq('chengdu', 'Wrong@2026x');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json().error.message).toBe(wrong.json().error.message);
    expect(unknown.json().error.code).toBe(wrong.json().error.code);
  });

  it('names the missing field when the body is invalid', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'validation', field: 'password' });
  });

  it('locks an account after 5 failures: the 6th attempt answers 423 even with the right password', async () => {
    for (let i = 1; i <= 5; i++) {
      const r = await loginReq('branch', `Wrong@pass${i}`);
      expect(r.statusCode, `attempt ${i}`).toBe(401);
    }
    const sixth = await loginReq('branch', 'Wrong@pass6');
    expect(sixth.statusCode).toBe(423);
    const right = await loginReq('branch', 'Dangjian@2026');
    expect(right.statusCode).toBe(423);
    expect(right.json().error.code).toBe('locked');
  });
});

describe('CSRF', () => {
  it('refuses a state-changing request without the header, and with a wrong one', async () => {
    const s = await login(t, 'province');
    const body = { parentId: 1, name: '测试党支部', kind: 'branch' };
    const without = await call(t, s, 'POST', '/api/orgs', body, { csrf: false });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe('csrf');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/orgs',
      headers: { cookie: s.cookie, 'x-csrf-token': 'forged' },
      payload: body,
    });
    expect(wrong.statusCode).toBe(403);
    const logout = await call(t, s, 'POST', '/api/auth/logout', undefined, { csrf: false });
    expect(logout.statusCode).toBe(403);
  });
});

describe('sessions', () => {
  it('me answers 401 without a session and the user with one; logout ends it and clears site data', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    const s = await login(t, 'chengdu');
    const me = await call(t, s, 'GET', '/api/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().csrfToken).toBe(s.csrf);
    const out = await call(t, s, 'POST', '/api/auth/logout');
    expect(out.statusCode).toBe(204);
    expect(out.headers['clear-site-data']).toContain('cookies');
    expect((await call(t, s, 'GET', '/api/auth/me')).statusCode).toBe(401);
  });

  it('ends a session idle for longer than the policy allows', async () => {
    const s = await login(t, 'chengdu');
    const long = new Date(Date.now() - 31 * 60_000).toISOString();
    await t.ctx.db.updateTable('sessions').set({ last_seen_at: long }).execute();
    expect((await call(t, s, 'GET', '/api/auth/me')).statusCode).toBe(401);
  });

  it('ends a session older than the absolute limit even when active', async () => {
    const s = await login(t, 'chengdu');
    const old = new Date(Date.now() - 13 * 3600_000).toISOString();
    await t.ctx.db.updateTable('sessions').set({ created_at: old }).execute();
    expect((await call(t, s, 'GET', '/api/auth/me')).statusCode).toBe(401);
  });

  it('sends no-store and security headers on API responses', async () => {
    const s = await login(t, 'province');
    const res = await call(t, s, 'GET', '/api/orgs?pageSize=1');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(String(res.headers['content-security-policy'])).toMatch(/object-src 'none'.*|frame-ancestors 'none'/);
    expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect(res.headers['referrer-policy']).toBeDefined();
  });
});

describe('accounts created by the 系统管理员', () => {
  it('must change the password at first login; the policy rejects weak ones; a change ends other sessions', async () => {
    const admin = await login(t, 'sysadmin');
    const weak = await call(t, admin, 'POST', '/api/users', {
      username: 'zhangsan',
      displayName: '张三',
      password: 'password1',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.field).toBe('password');
    const created = await call(t, admin, 'POST', '/api/users', {
      username: 'zhangsan',
      displayName: '张三',
      password: 'Start#2026ab',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ username: 'zhangsan', mustChangePassword: true });

    const first = await login(t, 'zhangsan', 'Start#2026ab');
    const other = await login(t, 'zhangsan', 'Start#2026ab');
    const blocked = await call(t, first, 'GET', '/api/orgs');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('password_change_required');

    const twoClasses = await call(t, first, 'POST', '/api/auth/password', {
      currentPassword: 'Start#2026ab',
      newPassword: 'abcdefghij12',
    });
    expect(twoClasses.statusCode).toBe(400);
    expect(twoClasses.json().error.field).toBe('newPassword');
    const ok = await call(t, first, 'POST', '/api/auth/password', {
      currentPassword: 'Start#2026ab',
      newPassword: 'Xin#Mima2026',
    });
    expect(ok.statusCode).toBe(204);
    expect((await call(t, first, 'GET', '/api/auth/me')).json().user.mustChangePassword).toBe(false);
    expect((await call(t, other, 'GET', '/api/auth/me')).statusCode).toBe(401);
  });

  it('a disabled account loses its sessions and cannot log in', async () => {
    const admin = await login(t, 'sysadmin');
    const created = await call(t, admin, 'POST', '/api/users', {
      username: 'lisi',
      displayName: '李四',
      password: 'Start#2026cd',
    });
    const s = await login(t, 'lisi', 'Start#2026cd');
    const off = await call(t, admin, 'PATCH', `/api/users/${created.json().id}`, { disabled: true });
    expect(off.statusCode).toBe(200);
    expect((await call(t, s, 'GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await loginReq('lisi', 'Start#2026cd')).statusCode).toBe(401);
  });
});

describe('TOTP for the admin roles', () => {
  it('a new 审计管理员 must enrol a second factor before using the platform, then verify at each login', async () => {
    const sys = await login(t, 'sysadmin');
    const sec = await login(t, 'secadmin');
    const created = await call(t, sys, 'POST', '/api/users', {
      username: 'wangaud',
      displayName: '王审计',
      password: 'Start#2026ef',
    });
    const uid = created.json().id as number;
    expect((await call(t, sec, 'POST', '/api/grants', { userId: uid, role: 'auditor' })).statusCode).toBe(201);

    const s = await login(t, 'wangaud', 'Start#2026ef');
    await call(t, s, 'POST', '/api/auth/password', { currentPassword: 'Start#2026ef', newPassword: 'Shen#Ji2026x' });
    const me = (await call(t, s, 'GET', '/api/auth/me')).json();
    expect(me.user.mfa).toEqual({ required: true, enrolled: false, pending: true });
    const gated = await call(t, s, 'GET', '/api/audit');
    expect(gated.statusCode).toBe(401);
    expect(gated.json().error.code).toBe('mfa_required');

    const setup = (await call(t, s, 'GET', '/api/auth/totp/setup')).json();
    expect(setup.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(setup.secret), digits: 6, period: 30 });
    const bad = await call(t, s, 'POST', '/api/auth/totp/enable', {
      code: totp.generate() === '000000' ? '111111' : '000000',
    });
    expect(bad.statusCode).toBe(400);
    expect((await call(t, s, 'POST', '/api/auth/totp/enable', { code: totp.generate() })).statusCode).toBe(204);
    expect((await call(t, s, 'GET', '/api/audit')).statusCode).toBe(200);

    // The secret is stored SM4-encrypted, not in clear.
    const row = await t.ctx.db
      .selectFrom('users')
      .select('totp_secret')
      .where('id', '=', uid)
      .executeTakeFirstOrThrow();
    expect(row.totp_secret).not.toContain(setup.secret);
    expect(row.totp_secret).toMatch(/^v1:/);

    const again = await login(t, 'wangaud', 'Shen#Ji2026x');
    expect((await call(t, again, 'GET', '/api/audit')).json().error.code).toBe('mfa_required');
    // A code is good once: the one just used to enable is refused as a replay.
    const replay = await call(t, again, 'POST', '/api/auth/totp/verify', { code: totp.generate() });
    expect(replay.statusCode).toBe(400);
    const next = totp.generate({ timestamp: Date.now() + 30_000 });
    expect((await call(t, again, 'POST', '/api/auth/totp/verify', { code: next })).statusCode).toBe(204);
    expect((await call(t, again, 'GET', '/api/audit')).statusCode).toBe(200);
  });
});

describe('rate limit on the login route', () => {
  it('answers 429 when one IP tries too often', async () => {
    const limited = await createTestApp({ env: { LOGIN_RATE_LIMIT: '3' } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await limited.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'x', password: 'y' },
        });
        codes.push(r.statusCode);
      }
      expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
      expect(codes.slice(3)).toEqual([429, 429]);
    } finally {
      await limited.close();
    }
  });
});
