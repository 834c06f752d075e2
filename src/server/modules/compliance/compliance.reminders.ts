/**
 * Reminders: turns the to-do list into reminder rows (one per org, type, period and kind: a run repeated the same
 * day creates nothing new) and delivers the undelivered ones of the last month to each org's group robot, one text
 * message per org and run. Both robots take the same JSON text message:
 *   企业微信 group robot  POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…  {"msgtype":"text","text":{"content":"…"}}
 *   钉钉 custom robot     POST https://oapi.dingtalk.com/robot/send?access_token=…    {"msgtype":"text","text":{"content":"…"}}
 * and answer {"errcode":0,"errmsg":"ok"}. A failing robot (HTTP error, errcode ≠ 0, timeout) is recorded on its
 * reminders (`delivery_error`, retried by the next run) and never fails the run.
 */
import { todayInShanghai } from '../../../shared/dates.js';
import type { Executor } from '../../db/database.js';
import type { OrgScope } from '../orgs/orgs.repository.js';
import { addDays } from './compliance.periods.js';
import * as repo from './compliance.repository.js';
import { MISSED_VISIBLE_DAYS, todo } from './compliance.service.js';

export const WEBHOOK_TIMEOUT_MS = 5000;

export interface RunResult {
  today: string;
  /** reminder rows created by this run */
  created: number;
  /** messages posted successfully (one per org) and reminders they carried */
  delivered: { messages: number; reminders: number };
  /** messages that failed, with the error recorded */
  failed: { messages: number; reminders: number; errors: { orgId: number; error: string }[] };
}

export type Fetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<{
  ok: boolean;
  status: number;
  text(): Promise<string>;
}>;

/** The robot's request body: the same text message shape for 企业微信 and 钉钉. */
export function robotPayload(_kind: string, content: string) {
  return { msgtype: 'text', text: { content } };
}

async function post(fetchImpl: Fetch, kind: string, url: string, content: string): Promise<string | null> {
  try {
    const res = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(robotPayload(kind, content)),
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    const text = await res.text();
    if (!res.ok) return `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
    try {
      const body = JSON.parse(text) as { errcode?: number; errmsg?: string };
      if (typeof body.errcode === 'number' && body.errcode !== 0)
        return `errcode ${body.errcode}: ${body.errmsg ?? ''}`;
    } catch {
      // a receiver that answers 2xx without JSON accepted the message
    }
    return null;
  } catch (e) {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
}

/**
 * Creates the reminders of the to-do list for the scope and delivers what is undelivered to the orgs' robots.
 * `fetchImpl` is injectable for tests (default: the global fetch).
 */
export async function runReminders(
  db: Executor,
  opts: { scope?: OrgScope; today?: string; days?: number; fetchImpl?: Fetch } = {},
): Promise<RunResult> {
  const scope = opts.scope ?? { all: true };
  const today = opts.today ?? todayInShanghai();
  const fetchImpl = opts.fetchImpl ?? (globalThis.fetch as unknown as Fetch);
  const list = await todo(db, { scope, today, days: opts.days, limit: 1_000_000 });
  const now = new Date().toISOString();
  let created = 0;
  for (const item of list.items) {
    const inserted = await repo.insertReminder(db, {
      org_id: item.orgId,
      type: item.type,
      period: item.period,
      kind: item.kind,
      message: item.message,
      created_at: now,
    });
    if (inserted) created++;
  }
  const since = `${addDays(today, -MISSED_VISIBLE_DAYS)}T00:00:00.000Z`;
  const pending = await repo.undelivered(db, scope, since);
  const byOrg = new Map<number, typeof pending>();
  for (const r of pending) byOrg.set(r.org_id, [...(byOrg.get(r.org_id) ?? []), r]);
  const result: RunResult = {
    today,
    created,
    delivered: { messages: 0, reminders: 0 },
    failed: { messages: 0, reminders: 0, errors: [] },
  };
  for (const [orgId, rows] of byOrg) {
    const content = rows.map((r) => r.message).join('\n');
    const error = await post(fetchImpl, rows[0].webhook_kind, rows[0].url, content);
    const ids = rows.map((r) => r.id);
    if (error === null) {
      await repo.markDelivered(db, ids, new Date().toISOString());
      result.delivered.messages++;
      result.delivered.reminders += ids.length;
    } else {
      await repo.markDeliveryError(db, ids, error);
      result.failed.messages++;
      result.failed.reminders += ids.length;
      result.failed.errors.push({ orgId, error });
    }
  }
  return result;
}
