/**
 * All SQL of learning plans: the plan with its items, posts and named members; who is assigned (computed from the
 * target at read time: a subtree's active members, holders of active posts in a subtree, or the named members),
 * restricted to a reporting subtree; and the per-member count of items done.
 */
import { ACTIVE_STATUSES } from '../../../shared/members.js';
import type { Executor } from '../../db/database.js';
import { type OrgScope, scopedOrgIds } from '../orgs/orgs.repository.js';

export async function insertPlan(
  db: Executor,
  row: {
    org_id: number;
    title: string;
    description: string;
    due_on: string;
    target: string;
    target_org_id: number | null;
    created_by: string;
    created_at: string;
  },
  items: { content_id: number | null; paper_id: number | null }[],
  posts: string[],
  memberIds: number[],
): Promise<number> {
  const r = await db.insertInto('learning_plans').values(row).returning('id').executeTakeFirstOrThrow();
  await db
    .insertInto('learning_plan_items')
    .values(items.map((it, position) => ({ plan_id: r.id, position, ...it })))
    .execute();
  if (posts.length) {
    await db
      .insertInto('learning_plan_posts')
      .values(posts.map((post) => ({ plan_id: r.id, post })))
      .execute();
  }
  for (let i = 0; i < memberIds.length; i += 500) {
    await db
      .insertInto('learning_plan_members')
      .values(memberIds.slice(i, i + 500).map((member_id) => ({ plan_id: r.id, member_id })))
      .execute();
  }
  return r.id;
}

function plansWithNames(db: Executor) {
  return db
    .selectFrom('learning_plans as p')
    .innerJoin('orgs as o', 'o.id', 'p.org_id')
    .leftJoin('orgs as t', 't.id', 'p.target_org_id')
    .selectAll('p')
    .select(['o.name as org_name', 't.name as target_org_name']);
}
export type PlanRow = Awaited<ReturnType<typeof findPlan>> & {};

export async function findPlan(db: Executor, id: number) {
  return plansWithNames(db).where('p.id', '=', id).executeTakeFirst();
}

/** Plans a manager sees: owned inside the scope, or targeting a subtree that covers one of its roots. */
export async function listPlans(db: Executor, scope: OrgScope, limit = 500) {
  const roots = scope.all ? [] : scope.roots.length ? scope.roots : [-1];
  return plansWithNames(db)
    .where((eb) =>
      scope.all
        ? eb.val(true)
        : eb.or([
            eb('p.org_id', 'in', scopedOrgIds(db, scope)),
            eb.exists(
              eb
                .selectFrom('org_closure as oc')
                .select('oc.ancestor_id')
                .whereRef('oc.ancestor_id', '=', 'p.target_org_id')
                .where('oc.descendant_id', 'in', roots),
            ),
          ]),
    )
    .orderBy('p.due_on', 'desc')
    .orderBy('p.id', 'desc')
    .limit(limit)
    .execute();
}

export async function deletePlan(db: Executor, id: number) {
  await db.deleteFrom('learning_plans').where('id', '=', id).execute();
}

export async function itemsOf(db: Executor, planIds: number[]) {
  if (!planIds.length) return [];
  return db
    .selectFrom('learning_plan_items as i')
    .leftJoin('learning_content as c', 'c.id', 'i.content_id')
    .leftJoin('learning_papers as pp', 'pp.id', 'i.paper_id')
    .select([
      'i.plan_id',
      'i.position',
      'i.content_id',
      'i.paper_id',
      'c.title as content_title',
      'c.kind',
      'pp.title as paper_title',
    ])
    .where('i.plan_id', 'in', planIds)
    .orderBy('i.plan_id')
    .orderBy('i.position')
    .execute();
}

export async function postsOf(db: Executor, planIds: number[]) {
  if (!planIds.length) return [];
  return db.selectFrom('learning_plan_posts').selectAll().where('plan_id', 'in', planIds).execute();
}

export async function namedMembersOf(db: Executor, planIds: number[]) {
  if (!planIds.length) return [];
  return db.selectFrom('learning_plan_members').selectAll().where('plan_id', 'in', planIds).execute();
}

export interface AssignedMember {
  member_id: number;
  name: string;
  org_id: number;
  org_name: string;
}

/** Active members assigned by the plan, inside the subtree of `within`. */
export async function assigned(
  db: Executor,
  plan: { id: number; target: string; target_org_id: number | null },
  within: number,
): Promise<AssignedMember[]> {
  let q = db
    .selectFrom('members as m')
    .innerJoin('orgs as o', 'o.id', 'm.org_id')
    .select(['m.id as member_id', 'm.name', 'm.org_id', 'o.name as org_name'])
    .where('m.status', 'in', ACTIVE_STATUSES)
    .where('m.org_id', 'in', db.selectFrom('org_closure').select('descendant_id').where('ancestor_id', '=', within));
  const target = plan.target_org_id ?? -1;
  if (plan.target === 'subtree') {
    q = q.where(
      'm.org_id',
      'in',
      db.selectFrom('org_closure').select('descendant_id').where('ancestor_id', '=', target),
    );
  } else if (plan.target === 'posts') {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('party_posts as pp')
          .innerJoin('learning_plan_posts as lp', 'lp.post', 'pp.post')
          .select('pp.id')
          .whereRef('pp.member_id', '=', 'm.id')
          .where('lp.plan_id', '=', plan.id)
          .where('pp.ended_at', 'is', null)
          .where(
            'pp.org_id',
            'in',
            eb.selectFrom('org_closure').select('descendant_id').where('ancestor_id', '=', target),
          ),
      ),
    );
  } else {
    q = q.where(
      'm.id',
      'in',
      db.selectFrom('learning_plan_members').select('member_id').where('plan_id', '=', plan.id),
    );
  }
  return q.orderBy('m.org_id').orderBy('m.id').execute();
}

/** Per member: items of the plan done (content completed, paper passed). */
export async function doneCounts(db: Executor, planId: number, memberIds: number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (let i = 0; i < memberIds.length; i += 500) {
    const part = memberIds.slice(i, i + 500);
    const content = await db
      .selectFrom('learning_progress as pr')
      .innerJoin('learning_plan_items as it', 'it.content_id', 'pr.content_id')
      .select(['pr.member_id', (eb) => eb.fn.count<number>('pr.content_id').distinct().as('n')])
      .where('it.plan_id', '=', planId)
      .where('pr.completed_at', 'is not', null)
      .where('pr.member_id', 'in', part)
      .groupBy('pr.member_id')
      .execute();
    const papers = await db
      .selectFrom('learning_attempts as a')
      .innerJoin('learning_plan_items as it', 'it.paper_id', 'a.paper_id')
      .select(['a.member_id', (eb) => eb.fn.count<number>('a.paper_id').distinct().as('n')])
      .where('it.plan_id', '=', planId)
      .where('a.passed', '=', 1)
      .where('a.member_id', 'in', part)
      .groupBy('a.member_id')
      .execute();
    for (const r of [...content, ...papers]) out.set(r.member_id, (out.get(r.member_id) ?? 0) + Number(r.n));
  }
  return out;
}

/** For each org id: which of `tops` contains it (the direct-child breakdown of a report). */
export async function containingTop(db: Executor, tops: number[], orgIds: number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (!tops.length || !orgIds.length) return out;
  const rows = await db
    .selectFrom('org_closure')
    .select(['ancestor_id', 'descendant_id'])
    .where('ancestor_id', 'in', tops)
    .where('descendant_id', 'in', [...new Set(orgIds)])
    .execute();
  for (const r of rows) out.set(r.descendant_id, r.ancestor_id);
  return out;
}

export async function childrenOf(db: Executor, orgId: number) {
  return db.selectFrom('orgs').select(['id', 'name']).where('parent_id', '=', orgId).orderBy('id').execute();
}

export async function orgName(db: Executor, orgId: number) {
  return (await db.selectFrom('orgs').select('name').where('id', '=', orgId).executeTakeFirst())?.name;
}

/** The plans a member is assigned to (subtree above their org, a post they hold, or named). */
export async function plansOfMember(db: Executor, memberId: number, memberOrgId: number) {
  return plansWithNames(db)
    .where((eb) =>
      eb.or([
        eb.and([
          eb('p.target', '=', 'subtree'),
          eb.exists(
            eb
              .selectFrom('org_closure as oc')
              .select('oc.ancestor_id')
              .whereRef('oc.ancestor_id', '=', 'p.target_org_id')
              .where('oc.descendant_id', '=', memberOrgId),
          ),
        ]),
        eb.and([
          eb('p.target', '=', 'members'),
          eb.exists(
            eb
              .selectFrom('learning_plan_members as lm')
              .select('lm.member_id')
              .whereRef('lm.plan_id', '=', 'p.id')
              .where('lm.member_id', '=', memberId),
          ),
        ]),
        eb.and([
          eb('p.target', '=', 'posts'),
          eb.exists(
            eb
              .selectFrom('party_posts as pp')
              .innerJoin('learning_plan_posts as lp', 'lp.post', 'pp.post')
              .innerJoin('org_closure as oc', 'oc.descendant_id', 'pp.org_id')
              .select('pp.id')
              .whereRef('lp.plan_id', '=', 'p.id')
              .whereRef('oc.ancestor_id', '=', 'p.target_org_id')
              .where('pp.member_id', '=', memberId)
              .where('pp.ended_at', 'is', null),
          ),
        ]),
      ]),
    )
    .orderBy('p.due_on')
    .orderBy('p.id')
    .execute();
}

/** Which of the plan items the member has done: content ids completed, paper ids passed. */
export async function doneItemsOf(db: Executor, memberId: number, contentIds: number[], paperIds: number[]) {
  const done = { content: new Set<number>(), papers: new Set<number>() };
  if (contentIds.length) {
    const rows = await db
      .selectFrom('learning_progress')
      .select('content_id')
      .where('member_id', '=', memberId)
      .where('content_id', 'in', contentIds)
      .where('completed_at', 'is not', null)
      .execute();
    for (const r of rows) done.content.add(r.content_id);
  }
  if (paperIds.length) {
    const rows = await db
      .selectFrom('learning_attempts')
      .select('paper_id')
      .where('member_id', '=', memberId)
      .where('paper_id', 'in', paperIds)
      .where('passed', '=', 1)
      .groupBy('paper_id')
      .execute();
    for (const r of rows) done.papers.add(r.paper_id);
  }
  return done;
}

export async function membersOrgs(db: Executor, memberIds: number[]) {
  if (!memberIds.length) return [];
  return db.selectFrom('members').select(['id', 'org_id', 'status']).where('id', 'in', memberIds).execute();
}
