/**
 * Roster import and export through Excel: the template, a preview that lists every problem by row and column and
 * commits nothing, all-or-nothing commits, scope (成都 cannot import into 绵阳), idempotent re-import of an
 * unmasked export, the error workbook, upload checks, a scan of the database for full numbers, and a kill -9 of a
 * real server process in the middle of a large import.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFieldCipher } from '../../src/server/crypto/sm.js';
import {
  checkCharacter,
  ID_RE,
  multipart,
  type Person,
  PHONE_RE,
  people,
  rowFor,
  type SheetRow,
  sheet,
  TITLES,
  workbookText,
  wrongCheckCharacter,
} from '../fixtures/members.js';
import {
  allOrgs,
  call,
  createTestApp,
  login,
  type OrgItem,
  PG_URL,
  type Session,
  TEST_DB,
  type TestApp,
} from '../helpers/app.js';

interface ImportResult {
  ok: boolean;
  dryRun: boolean;
  committed: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: { row: number; column: string; message: string }[];
}

const ORG_MESSAGE = 'is not an organisation you can manage (unknown, or outside your scope)';

let t: TestApp;
let province: Session;
let chengdu: Session;
let orgs: OrgItem[];
let chengduB1: OrgItem;
let chengduB2: OrgItem;
let mianyangB1: OrgItem;
/** every number this file generates: none may appear in the database in clear */
const used = new Set<string>();
const generated: Person[] = [];
const gen = (n: number, seed: number, region = '510104') => {
  const ps = people(n, seed, region, used);
  generated.push(...ps);
  return ps;
};

const byName = (name: string) => {
  const o = orgs.find((x) => x.name === name);
  if (!o) throw new Error(`no org ${name}`);
  return o;
};

async function upload(s: Session, url: string, file: Buffer, opts: { field?: string; csrf?: boolean } = {}) {
  const mp = multipart(file, opts.field);
  const headers: Record<string, string> = { cookie: s.cookie, 'content-type': mp.contentType };
  if (opts.csrf !== false) headers['x-csrf-token'] = s.csrf;
  return t.app.inject({ method: 'POST', url, headers, payload: mp.body });
}

async function importSheet(s: Session, rows: SheetRow[] | Buffer, dryRun: boolean): Promise<ImportResult> {
  const file = Buffer.isBuffer(rows) ? rows : await sheet(rows);
  const res = await upload(s, `/api/members/import${dryRun ? '?dryRun=1' : ''}`, file);
  expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
  return res.json() as ImportResult;
}

async function memberCount(s: Session, query = ''): Promise<number> {
  const res = await call(t, s, 'GET', `/api/members?pageSize=1${query}`);
  expect(res.statusCode).toBe(200);
  return res.json().total as number;
}

async function historyCount(): Promise<number> {
  const r = await t.ctx.db
    .selectFrom('member_history')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

const breakChecksum = (id: string) => id.slice(0, 17) + wrongCheckCharacter(id.slice(0, 17));

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  province = await login(t, 'province');
  chengdu = await login(t, 'chengdu');
  orgs = await allOrgs(t, province);
  chengduB1 = byName('成都市科学技术局机关第一党支部');
  chengduB2 = byName('成都市科学技术局机关第二党支部');
  mianyangB1 = byName('绵阳市科学技术局机关第一党支部');
});
afterAll(async () => t?.close());

describe('import template', () => {
  it('has the header row, field notes, and drop-down lists (the org list is the caller’s write scope)', async () => {
    const res = await call(t, chengdu, 'GET', '/api/members/import-template');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename=".+\.xlsx"; filename\*=UTF-8''/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const [data, notes, options] = wb.worksheets;
    expect(data!.getRow(1).values).toEqual([undefined, ...TITLES]);
    const noteTitles: string[] = [];
    notes!.eachRow((r) => noteTitles.push(String(r.getCell(1).value)));
    for (const title of TITLES) expect(noteTitles, title).toContain(title);
    expect(options!.state).toBe('hidden');

    // each enum column validates against a list in the options sheet
    const validations = (data as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation> } })
      .dataValidations.model;
    const listOf = (title: string): string[] => {
      const col = String.fromCharCode(65 + TITLES.indexOf(title as (typeof TITLES)[number]));
      const v = validations[`${col}2`];
      expect(v?.type, title).toBe('list');
      const m = /!\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)$/.exec(String(v!.formulae[0]));
      expect(m, String(v!.formulae[0])).not.toBeNull();
      const values: string[] = [];
      for (let r = Number(m![2]); r <= Number(m![3]); r++) values.push(String(options!.getCell(`${m![1]}${r}`).value));
      return values;
    };
    expect(listOf('性别')).toEqual(['男', '女']);
    expect(listOf('民族')).toHaveLength(56);
    expect(listOf('民族')).toEqual(expect.arrayContaining(['汉族', '彝族', '藏族', '羌族']));
    expect(listOf('党员类别')).toEqual(['正式党员', '预备党员']);
    expect(listOf('状态')).toContain('正常');
    expect(listOf('学历')).toContain('大学本科');
    const orgList = listOf('所在党组织');
    expect(orgList).toContain(chengduB1.name);
    expect(orgList).toContain('成都市科学技术局机关党委');
    expect(orgList.some((n) => n.startsWith('绵阳'))).toBe(false);
    expect(orgList.some((n) => n === '办公室党支部')).toBe(false);
  });

  it('needs member.write', async () => {
    const m = await login(t, 'member');
    expect((await call(t, m, 'GET', '/api/members/import-template')).statusCode).toBe(403);
  });
});

describe('1,000 good rows and 1 bad', () => {
  let rows: SheetRow[];
  const BAD = 537;

  beforeAll(() => {
    rows = gen(1001, 1).map((p) => rowFor(p, chengduB1.name));
  });

  it('the preview reports exactly that row and column and commits nothing; so does a commit attempt', async () => {
    const before = await memberCount(chengdu);
    const broken = rows.map((r, i) => (i === BAD ? { ...r, 身份证号: breakChecksum(r.身份证号!) } : r));
    const preview = await importSheet(chengdu, broken, true);
    expect(preview).toMatchObject({ ok: false, dryRun: true, committed: false, rows: 1001 });
    expect(preview.errors).toEqual([{ row: BAD + 2, column: '身份证号', message: expect.stringMatching(/checksum/) }]);
    const commit = await importSheet(chengdu, broken, false);
    expect(commit).toMatchObject({ ok: false, committed: false, created: 0 });
    expect(commit.errors).toEqual(preview.errors);
    expect(await memberCount(chengdu)).toBe(before);
  });

  it('the fixed sheet previews clean, then commits all 1,001 rows', async () => {
    const before = await memberCount(chengdu);
    const historyBefore = await historyCount();
    const preview = await importSheet(chengdu, rows, true);
    expect(preview).toMatchObject({ ok: true, dryRun: true, committed: false, rows: 1001, created: 1001, errors: [] });
    expect(await memberCount(chengdu)).toBe(before);
    const commit = await importSheet(chengdu, rows, false);
    expect(commit).toMatchObject({ ok: true, committed: true, rows: 1001, created: 1001, updated: 0, errors: [] });
    expect(await memberCount(chengdu)).toBe(before + 1001);
    expect(await historyCount()).toBe(historyBefore + 1001);
    // the rows are there with their values, found by exact ID number
    for (const i of [0, BAD, 1000]) {
      const r = rows[i]!;
      const found = (await call(t, chengdu, 'GET', `/api/members?q=${r.身份证号}`)).json().items;
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({
        name: r.姓名,
        gender: r.性别,
        birthDate: r.出生日期,
        orgId: chengduB1.id,
        category: 'full',
        joinedAt: r.入党日期,
        fullAt: r.转正日期,
        status: 'normal',
      });
    }
    const auditor = await login(t, 'auditor');
    const audit = (await call(t, auditor, 'GET', '/api/audit?action=member.import&result=success')).json().items;
    expect(audit[0]).toMatchObject({ actor: 'chengdu', detail: { rows: 1001, created: 1001, updated: 0 } });
  });
});

describe('the preview lists every problem by row and column', () => {
  let rows: SheetRow[];
  let expected: { row: number; column: string; message: RegExp | string }[];
  let mianyangPerson: Person;
  let chengduB2Person: Person;

  beforeAll(async () => {
    // two registered members: one outside chengdu's scope, one in another org inside it
    [mianyangPerson] = gen(1, 2, '510703');
    [chengduB2Person] = gen(1, 3, '510104');
    for (const [p, org] of [
      [mianyangPerson!, mianyangB1],
      [chengduB2Person!, chengduB2],
    ] as const) {
      const r = rowFor(p, org.name);
      const res = await call(t, province, 'POST', '/api/members', {
        name: r.姓名,
        gender: r.性别,
        ethnicity: '汉族',
        birthDate: r.出生日期,
        idNumber: r.身份证号,
        phone: r.手机号,
        orgId: org.id,
        category: 'full',
        joinedAt: r.入党日期,
        fullAt: r.转正日期,
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const ps = gen(20, 4);
    const row = (i: number, extra: Partial<SheetRow> = {}) => rowFor(ps[i]!, chengduB1.name, extra);
    const p = (i: number) => ps[i]!;
    const dayAfter = (d: string) => `${d.slice(0, 8)}${d.slice(8) === '01' ? '02' : '01'}`;
    rows = [
      row(0, { 姓名: null }), // 2
      row(1, { 身份证号: breakChecksum(p(1).idNumber) }), // 3
      row(2, { 出生日期: dayAfter(p(2).birthDate) }), // 4
      row(3, { 性别: p(3).gender === '男' ? '女' : '男' }), // 5
      row(4, { 转正日期: `${Number(p(4).birthDate.slice(0, 4)) + 24}-01-01` }), // 6: 转正 before joining (joined at 25)
      row(5, { 所在党组织: '不存在的党支部' }), // 7
      row(6, { 所在党组织: mianyangB1.name }), // 8
      row(7), // 9
      rowFor(p(7), chengduB1.name, { 姓名: p(8).name }), // 10: same ID as row 9
      rowFor(mianyangPerson!, chengduB1.name), // 11: registered outside the scope
      rowFor(chengduB2Person!, chengduB1.name), // 12: registered in 成都二支部
      row(9, { 身份证号: `${p(9).idNumber.slice(0, 3)}***********${p(9).idNumber.slice(-4)}` }), // 13
      row(10, {
        入党日期: `${Number(p(10).birthDate.slice(0, 4)) + 16}${p(10).birthDate.slice(4)}`,
        转正日期: null,
        党员类别: '预备党员',
      }), // 14
      row(11), // 15: good
      row(12, { 手机号: '12345', 民族: '火星族' }), // 16
      row(13, { 党员类别: '预备党员' }), // 17: probationary with a 转正 date
      row(14, { 所在党组织: String(mianyangB1.id) }), // 18: by id, outside
      row(15, { 所在党组织: String(chengduB2.id) }), // 19: by id, inside: good
      row(16, { 入党日期: '2099-01-01', 转正日期: null, 党员类别: '预备党员' }), // 20: in the future
    ];
    expected = [
      { row: 2, column: '姓名', message: 'is required' },
      { row: 3, column: '身份证号', message: /checksum/ },
      { row: 4, column: '出生日期', message: /does not match the ID number/ },
      { row: 5, column: '性别', message: /does not match the ID number/ },
      { row: 6, column: '转正日期', message: /after the date joined/ },
      { row: 7, column: '所在党组织', message: ORG_MESSAGE },
      { row: 8, column: '所在党组织', message: ORG_MESSAGE },
      { row: 10, column: '身份证号', message: /row 9/ },
      { row: 11, column: '身份证号', message: /already registered/ },
      { row: 12, column: '身份证号', message: new RegExp(chengduB2.name) },
      { row: 13, column: '身份证号', message: /masked/ },
      { row: 14, column: '入党日期', message: /18th birthday/ },
      { row: 16, column: '民族', message: /56/ },
      { row: 16, column: '手机号', message: /mobile/ },
      { row: 17, column: '转正日期', message: /probationary/ },
      { row: 18, column: '所在党组织', message: ORG_MESSAGE },
      { row: 20, column: '入党日期', message: /future/ },
    ];
  });

  it('reports each of them, and only them; nothing is committed', async () => {
    const before = await memberCount(province);
    const result = await importSheet(chengdu, rows, true);
    expect(result.ok).toBe(false);
    expect(result.rows).toBe(rows.length);
    const key = (e: { row: number; column: string }) => `${e.row} ${e.column}`;
    expect(result.errors.map(key).sort()).toEqual(expected.map(key).sort());
    for (const e of expected) {
      const got = result.errors.find((x) => key(x) === key(e))!;
      if (typeof e.message === 'string') expect(got.message, key(e)).toBe(e.message);
      else expect(got.message, key(e)).toMatch(e.message);
    }
    // outside the scope the message does not say where the member is
    expect(result.errors.find((e) => e.row === 11)!.message).not.toMatch(/绵阳/);
    expect(JSON.stringify(result)).not.toMatch(ID_RE);
    const commit = await importSheet(chengdu, rows, false);
    expect(commit.committed).toBe(false);
    expect(await memberCount(province)).toBe(before);
  });

  it('the error workbook: the uploaded sheet with bad cells filled red, comments, and a 错误原因 column', async () => {
    const res = await upload(chengdu, '/api/members/import/errors', await sheet(rows));
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    expect(header.slice(0, TITLES.length)).toEqual([...TITLES]);
    const reasonsCol = header.indexOf('错误原因') + 1;
    expect(reasonsCol).toBe(TITLES.length + 1);
    const col = (title: string) => TITLES.indexOf(title as (typeof TITLES)[number]) + 1;
    const isRed = (c: ExcelJS.Cell) => (c.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb === 'FFFF0000';
    const bad = ws.getCell(3, col('身份证号'));
    expect(isRed(bad)).toBe(true);
    expect(JSON.stringify(bad.note)).toMatch(/checksum/);
    expect(bad.text).toBe(rows[1]!.身份证号);
    expect(String(ws.getCell(3, reasonsCol).value)).toMatch(/身份证号：.*checksum/);
    expect(isRed(ws.getCell(16, col('民族')))).toBe(true);
    expect(isRed(ws.getCell(16, col('手机号')))).toBe(true);
    expect(String(ws.getCell(16, reasonsCol).value)).toMatch(/民族.*；.*手机号|手机号.*；.*民族/);
    // good rows and good cells stay plain
    expect(isRed(ws.getCell(15, col('身份证号')))).toBe(false);
    expect(ws.getCell(15, reasonsCol).value ?? null).toBeNull();
    expect(isRed(ws.getCell(3, col('姓名')))).toBe(false);
    expect(ws.getCell(15, col('姓名')).text).toBe(rows[13]!.姓名);
  });
});

describe('chengdu cannot import into 绵阳', () => {
  it('every such row is reported on 所在党组织 (by name or id, same message as an unknown org); nothing is committed', async () => {
    const mianyangBefore = await memberCount(province, `&org=${mianyangB1.id}`);
    const chengduBefore = await memberCount(chengdu);
    const ps = gen(4, 5, '510703');
    const rows = [
      rowFor(ps[0]!, mianyangB1.name),
      rowFor(ps[1]!, String(mianyangB1.id)),
      rowFor(ps[2]!, `${mianyangB1.name} #${mianyangB1.id}`),
      rowFor(ps[3]!, chengduB1.name),
    ];
    const result = await importSheet(chengdu, rows, false);
    expect(result).toMatchObject({ ok: false, committed: false });
    expect(result.errors).toEqual([
      { row: 2, column: '所在党组织', message: ORG_MESSAGE },
      { row: 3, column: '所在党组织', message: ORG_MESSAGE },
      { row: 4, column: '所在党组织', message: ORG_MESSAGE },
    ]);
    expect(await memberCount(province, `&org=${mianyangB1.id}`)).toBe(mianyangBefore);
    expect(await memberCount(chengdu)).toBe(chengduBefore);
    // province may
    const ok = await importSheet(province, rows.slice(0, 1), false);
    expect(ok).toMatchObject({ ok: true, created: 1 });
    expect(await memberCount(province, `&org=${mianyangB1.id}`)).toBe(mianyangBefore + 1);
  });
});

describe('re-import of an export', () => {
  it('an unmasked export re-imports without changing anything: same count, no new history', async () => {
    const res = await call(t, chengdu, 'GET', '/api/members/export?unmasked=1');
    expect(res.statusCode).toBe(200);
    const count = await memberCount(chengdu);
    const history = await historyCount();
    const preview = await importSheet(chengdu, res.rawPayload, true);
    expect(preview).toMatchObject({ ok: true, rows: count, created: 0, updated: 0, unchanged: count, errors: [] });
    const commit = await importSheet(chengdu, res.rawPayload, false);
    expect(commit).toMatchObject({ ok: true, committed: true, created: 0, updated: 0, unchanged: count });
    expect(await memberCount(chengdu)).toBe(count);
    expect(await historyCount()).toBe(history);
  });

  it('a changed cell updates that member only, with one history entry', async () => {
    const res = await call(t, chengdu, 'GET', `/api/members/export?org=${chengduB2.id}&unmasked=1`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const titleCol = TITLES.indexOf('职务') + 1;
    const idCol = TITLES.indexOf('身份证号') + 1;
    ws.getCell(2, titleCol).value = '支部委员（导入修改）';
    const id = String(ws.getCell(2, idCol).value);
    const edited = Buffer.from(await wb.xlsx.writeBuffer());
    const history = await historyCount();
    const result = await importSheet(chengdu, edited, false);
    expect(result).toMatchObject({ ok: true, created: 0, updated: 1 });
    expect(await historyCount()).toBe(history + 1);
    const m = (await call(t, chengdu, 'GET', `/api/members?q=${id}`)).json().items[0];
    expect(m.title).toBe('支部委员（导入修改）');
    const h = (await call(t, chengdu, 'GET', `/api/members/${m.id}/history`)).json().items[0];
    expect(h).toMatchObject({ action: 'import', actor: 'chengdu' });
    expect(h.changes).toEqual([{ field: 'title', from: expect.anything(), to: '支部委员（导入修改）' }]);
  });

  it('a masked export cannot be re-imported: every number is reported as masked', async () => {
    const res = await call(t, chengdu, 'GET', `/api/members/export?org=${chengduB2.id}`);
    const result = await importSheet(chengdu, res.rawPayload, true);
    expect(result.ok).toBe(false);
    expect(result.errors.filter((e) => e.column === '身份证号')).toHaveLength(result.rows);
    expect(result.errors.every((e) => /masked/.test(e.message))).toBe(true);
  });
});

describe('cells as offices type them', () => {
  it('dates as Excel dates, 1990/1/2, 1990.1.2, 19900102 and 1990年1月2日; the header may mark required columns with *', async () => {
    const ps = gen(5, 6);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('党员名册');
    ws.addRow(TITLES.map((x) => (['姓名', '身份证号'].includes(x) ? `*${x}` : x)));
    const formats = [
      (d: string) => new Date(`${d}T00:00:00Z`),
      (d: string) => `${Number(d.slice(0, 4))}/${Number(d.slice(5, 7))}/${Number(d.slice(8))}`,
      (d: string) => `${d.slice(0, 4)}.${d.slice(5, 7)}.${d.slice(8)}`,
      (d: string) => d.replaceAll('-', ''),
      (d: string) => `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8))}日`,
    ];
    ps.forEach((p, i) => {
      const r = rowFor(p, chengduB2.name);
      const f = formats[i]!;
      ws.addRow(
        TITLES.map((title) =>
          ['出生日期', '入党日期', '转正日期'].includes(title) ? f(r[title]!) : (r[title] as string | null),
        ),
      );
    });
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const result = await importSheet(chengdu, buf, false);
    expect(result.errors).toEqual([]);
    expect(result).toMatchObject({ ok: true, created: 5 });
    const m = (await call(t, chengdu, 'GET', `/api/members?q=${ps[4]!.idNumber}`)).json().items[0];
    expect(m.birthDate).toBe(ps[4]!.birthDate);
  });

  it('a missing column is reported on the header row', async () => {
    const ps = gen(1, 7);
    const titles = TITLES.filter((x) => x !== '党员类别');
    const result = await importSheet(chengdu, await sheet([rowFor(ps[0]!, chengduB1.name)], titles), true);
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([{ row: 1, column: '党员类别', message: expect.stringMatching(/missing/) }]);
  });

  it('an 18-digit ID stored as a number (rounded by Excel) is caught', async () => {
    const ps = gen(1, 8);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('党员名册');
    ws.addRow([...TITLES]);
    const r = rowFor(ps[0]!, chengduB1.name);
    ws.addRow(TITLES.map((title) => (title === '身份证号' ? Number(r[title]!.replace('X', '0')) : r[title])));
    const result = await importSheet(chengdu, Buffer.from(await wb.xlsx.writeBuffer()), true);
    expect(result.errors).toEqual([{ row: 2, column: '身份证号', message: expect.stringMatching(/as text/) }]);
  });
});

describe('upload checks', () => {
  it('type by magic bytes, the field name, CSRF and permission', async () => {
    const csv = Buffer.from('姓名,性别\n张三,男\n');
    const notXlsx = await upload(chengdu, '/api/members/import?dryRun=1', csv);
    expect(notXlsx.statusCode).toBe(415);
    expect(notXlsx.json().error).toMatchObject({ code: 'unsupported_media_type', field: 'file' });
    const damaged = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100, 1)]);
    expect((await upload(chengdu, '/api/members/import?dryRun=1', damaged)).statusCode).toBe(400);
    const good = await sheet([rowFor(gen(1, 9)[0]!, chengduB1.name)]);
    const wrongField = await upload(chengdu, '/api/members/import?dryRun=1', good, { field: 'upload' });
    expect(wrongField.statusCode).toBe(400);
    expect(wrongField.json().error.field).toBe('file');
    const json = await call(t, chengdu, 'POST', '/api/members/import?dryRun=1', { file: 'x' });
    expect(json.statusCode).toBe(415);
    expect((await upload(chengdu, '/api/members/import?dryRun=1', good, { csrf: false })).statusCode).toBe(403);
    const m = await login(t, 'member');
    expect((await upload(m, '/api/members/import?dryRun=1', good)).statusCode).toBe(403);
  });

  it('a file over the size limit is refused with 413', async () => {
    const big = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(21 * 1024 * 1024)]);
    const res = await upload(chengdu, '/api/members/import?dryRun=1', big);
    expect(res.statusCode).toBe(413);
  });
});

/** Full numbers: 18-character ID numbers and mobile numbers (security.md). */
const ID_G = new RegExp(ID_RE.source, 'g');
const PHONE_G = new RegExp(PHONE_RE.source, 'g');

/**
 * Blanks out hex runs of 64 or more characters: SM3 digests (audit chain, session ids, blind indexes). In the
 * SQLite file a digest touches its neighbours (record fields are not delimited: a digest followed by the masked
 * phone "186****…" makes a longer hex run), and stale digests of replaced rows linger in free pages, so exact
 * matching is not possible there; 11 decimal digits in a row occur inside a digest about one time in four. What
 * this heuristic cannot see, the verbatim search for every generated number below still finds.
 */
function stripDigests(text: string): string {
  return text.replace(/[0-9a-f]{64,}/g, (run) => ' '.repeat(run.length));
}

/** Number-shaped strings left after the digests are removed, and any of the generated numbers found verbatim. */
/**
 * Raw database pages split long records across overflow pages, cutting digests into short hex pieces; there a
 * number-shaped string counts only when it is not glued to other letters or digits. (The verbatim search for the
 * generated numbers does not depend on this.)
 */
const ID_FILE = new RegExp(`(?<![0-9A-Za-z])(?:${ID_G.source})(?![0-9A-Za-z])`, 'g');
const PHONE_FILE = new RegExp(`(?<![0-9A-Za-z])(?:${PHONE_G.source})(?![0-9A-Za-z])`, 'g');

function scan(text: string, known: Set<string>, rawFile = false) {
  const cleaned = stripDigests(text);
  const [idRe, phoneRe] = rawFile ? [ID_FILE, PHONE_FILE] : [ID_G, PHONE_G];
  const leaks = [...(cleaned.match(idRe) ?? []), ...(cleaned.match(phoneRe) ?? [])];
  const clear = new Set<string>();
  // every generated ID starts with 51 and every phone with 1: look those positions up
  for (let i = text.indexOf('1'); i >= 0; i = text.indexOf('1', i + 1)) {
    if (known.has(text.slice(i, i + 11))) clear.add(text.slice(i, i + 11));
    if (i > 0 && text[i - 1] === '5' && known.has(text.slice(i - 1, i + 17))) clear.add(text.slice(i - 1, i + 17));
  }
  return { leaks, clear: [...clear] };
}

describe('no full ID or phone number at rest', () => {
  it('the database (every table’s rows; on SQLite also the file and its WAL) holds none', async () => {
    expect(generated.length).toBeGreaterThan(1000);
    const numbers = generated.flatMap((p) => [p.idNumber, p.phone]);
    const known = new Set(numbers);
    // rows of every table, as text
    const tables = [
      'orgs',
      'members',
      'party_posts',
      'member_history',
      'audit_log',
      'users',
      'grants',
      'sessions',
      'settings',
    ] as const;
    let rowsText = '';
    for (const table of tables) rowsText += JSON.stringify(await t.ctx.db.selectFrom(table).selectAll().execute());
    expect(rowsText.length).toBeGreaterThan(100_000);
    const inRows = scan(rowsText, known);
    expect(inRows.clear, 'generated numbers stored in clear').toEqual([]);
    expect(inRows.leaks, 'number-shaped strings in the rows').toEqual([]);
    if (TEST_DB === 'sqlite') {
      const file = t.ctx.database.file!;
      for (const f of [file, `${file}-wal`]) {
        if (!fs.existsSync(f)) continue;
        const text = fs.readFileSync(f).toString('latin1');
        const found = scan(text, known, true);
        expect(found.clear, `${path.basename(f)}: generated numbers in clear`).toEqual([]);
        expect(found.leaks, `${path.basename(f)}: number-shaped strings`).toEqual([]);
      }
    }
  });

  it('a masked export of the whole scope holds none', async () => {
    const res = await call(t, province, 'GET', '/api/members/export');
    expect(res.statusCode).toBe(200);
    const text = (await workbookText(res.rawPayload)).flat(2).join('\n');
    expect(text.split('\n').length).toBeGreaterThan(1000);
    expect(text.match(ID_G)).toBeNull();
    expect(text.match(PHONE_G)).toBeNull();
    for (const p of generated.slice(0, 200)) expect(text.includes(p.idNumber)).toBe(false);
  });

  it('the fixture’s check characters are right (a self-check of the generator)', () => {
    // GB 11643 example: 11010519491231002X
    expect(checkCharacter('11010519491231002')).toBe('X');
    expect(checkCharacter('44052418800101001')).toBe('4');
  });
});

// ---- a real server process, killed in the middle of a large import ------------------------------------------------

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

interface Spawned {
  child: ChildProcess;
  base: string;
  output: () => string;
  dataDir: string;
  schema?: string;
}

async function startServer(): Promise<Spawned> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-kill-'));
  const port = await freePort();
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    DEMO: 'on',
    PASSWORD_ITERATIONS: '1000',
    LOGIN_RATE_LIMIT: '1000',
    // info, not warn: the request log is scanned for numbers as well
    LOG_LEVEL: 'info',
    DATABASE_URL: '',
    DATABASE_SCHEMA: '',
  };
  let schema: string | undefined;
  if (TEST_DB === 'postgres') {
    schema = `kill_${Date.now().toString(36)}`;
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.end();
    env.DATABASE_URL = PG_URL;
    env.DATABASE_SCHEMA = schema;
  }
  // detached: the child leads its own process group (tsx starts a second process), killed as a whole
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/server/main.ts'], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${out}`);
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, base, output: () => out, dataDir, schema };
}

async function httpLogin(base: string, username: string) {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'Dangjian@2026' }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('dj_sid='))!
    .split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, csrf: csrfToken };
}

async function httpImport(base: string, s: { cookie: string; csrf: string }, file: Buffer, dryRun: boolean) {
  const mp = multipart(file);
  return fetch(`${base}/api/members/import${dryRun ? '?dryRun=1' : ''}`, {
    method: 'POST',
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': mp.contentType },
    body: mp.body,
  });
}

describe('kill -9 in the middle of a large import', () => {
  let server: Spawned | undefined;

  afterAll(async () => {
    if (server?.child.exitCode === null) process.kill(-server.child.pid!, 'SIGKILL');
    if (server?.schema) {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA ${server.schema} CASCADE`);
      await client.end();
    }
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
  });

  it('leaves no member of that import in the database; the request log holds no number', async () => {
    server = await startServer();
    const { base } = server;
    const s = await httpLogin(base, 'chengdu');

    // searches by exact ID and phone put numbers into URLs: the log must show them masked
    const [probe] = people(1, 77, '510104');
    for (const q of [probe!.idNumber, probe!.phone]) {
      const res = await fetch(`${base}/api/members?q=${q}`, { headers: { cookie: s.cookie } });
      expect(res.status).toBe(200);
    }

    const N = 30_000;
    const ps = people(N, 4242, '510104');
    const file = await sheet(ps.map((p) => rowFor(p, '成都市科学技术局机关第二党支部')));
    const dry = await httpImport(base, s, file, true);
    expect(dry.status).toBe(200);
    expect(((await dry.json()) as ImportResult).ok).toBe(true);

    // the database, seen from a second connection
    const cipher = loadFieldCipher(server.dataDir);
    const indexes = ps.map((p) => cipher.blindIndex(p.idNumber));
    let countMembers: () => Promise<number>;
    let countOfImport: () => Promise<number>;
    let commitRunning: () => Promise<boolean>;
    let close: () => Promise<void>;
    if (TEST_DB === 'postgres') {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`SET search_path TO ${server.schema}`);
      countMembers = async () => Number((await client.query('SELECT count(*) AS n FROM members')).rows[0].n);
      countOfImport = async () =>
        Number((await client.query('SELECT count(*) AS n FROM members WHERE id_index = ANY($1)', [indexes])).rows[0].n);
      // the server's connection is inserting members: the transaction is open
      commitRunning = async () =>
        Number(
          (
            await client.query(
              `SELECT count(*) AS n FROM pg_stat_activity
               WHERE pid <> pg_backend_pid() AND state = 'active' AND query ILIKE 'insert into "members"%'`,
            )
          ).rows[0].n,
        ) > 0;
      close = () => client.end();
    } else {
      const file = path.join(server.dataDir, 'dangjian.sqlite');
      const wal = `${file}-wal`;
      const walSize = () => (fs.existsSync(wal) ? fs.statSync(wal).size : 0);
      const walBefore = walSize();
      const db = new SQLite(file, { readonly: true });
      countMembers = async () => (db.prepare('SELECT count(*) AS n FROM members').get() as { n: number }).n;
      countOfImport = async () => {
        let n = 0;
        const stmt = db.prepare('SELECT count(*) AS n FROM members WHERE id_index = ?');
        for (const idx of indexes) n += (stmt.get(idx) as { n: number }).n;
        return n;
      };
      // the import's pages spill into the WAL before its commit record is written
      commitRunning = async () => walSize() > walBefore + 1024 * 1024;
      close = async () => {
        db.close();
      };
    }
    const before = await countMembers();
    expect(await countOfImport()).toBe(0);

    let answered = false;
    const commit = httpImport(base, s, file, false).then(
      () => {
        answered = true;
      },
      () => undefined, // the connection dies with the server
    );
    const started = Date.now();
    while (!(await commitRunning())) {
      if (answered) throw new Error('the import finished before the kill: use a larger sheet');
      if (Date.now() - started > 120_000) throw new Error('the commit never started');
      await new Promise((r) => setTimeout(r, 5));
    }
    const exited = new Promise((r) => server!.child.once('exit', r));
    process.kill(-server.child.pid!, 'SIGKILL');
    await exited;
    await commit;
    expect(answered, 'the server answered before it was killed').toBe(false);
    await close();

    // reopen (SQLite recovers from the WAL here): nothing of that import, everything else intact
    if (TEST_DB === 'postgres') {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`SET search_path TO ${server.schema}`);
      expect(Number((await client.query('SELECT count(*) AS n FROM members')).rows[0].n)).toBe(before);
      const n = (await client.query('SELECT count(*) AS n FROM members WHERE id_index = ANY($1)', [indexes])).rows[0].n;
      expect(Number(n)).toBe(0);
      await client.end();
    } else {
      const file = path.join(server.dataDir, 'dangjian.sqlite');
      const db = new SQLite(file);
      expect((db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check).toBe('ok');
      expect((db.prepare('SELECT count(*) AS n FROM members').get() as { n: number }).n).toBe(before);
      const stmt = db.prepare('SELECT count(*) AS n FROM members WHERE id_index = ?');
      expect(indexes.reduce((n, idx) => n + (stmt.get(idx) as { n: number }).n, 0)).toBe(0);
      db.close();
    }

    // pino's epoch-millisecond "time" and the fractional digits of "responseTime" are long digit runs by design
    const log = server
      .output()
      .replace(/"time":\d+/g, '"time":0')
      .replace(/\d+\.\d+/g, '0.0');
    expect(log).toContain('/api/members?q=');
    expect(log.match(ID_G) ?? []).toEqual([]);
    expect(log.match(PHONE_G) ?? []).toEqual([]);
  }, 240_000);
});
