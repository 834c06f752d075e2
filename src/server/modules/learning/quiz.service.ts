/**
 * Question bank, papers and attempts. Questions belong to a publisher org; a paper is fixed (chosen questions) or
 * random (drawn from the publisher's bank by topic and count at the start of each attempt). Attempts are graded
 * on the server: while an attempt is open the member gets stems and options only — never the answers or the
 * explanations — and the review (correct answers, explanations) comes with the submission.
 */
import crypto from 'node:crypto';
import {
  type Attempt,
  type AttemptQuestion,
  type Paper,
  type PaperInput,
  type PaperMode,
  type QuestionInput,
  type QuestionType,
  type QuestionView,
  type ReviewQuestion,
  type SubmitInput,
  TRUE_FALSE_OPTIONS,
} from '../../../shared/learning.js';
import type { Executor } from '../../db/database.js';
import { conflict, notFound, validation } from '../../errors.js';
import * as points from './points.service.js';
import * as repo from './quiz.repository.js';

/** Seconds after the deadline a submission still counts (network and clock slack). */
export const SUBMIT_GRACE_SECONDS = 30;

const normTopics = (t: string[]) => [...new Set(t.map((x) => x.trim()).filter(Boolean))];

/** Checks a question's options and answer; returns the normalised options and answer. */
export function checkQuestion(
  type: QuestionType,
  options: string[] | undefined,
  answer: number[],
  field = (f: string) => f,
): { options: string[]; answer: number[] } {
  const opts = type === 'true_false' ? [...TRUE_FALSE_OPTIONS] : (options ?? []).map((o) => o.trim());
  if (type !== 'true_false') {
    if (opts.length < 2) throw validation(field('options'), 'needs at least 2 options');
    if (new Set(opts).size !== opts.length) throw validation(field('options'), 'has the same option twice');
  }
  const ans = [...new Set(answer)].sort((a, b) => a - b);
  if (ans.some((i) => i >= opts.length)) throw validation(field('answer'), 'names an option that does not exist');
  if (type !== 'multiple' && ans.length !== 1) throw validation(field('answer'), 'must name exactly one option');
  if (type === 'multiple' && ans.length < 2) {
    throw validation(field('answer'), 'a multiple-choice question needs at least 2 correct options');
  }
  return { options: opts, answer: ans };
}

export async function createQuestion(trx: Executor, input: QuestionInput, actor: string, now: Date): Promise<number> {
  const { options, answer } = checkQuestion(input.type, input.options, input.answer);
  const at = now.toISOString();
  return repo.insertQuestion(
    trx,
    {
      org_id: input.orgId,
      type: input.type,
      stem: input.stem,
      options: JSON.stringify(options),
      answer: JSON.stringify(answer),
      explanation: input.explanation,
      created_by: actor,
      created_at: at,
      updated_at: at,
    },
    normTopics(input.topics),
  );
}

export async function updateQuestion(
  trx: Executor,
  id: number,
  input: Omit<QuestionInput, 'orgId'>,
  now: Date,
): Promise<void> {
  const { options, answer } = checkQuestion(input.type, input.options, input.answer);
  await repo.updateQuestion(
    trx,
    id,
    {
      type: input.type,
      stem: input.stem,
      options: JSON.stringify(options),
      answer: JSON.stringify(answer),
      explanation: input.explanation,
      updated_at: now.toISOString(),
    },
    normTopics(input.topics),
  );
}

export async function presentQuestions(db: Executor, rows: repo.QuestionRow[]): Promise<QuestionView[]> {
  const topics = await repo.questionTopics(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    orgId: r.org_id,
    type: r.type as QuestionType,
    stem: r.stem,
    options: JSON.parse(r.options) as string[],
    answer: JSON.parse(r.answer) as number[],
    explanation: r.explanation,
    topics: topics.get(r.id) ?? [],
    createdAt: r.created_at,
  }));
}

// ---- papers --------------------------------------------------------------------------------------------------

export async function createPaper(trx: Executor, input: PaperInput, actor: string, now: Date): Promise<number> {
  let questionIds: number[] = [];
  let count: number;
  if (input.mode === 'fixed') {
    questionIds = [...new Set(input.questionIds ?? [])];
    if (!questionIds.length) throw validation('questionIds', 'a fixed paper needs at least one question');
    const found = await repo.questionsById(trx, questionIds);
    for (const [i, id] of questionIds.entries()) {
      const q = found.get(id);
      if (!q || q.archived || q.org_id !== input.orgId) {
        throw validation(`questionIds.${i}`, `question ${id} is not in this organisation's bank`);
      }
    }
    count = questionIds.length;
  } else {
    if (!input.questionCount) throw validation('questionCount', 'is required for a random paper');
    const available = (await repo.bankIds(trx, input.orgId, input.topic ?? null)).length;
    if (available < input.questionCount) {
      throw validation(
        'questionCount',
        `the bank has only ${available} questions${input.topic ? ` on ${input.topic}` : ''}`,
      );
    }
    count = input.questionCount;
  }
  return repo.insertPaper(
    trx,
    {
      org_id: input.orgId,
      title: input.title,
      mode: input.mode,
      topic: input.mode === 'random' ? (input.topic ?? null) : null,
      question_count: count,
      time_limit_minutes: input.timeLimitMinutes,
      pass_mark: input.passMark,
      attempts_allowed: input.attemptsAllowed,
      created_by: actor,
      created_at: now.toISOString(),
    },
    questionIds,
  );
}

export function presentPaper(r: repo.PaperRow, mine?: { used: number; best: number | null; passed: boolean }): Paper {
  return {
    id: r.id,
    orgId: r.org_id,
    orgName: r.org_name,
    title: r.title,
    mode: r.mode as PaperMode,
    topic: r.topic,
    questionCount: r.question_count,
    timeLimitMinutes: r.time_limit_minutes,
    passMark: r.pass_mark,
    attemptsAllowed: r.attempts_allowed,
    createdAt: r.created_at,
    ...(mine !== undefined ? { myAttempts: { used: mine.used, bestScore: mine.best, passed: mine.passed } } : {}),
  };
}

// ---- attempts ------------------------------------------------------------------------------------------------

function sample<T>(xs: T[], n: number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, n);
}

const isOpen = (a: repo.AttemptRow, nowMs: number) =>
  a.submitted_at === null && (a.deadline === null || Date.parse(a.deadline) + SUBMIT_GRACE_SECONDS * 1000 >= nowMs);

/** Starts an attempt, or returns the member's open one. `created`: whether a new attempt was started. */
export async function start(
  trx: Executor,
  paper: repo.PaperRow,
  memberId: number,
  now: Date,
): Promise<{ id: number; created: boolean }> {
  const previous = await repo.attemptsOf(trx, memberId, paper.id);
  const open = previous.find((a) => isOpen(a, now.getTime()));
  if (open) return { id: open.id, created: false };
  if (paper.attempts_allowed !== null && previous.length >= paper.attempts_allowed) {
    throw conflict('no_attempts_left', `All ${paper.attempts_allowed} attempts of this paper are used`);
  }
  let ids: number[];
  if (paper.mode === 'fixed') ids = await repo.paperQuestionIds(trx, paper.id);
  else {
    const bank = await repo.bankIds(trx, paper.org_id, paper.topic);
    if (bank.length < paper.question_count) {
      throw conflict('bank_too_small', `The bank has only ${bank.length} questions for this paper`);
    }
    ids = sample(bank, paper.question_count);
  }
  const deadline =
    paper.time_limit_minutes === null
      ? null
      : new Date(now.getTime() + paper.time_limit_minutes * 60_000).toISOString();
  const id = await repo.insertAttempt(trx, {
    paper_id: paper.id,
    member_id: memberId,
    question_ids: JSON.stringify(ids),
    answers: null,
    started_at: now.toISOString(),
    deadline,
    submitted_at: null,
    score: null,
    correct_count: null,
    passed: null,
  });
  return { id, created: true };
}

const sameSet = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export interface SubmitOutcome {
  passedFirstTime: boolean;
  score: number;
  passed: boolean;
  late: boolean;
}

export async function submit(
  trx: Executor,
  attempt: repo.AttemptRow,
  paper: repo.PaperRow,
  orgId: number,
  input: SubmitInput,
  now: Date,
): Promise<SubmitOutcome> {
  if (attempt.submitted_at !== null) throw conflict('already_submitted', 'This attempt was submitted already');
  const ids = JSON.parse(attempt.question_ids) as number[];
  const questions = await repo.questionsById(trx, ids);
  const given = new Map<number, number[]>();
  for (const [i, a] of input.answers.entries()) {
    if (!ids.includes(a.questionId)) throw validation(`answers.${i}.questionId`, 'is not a question of this attempt');
    given.set(
      a.questionId,
      [...new Set(a.answer)].sort((x, y) => x - y),
    );
  }
  let correct = 0;
  for (const id of ids) {
    const q = questions.get(id);
    if (q && sameSet(given.get(id) ?? [], JSON.parse(q.answer) as number[])) correct++;
  }
  const score = ids.length ? Math.round((correct / ids.length) * 100) : 0;
  const late = attempt.deadline !== null && now.getTime() > Date.parse(attempt.deadline) + SUBMIT_GRACE_SECONDS * 1000;
  const passed = !late && score >= paper.pass_mark;
  const passedBefore = (await repo.attemptsOf(trx, attempt.member_id, paper.id)).some((a) => a.passed === 1);
  const ok = await repo.submitAttempt(trx, attempt.id, {
    answers: JSON.stringify(Object.fromEntries(given)),
    submitted_at: now.toISOString(),
    score,
    correct_count: correct,
    passed: passed ? 1 : 0,
  });
  if (!ok) throw conflict('already_submitted', 'This attempt was submitted already');
  if (passed && !passedBefore) {
    await points.award(trx, attempt.member_id, orgId, 'quiz_pass', 1, `paper:${paper.id}`, now, { once: true });
  }
  return { passedFirstTime: passed && !passedBefore, score, passed, late };
}

/** An attempt as its member sees it: questions without answers while open; the review once submitted. */
export async function presentAttempt(db: Executor, a: repo.AttemptRow, paper: repo.PaperRow): Promise<Attempt> {
  const ids = JSON.parse(a.question_ids) as number[];
  const questions = await repo.questionsById(db, ids);
  const shown: AttemptQuestion[] = ids.flatMap((id) => {
    const q = questions.get(id);
    return q ? [{ id, type: q.type as QuestionType, stem: q.stem, options: JSON.parse(q.options) as string[] }] : [];
  });
  const submitted = a.submitted_at !== null;
  let review: ReviewQuestion[] | null = null;
  if (submitted) {
    const given = JSON.parse(a.answers ?? '{}') as Record<string, number[]>;
    review = shown.map((s) => {
      const q = questions.get(s.id)!;
      const correctAnswer = JSON.parse(q.answer) as number[];
      const yourAnswer = given[String(s.id)] ?? [];
      return {
        ...s,
        yourAnswer,
        correctAnswer,
        correct: sameSet(yourAnswer, correctAnswer),
        explanation: q.explanation,
      };
    });
  }
  return {
    id: a.id,
    paperId: paper.id,
    paperTitle: paper.title,
    startedAt: a.started_at,
    deadline: a.deadline,
    status: submitted ? 'submitted' : 'open',
    questions: shown,
    submittedAt: a.submitted_at,
    score: a.score,
    passed: a.passed === null ? null : a.passed === 1,
    correctCount: a.correct_count,
    passMark: paper.pass_mark,
    review,
  };
}

export async function findPaperOr404(db: Executor, id: number) {
  const p = await repo.findPaper(db, id);
  if (!p) throw notFound('paper');
  return p;
}
