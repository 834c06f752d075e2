/**
 * Compliance engine additions:
 * - `behind` on result rows: 1 when a rule period or aggregate is missed or held without quorum; for the pseudo-type
 *   `overall`, how many types are behind. The list of those behind is read worst first without re-counting types.
 * - compliance_meeting_quorum: per submitted meeting with attendance, whether each quorum rule is met, as the
 *   meetings module's quorum.ts computes it (the one definition). The set-based statements join it; the engine
 *   rewrites an org's rows whenever its meetings (or roster) change. Only meetings meeting at least one rule have
 *   a row: no row means no quorum.
 */
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('compliance_results')
    .addColumn('behind', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('compliance_results_behind_idx')
    .on('compliance_results')
    .columns(['period', 'type', 'behind'])
    .execute();
  await db.schema
    .createTable('compliance_meeting_quorum')
    .addColumn('meeting_id', 'integer', (c) => c.primaryKey().references('meetings.id').onDelete('cascade'))
    .addColumn('org_id', 'integer', (c) => c.notNull())
    .addColumn('local_date', 'text', (c) => c.notNull())
    .addColumn('full_members', 'integer', (c) => c.notNull())
    .addColumn('members', 'integer', (c) => c.notNull())
    .addColumn('committee', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('compliance_meeting_quorum_org_idx')
    .on('compliance_meeting_quorum')
    .columns(['org_id', 'local_date'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('compliance_meeting_quorum').execute();
  await db.schema.dropIndex('compliance_results_behind_idx').execute();
  await db.schema.alterTable('compliance_results').dropColumn('behind').execute();
}
