/**
 * `GET /metrics` for Prometheus, on the application's own port, behind a bearer token.
 *
 * Why a token rather than a separate operator port: with several instances behind a proxy each
 * one is scraped on its own address anyway, a token works the same in a container, on a host and
 * through an SSH tunnel, and it needs no second listener to open and close. If the proxy forwards
 * `/metrics` by mistake, the token still guards it. Without METRICS_TOKEN the route does not
 * exist (404), so nothing is exposed by default; a wrong or missing token is a 401.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { coplanMetrics } from './metrics';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Constant-time: both sides are hashed to the same length first. */
export function isMetricsTokenValid(header: string | undefined, token: string): boolean {
  const match = /^Bearer ([^\s]+)$/.exec(header ?? '');
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), digest(token));
}

export async function handleMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  token: string | undefined,
): Promise<void> {
  const send = (status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
      ...headers,
    });
    res.end(body);
  };
  if (!token) return send(404, 'not found\n');
  if (!isMetricsTokenValid(req.headers.authorization, token)) {
    return send(401, 'a valid bearer token is required\n', {
      'WWW-Authenticate': 'Bearer realm="metrics"',
    });
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return send(405, 'GET only\n', { Allow: 'GET, HEAD' });
  }
  const { registry } = coplanMetrics();
  const body = await registry.metrics();
  res.writeHead(200, {
    'Content-Type': registry.contentType,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
