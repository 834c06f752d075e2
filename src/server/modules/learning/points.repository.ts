/** All SQL of learning points: the ledger, per-subtree rule overrides, ranking switches and org averages. */
import { sql } from 'kysely';
import { ACTIVE_STATUSES } from '../../../shared/members.js';
import type { Executor } from '../../db/database.js';

export async function overridesFor(db: Executor, orgId: number) {
  return db
    .selectFrom('learning_point_rules as r')
    .innerJoin('org_closure as oc', 'oc.ancestor_id', 'r.org_id')
    .select(['r.rule', 'r.points', 'r.daily_cap', 'r.unit_minutes', 'r.enabled', 'oc.depth', 'r.org_id'])
    .where('oc.descendant_id', '=', orgId)
    .orderBy('oc.depth', 'asc')
    .execute();
}

export async function upsertRule(
  db: Executor,
  row: {
    org_id: number;
    rule: string;
    points: number;
    daily_cap: number;
    unit_minutes: number;
    enabled: number;
    updated_by: string;
    updated_at: string;
  },
): Promise<void> {
  await db
    .insertInto('learning_point_rules')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['org_id', 'rule']).doUpdateSet({
        points: row.points,
        daily_cap: row.daily_cap,
        unit_minutes: row.unit_minutes,
        enabled: row.enabled,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

export async function sumToday(db: Executor, memberId: number, day: string, rule: string): Promise<number> {
  const r = await db
    .selectFrom('learning_points')
    .select((eb) => eb.fn.sum<number>('points').as('s'))
    .where('member_id', '=', memberId)
    .where('day', '=', day)
    .where('rule', '=', rule)
    .executeTakeFirst();
  return Number(r?.s ?? 0);
}

export async function hasRef(db: Executor, memberId: number, rule: string, ref: string): Promise<boolean> {
  const r = await db
    .selectFrom('learning_points')
    .select('id')
    .where('member_id', '=', memberId)
    .where('rule', '=', rule)
    .where('ref', '=', ref)
    .executeTakeFirst();
  return r !== undefined;
}

export async function insert(
  db: Executor,
  row: { member_id: number; rule: string; points: number; day: string; year: number; ref: string | null; at: string },
): Promise<void> {
  await db.insertInto('learning_points').values(row).execute();
}

export async function memberTotals(db: Executor, memberId: number, day: string, year: number) {
  const rows = await db
    .selectFrom('learning_points')
    .select([
      'rule',
      (eb) => eb.fn.sum<number>('points').as('total'),
      (eb) => eb.fn.sum<number>(eb.case().when('day', '=', day).then(eb.ref('points')).else(0).end()).as('today'),
      (eb) => eb.fn.sum<number>(eb.case().when('year', '=', year).then(eb.ref('points')).else(0).end()).as('year'),
    ])
    .where('member_id', '=', memberId)
    .groupBy('rule')
    .execute();
  return rows.map((r) => ({
    rule: r.rule,
    total: Number(r.total ?? 0),
    today: Number(r.today ?? 0),
    year: Number(r.year ?? 0),
  }));
}

export async function recent(db: Executor, memberId: number, limit: number) {
  return db
    .selectFrom('learning_points')
    .select(['rule', 'points', 'at', 'ref'])
    .where('member_id', '=', memberId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** For the org and each of its direct children: active members of the subtree and their points in `year`. */
export async function orgAverages(db: Executor, orgId: number, year: number) {
  const orgs = await db
    .selectFrom('orgs')
    .select(['id', 'name'])
    .where((eb) => eb.or([eb('id', '=', orgId), eb('parent_id', '=', orgId)]))
    .orderBy('id')
    .execute();
  const ids = orgs.map((o) => o.id);
  const perMember = db
    .selectFrom('learning_points')
    .select(['member_id', (eb) => eb.fn.sum<number>('points').as('pts')])
    .where('year', '=', year)
    .groupBy('member_id')
    .as('pm');
  const rows = await db
    .selectFrom('org_closure as oc')
    .innerJoin('members as m', 'm.org_id', 'oc.descendant_id')
    .leftJoin(perMember, 'pm.member_id', 'm.id')
    .select([
      'oc.ancestor_id as org_id',
      (eb) => eb.fn.count<number>('m.id').as('members'),
      (eb) => eb.fn.coalesce(eb.fn.sum<number>('pm.pts'), sql<number>`0`).as('total'),
    ])
    .where('oc.ancestor_id', 'in', ids)
    .where('m.status', 'in', ACTIVE_STATUSES)
    .groupBy('oc.ancestor_id')
    .execute();
  const by = new Map(rows.map((r) => [r.org_id, r]));
  return orgs.map((o) => ({
    orgId: o.id,
    orgName: o.name,
    members: Number(by.get(o.id)?.members ?? 0),
    total: Number(by.get(o.id)?.total ?? 0),
  }));
}

/** Members of the subtree by points in `year`, the most first. */
export async function ranking(db: Executor, orgId: number, year: number, limit: number) {
  const rows = await db
    .selectFrom('org_closure as oc')
    .innerJoin('members as m', 'm.org_id', 'oc.descendant_id')
    .innerJoin('orgs as o', 'o.id', 'm.org_id')
    .leftJoin('learning_points as lp', (j) => j.onRef('lp.member_id', '=', 'm.id').on('lp.year', '=', year))
    .select([
      'm.id as member_id',
      'm.name',
      'o.name as org_name',
      (eb) => eb.fn.coalesce(eb.fn.sum<number>('lp.points'), sql<number>`0`).as('pts'),
    ])
    .where('oc.ancestor_id', '=', orgId)
    .where('m.status', 'in', ACTIVE_STATUSES)
    .groupBy(['m.id', 'm.name', 'o.name'])
    .orderBy('pts', 'desc')
    .orderBy('m.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ memberId: r.member_id, name: r.name, orgName: r.org_name, points: Number(r.pts) }));
}

/** The nearest ranking setting at or above the org (undefined: none, i.e. off). */
export async function rankingSetting(db: Executor, orgId: number) {
  return db
    .selectFrom('learning_org_settings as s')
    .innerJoin('org_closure as oc', 'oc.ancestor_id', 's.org_id')
    .select(['s.org_id', 's.rankings_enabled', 'oc.depth'])
    .where('oc.descendant_id', '=', orgId)
    .orderBy('oc.depth', 'asc')
    .executeTakeFirst();
}

export async function setRanking(db: Executor, orgId: number, enabled: boolean, actor: string, at: string) {
  await db
    .insertInto('learning_org_settings')
    .values({ org_id: orgId, rankings_enabled: enabled ? 1 : 0, updated_by: actor, updated_at: at })
    .onConflict((oc) =>
      oc.column('org_id').doUpdateSet({ rankings_enabled: enabled ? 1 : 0, updated_by: actor, updated_at: at }),
    )
    .execute();
}
