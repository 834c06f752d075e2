/** Every environment variable the server reads, validated once, with defaults. */
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'on' || v === 'yes');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres://')
    .optional(),
  /** PostgreSQL schema to use (tests give each run its own). */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/)
    .optional(),
  DEMO: bool.default(true),
  COOKIE_SECURE: bool.default(false),
  TRUST_PROXY: bool.default(false),
  LOGIN_RATE_LIMIT: z.coerce.number().int().positive().default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Hex key for SM4 field encryption; otherwise a key file in DATA_DIR is created with mode 0600. */
  FIELD_KEY: z
    .string()
    .regex(/^[0-9a-f]{32}$/i, 'must be 32 hex characters (128-bit SM4 key)')
    .optional(),
  /** PBKDF2-SM3 iterations for new password hashes. */
  PASSWORD_ITERATIONS: z.coerce.number().int().min(1000).default(120000),
  /** Largest learning media upload (video, audio, PDF), MB. */
  LEARNING_MEDIA_LIMIT_MB: z.coerce.number().positive().max(4096).default(200),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  databaseSchema: string | undefined;
  demo: boolean;
  cookieSecure: boolean;
  trustProxy: boolean;
  loginRateLimit: number;
  logLevel: string;
  fieldKey: string | undefined;
  passwordIterations: number;
  learningMediaLimitBytes: number;
  version: string;
}

export const VERSION = '0.1.0';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable counts as unset.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    databaseSchema: e.DATABASE_SCHEMA,
    demo: e.DEMO,
    cookieSecure: e.COOKIE_SECURE,
    trustProxy: e.TRUST_PROXY,
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    logLevel: e.LOG_LEVEL,
    fieldKey: e.FIELD_KEY,
    passwordIterations: e.PASSWORD_ITERATIONS,
    learningMediaLimitBytes: Math.round(e.LEARNING_MEDIA_LIMIT_MB * 1024 * 1024),
    version: VERSION,
  };
}
