/** All SQL of the question bank, papers and attempts. */
import type { ExpressionBuilder, Insertable, Selectable } from 'kysely';
import type {
  DB,
  Executor,
  LearningAttemptTable,
  LearningPaperTable,
  LearningQuestionTable,
} from '../../db/database.js';
import { type OrgScope, scopedOrgIds } from '../orgs/orgs.repository.js';
import type { Viewer } from './content.repository.js';

export type QuestionRow = Selectable<LearningQuestionTable>;
export type PaperRow = Selectable<LearningPaperTable> & { org_name: string };
export type AttemptRow = Selectable<LearningAttemptTable>;

const none = [-1];

// ---- questions -----------------------------------------------------------------------------------------------

export async function insertQuestion(db: Executor, row: Insertable<LearningQuestionTable>, topics: string[]) {
  const r = await db.insertInto('learning_questions').values(row).returning('id').executeTakeFirstOrThrow();
  if (topics.length) {
    await db
      .insertInto('learning_question_topics')
      .values(topics.map((topic) => ({ question_id: r.id, topic })))
      .execute();
  }
  return r.id;
}

export async function updateQuestion(
  db: Executor,
  id: number,
  patch: Partial<Insertable<LearningQuestionTable>>,
  topics: string[],
) {
  await db.updateTable('learning_questions').set(patch).where('id', '=', id).execute();
  await db.deleteFrom('learning_question_topics').where('question_id', '=', id).execute();
  if (topics.length) {
    await db
      .insertInto('learning_question_topics')
      .values(topics.map((topic) => ({ question_id: id, topic })))
      .execute();
  }
}

export async function archiveQuestion(db: Executor, id: number) {
  await db.updateTable('learning_questions').set({ archived: 1 }).where('id', '=', id).execute();
}

export async function findQuestion(db: Executor, id: number) {
  return db
    .selectFrom('learning_questions')
    .selectAll()
    .where('id', '=', id)
    .where('archived', '=', 0)
    .executeTakeFirst();
}

export async function questionsById(db: Executor, ids: number[]): Promise<Map<number, QuestionRow>> {
  const out = new Map<number, QuestionRow>();
  if (!ids.length) return out;
  const rows = await db.selectFrom('learning_questions').selectAll().where('id', 'in', ids).execute();
  for (const r of rows) out.set(r.id, r);
  return out;
}

export async function questionTopics(db: Executor, ids: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (!ids.length) return out;
  const rows = await db
    .selectFrom('learning_question_topics')
    .select(['question_id', 'topic'])
    .where('question_id', 'in', ids)
    .orderBy('topic')
    .execute();
  for (const r of rows) out.set(r.question_id, [...(out.get(r.question_id) ?? []), r.topic]);
  return out;
}

export interface QuestionFilter {
  scope: OrgScope;
  topic?: string;
  q?: string;
  type?: string;
}

export async function listQuestions(db: Executor, f: QuestionFilter, offset: number, limit: number) {
  let q = db
    .selectFrom('learning_questions')
    .selectAll()
    .where('archived', '=', 0)
    .where('org_id', 'in', scopedOrgIds(db, f.scope));
  if (f.type) q = q.where('type', '=', f.type);
  if (f.q) q = q.where('stem', 'like', `%${f.q.replace(/[%_\\]/g, '')}%`);
  if (f.topic) {
    const topic = f.topic;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('learning_question_topics as t')
          .select('t.question_id')
          .whereRef('t.question_id', '=', 'learning_questions.id')
          .where('t.topic', '=', topic),
      ),
    );
  }
  const total = await db
    .selectFrom(q.as('x'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await q.orderBy('id').offset(offset).limit(limit).execute();
  return { total: Number(total.n), rows };
}

/** Ids of the bank questions of an org, optionally of one topic. */
export async function bankIds(db: Executor, orgId: number, topic: string | null): Promise<number[]> {
  let q = db.selectFrom('learning_questions').select('id').where('org_id', '=', orgId).where('archived', '=', 0);
  if (topic) {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('learning_question_topics as t')
          .select('t.question_id')
          .whereRef('t.question_id', '=', 'learning_questions.id')
          .where('t.topic', '=', topic),
      ),
    );
  }
  return (await q.orderBy('id').execute()).map((r) => r.id);
}

// ---- papers --------------------------------------------------------------------------------------------------

/** Papers are visible like content of visibility `subtree`: to the publisher org's subtree (and its managers). */
export function paperVisibleTo(db: Executor, v: Viewer) {
  const roots = v.readRoots.length ? v.readRoots : none;
  return (eb: ExpressionBuilder<DB, 'learning_papers'>) => {
    const read = eb.or([
      eb.exists(
        eb
          .selectFrom('org_closure as oc')
          .select('oc.ancestor_id')
          .whereRef('oc.ancestor_id', '=', 'learning_papers.org_id')
          .where('oc.descendant_id', 'in', roots),
      ),
      eb.exists(
        eb
          .selectFrom('org_closure as oc')
          .select('oc.ancestor_id')
          .whereRef('oc.descendant_id', '=', 'learning_papers.org_id')
          .where('oc.ancestor_id', 'in', roots),
      ),
    ]);
    if (!v.manageScope) return read;
    return eb.or([read, eb('learning_papers.org_id', 'in', scopedOrgIds(db, v.manageScope))]);
  };
}

function papersWithOrg(db: Executor) {
  return db
    .selectFrom('learning_papers')
    .innerJoin('orgs', 'orgs.id', 'learning_papers.org_id')
    .selectAll('learning_papers')
    .select('orgs.name as org_name')
    .where('learning_papers.archived', '=', 0);
}

export async function insertPaper(db: Executor, row: Insertable<LearningPaperTable>, questionIds: number[]) {
  const r = await db.insertInto('learning_papers').values(row).returning('id').executeTakeFirstOrThrow();
  if (questionIds.length) {
    await db
      .insertInto('learning_paper_questions')
      .values(questionIds.map((question_id, position) => ({ paper_id: r.id, position, question_id })))
      .execute();
  }
  return r.id;
}

export async function findPaper(db: Executor, id: number): Promise<PaperRow | undefined> {
  return papersWithOrg(db).where('learning_papers.id', '=', id).executeTakeFirst();
}

export async function findVisiblePaper(db: Executor, id: number, v: Viewer): Promise<PaperRow | undefined> {
  return papersWithOrg(db).where('learning_papers.id', '=', id).where(paperVisibleTo(db, v)).executeTakeFirst();
}

export async function listPapers(db: Executor, v: Viewer, org: OrgScope | undefined) {
  let q = papersWithOrg(db).where(paperVisibleTo(db, v));
  if (org) q = q.where('learning_papers.org_id', 'in', scopedOrgIds(db, org));
  return q.orderBy('learning_papers.id', 'desc').limit(500).execute();
}

export async function archivePaper(db: Executor, id: number) {
  await db.updateTable('learning_papers').set({ archived: 1 }).where('id', '=', id).execute();
}

export async function paperQuestionIds(db: Executor, paperId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('learning_paper_questions')
    .select('question_id')
    .where('paper_id', '=', paperId)
    .orderBy('position')
    .execute();
  return rows.map((r) => r.question_id);
}

// ---- attempts ------------------------------------------------------------------------------------------------

export async function insertAttempt(db: Executor, row: Insertable<LearningAttemptTable>): Promise<number> {
  const r = await db.insertInto('learning_attempts').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function findAttempt(db: Executor, id: number) {
  return db.selectFrom('learning_attempts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function attemptsOf(db: Executor, memberId: number, paperId: number) {
  return db
    .selectFrom('learning_attempts')
    .selectAll()
    .where('member_id', '=', memberId)
    .where('paper_id', '=', paperId)
    .orderBy('id')
    .execute();
}

export async function attemptStats(db: Executor, memberId: number, paperIds: number[]) {
  const out = new Map<number, { used: number; best: number | null; passed: boolean }>();
  if (!paperIds.length) return out;
  const rows = await db
    .selectFrom('learning_attempts')
    .select([
      'paper_id',
      (eb) => eb.fn.countAll<number>().as('used'),
      (eb) => eb.fn.max('score').as('best'),
      (eb) => eb.fn.max('passed').as('passed'),
    ])
    .where('member_id', '=', memberId)
    .where('paper_id', 'in', paperIds)
    .groupBy('paper_id')
    .execute();
  for (const r of rows) {
    out.set(r.paper_id, {
      used: Number(r.used),
      best: r.best === null ? null : Number(r.best),
      passed: Number(r.passed ?? 0) === 1,
    });
  }
  return out;
}

/** Marks an open attempt submitted (only if still open: returns whether it was). */
export async function submitAttempt(
  db: Executor,
  id: number,
  v: { answers: string; submitted_at: string; score: number; correct_count: number; passed: number },
): Promise<boolean> {
  const r = await db
    .updateTable('learning_attempts')
    .set(v)
    .where('id', '=', id)
    .where('submitted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
