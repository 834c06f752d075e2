/**
 * Operator commands of the compliance engine, for `npm run cli -- <command>` (cli/index.ts dispatches here):
 *   reminders              create the due / missed reminders of the whole tree and deliver them to group robots
 *   compliance-refresh     move the stored statuses to today (pending → missed for periods that ended); nightly
 *   compliance-recompute   rebuild every result and rollup from scratch (after bulk loads or roster imports)
 */
import type { Executor } from '../../db/database.js';
import * as engine from './compliance.engine.js';
import { runReminders } from './compliance.reminders.js';

export const COMPLIANCE_COMMANDS = ['reminders', 'compliance-refresh', 'compliance-recompute'] as const;

/** Runs one of COMPLIANCE_COMMANDS; returns the process exit code. */
export async function runComplianceCommand(db: Executor, command: string): Promise<number> {
  switch (command) {
    case 'reminders': {
      const r = await runReminders(db);
      console.log(
        `Reminders for ${r.today}: ${r.created} created; ${r.delivered.reminders} delivered in ${r.delivered.messages} message(s); ${r.failed.reminders} failed in ${r.failed.messages}.`,
      );
      for (const e of r.failed.errors) console.log(`  org ${e.orgId}: ${e.error}`);
      return 0;
    }
    case 'compliance-refresh': {
      const s = await engine.refresh(db);
      console.log(`Compliance statuses as of ${s.asOf} (tracked ${s.trackedFrom.slice(0, 4)}–${s.throughYear}).`);
      return 0;
    }
    case 'compliance-recompute': {
      const started = performance.now();
      const s = await engine.recomputeAll(db);
      console.log(`Compliance recomputed as of ${s.asOf} in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
      return 0;
    }
    default:
      console.error(`unknown compliance command ${command}; one of ${COMPLIANCE_COMMANDS.join(', ')}`);
      return 2;
  }
}
