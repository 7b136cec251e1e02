/**
 * GET /api/plans/<slug>/activity?item=<itemId>&before=<entryId>: a page of the plan's activity
 * log (or of one item's), newest first, 50 entries, to members (viewers included). Auth and
 * errors as item-comments-route.ts: 401 without a session; 404 for an unknown plan, a
 * non-member or a malformed path; 400 for a malformed `before` or `item`.
 *
 *   200 { entries: ActivityEntry[] (domain/activity.ts), more: boolean }
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { DomainError } from '../../domain/domain-error';
import { readSessionClaims } from '../auth/session-cookie';
import { toHttpError } from '../errors';
import type { Logger } from '../logger';
import type { HandshakeConfig } from '../use-cases/authenticate-handshake';
import { findSessionUser } from '../use-cases/find-session-user';
import { listPlanActivity } from '../use-cases/list-plan-activity';
import { sendJson } from './send-json';

const routePattern = /^\/api\/plans\/([^/]+)\/activity$/;

/** True when the path is this route's (whatever the method). */
export function isPlanActivityPath(path: string): boolean {
  return routePattern.test(path);
}

export async function handlePlanActivity(
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
    const [, rawSlug = ''] = routePattern.exec(path) ?? [];
    let slug: string;
    try {
      slug = decodeURIComponent(rawSlug);
    } catch {
      throw new DomainError('not_found', 'no such plan');
    }
    // The query string is parsed by URL, which decodes it (a malformed escape stays as written).
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    const itemId = query.get('item') ?? undefined;
    const before = query.get('before') ?? undefined;
    sendJson(res, 200, await listPlanActivity(slug, user.id, { itemId, before }));
  } catch (error) {
    const refusal = toHttpError(error, log);
    sendJson(res, refusal.status, { error: refusal.code, message: refusal.message });
  }
}
