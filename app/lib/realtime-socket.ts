'use client';
/**
 * The page's one socket.io connection, shared by everything live that is not the plan document:
 * the plan's comments and follows (realtime-connection.ts) and the header's notification bell
 * (notification-feed.ts). socket.io-client reuses a Manager per URL only for a *different*
 * namespace: a second `io()` on the same one opens a second WebSocket. So the socket is made once
 * here and counted: opened by the first user, closed when the last one lets go.
 */
import { io, type Socket } from 'socket.io-client';

import type { ClientToServerEvents, ServerToClientEvents } from '../../domain/realtime-events';

export type RealtimeSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let shared: { socket: RealtimeSocket; users: number } | null = null;

/**
 * The shared socket (call `connect()` on it when ready; doing so twice is harmless); give it back
 * with `releaseRealtimeSocket`.
 */
export function acquireRealtimeSocket(): RealtimeSocket {
  if (!shared) {
    shared = {
      socket: io({
        path: '/socket.io/',
        transports: ['websocket'],
        withCredentials: true,
        autoConnect: false,
      }),
      users: 0,
    };
  }
  shared.users += 1;
  return shared.socket;
}

export function releaseRealtimeSocket(socket: RealtimeSocket): void {
  if (!shared || shared.socket !== socket) return;
  shared.users -= 1;
  if (shared.users > 0) return;
  shared.socket.disconnect();
  shared = null;
}
