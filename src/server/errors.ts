/** Errors with a stable machine code; the client maps codes to messages. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what = 'object') => new AppError(404, 'not_found', `${what} not found`);
export const forbidden = (message = 'You do not have permission for this action') =>
  new AppError(403, 'forbidden', message);
export const unauthenticated = (message = 'Please log in') => new AppError(401, 'unauthenticated', message);
export const badRequest = (code: string, message: string, field?: string) => new AppError(400, code, message, field);
export const validation = (field: string, message: string) =>
  new AppError(400, 'validation', `${field}: ${message}`, field);
export const conflict = (code: string, message: string, field?: string) => new AppError(409, code, message, field);
