/**
 * The socket.io contract (everything that is not the plan document), typed both ways and read
 * by both ends. Event names are `noun:verb`. Every client command is acknowledged with
 * `{ ok: true, … }` or `{ error: code, message }`; payloads are validated with these schemas on
 * the server. Later issues add comments, notifications and follows here.
 */
import * as z from 'zod/mini';

import type { DomainErrorCode } from './domain-error';
import type { Role } from './roles';
import { planSlugPattern } from './sync-protocol';

export const planJoinInput = z.strictObject({ plan: z.string().check(z.regex(planSlugPattern)) });
export type PlanJoinInput = z.infer<typeof planJoinInput>;

export type AckError = { error: DomainErrorCode; message: string };
export type Ack<T extends object = object> = ({ ok: true } & T) | AckError;

export interface ClientToServerEvents {
  /** Join a plan's room; answered with the caller's role on that plan. */
  'plan:join': (input: PlanJoinInput, ack: (result: Ack<{ role: Role }>) => void) => void;
}

export interface ServerToClientEvents {
  /**
   * The user's access to a plan they joined changed: `role` is the new role, or null when they
   * are no longer a member (the socket has left the plan's room). Later issues add comments and
   * notifications here.
   */
  'plan:access-changed': (payload: { plan: string; role: Role | null }) => void;
}

/** What the server's auth middleware and handlers keep on a socket. */
export interface RealtimeSocketData {
  userId: string;
  /** Plans this socket joined: plan id → slug. */
  plans: Record<string, string>;
}
