/**
 * The meetings API: record → submit → lock → versioned correction, validation naming the field, the quorum rule
 * (5 full members: 2 present is not a quorum, 3 is), scope (成都 never sees 绵阳, a member sees their own branch),
 * QR sign-in inside and outside the window, plans (copy last year's, upcoming), attachments checked by magic
 * bytes and size, and the Word and iCalendar exports read back.
 */
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipEntries } from '../../src/server/modules/members/xlsx-reader.js';
import { multipart } from '../fixtures/members.js';
import { allOrgs, call, createTestApp, login, type OrgItem, type Session, type TestApp } from '../helpers/app.js';

interface Quorum {
  rule: string;
  expected: number;
  present: number;
  met: boolean;
}
interface Meeting {
  id: number;
  orgId: number;
  types: string[];
  title: string;
  status: string;
  startsAt: string;
  endsAt: string;
  localDate: string;
  version: number;
  minutes: string;
  minutesLength: number;
  hostId: number | null;
  recorderId: number | null;
  attendees: { memberId: number; name: string; status: string; reason: string | null; via: string | null }[];
  resolutions: { text: string; votesFor: number | null; passed: boolean | null }[];
  reviews: { memberId: number; grade: string }[];
  attachments: { id: number; fileName: string; mime: string; size: number }[];
  quorum: Quorum;
  quorumByType: (Quorum & { type: string })[];
  attendance: { present: number; leave: number; absent: number; total: number };
}
interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

let t: TestApp;
let province: Session;
let chengdu: Session;
let branch: Session;
let member: Session;
let orgs: OrgItem[];
let chengduOrg: OrgItem;
let chengduB1: OrgItem;
let chengduB1Group: OrgItem;
let chengduB2: OrgItem;
let mianyangB1: OrgItem;
/** members of 成都 branch 1 (the roster of the demo accounts `branch` and `member`) */
let rosterB1: { id: number; name: string; user_id: number | null; category: string }[];
let memberSelf: number;
let secretarySelf: number;
let seq = 0;

const byName = (name: string) => {
  const o = orgs.find((x) => x.name === name);
  if (!o) throw new Error(`no org ${name}`);
  return o;
};
const hoursFromNow = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();

async function rosterOf(orgId: number) {
  return t.ctx.db
    .selectFrom('members')
    .select(['id', 'name', 'user_id', 'category'])
    .where('org_id', '=', orgId)
    .orderBy('id')
    .execute();
}

/** A member written straight to the table (the roster API is tested elsewhere). */
async function addMember(orgId: number, category: 'full' | 'probationary' = 'full', name = `会议测试党员${++seq}`) {
  const now = new Date().toISOString();
  const r = await t.ctx.db
    .insertInto('members')
    .values({
      org_id: orgId,
      name,
      gender: '男',
      user_id: null,
      status: 'normal',
      category,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

function body(orgId: number, extra: Record<string, unknown> = {}) {
  const present = rosterB1.slice(0, 4).map((m) => ({ memberId: m.id, status: 'present' }));
  return {
    orgId,
    types: ['party_congress', 'theme_day'],
    title: `三月主题党日暨党员大会${++seq}`,
    startsAt: '2019-03-05T14:30:00+08:00',
    endsAt: '2019-03-05T16:30:00+08:00',
    location: '局机关三楼会议室',
    hostId: secretarySelf,
    recorderId: memberSelf,
    guests: '市局机关党委 张同志',
    attendees: [
      ...present,
      { memberId: rosterB1[4]!.id, status: 'leave', reason: '出差' },
      { memberId: rosterB1[5]!.id, status: 'absent' },
    ],
    minutes:
      '<p>学习<strong>党的二十届四中全会</strong>精神。</p><script>alert(1)</script><p onclick="x()">讨论发言。</p>',
    resolutions: [{ text: '同意接收预备党员转正', votesFor: 4, votesAgainst: 0, abstentions: 0 }],
    status: 'draft',
    ...extra,
  };
}

async function create(s: Session, payload: Record<string, unknown>): Promise<Meeting> {
  const res = await call(t, s, 'POST', '/api/meetings', payload);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Meeting;
}

async function get(s: Session, id: number): Promise<Meeting> {
  const res = await call(t, s, 'GET', `/api/meetings/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Meeting;
}

function expectError(
  res: { statusCode: number; json(): unknown; body: string },
  status: number,
  code: string,
  field?: string,
) {
  expect(res.statusCode, res.body).toBe(status);
  const e = (res.json() as ErrorBody).error;
  expect(e.code, res.body).toBe(code);
  if (field !== undefined) expect(e.field, res.body).toBe(field);
  return e;
}

/** The text of one entry of a ZIP (a .docx) read back with node:zlib. */
function zipText(buf: Buffer, name: string): string {
  const e = zipEntries(buf).find((x) => x.name === name);
  if (!e) throw new Error(`no ${name} in the zip`);
  const at = e.localHeader;
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  const data = buf.subarray(start, start + e.compressedSize);
  return (e.method === 0 ? data : zlib.inflateRawSync(data)).toString('utf8');
}

/** Word's text runs joined (a name may be split across runs only by formatting; ours never is). */
const docText = (xml: string) => [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  province = await login(t, 'province');
  chengdu = await login(t, 'chengdu');
  branch = await login(t, 'branch');
  member = await login(t, 'member');
  orgs = await allOrgs(t, province);
  chengduOrg = byName('成都市科学技术局机关党委');
  chengduB1 = byName('成都市科学技术局机关第一党支部');
  chengduB2 = byName('成都市科学技术局机关第二党支部');
  mianyangB1 = byName('绵阳市科学技术局机关第一党支部');
  chengduB1Group = orgs.find((o) => o.parentId === chengduB1.id && o.kind === 'group')!;
  rosterB1 = await rosterOf(chengduB1.id);
  memberSelf = rosterB1.find((m) => m.name === '李晓雨')!.id;
  secretarySelf = rosterB1.find((m) => m.name === '王建国')!.id;
  expect(rosterB1.length).toBeGreaterThanOrEqual(8);
});

afterAll(async () => {
  await t?.close();
});

describe('record, submit, lock, correct', () => {
  it('creates a record (201) with sanitised minutes, attendance and computed results', async () => {
    const m = await create(branch, body(chengduB1.id));
    expect(m.status).toBe('draft');
    expect(m.orgId).toBe(chengduB1.id);
    expect(m.types).toEqual(['party_congress', 'theme_day']);
    expect(m.localDate).toBe('2019-03-05');
    expect(m.startsAt).toBe('2019-03-05T06:30:00.000Z');
    expect(m.minutes).toBe('<p>学习<strong>党的二十届四中全会</strong>精神。</p><p>讨论发言。</p>');
    expect(m.minutes).not.toMatch(/script|onclick|alert/);
    expect(m.minutesLength).toBe('学习党的二十届四中全会精神。讨论发言。'.length);
    expect(m.attendance).toEqual({ present: 4, leave: 1, absent: 1, total: 6 });
    expect(m.attendees.find((a) => a.status === 'leave')?.reason).toBe('出差');
    expect(m.quorum.rule).toBe('full_members');
    expect(m.quorumByType.map((q) => q.type)).toEqual(['party_congress', 'theme_day']);
    const stored = await t.ctx.db.selectFrom('meeting_types').selectAll().where('meeting_id', '=', m.id).execute();
    expect(stored.map((r) => [r.type, r.org_id, r.local_date]).sort()).toEqual([
      ['party_congress', chengduB1.id, '2019-03-05'],
      ['theme_day', chengduB1.id, '2019-03-05'],
    ]);
  });

  it('lists with filters (org subtree, type, status, dates) and reads one', async () => {
    const a = await create(branch, body(chengduB1.id, { types: ['lecture'], title: '党课：守土有责' }));
    const g = await create(branch, {
      orgId: chengduB1Group.id,
      types: ['group'],
      title: '第一党小组学习会',
      startsAt: '2019-04-10T09:00:00+08:00',
      endsAt: '2019-04-10T10:00:00+08:00',
      status: 'planned',
    });
    const list = async (s: Session, q: string) => {
      const res = await call(t, s, 'GET', `/api/meetings?${q}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { items: Meeting[]; total: number };
    };
    const lectures = await list(branch, `org=${chengduB1.id}&type=lecture&from=2019-01-01&to=2019-12-31`);
    expect(lectures.items.map((m) => m.id)).toContain(a.id);
    expect(lectures.items.every((m) => m.types.includes('lecture'))).toBe(true);
    const subtree = await list(chengdu, `org=${chengduB1.id}&from=2019-01-01&to=2019-12-31&pageSize=1000`);
    expect(subtree.items.map((m) => m.id)).toEqual(expect.arrayContaining([a.id, g.id]));
    const planned = await list(branch, 'status=planned&from=2019-01-01&to=2019-12-31&pageSize=1000');
    expect(planned.items.map((m) => m.id)).toContain(g.id);
    expect(planned.items.every((m) => m.status === 'planned')).toBe(true);
    const april = await list(branch, 'from=2019-04-01&to=2019-04-30&pageSize=100');
    expect(april.items.map((m) => m.id)).toEqual([g.id]);
    expect(
      (await list(branch, `org=${chengduB1Group.id}&from=2019-01-01&to=2019-12-31`)).items.map((m) => m.id),
    ).toEqual([g.id]);
    expect((await get(member, g.id)).title).toBe('第一党小组学习会');
  });

  it('patches a draft freely; submits; a submitted record is locked and corrections are versioned', async () => {
    const m = await create(branch, body(chengduB1.id));
    const patched = await call(t, branch, 'PATCH', `/api/meetings/${m.id}`, { title: '三月主题党日（修改）' });
    expect(patched.statusCode, patched.body).toBe(200);
    expect((patched.json() as Meeting).version).toBe(1);

    const submitted = await call(t, branch, 'POST', `/api/meetings/${m.id}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect((submitted.json() as Meeting).status).toBe('submitted');
    expectError(await call(t, branch, 'POST', `/api/meetings/${m.id}/submit`), 409, 'already_submitted');

    // locked: no change without a reason, no deletion
    expectError(
      await call(t, branch, 'PATCH', `/api/meetings/${m.id}`, { title: '偷偷改' }),
      409,
      'correction_reason_required',
      'correctionReason',
    );
    expectError(await call(t, branch, 'DELETE', `/api/meetings/${m.id}`), 409, 'meeting_locked');
    expect((await get(branch, m.id)).title).toBe('三月主题党日（修改）');

    const corrected = await call(t, branch, 'PATCH', `/api/meetings/${m.id}`, {
      minutes: '<p>学习全会精神，支部书记领学，6 名党员交流发言。</p>',
      correctionReason: '补充发言情况',
    });
    expect(corrected.statusCode, corrected.body).toBe(200);
    const after = corrected.json() as Meeting;
    expect(after.version).toBe(2);
    expect(after.status).toBe('submitted');
    expect(after.minutes).toContain('交流发言');

    const versions = await call(t, member, 'GET', `/api/meetings/${m.id}/versions`);
    expect(versions.statusCode, versions.body).toBe(200);
    const items = (versions.json() as { items: { version: number; reason: string; snapshot: Meeting }[] }).items;
    expect(items).toHaveLength(1);
    expect(items[0]!.version).toBe(1);
    expect(items[0]!.reason).toBe('补充发言情况');
    expect(items[0]!.snapshot.minutes).toContain('党的二十届四中全会');
    expect(items[0]!.snapshot.status).toBe('submitted');

    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('target', '=', `meeting:${m.id}`)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['meeting.create', 'meeting.update', 'meeting.submit', 'meeting.correct']),
    );
  });

  it('deletes a draft or a planned meeting (204)', async () => {
    const m = await create(branch, body(chengduB1.id, { status: 'planned' }));
    expect((await call(t, branch, 'DELETE', `/api/meetings/${m.id}`)).statusCode).toBe(204);
    expect((await call(t, branch, 'GET', `/api/meetings/${m.id}`)).statusCode).toBe(404);
    expect(await t.ctx.db.selectFrom('meeting_types').selectAll().where('meeting_id', '=', m.id).execute()).toEqual([]);
  });

  it('submission needs the record to be complete and the meeting to have started', async () => {
    const planned = await create(branch, {
      orgId: chengduB1.id,
      types: ['theme_day'],
      title: '下月主题党日',
      startsAt: hoursFromNow(24 * 20),
      endsAt: hoursFromNow(24 * 20 + 2),
      status: 'planned',
    });
    expectError(await call(t, branch, 'POST', `/api/meetings/${planned.id}/submit`), 400, 'validation', 'startsAt');
    const noMinutes = await create(branch, body(chengduB1.id, { minutes: null }));
    expectError(await call(t, branch, 'POST', `/api/meetings/${noMinutes.id}/submit`), 400, 'validation', 'minutes');
    const noAttendees = await create(branch, body(chengduB1.id, { attendees: [], resolutions: [] }));
    expectError(
      await call(t, branch, 'POST', `/api/meetings/${noAttendees.id}/submit`),
      400,
      'validation',
      'attendees',
    );
  });

  it('the recorder may submit with meeting.read alone; another member may not', async () => {
    const mine = await create(branch, body(chengduB1.id, { recorderId: memberSelf }));
    const notMine = await create(branch, body(chengduB1.id, { recorderId: secretarySelf }));
    expectError(await call(t, member, 'POST', `/api/meetings/${notMine.id}/submit`), 403, 'forbidden');
    const ok = await call(t, member, 'POST', `/api/meetings/${mine.id}/submit`);
    expect(ok.statusCode, ok.body).toBe(200);
    // a member cannot edit or create
    expectError(await call(t, member, 'PATCH', `/api/meetings/${notMine.id}`, { title: '改一下' }), 403, 'forbidden');
    expectError(await call(t, member, 'POST', '/api/meetings', body(chengduB1.id)), 403, 'forbidden');
  });
});

describe('validation names the field', () => {
  it('endsAt before startsAt', async () => {
    expectError(
      await call(t, branch, 'POST', '/api/meetings', body(chengduB1.id, { endsAt: '2019-03-05T13:00:00+08:00' })),
      400,
      'validation',
      'endsAt',
    );
  });

  it('times without an offset', async () => {
    expectError(
      await call(t, branch, 'POST', '/api/meetings', body(chengduB1.id, { startsAt: '2026-03-05 14:30' })),
      400,
      'validation',
      'startsAt',
    );
  });

  it('an attendee who is not a member of the org, by index', async () => {
    const stranger = (await rosterOf(mianyangB1.id))[0]!.id;
    const b = body(chengduB1.id);
    (b.attendees as unknown[]).splice(3, 0, { memberId: stranger, status: 'present' });
    const e = expectError(await call(t, branch, 'POST', '/api/meetings', b), 400, 'validation', 'attendees.3.memberId');
    expect(e.message).toMatch(/not a member/);
    expectError(
      await call(t, branch, 'POST', '/api/meetings', body(chengduB1.id, { hostId: stranger })),
      400,
      'validation',
      'hostId',
    );
  });

  it('an attendee on leave without a reason; an attendee listed twice; an unknown status', async () => {
    const b = body(chengduB1.id);
    (b.attendees as { reason?: string }[])[4]!.reason = '';
    expectError(await call(t, branch, 'POST', '/api/meetings', b), 400, 'validation', 'attendees.4.reason');
    const twice = body(chengduB1.id);
    (twice.attendees as unknown[]).push({ memberId: rosterB1[0]!.id, status: 'absent' });
    expectError(await call(t, branch, 'POST', '/api/meetings', twice), 400, 'validation', 'attendees.6.memberId');
    const bad = body(chengduB1.id);
    (bad.attendees as { status: string }[])[1]!.status = 'late';
    expectError(await call(t, branch, 'POST', '/api/meetings', bad), 400, 'validation', 'attendees.1.status');
  });

  it('types invalid for the org kind: 党小组会 only in a group, a group only holds 党小组会', async () => {
    const e = expectError(
      await call(t, branch, 'POST', '/api/meetings', body(chengduB1.id, { types: ['group'] })),
      400,
      'validation',
      'types.0',
    );
    expect(e.message).toMatch(/党小组/);
    expectError(
      await call(
        t,
        branch,
        'POST',
        '/api/meetings',
        body(chengduB1Group.id, { types: ['group', 'theme_day'], resolutions: [] }),
      ),
      400,
      'validation',
      'types.1',
    );
    expectError(
      await call(t, branch, 'POST', '/api/meetings', body(chengduB1.id, { types: [] })),
      400,
      'validation',
      'types',
    );
    expectError(
      await call(t, branch, 'POST', '/api/meetings', body(chengduB1.id, { types: ['party_meeting'] })),
      400,
      'validation',
      'types.0',
    );
  });

  it('grades need a review meeting; more votes than members present', async () => {
    expectError(
      await call(
        t,
        branch,
        'POST',
        '/api/meetings',
        body(chengduB1.id, { reviews: [{ memberId: rosterB1[0]!.id, grade: 'excellent' }] }),
      ),
      400,
      'validation',
      'reviews',
    );
    expectError(
      await call(
        t,
        branch,
        'POST',
        '/api/meetings',
        body(chengduB1.id, { resolutions: [{ text: '决议', votesFor: 9, votesAgainst: 0, abstentions: 0 }] }),
      ),
      400,
      'validation',
      'resolutions.0.votesFor',
    );
  });

  it('a review meeting keeps grades per member', async () => {
    const m = await create(
      branch,
      body(chengduB1.id, {
        types: ['life_meeting', 'review'],
        resolutions: [],
        reviews: [
          { memberId: rosterB1[0]!.id, grade: 'excellent' },
          { memberId: rosterB1[1]!.id, grade: 'qualified' },
        ],
      }),
    );
    expect(m.reviews.map((r) => r.grade).sort()).toEqual(['excellent', 'qualified']);
  });
});

describe('quorum: a branch with 5 full members', () => {
  let small: OrgItem;
  let full: number[];
  let probationary: number;

  beforeAll(async () => {
    const res = await call(t, chengdu, 'POST', '/api/orgs', {
      parentId: chengduOrg.id,
      name: '法定人数测试党支部',
      kind: 'branch',
    });
    expect(res.statusCode, res.body).toBe(201);
    small = res.json() as OrgItem;
    full = [];
    for (let i = 0; i < 5; i++) full.push(await addMember(small.id, 'full'));
    probationary = await addMember(small.id, 'probationary');
  });

  const congress = (present: number, votesFor: number) => ({
    orgId: small.id,
    types: ['party_congress'],
    title: `支部党员大会（${present} 人出席）`,
    startsAt: '2026-02-10T09:00:00+08:00',
    endsAt: '2026-02-10T11:00:00+08:00',
    hostId: full[0],
    recorderId: full[1],
    attendees: [
      ...full.map((id, i) => ({ memberId: id, status: i < present ? 'present' : 'absent' })),
      { memberId: probationary, status: 'present' },
    ],
    minutes: '<p>讨论发展党员事项。</p>',
    resolutions: [{ text: '同意吸收为预备党员', votesFor, votesAgainst: 0, abstentions: 0 }],
    status: 'draft',
  });

  it('2 of 5 present: no quorum (the probationary member does not count); a resolution with 2 yes fails', async () => {
    const m = await create(chengdu, congress(2, 2));
    expect(m.quorum).toEqual({ rule: 'full_members', expected: 5, present: 2, met: false });
    expect(m.quorumByType).toEqual([
      { type: 'party_congress', rule: 'full_members', expected: 5, present: 2, met: false },
    ]);
    expect(m.resolutions[0]!.passed).toBe(false);
  });

  it('3 of 5 present: quorum met; 3 yes votes pass', async () => {
    const m = await create(chengdu, congress(3, 3));
    expect(m.quorum).toEqual({ rule: 'full_members', expected: 5, present: 3, met: true });
    expect(m.resolutions[0]!.passed).toBe(true);
  });

  it('a correction from 2 to 3 present turns the quorum met', async () => {
    const m = await create(chengdu, congress(2, 2));
    const patched = await call(t, chengdu, 'PATCH', `/api/meetings/${m.id}`, {
      attendees: congress(3, 3).attendees,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect((patched.json() as Meeting).quorum.met).toBe(true);
  });

  it('quorumFor and the pure rule agree with the API', async () => {
    const { quorumFor, quorumFromCounts } = await import('../../src/server/modules/meetings/quorum.js');
    expect(quorumFromCounts(5, 2).met).toBe(false);
    expect(quorumFromCounts(5, 3).met).toBe(true);
    expect(quorumFromCounts(4, 2).met).toBe(false);
    const m = await create(chengdu, congress(2, 0));
    expect(await quorumFor(t.ctx.db, m.id, 'full_members')).toEqual({ expected: 5, present: 2, met: false });
    expect(await quorumFor(t.ctx.db, m.id, 'members')).toEqual({ expected: 6, present: 3, met: false });
  });
});

describe('scope', () => {
  let mianyangMeeting: Meeting;
  let b2Meeting: Meeting;

  beforeAll(async () => {
    const roster = await rosterOf(mianyangB1.id);
    mianyangMeeting = await create(province, {
      orgId: mianyangB1.id,
      types: ['theme_day'],
      title: '绵阳主题党日',
      startsAt: '2026-03-01T09:00:00+08:00',
      endsAt: '2026-03-01T11:00:00+08:00',
      attendees: roster.slice(0, 3).map((m) => ({ memberId: m.id, status: 'present' })),
      status: 'draft',
    });
    b2Meeting = await create(chengdu, {
      orgId: chengduB2.id,
      types: ['lecture'],
      title: '成都第二支部党课',
      startsAt: '2026-03-02T09:00:00+08:00',
      endsAt: '2026-03-02T11:00:00+08:00',
      status: 'planned',
    });
  });

  it('chengdu cannot read, edit or export a 绵阳 meeting (404), nor create one there', async () => {
    expectError(await call(t, chengdu, 'GET', `/api/meetings/${mianyangMeeting.id}`), 404, 'not_found');
    expectError(
      await call(t, chengdu, 'PATCH', `/api/meetings/${mianyangMeeting.id}`, { title: '改一下' }),
      404,
      'not_found',
    );
    expectError(await call(t, chengdu, 'GET', `/api/meetings/${mianyangMeeting.id}/record.docx`), 404, 'not_found');
    expectError(
      await call(t, chengdu, 'POST', '/api/meetings', { ...body(mianyangB1.id), attendees: [] }),
      404,
      'not_found',
    );
    const list = await call(t, chengdu, 'GET', `/api/meetings?pageSize=1000`);
    expect((list.json() as { items: Meeting[] }).items.map((m) => m.id)).not.toContain(mianyangMeeting.id);
    expect((await call(t, chengdu, 'GET', `/api/meetings?org=${mianyangB1.id}`)).json()).toEqual({
      items: [],
      total: 0,
    });
  });

  it('a member sees their own branch meetings only', async () => {
    const res = await call(t, member, 'GET', '/api/meetings?pageSize=1000');
    expect(res.statusCode, res.body).toBe(200);
    const items = (res.json() as { items: Meeting[] }).items;
    expect(items.length).toBeGreaterThan(0);
    const own = new Set([chengduB1.id, ...orgs.filter((o) => o.parentId === chengduB1.id).map((o) => o.id)]);
    expect(items.every((m) => own.has(m.orgId))).toBe(true);
    expectError(await call(t, member, 'GET', `/api/meetings/${b2Meeting.id}`), 404, 'not_found');
    expectError(await call(t, member, 'GET', `/api/meetings/${mianyangMeeting.id}`), 404, 'not_found');
  });

  it('the list filter and the per-object check agree', async () => {
    for (const s of [chengdu, branch, member]) {
      const listed = new Set(
        ((await call(t, s, 'GET', '/api/meetings?pageSize=10000')).json() as { items: Meeting[] }).items.map(
          (m) => m.id,
        ),
      );
      // every meeting the tests made, and a sample of the rest (the demo may hold thousands)
      const all = await t.ctx.db.selectFrom('meetings').select(['id', 'created_by']).orderBy('id').execute();
      const step = Math.max(1, Math.ceil(all.length / 300));
      for (const { id } of all.filter((m, i) => m.created_by !== 'demo' || i % step === 0)) {
        const status = (await call(t, s, 'GET', `/api/meetings/${id}`)).statusCode;
        expect(status, `meeting ${id}`).toBe(listed.has(id) ? 200 : 404);
      }
    }
  });
});

describe('QR sign-in', () => {
  let outsider: Session;
  let now: Meeting;

  async function meetingAt(startH: number, endH: number, orgId = chengduB1.id) {
    return create(branch, {
      orgId,
      types: orgId === chengduB1Group.id ? ['group'] : ['theme_day'],
      title: `扫码签到测试${++seq}`,
      startsAt: hoursFromNow(startH),
      endsAt: hoursFromNow(endH),
      status: 'planned',
    });
  }

  async function code(id: number) {
    const res = await call(t, branch, 'GET', `/api/meetings/${id}/signin-code`);
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json() as { url: string; expiresAt: string; qrDataUrl: string };
    expect(c.url).toMatch(/^\/m\/signin\?t=[A-Za-z0-9_-]+$/);
    expect(c.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    return new URL(c.url, 'http://x').searchParams.get('t')!;
  }

  beforeAll(async () => {
    // an account linked to a member of 绵阳 branch 1, holding the member role there
    const mk = await call(t, await login(t, 'sysadmin'), 'POST', '/api/users', {
      username: 'mianyang-member',
      displayName: '绵阳党员',
      password: 'Mq7#first2W',
    });
    expect(mk.statusCode, mk.body).toBe(201);
    const userId = (mk.json() as { id: number }).id;
    const g = await call(t, await login(t, 'secadmin'), 'POST', '/api/grants', {
      userId,
      role: 'member',
      orgId: mianyangB1.id,
    });
    expect(g.statusCode, g.body).toBe(201);
    const their = (await rosterOf(mianyangB1.id))[0]!.id;
    await t.ctx.db.updateTable('members').set({ user_id: userId }).where('id', '=', their).execute();
    const first = await login(t, 'mianyang-member', 'Mq7#first2W');
    const changed = await call(t, first, 'POST', '/api/auth/password', {
      currentPassword: 'Mq7#first2W',
      newPassword: 'Mq8#second3E',
    });
    expect(changed.statusCode, changed.body).toBe(204);
    outsider = await login(t, 'mianyang-member', 'Mq8#second3E');
    now = await meetingAt(-0.25, 1.5);
  });

  it('a member of the org signs in inside the window: present via qr, idempotent', async () => {
    const token = await code(now.id);
    const res = await call(t, member, 'POST', '/api/meetings/signin', { token });
    expect(res.statusCode, res.body).toBe(200);
    const first = res.json() as { alreadySignedIn: boolean; signedInAt: string; meeting: { id: number } };
    expect(first.alreadySignedIn).toBe(false);
    expect(first.meeting.id).toBe(now.id);
    const again = await call(t, member, 'POST', '/api/meetings/signin', { token });
    expect(again.statusCode, again.body).toBe(200);
    expect((again.json() as typeof first).alreadySignedIn).toBe(true);
    expect((again.json() as typeof first).signedInAt).toBe(first.signedInAt);
    const m = await get(branch, now.id);
    const me = m.attendees.find((a) => a.memberId === memberSelf)!;
    expect(me).toMatchObject({ status: 'present', via: 'qr' });
    expect(m.attendees).toHaveLength(1);
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('target', '=', `meeting:${now.id} member:${memberSelf}`)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['meeting.signin']);
  });

  it('opens 30 minutes before the start', async () => {
    const soon = await meetingAt(0.4, 2);
    expect((await call(t, member, 'POST', '/api/meetings/signin', { token: await code(soon.id) })).statusCode).toBe(
      200,
    );
  });

  it('a member of the branch signs in to one of its groups’ meetings', async () => {
    const g = await meetingAt(-0.1, 1, chengduB1Group.id);
    expect((await call(t, member, 'POST', '/api/meetings/signin', { token: await code(g.id) })).statusCode).toBe(200);
  });

  it('a member of another org is refused (404: the meeting is not theirs to see)', async () => {
    const token = await code(now.id);
    const e = expectError(await call(t, outsider, 'POST', '/api/meetings/signin', { token }), 404, 'not_found');
    expect(e.message).toMatch(/meeting/);
    expect((await get(branch, now.id)).attendees.map((a) => a.memberId)).toEqual([memberSelf]);
  });

  it('an account without a linked member is refused (403)', async () => {
    const res = await call(t, chengdu, 'POST', '/api/meetings/signin', { token: await code(now.id) });
    expectError(res, 403, 'forbidden');
    expect(res.body).toMatch(/no_member/);
  });

  it('outside the window: before (410 signin_closed) and after the end', async () => {
    const later = await meetingAt(3, 5);
    expectError(
      await call(t, member, 'POST', '/api/meetings/signin', { token: await code(later.id) }),
      410,
      'signin_closed',
    );
    const past = await meetingAt(-5, -2);
    expectError(
      await call(t, member, 'POST', '/api/meetings/signin', { token: await code(past.id) }),
      410,
      'signin_closed',
    );
    expect((await get(branch, later.id)).attendees).toEqual([]);
  });

  it('a forged or altered token is refused', async () => {
    const token = await code(now.id);
    const flipped = token.slice(0, 5) + (token[5] === 'A' ? 'B' : 'A') + token.slice(6);
    expectError(await call(t, member, 'POST', '/api/meetings/signin', { token: flipped }), 400, 'invalid_token');
    expectError(
      await call(t, member, 'POST', '/api/meetings/signin', { token: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }),
      400,
      'invalid_token',
    );
  });

  it('only meeting.write holders get the code', async () => {
    expectError(await call(t, member, 'GET', `/api/meetings/${now.id}/signin-code`), 403, 'forbidden');
  });
});

describe('plans', () => {
  let planOrg: OrgItem;

  beforeAll(async () => {
    const res = await call(t, chengdu, 'POST', '/api/orgs', {
      parentId: chengduOrg.id,
      name: '计划测试党支部',
      kind: 'branch',
    });
    expect(res.statusCode, res.body).toBe(201);
    planOrg = res.json() as OrgItem;
    for (const [date, types, title] of [
      ['2024-02-29', ['theme_day'], '二月主题党日'],
      ['2024-03-28', ['party_congress', 'lecture'], '一季度党员大会暨党课'],
      ['2024-12-20', ['life_meeting', 'review'], '年度组织生活会'],
    ] as const) {
      await create(chengdu, {
        orgId: planOrg.id,
        types,
        title,
        startsAt: `${date}T14:30:00+08:00`,
        endsAt: `${date}T16:30:00+08:00`,
        location: '三楼会议室',
        status: 'planned',
      });
    }
  });

  it('copies last year’s meetings as planned meetings of the new year, once', async () => {
    const res = await call(t, chengdu, 'POST', '/api/meetings/copy-plan', {
      orgId: planOrg.id,
      fromYear: 2024,
      toYear: 2025,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ count: 3, skipped: 0 });
    const list = (
      (await call(t, chengdu, 'GET', `/api/meetings?org=${planOrg.id}&from=2025-01-01&to=2025-12-31`)).json() as {
        items: Meeting[];
      }
    ).items;
    expect(list.map((m) => [m.localDate, m.title, m.status, m.types]).sort()).toEqual([
      ['2025-02-28', '二月主题党日', 'planned', ['theme_day']],
      ['2025-03-28', '一季度党员大会暨党课', 'planned', ['party_congress', 'lecture']],
      ['2025-12-20', '年度组织生活会', 'planned', ['life_meeting', 'review']],
    ]);
    const feb = list.find((m) => m.localDate === '2025-02-28')!;
    expect(feb.startsAt).toBe('2025-02-28T06:30:00.000Z');
    expect(feb.endsAt).toBe('2025-02-28T08:30:00.000Z');
    const again = await call(t, chengdu, 'POST', '/api/meetings/copy-plan', {
      orgId: planOrg.id,
      fromYear: 2024,
      toYear: 2025,
    });
    expect(again.json()).toEqual({ count: 0, skipped: 3 });
    expectError(
      await call(t, chengdu, 'POST', '/api/meetings/copy-plan', { orgId: mianyangB1.id, fromYear: 2024, toYear: 2025 }),
      404,
      'not_found',
    );
  });

  it('a member sees upcoming meetings of their branch, soonest first', async () => {
    const a = await create(branch, {
      orgId: chengduB1.id,
      types: ['theme_day'],
      title: '下周主题党日',
      startsAt: hoursFromNow(24 * 7),
      endsAt: hoursFromNow(24 * 7 + 2),
      status: 'planned',
    });
    const b = await create(branch, {
      orgId: chengduB1.id,
      types: ['lecture'],
      title: '明天党课',
      startsAt: hoursFromNow(24),
      endsAt: hoursFromNow(26),
      status: 'planned',
    });
    const res = await call(t, member, 'GET', '/api/meetings/upcoming');
    expect(res.statusCode, res.body).toBe(200);
    const items = (res.json() as { items: Meeting[] }).items;
    const ids = items.map((m) => m.id);
    expect(ids.indexOf(b.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(a.id));
    expect(items.every((m) => new Date(m.endsAt).getTime() >= Date.now() - 60_000)).toBe(true);
    expect((await call(t, chengdu, 'GET', '/api/meetings/upcoming')).json()).toEqual({ items: [] });
  });
});

describe('attachments', () => {
  const PNG = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  );
  let m: Meeting;

  const upload = (id: number, file: Buffer, name: string, s = branch) => {
    const mp = multipart(file, 'file', name);
    return t.app.inject({
      method: 'POST',
      url: `/api/meetings/${id}/attachments`,
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': mp.contentType },
      payload: mp.body,
    });
  };

  beforeAll(async () => {
    m = await create(branch, body(chengduB1.id));
  });

  it('a PNG is accepted, stored under a generated name and downloaded with Content-Disposition', async () => {
    const res = await upload(m.id, PNG, '../../etc/现场照片.png');
    expect(res.statusCode, res.body).toBe(201);
    const a = res.json() as { id: number; fileName: string; mime: string; size: number };
    expect(a).toMatchObject({ fileName: '现场照片.png', mime: 'image/png', size: PNG.length });
    const stored = await t.ctx.db
      .selectFrom('meeting_attachments')
      .selectAll()
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    expect(stored.storage_name).toMatch(/^[0-9a-f]{32}\.png$/);
    const dl = await call(t, member, 'GET', `/api/meetings/${m.id}/attachments/${a.id}`);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('image/png');
    expect(String(dl.headers['content-disposition'])).toContain(
      `filename*=UTF-8''${encodeURIComponent('现场照片.png')}`,
    );
    expect(dl.rawPayload.equals(PNG)).toBe(true);
    expect((await get(branch, m.id)).attachments.map((x) => x.id)).toEqual([a.id]);
    expectError(await call(t, chengdu, 'GET', `/api/meetings/${m.id}/attachments/${a.id + 999}`), 404, 'not_found');
  });

  it('an .exe renamed .png is refused by its magic bytes', async () => {
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(200, 0)]);
    const e = expectError(await upload(m.id, exe, 'photo.png'), 415, 'unsupported_media_type', 'file');
    expect(e.message).toMatch(/JPEG|PDF|Word/);
  });

  it('a file over 20 MB is refused', async () => {
    const big = Buffer.alloc(20 * 1024 * 1024 + 10, 0);
    PNG.copy(big);
    expectError(await upload(m.id, big, 'big.png'), 413, 'file_too_large', 'file');
  });

  it('PDF and Word documents are accepted', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    expect((await upload(m.id, pdf, '会议材料.pdf')).statusCode).toBe(201);
    const docx = await call(t, branch, 'GET', `/api/meetings/${m.id}/record.docx`);
    const up = await upload(m.id, docx.rawPayload, '记录.docx');
    expect(up.statusCode, up.body).toBe(201);
    expect((up.json() as { mime: string }).mime).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
  });

  it('attachments of a draft can be deleted; a submitted record’s cannot change', async () => {
    const a = (await upload(m.id, PNG, 'x.png')).json() as { id: number };
    expect((await call(t, branch, 'DELETE', `/api/meetings/${m.id}/attachments/${a.id}`)).statusCode).toBe(204);
    expect((await call(t, branch, 'GET', `/api/meetings/${m.id}/attachments/${a.id}`)).statusCode).toBe(404);
    const keep = (await upload(m.id, PNG, 'y.png')).json() as { id: number };
    expect((await call(t, branch, 'POST', `/api/meetings/${m.id}/submit`)).statusCode).toBe(200);
    expectError(await upload(m.id, PNG, 'z.png'), 409, 'meeting_locked');
    expectError(await call(t, branch, 'DELETE', `/api/meetings/${m.id}/attachments/${keep.id}`), 409, 'meeting_locked');
  });
});

describe('exports', () => {
  it('record.docx is a real Word document with the topic and the attendees’ names', async () => {
    const m = await create(branch, body(chengduB1.id, { title: '四月主题党日：学习科技强国' }));
    const res = await call(t, member, 'GET', `/api/meetings/${m.id}/record.docx`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(String(res.headers['content-disposition'])).toMatch(/^attachment; filename="meeting-\d+-/);
    const buf = res.rawPayload;
    expect(buf.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
    const text = docText(zipText(buf, 'word/document.xml'));
    expect(text).toContain('会议记录');
    expect(text).toContain('四月主题党日：学习科技强国');
    for (const a of m.attendees) expect(text).toContain(a.name);
    expect(text).toContain('出差');
    expect(text).toContain('主持人签字');
    expect(text).toContain('记录人签字');
    expect(text).toContain('同意接收预备党员转正');
    expect(text).toContain('党的二十届四中全会');
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('target', '=', `meeting:${m.id}`)
      .where('action', '=', 'meeting.export')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('book.docx holds every submitted record of the org in the period, with a contents list', async () => {
    const titles = ['五月党员大会', '五月党课', '五月主题党日'];
    for (const [i, title] of titles.entries()) {
      const m = await create(
        branch,
        body(chengduB1.id, {
          title,
          startsAt: `2019-05-${10 + i}T09:00:00+08:00`,
          endsAt: `2019-05-${10 + i}T11:00:00+08:00`,
        }),
      );
      expect((await call(t, branch, 'POST', `/api/meetings/${m.id}/submit`)).statusCode).toBe(200);
    }
    const draft = await create(
      branch,
      body(chengduB1.id, {
        title: '五月草稿',
        startsAt: '2019-05-20T09:00:00+08:00',
        endsAt: '2019-05-20T10:00:00+08:00',
      }),
    );
    const res = await call(
      t,
      branch,
      'GET',
      `/api/meetings/book.docx?org=${chengduB1.id}&from=2019-05-01&to=2019-05-31`,
    );
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    const text = docText(zipText(res.rawPayload, 'word/document.xml'));
    expect(text).toContain('会议记录本');
    expect(text).toContain('目录');
    expect(text).toContain('共 3 次会议');
    for (const title of titles) expect(text.split(title).length - 1).toBeGreaterThanOrEqual(2); // contents + record
    expect(text).not.toContain(draft.title);
    expectError(
      await call(t, chengdu, 'GET', `/api/meetings/book.docx?org=${mianyangB1.id}&from=2026-01-01&to=2026-12-31`),
      404,
      'not_found',
    );
  });

  it('calendar.ics parses: one VEVENT per meeting of the member’s org, UTC DTSTART, escaped text', async () => {
    const m = await create(branch, {
      orgId: chengduB1.id,
      types: ['theme_day'],
      title: '日历测试；主题党日, 第二场',
      startsAt: hoursFromNow(48),
      endsAt: hoursFromNow(50),
      location: '会议室A, 三楼',
      status: 'planned',
    });
    const res = await call(t, member, 'GET', '/api/meetings/calendar.ics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    const ics = res.body;
    expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(ics.trimEnd().endsWith('END:VCALENDAR')).toBe(true);
    // unfold, then read the events
    for (const raw of ics.split('\r\n')) expect(Buffer.byteLength(raw)).toBeLessThanOrEqual(75);
    const events = ics.replace(/\r\n /g, '').split('BEGIN:VEVENT').slice(1);
    const since = new Date(Date.now() - 180 * 86_400_000).toISOString();
    const expected = await t.ctx.db
      .selectFrom('meetings')
      .select('id')
      .where('ends_at', '>=', since)
      .where((eb) =>
        eb.or([
          eb('org_id', '=', chengduB1.id),
          eb('id', 'in', eb.selectFrom('meeting_attendees').select('meeting_id').where('member_id', '=', memberSelf)),
        ]),
      )
      .execute();
    expect(events).toHaveLength(expected.length);
    const mine = events.find((e) => e.includes(`UID:meeting-${m.id}@`))!;
    expect(mine).toBeDefined();
    const dt = m.startsAt.replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
    expect(mine).toContain(`DTSTART:${dt}`);
    expect(mine).toContain('SUMMARY:日历测试；主题党日\\, 第二场');
    expect(mine).toContain('LOCATION:会议室A\\, 三楼');
    expect(mine).toContain('STATUS:TENTATIVE');
  });

  it('a signed per-member feed URL works without a session; a tampered one does not', async () => {
    const link = await call(t, member, 'GET', '/api/meetings/calendar-link');
    expect(link.statusCode, link.body).toBe(200);
    const { url } = link.json() as { url: string };
    expect(url).toMatch(/^\/api\/meetings\/calendar\/[A-Za-z0-9_-]+\.ics$/);
    const feed = await t.app.inject({ method: 'GET', url });
    expect(feed.statusCode, feed.body).toBe(200);
    expect(feed.body).toContain('BEGIN:VCALENDAR');
    const withSession = await call(t, member, 'GET', '/api/meetings/calendar.ics');
    const events = (s: string) => s.split('BEGIN:VEVENT').length - 1;
    expect(events(feed.body)).toBe(events(withSession.body));
    const tampered = url.replace(
      /([A-Za-z0-9])(\.ics)$/,
      (_, c: string, ext: string) => `${c === 'A' ? 'B' : 'A'}${ext}`,
    );
    expect((await t.app.inject({ method: 'GET', url: tampered })).statusCode).toBe(404);
  });
});
