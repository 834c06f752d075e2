/**
 * The server states row / field problems in fixed English phrases (docs/api.md: "the client may map them"), and
 * the shared rules (`memberRuleErrors`, `parseIdNumber`) use the same phrases client-side. This maps each known
 * phrase to the locale's text; an unknown one is shown as it came.
 */
import type { TFunction } from 'i18next';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

type Rule = [RegExp, string, (match: RegExpExecArray, zh: boolean) => Record<string, string>];

const none = () => ({});

/** Enumerations in the server's "must be …" phrases, in Chinese. */
function chineseChoices(what: string): string {
  return what
    .replace(/^one of the 56 official names, e\.g\. /, '56 个民族的规范名称之一，如 ')
    .replace(/^one of /, '以下之一：')
    .replace(/ or /g, ' 或 ');
}

const RULES: Rule[] = [
  [/^is required$/, 'required', none],
  [/^must be 18 characters/, 'idFormat', none],
  [/^contains an impossible birth date$/, 'idImpossibleDate', none],
  [/^fails the GB 11643 checksum$/, 'idChecksum', none],
  [/^was stored as a number/, 'idRounded', none],
  [/^is masked/, 'masked', none],
  [/^must be an 11-digit mobile number$/, 'phone', none],
  [/^is not a date/, 'notDate', none],
  [/^is not a real calendar date$/, 'notRealDate', none],
  [/^must be at most (\d+) characters$/, 'maxChars', (m) => ({ max: m[1]! })],
  [/^must have at least (\d+) characters$/, 'minChars', (m) => ({ min: m[1]! })],
  [/^is not an organisation you can manage/, 'orgOutOfReach', none],
  [/^names several organisations/, 'orgAmbiguous', none],
  [/^does not match the ID number \((.+)\)$/, 'notMatchingId', (m) => ({ value: m[1]! })],
  [/^lies in the future$/, 'future', none],
  [/^is before the 18th birthday$/, 'before18', none],
  [/^is required for a full member/, 'fullRequired', none],
  [/^must be empty for a probationary member$/, 'fullMustBeEmpty', none],
  [/^must be after the date joined$/, 'fullAfterJoined', none],
  [/^duplicates row (\d+) of this sheet$/, 'duplicateRow', (m) => ({ row: m[1]! })],
  [/^is already registered for a member of another organisation$/, 'registeredElsewhere', none],
  [/^is already registered for a member of 「(.+)」/, 'registeredIn', (m) => ({ org: m[1]! })],
  [/^column is missing from the header row$/, 'columnMissing', none],
  [/^the sheet has no data rows$/, 'noRows', none],
  [/^does not lie in (\d{4})$/, 'notInYear', (m) => ({ year: m[1]! })],
  [/^is less than a minute$/, 'lessThanMinute', none],
  [/^is before the post started \((.+)\)$/, 'beforePostStart', (m) => ({ date: m[1]! })],
  [/^must be (.+)$/, 'mustBe', (m, zh) => ({ what: zh ? chineseChoices(m[1]!) : m[1]! })],
];

export function reasonText(message: string, t: TFunction, language: string): string {
  const zh = language.startsWith('zh');
  for (const [pattern, key, params] of RULES) {
    const match = pattern.exec(message);
    if (match) return t(`reasons.${key}`, params(match, zh));
  }
  return message;
}

export function useReasonText(): (message: string) => string {
  const { t, i18n } = useTranslation();
  return useCallback((message: string) => reasonText(message, t, i18n.language), [t, i18n.language]);
}
