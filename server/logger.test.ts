import { Writable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { scrubUrl } from './log-scrub';
import { createRootLogger } from './logger';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createRootLogger('info', stream), lines };
}

describe('scrubUrl', () => {
  it.each([
    ['/share/abcDEF123_-xyz', '/share/[redacted]'],
    ['/share/abc/progress?lang=km', '/share/[redacted]/progress?lang=km'],
    ['/api/share/abc123/progress', '/api/share/[redacted]/progress'],
    ['/calendar/s3cr3t.ics?lang=zh-CN', '/calendar/[redacted].ics?lang=zh-CN'],
    ['/invite/t0ken', '/invite/[redacted]'],
    ['https://coplan.example.org/invite/t0ken#x', 'https://coplan.example.org/invite/[redacted]#x'],
    [
      '/socket.io/?EIO=4&share=t0ken&transport=websocket',
      '/socket.io/?EIO=4&share=[redacted]&transport=websocket',
    ],
    [
      '/api/auth/callback?code=abc&state=def',
      '/api/auth/callback?code=[redacted]&state=[redacted]',
    ],
    ['postgres://coplan:hunter2@db:5432/coplan', 'postgres://coplan:[redacted]@db:5432/coplan'],
    ['smtp://mailer:pa%40ss@smtp.example.org:587', 'smtp://mailer:[redacted]@smtp.example.org:587'],
    [
      '/plans/htc-npia-2022-2023/progress?status=done',
      '/plans/htc-npia-2022-2023/progress?status=done',
    ],
    ['/shared-things/x', '/shared-things/x'],
  ])('%s', (input, expected) => {
    expect(scrubUrl(input)).toBe(expected);
  });
});

describe('the logger', () => {
  it('writes JSON lines without cookies, authorisation, passwords, tokens or secret URLs', () => {
    const { logger, lines } = capture();
    logger.child({ module: 'test' }).info(
      {
        url: '/calendar/feed-secret.ics',
        path: '/share/share-secret',
        req: {
          method: 'GET',
          url: '/invite/invite-secret?lang=km',
          headers: {
            cookie: 'session=cookie-secret',
            authorization: 'Bearer bearer-secret',
            'user-agent': 'ua',
          },
        },
        headers: { cookie: 'c=cookie-secret-2', authorization: 'Basic basic-secret' },
        password: 'password-secret',
        user: {
          email: 'a@example.org',
          passwordHash: '$argon2id$hash-secret',
          token: 'token-secret',
        },
        env: { authSecret: 'auth-secret-value', databaseUrl: 'postgres://u:db-secret@h/d' },
      },
      'something happened',
    );
    expect(lines).toHaveLength(1);
    const line = lines[0] ?? '';
    const entry = JSON.parse(line) as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 30, module: 'test', msg: 'something happened' });
    expect(entry.req).toEqual({
      method: 'GET',
      url: '/invite/[redacted]?lang=km',
      headers: { cookie: '[redacted]', authorization: '[redacted]', 'user-agent': 'ua' },
    });
    expect(line).toContain('a@example.org');
    expect(line).not.toMatch(/secret|hash-secret|argon2/);
  });
});
