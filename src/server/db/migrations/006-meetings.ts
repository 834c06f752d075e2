/**
 * 组织生活: meetings (plans and records, one sitting may count as several types), attendance, resolutions,
 * 民主评议 grades, attachments, versions of corrections; the compliance engine's rules, exemptions, per-org
 * results and per-subtree rollups (kept incrementally), reminders and webhook targets.
 */
import type { CreateTableBuilder, Kysely } from 'kysely';
import { isPostgres } from '../dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current table types
type AnyDb = Kysely<any>;

function idColumn(db: AnyDb) {
  return <T extends string>(b: CreateTableBuilder<T>) =>
    isPostgres(db)
      ? b.addColumn('id', 'serial', (c) => c.primaryKey())
      : b.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

export async function up(db: AnyDb): Promise<void> {
  const id = idColumn(db);
  await db.schema
    .createTable('meetings')
    .$call(id)
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    /** planned (on the calendar), draft (being recorded), submitted (locked; corrections are versioned) */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    /** Asia/Shanghai calendar date of starts_at: the day that decides the period */
    .addColumn('local_date', 'text', (c) => c.notNull())
    .addColumn('location', 'text')
    .addColumn('host_id', 'integer', (c) => c.references('members.id'))
    .addColumn('recorder_id', 'integer', (c) => c.references('members.id'))
    .addColumn('guests', 'text')
    .addColumn('minutes', 'text')
    .addColumn('minutes_length', 'integer', (c) => c.notNull().defaultTo(0))
    /** SM3 of the normalised minutes text: finds minutes copied from another record */
    .addColumn('minutes_hash', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('submitted_at', 'text')
    .addColumn('submitted_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('meetings_org_date_idx').on('meetings').columns(['org_id', 'local_date']).execute();
  await db.schema.createIndex('meetings_hash_idx').on('meetings').column('minutes_hash').execute();

  await db.schema
    .createTable('meeting_types')
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('org_id', 'integer', (c) => c.notNull())
    .addColumn('local_date', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('meeting_types_pk', ['meeting_id', 'type'])
    .execute();
  await db.schema
    .createIndex('meeting_types_org_type_date_idx')
    .on('meeting_types')
    .columns(['org_id', 'type', 'local_date'])
    .execute();

  await db.schema
    .createTable('meeting_attendees')
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('signed_in_at', 'text')
    .addColumn('via', 'text')
    .addPrimaryKeyConstraint('meeting_attendees_pk', ['meeting_id', 'member_id'])
    .execute();
  await db.schema.createIndex('meeting_attendees_member_idx').on('meeting_attendees').column('member_id').execute();

  await db.schema
    .createTable('meeting_resolutions')
    .$call(id)
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('votes_for', 'integer')
    .addColumn('votes_against', 'integer')
    .addColumn('abstentions', 'integer')
    .addColumn('passed', 'integer')
    .execute();
  await db.schema
    .createIndex('meeting_resolutions_meeting_idx')
    .on('meeting_resolutions')
    .column('meeting_id')
    .execute();

  await db.schema
    .createTable('meeting_reviews')
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id'))
    .addColumn('grade', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('meeting_reviews_pk', ['meeting_id', 'member_id'])
    .execute();

  await db.schema
    .createTable('meeting_attachments')
    .$call(id)
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('storage_name', 'text', (c) => c.notNull())
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('meeting_attachments_meeting_idx')
    .on('meeting_attachments')
    .column('meeting_id')
    .execute();

  await db.schema
    .createTable('meeting_versions')
    .$call(id)
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('corrected_by', 'text', (c) => c.notNull())
    .addColumn('corrected_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('meeting_versions_meeting_idx')
    .on('meeting_versions')
    .columns(['meeting_id', 'version'])
    .execute();

  // ---- the compliance engine ----
  await db.schema
    .createTable('compliance_rules')
    .$call(id)
    /** null: the platform default; otherwise an override for this org's subtree (nearest ancestor wins) */
    .addColumn('scope_org_id', 'integer', (c) => c.references('orgs.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('frequency', 'text', (c) => c.notNull())
    .addColumn('times', 'integer', (c) => c.notNull())
    .addColumn('quorum', 'text', (c) => c.notNull())
    .addColumn('applies_to', 'text', (c) => c.notNull())
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('effective_to', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('compliance_rules_scope_idx')
    .on('compliance_rules')
    .columns(['scope_org_id', 'type'])
    .execute();

  await db.schema
    .createTable('compliance_exemptions')
    .$call(id)
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    /** pending, approved, rejected: approved by the level above */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .execute();
  await db.schema
    .createIndex('compliance_exemptions_org_idx')
    .on('compliance_exemptions')
    .columns(['org_id', 'type', 'period'])
    .execute();

  /** One row per organisation × type × rule period: the maintained result. */
  await db.schema
    .createTable('compliance_results')
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('held', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('held_with_quorum', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('compliance_results_pk', ['org_id', 'type', 'period'])
    .execute();
  await db.schema
    .createIndex('compliance_results_period_idx')
    .on('compliance_results')
    .columns(['period', 'type', 'status'])
    .execute();

  /** Per ancestor × type × period counters of its subtree's results, kept in step with compliance_results. */
  await db.schema
    .createTable('compliance_rollups')
    .addColumn('ancestor_id', 'integer', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('met', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('missed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pending', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('exempt', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('no_quorum', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('compliance_rollups_pk', ['ancestor_id', 'type', 'period'])
    .execute();

  await db.schema
    .createTable('reminders')
    .$call(id)
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    /** due_soon (before the deadline) or missed (after it) */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .addColumn('delivered_at', 'text')
    .addColumn('delivery_error', 'text')
    .execute();
  await db.schema.createIndex('reminders_org_idx').on('reminders').columns(['org_id', 'done_at']).execute();
  await db.schema
    .createIndex('reminders_unique_idx')
    .on('reminders')
    .columns(['org_id', 'type', 'period', 'kind'])
    .unique()
    .execute();

  await db.schema
    .createTable('org_webhooks')
    .addColumn('org_id', 'integer', (c) => c.primaryKey().references('orgs.id').onDelete('cascade'))
    /** wecom (企业微信) or dingtalk (钉钉) group robot */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const t of [
    'org_webhooks',
    'reminders',
    'compliance_rollups',
    'compliance_results',
    'compliance_exemptions',
    'compliance_rules',
    'meeting_versions',
    'meeting_attachments',
    'meeting_reviews',
    'meeting_resolutions',
    'meeting_attendees',
    'meeting_types',
    'meetings',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
