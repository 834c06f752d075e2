/**
 * Browser test of 互联网+党建学习 (issue 5) against the real server with the demo data. Set-up through the API as the
 * 成都 党务管理员 (independent of the demo library): a 4-second micro-lesson uploaded as a real MP4
 * (test/fixtures/lesson.mp4), submitted and published; two questions and a fixed paper; a plan for the member's
 * branch with both. Then, at phone width as `member`: the home lists the tasks, the lesson plays through to the end
 * (the server counts it complete), the quiz is taken and reviewed, and the plan shows complete. At desktop width as
 * `branch`: the plan's progress page shows one more member completed than before.
 * Needs `npx vite build` first and Chromium at /usr/bin/chromium.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server';

const PASSWORD = 'Dangjian@2026';
const SHOTS = path.resolve('test-results/screenshots');
const DOC_SHOTS = path.resolve('docs/screenshots');
const TIMEOUT = 180_000;

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
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}, TIMEOUT);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

// ---- the API, as a logged-in user (cookie + CSRF header) ----

interface ApiSession {
  cookie: string;
  csrf: string;
}

async function apiLogin(username: string): Promise<ApiSession> {
  const res = await fetch(`${server!.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const sid = res.headers.getSetCookie().find((c) => c.startsWith('dj_sid='));
  if (!sid) throw new Error('no session cookie');
  const body = (await res.json()) as { csrfToken: string };
  return { cookie: sid.split(';')[0]!, csrf: body.csrfToken };
}

async function apiCall<T>(s: ApiSession, method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { cookie: s.cookie, accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = s.csrf;
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(`${server!.baseUrl}${url}`, { method, headers, body: payload });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

// ---- the browser ----

async function openPage(
  width: number,
  height: number,
  mobile: boolean,
): Promise<{ context: BrowserContext; page: Page }> {
  if (!browser || !server) throw new Error('browser or server not started');
  const context = await browser.newContext({
    viewport: { width, height },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    baseURL: server.baseUrl,
    acceptDownloads: true,
    ...(mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return { context, page };
}

async function fillLogin(page: Page, username: string): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

function eventually<T>(read: () => Promise<T> | T, timeout = 20_000) {
  return expect.poll(read, { timeout, interval: 200 });
}

async function settle(page: Page): Promise<void> {
  await eventually(() => page.locator('.ant-spin-spinning, .ant-skeleton, .ant-message-notice').count()).toBe(0);
  await page.waitForTimeout(1200);
}

async function shot(page: Page, name: string, docName?: string): Promise<void> {
  const file = path.join(SHOTS, name);
  await page.screenshot({ path: file, fullPage: true });
  if (docName) fs.copyFileSync(file, path.join(DOC_SHOTS, docName));
}

async function completedOnProgressPage(page: Page, planId: number, orgId: number): Promise<number> {
  await page.goto(`/learning/plans/${planId}?org=${orgId}`);
  const stat = page.getByTestId('progress-rate');
  await stat.waitFor();
  return Number(await stat.getAttribute('data-completed'));
}

describe('党建学习 in the browser', () => {
  it(
    'member on a phone plays an assigned micro-lesson to the end, passes the quiz, completes the plan; the branch sees it',
    async () => {
      // ---- set-up through the API ----
      const memberApi = await apiLogin('member');
      const home = await apiCall<{ member: { id: number; orgId: number } | null }>(
        memberApi,
        'GET',
        '/api/learning/home',
      );
      expect(home.member).not.toBeNull();
      const orgId = home.member!.orgId;

      const admin = await apiLogin('chengdu');
      const form = new FormData();
      form.append('kind', 'micro_lesson');
      form.append('title', '微党课：四秒钟的测试课');
      form.append('summary', '浏览器测试上传的一段短视频。');
      form.append('orgId', String(orgId));
      form.append('topics', JSON.stringify(['党章党规']));
      form.append('duration', '4');
      form.append(
        'file',
        new Blob([fs.readFileSync(path.resolve('test/fixtures/lesson.mp4'))], { type: 'video/mp4' }),
        'lesson.mp4',
      );
      const lesson = await apiCall<{ id: number; status: string }>(admin, 'POST', '/api/learning/content', form);
      expect(lesson.status).toBe('draft');
      await apiCall(admin, 'POST', `/api/learning/content/${lesson.id}/submit`, {});
      const published = await apiCall<{ status: string }>(
        admin,
        'POST',
        `/api/learning/content/${lesson.id}/publish`,
        {},
      );
      expect(published.status).toBe('published');

      const q1 = await apiCall<{ id: number }>(admin, 'POST', '/api/learning/questions', {
        orgId,
        type: 'single',
        stem: '党的最高领导机关是什么？',
        options: ['党的全国代表大会和它所产生的中央委员会', '中央纪律检查委员会', '中央军事委员会'],
        answer: [0],
        explanation: '党章规定：党的最高领导机关，是党的全国代表大会和它所产生的中央委员会。',
        topics: ['党章党规'],
      });
      const q2 = await apiCall<{ id: number }>(admin, 'POST', '/api/learning/questions', {
        orgId,
        type: 'true_false',
        stem: '预备党员的预备期为一年。',
        answer: [0],
        explanation: '党章第七条：预备党员的预备期为一年。',
        topics: ['党章党规'],
      });
      const paper = await apiCall<{ id: number }>(admin, 'POST', '/api/learning/papers', {
        orgId,
        title: '党章知识小测',
        mode: 'fixed',
        questionIds: [q1.id, q2.id],
        timeLimitMinutes: 10,
        passMark: 60,
        attemptsAllowed: 3,
      });
      const due = new Date(Date.now() + 8 * 3_600_000 + 14 * 86_400_000).toISOString().slice(0, 10);
      const plan = await apiCall<{ id: number }>(admin, 'POST', '/api/learning/plans', {
        orgId,
        title: '支部十二月学习计划',
        description: '观看微党课并完成党章小测。',
        dueOn: due,
        target: 'subtree',
        targetOrgId: orgId,
        items: [{ contentId: lesson.id }, { paperId: paper.id }],
      });

      // ---- the branch secretary, before ----
      const desk = await openPage(1440, 900, false);
      const phone = await openPage(390, 844, true);
      try {
        await fillLogin(desk.page, 'branch');
        const before = await completedOnProgressPage(desk.page, plan.id, orgId);
        const assigned = Number(await desk.page.getByTestId('progress-rate').getAttribute('data-assigned'));
        expect(assigned).toBeGreaterThan(before);
        await eventually(() => desk.page.getByTestId('progress-members').locator('tbody tr').count()).toBeGreaterThan(
          0,
        );

        // ---- the member, on a phone ----
        const p = phone.page;
        await fillLogin(p, 'member');
        await p.goto('/learn');
        const task = p.getByTestId(`task-content-${lesson.id}`);
        await task.waitFor();
        await expect.poll(() => p.getByTestId(`task-paper-${paper.id}`).count()).toBe(1);
        expect(await p.getByTestId(`my-plan-${plan.id}`).getAttribute('data-completed')).toBe('false');
        await settle(p);
        await shot(p, 'learning-phone-home.png');
        await task.tap();

        // Play through to the end at normal speed; the server decides completion.
        const video = p.getByTestId('learn-player');
        await video.waitFor();
        await eventually(() => video.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThanOrEqual(1);
        expect(await p.getByTestId('learn-progress').getAttribute('data-completed')).toBe('false');
        await video.evaluate((v: HTMLVideoElement) => v.play());
        await eventually(() => video.evaluate((v: HTMLVideoElement) => v.ended), 30_000).toBe(true);
        await eventually(() => p.getByTestId('learn-progress').getAttribute('data-completed')).toBe('true');
        expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
        await settle(p);
        await shot(p, 'learning-phone-player.png');

        // The quiz: start, answer, hand in, review with explanations.
        await p.goto(`/learn/papers/${paper.id}`);
        await p.getByTestId('quiz-start').tap();
        await p.getByTestId('question-1').waitFor();
        await eventually(() => p.getByTestId('quiz-timer').count()).toBe(1);
        await p.getByTestId('option-1-0').tap();
        await p.getByTestId('option-2-0').tap();
        await eventually(() => p.getByTestId('quiz-answered').textContent()).toContain('2 / 2');
        await p.getByTestId('quiz-submit').tap();
        const result = p.getByTestId('quiz-result');
        await result.waitFor();
        expect(await result.getAttribute('data-passed')).toBe('true');
        await expect(p.getByTestId('review-1').textContent()).resolves.toContain('党的最高领导机关');
        await expect(p.getByTestId('quiz-review').textContent()).resolves.toContain('预备期为一年');
        await settle(p);
        await shot(p, 'learning-phone-quiz.png');

        // The plan is complete on the member's home.
        await p.goto('/learn');
        const myPlan = p.getByTestId(`my-plan-${plan.id}`);
        await eventually(() => myPlan.getAttribute('data-completed')).toBe('true');
        expect(await p.getByTestId(`task-content-${lesson.id}`).count()).toBe(0);
        await myPlan.scrollIntoViewIfNeeded();
        await settle(p);
        await shot(p, 'learning-phone-done.png', 'learning-phone.png');

        // ---- the branch secretary, after: one more completed ----
        await eventually(() => completedOnProgressPage(desk.page, plan.id, orgId)).toBe(before + 1);
        await settle(desk.page);
        await shot(desk.page, 'learning-desktop-progress.png', 'learning-desktop.png');

        // ---- the 成都 党务管理员's pages: content management, question bank, points rules ----
        const adminDesk = await openPage(1440, 900, false);
        try {
          const a = adminDesk.page;
          await fillLogin(a, 'chengdu');
          await a.goto(`/learning/content?org=${orgId}`);
          const row = a.getByTestId('content-table').locator('tr').filter({ hasText: '四秒钟的测试课' });
          await eventually(() => row.count()).toBe(1);
          await expect(row.textContent()).resolves.toContain('已发布');
          await settle(a);
          await shot(a, 'learning-desktop-content.png');
          await a.goto(`/learning/bank?org=${orgId}`);
          await eventually(() => a.getByText('预备党员的预备期为一年。').count()).toBeGreaterThan(0);
          await settle(a);
          await shot(a, 'learning-desktop-bank.png');
          await a.goto(`/learning/points?org=${orgId}`);
          await a.getByTestId('ranking-switch').waitFor();
          expect(await a.getByTestId('ranking-switch').getAttribute('aria-checked')).toBe('false');
          await settle(a);
          await shot(a, 'learning-desktop-points.png');
        } finally {
          await adminDesk.context.close();
        }
      } catch (error) {
        await phone.page.screenshot({ path: path.join(SHOTS, 'failed-learning-phone.png') }).catch(() => undefined);
        await desk.page.screenshot({ path: path.join(SHOTS, 'failed-learning-desktop.png') }).catch(() => undefined);
        throw error;
      } finally {
        await phone.context.close();
        await desk.context.close();
      }
    },
    TIMEOUT,
  );
});
