/**
 * The progress board and its public links over HTTP:
 *
 *   GET    /api/plans/<slug>/progress          the board, to any member        200 ProgressBoard
 *   GET    /api/plans/<slug>/share-links       active links, to owners         200 { links }
 *   POST   /api/plans/<slug>/share-links       a new link, owners only         201 { link: { id, token, createdAt } }
 *   DELETE /api/plans/<slug>/share-links/<id>  revoke, owners only             204
 *   GET    /api/share/<token>/progress         the public board, anyone        200 ProgressBoard
 *
 * Members' routes need a session (401), treat an unknown plan and a non-member alike (404), and
 * refuse a non-owner's link commands (403). POST and DELETE must come from the app's own Origin
 * (403): a cookie alone does not prove the owner asked. The public route checks its token on
 * every request (a revoked or unknown token: the same 404) and is rate-limited per address by the
 * caller (coplan-server.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { DomainError } from '../../domain/domain-error';
import { isAllowedOrigin } from '../auth/check-origin';
import { readSessionClaims } from '../auth/session-cookie';
import { toHttpError } from '../errors';
import type { Logger } from '../logger';
import type { HandshakeConfig } from '../use-cases/authenticate-handshake';
import { createShareLink } from '../use-cases/create-share-link';
import { findSessionUser } from '../use-cases/find-session-user';
import { getProgressBoard, getPublicProgressBoard } from '../use-cases/get-progress-board';
import { listShareLinks } from '../use-cases/list-share-links';
import type { ProjectionFreshness } from '../use-cases/list-plan-items';
import { revokeShareLink } from '../use-cases/revoke-share-link';
import { sendJson } from './send-json';

const progressPattern = /^\/api\/plans\/([^/]+)\/progress$/;
const linksPattern = /^\/api\/plans\/([^/]+)\/share-links(?:\/([^/]+))?$/;
const publicPattern = /^\/api\/share\/([^/]+)\/progress$/;

export function isProgressPath(path: string): boolean {
  return progressPattern.test(path) || linksPattern.test(path);
}

export function isPublicProgressPath(path: string): boolean {
  return publicPattern.test(path);
}

export interface ProgressRouteContext {
  config: HandshakeConfig;
  projection: ProjectionFreshness;
  log: Logger;
  /** Ends the public boards open on a revoked link (socket.io). */
  disconnectShareLink(linkId: string): void;
}

function decode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new DomainError('not_found', 'no such plan');
  }
}

async function sessionUserId(req: IncomingMessage, config: HandshakeConfig): Promise<string> {
  const claims = await readSessionClaims(req.headers.cookie, {
    secret: config.authSecret,
    publicUrl: config.publicUrl,
  });
  const user = claims ? await findSessionUser(claims) : null;
  if (!user) throw new DomainError('unauthenticated', 'sign in first');
  return user.id;
}

function refuseMethod(res: ServerResponse, allow: string): void {
  res.writeHead(405, { Allow: allow }).end();
}

export async function handleProgress(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  context: ProgressRouteContext,
): Promise<void> {
  try {
    const progress = progressPattern.exec(path);
    if (progress) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuseMethod(res, 'GET, HEAD');
      const userId = await sessionUserId(req, context.config);
      const board = await getProgressBoard(decode(progress[1] ?? ''), userId, {
        projection: context.projection,
      });
      sendJson(res, 200, board);
      return;
    }
    const [, rawSlug = '', rawLinkId] = linksPattern.exec(path) ?? [];
    const slug = decode(rawSlug);
    const allow = rawLinkId === undefined ? 'GET, HEAD, POST' : 'DELETE';
    const method = req.method ?? 'GET';
    if (!allow.split(', ').includes(method)) return refuseMethod(res, allow);
    if (method !== 'GET' && method !== 'HEAD') {
      if (!isAllowedOrigin(req.headers.origin, context.config.allowedOrigins)) {
        throw new DomainError('forbidden', 'this origin may not change share links');
      }
    }
    const userId = await sessionUserId(req, context.config);
    if (method === 'POST') {
      sendJson(res, 201, { link: await createShareLink(slug, userId) });
      return;
    }
    if (method === 'DELETE') {
      const revoked = await revokeShareLink(slug, userId, decode(rawLinkId ?? ''));
      context.disconnectShareLink(revoked.linkId);
      res.writeHead(204, { 'Cache-Control': 'no-store' }).end();
      return;
    }
    sendJson(res, 200, { links: await listShareLinks(slug, userId) });
  } catch (error) {
    const refusal = toHttpError(error, context.log);
    sendJson(res, refusal.status, { error: refusal.code, message: refusal.message });
  }
}

export async function handlePublicProgress(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  context: ProgressRouteContext,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return refuseMethod(res, 'GET, HEAD');
  try {
    const [, rawToken = ''] = publicPattern.exec(path) ?? [];
    let token = '';
    try {
      token = decodeURIComponent(rawToken);
    } catch {
      token = '';
    }
    sendJson(res, 200, await getPublicProgressBoard(token, { projection: context.projection }));
  } catch (error) {
    const refusal = toHttpError(error, context.log);
    sendJson(res, refusal.status, { error: refusal.code, message: refusal.message });
  }
}
