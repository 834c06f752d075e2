/**
 * Loads a synthetic tree and roster into a migrated database through a BulkWriter: the orgs with their closure
 * rows (computed here, parent before child), the members in transactions of `chunk` rows (encrypted as the app
 * does), a 书记 per branch and committee, committee members in larger branches and a 党小组长 per group.
 */

import { addMonths, todayInShanghai } from '../../src/shared/dates.js';
import type { PartyPost } from '../../src/shared/members.js';
import { type BulkWriter, type Column, withoutIndexes } from './bulk.js';
import { MEMBER_COLUMNS, memberGenerator, type PlainMember, type Value } from './members.js';
import type { RowPool } from './pool.js';
import { buildTree, prng, type SyntheticOrg, type SyntheticTree } from './tree.js';

/**
 * About 25 members per 党支部 — about 10 per organisation, counting groups, general branches and committees — as
 * in real rosters; at least the skeleton of province, cities and counties.
 */
export function defaultOrgCount(members: number): number {
  return Math.max(400, Math.round(members / 10));
}

export interface SeedOptions {
  members: number;
  orgs: number;
  seed: number;
  /** rows per transaction */
  chunk?: number;
  log?: (line: string) => void;
}

export interface SeedResult {
  tree: SyntheticTree;
  orgs: number;
  closureRows: number;
  members: number;
  posts: number;
  seconds: number;
}

const ORG_COLUMNS: readonly Column[] = [
  ['id', 'int'],
  ['parent_id', 'int'],
  ['name', 'text'],
  ['kind', 'text'],
  ['is_joint', 'int'],
  ['unit_name', 'text'],
  ['division_code', 'text'],
  ['founded_on', 'text'],
  ['term_start', 'text'],
  ['term_years', 'int'],
  ['term_end', 'text'],
  ['depth', 'int'],
  ['created_at', 'text'],
  ['updated_at', 'text'],
];
const CLOSURE_COLUMNS: readonly Column[] = [
  ['ancestor_id', 'int'],
  ['descendant_id', 'int'],
  ['depth', 'int'],
];
const POST_COLUMNS: readonly Column[] = [
  ['member_id', 'int'],
  ['org_id', 'int'],
  ['post', 'text'],
  ['full_time', 'int'],
  ['started_at', 'text'],
  ['ended_at', 'text'],
  ['created_at', 'text'],
];

async function maxId(w: BulkWriter, table: string): Promise<number> {
  const [r] = await w.query<{ m: number | null }>(`SELECT MAX(id) AS m FROM ${table}`);
  return Number(r?.m ?? 0);
}

/** Inserts the tree (orgs and closure rows) in one transaction. */
export async function loadTree(w: BulkWriter, tree: SyntheticTree, now: string): Promise<number> {
  const orgRows: Value[][] = tree.orgs.map((o) => [
    o.id,
    o.parentId,
    o.name,
    o.kind,
    o.isJoint ? 1 : 0,
    o.unitName,
    o.divisionCode,
    o.foundedOn,
    o.termStart,
    o.termYears,
    o.termEnd,
    o.depth,
    now,
    now,
  ]);
  const closure: Value[][] = [];
  for (const o of tree.orgs) {
    closure.push([o.id, o.id, 0]);
    for (const [i, a] of o.ancestors.entries()) closure.push([a, o.id, o.ancestors.length - i]);
  }
  await w.begin();
  for (let i = 0; i < orgRows.length; i += 5000) await w.insert('orgs', ORG_COLUMNS, orgRows.slice(i, i + 5000));
  for (let i = 0; i < closure.length; i += 10000) {
    await w.insert('org_closure', CLOSURE_COLUMNS, closure.slice(i, i + 10000));
  }
  await w.commit();
  if (w.dialect === 'postgres') {
    await w.exec(`SELECT setval(pg_get_serial_sequence('orgs', 'id'), (SELECT MAX(id) FROM orgs))`);
  }
  return closure.length;
}

/** The next free id of a table, the same on every writer (else the trees would differ). */
async function commonMaxId(writers: BulkWriter[], table: string): Promise<number> {
  const ids = await Promise.all(writers.map((w) => maxId(w, table)));
  if (ids.some((x) => x !== ids[0])) throw new Error(`the databases differ in ${table}: seed them separately`);
  return ids[0] ?? 0;
}

/** Builds the tree for the options (ids after the existing orgs) and loads it into every writer. */
export async function seedTree(writers: BulkWriter[], opts: SeedOptions, today = todayInShanghai()) {
  const tree = buildTree(opts.orgs, opts.seed, today, await commonMaxId(writers, 'orgs'));
  const now = new Date().toISOString();
  let closureRows = 0;
  for (const w of writers) closureRows = await loadTree(w, tree, now);
  return { tree, closureRows };
}

async function writeChunk(w: BulkWriter, table: string, columns: readonly Column[], rows: Value[][]) {
  await w.begin();
  for (let i = 0; i < rows.length; i += 5000) await w.insert(table, columns, rows.slice(i, i + 5000));
  await w.commit();
}

/**
 * Seeds one tree and one roster into every writer (the bench fills SQLite and PostgreSQL from one generation).
 * While a database writes a chunk, the next one is generated and encrypted.
 */
export async function seedSynthetic(writers: BulkWriter[], pool: RowPool, opts: SeedOptions): Promise<SeedResult> {
  const log = opts.log ?? (() => {});
  const started = performance.now();
  const today = todayInShanghai();
  const now = new Date().toISOString();
  const chunk = opts.chunk ?? 20_000;
  const firstMember = (await commonMaxId(writers, 'members')) + 1;

  const { tree, closureRows } = await seedTree(writers, opts, today);
  log(
    `orgs: ${tree.orgs.length.toLocaleString('en')} (closure rows ${closureRows.toLocaleString('en')}, max depth ${Math.max(...tree.orgs.map((o) => o.depth))})`,
  );

  // IDs and phones already produced cannot come again (the blind index is unique).
  const gen = memberGenerator(tree, opts.seed, today, new Set());
  let nextId = firstMember;
  /** up to 8 full members in good standing per org: candidates for its posts */
  const candidates = new Map<number, { id: number; fullAt: string }[]>();
  let done = 0;
  /** the next chunk's plain members, drawn in order (the ids follow the sequence) */
  const draw = (n: number): PlainMember[] => {
    const out: PlainMember[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const m = gen.next();
      const id = nextId++;
      out[i] = m;
      if (m.category === 'full' && m.status === 'normal' && m.fullAt) {
        const list = candidates.get(m.orgId) ?? [];
        if (list.length < 8) {
          list.push({ id, fullAt: m.fullAt });
          candidates.set(m.orgId, list);
        }
      }
    }
    return out;
  };
  const loadMembers = async () => {
    let last = performance.now();
    let inflight: Promise<void>[] = [];
    const encrypt = (): Promise<Value[][]> | null => {
      const n = Math.min(chunk, opts.members - drawn);
      if (n <= 0) return null;
      const first = nextId;
      const members = draw(n);
      drawn += n;
      return pool.rows(members, first, now);
    };
    let drawn = 0;
    let pending = encrypt();
    while (pending) {
      const rows = await pending;
      // workers encrypt the next chunk while this one is written
      pending = encrypt();
      await Promise.all(inflight);
      inflight = writers.map((w) => writeChunk(w, 'members', MEMBER_COLUMNS, rows));
      done += rows.length;
      const t = performance.now();
      if (t - last > 3000 || done === opts.members) {
        const rate = done / ((t - started) / 1000);
        log(
          `members: ${done.toLocaleString('en')} / ${opts.members.toLocaleString('en')} (${Math.round(rate).toLocaleString('en')}/s overall)`,
        );
        last = t;
      }
    }
    await Promise.all(inflight);
  };
  // Into an empty roster, the members' secondary indexes are built once at the end.
  const nested = writers.reduceRight<() => Promise<void>>(
    (inner, w) => () => withoutIndexes(w, 'members', inner),
    loadMembers,
  );
  if (firstMember === 1 && opts.members >= 50_000) {
    await nested();
    log(`members: indexes rebuilt (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  } else await loadMembers();

  const posts = buildPosts(tree, candidates, opts.seed, today, now);
  for (const w of writers) {
    if (w.dialect === 'postgres') {
      await w.exec(
        `SELECT setval(pg_get_serial_sequence('members', 'id'), GREATEST((SELECT MAX(id) FROM members), 1))`,
      );
    }
    await writeChunk(w, 'party_posts', POST_COLUMNS, posts);
    // what autovacuum would do shortly: planner statistics and the visibility map
    if (w.dialect === 'postgres') await w.exec('VACUUM ANALYZE');
  }
  log(`party posts: ${posts.length.toLocaleString('en')}`);

  return {
    tree,
    orgs: tree.orgs.length,
    closureRows,
    members: opts.members,
    posts: posts.length,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * Posts: a 书记 in every branch with a full member (and 组织/宣传/纪检委员 where there are several), a 党小组长
 * per group, a 书记 for every committee and general branch from a member of one of its branches. A fifth of the
 * city and province secretaries are full-time (专职), a twentieth in the counties.
 */
function buildPosts(
  tree: SyntheticTree,
  candidates: Map<number, { id: number; fullAt: string }[]>,
  seed: number,
  today: string,
  now: string,
): Value[][] {
  const rand = prng(seed ^ 0x9057);
  const rows: Value[][] = [];
  const used = new Set<number>();
  const started = (fullAt: string) => {
    const recent = addMonths(today, -(6 + Math.floor(rand() * 54)));
    return fullAt > recent ? fullAt : recent;
  };
  const post = (org: SyntheticOrg, p: { id: number; fullAt: string }, kind: PartyPost) => {
    used.add(p.id);
    const fullTime = kind === 'secretary' && rand() < (org.divisionCode.length === 6 ? 0.05 : 0.2) ? 1 : 0;
    rows.push([p.id, org.id, kind, fullTime, started(p.fullAt), null, now]);
  };
  const groupsOf = new Map<number, SyntheticOrg[]>();
  for (const o of tree.orgs) {
    if (o.kind === 'group' && o.parentId !== null) {
      const list = groupsOf.get(o.parentId) ?? [];
      list.push(o);
      groupsOf.set(o.parentId, list);
    }
  }
  const spare = new Map<number, { id: number; fullAt: string }[]>();
  for (const b of tree.branches) {
    const list = candidates.get(b.id) ?? [];
    let i = 0;
    const kinds: PartyPost[] = ['secretary'];
    if (list.length >= 6) kinds.push('organization', 'propaganda', 'discipline');
    for (const k of kinds) if (list[i]) post(b, list[i++]!, k);
    for (const g of groupsOf.get(b.id) ?? []) if (list[i]) post(g, list[i++]!, 'group_leader');
    spare.set(b.id, list.slice(i));
  }
  // Committees and general branches, deepest first, take a spare member from a branch below them.
  const byDepth = tree.orgs.filter((o) => o.kind === 'committee' || o.kind === 'general_branch');
  byDepth.sort((a, b) => b.depth - a.depth);
  const branchesUnder = new Map<number, number[]>();
  for (const b of tree.branches)
    for (const a of b.ancestors) (branchesUnder.get(a) ?? branchesUnder.set(a, []).get(a)!).push(b.id);
  for (const o of byDepth) {
    for (const bid of branchesUnder.get(o.id) ?? []) {
      const p = spare.get(bid)?.find((c) => !used.has(c.id));
      if (p) {
        post(o, p, 'secretary');
        break;
      }
    }
  }
  return rows;
}
