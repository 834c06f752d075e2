/**
 * Learning plans: content and papers assigned to a subtree, to holders of party posts in a subtree, or to named
 * members, with a due date. Assignment is computed when read (a member who joins the subtree later is assigned
 * too); completion of a plan is every item done (content completed, paper passed). Reports are per reporting
 * org: its total, each direct child's, and every assigned member (unfinished first), exportable as .xlsx.
 */
import ExcelJS from 'exceljs';
import { todayInShanghai } from '../../../shared/dates.js';
import type {
  ContentKind,
  LearningHome,
  Plan,
  PlanCreateInput,
  PlanItemView,
  PlanMemberProgress,
  PlanProgress,
  PlanTarget,
} from '../../../shared/learning.js';
import type { PartyPost } from '../../../shared/members.js';
import type { Executor } from '../../db/database.js';
import { notFound, validation } from '../../errors.js';
import { isWithin, type OrgScope } from '../orgs/orgs.repository.js';
import * as contentRepo from './content.repository.js';
import * as repo from './plans.repository.js';
import * as quizRepo from './quiz.repository.js';

const collator = new Intl.Collator('zh-Hans-CN');
const rate = (done: number, all: number) => (all ? Math.round((done / all) * 10000) / 10000 : 0);

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Checks the plan's items and targets; `inScope(orgId)` says whether the caller manages an org. */
export async function create(
  trx: Executor,
  input: PlanCreateInput,
  inScope: (orgId: number) => Promise<boolean>,
  actor: string,
  now: Date,
): Promise<number> {
  const targetOrg = input.target === 'members' ? input.orgId : (input.targetOrgId ?? input.orgId);
  if (input.target !== 'members' && !(await isWithin(trx, targetOrg, [input.orgId]))) {
    throw validation('targetOrgId', "must lie in the plan organisation's subtree");
  }
  if (input.target !== 'members' && !(await inScope(targetOrg))) {
    throw validation('targetOrgId', 'is not an organisation you manage');
  }
  if (input.target === 'posts' && !input.posts?.length) throw validation('posts', 'name at least one party post');
  const memberIds = [...new Set(input.memberIds ?? [])];
  if (input.target === 'members') {
    if (!memberIds.length) throw validation('memberIds', 'name at least one member');
    const found = new Map((await repo.membersOrgs(trx, memberIds)).map((m) => [m.id, m]));
    for (const [i, id] of memberIds.entries()) {
      const m = found.get(id);
      if (!m || !(await isWithin(trx, m.org_id, [input.orgId]))) {
        throw validation(`memberIds.${i}`, `member ${id} is not in this organisation's subtree`);
      }
    }
  }
  const viewer: contentRepo.Viewer = { readRoots: [targetOrg], manageScope: null };
  for (const [i, it] of input.items.entries()) {
    if (it.contentId !== undefined && !(await contentRepo.isVisible(trx, it.contentId, viewer))) {
      throw validation(`items.${i}.contentId`, `content ${it.contentId} is not published for this subtree`);
    }
    if (it.paperId !== undefined && !(await quizRepo.findVisiblePaper(trx, it.paperId, viewer))) {
      throw validation(`items.${i}.paperId`, `paper ${it.paperId} is not available to this subtree`);
    }
  }
  return repo.insertPlan(
    trx,
    {
      org_id: input.orgId,
      title: input.title,
      description: input.description,
      due_on: input.dueOn,
      target: input.target,
      target_org_id: targetOrg,
      created_by: actor,
      created_at: now.toISOString(),
    },
    input.items.map((it) => ({ content_id: it.contentId ?? null, paper_id: it.paperId ?? null })),
    input.target === 'posts' ? [...new Set(input.posts)] : [],
    input.target === 'members' ? memberIds : [],
  );
}

type PlanRow = NonNullable<Awaited<ReturnType<typeof repo.findPlan>>>;

export async function present(db: Executor, rows: PlanRow[]): Promise<Plan[]> {
  const ids = rows.map((r) => r.id);
  const [items, posts, named] = await Promise.all([
    repo.itemsOf(db, ids),
    repo.postsOf(db, ids),
    repo.namedMembersOf(db, ids),
  ]);
  return rows.map((r) => ({
    id: r.id,
    orgId: r.org_id,
    orgName: r.org_name,
    title: r.title,
    description: r.description,
    dueOn: r.due_on,
    target: r.target as PlanTarget,
    targetOrgId: r.target_org_id,
    targetOrgName: r.target_org_name,
    posts: posts.filter((p) => p.plan_id === r.id).map((p) => p.post as PartyPost),
    memberIds: named.filter((m) => m.plan_id === r.id).map((m) => m.member_id),
    items: items
      .filter((i) => i.plan_id === r.id)
      .map(
        (i): PlanItemView => ({
          contentId: i.content_id,
          paperId: i.paper_id,
          title: i.content_title ?? i.paper_title ?? '',
          kind: i.content_id !== null ? (i.kind as ContentKind) : 'paper',
        }),
      ),
    createdAt: r.created_at,
    createdBy: r.created_by,
  }));
}

export async function find(db: Executor, id: number): Promise<PlanRow> {
  const r = await repo.findPlan(db, id);
  if (!r) throw notFound('plan');
  return r;
}

/** Does a manager with `scope` see the plan: owned inside the scope, or targeting a subtree above a root. */
export async function visibleTo(db: Executor, plan: PlanRow, scope: OrgScope): Promise<boolean> {
  if (scope.all) return true;
  if (await isWithin(db, plan.org_id, scope.roots)) return true;
  if (plan.target_org_id === null) return false;
  for (const root of scope.roots) if (await isWithin(db, root, [plan.target_org_id])) return true;
  return false;
}

/** The default reporting org: the plan's target if managed, else the caller's first root inside the target. */
export async function defaultReportOrg(db: Executor, plan: PlanRow, scope: OrgScope): Promise<number> {
  const target = plan.target_org_id ?? plan.org_id;
  if (scope.all || (await isWithin(db, target, scope.roots))) return target;
  for (const root of scope.roots) if (await isWithin(db, root, [target])) return root;
  return target;
}

export async function progress(db: Executor, plan: PlanRow, orgId: number): Promise<PlanProgress> {
  const [view] = await present(db, [plan]);
  const total = view!.items.length;
  const assigned = await repo.assigned(db, plan, orgId);
  const done = await repo.doneCounts(
    db,
    plan.id,
    assigned.map((m) => m.member_id),
  );
  const members: PlanMemberProgress[] = assigned.map((m) => {
    const d = Math.min(total, done.get(m.member_id) ?? 0);
    return {
      memberId: m.member_id,
      name: m.name,
      orgId: m.org_id,
      orgName: m.org_name,
      itemsDone: d,
      itemsTotal: total,
      completed: total > 0 && d >= total,
    };
  });
  members.sort(
    (a, b) =>
      Number(a.completed) - Number(b.completed) ||
      a.itemsDone - b.itemsDone ||
      collator.compare(a.orgName, b.orgName) ||
      collator.compare(a.name, b.name),
  );
  const children = await repo.childrenOf(db, orgId);
  const top = await repo.containingTop(
    db,
    children.map((c) => c.id),
    members.map((m) => m.orgId),
  );
  const completed = members.filter((m) => m.completed).length;
  const orgName = (await repo.orgName(db, orgId)) ?? '';
  const perChild = children
    .map((c) => {
      const mine = members.filter((m) => top.get(m.orgId) === c.id);
      const doneN = mine.filter((m) => m.completed).length;
      return { orgId: c.id, orgName: c.name, assigned: mine.length, completed: doneN, rate: rate(doneN, mine.length) };
    })
    .filter((c) => c.assigned > 0);
  const direct = members.filter((m) => m.orgId === orgId);
  const orgs = [
    ...(direct.length || !perChild.length
      ? [
          {
            orgId,
            orgName,
            assigned: direct.length,
            completed: direct.filter((m) => m.completed).length,
            rate: rate(direct.filter((m) => m.completed).length, direct.length),
          },
        ]
      : []),
    ...perChild,
  ];
  return {
    plan: view!,
    org: { id: orgId, name: orgName },
    assigned: members.length,
    completed,
    rate: rate(completed, members.length),
    orgs,
    members,
  };
}

export async function progressWorkbook(p: PlanProgress): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const summary = wb.addWorksheet('完成情况');
  summary.addRow(['学习计划', p.plan.title]);
  summary.addRow(['截止日期', p.plan.dueOn]);
  summary.addRow(['统计范围', p.org.name]);
  summary.addRow(['应学人数', p.assigned]);
  summary.addRow(['已完成', p.completed]);
  summary.addRow(['完成率', `${Math.round(p.rate * 1000) / 10}%`]);
  summary.addRow([]);
  summary.addRow(['组织', '应学人数', '已完成', '完成率']).font = { bold: true };
  for (const o of p.orgs) summary.addRow([o.orgName, o.assigned, o.completed, `${Math.round(o.rate * 1000) / 10}%`]);
  summary.getColumn(1).width = 36;
  const ws = wb.addWorksheet('人员明细');
  ws.addRow(['姓名', '所在组织', '已完成项目', '项目总数', '状态']).font = { bold: true };
  for (const m of p.members)
    ws.addRow([m.name, m.orgName, m.itemsDone, m.itemsTotal, m.completed ? '已完成' : '未完成']);
  ws.getColumn(2).width = 36;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---- the member home -----------------------------------------------------------------------------------------

export async function memberPlans(db: Executor, memberId: number, memberOrgId: number, now: Date) {
  const today = todayInShanghai(now);
  const rows = await repo.plansOfMember(db, memberId, memberOrgId);
  const plans = await present(db, rows);
  const contentIds = plans.flatMap((p) => p.items.flatMap((i) => (i.contentId === null ? [] : [i.contentId])));
  const paperIds = plans.flatMap((p) => p.items.flatMap((i) => (i.paperId === null ? [] : [i.paperId])));
  const done = await repo.doneItemsOf(db, memberId, contentIds, paperIds);
  const isDone = (i: PlanItemView) =>
    i.contentId !== null ? done.content.has(i.contentId) : i.paperId !== null && done.papers.has(i.paperId);
  const tasks: LearningHome['tasks'] = [];
  const summaries: LearningHome['plans'] = [];
  for (const p of plans) {
    const daysLeft = daysBetween(today, p.dueOn);
    const itemsDone = p.items.filter(isDone).length;
    summaries.push({ id: p.id, title: p.title, dueOn: p.dueOn, daysLeft, itemsDone, itemsTotal: p.items.length });
    for (const i of p.items) {
      if (isDone(i)) continue;
      tasks.push({
        planId: p.id,
        planTitle: p.title,
        dueOn: p.dueOn,
        daysLeft,
        contentId: i.contentId,
        paperId: i.paperId,
        title: i.title,
        kind: i.kind,
      });
    }
  }
  tasks.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.planId - b.planId);
  summaries.sort(
    (a, b) =>
      Number(a.itemsDone >= a.itemsTotal) - Number(b.itemsDone >= b.itemsTotal) || a.dueOn.localeCompare(b.dueOn),
  );
  return { tasks, plans: summaries };
}
