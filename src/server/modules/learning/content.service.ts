/**
 * Learning content: what each kind needs (a file of the right class, a duration, an article body), the review
 * workflow draft → pending → published → withdrawn (a rejection returns to draft with a note), the minimum
 * time that completes an item, and the presentation of items with the caller's own progress.
 */
import fs from 'node:fs';
import {
  articleReadingSeconds,
  type ContentCreateInput,
  type ContentDetail,
  type ContentItem,
  type ContentKind,
  type ContentStatus,
  type ContentUpdateInput,
  documentReadingSeconds,
  isMediaKind,
  MEDIA_COMPLETE_SHARE,
  type Visibility,
} from '../../../shared/learning.js';
import type { Executor } from '../../db/database.js';
import { AppError, conflict, notFound, validation } from '../../errors.js';
import type { OrgScope } from '../orgs/orgs.repository.js';
import * as repo from './content.repository.js';
import { sanitizeHtml, textLength } from './html.js';
import { KIND_FILES, type MediaClass, pdfPages, type StoredUpload, storedPath } from './media.js';
import { invalidateContent } from './progress.service.js';

export const coverUrl = (id: number) => `/api/learning/content/${id}/cover`;
export const mediaUrl = (id: number) => `/api/learning/content/${id}/media`;

function normTopics(topics: string[]): string[] {
  return [...new Set(topics.map((t) => t.trim()).filter(Boolean))];
}

/** Seconds of playing or reading that complete an item. */
export function requiredSeconds(kind: ContentKind, duration: number | null, bodyChars: number, pages: number): number {
  if (duration !== null && isMediaKind(kind)) return Math.max(1, Math.ceil(duration * MEDIA_COMPLETE_SHARE));
  if (kind === 'document') return documentReadingSeconds(pages);
  return articleReadingSeconds(bodyChars);
}

export interface CreateArgs {
  input: ContentCreateInput;
  file: StoredUpload | null;
  cover: StoredUpload | null;
  dataDir: string;
  actor: string;
  now: Date;
  /** whether the caller may publish to each chosen org (checked by the route through policy.ts) */
  visibleOrgIds: number[];
}

/** Checks that a file fits the kind; media kinds need a duration. */
function checkKind(
  kind: ContentKind,
  file: StoredUpload | null,
  duration: number | undefined,
  body: string | undefined,
) {
  const accept: readonly MediaClass[] = KIND_FILES[kind];
  if (file && !accept.includes(file.sniffed.class)) {
    throw new AppError(
      415,
      'unsupported_media_type',
      `file: a ${kind} takes ${accept.length ? accept.join(' or ') : 'no file'}, not ${file.sniffed.class}`,
      'file',
    );
  }
  if (kind === 'article' && !body?.trim()) throw validation('body', 'is required for an article');
  if (kind === 'document' && !file) throw validation('file', 'is required: a document is a PDF');
  if ((kind === 'micro_lesson' || kind === 'micro_film') && !file) {
    throw validation('file', `is required: a ${kind} is a video${kind === 'micro_lesson' ? ' or audio' : ''} file`);
  }
  if (kind === 'micro_talk' && !file && !body?.trim()) {
    throw validation('file', 'is required: a micro_talk is an audio (or video) file, or an article body');
  }
  if (file && file.sniffed.class !== 'pdf' && duration === undefined) {
    throw validation('duration', 'is required for video and audio (seconds)');
  }
}

export async function create(trx: Executor, a: CreateArgs): Promise<number> {
  const { input, file, cover } = a;
  checkKind(input.kind, file, input.duration, input.body);
  const body =
    input.kind === 'article' || (input.kind === 'micro_talk' && !file) ? sanitizeHtml(input.body ?? '') : null;
  const duration = file && file.sniffed.class !== 'pdf' ? (input.duration ?? null) : null;
  const pages = file?.sniffed.class === 'pdf' ? pdfPages(storedPath(a.dataDir, file.storageName)) : 0;
  const nowIso = a.now.toISOString();
  const id = await repo.insert(trx, {
    org_id: input.orgId,
    kind: input.kind,
    title: input.title,
    summary: input.summary,
    search_text: `${input.title} ${input.summary}`.toLowerCase(),
    body,
    duration,
    required_seconds: requiredSeconds(input.kind, duration, body ? textLength(body) : 0, pages),
    visibility: input.visibility,
    status: 'draft',
    media_name: file?.storageName ?? null,
    media_mime: file?.sniffed.mime ?? null,
    media_size: file?.size ?? null,
    cover_name: cover?.storageName ?? null,
    cover_mime: cover?.sniffed.mime ?? null,
    review_note: null,
    created_by: a.actor,
    created_at: nowIso,
    updated_at: nowIso,
    published_at: null,
    published_by: null,
  });
  await repo.setTopics(trx, id, normTopics(input.topics));
  await repo.setOrgs(trx, id, input.visibility === 'subtree' ? [input.orgId] : [...new Set(a.visibleOrgIds)]);
  return id;
}

export async function find(db: Executor, id: number): Promise<repo.ContentRow> {
  const r = await repo.findById(db, id);
  if (!r) throw notFound('content');
  return r;
}

export async function update(trx: Executor, row: repo.ContentRow, input: ContentUpdateInput, now: Date): Promise<void> {
  if (row.status === 'published') {
    throw conflict('published', 'A published item cannot be edited: withdraw it first');
  }
  const kind = row.kind as ContentKind;
  const title = input.title ?? row.title;
  const summary = input.summary ?? row.summary;
  const patch: repo.ContentPatch = {
    title,
    summary,
    search_text: `${title} ${summary}`.toLowerCase(),
    updated_at: now.toISOString(),
    // any edit goes back to a draft, to be reviewed again
    status: 'draft',
  };
  if (input.duration !== undefined && row.duration !== null) {
    patch.duration = input.duration;
    patch.required_seconds = requiredSeconds(kind, input.duration, 0, 0);
  }
  if (input.body !== undefined && row.body !== null) {
    const body = sanitizeHtml(input.body);
    if (!body.trim()) throw validation('body', 'is required for an article');
    patch.body = body;
    patch.required_seconds = requiredSeconds(kind, null, textLength(body), 0);
  }
  if (input.visibility !== undefined) patch.visibility = input.visibility;
  await repo.update(trx, row.id, patch);
  if (input.topics !== undefined) await repo.setTopics(trx, row.id, normTopics(input.topics));
  if (input.visibility !== undefined || input.visibleOrgIds !== undefined) {
    const vis = (input.visibility ?? row.visibility) as Visibility;
    await repo.setOrgs(trx, row.id, vis === 'subtree' ? [row.org_id] : [...new Set(input.visibleOrgIds ?? [])]);
  }
  invalidateContent(trx, row.id);
}

const TRANSITIONS: Record<'submit' | 'publish' | 'reject' | 'withdraw', { from: ContentStatus[]; to: ContentStatus }> =
  {
    submit: { from: ['draft'], to: 'pending' },
    publish: { from: ['pending', 'draft', 'withdrawn'], to: 'published' },
    reject: { from: ['pending'], to: 'draft' },
    withdraw: { from: ['published'], to: 'withdrawn' },
  };

export async function transition(
  trx: Executor,
  db: Executor,
  row: repo.ContentRow,
  action: keyof typeof TRANSITIONS,
  actor: string,
  now: Date,
  note?: string,
): Promise<void> {
  const t = TRANSITIONS[action];
  if (!t.from.includes(row.status as ContentStatus)) {
    throw conflict('invalid_status', `Cannot ${action} an item that is ${row.status}`);
  }
  const nowIso = now.toISOString();
  await repo.update(trx, row.id, {
    status: t.to,
    updated_at: nowIso,
    ...(action === 'publish' ? { published_at: nowIso, published_by: actor, review_note: null } : {}),
    ...(action === 'reject' ? { review_note: note ?? null } : {}),
    ...(action === 'withdraw' && note ? { review_note: note } : {}),
  });
  invalidateContent(db, row.id);
}

// ---- presentation --------------------------------------------------------------------------------------------

export async function present(db: Executor, rows: repo.ContentRow[], memberId: number | null): Promise<ContentItem[]> {
  const ids = rows.map((r) => r.id);
  const [topics, orgs, progress] = await Promise.all([
    repo.topicsOf(db, ids),
    repo.orgsOf(db, ids),
    memberId === null ? Promise.resolve(new Map<number, repo.ProgressRow>()) : repo.progressOf(db, memberId, ids),
  ]);
  return rows.map((r) => {
    const p = progress.get(r.id);
    return {
      id: r.id,
      kind: r.kind as ContentKind,
      title: r.title,
      summary: r.summary,
      coverUrl: coverUrl(r.id),
      duration: r.duration,
      requiredSeconds: r.required_seconds,
      topics: topics.get(r.id) ?? [],
      orgId: r.org_id,
      orgName: r.org_name,
      visibility: r.visibility as Visibility,
      visibleOrgIds: orgs.get(r.id) ?? [],
      status: r.status as ContentStatus,
      mediaUrl: r.media_name ? mediaUrl(r.id) : null,
      mime: r.media_mime,
      size: r.media_size,
      publishedAt: r.published_at,
      createdAt: r.created_at,
      createdBy: r.created_by,
      progress:
        memberId === null
          ? null
          : {
              position: p?.position ?? 0,
              completed: p?.completed_at != null,
              playedSeconds: Math.round((p?.played_seconds ?? 0) * 10) / 10,
              completedAt: p?.completed_at ?? null,
            },
    };
  });
}

export async function detail(db: Executor, row: repo.ContentRow, memberId: number | null): Promise<ContentDetail> {
  const [item] = await present(db, [row], memberId);
  return { ...item!, body: row.body, reviewNote: row.review_note };
}

export async function list(
  db: Executor,
  viewer: repo.Viewer,
  f: repo.ContentFilter,
  page: number,
  pageSize: number,
  memberId: number | null,
) {
  const { total, rows } = await repo.list(db, viewer, f, (page - 1) * pageSize, pageSize);
  return { total, page, pageSize, items: await present(db, rows, memberId) };
}

export type { OrgScope };

/** The stored media file of an item (404 when it has none or the file is missing). */
export function mediaFile(dataDir: string, row: repo.ContentRow): { file: string; size: number; mime: string } {
  if (!row.media_name || !row.media_mime) throw notFound('media');
  const file = storedPath(dataDir, row.media_name);
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    throw notFound('media');
  }
  return { file, size, mime: row.media_mime };
}
