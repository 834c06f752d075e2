/**
 * 互联网+党建学习 (issue 5): content items with their topics and visible subtrees, per-member progress built from
 * heartbeats, learning plans (subtree / party posts / named members), the question bank, papers and graded
 * attempts, the points ledger with per-subtree rule overrides, and per-org ranking switches. Completed study also
 * writes the existing training_hours ledger (source `study`).
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
    .createTable('learning_content')
    .$call(id)
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    /** lower-cased title + summary: the library search */
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    /** article: sanitised HTML */
    .addColumn('body', 'text')
    /** media: seconds */
    .addColumn('duration', 'integer')
    /** seconds of playing (90 % of duration) or reading needed to complete */
    .addColumn('required_seconds', 'integer', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('media_name', 'text')
    .addColumn('media_mime', 'text')
    .addColumn('media_size', 'integer')
    .addColumn('cover_name', 'text')
    .addColumn('cover_mime', 'text')
    .addColumn('review_note', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('published_by', 'text')
    .execute();
  await db.schema.createIndex('learning_content_status_idx').on('learning_content').columns(['status', 'id']).execute();
  await db.schema.createIndex('learning_content_org_idx').on('learning_content').column('org_id').execute();

  await db.schema
    .createTable('learning_content_topics')
    .addColumn('content_id', 'integer', (c) => c.notNull().references('learning_content.id').onDelete('cascade'))
    .addColumn('topic', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('learning_content_topics_pk', ['content_id', 'topic'])
    .execute();
  await db.schema
    .createIndex('learning_content_topics_topic_idx')
    .on('learning_content_topics')
    .column('topic')
    .execute();

  /** The subtrees an item is visible in (visibility `subtree`: the publisher org itself). */
  await db.schema
    .createTable('learning_content_orgs')
    .addColumn('content_id', 'integer', (c) => c.notNull().references('learning_content.id').onDelete('cascade'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('learning_content_orgs_pk', ['content_id', 'org_id'])
    .execute();
  await db.schema.createIndex('learning_content_orgs_org_idx').on('learning_content_orgs').column('org_id').execute();

  await db.schema
    .createTable('learning_progress')
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('content_id', 'integer', (c) => c.notNull().references('learning_content.id').onDelete('cascade'))
    .addColumn('position', 'double precision', (c) => c.notNull().defaultTo(0))
    /** union of the intervals actually played, JSON [[from, to], …] (seconds) */
    .addColumn('watched', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('played_seconds', 'double precision', (c) => c.notNull().defaultTo(0))
    /** server receive time of the last heartbeat, epoch ms */
    .addColumn('last_beat_at', 'double precision', (c) => c.notNull())
    /** study-time seconds already turned into points */
    .addColumn('pointed_seconds', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .addPrimaryKeyConstraint('learning_progress_pk', ['member_id', 'content_id'])
    .execute();
  await db.schema
    .createIndex('learning_progress_content_idx')
    .on('learning_progress')
    .columns(['content_id', 'completed_at'])
    .execute();

  await db.schema
    .createTable('learning_plans')
    .$call(id)
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('due_on', 'text', (c) => c.notNull())
    /** subtree, posts, members */
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('target_org_id', 'integer', (c) => c.references('orgs.id'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('learning_plans_org_idx').on('learning_plans').column('org_id').execute();
  await db.schema.createIndex('learning_plans_target_idx').on('learning_plans').column('target_org_id').execute();

  await db.schema
    .createTable('learning_plan_items')
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('learning_plans.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('content_id', 'integer', (c) => c.references('learning_content.id'))
    .addColumn('paper_id', 'integer')
    .addPrimaryKeyConstraint('learning_plan_items_pk', ['plan_id', 'position'])
    .execute();
  await db.schema
    .createTable('learning_plan_posts')
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('learning_plans.id').onDelete('cascade'))
    .addColumn('post', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('learning_plan_posts_pk', ['plan_id', 'post'])
    .execute();
  await db.schema
    .createTable('learning_plan_members')
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('learning_plans.id').onDelete('cascade'))
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('learning_plan_members_pk', ['plan_id', 'member_id'])
    .execute();
  await db.schema
    .createIndex('learning_plan_members_member_idx')
    .on('learning_plan_members')
    .column('member_id')
    .execute();

  await db.schema
    .createTable('learning_questions')
    .$call(id)
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('stem', 'text', (c) => c.notNull())
    /** JSON array of option texts */
    .addColumn('options', 'text', (c) => c.notNull())
    /** JSON array of option indexes */
    .addColumn('answer', 'text', (c) => c.notNull())
    .addColumn('explanation', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('learning_questions_org_idx')
    .on('learning_questions')
    .columns(['org_id', 'archived'])
    .execute();
  await db.schema
    .createTable('learning_question_topics')
    .addColumn('question_id', 'integer', (c) => c.notNull().references('learning_questions.id').onDelete('cascade'))
    .addColumn('topic', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('learning_question_topics_pk', ['question_id', 'topic'])
    .execute();
  await db.schema
    .createIndex('learning_question_topics_topic_idx')
    .on('learning_question_topics')
    .column('topic')
    .execute();

  await db.schema
    .createTable('learning_papers')
    .$call(id)
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('topic', 'text')
    .addColumn('question_count', 'integer', (c) => c.notNull())
    .addColumn('time_limit_minutes', 'integer')
    .addColumn('pass_mark', 'integer', (c) => c.notNull())
    .addColumn('attempts_allowed', 'integer')
    .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('learning_papers_org_idx').on('learning_papers').column('org_id').execute();
  await db.schema
    .createTable('learning_paper_questions')
    .addColumn('paper_id', 'integer', (c) => c.notNull().references('learning_papers.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('question_id', 'integer', (c) => c.notNull().references('learning_questions.id'))
    .addPrimaryKeyConstraint('learning_paper_questions_pk', ['paper_id', 'position'])
    .execute();

  await db.schema
    .createTable('learning_attempts')
    .$call(id)
    .addColumn('paper_id', 'integer', (c) => c.notNull().references('learning_papers.id'))
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id').onDelete('cascade'))
    /** JSON array of question ids, in the order shown */
    .addColumn('question_ids', 'text', (c) => c.notNull())
    /** JSON {questionId: [indexes]} once submitted */
    .addColumn('answers', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('deadline', 'text')
    .addColumn('submitted_at', 'text')
    .addColumn('score', 'integer')
    .addColumn('correct_count', 'integer')
    .addColumn('passed', 'integer')
    .execute();
  await db.schema
    .createIndex('learning_attempts_member_idx')
    .on('learning_attempts')
    .columns(['member_id', 'paper_id'])
    .execute();
  await db.schema.createIndex('learning_attempts_paper_idx').on('learning_attempts').column('paper_id').execute();

  await db.schema
    .createTable('learning_points')
    .$call(id)
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull())
    /** Asia/Shanghai date */
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('ref', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('learning_points_member_day_idx')
    .on('learning_points')
    .columns(['member_id', 'day', 'rule'])
    .execute();
  await db.schema
    .createIndex('learning_points_year_idx')
    .on('learning_points')
    .columns(['year', 'member_id'])
    .execute();

  /** Overrides of the default point rules for an org's subtree (the nearest ancestor wins). */
  await db.schema
    .createTable('learning_point_rules')
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('daily_cap', 'integer', (c) => c.notNull())
    .addColumn('unit_minutes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('learning_point_rules_pk', ['org_id', 'rule'])
    .execute();

  /** Personal rankings: off unless an org turns them on for its subtree (nearest setting wins). */
  await db.schema
    .createTable('learning_org_settings')
    .addColumn('org_id', 'integer', (c) => c.primaryKey().references('orgs.id').onDelete('cascade'))
    .addColumn('rankings_enabled', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const t of [
    'learning_org_settings',
    'learning_point_rules',
    'learning_points',
    'learning_attempts',
    'learning_paper_questions',
    'learning_papers',
    'learning_question_topics',
    'learning_questions',
    'learning_plan_members',
    'learning_plan_posts',
    'learning_plan_items',
    'learning_plans',
    'learning_progress',
    'learning_content_orgs',
    'learning_content_topics',
    'learning_content',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
