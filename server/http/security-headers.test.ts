import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';

import {
  applySecurityHeaders,
  buildContentSecurityPolicy,
  type SecurityHeaderConfig,
} from './security-headers';

const https: SecurityHeaderConfig = {
  publicUrl: new URL('https://coplan.example.org'),
  allowedOrigins: new Set(['https://coplan.example.org']),
  dev: false,
};

let server: Server | null = null;
afterEach(
  () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
);

/** A real server applying the headers, echoing the CSP the request carried (as Next reads it). */
async function serve(config: SecurityHeaderConfig): Promise<string> {
  server = createServer((req, res) => {
    applySecurityHeaders(req, res, config);
    res.end(String(req.headers['content-security-policy']));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('security headers', () => {
  it('send HSTS and allow wss: to the public origin when the public URL is https', async () => {
    const response = await fetch(await serve(https));
    expect(response.headers.get('strict-transport-security')).toBe(
      'max-age=31536000; includeSubDomains',
    );
    const policy = response.headers.get('content-security-policy');
    expect(policy).toContain("connect-src 'self' wss://coplan.example.org;");
    expect(policy).not.toContain('unsafe-eval');
  });

  it('hand Next, on the request, the same policy and nonce the response carries', async () => {
    const response = await fetch(await serve(https), {
      headers: { 'content-security-policy': "script-src 'nonce-forged'" },
    });
    expect(await response.text()).toBe(response.headers.get('content-security-policy'));
  });

  it("allow eval only for Next's development server", () => {
    const policy = buildContentSecurityPolicy('abc', { ...https, dev: true });
    expect(policy).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic' 'unsafe-eval';");
  });
});
