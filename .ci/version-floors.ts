/**
 * The lowest version of each package this app may run with: below it, a published advisory
 * applies to how Coplan uses the package. `npm audit` cannot reach its service from every
 * machine this is built on, so the list lives here and `npm run check:versions` (the first step
 * of `npm test`) fails when any installed copy, nested ones included, is older.
 *
 * Raise a floor when an advisory names a newer fixed version; never lower one.
 */
export interface VersionFloor {
  name: string;
  floor: string;
  /** The advisory the floor answers, as far as it could be confirmed. */
  reason: string;
}

export const versionFloors: readonly VersionFloor[] = [
  {
    name: 'next',
    floor: '16.4.6',
    // The 2026 security releases (middleware/proxy bypasses, SSRF in WebSocket upgrades,
    // CSP-nonce XSS, image-optimiser RCE GHSA-2xp9-vwfh-vxw4 fixed in 16.3.3); 16.4.6 itself
    // could not be tied to one advisory here.
    reason: 'floor set by issue 7 (the 2026 Next.js security releases)',
  },
  {
    name: 'next-auth',
    floor: '4.24.15',
    reason:
      'GHSA-7rqj-j65f-68wh (email normaliser homoglyph bypass), as reported; floor set by issue 7',
  },
  {
    name: 'socket.io',
    floor: '4.8.4',
    reason: 'floor set by issue 7 (pulls in the fixed engine.io and socket.io-parser)',
  },
  {
    name: 'engine.io',
    floor: '6.6.7',
    reason: 'CVE-2026-59725: denial of service via invalid binary POST requests',
  },
  {
    name: 'socket.io-parser',
    floor: '4.2.7',
    // 4.2.6 fixed GHSA-677m-j7p3-52f9 (unbounded binary attachments).
    reason: 'CVE-2026-69185 (>=4.0.0 <4.2.7), as reported; floor set by issue 7',
  },
  {
    name: 'ws',
    floor: '8.21.0',
    // A follow-up (CVE-2026-62389) is reported fixed in 8.21.1; the installed ws is newer.
    reason: 'CVE-2026-48779 / GHSA-96hv-2xvq-fx4p: memory exhaustion from tiny fragments',
  },
  {
    name: 'drizzle-orm',
    floor: '0.45.2',
    reason: 'CVE-2026-39356 / GHSA-gpj5-g38j-94v9: SQL injection via unescaped identifiers',
  },
];
