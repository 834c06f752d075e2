/**
 * Members (党员) with SM4-encrypted ID and phone numbers and blind indexes, party posts (with full-time /
 * part-time for party-affairs cadres), authorised posts (编制) per organisation, training hours, change
 * history, and transfers of organisational relationship (组织关系转接).
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

const MEMBER_COLUMNS: [string, 'text' | 'integer', string | number | null][] = [
  ['ethnicity', 'text', null],
  ['birth_date', 'text', null],
  ['id_enc', 'text', null],
  ['id_index', 'text', null],
  ['id_masked', 'text', null],
  ['phone_enc', 'text', null],
  ['phone_index', 'text', null],
  ['phone_masked', 'text', null],
  ['education', 'text', null],
  ['unit', 'text', null],
  ['title', 'text', null],
  ['category', 'text', 'full'],
  ['joined_at', 'text', null],
  ['full_at', 'text', null],
  ['name_initials', 'text', null],
  ['left_at', 'text', null],
];

export async function up(db: AnyDb): Promise<void> {
  const id = idColumn(db);
  // SQLite adds one column per statement.
  for (const [name, type, def] of MEMBER_COLUMNS) {
    await db.schema
      .alterTable('members')
      .addColumn(name, type, (c) => (def === null ? c : c.notNull().defaultTo(def)))
      .execute();
  }
  await db.schema.createIndex('members_id_index_uq').on('members').column('id_index').unique().execute();
  await db.schema.createIndex('members_phone_index_idx').on('members').column('phone_index').execute();
  await db.schema.createIndex('members_org_name_idx').on('members').columns(['org_id', 'name']).execute();
  await db.schema.createIndex('members_name_idx').on('members').column('name').execute();
  await db.schema.createIndex('members_initials_idx').on('members').column('name_initials').execute();

  await db.schema
    .createTable('party_posts')
    .$call(id)
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('post', 'text', (c) => c.notNull())
    .addColumn('full_time', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('party_posts_member_idx').on('party_posts').column('member_id').execute();
  await db.schema.createIndex('party_posts_org_idx').on('party_posts').columns(['org_id', 'ended_at']).execute();

  await db.schema
    .createTable('org_staffing')
    .addColumn('org_id', 'integer', (c) => c.primaryKey().references('orgs.id').onDelete('cascade'))
    .addColumn('authorised_full_time', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('training_hours')
    .$call(id)
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('minutes', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('occurred_on', 'text', (c) => c.notNull())
    .addColumn('ref', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text')
    .execute();
  await db.schema
    .createIndex('training_hours_member_year_idx')
    .on('training_hours')
    .columns(['member_id', 'year'])
    .execute();

  await db.schema
    .createTable('member_history')
    .$call(id)
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('changes', 'text')
    .execute();
  await db.schema.createIndex('member_history_member_idx').on('member_history').columns(['member_id', 'at']).execute();

  await db.schema
    .createTable('transfers')
    .$call(id)
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('to_org_id', 'integer', (c) => c.references('orgs.id'))
    .addColumn('external_org_name', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('return_reason', 'text')
    .addColumn('letter_no', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .execute();
  await db.schema.createIndex('transfers_from_idx').on('transfers').columns(['from_org_id', 'status']).execute();
  await db.schema.createIndex('transfers_to_idx').on('transfers').columns(['to_org_id', 'status']).execute();
  await db.schema.createIndex('transfers_member_idx').on('transfers').column('member_id').execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const t of ['transfers', 'member_history', 'training_hours', 'org_staffing', 'party_posts']) {
    await db.schema.dropTable(t).execute();
  }
  for (const i of [
    'members_id_index_uq',
    'members_phone_index_idx',
    'members_org_name_idx',
    'members_name_idx',
    'members_initials_idx',
  ]) {
    await db.schema.dropIndex(i).execute();
  }
  for (const [name] of [...MEMBER_COLUMNS].reverse()) await db.schema.alterTable('members').dropColumn(name).execute();
}
