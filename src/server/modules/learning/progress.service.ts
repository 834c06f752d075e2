/**
 * Progress heartbeats. The player reports its position every few seconds; the server credits played time only up
 * to the wall-clock time since the previous heartbeat it received (at most MAX_CREDIT_SECONDS per beat, with
 * RATE_TOLERANCE for network jitter), as the interval [previous position, previous position + credit]. The union
 * of credited intervals is what was "actually played": seeking ahead adds nothing, replaying a part adds it once.
 * Media complete at ≥ 90 % of the duration played; articles and documents at their minimum reading time, counted
 * from the wall time between heartbeats. Completion (once per member and item) writes the training-hours ledger
 * (source `study`) and points in the same transaction.
 *
 * Time comes from the `now` argument (the routes pass ctx.clock()), so tests drive playback time without sleeping.
 */
import { todayInShanghai } from '../../../shared/dates.js';
import { type ContentKind, isMediaKind, type ProgressResult } from '../../../shared/learning.js';
import type { Db, Executor } from '../../db/database.js';
import { groupCommit } from '../../db/group-commit.js';
import { notFound } from '../../errors.js';
import * as repo from './content.repository.js';
import * as points from './points.service.js';

/** A heartbeat credits at most this many seconds of wall time (beats come every 10–30 s). */
export const MAX_CREDIT_SECONDS = 60;
/** Credit may exceed the wall time by this factor (arrival jitter). */
export const RATE_TOLERANCE = 1.1;
/** Intervals kept per item (a pathological seek pattern stops adding intervals beyond this). */
const MAX_INTERVALS = 400;

export type Interval = [number, number];

/** Adds [a, b] to a sorted union of intervals. */
export function addInterval(list: Interval[], a: number, b: number): Interval[] {
  if (b <= a) return list;
  const out: Interval[] = [];
  let [s, e] = [a, b];
  let placed = false;
  for (const [x, y] of list) {
    if (y < s) out.push([x, y]);
    else if (x > e) {
      if (!placed) {
        out.push([s, e]);
        placed = true;
      }
      out.push([x, y]);
    } else {
      s = Math.min(s, x);
      e = Math.max(e, y);
    }
  }
  if (!placed) out.push([s, e]);
  return out;
}

export const covered = (list: Interval[]) => list.reduce((n, [a, b]) => n + (b - a), 0);

interface ContentInfo {
  id: number;
  kind: ContentKind;
  status: string;
  duration: number | null;
  required: number;
  title: string;
  loadedAt: number;
}

/** Per-database cache of the few columns a heartbeat needs (status changes invalidate it). */
const caches = new WeakMap<object, Map<number, ContentInfo>>();
const CACHE_MS = 10_000;

function cacheOf(db: Executor): Map<number, ContentInfo> {
  let c = caches.get(db);
  if (!c) {
    c = new Map();
    caches.set(db, c);
  }
  return c;
}

export function invalidateContent(db: Executor, id: number): void {
  cacheOf(db).delete(id);
}

/** Per-database cache of members' orgs and of the study-time rule per org (rule changes clear it). */
const ruleCaches = new WeakMap<
  object,
  { orgs: Map<number, [number, number]>; rules: Map<number, [StudyRule, number]> }
>();
type StudyRule = { enabled: boolean; unitMinutes: number };

function ruleCacheOf(db: Executor) {
  let c = ruleCaches.get(db);
  if (!c) {
    c = { orgs: new Map(), rules: new Map() };
    ruleCaches.set(db, c);
  }
  return c;
}

export function invalidateRules(db: Executor): void {
  ruleCacheOf(db).rules.clear();
}

async function memberOrgCached(db: Executor, trx: Executor, memberId: number): Promise<number | null> {
  const c = ruleCacheOf(db).orgs;
  const hit = c.get(memberId);
  if (hit && Date.now() - hit[1] < CACHE_MS) return hit[0];
  const org = (await repo.memberInfo(trx, memberId))?.org_id ?? null;
  if (org === null) return null;
  if (c.size > 50_000) c.clear();
  c.set(memberId, [org, Date.now()]);
  return org;
}

async function studyRuleCached(db: Executor, trx: Executor, orgId: number): Promise<StudyRule> {
  const c = ruleCacheOf(db).rules;
  const hit = c.get(orgId);
  if (hit && Date.now() - hit[1] < CACHE_MS) return hit[0];
  const r = (await points.rulesFor(trx, orgId)).find((x) => x.rule === 'study_time');
  const rule = { enabled: r?.enabled ?? false, unitMinutes: r?.unitMinutes ?? 0 };
  if (c.size > 10_000) c.clear();
  c.set(orgId, [rule, Date.now()]);
  return rule;
}

async function contentInfo(db: Executor, id: number): Promise<ContentInfo | undefined> {
  const cache = cacheOf(db);
  const hit = cache.get(id);
  const nowMs = Date.now();
  if (hit && nowMs - hit.loadedAt < CACHE_MS) return hit;
  const r = await repo.heartbeatInfo(db, id);
  if (!r) {
    cache.delete(id);
    return undefined;
  }
  const info: ContentInfo = {
    id: r.id,
    kind: r.kind as ContentKind,
    status: r.status,
    duration: r.duration,
    required: r.required_seconds,
    title: r.title,
    loadedAt: nowMs,
  };
  if (cache.size > 5000) cache.clear();
  cache.set(id, info);
  return info;
}

/** Minutes a completed item adds to the training-hours ledger. */
export function studyMinutesOf(info: { kind: ContentKind; duration: number | null; required: number }): number {
  const seconds = isMediaKind(info.kind) && info.duration ? info.duration : info.required;
  return Math.max(1, Math.round(seconds / 60));
}

const round1 = (x: number) => Math.round(x * 10) / 10;

export interface HeartbeatArgs {
  memberId: number;
  contentId: number;
  position: number;
  nowMs: number;
  /** checked on the first heartbeat of a member for an item (the row's existence proves it later) */
  isVisible: (trx: Executor) => Promise<boolean>;
}

export interface HeartbeatOutcome extends ProgressResult {
  /** set when this heartbeat completed the item: what the route audits */
  completion: { title: string; minutes: number; points: number } | null;
}

/**
 * Records a heartbeat. Heartbeats arriving together are written in one transaction (db/group-commit.ts: one disk
 * flush for many members); each caller's promise settles after that commit, so an answered heartbeat is durable.
 */
export async function heartbeat(db: Db, a: HeartbeatArgs): Promise<HeartbeatOutcome> {
  const info = await contentInfo(db, a.contentId);
  if (!info) throw notFound('content');
  if (info.status !== 'published') throw notFound('content');
  return groupCommit(db).run((trx) => beatIn(db, trx, a, info));
}

/** One heartbeat inside a transaction; every refusal is thrown before anything is written. */
async function beatIn(db: Db, trx: Executor, a: HeartbeatArgs, info: ContentInfo): Promise<HeartbeatOutcome> {
  const media = isMediaKind(info.kind) && info.duration !== null;
  const position = media ? Math.min(a.position, info.duration!) : a.position;
  const nowIso = new Date(a.nowMs).toISOString();
  const prev = await repo.findProgress(trx, a.memberId, a.contentId);
  if (!prev) {
    if (!(await a.isVisible(trx))) throw notFound('content');
    await repo.insertProgress(trx, {
      member_id: a.memberId,
      content_id: a.contentId,
      position,
      watched: '[]',
      played_seconds: 0,
      last_beat_at: a.nowMs,
      pointed_seconds: 0,
      started_at: nowIso,
      updated_at: nowIso,
      completed_at: null,
    });
    return result(info, position, 0, false, false, null);
  }
  const wall = Math.max(0, (a.nowMs - prev.last_beat_at) / 1000);
  const allowance = Math.min(wall, MAX_CREDIT_SECONDS) * RATE_TOLERANCE;
  let watched: Interval[] = JSON.parse(prev.watched);
  let played = prev.played_seconds;
  if (media) {
    const from = Math.min(prev.position, info.duration!);
    const to = Math.min(position, from + allowance);
    if (to > from && watched.length < MAX_INTERVALS) {
      watched = addInterval(watched, from, to);
      played = covered(watched);
    }
  } else {
    played = prev.played_seconds + Math.min(wall, MAX_CREDIT_SECONDS);
  }
  played = Math.round(played * 1000) / 1000;
  const completesNow = prev.completed_at === null && played >= info.required;
  const orgId = await memberOrgCached(db, trx, a.memberId);
  if (orgId === null) throw notFound('member');
  const changed = await repo.updateProgress(
    trx,
    a.memberId,
    a.contentId,
    {
      position,
      watched: media ? JSON.stringify(watched.map(([x, y]) => [round1(x), round1(y)])) : prev.watched,
      played_seconds: played,
      last_beat_at: a.nowMs,
      updated_at: nowIso,
      ...(completesNow ? { completed_at: nowIso } : {}),
    },
    prev.last_beat_at,
  );
  if (!changed) return result(info, prev.position, prev.played_seconds, prev.completed_at !== null, false, null);

  const now = new Date(a.nowMs);
  // study-time points per whole unit of counted time
  const studyRule = await studyRuleCached(db, trx, orgId);
  if (studyRule.enabled && studyRule.unitMinutes > 0 && played > prev.played_seconds) {
    const unit = studyRule.unitMinutes * 60;
    const units = Math.floor(played / unit) - Math.floor(prev.pointed_seconds / unit);
    if (units > 0) {
      await points.award(trx, a.memberId, orgId, 'study_time', units, `content:${a.contentId}`, now);
      await trx
        .updateTable('learning_progress')
        .set({ pointed_seconds: played })
        .where('member_id', '=', a.memberId)
        .where('content_id', '=', a.contentId)
        .execute();
    }
  }
  let completion: HeartbeatOutcome['completion'] = null;
  if (completesNow) completion = await complete(trx, a.memberId, orgId, info, now);
  return result(info, position, played, prev.completed_at !== null || completesNow, completesNow, completion);
}

/** Once per member and item: training hours (source `study`) and the completion points. */
async function complete(
  trx: Executor,
  memberId: number,
  orgId: number,
  info: ContentInfo,
  now: Date,
): Promise<NonNullable<HeartbeatOutcome['completion']>> {
  const ref = `learning:content:${info.id}`;
  const minutes = studyMinutesOf(info);
  if (!(await repo.hasStudyHours(trx, memberId, ref))) {
    const day = todayInShanghai(now);
    await repo.insertStudyHours(trx, {
      member_id: memberId,
      year: Number(day.slice(0, 4)),
      minutes,
      title: `党建学习：${info.title}`.slice(0, 200),
      occurred_on: day,
      ref,
      at: now.toISOString(),
    });
  }
  const awarded = await points.award(trx, memberId, orgId, 'content_complete', 1, `content:${info.id}`, now, {
    once: true,
  });
  return { title: info.title, minutes, points: awarded };
}

function result(
  info: ContentInfo,
  position: number,
  played: number,
  completed: boolean,
  justCompleted: boolean,
  completion: HeartbeatOutcome['completion'],
): HeartbeatOutcome {
  return {
    contentId: info.id,
    position,
    playedSeconds: Math.round(played * 10) / 10,
    requiredSeconds: info.required,
    completed,
    justCompleted,
    completion,
  };
}
