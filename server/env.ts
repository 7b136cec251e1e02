/**
 * The process's configuration, parsed once at start from the environment. Everything after this
 * trusts the types. See the env table in README.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/**
 * Values copied from examples instead of generated. Compared lower-cased, with everything but
 * letters and digits dropped, so "Change-Me!" and "your_secret_here" are caught too; a secret made
 * of one repeated character is refused as well.
 */
const placeholderSecrets = new Set([
  'changeme',
  'changemeplease',
  'changethis',
  'secret',
  'yoursecret',
  'yoursecrethere',
  'yourauthsecret',
  'authsecret',
  'nextauthsecret',
  'replaceme',
  'password',
  'coplan',
  'coplansecret',
  'development',
  'test',
  'example',
]);

export function isPlaceholderSecret(value: string): boolean {
  const squashed = value.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (placeholderSecrets.has(squashed)) return true;
  // "changeme" repeated or padded to the length limit is still "changeme".
  for (const placeholder of placeholderSecrets) {
    if (squashed.length > 0 && squashed.replaceAll(placeholder, '') === '') return true;
  }
  return new Set(value).size <= 2;
}

const minSecretBytes = 32;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
    .optional(),
  COPLAN_DATA_DIR: z.string().min(1).default('./.data'),
  AUTH_SECRET: z
    .string()
    .refine(
      (value) => Buffer.byteLength(value) >= minSecretBytes,
      `AUTH_SECRET is too short: at least ${minSecretBytes} bytes of random text (generate one: openssl rand -base64 32)`,
    )
    .refine(
      (value) => !isPlaceholderSecret(value),
      'AUTH_SECRET is a placeholder, not a secret (generate one: openssl rand -base64 32)',
    )
    .optional(),
  TRUST_PROXY: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^(off|false|no|[0-9])$/, 'TRUST_PROXY must be off or the number of proxies (0–9)')
    .default('off'),
  COPLAN_PUBLIC_URL: z.url().optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'REDIS_URL must be a redis:// or rediss:// URL')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'SMTP_URL must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).optional(),
  DIGEST_INTERVAL_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
  METRICS_TOKEN: z
    .string()
    .min(24, 'METRICS_TOKEN must be at least 24 characters (try: openssl rand -hex 24)')
    .optional(),
});

export interface Env {
  port: number;
  host: string | undefined;
  databaseUrl: string | undefined;
  dataDir: string;
  authSecret: string;
  /** The URL people open, e.g. https://coplan.example.org; links and the Origin check use it. */
  publicUrl: URL;
  /** Origins allowed to open WebSocket and socket.io connections. */
  allowedOrigins: ReadonlySet<string>;
  /** Set when several instances serve the same plans (Redis pub/sub between them). */
  redisUrl: string | undefined;
  /**
   * How many reverse proxies stand in front of this server (TRUST_PROXY); only then is
   * X-Forwarded-For believed for the client's address (sign-in throttling). 0 by default.
   */
  trustedProxies: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** E-mail digests of unread notifications: only when SMTP_URL is set. */
  mail: { smtpUrl: string; from: string; digestIntervalMinutes: number } | undefined;
  /** Bearer token for GET /metrics; without it the route answers 404. */
  metricsToken?: string | undefined;
}

export class EnvError extends Error {
  override name = 'EnvError';
}

/**
 * On the embedded default a random secret is generated once and kept in the data directory, so
 * sessions survive restarts without the newcomer configuring anything.
 */
function readOrCreateSecret(dataDir: string): string {
  const file = join(dataDir, 'auth-secret');
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EnvError(`${issue?.path.join('.') ?? 'environment'}: ${issue?.message ?? 'invalid'}`);
  }
  const vars = parsed.data;
  const dataDir = resolve(vars.COPLAN_DATA_DIR);
  if (vars.DATABASE_URL && !vars.AUTH_SECRET) {
    throw new EnvError(
      'AUTH_SECRET is required when DATABASE_URL is set: sessions of every instance are signed with it (at least 32 random bytes; generate one: openssl rand -base64 32)',
    );
  }
  if (vars.REDIS_URL && !vars.DATABASE_URL) {
    // Several instances share one record; the embedded database belongs to one process.
    throw new EnvError(
      'REDIS_URL (several instances) needs DATABASE_URL: PGlite serves one process',
    );
  }
  const authSecret = vars.AUTH_SECRET ?? readOrCreateSecret(dataDir);
  const publicUrl = new URL(vars.COPLAN_PUBLIC_URL ?? `http://localhost:${vars.PORT}`);
  const allowedOrigins = new Set([publicUrl.origin]);
  if (!vars.COPLAN_PUBLIC_URL) {
    // The default public URL is localhost; the same machine may also be reached as 127.0.0.1.
    allowedOrigins.add(`http://127.0.0.1:${vars.PORT}`);
  }
  return {
    port: vars.PORT,
    host: vars.HOST,
    databaseUrl: vars.DATABASE_URL,
    dataDir,
    authSecret,
    publicUrl,
    allowedOrigins,
    redisUrl: vars.REDIS_URL,
    trustedProxies: /^[0-9]$/.test(vars.TRUST_PROXY) ? Number(vars.TRUST_PROXY) : 0,
    logLevel: vars.LOG_LEVEL,
    metricsToken: vars.METRICS_TOKEN,
    mail: vars.SMTP_URL
      ? {
          smtpUrl: vars.SMTP_URL,
          // Mail servers refuse a sender of no domain; the public URL's host is ours.
          from: vars.MAIL_FROM ?? `Coplan <coplan@${publicUrl.hostname}>`,
          digestIntervalMinutes: vars.DIGEST_INTERVAL_MINUTES,
        }
      : undefined,
  };
}

/**
 * next-auth (inside Next's bundle) reads its URL and secret from process.env: the custom server
 * sets them from the parsed configuration before Next starts.
 */
export function exportEnvForNext(env: Env): void {
  process.env.NEXTAUTH_URL = env.publicUrl.origin;
  process.env.NEXTAUTH_SECRET = env.authSecret;
  process.env.AUTH_SECRET = env.authSecret;
}
