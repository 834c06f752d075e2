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
  const data: unknown = text ? parseJson(text) : null;

  if (!response.ok) throw failure(response.status, data, options.silent);
  return data as T;
}

/** The ApiError for a failed response, after the central reaction to session states. */
function failure(status: number, data: unknown, silent?: boolean): ApiError {
  const body: ApiErrorBody = isErrorEnvelope(data)
    ? data.error
    : { code: status === 429 ? 'rate_limited' : 'http_error', message: '' };
  const error = new ApiError(status, body);
  const signal = signalFor(error);
  if (signal === 'unauthenticated') csrfToken = null;
  if (signal && !silent) signalHandler?.(signal);
  return error;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A file the server sent (`Content-Disposition: attachment`), kept in memory until it is saved. */
export interface DownloadedFile {
  blob: Blob;
  filename: string;
}

/** The file name of a `Content-Disposition` header: the UTF-8 `filename*` when present. */
export function filenameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1]!.trim());
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1]!.trim() : fallback;
}

/** GET a file (an Excel export): errors come back as ApiError like every other call. */
export async function downloadFile(
  path: string,
  query: RequestOptions['query'],
  fallbackName: string,
): Promise<DownloadedFile> {
  let response: Response;
  try {
    response = await fetch(buildUrl(path, query), { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, { code: 'network' });
  }
  if (!response.ok) throw failure(response.status, parseJson(await response.text()));
  return {
    blob: await response.blob(),
    filename: filenameOf(response.headers.get('content-disposition'), fallbackName),
  };
}

/** Hands a downloaded file to the browser's save dialog (the object URL lives only for the click). */
export function saveFile(file: DownloadedFile): void {
  const url = URL.createObjectURL(file.blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.filename;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export interface UploadOptions {
  query?: RequestOptions['query'];
  /** Bytes sent so far (XMLHttpRequest upload progress). */
  onProgress?: (loaded: number, total: number) => void;
  /** The whole file has been sent: the server is working on it now. */
  onUploaded?: () => void;
  signal?: AbortSignal;
}

/**
 * POSTs one file as multipart field `file` with upload progress (fetch has none), the CSRF header and
 * the usual error mapping. `as: 'file'` returns the response body as a file (the marked error workbook).
 */
export function uploadFile<T>(path: string, file: File, options: UploadOptions & { as?: 'json' }): Promise<T>;
export function uploadFile(path: string, file: File, options: UploadOptions & { as: 'file' }): Promise<DownloadedFile>;
export function uploadFile(
  path: string,
  file: File,
  options: UploadOptions & { as?: 'json' | 'file' },
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', buildUrl(path, options.query));
    xhr.withCredentials = true;
    xhr.responseType = options.as === 'file' ? 'blob' : 'text';
    xhr.setRequestHeader('accept', options.as === 'file' ? '*/*' : 'application/json');
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.(event.loaded, event.total);
    };
    xhr.upload.onload = () => options.onUploaded?.();
    xhr.onerror = () => reject(new ApiError(0, { code: 'network' }));
    xhr.onabort = () => reject(new ApiError(0, { code: 'aborted' }));
    const textOf = async () =>
      xhr.responseType === 'blob' ? await (xhr.response as Blob).text() : (xhr.response as string);
    xhr.onload = async () => {
      if (xhr.status < 200 || xhr.status >= 300) {
        reject(failure(xhr.status, parseJson(await textOf())));
        return;
      }
      if (options.as === 'file') {
        resolve({
          blob: xhr.response as Blob,
          filename: filenameOf(xhr.getResponseHeader('content-disposition'), file.name),
        });
      } else {
        const text = await textOf();
        resolve(text ? parseJson(text) : null);
      }
    };
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append('file', file);
    xhr.send(form);
  });
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

/**
 * POSTs a multipart form: the text fields first (a streaming parser sees them before the files), then each
 * given file under its field name; upload progress, CSRF header and error mapping as in `uploadFile`.
 */
export function uploadForm<T>(
  path: string,
  fields: Record<string, string>,
  files: Record<string, File | null | undefined>,
  options: UploadOptions = {},
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', buildUrl(path, options.query));
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.(event.loaded, event.total);
    };
    xhr.upload.onload = () => options.onUploaded?.();
    xhr.onerror = () => reject(new ApiError(0, { code: 'network' }));
    xhr.onabort = () => reject(new ApiError(0, { code: 'aborted' }));
    xhr.onload = () => {
      const text = xhr.responseText;
      if (xhr.status < 200 || xhr.status >= 300) {
        reject(failure(xhr.status, parseJson(text)));
        return;
      }
      resolve((text ? parseJson(text) : null) as T);
    };
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) form.append(key, value);
    for (const [key, file] of Object.entries(files)) if (file) form.append(key, file);
    xhr.send(form);
  });
}

/** The CSRF token for requests made outside this client (keepalive heartbeats when the page goes away). */
export function currentCsrfToken(): string | null {
  return csrfToken;
}
