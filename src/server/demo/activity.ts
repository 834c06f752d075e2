/**
 * The demo's activity on top of the base demo (organisations, members, accounts): a year of 组织生活 records and the
 * plan ahead, two approved exemptions, the compliance engine's results rebuilt from scratch (so that the overview
 * tells its story on first start), then the learning library, question bank, plans and partial progress. Each part seeds once, so running this again changes nothing.
 * Called by `npm start` and `npm run cli -- seed-demo` after `seedDemo`; tests that need it call it themselves.
 */
import { todayInShanghai } from '../../shared/dates.js';
import type { Db } from '../db/database.js';
import { seedComplianceDemo } from '../modules/compliance/compliance.demo.js';
import * as engine from '../modules/compliance/compliance.engine.js';
import { seedLearningDemo } from './learning-demo.js';
import { seedMeetingsDemo } from './meetings-demo.js';
import { prng } from './random.js';

export interface ActivitySummary {
  meetings: number;
  exemptions: number;
  /** learning content items seeded (the media items only when `dataDir` is given) */
  learning: number;
}

export async function seedDemoActivity(
  db: Db,
  opts: { dataDir?: string; today?: string } = {},
): Promise<ActivitySummary> {
  const today = opts.today ?? todayInShanghai();
  const { meetings } = await db.transaction().execute((trx) => seedMeetingsDemo(trx, prng(20260301), today));
  const exemptions = await db.transaction().execute((trx) => seedComplianceDemo(trx, today));
  // The meetings were written straight to the tables: rebuild every result and rollup once.
  if (meetings > 0 || exemptions > 0) await engine.recomputeAll(db, { today });
  const learning = await db
    .transaction()
    .execute((trx) => seedLearningDemo(trx, prng(20221016), today, { dataDir: opts.dataDir }));
  return { meetings, exemptions, learning: learning.content };
}
