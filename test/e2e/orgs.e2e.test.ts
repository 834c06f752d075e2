/**
 * Browser test of the web client against the real server (built client in dist/web, temporary
 * SQLite database with the demo data): login, the organisation tree, create / move / delete
 * through the UI, scope limits, and screenshots for the README.
 * Needs `npx vite build` first and Chromium at /usr/bin/chromium.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server';

const PASSWORD = 'Dangjian@2026';
const SHOTS = path.resolve('test-results/screenshots');
const TIMEOUT = 30_000;

/** The 21 市(州) of Sichuan: each has a party organisation of its 科学技术局 in the demo data. */
const PREFECTURES = [
  '成都市',
  '自贡市',
  '攀枝花市',
  '泸州市',
  '德阳市',
  '绵阳市',
  '广元市',
  '遂宁市',
  '内江市',
  '乐山市',
  '南充市',
  '眉山市',
  '宜宾市',
  '广安市',
  '达州市',
  '雅安市',
  '巴中市',
  '资阳市',
  '阿坝藏族羌族自治州',
  '甘孜藏族自治州',
  '凉山彝族自治州',
];

const CHENGDU_ORG = '成都市科学技术局机关党委';
const MIANYANG_ORG = '绵阳市科学技术局机关党委';

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
  const context = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN', baseURL: server.baseUrl });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/**
 * Runs `body` on a fresh page; on failure saves a screenshot (test-results/screenshots/failed-*.png)
 * so a red run can be understood, and always closes the context.
 */
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

/** `expect.poll` with a timeout that survives a busy machine (the default is 1 s). */
function eventually<T>(read: () => Promise<T> | T) {
  return expect.poll(read, { timeout: 10_000, interval: 100 });
}

/** Waits until no antd spinner is showing and fade transitions are over, for a clean screenshot. */
async function settle(page: Page): Promise<void> {
  await eventually(() => page.locator('.ant-spin-spinning').count()).toBe(0);
  await page.waitForTimeout(500);
}

/** The tree node (title element) of the organisation with exactly this name. */
function treeNode(page: Page, name: string) {
  return page
    .getByTestId('org-tree')
    .locator('[data-testid="org-node"]')
    .filter({ has: page.getByText(name, { exact: true }) });
}

describe('login page', () => {
  it(
    'fits a phone screen',
    () =>
      withPage('login-phone', [375, 812], async (page) => {
        await page.goto('/login');
        await page.getByTestId('login-submit').waitFor();
        await settle(page);
        const box = await page.getByTestId('login-form').boundingBox();
        expect(box).not.toBeNull();
        expect(box!.x).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width).toBeLessThanOrEqual(375);
        // No horizontal scrolling on a phone.
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(scrollWidth).toBeLessThanOrEqual(375);
        await page.screenshot({ path: path.join(SHOTS, 'login-phone.png') });
      }),
    TIMEOUT,
  );

  it(
    'shows the server error for a wrong password',
    () =>
      withPage('login-error', [1440, 900], async (page) => {
        await page.goto('/login');
        await page.getByTestId('login-username').fill('province');
        await page.getByTestId('login-password').fill('wrong-password');
        await page.getByTestId('login-submit').click();
        await eventually(() => page.getByTestId('login-error').textContent()).toContain('用户名或密码错误');
      }),
    TIMEOUT,
  );
});

describe('language', () => {
  it(
    'switches to English and keeps the choice across logout',
    () =>
      withPage('language', [1440, 900], async (page) => {
        await page.goto('/login');
        await page.getByTestId('lang-switch').click();
        await page.getByTestId('lang-en-US').click();
        await eventually(() => page.getByTestId('login-submit').textContent()).toBe('Log in');
        await login(page, 'province');
        await eventually(() => page.getByTestId('nav-orgs').textContent()).toContain('Organizations');
        await page.getByTestId('user-menu').click();
        await page.getByTestId('menu-logout').click();
        await page.waitForURL('**/login**');
        await eventually(() => page.getByTestId('login-submit').textContent()).toBe('Log in');
        await page.reload();
        await eventually(() => page.getByTestId('login-submit').textContent()).toBe('Log in');
      }),
    TIMEOUT,
  );
});

describe('organisation tree as the provincial party-affairs admin', () => {
  let context: BrowserContext;
  let page: Page;
  const newName = `E2E测试党支部${Date.now().toString().slice(-6)}`;

  beforeAll(async () => {
    ({ context, page } = await openPage());
  });

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail') {
      await page.screenshot({ path: path.join(SHOTS, 'failed-province-flow.png') }).catch(() => undefined);
    }
  });

  afterAll(async () => {
    await context?.close();
  });

  it(
    'logs in through the form and sees all 21 市(州) in the tree',
    async () => {
      await login(page, 'province');
      await page.getByTestId('nav-orgs').click();
      await page.waitForURL('**/orgs');
      const tree = page.getByTestId('org-tree');
      await treeNode(page, CHENGDU_ORG).waitFor();
      const text = (await tree.textContent()) ?? '';
      for (const prefecture of PREFECTURES) expect(text, prefecture).toContain(prefecture);
      await page.getByTestId('org-detail').waitFor();
      await settle(page);
      await page.screenshot({ path: path.join(SHOTS, 'orgs-desktop.png') });
    },
    TIMEOUT,
  );

  it(
    'creates a 党支部 under 成都',
    async () => {
      await treeNode(page, CHENGDU_ORG).click();
      await eventually(() => page.getByTestId('org-detail-name').textContent()).toBe(CHENGDU_ORG);
      await page.getByTestId('btn-add-child').click();
      const form = page.getByTestId('org-form');
      await form.waitFor();
      await form.getByLabel('组织名称').fill(newName);
      await page.getByTestId('org-form-submit').click();
      await form.waitFor({ state: 'detached' });
      // The new org is selected and shown in the tree under 成都.
      await eventually(() => page.getByTestId('org-detail-name').textContent()).toBe(newName);
      const chengduId = await treeNode(page, CHENGDU_ORG).getAttribute('data-org-id');
      await treeNode(page, newName).waitFor();
      await eventually(() => treeNode(page, newName).getAttribute('data-parent-id')).toBe(chengduId);
      await eventually(() => page.getByTestId('org-detail').textContent()).toContain('党支部');
    },
    TIMEOUT,
  );

  it(
    'moves it under 绵阳',
    async () => {
      await treeNode(page, newName).click();
      await page.getByTestId('btn-move').click();
      const target = page.getByTestId('move-target');
      await target.click();
      await page.keyboard.type(MIANYANG_ORG);
      await page.locator('.ant-select-tree-node-content-wrapper').filter({ hasText: MIANYANG_ORG }).first().click();
      await page.getByTestId('move-submit').click();
      await target.waitFor({ state: 'detached' });
      const mianyangId = await treeNode(page, MIANYANG_ORG).getAttribute('data-org-id');
      await eventually(() => treeNode(page, newName).getAttribute('data-parent-id')).toBe(mianyangId);
      await eventually(() => page.getByTestId('org-detail').textContent()).toContain(`${MIANYANG_ORG} / ${newName}`);
    },
    TIMEOUT,
  );

  it(
    'refuses to delete an organisation that still has sub-organisations, and says why',
    async () => {
      await treeNode(page, CHENGDU_ORG).click();
      await eventually(() => page.getByTestId('org-detail-name').textContent()).toBe(CHENGDU_ORG);
      await page.getByTestId('btn-delete').click();
      await page.locator('.ant-popconfirm:visible').getByRole('button', { name: '删除' }).click();
      const error = page.getByTestId('org-action-error');
      await error.waitFor();
      await eventually(() => error.textContent()).toMatch(/下级组织/);
      // Still there.
      await treeNode(page, CHENGDU_ORG).waitFor();
    },
    TIMEOUT,
  );

  it(
    'deletes the empty test branch',
    async () => {
      await treeNode(page, newName).click();
      // The detail panel must show the branch before its delete button is the right one.
      await eventually(() => page.getByTestId('org-detail-name').textContent()).toBe(newName);
      await page.getByTestId('btn-delete').click();
      await page.locator('.ant-popconfirm:visible').getByRole('button', { name: '删除' }).click();
      await treeNode(page, newName).waitFor({ state: 'detached' });
    },
    TIMEOUT,
  );

  it(
    'logs out',
    async () => {
      await page.getByTestId('user-menu').click();
      await page.getByTestId('menu-logout').click();
      await page.waitForURL('**/login**');
      await page.getByTestId('login-form').waitFor();
      // The session is gone: the app sends us back to the login form.
      await page.goto('/orgs');
      await page.waitForURL('**/login**');
    },
    TIMEOUT,
  );
});

describe('scope', () => {
  it(
    'the 成都 admin sees 成都 but not 绵阳',
    () =>
      withPage('scope-chengdu', [1440, 900], async (page) => {
        await login(page, 'chengdu');
        await page.goto('/orgs');
        await treeNode(page, CHENGDU_ORG).waitFor();
        const text = (await page.getByTestId('org-tree').textContent()) ?? '';
        expect(text).toContain('成都');
        expect(text).not.toContain('绵阳');
      }),
    TIMEOUT,
  );
});

describe('administrator pages', () => {
  it(
    'the system admin manages users and cannot open the org page',
    () =>
      withPage('sysadmin', [1440, 900], async (page) => {
        await login(page, 'sysadmin');
        await page.getByTestId('nav-admin-users').click();
        await page.getByTestId('users-table').getByText('province', { exact: true }).waitFor();
        await settle(page);
        await page.screenshot({ path: path.join(SHOTS, 'users.png') });
        expect(await page.getByTestId('nav-orgs').count()).toBe(0);
        await page.goto('/orgs');
        await page.getByTestId('forbidden').waitFor();
      }),
    TIMEOUT,
  );

  it(
    'the audit admin reads the log and verifies the chain',
    () =>
      withPage('auditor', [1440, 900], async (page) => {
        await login(page, 'auditor');
        await page.getByTestId('nav-audit').click();
        await page.getByTestId('audit-table').locator('.ant-table-row').first().waitFor();
        await settle(page);
        await page.screenshot({ path: path.join(SHOTS, 'audit.png') });
        await page.getByTestId('btn-verify-audit').click();
        const result = page.getByTestId('audit-verify-result');
        await result.waitFor();
        await eventually(() => result.textContent()).toContain('日志链完整');
      }),
    TIMEOUT,
  );
});
