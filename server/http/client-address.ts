/**
 * The address of the person making a request, for per-address limits. By default the TCP peer:
 * X-Forwarded-For is written by whoever sends the request, so it is believed only behind
 * proxies the operator declares (TRUST_PROXY = how many proxies stand in front of Coplan).
 * With N trusted proxies the client is the Nth address from the right of the chain
 * `X-Forwarded-For…, peer`: each trusted proxy appended the address it saw.
 */
import type { IncomingMessage } from 'node:http';

export function clientAddress(req: IncomingMessage, trustedProxies: number): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (trustedProxies <= 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0 && part.length <= 64);
  const chain = [...forwarded, peer];
  return chain[Math.max(0, chain.length - 1 - trustedProxies)] ?? peer;
}
