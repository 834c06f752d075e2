/**
 * buildApp(config): plugins, the session/CSRF gate, error mapping, and the domain route modules.
 * Routes stay thin: validate (zod schema) → authorize (auth/policy.ts) → service → present.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { auditRoutes } from './audit/audit.routes.js';
import { authRoutes, cookieName } from './auth/auth.routes.js';
import { authenticate } from './auth/auth.service.js';
import { requirePermission, ScopeDenied } from './auth/policy.js';
import type { Config } from './config.js';
import { type AppContext, audit, type TypedApp } from './context.js';
import { loadFieldCipher } from './crypto/sm.js';
import { type Database, openDatabase } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { AppError, unauthenticated } from './errors.js';
import { complianceRoutes } from './modules/compliance/compliance.routes.js';
import { divisionRoutes } from './modules/divisions/divisions.routes.js';
import { grantRoutes } from './modules/grants/grants.routes.js';
import { learningRoutes } from './modules/learning/learning.routes.js';
import { meetingRoutes } from './modules/meetings/meetings.routes.js';
import { redactPersonalNumbers } from './modules/members/members.personal.js';
import { memberRoutes } from './modules/members/members.routes.js';
import { UPLOAD_LIMIT_BYTES } from './modules/members/members.upload.js';
import { orgRoutes } from './modules/orgs/orgs.routes.js';
import { settingsRoutes } from './modules/settings/settings.routes.js';
import { staffingRoutes } from './modules/staffing/staffing.routes.js';
import { transferRoutes } from './modules/transfers/transfers.routes.js';
import { userRoutes } from './modules/users/users.routes.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const WEB_DIR = path.resolve(here, '../../dist/web');

export interface BuiltApp {
  app: TypedApp;
  ctx: AppContext;
}

function errorBody(code: string, message: string, field?: string, details?: unknown) {
  return { error: { code, message, ...(field ? { field } : {}), ...(details !== undefined ? { details } : {}) } };
}

export async function buildApp(config: Config, opts: { database?: Database } = {}): Promise<BuiltApp> {
  const database = opts.database ?? openDatabase(config);
  await migrateToLatest(database.db, config.databaseSchema);
  const cipher = loadFieldCipher(config.dataDir, config.fieldKey);
  const ctx: AppContext = {
    config,
    database,
    db: database.db,
    cipher,
    auth: { db: database.db, cipher, passwordIterations: config.passwordIterations },
    clock: Date.now,
  };

  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            // `?q=` may carry a full ID or mobile number (exact search): logs get the masked form.
            serializers: {
              req: (req: { method: string; url: string; ip?: string }) => ({
                method: req.method,
                url: redactPersonalNumbers(req.url),
                remoteAddress: req.ip,
              }),
            },
          },
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    // Start-up work (migrations, default rules) may be slow on a busy database server.
    pluginTimeout: 120_000,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('auth', null);
  // Every API route declares the permission it needs (or 'session' / 'public'): no route slips through.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') && !route.url.startsWith('/api/docs') && !route.config?.permission) {
      throw new Error(`route ${route.method} ${route.url} declares no permission`);
    }
  });
  app.addHook('onClose', async () => database.close());

  await app.register(fastifyCookie);
  // Uploads (roster import): one file per request, size-limited; type checked by magic bytes in the route.
  await app.register(fastifyMultipart, { limits: { fileSize: UPLOAD_LIMIT_BYTES, files: 1, fields: 10, parts: 11 } });
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // antd renders CSS-in-JS <style> tags; scripts stay strictly external.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: config.cookieSecure ? [] : null,
      },
    },
    hsts: config.cookieSecure ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: '党建平台 API', version: config.version, description: 'Party-building platform API' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: cookieName(config.cookieSecure) },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
      security: [{ session: [], csrf: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  // ---- the gate: CSRF, session, second factor, forced password change, the route's permission ---------
  // Runs before body validation, so an unauthorised caller learns nothing from validation errors.
  app.addHook('preValidation', async (req) => {
    if (!req.url.startsWith('/api/') || req.url.startsWith('/api/docs')) return;
    const cfg = req.routeOptions.config;
    const safe = req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS';
    const token = req.cookies[cookieName(config.cookieSecure)];
    if (token) req.auth = await authenticate(ctx.auth, token);
    if (!safe && !cfg.noCsrf) {
      const header = req.headers['x-csrf-token'];
      if (typeof header !== 'string' || header.length === 0) {
        await audit(ctx, req, 'access.csrf_missing', `${req.method} ${req.url}`, 'denied');
        throw new AppError(403, 'csrf', 'Missing x-csrf-token header');
      }
      if (req.auth && header !== req.auth.session.csrfToken) {
        await audit(ctx, req, 'access.csrf_invalid', `${req.method} ${req.url}`, 'denied');
        throw new AppError(403, 'csrf', 'Invalid x-csrf-token header');
      }
    }
    if (cfg.public) return;
    if (!req.auth) throw unauthenticated();
    if (cfg.allowPending) return;
    if (req.auth.session.mfaPending) throw new AppError(401, 'mfa_required', 'Second factor required');
    if (req.auth.session.mustChangePassword || req.auth.session.passwordExpired) {
      throw new AppError(403, 'password_change_required', 'Please change your password first');
    }
    // The route's declared permission must be held somewhere; where exactly is checked per object.
    if (cfg.permission && cfg.permission !== 'session' && cfg.permission !== 'public') {
      requirePermission(req.auth.principal, cfg.permission);
    }
  });

  app.addHook('onSend', async (req, reply) => {
    if (req.url.startsWith('/api/') && !req.url.startsWith('/api/docs')) reply.header('Cache-Control', 'no-store');
  });

  app.setErrorHandler(async (err: FastifyError, req: FastifyRequest, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const first = err.validation[0];
      const field =
        (first?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.') || err.validationContext || 'body';
      const message = `${field}: ${first?.message ?? 'is invalid'}`;
      return reply.code(400).send(errorBody('validation', message, String(field)));
    }
    if (err instanceof AppError) {
      if (err.status === 403 && err.code === 'forbidden') {
        await audit(ctx, req, 'access.denied', `${req.method} ${req.routeOptions.url ?? req.url}`, 'denied');
      } else if (err instanceof ScopeDenied) {
        await audit(ctx, req, 'access.out_of_scope', `${req.method} ${req.url}`, 'denied');
      }
      return reply.code(err.status).send(errorBody(err.code, err.message, err.field, err.details));
    }
    const status = err.statusCode ?? 500;
    if (status === 429) return reply.code(429).send(errorBody('rate_limited', 'Too many requests; try again later'));
    if (status < 500) {
      const code = err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'unsupported_media_type' : 'bad_request';
      return reply.code(status).send(errorBody(code, err.message));
    }
    req.log.error(err);
    return reply.code(500).send(errorBody('internal', 'Internal error'));
  });

  // ---- routes ----------------------------------------------------------------------------------------
  app.get('/api/health', { schema: { tags: ['system'] }, config: { public: true, permission: 'public' } }, async () => {
    await ctx.db.selectFrom('settings').select('key').limit(1).execute();
    return { status: 'ok', db: database.dialect, version: config.version };
  });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { public: true, permission: 'public' } }, async () =>
    app.swagger(),
  );
  authRoutes(app, ctx);
  orgRoutes(app, ctx);
  divisionRoutes(app, ctx);
  userRoutes(app, ctx);
  grantRoutes(app, ctx);
  settingsRoutes(app, ctx);
  auditRoutes(app, ctx);
  memberRoutes(app, ctx);
  staffingRoutes(app, ctx);
  transferRoutes(app, ctx);
  meetingRoutes(app, ctx);
  complianceRoutes(app, ctx);
  learningRoutes(app, ctx);

  // ---- the web client ---------------------------------------------------------------------------------
  const hasWeb = fs.existsSync(path.join(WEB_DIR, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: WEB_DIR, wildcard: false, index: ['index.html'] });
  app.setNotFoundHandler(async (req, reply) => {
    if (req.url.startsWith('/api/') || req.method !== 'GET') {
      return reply.code(404).send(errorBody('not_found', `No route ${req.method} ${req.url.split('?')[0]}`));
    }
    if (!hasWeb) return reply.code(404).type('text/plain').send('Web client not built: run `npm run build`');
    return reply.type('text/html').header('Cache-Control', 'no-cache').sendFile('index.html');
  });

  return { app, ctx };
}
