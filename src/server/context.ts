/** What every route module receives: the database, config, field cipher, and request helpers. */
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Permission } from '../shared/roles.js';
import { type AuditResult, record } from './audit/audit.service.js';
import type { AuthContext, Authenticated } from './auth/auth.service.js';
import type { Principal } from './auth/policy.js';
import type { Config } from './config.js';
import type { FieldCipher } from './crypto/sm.js';
import type { Database } from './db/connect.js';
import type { Db } from './db/database.js';
import { unauthenticated } from './errors.js';

export interface AppContext {
  config: Config;
  database: Database;
  db: Db;
  cipher: FieldCipher;
  auth: AuthContext;
  /**
   * The server's clock (epoch ms). Learning heartbeats are credited by the time between their arrivals as read
   * here; tests replace it to drive playback time without sleeping.
   */
  clock: () => number;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: Authenticated | null;
  }
  interface FastifyContextConfig {
    /** reachable without a session */
    public?: boolean;
    /** reachable while a second factor or a password change is still pending */
    allowPending?: boolean;
    /** exempt from the CSRF header (login only: it has no session yet and takes JSON only) */
    noCsrf?: boolean;
    /** permission named in the OpenAPI document and the authorization matrix */
    permission?: Permission | 'session' | 'public';
  }
}

export function principal(req: FastifyRequest): Principal {
  if (!req.auth) throw unauthenticated();
  return req.auth.principal;
}

/** Writes an audit row for the request's actor. */
export async function audit(
  ctx: AppContext,
  req: FastifyRequest,
  action: string,
  target: string | null,
  result: AuditResult = 'success',
  detail?: Record<string, unknown>,
): Promise<void> {
  const p = req.auth?.principal;
  await record(ctx.db, {
    actorId: p?.userId ?? null,
    actor: p?.username ?? 'anonymous',
    action,
    target,
    result,
    ip: req.ip,
    detail: detail ?? null,
  });
}

export type TypedApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;
