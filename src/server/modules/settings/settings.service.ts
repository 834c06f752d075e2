/** Security policy (安全管理员) and system settings (系统管理员), stored as settings rows over defaults. */
import {
  DEFAULT_SECURITY_POLICY,
  DEFAULT_SYSTEM_SETTINGS,
  type SecurityPolicy,
  type SystemSettings,
} from '../../../shared/settings.js';
import type { Executor } from '../../db/database.js';
import * as repo from './settings.repository.js';

/**
 * Every authenticated request reads the policy (timeouts), so it is cached per database handle for a few seconds.
 * A change through setPolicy empties the cache at once in this process; other processes sharing the database see it
 * within POLICY_CACHE_MS.
 */
export const POLICY_CACHE_MS = 5000;
const policyCache = new WeakMap<object, { at: number; generation: number; policy: SecurityPolicy }>();
let generation = 0;

/** Forget cached settings (after a restore or any write that bypasses setPolicy). */
export function forgetCachedSettings(): void {
  generation++;
}

export async function getPolicy(db: Executor): Promise<SecurityPolicy> {
  const hit = policyCache.get(db);
  if (hit && hit.generation === generation && Date.now() - hit.at < POLICY_CACHE_MS) return { ...hit.policy };
  const seenGeneration = generation;
  const stored = (await repo.get(db, 'security_policy')) as Partial<SecurityPolicy> | undefined;
  const policy = { ...DEFAULT_SECURITY_POLICY, ...stored };
  policyCache.set(db, { at: Date.now(), generation: seenGeneration, policy });
  return { ...policy };
}

export async function setPolicy(db: Executor, policy: SecurityPolicy): Promise<SecurityPolicy> {
  await repo.put(db, 'security_policy', policy);
  forgetCachedSettings();
  return policy;
}

export async function getSystem(db: Executor): Promise<SystemSettings> {
  const stored = (await repo.get(db, 'system')) as Partial<SystemSettings> | undefined;
  return { ...DEFAULT_SYSTEM_SETTINGS, ...stored };
}

export async function setSystem(db: Executor, s: SystemSettings): Promise<SystemSettings> {
  await repo.put(db, 'system', s);
  return s;
}
