/** Security policy and system settings: schemas shared by the server and the admin pages. */
import { z } from 'zod';

export const securityPolicySchema = z
  .object({
    passwordMinLength: z.number().int().min(8).max(64),
    passwordMinClasses: z.number().int().min(1).max(4),
    /** 0 turns expiry off */
    passwordMaxAgeDays: z.number().int().min(0).max(365),
    lockoutThreshold: z.number().int().min(3).max(10),
    lockoutMinutes: z.number().int().min(1).max(1440),
    idleTimeoutMinutes: z.number().int().min(5).max(120),
    absoluteTimeoutHours: z.number().int().min(1).max(24),
    totpRequiredForAdmins: z.boolean(),
    totpRequiredForAll: z.boolean(),
  })
  .strict();
export type SecurityPolicy = z.infer<typeof securityPolicySchema>;

export const DEFAULT_SECURITY_POLICY: SecurityPolicy = {
  passwordMinLength: 8,
  passwordMinClasses: 3,
  passwordMaxAgeDays: 90,
  lockoutThreshold: 5,
  lockoutMinutes: 15,
  idleTimeoutMinutes: 30,
  absoluteTimeoutHours: 12,
  totpRequiredForAdmins: true,
  totpRequiredForAll: false,
};

export const systemSettingsSchema = z
  .object({
    platformName: z.string().trim().min(2).max(60),
    defaultLocale: z.enum(['zh-CN', 'en-US']),
  })
  .strict();
export type SystemSettings = z.infer<typeof systemSettingsSchema>;

export const DEFAULT_SYSTEM_SETTINGS: SystemSettings = {
  platformName: '四川省科技行政管理系统党建平台',
  defaultLocale: 'zh-CN',
};
