/**
 * The roster API: validation naming the field (GB 11643 checksum, birth date and gender against the ID), masking
 * in lists and details, the audited reveal, scope (成都 never sees 绵阳), search by name, pinyin initials, exact
 * ID and exact phone, filters, edits with a masked change history, and the Excel export.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ID_RE, type Person, PHONE_RE, people, workbookText } from '../fixtures/members.js';
import { allOrgs, call, createTestApp, login, type OrgItem, type Session, type TestApp } from '../helpers/app.js';

interface Member {
  id: number;
  name: string;
  gender: string;
  birthDate: string;
  idNumber: string;
  phone: string | null;
  orgId: number;
  orgName: string;
  category: string;
  joinedAt: string;
  fullAt: string | null;
  status: string;
  partyAge: number | null;
  age: number | null;
  title: string | null;
  posts: { post: string; orgId: number; fullTime: boolean; startedAt: string; endedAt: string | null }[];
}
interface History {
  items: { action: string; actor: string; changes: { field: string; from: unknown; to: unknown }[] }[];
}

const MASKED_ID = /^\d{3}\*{11}[\dX]{4}$/;
const MASKED_PHONE = /^1\d{2}\*{4}\d{4}$/;

let t: TestApp;
let province: Session;
let chengdu: Session;
let branch: Session;
let member: Session;
let orgs: OrgItem[];
const byName = (name: string) => {
  const o = orgs.find((x) => x.name === name);
  if (!o) throw new Error(`no org ${name}`);
  return o;
};
let chengduB1: OrgItem;
let chengduB2: OrgItem;
let mianyangB1: OrgItem;
const used = new Set<string>();
let seed = 100;
const person = (region = '510104'): Person => people(1, seed++, region, used)[0]!;

function body(p: Person, orgId: number, extra: Record<string, unknown> = {}) {
  const joinedAt = `${Number(p.birthDate.slice(0, 4)) + 24}${p.birthDate.slice(4)}`;
  return {
    name: p.name,
    gender: p.gender,
    ethnicity: '汉族',
    birthDate: p.birthDate,
    idNumber: p.idNumber,
    phone: p.phone,
    education: '大学本科',
    unit: '成都市科学技术局',
    title: '科员',
    orgId,
    category: 'full',
    joinedAt,
    fullAt: `${Number(joinedAt.slice(0, 4)) + 1}${joinedAt.slice(4)}`,
    ...extra,
  };
}

async function create(s: Session, p: Person, orgId: number, extra: Record<string, unknown> = {}): Promise<Member> {
  const res = await call(t, s, 'POST', '/api/members', body(p, orgId, extra));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Member;
}

async function list(s: Session, query: string): Promise<{ items: Member[]; total: number }> {
  const res = await call(t, s, 'GET', `/api/members?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  province = await login(t, 'province');
  chengdu = await login(t, 'chengdu');
  branch = await login(t, 'branch');
  member = await login(t, 'member');
  orgs = await allOrgs(t, province);
  chengduB1 = byName('成都市科学技术局机关第一党支部');
  chengduB2 = byName('成都市科学技术局机关第二党支部');
  mianyangB1 = byName('绵阳市科学技术局机关第一党支部');
});
afterAll(async () => t?.close());

describe('create: validation names the field', () => {
  const expectField = async (payload: unknown, field: string, status = 400) => {
    const res = await call(t, chengdu, 'POST', '/api/members', payload);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().error.field, res.body).toBe(field);
    return res.json().error as { code: string; message: string; field: string };
  };

  it('a bad GB 11643 checksum → idNumber', async () => {
    const p = person();
    const wrong = p.idNumber.slice(0, 17) + (p.idNumber.endsWith('0') ? '1' : '0');
    const e = await expectField(body({ ...p, idNumber: wrong }, chengduB1.id), 'idNumber');
    expect(e.message).toMatch(/checksum/);
    // the refused number is not echoed back
    expect(JSON.stringify(e)).not.toContain(wrong);
  });

  it('a birth date other than the one in the ID → birthDate; a gender other than the ID says → gender', async () => {
    const p = person();
    const otherDay = `${p.birthDate.slice(0, 8)}${p.birthDate.slice(8) === '01' ? '02' : '01'}`;
    await expectField(body(p, chengduB1.id, { birthDate: otherDay }), 'birthDate');
    await expectField(body(p, chengduB1.id, { gender: p.gender === '男' ? '女' : '男' }), 'gender');
  });

  it('date rules: joined before 18 → joinedAt, 转正 before joining → fullAt, probationary with a 转正 date → fullAt', async () => {
    const p = person();
    const at16 = `${Number(p.birthDate.slice(0, 4)) + 16}${p.birthDate.slice(4)}`;
    await expectField(body(p, chengduB1.id, { joinedAt: at16, fullAt: null, category: 'probationary' }), 'joinedAt');
    const b = body(p, chengduB1.id);
    await expectField({ ...b, fullAt: b.joinedAt }, 'fullAt');
    await expectField({ ...b, category: 'probationary' }, 'fullAt');
    await expectField({ ...b, fullAt: null }, 'fullAt');
  });

  it('schema errors name the field too (missing name, bad phone, unknown ethnicity)', async () => {
    const p = person();
    const { name: _drop, ...noName } = body(p, chengduB1.id);
    await expectField(noName, 'name');
    await expectField(body(p, chengduB1.id, { phone: '12345' }), 'phone');
    await expectField(body(p, chengduB1.id, { ethnicity: '火星族' }), 'ethnicity');
  });

  it('a duplicate ID number → 409 naming idNumber, even when the first holder is outside the caller’s scope', async () => {
    const p = person('510700');
    await create(province, p, mianyangB1.id);
    const again = await expectField(body({ ...p, name: '另一人' }, chengduB1.id), 'idNumber', 409);
    expect(again.code).toBe('duplicate');
    expect(again.message).not.toMatch(/绵阳/);
  });

  it('creating in an org outside the writer’s scope is 404; without member.write it is 403', async () => {
    const res = await call(t, chengdu, 'POST', '/api/members', body(person(), mianyangB1.id));
    expect(res.statusCode).toBe(404);
    expect((await call(t, member, 'POST', '/api/members', body(person(), chengduB1.id))).statusCode).toBe(403);
  });
});

describe('masking, detail, reveal', () => {
  let p: Person;
  let m: Member;
  beforeAll(async () => {
    p = person();
    m = await create(chengdu, p, chengduB1.id);
  });

  it('the created member comes back masked, with age and 党龄 derived', async () => {
    expect(m.idNumber).toMatch(MASKED_ID);
    expect(m.idNumber).toBe(`${p.idNumber.slice(0, 3)}***********${p.idNumber.slice(-4)}`);
    expect(m.phone).toBe(`${p.phone.slice(0, 3)}****${p.phone.slice(-4)}`);
    expect(m.orgName).toBe(chengduB1.name);
    const today = new Date();
    const years = (d: string) => {
      const [y, mo, da] = d.split('-').map(Number) as [number, number, number];
      let n = today.getFullYear() - y;
      if (today.getMonth() + 1 < mo || (today.getMonth() + 1 === mo && today.getDate() < da)) n--;
      return n;
    };
    expect(m.age).toBe(years(p.birthDate));
    expect(m.partyAge).toBe(years(m.fullAt!));
  });

  it('lists and details never carry a full number; responses are not cached', async () => {
    const detail = await call(t, chengdu, 'GET', `/api/members/${m.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.headers['cache-control']).toBe('no-store');
    expect(detail.json().idNumber).toMatch(MASKED_ID);
    const page = await call(t, chengdu, 'GET', `/api/members?org=${chengduB1.id}&pageSize=200`);
    const items = (page.json() as { items: Member[] }).items;
    expect(items.length).toBeGreaterThan(5);
    for (const it of items) {
      expect(it.idNumber, it.name).toMatch(MASKED_ID);
      if (it.phone !== null) expect(it.phone, it.name).toMatch(MASKED_PHONE);
    }
    for (const res of [detail, page]) {
      expect(res.body).not.toMatch(ID_RE);
      expect(res.body).not.toMatch(PHONE_RE);
    }
  });

  it('reveal: the org_admin gets the full numbers, and the audit log records it', async () => {
    const res = await call(t, chengdu, 'POST', `/api/members/${m.id}/reveal`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ idNumber: p.idNumber, phone: p.phone });
    expect(res.headers['cache-control']).toBe('no-store');
    const auditor = await login(t, 'auditor');
    const audit = await call(t, auditor, 'GET', '/api/audit?action=member.reveal&actor=chengdu');
    const rows = audit.json().items as { target: string; result: string; detail: unknown }[];
    expect(rows.find((r) => r.target === `member:${m.id}`)).toMatchObject({ result: 'success' });
    // the audit log itself holds no number
    expect(audit.body).not.toMatch(ID_RE);
  });

  it('reveal: 403 for the branch secretary (no member.reveal), 404 for a member outside the scope', async () => {
    const denied = await call(t, branch, 'POST', `/api/members/${m.id}/reveal`);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('forbidden');
    const outside = await create(province, person('510700'), mianyangB1.id);
    const hidden = await call(t, chengdu, 'POST', `/api/members/${outside.id}/reveal`);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().error.code).toBe('not_found');
    expect(hidden.body).not.toContain(outside.name);
  });

  it('the secretary reads members of the own branch (masked)', async () => {
    const res = await call(t, branch, 'GET', `/api/members/${m.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().idNumber).toMatch(MASKED_ID);
    expect((await call(t, member, 'GET', `/api/members/${m.id}`)).statusCode).toBe(403);
  });
});

describe('scope: 成都 never sees 绵阳', () => {
  let mianyangMember: Member;
  beforeAll(async () => {
    mianyangMember = await create(province, person('510700'), mianyangB1.id);
  });

  it('chengdu can neither list nor fetch a member of 绵阳 (404)', async () => {
    for (const url of [`/api/members/${mianyangMember.id}`, `/api/members/${mianyangMember.id}/history`]) {
      const res = await call(t, chengdu, 'GET', url);
      expect(res.statusCode, url).toBe(404);
    }
    const patch = await call(t, chengdu, 'PATCH', `/api/members/${mianyangMember.id}`, { title: '改名' });
    expect(patch.statusCode).toBe(404);
    const filtered = await list(chengdu, `org=${mianyangB1.id}`);
    expect(filtered).toEqual({ items: [], total: 0 });
    const byId = await list(chengdu, `q=${encodeURIComponent(mianyangMember.name)}&pageSize=1000`);
    expect(byId.items.map((i) => i.id)).not.toContain(mianyangMember.id);
    // province sees it
    expect((await call(t, province, 'GET', `/api/members/${mianyangMember.id}`)).statusCode).toBe(200);
  });

  it('the list holds exactly the members of the caller’s subtree (the list filter and the per-object check agree)', async () => {
    const chengduOrg = byName('成都市科学技术局机关党委');
    const subtree = new Set([chengduOrg.id]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const o of orgs) {
        if (o.parentId !== null && subtree.has(o.parentId) && !subtree.has(o.id)) {
          subtree.add(o.id);
          grew = true;
        }
      }
    }
    const all = await list(chengdu, 'pageSize=10000');
    expect(all.total).toBe(all.items.length);
    expect(all.items.every((m) => subtree.has(m.orgId))).toBe(true);
    const everything = await list(province, 'pageSize=10000');
    const expected = everything.items.filter((m) => subtree.has(m.orgId)).map((m) => m.id);
    expect(all.items.map((m) => m.id).sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
    // every member the province sees answers 200 to chengdu exactly when it lies in the subtree
    const sample = everything.items.filter((_, i) => i % 7 === 0);
    for (const m of sample) {
      const res = await call(t, chengdu, 'GET', `/api/members/${m.id}`);
      expect(res.statusCode, `${m.id} in org ${m.orgId}`).toBe(subtree.has(m.orgId) ? 200 : 404);
    }
  });

  it('the branch secretary sees the own branch only', async () => {
    const mine = await list(branch, 'pageSize=10000');
    expect(mine.total).toBeGreaterThan(0);
    const b1Groups = new Set(orgs.filter((o) => o.parentId === chengduB1.id).map((o) => o.id));
    expect(mine.items.every((m) => m.orgId === chengduB1.id || b1Groups.has(m.orgId))).toBe(true);
    expect(await list(branch, `org=${chengduB2.id}`)).toEqual({ items: [], total: 0 });
  });
});

describe('search', () => {
  let target: Member;
  let p: Person;
  beforeAll(async () => {
    p = person();
    target = await create(chengdu, { ...p, name: '单雄信' }, chengduB2.id);
  });

  it('by name substring and prefix', async () => {
    expect((await list(chengdu, `q=${encodeURIComponent('雄信')}`)).items.map((m) => m.id)).toContain(target.id);
    expect((await list(chengdu, `q=${encodeURIComponent('单雄')}`)).items.map((m) => m.id)).toContain(target.id);
  });

  it('by pinyin initials (单 read as a surname: s), case-insensitive', async () => {
    for (const q of ['sxx', 'SXX', 'sx']) {
      const r = await list(chengdu, `q=${q}&pageSize=1000`);
      expect(
        r.items.map((m) => m.id),
        q,
      ).toContain(target.id);
      expect(r.items.every((m) => m.name.length > 0)).toBe(true);
    }
    expect((await list(chengdu, 'q=dxx&pageSize=1000')).items.map((m) => m.id)).not.toContain(target.id);
  });

  it('by exact ID number (also with a lower-case x) and exact phone, through the blind index', async () => {
    const byId = await list(chengdu, `q=${p.idNumber}`);
    expect(byId.items.map((m) => m.id)).toEqual([target.id]);
    expect(byId.total).toBe(1);
    const byPhone = await list(chengdu, `q=${p.phone}`);
    expect(byPhone.items.map((m) => m.id)).toContain(target.id);
    // partial numbers match nothing: there is no substring search on encrypted data
    expect((await list(chengdu, `q=${p.idNumber.slice(0, 14)}`)).total).toBe(0);
    expect((await list(chengdu, `q=${p.phone.slice(0, 7)}`)).total).toBe(0);
    // outside the scope an exact number finds nothing either
    expect((await list(await login(t, 'branch'), `q=${p.idNumber}`)).total).toBe(0);
  });

  it('an ID number ending in X is found whichever case it is typed in', async () => {
    let q: Person | undefined;
    for (let s = 5000; !q; s++) {
      const c = people(1, s, '510104', used)[0]!;
      if (c.idNumber.endsWith('X')) q = c;
    }
    const m = await create(chengdu, q, chengduB2.id);
    expect((await list(chengdu, `q=${q.idNumber.toLowerCase()}`)).items.map((x) => x.id)).toEqual([m.id]);
  });
});

describe('filters and paging', () => {
  it('category, status, post, age band', async () => {
    const prob = await list(chengdu, 'category=probationary&pageSize=1000');
    expect(prob.items.every((m) => m.category === 'probationary' && m.fullAt === null && m.partyAge === null)).toBe(
      true,
    );
    const secretaries = await list(chengdu, 'post=secretary&pageSize=1000');
    expect(secretaries.total).toBeGreaterThan(0);
    expect(secretaries.items.every((m) => m.posts.some((x) => x.post === 'secretary' && x.endedAt === null))).toBe(
      true,
    );
    const band = await list(province, 'ageMin=30&ageMax=39&pageSize=10000');
    expect(band.total).toBeGreaterThan(0);
    expect(band.items.every((m) => m.age !== null && m.age >= 30 && m.age <= 39)).toBe(true);
    const all = await list(province, 'pageSize=10000');
    expect(band.total).toBe(all.items.filter((m) => m.age !== null && m.age >= 30 && m.age <= 39).length);
    const floating = await list(province, 'status=floating&pageSize=10000');
    expect(floating.items.every((m) => m.status === 'floating')).toBe(true);
  });

  it('server-side paging in a stable order: pages do not overlap and add up to the total', async () => {
    const all = await list(province, 'pageSize=10000');
    const seen: number[] = [];
    for (let page = 1; page <= Math.ceil(all.total / 50); page++) {
      const r = await list(province, `page=${page}&pageSize=50`);
      expect(r.total).toBe(all.total);
      seen.push(...r.items.map((m) => m.id));
    }
    expect(seen).toEqual(all.items.map((m) => m.id));
    expect(new Set(seen).size).toBe(all.total);
  });
});

describe('demo roster', () => {
  it('the branch account’s member holds the 书记 post of its branch; the member account has a full record', async () => {
    const me = (await call(t, branch, 'GET', '/api/auth/me')).json().user as { memberId: number };
    const mine = await call(t, branch, 'GET', `/api/members/${me.memberId}`);
    expect(mine.statusCode).toBe(200);
    const m = mine.json() as Member;
    expect(m.posts).toEqual(
      expect.arrayContaining([expect.objectContaining({ post: 'secretary', orgId: chengduB1.id, endedAt: null })]),
    );
    const other = (await call(t, member, 'GET', '/api/auth/me')).json().user as { memberId: number };
    const rec = (await call(t, branch, 'GET', `/api/members/${other.memberId}`)).json() as Member;
    expect(rec).toMatchObject({ name: '李晓雨', gender: '女' });
    expect(rec.idNumber).toMatch(MASKED_ID);
  });

  it('every demo member has a valid, consistent ID (checked after reveal) and every branch a 书记', async () => {
    const all = await list(province, 'pageSize=10000');
    expect(all.total).toBeGreaterThan(100);
    const sample = all.items.filter((_, i) => i % 5 === 0);
    for (const m of sample) {
      const full = (await call(t, province, 'POST', `/api/members/${m.id}/reveal`)).json() as {
        idNumber: string;
        phone: string;
      };
      expect(full.idNumber).toMatch(/^51\d{15}[\dX]$/);
      expect(full.idNumber.slice(6, 14)).toBe(m.birthDate.replaceAll('-', ''));
      expect(Number(full.idNumber[16]) % 2 === 1 ? '男' : '女').toBe(m.gender);
      const { checkCharacter } = await import('../fixtures/members.js');
      expect(full.idNumber[17]).toBe(checkCharacter(full.idNumber.slice(0, 17)));
      expect(full.phone).toMatch(/^1[3-9]\d{9}$/);
      expect(m.joinedAt >= `${Number(m.birthDate.slice(0, 4)) + 18}${m.birthDate.slice(4)}`).toBe(true);
    }
    const branches = orgs.filter((o) => o.kind === 'branch');
    const secretaries = (await list(province, 'post=secretary&pageSize=10000')).items;
    const withSecretary = new Set(
      secretaries.flatMap((m) => m.posts.filter((x) => x.post === 'secretary').map((x) => x.orgId)),
    );
    for (const b of branches) expect(withSecretary.has(b.id), b.name).toBe(true);
    const liangshan = all.items.filter((m) => m.orgName.startsWith('凉山'));
    expect(liangshan.some((m) => (m as Member & { ethnicity: string }).ethnicity === '彝族')).toBe(true);
  });
});

describe('edits and history', () => {
  let p: Person;
  let m: Member;
  beforeAll(async () => {
    p = person();
    m = await create(chengdu, p, chengduB1.id);
  });

  it('PATCH changes the fields, and the history shows them with masked numbers only', async () => {
    const newPhone = people(1, 9999, '510104', used)[0]!.phone;
    const res = await call(t, chengdu, 'PATCH', `/api/members/${m.id}`, { title: '副科长', phone: newPhone });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ title: '副科长', phone: `${newPhone.slice(0, 3)}****${newPhone.slice(-4)}` });
    const h = (await call(t, chengdu, 'GET', `/api/members/${m.id}/history`)).json() as History;
    expect(h.items.map((i) => i.action)).toEqual(['update', 'create']);
    expect(h.items[0]!.actor).toBe('chengdu');
    const changes = Object.fromEntries(h.items[0]!.changes.map((c) => [c.field, c]));
    expect(Object.keys(changes).sort()).toEqual(['phone', 'title']);
    expect(changes.title).toMatchObject({ from: '科员', to: '副科长' });
    expect(changes.phone!.from).toMatch(MASKED_PHONE);
    expect(changes.phone!.to).toMatch(MASKED_PHONE);
    const text = JSON.stringify(h);
    for (const secret of [p.idNumber, p.phone, newPhone]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(ID_RE);
    expect(text).not.toMatch(PHONE_RE);
  });

  it('a PATCH that changes nothing adds no history', async () => {
    const before = ((await call(t, chengdu, 'GET', `/api/members/${m.id}/history`)).json() as History).items.length;
    const res = await call(t, chengdu, 'PATCH', `/api/members/${m.id}`, { title: '副科长', idNumber: p.idNumber });
    expect(res.statusCode).toBe(200);
    const after = ((await call(t, chengdu, 'GET', `/api/members/${m.id}/history`)).json() as History).items.length;
    expect(after).toBe(before);
  });

  it('PATCH checks the rules on the merged record (a birth date that no longer fits the stored ID)', async () => {
    const other = `${Number(p.birthDate.slice(0, 4)) - 1}${p.birthDate.slice(4)}`;
    const res = await call(t, chengdu, 'PATCH', `/api/members/${m.id}`, { birthDate: other });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('birthDate');
  });

  it('moving a member: inside the scope 200, to an org outside the writer’s scope 404', async () => {
    const away = await call(t, chengdu, 'PATCH', `/api/members/${m.id}`, { orgId: mianyangB1.id });
    expect(away.statusCode).toBe(404);
    expect((await call(t, chengdu, 'GET', `/api/members/${m.id}`)).json().orgId).toBe(chengduB1.id);
    const moved = await call(t, chengdu, 'PATCH', `/api/members/${m.id}`, { orgId: chengduB2.id });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ orgId: chengduB2.id, orgName: chengduB2.name });
    // the branch secretary of 一支部 no longer sees the member
    expect((await call(t, branch, 'GET', `/api/members/${m.id}`)).statusCode).toBe(404);
  });

  it('changing the ID number to one already registered → 409 idNumber', async () => {
    const other = await create(chengdu, person(), chengduB2.id);
    const res = await call(t, chengdu, 'PATCH', `/api/members/${m.id}`, {
      idNumber: (await call(t, chengdu, 'POST', `/api/members/${other.id}/reveal`)).json().idNumber,
      birthDate: other.birthDate,
      gender: other.gender,
    });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.field).toBe('idNumber');
  });

  it('writes are audited', async () => {
    const auditor = await login(t, 'auditor');
    const items = (await call(t, auditor, 'GET', '/api/audit?action=member.&pageSize=1000')).json().items as {
      action: string;
      target: string;
    }[];
    expect(items.some((i) => i.action === 'member.create' && i.target === `member:${m.id}`)).toBe(true);
    expect(items.some((i) => i.action === 'member.update' && i.target === `member:${m.id}`)).toBe(true);
  });
});

describe('export', () => {
  it('masked by default: no full ID or phone anywhere in the workbook; audited as member.export', async () => {
    const res = await call(t, chengdu, 'GET', '/api/members/export');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['cache-control']).toBe('no-store');
    const sheets = await workbookText(res.rawPayload);
    const rows = sheets[0]!;
    expect(rows[0]).toEqual(expect.arrayContaining(['姓名', '身份证号', '手机号', '所在党组织']));
    const total = (await list(chengdu, 'pageSize=1')).total;
    expect(rows.length - 1).toBe(total);
    const text = sheets.flat(2).join('\n');
    expect(text).not.toMatch(ID_RE);
    expect(text).not.toMatch(PHONE_RE);
    const idCol = rows[0]!.indexOf('身份证号');
    expect(rows.slice(1).every((r) => MASKED_ID.test(r[idCol]!))).toBe(true);
    expect(text).not.toContain('绵阳');
    const auditor = await login(t, 'auditor');
    const audit = (await call(t, auditor, 'GET', '/api/audit?action=member.export&actor=chengdu')).json();
    expect(audit.items[0]).toMatchObject({ result: 'success', detail: { rows: total } });
  });

  it('unmasked needs member.reveal: 403 for the branch secretary; the org_admin gets full numbers, audited', async () => {
    const denied = await call(t, branch, 'GET', '/api/members/export?unmasked=1');
    expect(denied.statusCode).toBe(403);
    const own = await call(t, branch, 'GET', `/api/members/export?org=${chengduB1.id}`);
    expect(own.statusCode).toBe(200);
    const res = await call(t, chengdu, 'GET', `/api/members/export?org=${chengduB1.id}&unmasked=1`);
    expect(res.statusCode).toBe(200);
    const rows = (await workbookText(res.rawPayload))[0]!;
    const idCol = rows[0]!.indexOf('身份证号');
    expect(rows.slice(1).every((r) => /^\d{17}[\dX]$/.test(r[idCol]!))).toBe(true);
    const auditor = await login(t, 'auditor');
    const audit = (await call(t, auditor, 'GET', '/api/audit?action=member.export_unmasked')).json();
    expect(audit.items[0]).toMatchObject({ actor: 'chengdu', target: `org:${chengduB1.id}` });
  });

  it('the subtree of an org outside the scope is 404', async () => {
    expect((await call(t, chengdu, 'GET', `/api/members/export?org=${mianyangB1.id}`)).statusCode).toBe(404);
    expect((await call(t, member, 'GET', '/api/members/export')).statusCode).toBe(403);
  });
});

describe('an account with different rights in two subtrees', () => {
  // org_admin on 成都二支部 (reads, writes, reveals) and secretary of 绵阳一支部 (reads and writes, no reveal)
  let mixed: Session;
  let inB2: Member;
  let inMianyang: Member;
  let inB1: Member;

  beforeAll(async () => {
    const sysadmin = await login(t, 'sysadmin');
    const secadmin = await login(t, 'secadmin');
    const created = await call(t, sysadmin, 'POST', '/api/users', {
      username: 'members-mixed',
      displayName: '混合授权',
      password: 'Mm1!first9Q',
    });
    expect(created.statusCode, created.body).toBe(201);
    const userId = created.json().id as number;
    for (const [role, orgId] of [
      ['org_admin', chengduB2.id],
      ['secretary', mianyangB1.id],
    ] as const) {
      const g = await call(t, secadmin, 'POST', '/api/grants', { userId, role, orgId });
      expect(g.statusCode, g.body).toBe(201);
    }
    const first = await login(t, 'members-mixed', 'Mm1!first9Q');
    const changed = await call(t, first, 'POST', '/api/auth/password', {
      currentPassword: 'Mm1!first9Q',
      newPassword: 'Mm2!second8W',
    });
    expect(changed.statusCode, changed.body).toBe(204);
    mixed = await login(t, 'members-mixed', 'Mm2!second8W');
    inB2 = await create(province, person(), chengduB2.id);
    inMianyang = await create(province, person('510703'), mianyangB1.id);
    inB1 = await create(province, person(), chengduB1.id);
  });

  it('reveal: 200 where it may, 403 where it only reads the roster, 404 where it sees nothing', async () => {
    expect((await call(t, mixed, 'POST', `/api/members/${inB2.id}/reveal`)).statusCode).toBe(200);
    const readOnly = await call(t, mixed, 'POST', `/api/members/${inMianyang.id}/reveal`);
    expect(readOnly.statusCode).toBe(403);
    expect(readOnly.json().error.code).toBe('forbidden');
    expect((await call(t, mixed, 'POST', `/api/members/${inB1.id}/reveal`)).statusCode).toBe(404);
  });

  it('the list spans both subtrees; an unmasked export only the one where it may reveal', async () => {
    const all = await list(mixed, 'pageSize=10000');
    const orgIds = new Set(all.items.map((m) => m.orgId));
    expect(orgIds.has(chengduB2.id) && orgIds.has(mianyangB1.id)).toBe(true);
    expect(orgIds.has(chengduB1.id)).toBe(false);
    expect((await call(t, mixed, 'GET', `/api/members/export?org=${mianyangB1.id}&unmasked=1`)).statusCode).toBe(403);
    const res = await call(t, mixed, 'GET', '/api/members/export?unmasked=1');
    expect(res.statusCode).toBe(200);
    const rows = (await workbookText(res.rawPayload))[0]!;
    const orgCol = rows[0]!.indexOf('所在党组织');
    expect(new Set(rows.slice(1).map((r) => r[orgCol]))).toEqual(new Set([chengduB2.name]));
  });

  it('moves: into the other writable subtree 200, into an invisible org 404', async () => {
    expect((await call(t, mixed, 'PATCH', `/api/members/${inB2.id}`, { orgId: chengduB1.id })).statusCode).toBe(404);
    const moved = await call(t, mixed, 'PATCH', `/api/members/${inB2.id}`, { orgId: mianyangB1.id });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().orgId).toBe(mianyangB1.id);
  });
});
