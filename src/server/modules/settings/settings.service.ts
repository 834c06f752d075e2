/** Security policy (安全管理员) and system settings (系统管理员), stored as settings rows over defaults. */
import {
  DEFAULT_SECURITY_POLICY,
  DEFAULT_SYSTEM_SETTINGS,
  type SecurityPolicy,
  type SystemSettings,
} from '../../../shared/settings.js';
import type { Executor } from '../../db/database.js';
import * as repo from './settings.repository.js';

export async function getPolicy(db: Executor): Promise<SecurityPolicy> {
  const stored = (await repo.get(db, 'security_policy')) as Partial<SecurityPolicy> | undefined;
  return { ...DEFAULT_SECURITY_POLICY, ...stored };
}

export async function setPolicy(db: Executor, policy: SecurityPolicy): Promise<SecurityPolicy> {
  await repo.put(db, 'security_policy', policy);
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
