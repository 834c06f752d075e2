/**
 * 编制 and the staffing view: per organisation (党委, 党总支, 党支部; not 党小组) the authorised full-time
 * party-affairs posts, the people holding full-time and part-time party posts there, and the gap, worst first.
 */
import type { OrgKind } from '../../../shared/orgs.js';
import type { StaffingRow, StaffingSummary, StaffingView } from '../../../shared/staffing.js';
import type { Executor } from '../../db/database.js';
import { AppError, notFound } from '../../errors.js';
import type { OrgScope } from '../orgs/orgs.repository.js';
import * as repo from './staffing.repository.js';

const collator = new Intl.Collator('zh-Hans-CN');

/** Worst first: largest vacancy, then no full-time cadre, then name. */
export function compareRows(a: StaffingRow, b: StaffingRow): number {
  return (
    b.vacant - a.vacant ||
    Number(b.noFullTime) - Number(a.noFullTime) ||
    collator.compare(a.orgName, b.orgName) ||
    a.orgId - b.orgId
  );
}

export function summarise(rows: StaffingRow[]): StaffingSummary {
  const withoutFullTime = rows.filter((r) => r.noFullTime).length;
  const sum = (f: (r: StaffingRow) => number) => rows.reduce((s, r) => s + f(r), 0);
  return {
    orgs: rows.length,
    withoutFullTime,
    shareWithoutFullTime: rows.length ? Math.round((withoutFullTime / rows.length) * 10000) / 10000 : 0,
    partTimeOnly: rows.filter((r) => r.partTimeOnly).length,
    authorised: sum((r) => r.authorised),
    filledFullTime: sum((r) => r.filledFullTime),
    vacant: sum((r) => r.vacant),
  };
}

export async function view(db: Executor, scope: OrgScope): Promise<StaffingView> {
  const [orgs, posts] = await Promise.all([repo.staffedOrgs(db, scope), repo.activePosts(db, scope)]);
  const fullTime = new Map<number, Set<number>>();
  const anyPost = new Map<number, Set<number>>();
  for (const p of posts) {
    const add = (m: Map<number, Set<number>>) => {
      const s = m.get(p.org_id) ?? new Set<number>();
      s.add(p.member_id);
      m.set(p.org_id, s);
    };
    add(anyPost);
    if (Number(p.full_time) === 1) add(fullTime);
  }
  const rows = orgs.map((o): StaffingRow => {
    const filled = fullTime.get(o.id)?.size ?? 0;
    const holders = anyPost.get(o.id)?.size ?? 0;
    const partTime = holders - filled;
    const authorised = o.authorised ?? 0;
    return {
      orgId: o.id,
      orgName: o.name,
      kind: o.kind,
      depth: o.depth,
      parentId: o.parent_id,
      parentName: o.parent_name,
      authorised,
      filledFullTime: filled,
      partTime,
      partTimeOnly: partTime > 0 && filled === 0,
      vacant: Math.max(0, authorised - filled),
      noFullTime: filled === 0,
    };
  });
  rows.sort(compareRows);
  return { rows, summary: summarise(rows) };
}

/** The staffing row of one organisation. */
export async function rowOf(db: Executor, orgId: number): Promise<StaffingRow> {
  const { rows } = await view(db, { all: false, roots: [orgId] });
  const row = rows.find((r) => r.orgId === orgId);
  if (!row) throw notFound('organisation');
  return row;
}

/** Sets an organisation's 编制; returns the previous value (null when never set). */
export async function setAuthorised(trx: Executor, orgId: number, n: number): Promise<number | null> {
  const org = await repo.findOrg(trx, orgId);
  if (!org) throw notFound('organisation');
  if ((org.kind as OrgKind) === 'group') {
    throw new AppError(400, 'not_staffed', 'a 党小组 (group) has no authorised posts (编制)', 'orgId');
  }
  const before = await repo.getAuthorised(trx, orgId);
  await repo.setAuthorised(trx, orgId, n, new Date().toISOString());
  return before;
}
