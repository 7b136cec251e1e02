/**
 * GET /api/plans/<slug>/items/<itemId>/comments: an item's comments for a page load, to members
 * (viewers included). Served by the custom server, beside /api/health, so that it shares the
 * socket.io contract's types and use cases. 401 without a session; 404 for an unknown plan, a
 * non-member (who cannot tell the two apart) or a malformed path.
 *
 * No Origin check: a GET changes nothing, and another site's page cannot read the answer (no
 * CORS headers).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { DomainError } from '../../domain/domain-error';
import { readSessionClaims } from '../auth/session-cookie';
import { toHttpError } from '../errors';
import type { Logger } from '../logger';
import type { HandshakeConfig } from '../use-cases/authenticate-handshake';
import { findSessionUser } from '../use-cases/find-session-user';
import { listItemComments } from '../use-cases/list-item-comments';

const routePattern = /^\/api\/plans\/([^/]+)\/items\/([^/]+)\/comments$/;

/** True when the path is this route's (whatever the method). */
export function isItemCommentsPath(path: string): boolean {
  return routePattern.test(path);
}

export async function handleItemComments(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  config: HandshakeConfig,
  log: Logger,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  try {
    const claims = await readSessionClaims(req.headers.cookie, {
      secret: config.authSecret,
      publicUrl: config.publicUrl,
    });
    const user = claims ? await findSessionUser(claims) : null;
    if (!user) throw new DomainError('unauthenticated', 'sign in first');
    const [, rawSlug = '', rawItemId = ''] = routePattern.exec(path) ?? [];
    let slug: string;
    let itemId: string;
    try {
      slug = decodeURIComponent(rawSlug);
      itemId = decodeURIComponent(rawItemId);
    } catch {
      throw new DomainError('not_found', 'no such plan');
    }
    const comments = await listItemComments(slug, itemId, user.id);
    send(res, 200, { comments });
  } catch (error) {
    const refusal = toHttpError(error, log);
    send(res, refusal.status, { error: refusal.code, message: refusal.message });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res
    .writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-store',
    })
    .end(text);
}
