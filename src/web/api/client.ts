/**
 * Typed fetch client for the JSON API: same-origin cookies, the CSRF header on writes,
 * `{"error":{…}}` bodies mapped to ApiError, and the central redirects for the session states
 * that block every page (not logged in, second factor pending, password change required).
 */

export interface ApiErrorBody {
  code: string;
  message?: string;
  field?: string;
  details?: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field?: string;
  readonly details?: unknown;
  /** The server's human-readable message (may be empty). */
  readonly serverMessage: string;

  constructor(status: number, body: ApiErrorBody) {
    super(body.message || body.code);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.field = body.field;
    this.details = body.details;
    this.serverMessage = body.message ?? '';
  }
}

/** Session states the whole app reacts to, wherever the request came from. */
export type SessionSignal = 'unauthenticated' | 'mfa_required' | 'password_change_required';

type SignalHandler = (signal: SessionSignal) => void;

// The CSRF token lives in memory only: it comes back with every login and `GET /api/auth/me`.
let csrfToken: string | null = null;
let signalHandler: SignalHandler | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function onSessionSignal(handler: SignalHandler | null): void {
  signalHandler = handler;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | boolean | null | undefined>;
  /** Do not trigger the central redirects (used by the session probe and the login form). */
  silent?: boolean;
}

function buildUrl(path: string, query?: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function isErrorEnvelope(value: unknown): value is { error: ApiErrorBody } {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}

function signalFor(error: ApiError): SessionSignal | null {
  if (error.status === 401 && error.code === 'unauthenticated') return 'unauthenticated';
  if (error.status === 401 && error.code === 'mfa_required') return 'mfa_required';
  if (error.status === 403 && error.code === 'password_change_required') return 'password_change_required';
  return null;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, { code: 'network' });
  }

  const text = response.status === 204 ? '' : await response.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }

  if (!response.ok) {
    const body: ApiErrorBody = isErrorEnvelope(data)
      ? data.error
      : { code: response.status === 429 ? 'rate_limited' : 'http_error', message: '' };
    const error = new ApiError(response.status, body);
    const signal = signalFor(error);
    if (signal === 'unauthenticated') csrfToken = null;
    if (signal && !options.silent) signalHandler?.(signal);
    throw error;
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: RequestOptions['query'], extra?: Omit<RequestOptions, 'method' | 'query'>) =>
    request<T>(path, { ...extra, method: 'GET', query }),
  post: <T>(path: string, body?: unknown, extra?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...extra, method: 'POST', body: body ?? {} }),
  put: <T>(path: string, body: unknown) => request<T>(path, { method: 'PUT', body }),
  patch: <T>(path: string, body: unknown) => request<T>(path, { method: 'PATCH', body }),
  del: <T = void>(path: string) => request<T>(path, { method: 'DELETE' }),
};
