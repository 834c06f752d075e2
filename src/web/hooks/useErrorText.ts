/**
 * Turns any thrown error into a message for the user: the locale's text for the error code,
 * filled with the structured `details` where the server sends them, else the server's message.
 */
import type { FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { formatDateTime } from '../components/format';

function numberAt(details: unknown, key: string): number {
  if (typeof details !== 'object' || details === null) return 0;
  const value = (details as Record<string, unknown>)[key];
  return typeof value === 'number' ? value : 0;
}

function stringAt(details: unknown, key: string): string | null {
  if (typeof details !== 'object' || details === null) return null;
  const value = (details as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : null;
}

/** The server's message without its leading `field: ` (the field is shown by the form already). */
function detailOf(error: ApiError): string {
  const message = error.serverMessage;
  if (error.field && message.startsWith(`${error.field}: `)) return message.slice(error.field.length + 2);
  return message;
}

export function describeError(error: unknown, t: TFunction, exists: (key: string) => boolean): string {
  if (!(error instanceof ApiError)) return t('errors.generic');
  switch (error.code) {
    case 'org_not_empty': {
      const parts = [
        ['children', 'errors.orgNotEmptyChildren'],
        ['members', 'errors.orgNotEmptyMembers'],
        ['grants', 'errors.orgNotEmptyGrants'],
      ]
        .map(([key, text]) => ({ count: numberAt(error.details, key), text }))
        .filter((part) => part.count > 0)
        .map((part) => t(part.text, { count: part.count }));
      if (parts.length > 0) return t('errors.orgNotEmptyDetail', { parts: parts.join(t('errors.listSeparator')) });
      break;
    }
    case 'locked': {
      const until = stringAt(error.details, 'lockedUntil');
      if (until) return t('errors.lockedUntil', { time: formatDateTime(until) });
      break;
    }
    case 'validation':
      // Validation messages name the rule that failed; they only exist in the server's words.
      if (error.serverMessage) return t('errors.validationDetail', { detail: detailOf(error) });
      break;
  }
  const key = `errors.${error.code}`;
  if (exists(key)) return t(key);
  return error.serverMessage || t('errors.generic');
}

export function useErrorText(): (error: unknown) => string {
  const { t, i18n } = useTranslation();
  return useCallback((error: unknown) => describeError(error, t, (key) => i18n.exists(key)), [t, i18n]);
}

/**
 * Shows a server error next to the form field it names. Returns false when the error names no
 * field of this form, so the caller shows it elsewhere.
 */
export function showFieldError(
  form: FormInstance,
  error: unknown,
  fields: readonly string[],
  text: (error: unknown) => string,
): boolean {
  if (!(error instanceof ApiError) || !error.field) return false;
  const name = fields.find((field) => field === error.field);
  if (!name) return false;
  form.setFields([{ name, errors: [text(error)] }]);
  return true;
}
