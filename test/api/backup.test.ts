/**
 * Backup and restore (security.md, Reliability: "a backup that was never restored does not count"): the demo with a
 * year of meetings and an uploaded attachment is backed up, restored into a new empty database, and every table's
 * row count and SM3 digest compared; people can log in and the encrypted numbers decrypt; the audit chain verifies.
 * A tampered backup, a different field key or a non-empty target is refused and changes nothing.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/server/audit/audit.service.js';
import { seedDemoActivity } from '../../src/server/demo/activity.js';
import { createBackup, readBackup, restoreBackup } from '../../src/server/modules/backup/backup.service.js';
import { multipart } from '../fixtures/members.js';
import { call, createTestApp, login, type TestApp } from '../helpers/app.js';

const KEY = crypto.randomBytes(16).toString('hex');
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

let source: TestApp;
const opened: TestApp[] = [];
let work: string;
let dir: string;
let attachmentUrl: string;

async function fresh(key = KEY): Promise<TestApp> {
  const t = await createTestApp({ env: { FIELD_KEY: key } });
  opened.push(t);
  return t;
}

const count = async (t: TestApp, table: 'users' | 'members' | 'meetings' | 'audit_log') =>
  Number(
    (
      await t.ctx.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  source = await createTestApp({ demo: true, env: { FIELD_KEY: KEY } });
  await seedDemoActivity(source.ctx.db, { dataDir: source.dataDir });
  const branch = await login(source, 'branch');
  const list = await call(source, branch, 'GET', '/api/meetings?status=draft&pageSize=1');
  const meeting = (list.json() as { items: { id: number }[] }).items[0]!;
  const mp = multipart(PNG, 'file', '活动照片.png');
  const up = await source.app.inject({
    method: 'POST',
    url: `/api/meetings/${meeting.id}/attachments`,
    headers: { cookie: branch.cookie, 'x-csrf-token': branch.csrf, 'content-type': mp.contentType },
    payload: mp.body,
  });
  expect(up.statusCode, up.body).toBe(201);
  const att = up.json() as { id: number; url?: string };
  attachmentUrl = att.url ?? `/api/meetings/${meeting.id}/attachments/${att.id}`;
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-backup-'));
  dir = path.join(work, 'backup');
  await createBackup(source.ctx.db, { dataDir: source.dataDir, cipher: source.ctx.cipher, dir });
}, 180_000);

afterAll(async () => {
  for (const t of opened) await t.close();
  await source?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('backup', () => {
  it('holds every table with its rows and digest, the uploaded file, and no clear personal numbers', () => {
    const m = readBackup(dir);
    expect(m.tables.members!.rows).toBeGreaterThan(400);
    expect(m.tables.meetings!.rows).toBeGreaterThan(1000);
    expect(m.tables.audit_log!.rows).toBeGreaterThan(0);
    expect(m.files.filter((f) => f.path.startsWith('meetings/')).length).toBe(1);
    expect(m.files.filter((f) => f.path.startsWith('learning/')).length).toBeGreaterThan(5);
    const text = Object.values(m.tables)
      .map((e) => fs.readFileSync(path.join(dir, e.file), 'utf8'))
      .join('');
    // number-shaped strings standing alone (inside an SM3 digest or a base64 ciphertext they are glued to letters)
    expect(text).not.toMatch(/(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/);
    expect(text).not.toMatch(/(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])/);
    expect(text).not.toContain(KEY);
  });

  it('has none of the real numbers verbatim (every member’s ID and phone, decrypted from the source)', async () => {
    const rows = await source.ctx.db.selectFrom('members').select(['id_enc', 'phone_enc']).execute();
    const text = fs.readFileSync(path.join(dir, 'tables', 'members.jsonl'), 'utf8');
    let checked = 0;
    for (const r of rows) {
      for (const enc of [r.id_enc, r.phone_enc]) {
        if (!enc) continue;
        expect(text.includes(source.ctx.cipher.decrypt(enc))).toBe(false);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(rows.length);
  });
});

describe('restore', () => {
  it('into an empty database: every table matches, people log in, numbers decrypt, the audit chain verifies', async () => {
    const target = await fresh();
    const r = await restoreBackup(target.ctx.db, { dataDir: target.dataDir, cipher: target.ctx.cipher, dir });
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    expect(r.checks.length).toBe(Object.keys(readBackup(dir).tables).length);
    for (const table of ['users', 'members', 'meetings'] as const) {
      expect(await count(target, table)).toBe(await count(source, table));
    }
    expect((await verifyChain(target.ctx.db)).ok).toBe(true);

    const [a, b] = [await login(source, 'chengdu'), await login(target, 'chengdu')];
    const someone = ((await call(source, a, 'GET', '/api/members?pageSize=1')).json() as { items: { id: number }[] })
      .items[0]!;
    const revealed = async (t: TestApp, s: typeof a) =>
      (await call(t, s, 'POST', `/api/members/${someone.id}/reveal`)).json();
    expect(await revealed(target, b)).toEqual(await revealed(source, a));
    // the roster's search keys were rebuilt by the triggers: a name search finds the same people
    const q = encodeURIComponent('王');
    const search = async (t: TestApp, s: typeof a) =>
      (await call(t, s, 'GET', `/api/members?q=${q}&pageSize=5`)).json() as { total: number };
    expect((await search(target, b)).total).toBe((await search(source, a)).total);
    // the compliance results came along
    const branch = await login(target, 'branch');
    const file = await call(target, branch, 'GET', attachmentUrl);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(PNG)).toBe(true);
    // new rows get new ids after the restored ones (sequences moved on)
    const created = await call(target, b, 'POST', '/api/orgs', {
      parentId: (
        await target.ctx.db
          .selectFrom('orgs')
          .select('id')
          .where('name', 'like', '成都%')
          .orderBy('id')
          .executeTakeFirstOrThrow()
      ).id,
      name: '恢复后新建党支部',
      kind: 'branch',
    });
    expect(created.statusCode, created.body).toBe(201);
    const maxBefore = Math.max(...(await source.ctx.db.selectFrom('orgs').select('id').execute()).map((o) => o.id));
    expect((created.json() as { id: number }).id).toBeGreaterThan(maxBefore);
  });

  it('refuses a tampered backup, another field key and a non-empty database, changing nothing', async () => {
    const tampered = path.join(work, 'tampered');
    fs.cpSync(dir, tampered, { recursive: true });
    const file = path.join(tampered, 'tables', 'members.jsonl');
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, 'utf8')
        .replace('"党员"', '"群众"')
        .replace(/,"full",/, ',"probationary",'),
    );
    const t1 = await fresh();
    await expect(
      restoreBackup(t1.ctx.db, { dataDir: t1.dataDir, cipher: t1.ctx.cipher, dir: tampered }),
    ).rejects.toThrow(/members.*SM3/);
    expect(await count(t1, 'members')).toBe(0);
    expect(await count(t1, 'users')).toBe(0);

    const t2 = await fresh(crypto.randomBytes(16).toString('hex'));
    await expect(restoreBackup(t2.ctx.db, { dataDir: t2.dataDir, cipher: t2.ctx.cipher, dir })).rejects.toThrow(
      /field-encryption key/,
    );
    expect(await count(t2, 'members')).toBe(0);

    const before = await count(source, 'meetings');
    await expect(
      restoreBackup(source.ctx.db, { dataDir: source.dataDir, cipher: source.ctx.cipher, dir }),
    ).rejects.toThrow(/not empty/);
    expect(await count(source, 'meetings')).toBe(before);
  });
});
