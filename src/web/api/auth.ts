/** Session, password and second-factor endpoints (`/api/auth/*`). */
import { ApiError, api, setCsrfToken } from './client';
import type { SessionResponse, SessionUser, TotpSetup } from './types';

function keep(session: SessionResponse): SessionUser {
  setCsrfToken(session.csrfToken);
  return session.user;
}

/** The current session's user, or null when nobody is logged in. */
export async function fetchMe(): Promise<SessionUser | null> {
  try {
    return keep(await api.get<SessionResponse>('/api/auth/me', undefined, { silent: true }));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export async function login(username: string, password: string): Promise<SessionUser> {
  return keep(await api.post<SessionResponse>('/api/auth/login', { username, password }, { silent: true }));
}

export async function logout(): Promise<void> {
  try {
    await api.post<void>('/api/auth/logout', {}, { silent: true });
  } finally {
    setCsrfToken(null);
  }
}

export function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  return api.post<void>('/api/auth/password', { currentPassword, newPassword }, { silent: true });
}

export function fetchTotpSetup(): Promise<TotpSetup> {
  return api.get<TotpSetup>('/api/auth/totp/setup', undefined, { silent: true });
}

export function enableTotp(code: string): Promise<unknown> {
  return api.post<unknown>('/api/auth/totp/enable', { code }, { silent: true });
}

export function verifyTotp(code: string): Promise<unknown> {
  return api.post<unknown>('/api/auth/totp/verify', { code }, { silent: true });
}
