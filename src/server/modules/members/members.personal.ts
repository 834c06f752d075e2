/**
 * Personal numbers at rest and in logs: the one place that turns a 身份证号 or mobile number into what the members
 * table stores (SM4 ciphertext, HMAC-SM3 blind index, masked copy), and that scrubs them from logged URLs.
 * Pinyin initials for the name search live here too: they are derived from personal data the same way.
 */
import { pinyin } from 'pinyin-pro';
import { maskIdNumber, maskPhone } from '../../../shared/members.js';
import type { FieldCipher } from '../../crypto/sm.js';

export interface ProtectedId {
  id_enc: string;
  id_index: string;
  id_masked: string;
}

export interface ProtectedPhone {
  phone_enc: string | null;
  phone_index: string | null;
  phone_masked: string | null;
}

/** The normal form both the blind index and the ciphertext are computed from. */
export function normaliseIdNumber(id: string): string {
  return id.trim().toUpperCase();
}

export function protectIdNumber(cipher: FieldCipher, idNumber: string): ProtectedId {
  const id = normaliseIdNumber(idNumber);
  return { id_enc: cipher.encrypt(id), id_index: cipher.blindIndex(id), id_masked: maskIdNumber(id) };
}

export function protectPhone(cipher: FieldCipher, phone: string | null | undefined): ProtectedPhone {
  const p = phone?.trim();
  if (!p) return { phone_enc: null, phone_index: null, phone_masked: null };
  return { phone_enc: cipher.encrypt(p), phone_index: cipher.blindIndex(p), phone_masked: maskPhone(p) };
}

/** Lower-case pinyin initials, surname read as a surname (单 → s, 曾 → z): 王建国 → wjg. */
export function nameInitials(name: string): string {
  return pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', surname: 'head' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

const ID_LIKE = /\d{17}[\dXx]/g;
const PHONE_LIKE = /1[3-9]\d{9}/g;

/**
 * Masks anything shaped like a full ID or mobile number in a string (a logged URL: `?q=` may carry one for the
 * exact-match search).
 */
export function redactPersonalNumbers(text: string): string {
  return text.replace(ID_LIKE, (m) => maskIdNumber(m)).replace(PHONE_LIKE, (m) => maskPhone(m));
}
