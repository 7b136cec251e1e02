/**
 * GET /api/plans/<slug>/items: the plan's items from the relational projection (one row per
 * item, server/projection), to members (viewers included), never older than the stored
 * document. Auth and errors as item-comments-route.ts: 401 without a session; 404 for an
 * unknown plan, a non-member (who cannot tell the two apart) or a malformed path.
 *
 *   200 { plan: slug, seq, items: [{ id, title, workstreamId, workstreamName, status, leadOrg,
 *                                   start, end, progress, position, owners, tags, indicators }] }
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { DomainError } from '../../domain/domain-error';
import { readSessionClaims } from '../auth/session-cookie';
import { toHttpError } from '../errors';
import type { Logger } from '../logger';
import type { HandshakeConfig } from '../use-cases/authenticate-handshake';
import { findSessionUser } from '../use-cases/find-session-user';
import { listPlanItems, type ProjectionFreshness } from '../use-cases/list-plan-items';
import { sendJson } from './send-json';

const routePattern = /^\/api\/plans\/([^/]+)\/items$/;

/** True when the path is this route's (whatever the method). */
export function isPlanItemsPath(path: string): boolean {
  return routePattern.test(path);
}

export async function handlePlanItems(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  config: HandshakeConfig,
  projection: ProjectionFreshness,
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
    const [, rawSlug = ''] = routePattern.exec(path) ?? [];
    let slug: string;
    try {
      slug = decodeURIComponent(rawSlug);
    } catch {
      throw new DomainError('not_found', 'no such plan');
    }
    sendJson(res, 200, await listPlanItems(slug, user.id, projection));
  } catch (error) {
    const refusal = toHttpError(error, log);
    sendJson(res, refusal.status, { error: refusal.code, message: refusal.message });
  }
}
