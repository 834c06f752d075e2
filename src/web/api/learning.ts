/**
 * 学习 (`/api/learning`): content library, media progress, plans, question bank, papers, points.
 * The shapes are the server's (src/shared/learning.ts).
 */
import type {
  Attempt,
  ContentDetail,
  ContentItem,
  ContentKind,
  ContentStatus,
  LearningHome,
  OrgPointsRow,
  Paper,
  PaperInput,
  Plan,
  PlanCreateInput,
  PlanProgress,
  PointRuleConfig,
  PointsSummary,
  ProgressResult,
  QuestionImportResult,
  QuestionInput,
  QuestionType,
  QuestionView,
  SubmitInput,
} from '../../shared/learning';
import { api, type DownloadedFile, downloadFile, type UploadOptions, uploadForm } from './client';
import type { Id } from './types';

export type * from '../../shared/learning';
export {
  CONTENT_KINDS,
  CONTENT_STATUSES,
  isMediaKind,
  PAPER_MODES,
  PLAN_TARGETS,
  POINT_RULES,
  QUESTION_TYPES,
  SUGGESTED_TOPICS,
  TRUE_FALSE_OPTIONS,
} from '../../shared/learning';

export const LEARNING_KEY = ['learning'] as const;

export interface Page<T> {
  items: T[];
  total: number;
}

export interface ContentQuery {
  q?: string;
  topic?: string;
  kind?: ContentKind;
  status?: ContentStatus;
  org?: Id;
  page?: number;
  pageSize?: number;
}

export function mediaUrl(item: { id: Id; mediaUrl?: string | null }): string {
  return item.mediaUrl ?? `/api/learning/content/${item.id}/media`;
}

export function fetchContents(query: ContentQuery): Promise<Page<ContentItem>> {
  return api.get('/api/learning/content', { ...query });
}

export function fetchContent(id: Id): Promise<ContentDetail> {
  return api.get<ContentDetail>(`/api/learning/content/${id}`);
}

export interface ContentFields {
  kind: ContentKind;
  title: string;
  summary?: string;
  orgId: Id;
  topics: string[];
  visibility: 'subtree' | 'orgs';
  visibleOrgIds?: Id[];
  duration?: number;
  body?: string;
}

/** Multipart: the fields (arrays as JSON text), then `file` (media) and `cover` when given. */
export function createContent(
  input: ContentFields,
  files: { file?: File | null; cover?: File | null },
  options: UploadOptions = {},
): Promise<ContentDetail> {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || value === null || value === '') continue;
    if (key === 'visibleOrgIds' && Array.isArray(value)) fields[key] = JSON.stringify(value.map(Number));
    else fields[key] = Array.isArray(value) ? JSON.stringify(value) : String(value);
  }
  return uploadForm<ContentDetail>('/api/learning/content', fields, files, options);
}

export type ContentAction = 'submit' | 'publish' | 'reject' | 'withdraw';

export function contentAction(id: Id, action: ContentAction, note?: string): Promise<ContentDetail> {
  return api.post<ContentDetail>(`/api/learning/content/${id}/${action}`, note ? { note } : {});
}

function progressBody(contentId: Id, position: number, duration: number) {
  return {
    contentId: Number(contentId),
    position: Math.max(0, Math.round(position * 10) / 10),
    duration: Math.max(0, Math.round(duration * 10) / 10),
  };
}

export function reportProgress(contentId: Id, position: number, duration: number): Promise<ProgressResult> {
  return api.post<ProgressResult>('/api/learning/progress', progressBody(contentId, position, duration));
}

/** A heartbeat that survives the page going away (visibilitychange / pagehide): fetch with keepalive. */
export function reportProgressKeepalive(contentId: Id, position: number, duration: number, csrf: string | null): void {
  void fetch('/api/learning/progress', {
    method: 'POST',
    keepalive: true,
    credentials: 'same-origin',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(csrf ? { 'x-csrf-token': csrf } : {}),
    },
    body: JSON.stringify(progressBody(contentId, position, duration)),
  }).catch(() => undefined);
}

// ---- the member's home ----

export function fetchLearningHome(): Promise<LearningHome> {
  return api.get<LearningHome>('/api/learning/home');
}

export function fetchMyPoints(): Promise<PointsSummary> {
  return api.get<PointsSummary>('/api/learning/points/me');
}

// ---- plans ----

export interface PlanListItem extends Plan {
  daysLeft: number;
  report: { orgId: number; assigned: number; completed: number; rate: number };
}

export function fetchPlans(query: { org?: Id }): Promise<{ items: PlanListItem[] }> {
  return api.get('/api/learning/plans', { ...query });
}

export function createPlan(input: PlanCreateInput): Promise<Plan> {
  return api.post<Plan>('/api/learning/plans', input);
}

export function fetchPlanProgress(id: Id, org?: Id): Promise<PlanProgress> {
  return api.get<PlanProgress>(`/api/learning/plans/${id}/progress`, { org });
}

export function downloadPlanProgress(id: Id, org?: Id): Promise<DownloadedFile> {
  return downloadFile(`/api/learning/plans/${id}/progress/export`, { org }, '学习计划完成情况.xlsx');
}

// ---- questions ----

export function fetchQuestions(query: {
  org?: Id;
  q?: string;
  topic?: string;
  type?: QuestionType;
  page?: number;
  pageSize?: number;
}): Promise<Page<QuestionView>> {
  return api.get('/api/learning/questions', { ...query });
}

export function createQuestion(input: QuestionInput): Promise<QuestionView> {
  return api.post<QuestionView>('/api/learning/questions', input);
}

export function downloadQuestionTemplate(): Promise<DownloadedFile> {
  return downloadFile('/api/learning/questions/template', undefined, '题库导入模板.xlsx');
}

export function importQuestions(
  file: File,
  orgId: Id,
  dryRun: boolean,
  options: UploadOptions = {},
): Promise<QuestionImportResult> {
  return uploadForm<QuestionImportResult>(
    '/api/learning/questions/import',
    {},
    { file },
    { ...options, query: { org: orgId, dryRun: dryRun ? 1 : undefined } },
  );
}

// ---- papers and attempts ----

export function fetchPapers(query: { org?: Id }): Promise<{ items: Paper[] }> {
  return api.get('/api/learning/papers', { ...query });
}

export function fetchPaper(id: Id): Promise<Paper> {
  return api.get<Paper>(`/api/learning/papers/${id}`);
}

export function createPaper(input: PaperInput): Promise<Paper> {
  return api.post<Paper>('/api/learning/papers', input);
}

export function startAttempt(paperId: Id): Promise<Attempt> {
  return api.post<Attempt>(`/api/learning/papers/${paperId}/attempts`, {});
}

export function submitAttempt(attemptId: Id, answers: SubmitInput['answers']): Promise<Attempt> {
  return api.post<Attempt>(`/api/learning/attempts/${attemptId}/submit`, { answers });
}

// ---- points ----

export function fetchPointRules(org?: Id): Promise<{ orgId: number; rules: PointRuleConfig[] }> {
  return api.get('/api/learning/points/rules', { org });
}

export function savePointRules(
  orgId: Id,
  rules: PointRuleConfig[],
): Promise<{ orgId: number; rules: PointRuleConfig[] }> {
  return api.put('/api/learning/points/rules', { orgId: Number(orgId), rules });
}

export function fetchOrgPoints(org?: Id): Promise<{ orgId: number; year: number; items: OrgPointsRow[] }> {
  return api.get('/api/learning/points/orgs', { org });
}

export interface Ranking {
  orgId: number;
  year: number;
  enabled: boolean;
  setAt: string | null;
  canSwitch: boolean;
  items: { rank: number; memberId: number; name: string; points: number }[];
  me: { rank: number; points: number } | null;
}

export function fetchRanking(org?: Id): Promise<Ranking> {
  return api.get('/api/learning/rankings', { org });
}

export function setRanking(orgId: Id, enabled: boolean): Promise<{ orgId: number; enabled: boolean }> {
  return api.put(`/api/learning/rankings/${orgId}`, { enabled });
}
