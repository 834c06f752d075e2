/**
 * Party posts (党内职务) and party-affairs cadres (党务干部): who holds which post where, full-time (专职) or
 * part-time (兼职). Rules: a 党小组长 sits only on a 党小组 (and a 党小组 has no other post); the holder belongs to
 * the organisation or one below it (a group leader: to the group or its branch); one active 书记 per organisation;
 * the same person does not hold the same post twice at once.
 */
import { todayInShanghai } from '../../../shared/dates.js';
import { ACTIVE_STATUSES, type MemberStatus, PARTY_POSTS, type PartyPost } from '../../../shared/members.js';
import type { PostCreateInput, PostItem } from '../../../shared/staffing.js';
import type { Executor } from '../../db/database.js';
import { AppError, conflict, notFound, validation } from '../../errors.js';
import * as repo from './staffing.repository.js';

const collator = new Intl.Collator('zh-Hans-CN');

export function toPost(r: repo.PostRow): PostItem {
  return {
    id: r.id,
    memberId: r.member_id,
    memberName: r.member_name,
    orgId: r.org_id,
    orgName: r.org_name,
    orgKind: r.org_kind,
    post: r.post as PartyPost,
    fullTime: Number(r.full_time) === 1,
    startedAt: r.started_at,
    endedAt: r.ended_at,
  };
}

/** Active posts in the subtrees of `scope`: by org (top first), then post rank, then name. */
export async function listActive(db: Executor, scope: Parameters<typeof repo.activePosts>[1]): Promise<PostItem[]> {
  const rows = await repo.activePosts(db, scope);
  rows.sort(
    (a, b) =>
      a.org_depth - b.org_depth ||
      collator.compare(a.org_name, b.org_name) ||
      a.org_id - b.org_id ||
      PARTY_POSTS.indexOf(a.post as PartyPost) - PARTY_POSTS.indexOf(b.post as PartyPost) ||
      collator.compare(a.member_name, b.member_name) ||
      a.id - b.id,
  );
  return rows.map(toPost);
}

export async function get(db: Executor, id: number): Promise<PostItem> {
  const r = await repo.findPost(db, id);
  if (!r) throw notFound('post');
  return toPost(r);
}

/** The org a member belongs to (404 when there is no such member). */
export async function memberOrgId(db: Executor, memberId: number): Promise<number> {
  const m = await repo.findMember(db, memberId);
  if (!m) throw notFound('member');
  return m.org_id;
}

/** The org a post sits on (404 when there is no such post). */
export async function postOrgId(db: Executor, postId: number): Promise<number> {
  const r = await repo.findPost(db, postId);
  if (!r) throw notFound('post');
  return r.org_id;
}

const secretaryTaken = (holder: string, orgName: string, since: string, details: unknown) =>
  new AppError(
    409,
    'secretary_exists',
    `「${holder}」 is already 书记 of 「${orgName}」 (since ${since}); end that post before appointing another`,
    'post',
    details,
  );

export async function create(trx: Executor, input: PostCreateInput, actor: string): Promise<number> {
  const member = await repo.findMember(trx, input.memberId);
  if (!member) throw notFound('member');
  const org = await repo.findOrg(trx, input.orgId);
  if (!org) throw notFound('organisation');
  const today = todayInShanghai();
  if (input.startedAt > today) throw validation('startedAt', 'lies in the future');
  if (!ACTIVE_STATUSES.includes(member.status as MemberStatus)) {
    throw conflict('member_inactive', `「${member.name}」 is not on the active roster (${member.status})`, 'memberId');
  }
  if (input.post === 'group_leader' && org.kind !== 'group') {
    throw new AppError(400, 'invalid_post', 'a 党小组长 (group leader) post exists only in a 党小组 (group)', 'post');
  }
  if (org.kind === 'group' && input.post !== 'group_leader') {
    throw new AppError(400, 'invalid_post', 'a 党小组 (group) has only a 党小组长 (group leader)', 'post');
  }
  const belongs =
    (await repo.isUnder(trx, member.org_id, org.id)) || (org.kind === 'group' && org.parent_id === member.org_id);
  if (!belongs) {
    throw new AppError(
      400,
      'not_in_org',
      `「${member.name}」 does not belong to 「${org.name}」 or an organisation under it`,
      'memberId',
    );
  }
  if (await repo.activeSamePost(trx, member.id, org.id, input.post)) {
    throw conflict('post_exists', `「${member.name}」 already holds this post in 「${org.name}」`, 'post');
  }
  if (input.post === 'secretary') {
    const current = await repo.activeSecretary(trx, org.id);
    if (current) {
      throw secretaryTaken(current.member_name, org.name, current.started_at, {
        postId: current.id,
        memberId: current.member_id,
        memberName: current.member_name,
      });
    }
  }
  const now = new Date().toISOString();
  let id: number;
  try {
    id = await repo.insertPost(trx, {
      member_id: member.id,
      org_id: org.id,
      post: input.post,
      full_time: input.fullTime ? 1 : 0,
      started_at: input.startedAt,
      created_at: now,
    });
  } catch (e) {
    // a concurrent appointment won the partial unique index
    if (repo.isUniqueViolation(e)) throw secretaryTaken('another member', org.name, input.startedAt, null);
    throw e;
  }
  await repo.insertHistory(trx, {
    member_id: member.id,
    at: now,
    actor,
    action: 'post.started',
    changes: [
      { field: 'post', from: null, to: input.post },
      { field: 'postOrg', from: null, to: org.name },
      { field: 'fullTime', from: null, to: input.fullTime ? 1 : 0 },
      { field: 'postStartedAt', from: null, to: input.startedAt },
    ],
  });
  return id;
}

export async function end(trx: Executor, id: number, endedAt: string, actor: string): Promise<void> {
  const post = await repo.findPost(trx, id);
  if (!post) throw notFound('post');
  if (post.ended_at) throw conflict('post_ended', `this post already ended on ${post.ended_at}`);
  if (endedAt < post.started_at) throw validation('endedAt', `is before the post started (${post.started_at})`);
  if (endedAt > todayInShanghai()) throw validation('endedAt', 'lies in the future');
  await repo.endPost(trx, id, endedAt);
  await repo.insertHistory(trx, {
    member_id: post.member_id,
    at: new Date().toISOString(),
    actor,
    action: 'post.ended',
    changes: [
      { field: 'post', from: post.post, to: null },
      { field: 'postOrg', from: post.org_name, to: null },
      { field: 'postEndedAt', from: null, to: endedAt },
    ],
  });
}
