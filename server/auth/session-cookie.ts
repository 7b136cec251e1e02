/**
 * Reads the next-auth session from a raw Cookie header, for the entry points Next does not
 * serve: WebSocket upgrades and socket.io handshakes. The token is next-auth's own encrypted
 * JWT, checked (signature and expiry) by next-auth's `decode` with the same secret.
 *
 * We parse the cookie ourselves instead of calling `getToken`, which also reads an
 * `Authorization: Bearer` header that we have no use for.
 */
import { parseCookie } from 'cookie';
import { decode } from 'next-auth/jwt';

export function sessionCookieName(publicUrl: URL): string {
  return publicUrl.protocol === 'https:'
    ? '__Secure-next-auth.session-token'
    : 'next-auth.session-token';
}

/** next-auth splits large cookies into `name.0`, `name.1`, …; this joins them back. */
function readChunkedCookie(
  cookies: Record<string, string | undefined>,
  name: string,
): string | null {
  const whole = cookies[name];
  if (whole) return whole;
  const chunks: string[] = [];
  for (let index = 0; ; index++) {
    const chunk = cookies[`${name}.${index}`];
    if (chunk === undefined) break;
    chunks.push(chunk);
  }
  return chunks.length > 0 ? chunks.join('') : null;
}

export interface SessionClaims {
  userId: string;
  /** When the session ends, in milliseconds since the epoch. */
  expiresAt: number;
  /**
   * The user's session version when the session was issued (0 for sessions issued before
   * versions existed); a sign-out or password change since then ends it (session-version.ts).
   */
  sessionVersion: number;
}

export async function readSessionClaims(
  cookieHeader: string | undefined,
  options: { secret: string; publicUrl: URL },
): Promise<SessionClaims | null> {
  if (!cookieHeader || cookieHeader.length > 16 * 1024) return null;
  let cookies: Record<string, string | undefined>;
  try {
    cookies = parseCookie(cookieHeader);
  } catch {
    return null;
  }
  const token = readChunkedCookie(cookies, sessionCookieName(options.publicUrl));
  if (!token) return null;
  try {
    const claims = await decode({ token, secret: options.secret });
    if (!claims || typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return null;
    return {
      userId: claims.sub,
      expiresAt: claims.exp * 1000,
      sessionVersion: readSessionVersion(claims.sessionVersion),
    };
  } catch {
    // A tampered, truncated or foreign token: treated as no session at all.
    return null;
  }
}

/** The session version a token carries; a token from before versions existed carries 0. */
export function readSessionVersion(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0;
}
