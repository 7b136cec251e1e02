/**
 * The `ws` side of a sync connection: binary frames in, the room's messages out, heartbeats.
 * The room behind it sees only `send` and `close`.
 */
import type { WebSocket } from 'ws';

import type { Role } from '../../domain/roles';
import { closeCodes } from '../../domain/sync-protocol';
import type { SessionUser } from '../auth/session-user';
import type { Logger } from '../logger';
import { closeReason, type PlanRoom } from './plan-room';
import type { RoomRegistry } from './room-registry';

export function attachSyncConnection(options: {
  ws: WebSocket;
  room: PlanRoom;
  registry: RoomRegistry;
  user: SessionUser;
  role: Role;
  log: Logger;
}): void {
  const { ws, room, registry, user, role, log } = options;
  const connection = room.join(
    {
      send: (data) => {
        if (ws.readyState === ws.OPEN) ws.send(data);
      },
      close: (code, reason) => ws.close(code, closeReason(reason)),
    },
    user,
    role,
  );
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
    room.leave(connection);
    registry.release(room);
  });
  ws.on('error', (error) => {
    log.info({ err: error, userId: user.id }, 'sync socket error');
  });
}
