/**
 * The `ws` side of a sync connection: binary frames in, the room's messages out, heartbeats.
 * The room behind it sees only `send` and `close`.
 */
import type { Duplex } from 'node:stream';

import type { WebSocket } from 'ws';

import type { Role } from '../../domain/roles';
import { closeCodes } from '../../domain/sync-protocol';
import type { SessionUser } from '../auth/session-user';
import type { Logger } from '../logger';
import { coplanMetrics } from '../metrics/metrics';
import { closeReason, encodeEpochMessage, type PlanRoom } from './plan-room';
import type { RoomRegistry } from './room-registry';

/**
 * A reader that lets this much pile up unsent is not keeping up: it is closed (and resyncs
 * cheaply when it reconnects) rather than grow the server's memory without bound.
 */
export const maxBufferedBytes = 8 * 1024 * 1024;

export function attachSyncConnection(options: {
  ws: WebSocket;
  /** The upgraded socket under `ws`: corked while a burst of messages is written to it. */
  socket: Duplex;
  room: PlanRoom;
  registry: RoomRegistry;
  user: SessionUser;
  /** When the session ends (ms since the epoch): the connection closes with 4401 then. */
  sessionExpiresAt: number;
  role: Role;
  /** The plan's restore epoch when the connection was accepted; the client is told it. */
  epoch: number;
  log: Logger;
}): void {
  const { ws, socket, room, registry, user, role, log } = options;
  let slow = false;
  // What the room sends in one turn of the event loop (a commit's fan-out and the "saved" after
  // it, the replies to one read) leaves in one write: `ws` writes each frame as header plus
  // payload, and a system call per frame was the largest cost of a delivery.
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  const connection = room.join(
    {
      send: (data) => {
        if (ws.readyState !== ws.OPEN || slow) return;
        if (ws.bufferedAmount > maxBufferedBytes) {
          slow = true;
          log.info({ userId: user.id, buffered: ws.bufferedAmount }, 'closing a slow reader');
          room.disconnect(connection, closeCodes.slowReader, 'too slow to keep up; reconnecting');
          // The close frame waits behind the backlog; don't wait for it for ever.
          setTimeout(() => ws.terminate(), 5_000).unref();
          return;
        }
        if (!corked) {
          corked = true;
          socket.cork();
          process.nextTick(uncork);
        }
        ws.send(data);
      },
      close: (code, reason) => ws.close(code, closeReason(reason)),
    },
    user,
    role,
  );
  connection.socket.send(encodeEpochMessage(options.epoch));
  coplanMetrics().syncConnections.inc();
  // setTimeout holds at most 2^31-1 ms (24.8 days); sessions last 12 hours.
  const sessionTimer = setTimeout(
    () =>
      room.disconnect(connection, closeCodes.sessionExpired, 'your session ended; sign in again'),
    Math.max(0, Math.min(options.sessionExpiresAt - Date.now(), 2 ** 31 - 1)),
  );
  sessionTimer.unref();
  ws.on('message', (data, isBinary) => {
    if (!isBinary) {
      room.disconnect(
        connection,
        closeCodes.malformedMessage,
        'text frames are not part of the protocol',
      );
      return;
    }
    const bytes = Array.isArray(data)
      ? new Uint8Array(Buffer.concat(data))
      : new Uint8Array(data as ArrayBuffer | Buffer);
    room.receive(connection, bytes);
  });
  ws.on('close', () => {
    coplanMetrics().syncConnections.dec();
    clearTimeout(sessionTimer);
    room.leave(connection);
    registry.release(room);
  });
  ws.on('error', (error) => {
    log.info({ err: error, userId: user.id }, 'sync socket error');
  });
}
