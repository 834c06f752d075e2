/**
 * Synthetic party members for benchmarks, deterministic for a seed: names from weighted common surnames (and Yi
 * and Tibetan names where those peoples live), valid 身份证号 (region code of the member's organisation's
 * division, GB 11643 check character, birth date and gender consistent; unique), unique mobile numbers, an age
 * mix with retirees, 正式/预备 with consistent dates, statuses. Every record satisfies the app's rules
 * (memberRuleErrors), and is turned into a row exactly as the app does (members.service columnsFor: SM4
 * ciphertext, HMAC-SM3 blind index, masked copy, pinyin initials).
 */

import type { FieldCipher } from '../../src/server/crypto/sm.js';
import {
  generateIdNumber,
  generatePhone,
  randomDate,
  regionCodeOf,
} from '../../src/server/modules/members/members.generate.js';
import { columnsFor } from '../../src/server/modules/members/members.service.js';
import { addMonths } from '../../src/shared/dates.js';
import type { MemberCategory, MemberInput, MemberStatus } from '../../src/shared/members.js';
import { prng, type Rand, type SyntheticOrg, type SyntheticTree } from './tree.js';

/** Surnames with rough shares (per mille) of the population. */
const SURNAMES: [string, number][] = [
  ['王', 71],
  ['李', 70],
  ['张', 64],
  ['刘', 54],
  ['陈', 46],
  ['杨', 31],
  ['黄', 21],
  ['赵', 20],
  ['吴', 20],
  ['周', 19],
  ['徐', 13],
  ['孙', 13],
  ['马', 12],
  ['朱', 12],
  ['胡', 11],
  ['郭', 11],
  ['何', 10],
  ['高', 10],
  ['林', 10],
  ['罗', 9],
  ['郑', 8],
  ['梁', 8],
  ['谢', 8],
  ['宋', 7],
  ['唐', 7],
  ['许', 6],
  ['韩', 6],
  ['冯', 6],
  ['邓', 6],
  ['曹', 6],
  ['彭', 6],
  ['曾', 5],
  ['肖', 5],
  ['田', 5],
  ['董', 5],
  ['袁', 5],
  ['潘', 5],
  ['于', 5],
  ['蒋', 5],
  ['蔡', 5],
  ['余', 5],
  ['杜', 5],
  ['叶', 4],
  ['程', 4],
  ['苏', 4],
  ['魏', 4],
  ['吕', 4],
  ['丁', 4],
  ['任', 4],
  ['沈', 4],
  ['姚', 3],
  ['卢', 3],
  ['姜', 3],
  ['崔', 3],
  ['钟', 3],
  ['谭', 3],
  ['陆', 3],
  ['汪', 3],
  ['范', 3],
  ['金', 3],
  ['石', 3],
  ['廖', 3],
  ['贾', 3],
  ['夏', 3],
  ['韦', 2],
  ['付', 2],
  ['方', 2],
  ['白', 2],
  ['邹', 2],
  ['孟', 2],
  ['熊', 2],
  ['秦', 2],
  ['邱', 2],
  ['江', 2],
  ['尹', 2],
  ['薛', 2],
  ['闫', 2],
  ['段', 2],
  ['雷', 2],
  ['侯', 2],
  ['龙', 2],
  ['史', 2],
  ['陶', 2],
  ['黎', 2],
  ['贺', 2],
  ['顾', 2],
  ['毛', 2],
  ['郝', 2],
  ['龚', 2],
  ['邵', 2],
  ['万', 2],
  ['钱', 2],
  ['严', 2],
  ['覃', 1],
  ['武', 1],
  ['戴', 1],
  ['莫', 1],
  ['孔', 1],
  ['向', 1],
  ['汤', 1],
  ['单', 1],
  ['欧阳', 1],
  ['司马', 0.2],
  ['诸葛', 0.1],
];
const MALE_GIVEN = '伟强磊军洋勇杰涛明超刚平辉建国文斌波宇浩凯鹏飞海晨阳志华东林峰龙俊亮成涛鑫岩松川江毅哲坤博远航健彬';
const FEMALE_GIVEN = '芳娜敏静丽艳娟秀霞英华玲琳雪梅玉兰红燕婷莉倩颖慧佳欣怡涵思雨洁琴蓉丹萍月瑶璐薇琪晶云霖';
const YI_SURNAMES = ['阿尔', '吉克', '沙马', '阿苏', '吉伍', '海来', '马海', '俄木', '勒尔', '曲比', '阿约', '瓦扎'];
const YI_GIVEN = ['拉则', '曲布', '木呷', '阿呷', '日火', '尔古', '伍各', '达吉', '金花', '石曲', '阿依', '有格'];
const TIBETAN = ['扎西', '次仁', '卓玛', '格桑', '央金', '尼玛', '达瓦', '拉姆', '泽仁', '益西', '降措', '曲珍'];

const TITLES_BY_LEVEL: Record<number, readonly string[]> = {
  2: ['一级主任科员', '二级主任科员', '三级调研员', '副处长', '处长', '科员', '高级工程师', '工程师', '研究员'],
  4: ['科员', '一级科员', '四级主任科员', '三级主任科员', '副科长', '科长', '工程师', '助理研究员'],
  6: ['科员', '一级科员', '股长', '副局长', '办事员', '助理工程师', '技术员'],
};

/** Vose's alias method: O(1) draws from a fixed discrete distribution. */
function aliasTable(weights: number[]): (r1: number, r2: number) => number {
  const n = weights.length;
  const sum = weights.reduce((a, b) => a + b, 0);
  const prob = new Float64Array(n);
  const alias = new Int32Array(n);
  const scaled = weights.map((w) => (w * n) / sum);
  const small: number[] = [];
  const large: number[] = [];
  for (const [i, p] of scaled.entries()) (p < 1 ? small : large).push(i);
  while (small.length && large.length) {
    const s = small.pop()!;
    const l = large.pop()!;
    prob[s] = scaled[s]!;
    alias[s] = l;
    scaled[l] = scaled[l]! + scaled[s]! - 1;
    (scaled[l]! < 1 ? small : large).push(l);
  }
  for (const i of [...small, ...large]) prob[i] = 1;
  return (r1, r2) => {
    const i = Math.floor(r1 * n);
    return r2 < prob[i]! ? i : alias[i]!;
  };
}

function ethnicityFor(division: string, r: number): MemberInput['ethnicity'] {
  const city = division.slice(0, 4);
  if (city === '5134') return r < 0.35 ? '彝族' : r < 0.37 ? '回族' : '汉族';
  if (city === '5133') return r < 0.45 ? '藏族' : r < 0.48 ? '彝族' : '汉族';
  if (city === '5132') return r < 0.35 ? '藏族' : r < 0.55 ? '羌族' : r < 0.57 ? '回族' : '汉族';
  return r < 0.015 ? '回族' : r < 0.025 ? '土家族' : r < 0.035 ? '彝族' : r < 0.04 ? '苗族' : '汉族';
}

/** A member as the API takes it, plus left_at for those transferred out. */
export type PlainMember = MemberInput & { status: MemberStatus; phone: string | null; leftAt: string | null };

export interface MemberGenerator {
  next(): PlainMember;
  /** how many members each org received so far */
  readonly perOrg: Map<number, number>;
}

/**
 * Draws members into the tree's branches (sizes from 3 to ~80, a few large ones), scattered over the sequence as
 * real rosters grow. `taken` carries ID and phone numbers across generators so they never collide.
 */
export function memberGenerator(
  tree: SyntheticTree,
  seed: number,
  today: string,
  taken: Set<string> = new Set(),
): MemberGenerator {
  const rand: Rand = prng(seed ^ 0x3e3be125);
  const between = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[] | string): T => xs[Math.floor(rand() * xs.length)] as T;
  const shapeRand = prng(seed ^ 0x0b5a11ce);
  const homes: SyntheticOrg[] = tree.branches.length > 0 ? tree.branches : [tree.root];
  const weights = homes.map(() => {
    const r = shapeRand();
    return r < 0.05 ? 30 + shapeRand() * 50 : r < 0.65 ? 8 + shapeRand() * 17 : 3 + shapeRand() * 5;
  });
  const draw = aliasTable(weights);
  const surnameDraw = aliasTable(SURNAMES.map(([, w]) => w));
  const thisYear = Number(today.slice(0, 4));
  const latestFullJoin = addMonths(today, -13);
  const perOrg = new Map<number, number>();

  const nameFor = (gender: '男' | '女', ethnicity: string): string => {
    if (ethnicity === '彝族' && rand() < 0.8) return pick(YI_SURNAMES) + pick(YI_GIVEN);
    if (ethnicity === '藏族' && rand() < 0.85) return pick(TIBETAN) + pick(TIBETAN);
    const surname = SURNAMES[surnameDraw(rand(), rand())]![0];
    const pool = gender === '男' ? MALE_GIVEN : FEMALE_GIVEN;
    return surname + pick<string>(pool) + (rand() < 0.7 ? pick<string>(pool) : '');
  };

  const next = (): PlainMember => {
    const org = homes[draw(rand(), rand())]!;
    perOrg.set(org.id, (perOrg.get(org.id) ?? 0) + 1);
    const gender: '男' | '女' = rand() < 0.68 ? '男' : '女';
    const ethnicity = ethnicityFor(org.divisionCode, rand());
    const name = nameFor(gender, ethnicity);
    // 18% retirees (60–88), the rest in work (23–60)
    const age = rand() < 0.18 ? between(60, 88) : between(23, 59);
    const birthDate = randomDate(rand, thisYear - age - 1, thisYear - age - 1);
    const birthYear = thisYear - age - 1;
    let idNumber: string;
    do idNumber = generateIdNumber(rand, regionCodeOf(org.divisionCode), birthDate, gender);
    while (taken.has(idNumber));
    taken.add(idNumber);
    let phone: string | null = null;
    if (rand() < 0.9) {
      do phone = generatePhone(rand);
      while (taken.has(phone));
      taken.add(phone);
    }
    const probationary = age < 45 && rand() < 0.08;
    let joinedAt: string;
    let fullAt: string | null = null;
    if (probationary) joinedAt = addMonths(today, -between(1, 11));
    else {
      const from = birthYear + between(19, 24);
      const joinYear = Math.min(from + Math.floor(rand() * rand() * 20), thisYear - 2);
      joinedAt = randomDate(rand, joinYear, joinYear);
      if (joinedAt > latestFullJoin) joinedAt = latestFullJoin;
      fullAt = addMonths(joinedAt, 12);
    }
    const level = org.divisionCode.length;
    const education =
      age >= 60
        ? pick(['大学本科', '大学专科', '大学专科', '中等专科', '高中', '初中及以下'] as const)
        : pick(['研究生', '研究生', '大学本科', '大学本科', '大学本科', '大学专科'] as const);
    const s = rand();
    const status: MemberStatus =
      s < 0.92
        ? 'normal'
        : s < 0.95
          ? 'floating'
          : s < 0.958
            ? 'abroad'
            : s < 0.96
              ? 'suspended'
              : s < 0.963
                ? 'left'
                : s < 0.988
                  ? 'deceased'
                  : 'transferred_out';
    return {
      name,
      gender,
      ethnicity,
      birthDate,
      idNumber,
      phone,
      education,
      unit: org.unitName,
      title: pick(TITLES_BY_LEVEL[level] ?? TITLES_BY_LEVEL[4]!),
      orgId: org.id,
      category: (probationary ? 'probationary' : 'full') as MemberCategory,
      joinedAt,
      fullAt,
      status,
      leftAt: status === 'transferred_out' ? addMonths(today, -between(1, 36)) : null,
    };
  };
  return { next, perOrg };
}

/** The members table's columns, in the order the bulk loaders write them. */
export const MEMBER_COLUMNS = [
  ['id', 'int'],
  ['org_id', 'int'],
  ['name', 'text'],
  ['gender', 'text'],
  ['user_id', 'int'],
  ['status', 'text'],
  ['ethnicity', 'text'],
  ['birth_date', 'text'],
  ['id_enc', 'text'],
  ['id_index', 'text'],
  ['id_masked', 'text'],
  ['phone_enc', 'text'],
  ['phone_index', 'text'],
  ['phone_masked', 'text'],
  ['education', 'text'],
  ['unit', 'text'],
  ['title', 'text'],
  ['category', 'text'],
  ['joined_at', 'text'],
  ['full_at', 'text'],
  ['name_initials', 'text'],
  ['left_at', 'text'],
  ['created_at', 'text'],
  ['updated_at', 'text'],
] as const satisfies readonly (readonly [string, 'int' | 'text'])[];

export type ColumnType = 'int' | 'text';
export type Value = string | number | null;

/** One members row (values in MEMBER_COLUMNS order), protected exactly as the app's create path does it. */
export function memberRow(cipher: FieldCipher, m: PlainMember, id: number, now: string): Value[] {
  const c = columnsFor(cipher, m);
  return [
    id,
    m.orgId,
    m.name,
    m.gender,
    null,
    m.status,
    m.ethnicity,
    m.birthDate,
    c.id_enc ?? null,
    c.id_index ?? null,
    c.id_masked ?? null,
    c.phone_enc ?? null,
    c.phone_index ?? null,
    c.phone_masked ?? null,
    m.education ?? null,
    m.unit || null,
    m.title || null,
    m.category,
    m.joinedAt,
    m.fullAt ?? null,
    c.name_initials ?? null,
    m.leftAt,
    now,
    now,
  ];
}
