/**
 * Headers every HTTP response carries, set before the request is routed (API routes, socket.io
 * polling, the 404 and Next's pages alike).
 *
 * The Content-Security-Policy has a fresh nonce per request. Next (App Router) reads the nonce
 * from the *request's* `Content-Security-Policy` header and puts it on every script it renders,
 * so the same policy is written on the request before Next sees it (overwriting any a client
 * sent) and on the response. With `'strict-dynamic'`, scripts those nonced scripts load (Next's
 * chunks) run too; nothing else does: an injected `<script>` or `javascript:` URL is refused.
 * A nonce only reaches pages rendered per request: ours are, as the root layout reads the
 * locale cookie; only `/_global-error` is prerendered (see docs/security.md).
 *
 * `style-src 'unsafe-inline'`: React renders `style={…}` props as `style="…"` attributes in the
 * server HTML, and the editor, the board's drag layer and the charts position elements with
 * them. A nonce cannot cover attributes, and inline styles cannot run code; scripts stay strict.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface SecurityHeaderConfig {
  /** The configured public URL: the scheme decides HSTS. */
  publicUrl: URL;
  /** Origins the app is served from (the public URL's, plus 127.0.0.1 on the default). */
  allowedOrigins: ReadonlySet<string>;
  /** Next's development server evaluates code for its overlay and fast refresh. */
  dev: boolean;
}

/** The WebSocket origins (ws:, wss:) of the app's own HTTP origins: sync and socket.io. */
function webSocketOrigins(origins: ReadonlySet<string>): string[] {
  return [...origins].map((origin) => origin.replace(/^http(s?):/, 'ws$1:'));
}

export function buildContentSecurityPolicy(nonce: string, config: SecurityHeaderConfig): string {
  const scriptSrc = ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"];
  if (config.dev) scriptSrc.push("'unsafe-eval'");
  const directives = [
    "default-src 'self'",
    `script-src ${scriptSrc.join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ${webSocketOrigins(config.allowedOrigins).join(' ')}`,
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ];
  return directives.join('; ');
}

/** Sets the security headers on the response and the CSP (with its nonce) on the request. */
export function applySecurityHeaders(
  req: IncomingMessage,
  res: ServerResponse,
  config: SecurityHeaderConfig,
): void {
  const nonce = randomBytes(16).toString('base64');
  const policy = buildContentSecurityPolicy(nonce, config);
  req.headers['content-security-policy'] = policy;
  delete req.headers['content-security-policy-report-only'];
  res.setHeader('Content-Security-Policy', policy);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // Same-origin: plan pages, invitations and public boards carry slugs and tokens in their
  // paths; nothing we link to needs even our origin (see docs/security.md).
  res.setHeader('Referrer-Policy', 'same-origin');
  // Older browsers that ignore frame-ancestors.
  res.setHeader('X-Frame-Options', 'DENY');
  if (config.publicUrl.protocol === 'https:') {
    res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  }
}
