/**
 * The learning library and progress: uploads checked by magic bytes and size, the review workflow (a member sees
 * only published items visible to their branch), range requests on the media stream, and the heartbeat rule:
 * seeking from 0 to the end does not complete an item, playing it through does (time driven through ctx.clock,
 * no sleeping); completion adds training hours once and points within the daily caps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allOrgs, call, createTestApp, login, type OrgItem, type Session, type TestApp } from '../helpers/app.js';
import { beat, drivenClock, fakeMp3, fakeMp4, fakePdf, PNG_1PX, upload } from './learning-helpers.js';

interface Item {
  id: number;
  kind: string;
  status: string;
  duration: number | null;
  requiredSeconds: number;
  mediaUrl: string | null;
  coverUrl: string;
  topics: string[];
  body?: string | null;
  progress: { position: number; completed: boolean; playedSeconds: number } | null;
}

let t: TestApp;
let chengdu: Session;
let member: Session;
const mianyangAdmin: Session | null = null;
let orgs: OrgItem[];
let chengduOrg: OrgItem;
let mianyangOrg: OrgItem;
let memberId: number;
let clock: ReturnType<typeof drivenClock>;

/** 10 KB media limit for this file (LEARNING_MEDIA_LIMIT_MB), so that a too-large upload is cheap to send. */
const LIMIT = 10 * 1024;

async function publish(s: Session, id: number) {
  const res = await call(t, s, 'POST', `/api/learning/content/${id}/publish`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Item;
}

async function newLesson(duration = 600, org = chengduOrg, s = chengdu): Promise<Item> {
  const res = await upload(
    t,
    s,
    '/api/learning/content',
    {
      kind: 'micro_lesson',
      title: `微党课测试${Math.random().toString(36).slice(2, 6)}`,
      orgId: org.id,
      duration,
      topics: '["党章党规"]',
    },
    [{ field: 'file', filename: 'lesson.mp4', content: fakeMp4(), type: 'video/mp4' }],
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Item;
}

beforeAll(async () => {
  t = await createTestApp({ demo: true, env: { LEARNING_MEDIA_LIMIT_MB: String(LIMIT / 1024 / 1024) } });
  clock = drivenClock(t);
  chengdu = await login(t, 'chengdu');
  member = await login(t, 'member');
  const province = await login(t, 'province');
  orgs = await allOrgs(t, province);
  chengduOrg = orgs.find((o) => o.name === '成都市科学技术局机关党委')!;
  mianyangOrg = orgs.find((o) => o.name === '绵阳市科学技术局机关党委')!;
  const me = (await call(t, member, 'GET', '/api/auth/me')).json() as { user: { memberId: number } };
  memberId = me.user.memberId;
  void mianyangAdmin;
});

afterAll(async () => {
  await t?.close();
});

describe('uploads', () => {
  it('refuses a member (403), a file whose bytes are not media (415), a too-large file (413)', async () => {
    const asMember = await upload(
      t,
      member,
      '/api/learning/content',
      { kind: 'micro_lesson', title: '试试', orgId: chengduOrg.id, duration: 60 },
      [{ field: 'file', filename: 'x.mp4', content: fakeMp4() }],
    );
    expect(asMember.statusCode).toBe(403);

    const text = await upload(
      t,
      chengdu,
      '/api/learning/content',
      { kind: 'micro_lesson', title: '伪装视频', orgId: chengduOrg.id, duration: 60 },
      [
        {
          field: 'file',
          filename: 'fake.mp4',
          content: Buffer.from('this is plain text pretending to be a video file'.repeat(4)),
          type: 'video/mp4',
        },
      ],
    );
    expect(text.statusCode, text.body).toBe(415);
    expect(text.json().error.field).toBe('file');

    const big = await upload(
      t,
      chengdu,
      '/api/learning/content',
      { kind: 'micro_film', title: '太大的电影', orgId: chengduOrg.id, duration: 60 },
      [{ field: 'file', filename: 'big.mp4', content: fakeMp4(LIMIT + 2048) }],
    );
    expect(big.statusCode, big.body).toBe(413);

    // a PDF is not a film; audio is not a film either
    const pdfFilm = await upload(
      t,
      chengdu,
      '/api/learning/content',
      { kind: 'micro_film', title: 'PDF电影', orgId: chengduOrg.id, duration: 60 },
      [{ field: 'file', filename: 'a.pdf', content: fakePdf() }],
    );
    expect(pdfFilm.statusCode).toBe(415);
    const audioFilm = await upload(
      t,
      chengdu,
      '/api/learning/content',
      { kind: 'micro_film', title: '音频电影', orgId: chengduOrg.id, duration: 60 },
      [{ field: 'file', filename: 'a.mp3', content: fakeMp3() }],
    );
    expect(audioFilm.statusCode).toBe(415);
    // media needs a duration
    const noDuration = await upload(
      t,
      chengdu,
      '/api/learning/content',
      { kind: 'micro_lesson', title: '没有时长', orgId: chengduOrg.id },
      [{ field: 'file', filename: 'x.mp4', content: fakeMp4() }],
    );
    expect(noDuration.statusCode).toBe(400);
    expect(noDuration.json().error.field).toBe('duration');
    // 成都 cannot publish for 绵阳 (outside its subtree: 404)
    const elsewhere = await upload(
      t,
      chengdu,
      '/api/learning/content',
      { kind: 'micro_lesson', title: '绵阳的课', orgId: mianyangOrg.id, duration: 60 },
      [{ field: 'file', filename: 'x.mp4', content: fakeMp4() }],
    );
    expect(elsewhere.statusCode).toBe(404);
    // nothing was left behind in the store by the refused uploads
    const fs = await import('node:fs');
    const path = await import('node:path');
    const dir = path.join(t.dataDir, 'uploads', 'learning');
    const left = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
    expect(left).toEqual([]);
  });

  it('accepts a lesson with a cover, a PDF document and a JSON article; sanitises the article', async () => {
    const res = await upload(
      t,
      chengdu,
      '/api/learning/content',
      {
        kind: 'micro_lesson',
        title: '带封面的微党课',
        orgId: chengduOrg.id,
        duration: 120,
        topics: '党章党规,党的二十大精神',
      },
      [
        { field: 'file', filename: 'l.mp4', content: fakeMp4() },
        { field: 'cover', filename: 'c.png', content: PNG_1PX },
      ],
    );
    expect(res.statusCode, res.body).toBe(201);
    const item = res.json() as Item;
    expect(item.status).toBe('draft');
    expect(item.requiredSeconds).toBe(108);
    expect(item.topics.sort()).toEqual(['党的二十大精神', '党章党规']);
    const cover = await call(t, chengdu, 'GET', item.coverUrl);
    expect(cover.statusCode).toBe(200);
    expect(cover.headers['content-type']).toBe('image/png');

    const doc = await upload(
      t,
      chengdu,
      '/api/learning/content',
      { kind: 'document', title: '党章原文', orgId: chengduOrg.id },
      [{ field: 'file', filename: 'd.pdf', content: fakePdf(3) }],
    );
    expect(doc.statusCode, doc.body).toBe(201);
    expect((doc.json() as Item).requiredSeconds).toBe(180);
    expect((doc.json() as Item).duration).toBeNull();

    const art = await call(t, chengdu, 'POST', '/api/learning/content', {
      kind: 'article',
      title: '学习文章',
      orgId: chengduOrg.id,
      body: `<p onclick="x()">学习<script>alert(1)</script><a href="javascript:alert(1)">链接</a></p>${'<p>字</p>'.repeat(10)}`,
    });
    expect(art.statusCode, art.body).toBe(201);
    const a = art.json() as Item;
    expect(a.body).not.toMatch(/script|onclick|javascript/);
    expect(a.body).toContain('学习');
    expect(a.requiredSeconds).toBe(30);
    // the default cover of an article is an SVG
    const svg = await call(t, chengdu, 'GET', a.coverUrl);
    expect(svg.headers['content-type']).toContain('image/svg+xml');
  });
});

describe('review and visibility', () => {
  it('a member sees an item only once it is published, and not after it is withdrawn', async () => {
    const item = await newLesson(300);
    expect((await call(t, member, 'GET', `/api/learning/content/${item.id}`)).statusCode).toBe(404);
    const submitted = await call(t, chengdu, 'POST', `/api/learning/content/${item.id}/submit`);
    expect(submitted.json().status).toBe('pending');
    // a member cannot publish (403 before anything else)
    expect((await call(t, member, 'POST', `/api/learning/content/${item.id}/publish`)).statusCode).toBe(403);
    await publish(chengdu, item.id);
    const seen = await call(t, member, 'GET', `/api/learning/content/${item.id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().progress).toEqual({ position: 0, completed: false, playedSeconds: 0, completedAt: null });
    const list = await call(t, member, 'GET', `/api/learning/content?topic=${encodeURIComponent('党章党规')}`);
    expect((list.json() as { items: Item[] }).items.map((i) => i.id)).toContain(item.id);
    const searched = await call(
      t,
      member,
      'GET',
      `/api/learning/content?q=${encodeURIComponent(item.id ? '微党课测试' : '')}`,
    );
    expect((searched.json() as { items: Item[] }).items.map((i) => i.id)).toContain(item.id);
    await call(t, chengdu, 'POST', `/api/learning/content/${item.id}/withdraw`, { note: '内容更新' });
    expect((await call(t, member, 'GET', `/api/learning/content/${item.id}`)).statusCode).toBe(404);
    expect((await beat(t, member, item.id, 0)).statusCode).toBe(404);
  });

  it('an item published for 绵阳 is invisible to a 成都 member and to chengdu (404)', async () => {
    const province = await login(t, 'province');
    const item = await newLesson(60, mianyangOrg, province);
    await publish(province, item.id);
    expect((await call(t, member, 'GET', `/api/learning/content/${item.id}`)).statusCode).toBe(404);
    expect((await call(t, chengdu, 'GET', `/api/learning/content/${item.id}`)).statusCode).toBe(404);
    expect((await call(t, chengdu, 'GET', `/api/learning/content/${item.id}/media`)).statusCode).toBe(404);
    expect((await call(t, chengdu, 'POST', `/api/learning/content/${item.id}/withdraw`)).statusCode).toBe(404);
    expect((await beat(t, member, item.id, 0)).statusCode).toBe(404);
  });
});

describe('consistency', () => {
  it('the list and the per-object check agree for every item and account', async () => {
    const all = await t.ctx.db.selectFrom('learning_content').select('id').execute();
    for (const s of [member, chengdu, await login(t, 'branch'), await login(t, 'province')]) {
      const listed = new Set(
        ((await call(t, s, 'GET', '/api/learning/content?pageSize=200')).json() as { items: Item[] }).items.map(
          (i) => i.id,
        ),
      );
      for (const { id } of all) {
        const status = (await call(t, s, 'GET', `/api/learning/content/${id}`)).statusCode;
        expect(status, `${s.user.username} item ${id}`).toBe(listed.has(id) ? 200 : 404);
      }
    }
  });
});

describe('media streaming', () => {
  it('answers range requests: 206 with Content-Range, 416 outside the file, 200 with Accept-Ranges', async () => {
    const item = await newLesson(60);
    await publish(chengdu, item.id);
    const size = fakeMp4().length;
    const full = await call(t, member, 'GET', item.mediaUrl!);
    expect(full.statusCode).toBe(200);
    expect(full.headers['accept-ranges']).toBe('bytes');
    expect(full.headers['content-type']).toBe('video/mp4');
    expect(full.rawPayload.equals(fakeMp4())).toBe(true);

    const part = await t.app.inject({
      method: 'GET',
      url: item.mediaUrl!,
      headers: { cookie: member.cookie, range: 'bytes=100-199' },
    });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${size}`);
    expect(part.rawPayload.equals(fakeMp4().subarray(100, 200))).toBe(true);

    const tail = await t.app.inject({
      method: 'GET',
      url: item.mediaUrl!,
      headers: { cookie: member.cookie, range: 'bytes=-10' },
    });
    expect(tail.statusCode).toBe(206);
    expect(tail.headers['content-range']).toBe(`bytes ${size - 10}-${size - 1}/${size}`);
    const open = await t.app.inject({
      method: 'GET',
      url: item.mediaUrl!,
      headers: { cookie: member.cookie, range: `bytes=${size - 5}-` },
    });
    expect(open.statusCode).toBe(206);
    expect(open.rawPayload.length).toBe(5);

    for (const bad of [`bytes=${size}-`, 'bytes=50-10', 'items=0-1', 'bytes=-0']) {
      const res = await t.app.inject({
        method: 'GET',
        url: item.mediaUrl!,
        headers: { cookie: member.cookie, range: bad },
      });
      expect(res.statusCode, bad).toBe(416);
      expect(res.headers['content-range']).toBe(`bytes */${size}`);
    }
  });
});

describe('heartbeats', () => {
  it('seeking from 0 to the end and reporting it does not complete; playing through does', async () => {
    const item = await newLesson(600);
    await publish(chengdu, item.id);
    clock.set(Date.parse('2026-03-02T02:00:00Z'));
    expect((await beat(t, member, item.id, 0, 600)).json().completed).toBe(false);
    clock.advance(2);
    const seek = (await beat(t, member, item.id, 600, 600)).json();
    expect(seek.completed).toBe(false);
    expect(seek.playedSeconds).toBeLessThanOrEqual(2.2);
    // sitting at the end for a long time and reporting the end again adds nothing either
    clock.advance(3600);
    expect((await beat(t, member, item.id, 600, 600)).json().playedSeconds).toBeLessThanOrEqual(2.2);
    const view = (await call(t, member, 'GET', `/api/learning/content/${item.id}`)).json() as Item;
    expect(view.progress).toMatchObject({ position: 600, completed: false });

    // seek back to the start and play it through: a heartbeat every 15 s of wall time, 15 s further each time
    let last: { completed: boolean; justCompleted: boolean; playedSeconds: number } = {
      completed: false,
      justCompleted: false,
      playedSeconds: 0,
    };
    clock.advance(5);
    await beat(t, member, item.id, 0, 600);
    let justCompleted = 0;
    for (let pos = 15; pos <= 600; pos += 15) {
      clock.advance(15);
      last = (await beat(t, member, item.id, pos, 600)).json();
      if (last.justCompleted) justCompleted++;
      if (pos < 540) expect(last.completed, `at ${pos}`).toBe(false);
    }
    expect(last.completed).toBe(true);
    expect(justCompleted).toBe(1);
    expect(last.playedSeconds).toBeGreaterThanOrEqual(540);
    const after = (await call(t, member, 'GET', `/api/learning/content/${item.id}`)).json() as Item;
    expect(after.progress?.completed).toBe(true);
  });

  it('replaying a part counts it once; a heartbeat arriving faster than playback is credited by wall time', async () => {
    const item = await newLesson(300);
    await publish(chengdu, item.id);
    clock.advance(100);
    await beat(t, member, item.id, 0);
    for (let round = 0; round < 5; round++) {
      clock.advance(60);
      await beat(t, member, item.id, 60);
      clock.advance(1);
      await beat(t, member, item.id, 0);
    }
    const p = (await call(t, member, 'GET', `/api/learning/content/${item.id}`)).json() as Item;
    expect(p.progress?.playedSeconds).toBe(60);
    expect(p.progress?.completed).toBe(false);
    // 10 heartbeats in 1 s each claiming 30 s more: at most 1.1 s each
    let pos = 60;
    for (let i = 0; i < 10; i++) {
      clock.advance(1);
      pos += 30;
      await beat(t, member, item.id, pos);
    }
    const q = (await call(t, member, 'GET', `/api/learning/content/${item.id}`)).json() as Item;
    expect(q.progress!.playedSeconds).toBeLessThanOrEqual(60 + 11.01);
  });

  it('completion adds training hours once (source study) and completion points once', async () => {
    const item = await newLesson(120);
    await publish(chengdu, item.id);
    clock.advance(1000);
    await beat(t, member, item.id, 0);
    for (let pos = 20; pos <= 120; pos += 20) {
      clock.advance(20);
      await beat(t, member, item.id, pos);
    }
    const ref = `learning:content:${item.id}`;
    const rows = await t.ctx.db
      .selectFrom('training_hours')
      .selectAll()
      .where('member_id', '=', memberId)
      .where('ref', '=', ref)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ source: 'study', minutes: 2 });
    // playing it again: no second entry
    await beat(t, member, item.id, 0);
    for (let pos = 20; pos <= 120; pos += 20) {
      clock.advance(20);
      await beat(t, member, item.id, pos);
    }
    const again = await t.ctx.db
      .selectFrom('training_hours')
      .selectAll()
      .where('member_id', '=', memberId)
      .where('ref', '=', ref)
      .execute();
    expect(again).toHaveLength(1);
    const pts = await t.ctx.db
      .selectFrom('learning_points')
      .selectAll()
      .where('member_id', '=', memberId)
      .where('rule', '=', 'content_complete')
      .where('ref', '=', `content:${item.id}`)
      .execute();
    expect(pts).toHaveLength(1);
    // the ledger of the staffing module shows it
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'learning.complete')
      .execute();
    expect(audit.length).toBeGreaterThanOrEqual(1);
  });

  it('an article completes after its minimum reading time, counted from wall time between heartbeats', async () => {
    const art = await call(t, chengdu, 'POST', '/api/learning/content', {
      kind: 'article',
      title: '长文章',
      orgId: chengduOrg.id,
      body: `<p>${'党'.repeat(2000)}</p>`,
    });
    const a = art.json() as Item;
    expect(a.requiredSeconds).toBe(300);
    await publish(chengdu, a.id);
    clock.advance(500);
    await beat(t, member, a.id, 0);
    // one heartbeat an hour later counts at most 60 s
    clock.advance(3600);
    expect((await beat(t, member, a.id, 10)).json().playedSeconds).toBe(60);
    let last = { completed: false };
    for (let i = 0; i < 16; i++) {
      clock.advance(15);
      last = (await beat(t, member, a.id, 10 + i)).json();
      if (i < 15) expect(last.completed).toBe(false);
    }
    expect(last.completed).toBe(true);
  });

  it('heartbeats arriving together share a commit; a refused one does not affect the others', async () => {
    const province = await login(t, 'province');
    const mine = await newLesson(120);
    await publish(chengdu, mine.id);
    const elsewhere = await newLesson(120, mianyangOrg, province);
    await publish(province, elsewhere.id);
    const branch = await login(t, 'branch');
    clock.advance(10_000);
    const first = await Promise.all([
      beat(t, member, mine.id, 0),
      beat(t, branch, mine.id, 0),
      beat(t, member, elsewhere.id, 0),
    ]);
    expect(first.map((r) => r.statusCode)).toEqual([200, 200, 404]);
    clock.advance(30);
    const second = await Promise.all([
      beat(t, member, mine.id, 30),
      beat(t, member, elsewhere.id, 30),
      beat(t, branch, mine.id, 30),
    ]);
    expect(second.map((r) => r.statusCode)).toEqual([200, 404, 200]);
    expect(second[0]!.json().playedSeconds).toBe(30);
    expect(second[2]!.json().playedSeconds).toBe(30);
  });

  it('accounts without a linked member cannot report progress (403)', async () => {
    const item = await newLesson(60);
    await publish(chengdu, item.id);
    const res = await beat(t, chengdu, item.id, 0);
    expect(res.statusCode).toBe(403);
  });
});
