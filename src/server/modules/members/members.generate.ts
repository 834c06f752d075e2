/**
 * Plausible personal numbers for demo and synthetic data, from a caller-supplied random source so the output is
 * deterministic: 身份证号 with the region code of an org's division, the birth date and a gender-consistent
 * sequence digit and a correct GB 11643 check character; mobile numbers 1[3-9]xxxxxxxxx.
 */
import { idCheckChar } from '../../../shared/members.js';

export type Rand = () => number;

/** '51' → '510000', '5101' → '510100', '510104' stays. */
export function regionCodeOf(divisionCode: string | null | undefined): string {
  return (divisionCode ?? '51').padEnd(6, '0').slice(0, 6);
}

export function generateIdNumber(rand: Rand, region: string, birthDate: string, gender: '男' | '女'): string {
  const seq = String(Math.floor(rand() * 100)).padStart(2, '0');
  // The 17th digit is odd for men, even for women.
  const genderDigit = (gender === '男' ? 1 : 0) + 2 * Math.floor(rand() * 5);
  const first17 = `${region}${birthDate.replaceAll('-', '')}${seq}${genderDigit}`;
  return first17 + idCheckChar(first17);
}

export function generatePhone(rand: Rand): string {
  const prefixes = ['130', '133', '135', '136', '138', '139', '150', '152', '158', '159', '177', '180', '186', '189'];
  const prefix = prefixes[Math.floor(rand() * prefixes.length)]!;
  let rest = '';
  for (let i = 0; i < 8; i++) rest += String(Math.floor(rand() * 10));
  return prefix + rest;
}

/** A random calendar date between two years inclusive (days 1–28 so every month works). */
export function randomDate(rand: Rand, fromYear: number, toYear: number): string {
  const y = fromYear + Math.floor(rand() * (toYear - fromYear + 1));
  const m = 1 + Math.floor(rand() * 12);
  const d = 1 + Math.floor(rand() * 28);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
