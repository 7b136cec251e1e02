/**
 * Invitation tokens: 256 random bits, base64url (43 characters), shown once. Only the SHA-256 is
 * stored; a token this long needs no slow hash, and a database dump opens no invitation.
 */
import { createHash, randomBytes } from 'node:crypto';

const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

export function newInviteToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashInviteToken(token) };
}

export function isInviteTokenShape(value: unknown): value is string {
  return typeof value === 'string' && tokenPattern.test(value);
}

export function hashInviteToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The path that accepts an invitation; the page shows it as a full address to copy. */
export function invitePath(token: string): string {
  return `/invite/${token}`;
}
