/**
 * Reminders and group-robot webhooks against local HTTP receivers (node:http on 127.0.0.1:0): a 企业微信 robot and a
 * 钉钉 robot get `{"msgtype":"text","text":{"content":"…"}}` as JSON POSTs; a robot answering HTTP 500 and one
 * answering errcode ≠ 0 are recorded as delivery errors without failing the run; a second run creates nothing new
 * and retries only what failed. Webhook settings: http(s) only, masked when read back, compliance.manage in scope.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as engine from '../../src/server/modules/compliance/compliance.engine.js';
import { lastDay } from '../../src/server/modules/compliance/compliance.periods.js';
import { runReminders } from '../../src/server/modules/compliance/compliance.reminders.js';
import { addMonths, todayInShanghai } from '../../src/shared/dates.js';
import { parsePeriod, periodOf } from '../../src/shared/meetings.js';
import { allOrgs, call, createTestApp, login, type OrgItem, type Session, type TestApp } from '../helpers/app.js';

interface Received {
  path: string;
  contentType: string | undefined;
  body: unknown;
}

/** A robot: records what it receives and answers with `status` and `reply`. */
async function robot(
  status: number,
  reply: string,
): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text
      }
      received.push({ path: req.url ?? '', contentType: req.headers['content-type'], body });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let t: TestApp;
let chengdu: Session;
let branch: Session;
let orgs: OrgItem[];
let chengduOrg: OrgItem;
let b1: OrgItem;
let b2: OrgItem;
let county1: OrgItem;
let county2: OrgItem;
let mianyang: OrgItem;
let ok: Awaited<ReturnType<typeof robot>>;
let down: Awaited<ReturnType<typeof robot>>;
let refusing: Awaited<ReturnType<typeof robot>>;

const today = todayInShanghai();
const prevQuarter = periodOf(addMonths(today, -3), 'quarter');
const quarterEnd = lastDay(parsePeriod(prevQuarter));
/** five days before the end of last quarter: its months and quarter are due soon, the month before just missed */
const runDay = `${quarterEnd.slice(0, 8)}${String(Number(quarterEnd.slice(8)) - 5).padStart(2, '0')}`;

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  chengdu = await login(t, 'chengdu');
  branch = await login(t, 'branch');
  orgs = await allOrgs(t, chengdu);
  const byName = (name: string) => orgs.find((o) => o.name === name)!;
  chengduOrg = byName('成都市科学技术局机关党委');
  b1 = byName('成都市科学技术局机关第一党支部');
  b2 = byName('成都市科学技术局机关第二党支部');
  const counties = orgs.filter(
    (o) => o.parentId === chengduOrg.id && o.kind === 'branch' && ![b1.id, b2.id].includes(o.id),
  );
  county1 = counties[0]!;
  county2 = counties[1]!;
  const province = await login(t, 'province');
  mianyang = (await allOrgs(t, province)).find((o) => o.name === '绵阳市科学技术局机关党委')!;
  ok = await robot(200, '{"errcode":0,"errmsg":"ok"}');
  down = await robot(500, 'internal error');
  refusing = await robot(200, '{"errcode":310000,"errmsg":"keywords not in content"}');
}, 120_000);

afterAll(async () => {
  await ok?.close();
  await down?.close();
  await refusing?.close();
  await t?.close();
});

describe('webhook settings', () => {
  it('http(s) only; the key is masked when read back; compliance.manage in scope', async () => {
    const put = (s: Session, orgId: number, body: unknown) =>
      call(t, s, 'PUT', `/api/compliance/webhooks/${orgId}`, body);
    const wecom = await put(chengdu, b1.id, {
      kind: 'wecom',
      url: `${ok.url}/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa`,
      enabled: true,
    });
    expect(wecom.statusCode, wecom.body).toBe(200);
    expect(wecom.json()).toMatchObject({ orgId: b1.id, kind: 'wecom', enabled: true });
    expect((wecom.json() as { url: string }).url).not.toContain('693a91f6-7xxx');
    const read = await call(t, chengdu, 'GET', `/api/compliance/webhooks/${b1.id}`);
    expect(read.json()).toEqual(wecom.json());
    expect(
      (await put(chengdu, b2.id, { kind: 'dingtalk', url: `${ok.url}/robot/send?access_token=abcdef123456` }))
        .statusCode,
    ).toBe(200);
    expect(
      (await put(chengdu, county1.id, { kind: 'wecom', url: `${down.url}/cgi-bin/webhook/send?key=k1` })).statusCode,
    ).toBe(200);
    expect(
      (await put(chengdu, county2.id, { kind: 'dingtalk', url: `${refusing.url}/robot/send?access_token=t2` }))
        .statusCode,
    ).toBe(200);

    for (const url of ['ftp://example.com/hook', 'javascript:alert(1)', 'not a url']) {
      const bad = await put(chengdu, b1.id, { kind: 'wecom', url });
      expect(bad.statusCode, url).toBe(400);
    }
    expect((await put(chengdu, mianyang.id, { kind: 'wecom', url: `${ok.url}/x` })).statusCode).toBe(404);
    expect((await put(branch, b1.id, { kind: 'wecom', url: `${ok.url}/x` })).statusCode).toBe(403);
    const none = await call(t, chengdu, 'GET', `/api/compliance/webhooks/${chengduOrg.id}`);
    expect(none.json()).toEqual({ orgId: chengduOrg.id, kind: null, url: null, enabled: false, updatedAt: null });
  });
});

describe('a reminder run', () => {
  it('creates reminders once, posts one text message per org to its robot, records failures without failing', async () => {
    const scope = { all: false as const, roots: [chengduOrg.id] };
    const first = await runReminders(t.ctx.db, { scope, today: runDay });
    expect(first.created).toBeGreaterThan(0);
    expect(first.delivered.messages).toBe(2);
    expect(first.failed.messages).toBe(2);
    expect(first.failed.errors.map((e) => e.orgId).sort()).toEqual([county1.id, county2.id].sort());
    expect(first.failed.errors.find((e) => e.orgId === county1.id)?.error).toMatch(/^HTTP 500/);
    expect(first.failed.errors.find((e) => e.orgId === county2.id)?.error).toMatch(/^errcode 310000/);

    expect(ok.received).toHaveLength(2);
    const wecom = ok.received.find((r) => r.path.startsWith('/cgi-bin/webhook/send?key='))!;
    const ding = ok.received.find((r) => r.path.startsWith('/robot/send?access_token='))!;
    for (const [r, org] of [
      [wecom, b1],
      [ding, b2],
    ] as const) {
      expect(r.contentType).toMatch(/^application\/json/);
      expect(Object.keys(r.body as object)).toEqual(['msgtype', 'text']);
      expect(r.body).toEqual({ msgtype: 'text', text: { content: expect.any(String) } });
      const content = (r.body as { text: { content: string } }).text.content;
      expect(content).toContain('【党建提醒】');
      expect(content).toContain(org.name);
      expect(content).toMatch(/距截止还有5天|未按规定召开|未过半数/);
    }
    expect(down.received).toHaveLength(1);
    expect(refusing.received).toHaveLength(1);

    const rows = await t.ctx.db.selectFrom('reminders').selectAll().execute();
    const ofOrg = (id: number) => rows.filter((r) => r.org_id === id);
    expect(ofOrg(b1.id).length).toBeGreaterThan(0);
    expect(ofOrg(b1.id).every((r) => r.delivered_at !== null && r.delivery_error === null)).toBe(true);
    expect(ofOrg(county1.id).every((r) => r.delivered_at === null && r.delivery_error?.startsWith('HTTP 500'))).toBe(
      true,
    );
    expect(ofOrg(county2.id).every((r) => r.delivered_at === null && r.delivery_error?.startsWith('errcode'))).toBe(
      true,
    );
    // orgs without a robot keep their reminders for the in-app list
    expect(rows.some((r) => ![b1.id, b2.id, county1.id, county2.id].includes(r.org_id))).toBe(true);
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['due_soon', 'missed']));

    // again: nothing new; what failed is tried again, what was delivered is not
    const second = await runReminders(t.ctx.db, { scope, today: runDay });
    expect(second.created).toBe(0);
    expect(second.delivered.messages).toBe(0);
    expect(second.failed.messages).toBe(2);
    expect(ok.received).toHaveLength(2);
    expect(down.received).toHaveLength(2);
    await engine.refresh(t.ctx.db);
  });

  it('runs from the API for the caller’s scope (compliance.manage)', async () => {
    const res = await call(t, chengdu, 'POST', '/api/compliance/reminders/run', { days: 10 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ today, created: expect.any(Number) });
    expect((await call(t, branch, 'POST', '/api/compliance/reminders/run', {})).statusCode).toBe(403);
  });
});
