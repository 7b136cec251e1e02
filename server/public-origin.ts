/**
 * The origin links are built from (COPLAN_PUBLIC_URL), for pages that show a link to copy:
 * invitations, public boards, calendar feeds. Never the request's `Host` or `X-Forwarded-Host`,
 * which the client chooses, nor the address the person happens to have opened (an internal
 * one, say) — a link is for someone else. The custom server exports it for next-auth before
 * Next starts (server/env.ts `exportEnvForNext`).
 */
export function getPublicOrigin(): string {
  const url = process.env.NEXTAUTH_URL;
  if (!url) throw new Error('NEXTAUTH_URL is not set: start Coplan through server/start.ts');
  return new URL(url).origin;
}
