/**
 * WebSocket and socket.io handshakes are not covered by the browser's same-origin policy, so a
 * page on another site could open one with the user's cookies (cross-site WebSocket hijacking).
 * Only the app's own origins may connect. A missing Origin is refused too: browsers always send
 * one on WebSocket handshakes.
 */
export function isAllowedOrigin(
  origin: string | undefined,
  allowedOrigins: ReadonlySet<string>,
): boolean {
  return origin !== undefined && allowedOrigins.has(origin);
}
