/**
 * POST /api/plans/<slug>/versions/<versionId>/restore: an owner restores a saved version
 * (server/versions/restore-version.ts). Here, not in Next, because it edits the live room.
 *
 *   200 RestoreResult (domain/versions.ts)
 *   401 without a session; 403 from another origin or for a non-owner; 404 for an unknown plan,
 *   a non-member, or a version that is not this plan's; 405 for any other method.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { DomainError } from '../../domain/domain-error';
import { isAllowedOrigin } from '../auth/check-origin';
import { readSessionClaims } from '../auth/session-cookie';
import { toHttpError } from '../errors';
import type { Logger } from '../logger';
import type { HandshakeConfig } from '../use-cases/authenticate-handshake';
import { findSessionUser } from '../use-cases/find-session-user';
import { restoreVersion, type RestoreDependencies } from '../versions/restore-version';
import { sendJson } from './send-json';

const routePattern = /^\/api\/plans\/([^/]+)\/versions\/([^/]+)\/restore$/;

export function isPlanVersionRestorePath(path: string): boolean {
  return routePattern.test(path);
}

export async function handlePlanVersionRestore(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  config: HandshakeConfig,
  deps: RestoreDependencies,
  log: Logger,
): Promise<void> {
  if (req.method !== 'POST') {
    res.writeHead(405, { Allow: 'POST' }).end();
    return;
  }
  // The body is not read: everything is in the path. Drain it so the connection is reusable.
  req.resume();
  try {
    // A cookie-authenticated POST: only the app's own pages may send it (no cross-site forms).
    if (!isAllowedOrigin(req.headers.origin, config.allowedOrigins)) {
      throw new DomainError('forbidden', 'requests from other sites are not accepted');
    }
    const claims = await readSessionClaims(req.headers.cookie, {
      secret: config.authSecret,
      publicUrl: config.publicUrl,
    });
    const user = claims ? await findSessionUser(claims) : null;
    if (!user) throw new DomainError('unauthenticated', 'sign in first');
    const [, rawSlug = '', rawVersion = ''] = routePattern.exec(path) ?? [];
    let slug: string;
    let versionId: string;
    try {
      slug = decodeURIComponent(rawSlug);
      versionId = decodeURIComponent(rawVersion);
    } catch {
      throw new DomainError('not_found', 'no such version');
    }
    sendJson(res, 200, await restoreVersion(deps, slug, user.id, versionId));
  } catch (error) {
    const refusal = toHttpError(error, log);
    sendJson(res, refusal.status, { error: refusal.code, message: refusal.message });
  }
}
