/**
 * Share-link tokens: 256 random bits, base64url (43 characters), shown once to the owner who makes
 * the link. Only the SHA-256 is stored: a token this long needs no slow hash, and a database leak
 * gives nobody a working link.
 */
import { createHash, randomBytes } from 'node:crypto';

const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

export function newShareToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Whether `value` has a token's form (checked before any hashing or query). */
export function isShareTokenForm(value: unknown): value is string {
  return typeof value === 'string' && tokenPattern.test(value);
}

export function hashShareToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
