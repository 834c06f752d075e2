/**
 * Browser test of the 组织生活 plan calendar and the compliance pages (issue 4) against the real server with the demo
 * data plus a year of demo meetings (seedMeetingsDemo + recomputeAll, seeded here explicitly):
 * - the month calendar shows a planned meeting of the branch;
 * - minutes with bold text round-trip through the rich-text editor and the server, and read back locked;
 * - as 成都's administrator, the overview drills down the tree to the branch and opens its meeting records;
 * - the branch secretary's to-do list shows the reminders the API computes for `branch`;
 * - a member sees upcoming meetings and the .ics link on a phone-sized page.
 * Needs `npx vite build` first and Chromium at /usr/bin/chromium.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMeetingsDemo } from '../../src/server/demo/meetings-demo';
import { recomputeAll } from '../../src/server/modules/compliance/compliance.engine';
import { todayInShanghai } from '../../src/shared/dates';
import { startTestServer } from '../helpers/server';

const PASSWORD = 'Dangjian@2026';
const SHOTS = path.resolve('test-results/screenshots');
const TIMEOUT = 180_000;
const BRANCH = '成都市科学技术局机关第一党支部';

let server: Awaited<ReturnType<typeof startTestServer>> | undefined;
let browser: Browser | undefined;

/** mulberry32 */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

beforeAll(async () => {
  if (!fs.existsSync(path.resolve('dist/web/index.html'))) {
    throw new Error('dist/web is missing: run `npx vite build` before the browser test');
  }
  fs.mkdirSync(SHOTS, { recursive: true });
  server = await startTestServer({ demo: true });
  const db = server.db;
  await db.transaction().execute((trx) => seedMeetingsDemo(trx, prng(4), todayInShanghai()));
  await recomputeAll(db);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
}, TIMEOUT);

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

async function login(page: Page, username: string): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** A JSON call with the page's session (and its CSRF token on writes). */
async function call<T>(page: Page, method: string, url: string, body?: unknown): Promise<{ status: number; data: T }> {
  return page.evaluate(
    async ({ method, url, body }) => {
      const me = await (await fetch('/api/auth/me')).json();
      const res = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, data: text ? JSON.parse(text) : null };
    },
    { method, url, body },
  ) as Promise<{ status: number; data: T }>;
}

function eventually<T>(read: () => Promise<T> | T) {
  return expect.poll(read, { timeout: 15_000, interval: 100 });
}

async function settle(page: Page): Promise<void> {
  await eventually(() => page.locator('.ant-spin-spinning, .ant-skeleton, .ant-message-notice').count()).toBe(0);
  await page.waitForTimeout(600);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
}

interface OrgRow {
  id: number;
  name: string;
  parentId: number | null;
}

async function orgs(page: Page): Promise<OrgRow[]> {
  const r = await call<{ items: OrgRow[] }>(page, 'GET', '/api/orgs?pageSize=10000');
  expect(r.status).toBe(200);
  return r.data.items;
}

const today = todayInShanghai();

describe('组织生活 calendar and compliance in the browser', () => {
  it(
    'calendar shows a planned meeting; bold minutes round-trip and read back locked',
    async () => {
      const { context, page } = await openPage(1440, 900);
      try {
        await login(page, 'branch');
        const branch = (await orgs(page)).find((o) => o.name === BRANCH);
        expect(branch).toBeDefined();
        const planned = await call<{ id: number; status: string }>(page, 'POST', '/api/meetings', {
          orgId: branch!.id,
          status: 'planned',
          types: ['lecture'],
          title: '党课：日历测试计划',
          startsAt: `${today}T21:00:00+08:00`,
          endsAt: `${today}T22:00:00+08:00`,
          location: '党员活动室',
        });
        expect(planned.status).toBe(201);
        expect(planned.data.status).toBe('planned');

        // The month calendar (the desktop default) shows it, marked planned.
        await page.goto('/meetings');
        await page.getByTestId('meeting-calendar').waitFor();
        const item = page.getByTestId(`cal-meeting-${planned.data.id}`);
        await item.waitFor();
        expect(await item.getAttribute('data-status')).toBe('planned');
        expect(await item.textContent()).toContain('党课：日历测试计划');
        await settle(page);
        await shot(page, 'meetings-calendar.png');

        // Open it from the calendar, write minutes with a bold phrase, save.
        await item.click();
        const editor = page.getByTestId('meeting-minutes');
        await editor.waitFor();
        await eventually(() => page.getByTestId('meeting-title').inputValue()).toBe('党课：日历测试计划');
        await editor.click();
        await page.keyboard.type('支部书记讲授党课，');
        await page.getByTestId('meeting-minutes-bold').click();
        await page.keyboard.type('强调严守政治纪律');
        await page.getByTestId('meeting-minutes-bold').click();
        await page.keyboard.type('，党员交流体会。');
        await page.getByTestId('meeting-save').click();
        await page.locator('.ant-message-notice').first().waitFor();

        // Stored as the server's subset, bold kept.
        const stored = await call<{ minutes: string }>(page, 'GET', `/api/meetings/${planned.data.id}`);
        expect(stored.data.minutes).toMatch(/<(b|strong)>强调严守政治纪律<\/(b|strong)>/);
        expect(stored.data.minutes).toContain('支部书记讲授党课');

        // After a reload the editor shows it bold again.
        await page.reload();
        await page.getByTestId(`cal-meeting-${planned.data.id}`).click();
        await eventually(() => page.getByTestId('meeting-minutes').locator('b, strong').first().textContent()).toBe(
          '强调严守政治纪律',
        );
        await page.keyboard.press('Escape');

        // A reader without write access (the member) sees it read-only, still bold.
        const member = await openPage(1280, 900);
        try {
          await login(member.page, 'member');
          await member.page.goto('/meetings');
          await member.page.getByTestId(`cal-meeting-${planned.data.id}`).click();
          const view = member.page.getByTestId('meeting-minutes-view');
          await view.waitFor();
          expect(await view.locator('b, strong').first().textContent()).toBe('强调严守政治纪律');
          expect(await member.page.getByTestId('meeting-minutes').count()).toBe(0);
        } finally {
          await member.context.close();
        }
      } catch (error) {
        await page.screenshot({ path: path.join(SHOTS, 'failed-calendar.png') }).catch(() => undefined);
        throw error;
      } finally {
        await context.close();
      }
    },
    TIMEOUT,
  );

  it(
    'overview drills down from 成都 to the branch and its meeting records',
    async () => {
      const { context, page } = await openPage(1440, 900);
      try {
        await login(page, 'chengdu');
        const all = await orgs(page);
        const byId = new Map(all.map((o) => [o.id, o]));
        const branch = all.find((o) => o.name === BRANCH)!;
        const chain: OrgRow[] = [];
        for (let o: OrgRow | undefined = branch; o; o = o.parentId === null ? undefined : byId.get(o.parentId)) {
          chain.unshift(o);
        }
        expect(chain.length).toBeGreaterThan(1);
        const year = today.slice(0, 4);

        // Last (closed) quarter: the overview with its chart, the organisations below and those behind.
        const month = Number(today.slice(5, 7));
        const q = Math.ceil(month / 3);
        const lastQuarter = q === 1 ? `${Number(year) - 1}-Q4` : `${year}-Q${q - 1}`;
        await page.goto(`/compliance?period=${lastQuarter}`);
        await page.getByTestId('compliance-chart').waitFor();
        await page.getByTestId('compliance-children').waitFor();
        await eventually(() =>
          page.getByTestId('compliance-behind').locator('tbody tr.ant-table-row').count(),
        ).toBeGreaterThan(0);
        await settle(page);
        await shot(page, 'compliance-overview.png');

        await page.goto(`/compliance?period=${year}`);
        await page.getByTestId('compliance-children').waitFor();

        // Down the tree, one level at a time, through the table of organisations below.
        for (const next of chain.slice(1)) {
          await page.getByTestId(`drill-${next.id}`).click();
          await eventually(() => page.getByTestId('compliance-trail').textContent()).toContain(next.name);
        }
        // At the branch: its result per type, and the records behind the 主题党日 of the year.
        const themeDay = page.getByTestId(`compliance-${branch.id}-theme_day`);
        await themeDay.waitFor();
        expect(['met', 'missed', 'pending', 'exempt', 'no_quorum']).toContain(
          await themeDay.getAttribute('data-status'),
        );
        await page.getByTestId(`records-${branch.id}-theme_day`).click();
        const records = page.getByTestId('compliance-records');
        await eventually(() => records.locator('tbody tr.ant-table-row').count()).toBeGreaterThan(0);
        const api = await call<{ items: { orgId: number }[] }>(
          page,
          'GET',
          `/api/meetings?org=${branch.id}&type=theme_day&from=${year}-01-01&to=${year}-12-31&pageSize=500`,
        );
        const expected = api.data.items.filter((m) => m.orgId === branch.id).length;
        expect(await records.locator('tbody tr.ant-table-row').count()).toBe(expected);
        await settle(page);
        await shot(page, 'compliance-drilldown.png');
      } catch (error) {
        await page.screenshot({ path: path.join(SHOTS, 'failed-drilldown.png') }).catch(() => undefined);
        throw error;
      } finally {
        await context.close();
      }
    },
    TIMEOUT,
  );

  it(
    "the branch secretary's to-do list shows the branch's reminders; a member's upcoming meetings on a phone",
    async () => {
      const { context, page } = await openPage(1280, 900);
      try {
        await login(page, 'branch');
        const api = await call<{ items: { orgName: string; kind: string }[] }>(
          page,
          'GET',
          '/api/compliance/todo?days=90',
        );
        expect(api.status).toBe(200);
        expect(api.data.items.length).toBeGreaterThan(0);
        await page.goto('/compliance/todo');
        await page.getByTestId('todo-days').click();
        await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '90' }).click();
        await eventually(() => page.getByTestId('todo-item').count()).toBe(api.data.items.length);
        const first = page.getByTestId('todo-item').first();
        expect(await first.textContent()).toContain('【党建提醒】');
        expect(await first.textContent()).toContain(api.data.items[0]!.orgName);
        await settle(page);
        await shot(page, 'compliance-todo.png');
      } finally {
        await context.close();
      }

      const phone = await openPage(375, 812);
      try {
        await login(phone.page, 'member');
        const upcoming = await call<{ items: unknown[] }>(phone.page, 'GET', '/api/meetings/upcoming');
        await phone.page.goto('/meetings/mine');
        await phone.page.getByTestId('my-meetings').waitFor();
        await eventually(() => phone.page.locator('[data-testid^="my-meeting-"]').count()).toBe(
          upcoming.data.items.length,
        );
        expect(upcoming.data.items.length).toBeGreaterThan(0);
        await phone.page.getByTestId('ics-link-button').click();
        const link = phone.page.getByTestId('ics-link');
        await link.waitFor();
        expect(await link.textContent()).toMatch(/\/api\/meetings\/calendar\/[A-Za-z0-9_-]+\.ics/);
        const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
        expect(width).toBeLessThanOrEqual(375);
        await settle(phone.page);
        await shot(phone.page, 'meetings-phone.png');
      } catch (error) {
        await phone.page.screenshot({ path: path.join(SHOTS, 'failed-phone.png') }).catch(() => undefined);
        throw error;
      } finally {
        await phone.context.close();
      }
    },
    TIMEOUT,
  );
});
