import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { EnvError, isPlaceholderSecret, loadEnv } from './env';

const goodSecret = 'q3Jk9vR2mX8pL5tW1zN7cB4hY6fD0sGa'; // 32 bytes
const production = {
  NODE_ENV: 'production' as const,
  DATABASE_URL: 'postgres://coplan@db.example.org/coplan',
};

/** The embedded demo: no DATABASE_URL, its own data directory. */
function demo(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { NODE_ENV: 'production', COPLAN_DATA_DIR: dataDir(), ...extra };
}

function dataDir(): string {
  return mkdtempSync(join(tmpdir(), 'coplan-env-'));
}

describe('AUTH_SECRET in production', () => {
  it('starts with a long random secret', () => {
    const env = loadEnv({ ...production, AUTH_SECRET: goodSecret });
    expect(env.authSecret).toBe(goodSecret);
  });

  it('refuses to start without one, saying how to make one', () => {
    expect(() => loadEnv({ ...production })).toThrow(EnvError);
    expect(() => loadEnv({ ...production })).toThrow(/AUTH_SECRET is required.*openssl rand/);
  });

  it.each(['changeme', 'CHANGE-ME', 'secret', 'your-secret-here', 'your_auth_secret'])(
    'refuses the placeholder %s',
    (value) => {
      // Padded to the length limit, so the refusal is for being a placeholder.
      const padded = value.repeat(Math.ceil(40 / value.length));
      expect(() => loadEnv({ ...production, AUTH_SECRET: padded })).toThrow(/placeholder/);
    },
  );

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() => loadEnv({ ...production, AUTH_SECRET: goodSecret.slice(0, 31) })).toThrow(
      /too short.*32 bytes/,
    );
  });

  it('counts bytes, not characters', () => {
    // 16 Chinese characters are 48 bytes of UTF-8.
    expect(() =>
      loadEnv({ ...production, AUTH_SECRET: '海南技师学院柬埔寨吴哥国立理工学院' }),
    ).not.toThrow();
  });

  it('refuses one character repeated', () => {
    expect(() => loadEnv({ ...production, AUTH_SECRET: 'x'.repeat(64) })).toThrow(/placeholder/);
  });

  it('keeps generating its own secret for the embedded demo', () => {
    const env = loadEnv(demo());
    expect(Buffer.byteLength(env.authSecret)).toBeGreaterThanOrEqual(32);
    expect(isPlaceholderSecret(env.authSecret)).toBe(false);
  });
});

describe('TRUST_PROXY', () => {
  it('trusts no proxy by default', () => {
    expect(loadEnv(demo()).trustedProxies).toBe(0);
    expect(loadEnv(demo({ TRUST_PROXY: 'off' })).trustedProxies).toBe(0);
  });

  it('takes the number of proxies', () => {
    expect(loadEnv(demo({ TRUST_PROXY: '1' })).trustedProxies).toBe(1);
  });

  it('refuses anything else', () => {
    expect(() => loadEnv(demo({ TRUST_PROXY: 'true' }))).toThrow(/TRUST_PROXY/);
  });
});
