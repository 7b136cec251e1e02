import type { IncomingHttpHeaders } from 'node:http';

import { DomainError } from '../../domain/domain-error';
import { isAllowedOrigin } from '../auth/check-origin';
import { readSessionClaims } from '../auth/session-cookie';
import type { SessionUser } from '../auth/session-user';
import { findSessionUser } from './find-session-user';

export interface HandshakeConfig {
  authSecret: string;
  publicUrl: URL;
  allowedOrigins: ReadonlySet<string>;
}

/**
 * The check every WebSocket upgrade and socket.io handshake passes before it completes: the
 * app's own Origin (else `forbidden`), then a valid next-auth session of an existing user (else
 * `unauthenticated`).
 */
export interface HandshakeSession {
  user: SessionUser;
  /** When the session ends (ms since the epoch); open connections close then. */
  expiresAt: number;
  /** The session's version: a sign-out or password change ends it (auth/session-version.ts). */
  sessionVersion: number;
}

export async function authenticateHandshake(
  headers: IncomingHttpHeaders,
  config: HandshakeConfig,
): Promise<HandshakeSession> {
  if (!isAllowedOrigin(headers.origin, config.allowedOrigins)) {
    throw new DomainError('forbidden', 'this origin may not connect');
  }
  const claims = await readSessionClaims(headers.cookie, {
    secret: config.authSecret,
    publicUrl: config.publicUrl,
  });
  if (!claims) throw new DomainError('unauthenticated', 'sign in first');
  const user = await findSessionUser(claims);
  if (!user) throw new DomainError('unauthenticated', 'sign in first');
  return { user, expiresAt: claims.expiresAt, sessionVersion: claims.sessionVersion };
}
