/**
 * Browser test of 组织生活 (issue 4) against the real server with the demo data: as the branch secretary, record a
 * 主题党日 happening now with attendance, open the sign-in QR link on a phone-sized page as a member and sign in,
 * see the member present, submit, download the .docx, and see the compliance overview of the month turn green.
 * Needs `npx vite build` first and Chromium at /usr/bin/chromium.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server';

const PASSWORD = 'Dangjian@2026';
const SHOTS = path.resolve('test-results/screenshots');
const DOC_SHOTS = path.resolve('docs/screenshots');
const TIMEOUT = 120_000;
const BRANCH = '成都市科学技术局机关第一党支部';
const MEMBER_NAME = '李晓雨';

let server: { baseUrl: string; close(): Promise<void> } | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  if (!fs.existsSync(path.resolve('dist/web/index.html'))) {
    throw new Error('dist/web is missing: run `npx vite build` before the browser test');
  }
  fs.mkdirSync(SHOTS, { recursive: true });
  fs.mkdirSync(DOC_SHOTS, { recursive: true });
  server = await startTestServer({ demo: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openPage(width: number, height: number): Promise<{ context: BrowserContext; page: Page }> {
  if (!browser || !server) throw new Error('browser or server not started');
  const context = await browser.newContext({
    viewport: { width, height },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    baseURL: server.baseUrl,
    acceptDownloads: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return { context, page };
}

async function fillLogin(page: Page, username: string): Promise<void> {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

function eventually<T>(read: () => Promise<T> | T) {
  return expect.poll(read, { timeout: 15_000, interval: 100 });
}

async function settle(page: Page): Promise<void> {
  await eventually(() => page.locator('.ant-spin-spinning, .ant-skeleton, .ant-message-notice').count()).toBe(0);
  await page.waitForTimeout(600);
}

async function shot(page: Page, name: string): Promise<void> {
  const file = path.join(SHOTS, name);
  await page.screenshot({ path: file, fullPage: true });
  fs.copyFileSync(file, path.join(DOC_SHOTS, name));
}

const pad = (n: number) => String(n).padStart(2, '0');
/** `YYYY-MM-DD HH:mm` in Asia/Shanghai, as the pickers show it. */
function local(date: Date): string {
  const d = new Date(date.getTime() + 8 * 3_600_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** The compliance tag of the branch's 主题党日 for the current month. */
async function themeDayStatus(page: Page): Promise<Locator> {
  await page.goto('/compliance');
  await page.getByTestId('compliance-unit').getByText('月', { exact: true }).click();
  const row = page
    .getByTestId('compliance-items')
    .locator('tr')
    .filter({ hasText: BRANCH })
    .filter({ hasText: '主题党日' });
  await expect.poll(() => row.count(), { timeout: 15_000 }).toBeGreaterThan(0);
  return row.first().locator('[data-status]');
}

describe('组织生活 in the browser', () => {
  it(
    'records a meeting, signs a member in by QR on a phone, submits, downloads the record, turns the month green',
    async () => {
      const { context, page } = await openPage(1440, 900);
      try {
        await page.goto('/login');
        await fillLogin(page, 'branch');

        // Before: the branch's 主题党日 of this month is not met yet.
        const before = await themeDayStatus(page);
        const beforeStatus = await before.getAttribute('data-status');
        expect(beforeStatus).not.toBe('met');

        // Record a 主题党日 happening now.
        await page.goto('/meetings?view=list');
        await page.getByTestId('meeting-create').click();
        const drawer = page;
        await drawer.getByTestId('meeting-types').click();
        await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '主题党日' }).click();
        await page.keyboard.press('Escape');
        await drawer.getByTestId('meeting-title').fill('主题党日：学习贯彻全会精神');
        const now = Date.now();
        const inputs = drawer.locator('.ant-picker-range input');
        await inputs.nth(0).click();
        await inputs.nth(0).fill(local(new Date(now - 10 * 60_000)));
        await inputs.nth(0).press('Enter');
        await inputs.nth(1).fill(local(new Date(now + 60 * 60_000)));
        await inputs.nth(1).press('Enter');
        await drawer.getByTestId('meeting-location').fill('局机关三楼会议室');
        await eventually(() => drawer.locator('[data-testid^="attendee-"]').count()).toBeGreaterThan(2);
        for (const picker of ['meeting-host', 'meeting-recorder']) {
          await drawer.getByTestId(picker).click();
          await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '王建国' }).click();
          await eventually(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
        }
        await drawer.getByTestId('meeting-all-present').click();
        await drawer.getByTestId(`attendee-${MEMBER_NAME}`).getByText('缺席').click();
        await drawer.getByTestId('meeting-minutes').fill('集中学习全会精神，支部书记领学，党员交流学习体会。');
        await drawer.getByTestId('meeting-save').click();
        await expect.poll(() => drawer.getByTestId('meeting-qr').count(), { timeout: 15_000 }).toBe(1);

        // The sign-in QR code and its link.
        await drawer.getByTestId('meeting-qr').click();
        const link = page.getByTestId('signin-link');
        await expect.poll(() => link.count()).toBe(1);
        const href = await link.getAttribute('href');
        expect(href).toMatch(/^\/m\/signin\?t=/);
        await page.locator('.ant-modal:visible img[alt="QR"]').waitFor();
        await page.locator('.ant-modal:visible .ant-modal-close').click();

        // The member, on a phone, not logged in yet: login first, then back to the sign-in page.
        const phone = await openPage(375, 812);
        try {
          await phone.page.goto(href!);
          await phone.page.waitForURL((url) => url.pathname === '/login');
          await fillLogin(phone.page, 'member');
          await phone.page.waitForURL((url) => url.pathname === '/m/signin');
          await phone.page.getByTestId('signin-button').click();
          await phone.page.getByTestId('signin-ok').waitFor();
          await expect(phone.page.getByTestId('signin-meeting').textContent()).resolves.toContain('主题党日');
          const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth);
          expect(overflow).toBeLessThanOrEqual(375);
          await settle(phone.page);
          await shot(phone.page, 'signin-phone.png');
        } finally {
          await phone.context.close();
        }

        // Back as the secretary: the member is present (by QR).
        await page.reload();
        await page.getByTestId('meetings-table').getByText('主题党日：学习贯彻全会精神').click();
        const row = drawer.getByTestId(`attendee-${MEMBER_NAME}`);
        await eventually(() => row.locator('.ant-radio-button-wrapper-checked').textContent()).toBe('出席');
        await expect.poll(() => drawer.locator('tr').filter({ hasText: MEMBER_NAME }).getByText('QR').count()).toBe(1);
        await row.scrollIntoViewIfNeeded();
        await settle(page);
        await shot(page, 'meeting-record.png');

        // Submit: the record locks.
        await drawer.getByTestId('meeting-submit').click();
        await page.locator('.ant-popconfirm:visible .ant-btn-primary').click();
        await drawer.getByTestId('meeting-locked').waitFor();
        expect(await drawer.getByTestId('meeting-save').count()).toBe(0);

        // The 会议记录 .docx.
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          drawer.getByTestId('meeting-download').click(),
        ]);
        const file = await download.path();
        expect(download.suggestedFilename()).toMatch(/\.docx$/);
        expect(fs.readFileSync(file).subarray(0, 2).toString('latin1')).toBe('PK');

        // The month's 主题党日 for the branch is met now, green.
        const after = await themeDayStatus(page);
        await eventually(() => after.getAttribute('data-status')).toBe('met');
        expect(await after.getAttribute('data-color')).toBe('green');
        await settle(page);
        await shot(page, 'compliance.png');
      } catch (error) {
        await page.screenshot({ path: path.join(SHOTS, 'failed-meetings.png') }).catch(() => undefined);
        throw error;
      } finally {
        await context.close();
      }
    },
    TIMEOUT,
  );
});
