/**
 * Members (党员): the enumerations, the 身份证号 check (GB 11643-1999), masking, and the input schema shared by
 * the API, the Excel import and the web forms.
 */
import { z } from 'zod';

/** The 56 officially recognised ethnic groups, in the order of GB/T 3304. */
export const ETHNICITIES = [
  '汉族',
  '蒙古族',
  '回族',
  '藏族',
  '维吾尔族',
  '苗族',
  '彝族',
  '壮族',
  '布依族',
  '朝鲜族',
  '满族',
  '侗族',
  '瑶族',
  '白族',
  '土家族',
  '哈尼族',
  '哈萨克族',
  '傣族',
  '黎族',
  '傈僳族',
  '佤族',
  '畲族',
  '高山族',
  '拉祜族',
  '水族',
  '东乡族',
  '纳西族',
  '景颇族',
  '柯尔克孜族',
  '土族',
  '达斡尔族',
  '仫佬族',
  '羌族',
  '布朗族',
  '撒拉族',
  '毛南族',
  '仡佬族',
  '锡伯族',
  '阿昌族',
  '普米族',
  '塔吉克族',
  '怒族',
  '乌孜别克族',
  '俄罗斯族',
  '鄂温克族',
  '德昂族',
  '保安族',
  '裕固族',
  '京族',
  '塔塔尔族',
  '独龙族',
  '鄂伦春族',
  '赫哲族',
  '门巴族',
  '珞巴族',
  '基诺族',
] as const;

export const EDUCATIONS = ['研究生', '大学本科', '大学专科', '中等专科', '高中', '初中及以下'] as const;

export const GENDERS = ['男', '女'] as const;

export const MEMBER_CATEGORIES = ['full', 'probationary'] as const;
export type MemberCategory = (typeof MEMBER_CATEGORIES)[number];

/** normal 正常, floating 流动党员, abroad 出国(境), suspended 停止党籍, left 出党, deceased 去世, transferred_out 已转出 */
export const MEMBER_STATUSES = [
  'normal',
  'floating',
  'abroad',
  'suspended',
  'left',
  'deceased',
  'transferred_out',
] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];
/** Statuses that keep a person on the branch's active roster. */
export const ACTIVE_STATUSES: readonly MemberStatus[] = ['normal', 'floating', 'abroad'];

/** Party posts; the first six are committee posts (≥56 training hours a year). */
export const PARTY_POSTS = [
  'secretary', // 书记
  'deputy_secretary', // 副书记
  'organization', // 组织委员
  'propaganda', // 宣传委员
  'discipline', // 纪检委员
  'committee_member', // 委员
  'group_leader', // 党小组长
  'party_affairs_officer', // 党务干事 (party-affairs staff)
] as const;
export type PartyPost = (typeof PARTY_POSTS)[number];
export const COMMITTEE_POSTS: readonly PartyPost[] = PARTY_POSTS.slice(0, 6);

/** Yearly training-hour targets. */
export const TRAINING_TARGET_HOURS = { committee: 56, member: 32 } as const;

// ---- 身份证号 (GB 11643-1999) -------------------------------------------------------------------------

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

export interface IdInfo {
  birthDate: string;
  gender: '男' | '女';
}

/** Parses an 18-character 身份证号; returns the reason it is invalid, or the birth date and gender it encodes. */
export function parseIdNumber(raw: string): { ok: true; value: string; info: IdInfo } | { ok: false; reason: string } {
  const value = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(value)) return { ok: false, reason: 'must be 18 characters: 17 digits and a digit or X' };
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return { ok: false, reason: 'contains an impossible birth date' };
  }
  if (idCheckChar(value.slice(0, 17)) !== value[17]) return { ok: false, reason: 'fails the GB 11643 checksum' };
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  return { ok: true, value, info: { birthDate, gender: Number(value[16]) % 2 === 1 ? '男' : '女' } };
}

/** 510***********1234: first 3 and last 4. */
export function maskIdNumber(id: string): string {
  return `${id.slice(0, 3)}${'*'.repeat(id.length - 7)}${id.slice(-4)}`;
}

/** 180****1999 */
export function maskPhone(phone: string): string {
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

export const PHONE_RE = /^1[3-9]\d{9}$/;

// ---- input schema ----------------------------------------------------------------------------------------

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'is not a real calendar date');

export const memberFields = {
  name: z.string().trim().min(2, 'must have at least 2 characters').max(30),
  gender: z.enum(GENDERS),
  ethnicity: z.enum(ETHNICITIES),
  birthDate: isoDate,
  idNumber: z.string().trim(),
  phone: z.string().trim().regex(PHONE_RE, 'must be an 11-digit mobile number').nullable().optional(),
  education: z.enum(EDUCATIONS).nullable().optional(),
  unit: z.string().trim().max(100).nullable().optional(),
  title: z.string().trim().max(50).nullable().optional(),
  orgId: z.number().int().positive(),
  category: z.enum(MEMBER_CATEGORIES),
  joinedAt: isoDate,
  fullAt: isoDate.nullable().optional(),
  status: z.enum(MEMBER_STATUSES).optional(),
};

/**
 * Cross-field rules, with the field each one names: the ID number's checksum, birth date and gender; joined at
 * 18 or older and not in the future; a full member has a 转正 date after joining (a probationary one has none).
 */
export function memberRuleErrors(
  m: {
    gender?: string;
    birthDate?: string;
    idNumber?: string;
    category?: string;
    joinedAt?: string;
    fullAt?: string | null;
  },
  today: string,
): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  if (m.idNumber !== undefined) {
    const parsed = parseIdNumber(m.idNumber);
    if (!parsed.ok) errors.push({ field: 'idNumber', message: parsed.reason });
    else {
      if (m.birthDate && parsed.info.birthDate !== m.birthDate) {
        errors.push({ field: 'birthDate', message: `does not match the ID number (${parsed.info.birthDate})` });
      }
      if (m.gender && parsed.info.gender !== m.gender) {
        errors.push({ field: 'gender', message: `does not match the ID number (${parsed.info.gender})` });
      }
    }
  }
  if (m.birthDate && m.birthDate > today) errors.push({ field: 'birthDate', message: 'lies in the future' });
  if (m.joinedAt) {
    if (m.joinedAt > today) errors.push({ field: 'joinedAt', message: 'lies in the future' });
    if (m.birthDate) {
      const eighteen = `${String(Number(m.birthDate.slice(0, 4)) + 18).padStart(4, '0')}${m.birthDate.slice(4)}`;
      if (m.joinedAt < eighteen) errors.push({ field: 'joinedAt', message: 'is before the 18th birthday' });
    }
  }
  if (m.category === 'full' && !m.fullAt)
    errors.push({ field: 'fullAt', message: 'is required for a full member (转正日期)' });
  if (m.category === 'probationary' && m.fullAt) {
    errors.push({ field: 'fullAt', message: 'must be empty for a probationary member' });
  }
  if (m.fullAt && m.joinedAt && m.fullAt <= m.joinedAt)
    errors.push({ field: 'fullAt', message: 'must be after the date joined' });
  if (m.fullAt && m.fullAt > today) errors.push({ field: 'fullAt', message: 'lies in the future' });
  return errors;
}

export const memberCreateSchema = z.object(memberFields).strict();
export const memberUpdateSchema = z.object(memberFields).partial().strict();
export type MemberInput = z.infer<typeof memberCreateSchema>;
