/**
 * Signed tokens for the QR sign-in link and the per-member calendar feed: base64url of the ids, an expiry and an
 * HMAC-SM3 over them. The key is derived from the field-encryption master key (outside the database) through the
 * cipher's keyed HMAC with a fixed label per purpose, so nothing secret is stored and a token of one purpose is
 * never valid for the other. Rotating the master key invalidates every token.
 */
import crypto from 'node:crypto';
import type { FieldCipher } from '../../crypto/sm.js';
import { hmacSm3 } from '../../crypto/sm.js';

const PURPOSES = { signin: 1, calendar: 2 } as const;
type Purpose = keyof typeof PURPOSES;
const MAC_BYTES = 32;

function keyFor(cipher: FieldCipher, purpose: Purpose): Buffer {
  return Buffer.from(cipher.blindIndex(`dangjian/meeting-token/${purpose}`), 'hex');
}

function sign(cipher: FieldCipher, purpose: Purpose, values: number[]): string {
  const body = Buffer.alloc(1 + values.length * 4);
  body.writeUInt8(PURPOSES[purpose], 0);
  values.forEach((v, i) => {
    body.writeUInt32BE(v >>> 0, 1 + i * 4);
  });
  return Buffer.concat([body, hmacSm3(keyFor(cipher, purpose), body)]).toString('base64url');
}

/** The values of a valid token of `purpose` with `count` values, or null (bad format, bad MAC). */
function verify(cipher: FieldCipher, purpose: Purpose, token: string, count: number): number[] | null {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return null;
  const raw = Buffer.from(token, 'base64url');
  const bodyLength = 1 + count * 4;
  if (raw.length !== bodyLength + MAC_BYTES || raw.readUInt8(0) !== PURPOSES[purpose]) return null;
  const body = raw.subarray(0, bodyLength);
  const mac = hmacSm3(keyFor(cipher, purpose), body);
  if (!crypto.timingSafeEqual(mac, raw.subarray(bodyLength))) return null;
  return Array.from({ length: count }, (_, i) => body.readUInt32BE(1 + i * 4));
}

const seconds = (d: Date | string) => Math.floor(new Date(d).getTime() / 1000);

/** The QR sign-in token of a meeting, valid until `expiresAt` (the meeting's end). */
export function signinToken(cipher: FieldCipher, meetingId: number, expiresAt: string): string {
  return sign(cipher, 'signin', [meetingId, seconds(expiresAt)]);
}

export function readSigninToken(cipher: FieldCipher, token: string): { meetingId: number; expiresAt: Date } | null {
  const v = verify(cipher, 'signin', token, 2);
  return v ? { meetingId: v[0]!, expiresAt: new Date(v[1]! * 1000) } : null;
}

/** How long a calendar subscription link stays valid. */
export const CALENDAR_TOKEN_DAYS = 366;

/** A member's calendar feed token, bound to the user account it was issued to. */
export function calendarToken(cipher: FieldCipher, memberId: number, userId: number, now = new Date()): string {
  return sign(cipher, 'calendar', [memberId, userId, seconds(now) + CALENDAR_TOKEN_DAYS * 86_400]);
}

export function readCalendarToken(
  cipher: FieldCipher,
  token: string,
): { memberId: number; userId: number; expiresAt: Date } | null {
  const v = verify(cipher, 'calendar', token, 3);
  return v ? { memberId: v[0]!, userId: v[1]!, expiresAt: new Date(v[2]! * 1000) } : null;
}
