/**
 * socket.io: everything live that is not the plan document (comments and notifications arrive
 * with later issues). The engine is not attached to the HTTP server: the upgrade router hands it
 * only requests that already passed the Origin and session check, and the auth middleware below
 * checks the session again for every connection.
 */
import { Server as Engine } from 'engine.io';
import { Server } from 'socket.io';

import {
  planJoinInput,
  type ClientToServerEvents,
  type RealtimeSocketData,
  type ServerToClientEvents,
} from '../../domain/realtime-events';
import { isAllowedOrigin } from '../auth/check-origin';
import { readSessionClaims } from '../auth/session-cookie';
import { toAckError } from '../errors';
import type { Logger } from '../logger';
import type { HandshakeConfig } from '../use-cases/authenticate-handshake';
import { findSessionUser } from '../use-cases/find-session-user';
import { getPlanAccess } from '../use-cases/get-plan-access';

export type RealtimeServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  RealtimeSocketData
>;

export function planRoomName(planId: string): string {
  return `plan:${planId}`;
}

export function createRealtimeServer(config: HandshakeConfig, log: Logger) {
  const engine = new Engine({
    maxHttpBufferSize: 1e6,
    // The browser client uses WebSocket only (the plan's sync needs WebSocket anyway), so every
    // handshake carries an Origin header that can be checked.
    transports: ['websocket'],
    allowRequest: (req, callback) => {
      callback(null, isAllowedOrigin(req.headers.origin, config.allowedOrigins));
    },
  });
  const io: RealtimeServer = new Server({ serveClient: false });
  io.bind(engine);

  io.use(async (socket, next) => {
    try {
      const claims = await readSessionClaims(socket.request.headers.cookie, {
        secret: config.authSecret,
        publicUrl: config.publicUrl,
      });
      const user = claims ? await findSessionUser(claims.userId) : null;
      if (!user) {
        next(new Error('unauthenticated'));
        return;
      }
      socket.data.userId = user.id;
      next();
    } catch (error) {
      log.error({ err: error }, 'socket.io authentication failed');
      next(new Error('unavailable'));
    }
  });

  io.on('connection', (socket) => {
    socket.on('plan:join', async (input, ack) => {
      if (typeof ack !== 'function') return;
      try {
        const parsed = planJoinInput.safeParse(input);
        if (!parsed.success) {
          ack({ error: 'bad_request', message: 'expected { plan: "<plan slug>" }' });
          return;
        }
        const access = await getPlanAccess(parsed.data.plan, socket.data.userId);
        await socket.join(planRoomName(access.plan.id));
        ack({ ok: true, role: access.role });
      } catch (error) {
        ack(toAckError(error, log));
      }
    });
  });

  return { io, engine };
}
