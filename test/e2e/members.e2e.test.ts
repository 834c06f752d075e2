/**
 * Browser test of the roster pages (issue 3) against the real server with the demo data: as the 成都 admin,
 * search the roster, open a member and reveal the full numbers; download the import template, upload a sheet
 * with two bad rows and see exactly those in the preview, fix it, commit, see the roster grow, export and find the
 * new members masked; the overdue transfer flagged; as the provincial admin, the staffing table worst first.
 * Needs `npx vite build` first and Chromium at /usr/bin/chromium.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { type Browser, type BrowserContext, chromium, type Download, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server';

const PASSWORD = 'Dangjian@2026';
const SHOTS = path.resolve('test-results/screenshots');
const TIMEOUT = 60_000;

const CHENGDU_BRANCH = '成都市科学技术局机关第一党支部';
const MIANYANG_BRANCH = '绵阳市科学技术局机关第一党支部';
const NEW_MEMBERS = 10;

let server: { baseUrl: string; close(): Promise<void> } | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  if (!fs.existsSync(path.resolve('dist/web/index.html'))) {
    throw new Error('dist/web is missing: run `npx vite build` before the browser test');
  }
  fs.mkdirSync(SHOTS, { recursive: true });
  server = await startTestServer({ demo: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openPage(width = 1440, height = 900): Promise<{ context: BrowserContext; page: Page }> {
  if (!browser || !server) throw new Error('browser or server not started');
  const context = await browser.newContext({
    viewport: { width, height },
    locale: 'zh-CN',
    baseURL: server.baseUrl,
    acceptDownloads: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return { context, page };
}

async function withPage(name: string, size: [number, number], body: (page: Page) => Promise<void>): Promise<void> {
  const { context, page } = await openPage(size[0], size[1]);
  try {
    await body(page);
  } catch (error) {
    await page.screenshot({ path: path.join(SHOTS, `failed-${name}.png`) }).catch(() => undefined);
    throw error;
  } finally {
    await context.close();
  }
}

async function login(page: Page, username: string): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

function eventually<T>(read: () => Promise<T> | T) {
  return expect.poll(read, { timeout: 15_000, interval: 100 });
}

/** No antd spinner, no running transition: for a clean screenshot only (never as a wait for content). */
async function settle(page: Page): Promise<void> {
  await eventually(() => page.locator('.ant-spin-spinning, .ant-skeleton, .ant-message-notice').count()).toBe(0);
  await page.waitForTimeout(800);
}

/** Clicks and returns the file the page hands to the browser. */
async function download(page: Page, trigger: () => Promise<void>): Promise<{ download: Download; file: string }> {
  const [event] = await Promise.all([page.waitForEvent('download'), trigger()]);
  const file = await event.path();
  return { download: event, file };
}

/** The popconfirm that is open now (antd keeps closed ones in the DOM). */
function popconfirm(page: Page): Locator {
  return page.locator('.ant-popconfirm:visible');
}

// ---- 身份证号 (GB 11643-1999), computed here independently of the application --------------------------------

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

function checkChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

function validIdNumber(id: string): boolean {
  return /^\d{17}[\dX]$/.test(id) && checkChar(id.slice(0, 17)) === id[17];
}

interface Person {
  name: string;
  gender: '男' | '女';
  birthDate: string;
  idNumber: string;
  org: string;
  joinedAt: string;
  fullAt: string;
}

/** People with valid ID numbers (成都 青羊区 area code), born on distinct days, in the 成都 branch. */
function people(count: number): Person[] {
  const surnames = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨';
  const given = ['建华', '晓梅', '志强', '丽娟', '国庆', '海燕', '文博', '雪莲', '卫东', '春花', '明轩', '静怡'];
  const salt = Date.now() % 97;
  return Array.from({ length: count }, (_, i) => {
    const birth = new Date(Date.UTC(1975, 0, 1) + (i * 373 + salt) * 86_400_000);
    const ymd = birth.toISOString().slice(0, 10);
    const sequence = String(100 + ((i * 7 + salt) % 900)).padStart(3, '0');
    const first17 = `510105${ymd.replace(/-/g, '')}${sequence}`;
    const year = birth.getUTCFullYear();
    return {
      name: `${surnames[i % surnames.length]}${given[i % given.length]}`,
      gender: Number(sequence[2]) % 2 === 1 ? '男' : '女',
      birthDate: ymd,
      idNumber: `${first17}${checkChar(first17)}`,
      org: CHENGDU_BRANCH,
      joinedAt: `${year + 25}-07-01`,
      fullAt: `${year + 26}-07-01`,
    };
  });
}

/** The template with the people filled in below its header row; returns the workbook and each person's sheet row. */
async function fillTemplate(templateFile: string, rows: Person[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(templateFile);
  const sheet = workbook.getWorksheet('党员名册')!;
  const header = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? '').replace(/\*/g, ''));
  const col = (title: string) => {
    const index = header.indexOf(title);
    if (index < 1) throw new Error(`template has no column ${title}`);
    return index;
  };
  rows.forEach((person, i) => {
    const row = sheet.getRow(i + 2);
    row.getCell(col('姓名')).value = person.name;
    row.getCell(col('性别')).value = person.gender;
    row.getCell(col('民族')).value = '汉族';
    row.getCell(col('出生日期')).value = person.birthDate;
    row.getCell(col('身份证号')).value = person.idNumber;
    row.getCell(col('学历')).value = '大学本科';
    row.getCell(col('工作单位')).value = '成都市科学技术局';
    row.getCell(col('职务')).value = '科员';
    row.getCell(col('所在党组织')).value = person.org;
    row.getCell(col('党员类别')).value = '正式党员';
    row.getCell(col('入党日期')).value = person.joinedAt;
    row.getCell(col('转正日期')).value = person.fullAt;
    row.commit();
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function chooseFile(page: Page, name: string, buffer: Buffer): Promise<void> {
  await page.getByTestId('import-dropzone').setInputFiles({
    name,
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer,
  });
}

/** "共 60 条" → 60 */
async function rosterTotal(page: Page): Promise<number> {
  const text = (await page.getByTestId('members-total').textContent()) ?? '';
  const match = /(\d+)/.exec(text);
  return match ? Number(match[1]) : Number.NaN;
}

describe('roster, import and export as the 成都 party-affairs admin', () => {
  let context: BrowserContext;
  let page: Page;
  let totalBefore = 0;
  let templateFile = '';
  const sheetPeople = people(NEW_MEMBERS);
  // Sheet rows (header = 1): one bad checksum, one branch of 绵阳 (outside 成都's scope).
  const BAD_CHECKSUM_ROW = 4;
  const OUTSIDE_ROW = 8;

  beforeAll(async () => {
    ({ context, page } = await openPage());
  });

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail') {
      await page.screenshot({ path: path.join(SHOTS, 'failed-members-flow.png') }).catch(() => undefined);
    }
  });

  afterAll(async () => {
    await context?.close();
  });

  it(
    'opens the roster, finds a member by name and reveals the full numbers in the drawer',
    async () => {
      await login(page, 'chengdu');
      await page.getByTestId('nav-members').click();
      await page.waitForURL('**/members');
      const table = page.getByTestId('members-table');
      await table.locator('.ant-table-row').first().waitFor();
      await eventually(() => rosterTotal(page)).toBeGreaterThan(0);
      totalBefore = await rosterTotal(page);
      // Only 成都's members: the 成都 admin never sees a 绵阳 member.
      expect((await table.textContent()) ?? '').not.toContain('绵阳');
      await settle(page);
      await page.screenshot({ path: path.join(SHOTS, 'members.png') });

      const name = ((await table.getByTestId('member-name').nth(2).textContent()) ?? '').trim();
      expect(name.length).toBeGreaterThan(1);
      await page.getByTestId('member-search').locator('input').fill(name);
      await page.getByTestId('member-search').locator('input').press('Enter');
      await eventually(async () => {
        const names = await table.getByTestId('member-name').allTextContents();
        return names.length > 0 && names.every((n) => n.includes(name));
      }).toBe(true);

      await table.getByTestId('member-name').filter({ hasText: name }).first().click();
      const drawer = page.getByTestId('member-drawer');
      await drawer.getByTestId('member-id-number').waitFor();
      const masked = ((await drawer.getByTestId('member-id-number').textContent()) ?? '').trim();
      expect(masked).toMatch(/^\d{3}\*+\d{3}[\dX]$/);
      await drawer.getByTestId('member-history').or(drawer.getByText('暂无变更记录')).first().waitFor();

      await drawer.getByTestId('btn-reveal').click();
      await popconfirm(page).getByRole('button', { name: '确定' }).click();
      await drawer.getByTestId('reveal-hint').waitFor();
      await eventually(async () => ((await drawer.getByTestId('member-id-number').textContent()) ?? '').trim()).toMatch(
        /^\d{17}[\dX]$/,
      );
      const full = ((await drawer.getByTestId('member-id-number').textContent()) ?? '').trim();
      expect(validIdNumber(full), `${full} passes GB 11643`).toBe(true);
      expect(full.slice(0, 3)).toBe(masked.slice(0, 3));
      expect(full.slice(-4)).toBe(masked.slice(-4));
      await settle(page);
      await page.screenshot({ path: path.join(SHOTS, 'member-drawer.png') });

      // Closing forgets the numbers: opening again shows the masked value.
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'detached' });
      await table.getByTestId('member-name').filter({ hasText: name }).first().click();
      await eventually(async () =>
        ((await page.getByTestId('member-drawer').getByTestId('member-id-number').textContent()) ?? '').trim(),
      ).toBe(masked);
      await page.keyboard.press('Escape');
      await page.getByTestId('member-drawer').waitFor({ state: 'detached' });
    },
    TIMEOUT,
  );

  it(
    'downloads the import template',
    async () => {
      await page.getByTestId('nav-members-import').click();
      await page.waitForURL('**/members/import');
      const { download: event, file } = await download(page, () => page.getByTestId('btn-download-template').click());
      expect(event.suggestedFilename()).toMatch(/\.xlsx$/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(file);
      const header = (workbook.getWorksheet('党员名册')!.getRow(1).values as unknown[]).map((v) =>
        String(v ?? '').replace(/\*/g, ''),
      );
      for (const title of ['姓名', '身份证号', '所在党组织', '党员类别', '入党日期', '转正日期']) {
        expect(header).toContain(title);
      }
      templateFile = path.join(path.dirname(file), 'template-copy.xlsx');
      fs.copyFileSync(file, templateFile);
    },
    TIMEOUT,
  );

  it(
    'previews a sheet with two bad rows: exactly those rows and columns are listed, nothing can be committed',
    async () => {
      const rows = sheetPeople.map((person, i) => {
        const sheetRow = i + 2;
        if (sheetRow === BAD_CHECKSUM_ROW) {
          const wrong = person.idNumber[17] === '1' ? '2' : '1';
          return { ...person, idNumber: `${person.idNumber.slice(0, 17)}${wrong}` };
        }
        if (sheetRow === OUTSIDE_ROW) return { ...person, org: MIANYANG_BRANCH };
        return person;
      });
      expect(validIdNumber(rows[BAD_CHECKSUM_ROW - 2]!.idNumber)).toBe(false);
      await chooseFile(page, '党员名册-有误.xlsx', await fillTemplate(templateFile, rows));

      const preview = page.getByTestId('import-preview');
      await preview.waitFor();
      await eventually(() => page.getByTestId('import-preview-summary').textContent()).toContain('发现 2 处问题');
      const errorRows = page.getByTestId('import-errors-table').locator('.ant-table-row');
      await eventually(() => errorRows.count()).toBe(2);
      const listed = await errorRows.evaluateAll((trs) =>
        trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent?.trim() ?? '')),
      );
      const pairs = listed.map((cells) => `${cells[0]}|${cells[1]}`).sort();
      expect(pairs).toEqual([`${BAD_CHECKSUM_ROW}|身份证号`, `${OUTSIDE_ROW}|所在党组织`].sort());
      const reasons = listed.map((cells) => cells[2]).join(' ');
      expect(reasons).toContain('校验码');
      expect(reasons).toContain('管理范围');
      await expect(page.getByTestId('btn-commit-import').isDisabled()).resolves.toBe(true);
      await settle(page);
      await page.screenshot({ path: path.join(SHOTS, 'member-import-preview.png') });

      // The marked error workbook: the same rows, the reasons in a last column.
      const { file } = await download(page, () => page.getByTestId('btn-download-errors').click());
      const marked = new ExcelJS.Workbook();
      await marked.xlsx.readFile(file);
      const sheet = marked.worksheets[0]!;
      const header = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
      const reasonCol = header.indexOf('错误原因');
      expect(reasonCol).toBeGreaterThan(0);
      expect(String(sheet.getRow(BAD_CHECKSUM_ROW).getCell(reasonCol).value ?? '')).toContain('身份证号');
      expect(String(sheet.getRow(OUTSIDE_ROW).getCell(reasonCol).value ?? '')).toContain('所在党组织');
      expect(String(sheet.getRow(2).getCell(reasonCol).value ?? '')).toBe('');
    },
    TIMEOUT,
  );

  it(
    'imports the fixed sheet after a clean preview, and the roster grows by its rows',
    async () => {
      await page.getByTestId('btn-reupload').click();
      await chooseFile(page, '党员名册.xlsx', await fillTemplate(templateFile, sheetPeople));
      await eventually(() => page.getByTestId('import-preview-summary').textContent()).toContain(
        `校验通过：共 ${NEW_MEMBERS} 行`,
      );
      expect(await page.getByTestId('import-errors-table').count()).toBe(0);
      await page.getByTestId('btn-commit-import').click();
      await page.getByTestId('import-result').waitFor();
      await eventually(() => page.getByTestId('import-result-summary').textContent()).toContain(
        `新增 ${NEW_MEMBERS} 人`,
      );

      await page.getByTestId('nav-members').click();
      await page.waitForURL('**/members');
      await eventually(() => rosterTotal(page)).toBe(totalBefore + NEW_MEMBERS);
      // An imported member is found by the exact ID number.
      const someone = sheetPeople[3]!;
      await page.getByTestId('member-search').locator('input').fill(someone.idNumber);
      await page.getByTestId('member-search').locator('input').press('Enter');
      await eventually(() => page.getByTestId('members-table').getByTestId('member-name').allTextContents()).toEqual([
        someone.name,
      ]);
      await page.getByTestId('member-search').locator('input').fill('');
      await page.getByTestId('member-search').locator('input').press('Enter');
      await eventually(() => rosterTotal(page)).toBe(totalBefore + NEW_MEMBERS);
    },
    TIMEOUT,
  );

  it(
    'exports the roster through the UI: the new members are in it, with masked ID numbers only',
    async () => {
      const { download: event, file } = await download(page, () => page.getByTestId('btn-export').click());
      expect(event.suggestedFilename()).toMatch(/\.xlsx$/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(file);
      const sheet = workbook.getWorksheet('党员名册')!;
      const header = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? '').replace(/\*/g, ''));
      const nameCol = header.indexOf('姓名');
      const idCol = header.indexOf('身份证号');
      // name → the ID numbers under that name (a demo member may share a name with a new one)
      const byName = new Map<string, string[]>();
      const everything: string[] = [];
      sheet.eachRow((row, number) => {
        const values = (row.values as unknown[]).map((v) => String(v ?? ''));
        everything.push(...values);
        if (number > 1) byName.set(values[nameCol]!, [...(byName.get(values[nameCol]!) ?? []), values[idCol]!]);
      });
      expect(sheet.rowCount - 1).toBe(totalBefore + NEW_MEMBERS);
      for (const person of sheetPeople) {
        const masked = `${person.idNumber.slice(0, 3)}${'*'.repeat(11)}${person.idNumber.slice(-4)}`;
        expect(byName.get(person.name) ?? [], person.name).toContain(masked);
      }
      const text = everything.join('\n');
      expect(text).not.toMatch(/\d{17}[\dXx]/);
      expect(text).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
    },
    TIMEOUT,
  );

  it(
    'flags the overdue transfer receipt in red',
    async () => {
      await page.getByTestId('nav-transfers').click();
      await page.waitForURL('**/transfers');
      await page.getByTestId('tab-transfers-in').click();
      const table = page.getByTestId('transfers-table-in');
      const overdueRow = table.locator('.ant-table-row.row-overdue');
      await overdueRow.first().waitFor();
      await overdueRow.first().getByTestId('transfer-overdue').waitFor();
      // The tint is a CSS rule with a short background transition: poll the computed colour.
      const firstCell = overdueRow.first().locator('td').first();
      await eventually(() => firstCell.evaluate((td) => getComputedStyle(td).backgroundColor)).toBe(
        'rgb(255, 241, 240)',
      );
      await settle(page);
      await page.screenshot({ path: path.join(SHOTS, 'transfers.png') });
    },
    TIMEOUT,
  );
});

describe('roster on a phone', () => {
  it(
    'fits 375 px without sideways scrolling of the page',
    () =>
      withPage('members-phone', [375, 812], async (page) => {
        await login(page, 'chengdu');
        await page.goto('/members');
        await page.getByTestId('members-table').locator('.ant-table-row').first().waitFor();
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(scrollWidth).toBeLessThanOrEqual(375);
        await settle(page);
        await page.screenshot({ path: path.join(SHOTS, 'members-phone.png') });
      }),
    TIMEOUT,
  );
});

describe('staffing as the provincial party-affairs admin', () => {
  it(
    'ranks organisations by vacancy: the first row has the largest vacancy shown',
    () =>
      withPage('staffing', [1440, 900], async (page) => {
        await login(page, 'province');
        await page.getByTestId('nav-staffing').click();
        await page.waitForURL('**/staffing');
        const table = page.getByTestId('staffing-table');
        await table.locator('.ant-table-row').first().waitFor();
        await page.getByTestId('staffing-summary').waitFor();
        const vacancies = (await table.getByTestId('staffing-vacant').allTextContents()).map(Number);
        expect(vacancies.length).toBeGreaterThan(1);
        expect(vacancies.every((n) => Number.isInteger(n))).toBe(true);
        expect(vacancies[0]).toBe(Math.max(...vacancies));
        expect(vacancies[0]).toBeGreaterThan(0);
        // Worst first all the way down the page.
        expect([...vacancies].sort((a, b) => b - a)).toEqual(vacancies);
        await page.getByTestId('chart-vacant').locator('canvas').waitFor();
        await settle(page);
        await page.screenshot({ path: path.join(SHOTS, 'staffing.png') });
      }),
    TIMEOUT,
  );
});
