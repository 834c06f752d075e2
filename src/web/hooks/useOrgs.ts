/** The caller's visible organisations, loaded once and indexed for tree building. */
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { fetchAllOrgs } from '../api/orgs';
import type { Id, Org } from '../api/types';

export const ORGS_KEY = ['orgs'] as const;

export interface OrgIndex {
  items: Org[];
  byId: Map<string, Org>;
  children: Map<string, Org[]>;
  /** Orgs whose parent is not visible to the caller (normally the scope roots). */
  roots: Org[];
}

export function indexOrgs(items: Org[]): OrgIndex {
  const byId = new Map<string, Org>();
  for (const org of items) byId.set(String(org.id), org);
  const children = new Map<string, Org[]>();
  const roots: Org[] = [];
  // The API orders by depth then name, so siblings keep that order.
  for (const org of items) {
    const parentKey = org.parentId === null ? null : String(org.parentId);
    if (parentKey !== null && byId.has(parentKey)) {
      const list = children.get(parentKey);
      if (list) list.push(org);
      else children.set(parentKey, [org]);
    } else {
      roots.push(org);
    }
  }
  return { items, byId, children, roots };
}

/** Ids of `id` and everything below it. */
export function subtreeIds(index: OrgIndex, id: Id): Set<string> {
  const result = new Set<string>();
  const stack = [String(id)];
  while (stack.length > 0) {
    const key = stack.pop()!;
    result.add(key);
    for (const child of index.children.get(key) ?? []) stack.push(String(child.id));
  }
  return result;
}

/** Ancestors of `id` from the top visible one down to its parent. */
export function ancestorIds(index: OrgIndex, id: Id): string[] {
  const result: string[] = [];
  let current = index.byId.get(String(id));
  while (current && current.parentId !== null && index.byId.has(String(current.parentId))) {
    result.unshift(String(current.parentId));
    current = index.byId.get(String(current.parentId));
  }
  return result;
}

export function useOrgs(enabled = true) {
  const query = useQuery({ queryKey: [...ORGS_KEY, 'all'], queryFn: fetchAllOrgs, enabled });
  const index = useMemo(() => indexOrgs(query.data?.items ?? []), [query.data]);
  return { ...query, index };
}
