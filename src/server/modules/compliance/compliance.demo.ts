/**
 * Demo data of the compliance engine: two exemptions approved by the level above, so that the overview shows
 * `exempt` beside met / missed / no_quorum: a 甘孜 county branch whose members are on a rural-revitalisation field
 * assignment (last quarter's 党员大会) and an 阿坝 county branch on flood-season duty (last month's 主题党日).
 * Seeds once (nothing when a demo exemption exists). Call it before `recomputeAll`, or after: it recomputes the two
 * orgs itself when the engine already runs.
 */
import { addMonths, todayInShanghai } from '../../../shared/dates.js';
import { periodOf } from '../../../shared/meetings.js';
import type { Executor } from '../../db/database.js';
import * as engine from './compliance.engine.js';
import * as repo from './compliance.repository.js';

interface DemoExemption {
  division: string;
  type: 'party_congress' | 'theme_day';
  period: string;
  reason: string;
}

export async function seedComplianceDemo(trx: Executor, today = todayInShanghai()): Promise<number> {
  const seeded = await trx
    .selectFrom('compliance_exemptions')
    .select('id')
    .where('requested_by', '=', 'demo')
    .limit(1)
    .executeTakeFirst();
  if (seeded) return 0;
  const wanted: DemoExemption[] = [
    {
      division: '5133', // 甘孜藏族自治州
      type: 'party_congress',
      period: periodOf(addMonths(today, -3), 'quarter'),
      reason:
        '支部多数党员作为乡村振兴驻村工作队队员在牧区开展科技帮扶，本季度无法集中召开支部党员大会；已组织线上集中学习，返岗后补开。',
    },
    {
      division: '5132', // 阿坝藏族羌族自治州
      type: 'theme_day',
      period: periodOf(addMonths(today, -1), 'month'),
      reason: '支部党员全员参加汛期地质灾害防治一线值守，本月主题党日无法按期集中开展，已顺延至下月。',
    },
  ];
  const now = new Date().toISOString();
  let created = 0;
  for (const w of wanted) {
    const branch = await trx
      .selectFrom('orgs')
      .select(['id', 'parent_id'])
      .where('kind', '=', 'branch')
      .where('division_code', 'like', `${w.division}%`)
      .orderBy('id')
      .executeTakeFirst();
    if (!branch) continue;
    const id = await repo.insertExemption(trx, {
      org_id: branch.id,
      type: w.type,
      period: w.period,
      reason: w.reason,
      requested_by: 'demo',
      requested_at: now,
    });
    await repo.decideExemption(trx, id, 'approved', 'demo', now);
    if (await repo.getState(trx)) await engine.recomputeOrg(trx, branch.id, [Number(w.period.slice(0, 4))]);
    created++;
  }
  return created;
}
