/**
 * Where to go after signing in. Only a path on this site is accepted: "/plans/x?tab=y" yes;
 * "//evil.example", "/\\evil.example", "https://evil.example" and anything odd fall back to "/".
 * next-auth may hand over an absolute URL of our own origin; pass `origin` to accept that too.
 */
export function safeCallbackPath(value: unknown, origin?: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return '/';
  let candidate = value;
  if (origin && !value.startsWith('/')) {
    try {
      const url = new URL(value);
      if (url.origin !== origin) return '/';
      candidate = `${url.pathname}${url.search}${url.hash}`;
    } catch {
      return '/';
    }
  }
  if (!candidate.startsWith('/') || candidate.startsWith('//') || candidate.startsWith('/\\')) {
    return '/';
  }
  // Control characters and backslashes are never part of our paths; browsers "fix" them into hosts.
  if (/[\u0000-\u001f\u007f\\]/.test(candidate)) return '/';
  return candidate;
}
