import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe: 43 characters. Only its SHA-256 is stored. */
export function newCalendarFeedToken(): string {
  return randomBytes(32).toString('base64url');
}

export function isCalendarFeedToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}

export function hashCalendarFeedToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
