/**
 * Demo data for party-affairs cadres, 编制, training hours and transfers. Runs after the demo orgs and members
 * exist and finds them by SQL (it does not rely on exact counts, and keeps whatever posts the member demo made):
 * - 编制: the provincial 机关党委 3, city 机关党委 1–2, city 党总支 0–1, county bureaus mostly 0 (a few 1);
 * - full-time cadres (专职党务干事) filling part of it: two at the province, about half of the large cities, one
 *   county bureau; every organisation without a 书记 gets a part-time one, some branches a part-time 组织委员,
 *   so that most county bureaus are part-time only and several cities show vacancies;
 * - training hours for the current year, about a quarter of members and a third of committee members behind;
 * - transfers: one pending and overdue between two 成都 branches, one pending and recent into 成都 from 绵阳, one
 *   returned, one accepted in the past, one external completed.
 * It seeds once: when any 编制 row exists it does nothing.
 */
import { addMonths, todayInShanghai } from '../../shared/dates.js';
import { ACTIVE_STATUSES, COMMITTEE_POSTS, type PartyPost, TRAINING_TARGET_HOURS } from '../../shared/members.js';
import { TRANSFER_RECEIPT_MONTHS } from '../../shared/transfers.js';
import type { Executor } from '../db/database.js';
import * as people from '../modules/staffing/staffing.repository.js';
import * as transfersRepo from '../modules/transfers/transfers.repository.js';

interface DemoOrg {
  id: number;
  name: string;
  kind: string;
  parent_id: number | null;
  depth: number;
  division_code: string | null;
}
interface DemoMember {
  id: number;
  org_id: number;
  name: string;
  user_id: number | null;
}

const TRAINING_TITLES: Record<string, string[]> = {
  training: [
    '全省科技系统党务干部集中培训',
    '基层党组织书记示范培训班',
    '党纪学习教育专题培训',
    '“党建+科创”专题研讨班',
    '外出参观学习（延安干部学院）',
  ],
  study: ['“学习强国”专题学习', '微党课：科技自立自强', '党章党规网络专题学习', '微宣讲：科技扶贫典型案例'],
  meeting: ['支部党员大会专题学习', '主题党日集中学习', '党课：守土有责、守土负责、守土尽责', '组织生活会专题学习'],
  other: ['“大学习、大讨论、大调研”交流会', '走基层科技服务实践活动'],
};
const SOURCES = ['training', 'study', 'meeting', 'other'] as const;

export async function seedStaffingDemo(trx: Executor, rand: () => number): Promise<void> {
  const between = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const now = new Date();
  const nowIso = now.toISOString();
  const today = todayInShanghai(now);
  const year = Number(today.slice(0, 4));
  const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);

  // Seeds once: a second call (e.g. a test calling it after seedDemo already did) changes nothing.
  if (await trx.selectFrom('org_staffing').select('org_id').limit(1).executeTakeFirst()) return;
  const orgs: DemoOrg[] = await trx
    .selectFrom('orgs')
    .select(['id', 'name', 'kind', 'parent_id', 'depth', 'division_code'])
    .orderBy('id')
    .execute();
  const root = orgs.find((o) => o.parent_id === null);
  if (!root) return;
  const childrenOf = (id: number) => orgs.filter((o) => o.parent_id === id);
  const cities = childrenOf(root.id).filter((o) => o.division_code?.length === 4);
  const cityByCode = (code: string) => cities.find((c) => c.division_code === code);
  const counties = orgs.filter((o) => o.kind === 'branch' && o.division_code?.length === 6);
  const staffed = orgs.filter((o) => o.kind !== 'group');
  /** the city's own 机关 branches (not its county bureaus) */
  const cityBranches = (city: DemoOrg) =>
    childrenOf(city.id).filter((o) => o.kind === 'branch' && o.division_code === city.division_code);

  const members: DemoMember[] = await trx
    .selectFrom('members')
    .select(['id', 'org_id', 'name', 'user_id'])
    .where('status', 'in', [...ACTIVE_STATUSES])
    .orderBy('id')
    .execute();
  const byOrg = new Map<number, DemoMember[]>();
  for (const m of members) byOrg.set(m.org_id, [...(byOrg.get(m.org_id) ?? []), m]);
  const subtreeIds = (id: number): number[] => [id, ...childrenOf(id).flatMap((c) => subtreeIds(c.id))];
  /**
   * Who may hold a post on an org: its own members and those below it; for the province and city committees only
   * the members of their own 机关 branches (a county bureau's member does not staff the city's 机关党委).
   */
  const membersUnder = (id: number) => {
    const o = orgs.find((x) => x.id === id);
    const own =
      o && o.kind !== 'branch' && o.division_code
        ? childrenOf(o.id).filter((c) => c.kind === 'branch' && c.division_code === o.division_code)
        : [];
    const ids = own.length ? own.map((c) => c.id) : subtreeIds(id);
    return ids.flatMap((x) => byOrg.get(x) ?? []);
  };

  const posts = await trx
    .selectFrom('party_posts')
    .select(['member_id', 'org_id', 'post', 'full_time'])
    .where('ended_at', 'is', null)
    .execute();
  const holders = new Set(posts.map((p) => p.member_id));
  const hasPost = (orgId: number, post: PartyPost) => posts.some((p) => p.org_id === orgId && p.post === post);
  /** someone under `orgId` who holds no post yet and has no demo account (preferred), else anyone under it */
  const freeMember = (orgId: number, allowHolders = false): DemoMember | undefined => {
    const pool = membersUnder(orgId).filter((m) => m.user_id === null);
    const free = pool.filter((m) => !holders.has(m.id));
    const from = free.length ? free : allowHolders ? pool : [];
    return from.length ? pick(from) : undefined;
  };
  const addPost = async (m: DemoMember, orgId: number, post: PartyPost, fullTime: boolean) => {
    const startedAt = addMonths(today, -between(4, 60));
    await people.insertPost(trx, {
      member_id: m.id,
      org_id: orgId,
      post,
      full_time: fullTime ? 1 : 0,
      started_at: startedAt,
      created_at: nowIso,
    });
    posts.push({ member_id: m.id, org_id: orgId, post, full_time: fullTime ? 1 : 0 });
    holders.add(m.id);
  };

  // ---- 编制 -------------------------------------------------------------------------------------------------
  const authorised = new Map<number, number>();
  authorised.set(root.id, 3);
  for (const c of cities) {
    const n = c.kind === 'committee' ? (c.division_code === '5101' ? 2 : between(1, 2)) : rand() < 0.4 ? 1 : 0;
    authorised.set(c.id, n);
  }
  for (const [i, c] of counties.entries()) authorised.set(c.id, i % 5 === 0 ? 1 : 0);
  for (const o of staffed) await people.setAuthorised(trx, o.id, authorised.get(o.id) ?? 0, nowIso);

  // ---- full-time cadres (专职) ---------------------------------------------------------------------------------
  for (let i = 0; i < 2; i++) {
    const m = freeMember(root.id);
    if (m) await addPost(m, root.id, 'party_affairs_officer', true);
  }
  const largeCities = cities.filter((c) => c.kind === 'committee');
  for (const c of largeCities) {
    // 成都 and 绵阳 have one (成都 of two), 德阳 and 宜宾 none (vacant), the others about half
    const code = c.division_code ?? '';
    const fill = code === '5101' || code === '5107' || (!['5106', '5115'].includes(code) && rand() < 0.5);
    const m = fill ? freeMember(c.id) : undefined;
    if (m) await addPost(m, c.id, 'party_affairs_officer', true);
  }
  for (const c of cities.filter((x) => x.kind !== 'committee' && authorised.get(x.id) === 1)) {
    const m = rand() < 0.35 ? freeMember(c.id) : undefined;
    if (m) await addPost(m, c.id, 'party_affairs_officer', true);
  }
  const countyWithPost = counties.find((c) => authorised.get(c.id) === 1);
  if (countyWithPost) {
    const m = freeMember(countyWithPost.id);
    if (m) await addPost(m, countyWithPost.id, 'party_affairs_officer', true);
  }

  // ---- part-time cadres (兼职): a 书记 wherever there is none, some 组织委员 ---------------------------------------
  const branchAccount = await trx
    .selectFrom('members')
    .innerJoin('users', 'users.id', 'members.user_id')
    .select(['members.id', 'members.org_id', 'members.name', 'members.user_id'])
    .where('users.username', '=', 'branch')
    .executeTakeFirst();
  for (const o of staffed) {
    if (!hasPost(o.id, 'secretary')) {
      // the demo account `branch` is the 支部书记 of its branch
      const m =
        branchAccount && branchAccount.org_id === o.id && !holders.has(branchAccount.id)
          ? branchAccount
          : freeMember(o.id, true);
      if (m) await addPost(m, o.id, 'secretary', false);
    }
    if (o.kind === 'branch' && (byOrg.get(o.id)?.length ?? 0) >= 7 && !hasPost(o.id, 'organization') && rand() < 0.6) {
      const m = freeMember(o.id);
      if (m) await addPost(m, o.id, 'organization', false);
    }
  }

  // ---- training hours for the current year ----------------------------------------------------------------
  const existing = await trx
    .selectFrom('training_hours')
    .select('id')
    .where('year', '=', year)
    .limit(1)
    .executeTakeFirst();
  if (!existing) {
    const committee = new Set(
      posts.filter((p) => (COMMITTEE_POSTS as readonly string[]).includes(p.post)).map((p) => p.member_id),
    );
    const yearStart = `${year}-01-01`;
    const span = Math.max(1, Math.round((Date.parse(today) - Date.parse(yearStart)) / 86_400_000));
    const rows: Parameters<typeof people.insertTraining>[1][] = [];
    for (const m of members) {
      const target = committee.has(m.id) ? TRAINING_TARGET_HOURS.committee : TRAINING_TARGET_HOURS.member;
      const behind = rand() < (committee.has(m.id) ? 0.35 : 0.25);
      const totalMinutes = Math.round((target * (behind ? 0.3 + rand() * 0.6 : 1 + rand() * 0.4) * 60) / 30) * 30;
      const parts = between(2, 5);
      let left = totalMinutes;
      for (let i = 0; i < parts && left > 0; i++) {
        const minutes =
          i === parts - 1
            ? left
            : Math.min(left, Math.round(((totalMinutes / parts) * (0.6 + rand() * 0.8)) / 30) * 30 || 30);
        left -= minutes;
        const source = pick(SOURCES);
        const occurred = new Date(Date.parse(yearStart) + between(0, span - 1) * 86_400_000).toISOString().slice(0, 10);
        rows.push({
          member_id: m.id,
          year,
          minutes,
          title: pick(TRAINING_TITLES[source]!),
          source,
          occurred_on: occurred,
          ref: null,
          recorded_at: nowIso,
          recorded_by: 'demo',
        });
      }
    }
    for (let i = 0; i < rows.length; i += 500) {
      await trx
        .insertInto('training_hours')
        .values(rows.slice(i, i + 500))
        .execute();
    }
  }

  // ---- transfers ------------------------------------------------------------------------------------------
  const anyTransfer = await trx.selectFrom('transfers').select('id').limit(1).executeTakeFirst();
  const chengdu = cityByCode('5101');
  if (anyTransfer || !chengdu) return;
  const [cdB1, cdB2, cdB3] = cityBranches(chengdu);
  const used = new Set<number>();
  const mover = (org: DemoOrg | undefined): DemoMember | undefined => {
    if (!org) return undefined;
    const pool = (byOrg.get(org.id) ?? []).filter((m) => m.user_id === null && !used.has(m.id));
    const free = pool.filter((m) => !holders.has(m.id));
    const m = (free.length ? free : pool)[0];
    if (m) used.add(m.id);
    return m;
  };
  const transfer = async (
    m: DemoMember,
    to: DemoOrg | string,
    reason: string,
    startedDaysAgo: number,
    outcome?: { status: 'accepted' | 'returned' | 'completed'; afterDays: number; returnReason?: string },
  ) => {
    const started = daysAgo(startedDaysAgo);
    const startedOn = todayInShanghai(started);
    const decided = outcome ? daysAgo(startedDaysAgo - outcome.afterDays) : null;
    const id = await transfersRepo.insert(trx, {
      member_id: m.id,
      kind: typeof to === 'string' ? 'external' : 'internal',
      from_org_id: m.org_id,
      to_org_id: typeof to === 'string' ? null : to.id,
      external_org_name: typeof to === 'string' ? to : null,
      status: outcome?.status ?? 'pending',
      reason,
      return_reason: outcome?.returnReason ?? null,
      letter_no: null,
      dues_paid_until: addMonths(startedOn, -1).slice(0, 7),
      valid_days: 30,
      started_at: started.toISOString(),
      due_on: addMonths(startedOn, TRANSFER_RECEIPT_MONTHS),
      decided_at: decided?.toISOString() ?? null,
      created_by: 'demo',
      decided_by: outcome ? 'demo' : null,
    });
    await transfersRepo.setLetterNo(trx, id, `${startedOn.slice(0, 4)}${String(id).padStart(5, '0')}`);
    const fromName = orgs.find((o) => o.id === m.org_id)?.name ?? String(m.org_id);
    const toName = typeof to === 'string' ? to : to.name;
    await people.insertHistory(trx, {
      member_id: m.id,
      at: started.toISOString(),
      actor: 'demo',
      action: 'transfer.started',
      changes: [
        { field: 'transfer', from: null, to: id },
        { field: 'transferTo', from: fromName, to: toName },
      ],
    });
    if (!outcome || !decided) return;
    const decidedOn = todayInShanghai(decided);
    if (outcome.status === 'accepted' && typeof to !== 'string') {
      const ended = await people.endMemberPosts(trx, m.id, decidedOn, await people.selfAndAncestors(trx, to.id));
      await transfersRepo.moveMember(trx, m.id, to.id, decided.toISOString());
      await people.insertHistory(trx, {
        member_id: m.id,
        at: decided.toISOString(),
        actor: 'demo',
        action: 'transfer.accepted',
        changes: [
          { field: 'orgId', from: m.org_id, to: to.id },
          { field: 'org', from: fromName, to: toName },
          { field: 'transfer', from: null, to: id },
          ...ended.map((p) => ({ field: 'post', from: `${p.post}@${p.org_id}`, to: null })),
        ],
      });
    } else if (outcome.status === 'completed') {
      await people.endMemberPosts(trx, m.id, decidedOn);
      await transfersRepo.markTransferredOut(trx, m.id, decidedOn, decided.toISOString());
      await people.insertHistory(trx, {
        member_id: m.id,
        at: decided.toISOString(),
        actor: 'demo',
        action: 'transfer.out',
        changes: [
          { field: 'status', from: 'normal', to: 'transferred_out' },
          { field: 'leftAt', from: null, to: decidedOn },
          { field: 'transferTo', from: fromName, to: toName },
        ],
      });
    } else if (outcome.status === 'returned') {
      await people.insertHistory(trx, {
        member_id: m.id,
        at: decided.toISOString(),
        actor: 'demo',
        action: 'transfer.returned',
        changes: [
          { field: 'transfer', from: id, to: null },
          { field: 'transferReturnReason', from: null, to: outcome.returnReason ?? null },
        ],
      });
    }
  };

  const firstBranchOf = (code: string) => {
    const city = cityByCode(code);
    return city ? cityBranches(city)[0] : undefined;
  };
  const mianyangB1 = firstBranchOf('5107');
  const deyangB1 = firstBranchOf('5106');
  const yibinB1 = firstBranchOf('5115');
  const provinceBranch = childrenOf(root.id).find((o) => o.kind === 'branch' && o.name.startsWith('成果转化处'));

  const overdue = mover(cdB2);
  if (overdue && cdB1) await transfer(overdue, cdB1, '工作调动，调入成都市科学技术局机关第一党支部所在处室', 45);
  const recent = mover(mianyangB1);
  if (recent && cdB1) await transfer(recent, cdB1, '工作调动，调入成都市科学技术局', 5);
  const returned = mover(deyangB1);
  if (returned && cdB2) {
    await transfer(returned, cdB2, '挂职锻炼期满，拟转入成都', 70, {
      status: 'returned',
      afterDays: 12,
      returnReason: '该同志挂职期间组织关系无需转接，请核实人事关系后再办理',
    });
  }
  const accepted = mover(yibinB1);
  if (accepted && cdB3) {
    await transfer(accepted, cdB3, '工作调动，调入成都市科学技术局', 120, { status: 'accepted', afterDays: 9 });
  }
  const leaving = mover(provinceBranch);
  if (leaving) {
    await transfer(leaving, '中共浙江省科学技术厅机关委员会', '调往浙江省科学技术厅工作', 30, {
      status: 'completed',
      afterDays: 0,
    });
  }
}
