/**
 * Chinese commercial cryptography (GB/T 39786) from node:crypto: SM3 hashes, HMAC-SM3,
 * PBKDF2-HMAC-SM3 password hashes and SM4-CBC + HMAC-SM3 field encryption with key versions.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function sm3(data: string | Buffer): string {
  return crypto.createHash('sm3').update(data).digest('hex');
}

export function hmacSm3(key: Buffer, data: string | Buffer): Buffer {
  return crypto.createHmac('sm3', key).update(data).digest();
}

// ---- passwords ------------------------------------------------------------

const PBKDF2_PREFIX = 'pbkdf2-sm3';

export function hashPassword(password: string, iterations: number): string {
  const salt = crypto.randomBytes(16);
  const dk = crypto.pbkdf2Sync(password, salt, iterations, 32, 'sm3');
  return `${PBKDF2_PREFIX}$${iterations}$${salt.toString('base64')}$${dk.toString('base64')}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [scheme, iter, saltB64, hashB64] = stored.split('$');
  if (scheme !== PBKDF2_PREFIX || !iter || !saltB64 || !hashB64) return false;
  const expected = Buffer.from(hashB64, 'base64');
  const dk = crypto.pbkdf2Sync(password, Buffer.from(saltB64, 'base64'), Number(iter), expected.length, 'sm3');
  return crypto.timingSafeEqual(dk, expected);
}

/** A hash to compare against when the user does not exist, so timing does not reveal it. */
export const DUMMY_PASSWORD_HASH = hashPassword(crypto.randomBytes(12).toString('hex'), 1000);

// ---- field encryption -------------------------------------------------------

export interface FieldCipher {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
  /** HMAC-SM3 blind index for exact-match search and duplicate detection. */
  blindIndex(plain: string): string;
}

interface KeySet {
  enc: Buffer;
  mac: Buffer;
  idx: Buffer;
}

function deriveKeys(master: Buffer): KeySet {
  return {
    enc: hmacSm3(master, 'dangjian/sm4-enc').subarray(0, 16),
    mac: hmacSm3(master, 'dangjian/hmac'),
    idx: hmacSm3(master, 'dangjian/blind-index'),
  };
}

/**
 * Loads the master key from FIELD_KEY (hex) or from `<dataDir>/keys/field-key-v1.hex`, created on first run
 * with mode 0600. The key never enters the database; each value records the key version it was written with.
 */
export function loadFieldCipher(dataDir: string, fieldKeyHex?: string): FieldCipher {
  const version = 'v1';
  let master: Buffer;
  if (fieldKeyHex) {
    master = Buffer.from(fieldKeyHex, 'hex');
  } else {
    const dir = path.join(dataDir, 'keys');
    const file = path.join(dir, `field-key-${version}.hex`);
    if (!fs.existsSync(file)) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      fs.writeFileSync(file, crypto.randomBytes(16).toString('hex'), { mode: 0o600, flag: 'wx' });
    }
    master = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
  }
  const keys: Record<string, KeySet> = { [version]: deriveKeys(master) };
  const current = keys[version]!;
  return {
    encrypt(plain) {
      const iv = crypto.randomBytes(16);
      const cipher = crypto.createCipheriv('sm4-cbc', current.enc, iv);
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const mac = hmacSm3(current.mac, Buffer.concat([Buffer.from(version), iv, ct]));
      return [version, iv.toString('base64'), ct.toString('base64'), mac.toString('base64')].join(':');
    },
    decrypt(stored) {
      const [ver, ivB64, ctB64, macB64] = stored.split(':');
      const k = ver ? keys[ver] : undefined;
      if (!k || !ivB64 || !ctB64 || !macB64) throw new Error('encrypted value has an unknown format or key version');
      const iv = Buffer.from(ivB64, 'base64');
      const ct = Buffer.from(ctB64, 'base64');
      const mac = hmacSm3(k.mac, Buffer.concat([Buffer.from(ver!), iv, ct]));
      if (!crypto.timingSafeEqual(mac, Buffer.from(macB64, 'base64'))) throw new Error('encrypted value was altered');
      const decipher = crypto.createDecipheriv('sm4-cbc', k.enc, iv);
      return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
    },
    blindIndex(plain) {
      return hmacSm3(current.idx, plain.trim().toUpperCase()).toString('hex');
    },
  };
}
