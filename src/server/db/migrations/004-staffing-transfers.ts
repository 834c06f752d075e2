/**
 * Staffing and transfers (issue 3): the introduction letter's 党费交到 month and validity on transfers, and two
 * partial unique indexes that hold the rules under concurrent requests: one active 书记 per organisation, one
 * pending transfer per member.
 */
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('transfers').addColumn('dues_paid_until', 'text').execute();
  await db.schema.alterTable('transfers').addColumn('valid_days', 'integer').execute();
  await db.schema
    .createIndex('party_posts_one_secretary_uq')
    .on('party_posts')
    .column('org_id')
    .unique()
    .where(sql<boolean>`post = 'secretary' and ended_at is null`)
    .execute();
  await db.schema
    .createIndex('transfers_one_pending_uq')
    .on('transfers')
    .column('member_id')
    .unique()
    .where(sql<boolean>`status = 'pending'`)
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('transfers_one_pending_uq').execute();
  await db.schema.dropIndex('party_posts_one_secretary_uq').execute();
  await db.schema.alterTable('transfers').dropColumn('valid_days').execute();
  await db.schema.alterTable('transfers').dropColumn('dues_paid_until').execute();
}
