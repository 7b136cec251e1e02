/**
 * socket.io under stress and abuse: connection-state recovery that still checks the session (and
 * whose session it restores), payloads over the 1 MB limit. The Origin check and a handler that
 * throws are covered in server/http/coplan-server.integration.test.ts and
 * comments.integration.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CommentFact } from '../../domain/realtime-events';
import { upsertMember } from '../../db/queries/members';
import { findPlanBySlug } from '../../db/queries/plans';
import { insertUser } from '../../db/queries/users';
import { comments, users } from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import {
  connectSocketIoClient,
  seededPlanSlug as plan,
  sessionCookieFor,
  startTestServer,
  type RunningTestServer,
  type TestSocket,
} from '../testing/test-server';

const waitOptions = { timeout: 10_000, interval: 20 };

let testDatabase: TestDatabase;
let running: RunningTestServer;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  running = await startTestServer(testDatabase);
});

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await running?.stop();
  await testDatabase?.drop();
});

/** The client's recovery session: socket.io-client keeps it in private fields. */
function recoverySession(socket: TestSocket): { pid: string; offset: string } {
  const { _pid: pid, _lastOffset: offset } = socket as unknown as {
    _pid?: string;
    _lastOffset?: string;
  };
  if (!pid || !offset) throw new Error('no recovery session: is recovery enabled?');
  return { pid, offset };
}

async function open(
  email: string,
  options: { reconnection?: boolean; auth?: Record<string, unknown>; join?: boolean } = {},
): Promise<{ socket: TestSocket; bodies: string[] }> {
  const socket = connectSocketIoClient(running, {
    cookie: await sessionCookieFor(running, email),
    reconnection: options.reconnection,
    auth: options.auth,
  });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const bodies: string[] = [];
  socket.on('comment:created', (fact: CommentFact) => bodies.push(fact.comment.body));
  if (options.join ?? true) {
    expect(await socket.emitWithAck('plan:join', { plan })).toMatchObject({ ok: true });
  }
  return { socket, bodies };
}

function say(socket: TestSocket, itemId: string, body: string) {
  return socket.emitWithAck('comment:create', {
    plan,
    itemId,
    body,
    clientMessageId: randomUUID(),
  });
}

/** Drops the transport as a network would: the server keeps the session for recovery. */
function dropTransport(socket: TestSocket): Promise<string> {
  const gone = new Promise<string>((resolve) => socket.once('disconnect', resolve));
  socket.io.engine.close();
  return gone;
}

describe('connection-state recovery', () => {
  it('a dropped socket recovers its rooms and the comments it missed', async () => {
    const ilo = await open('ilo@coplan.test', { reconnection: true });
    const htc = await open('htc.editor@coplan.test');
    await say(htc.socket, 'recovery', 'before');
    await expect.poll(() => ilo.bodies, waitOptions).toEqual(['before']);

    const reconnected = new Promise<void>((resolve) => ilo.socket.once('connect', () => resolve()));
    await dropTransport(ilo.socket);
    await say(htc.socket, 'recovery', 'while away');
    await reconnected;
    expect(ilo.socket.recovered).toBe(true);
    // No plan:join after the reconnection: the room came back with the session.
    await say(htc.socket, 'recovery', 'after');
    await expect.poll(() => ilo.bodies, waitOptions).toEqual(['before', 'while away', 'after']);
  });

  it("another user's cookie cannot take over a dropped session: unauthenticated", async () => {
    const ilo = await open('ilo@coplan.test');
    const htc = await open('htc.editor@coplan.test');
    await say(htc.socket, 'takeover', 'offset');
    await expect.poll(() => ilo.bodies, waitOptions).toEqual(['offset']);
    const session = recoverySession(ilo.socket);
    await dropTransport(ilo.socket);

    const thief = connectSocketIoClient(running, {
      cookie: await sessionCookieFor(running, 'npia.editor@coplan.test'),
      auth: session,
    });
    sockets.push(thief);
    const outcome = await new Promise<string>((resolve) => {
      thief.once('connect_error', (error) => resolve(error.message));
      thief.once('connect', () => resolve('connected'));
    });
    expect(outcome).toBe('unauthenticated');
    expect(thief.connected).toBe(false);

    // The same session presented with its own user's cookie is restored (back in the plan's
    // room without joining): the middleware refused only the other user.
    const owner = await open('ilo@coplan.test', { auth: session, join: false });
    await say(htc.socket, 'takeover', 'for the owner');
    await expect.poll(() => owner.bodies, waitOptions).toEqual(['for the owner']);
  });

  it('a user deleted while disconnected can neither recover nor reconnect', async () => {
    const db = running.database.db;
    const user = await insertUser(db, {
      email: 'leaving@coplan.test',
      name: 'Lea Ving',
      organisationCode: 'ILO',
      passwordHash: 'not a hash: never signs in with a password',
    });
    const found = await findPlanBySlug(db, plan);
    if (!found) throw new Error('seed missing');
    await upsertMember(db, { planId: found.id, userId: user.id, role: 'commenter' });
    const leaving = await open('leaving@coplan.test', { reconnection: true });
    const htc = await open('htc.editor@coplan.test');
    await say(htc.socket, 'deleted', 'offset');
    await expect.poll(() => leaving.bodies, waitOptions).toEqual(['offset']);

    await db.delete(users).where(eq(users.id, user.id));
    const refused = new Promise<Error>((resolve) => leaving.socket.once('connect_error', resolve));
    await dropTransport(leaving.socket);
    await refused;
    expect(leaving.socket.connected).toBe(false);
    leaving.socket.close();
  });
});

describe('oversized payloads', () => {
  it('a message over 1 MB closes that connection; the server keeps serving the others', async () => {
    const ilo = await open('ilo@coplan.test');
    const htc = await open('htc.editor@coplan.test');
    const closed = new Promise<string>((resolve) => ilo.socket.once('disconnect', resolve));
    ilo.socket.emit(
      'comment:create',
      { plan, itemId: 'oversized', body: 'x'.repeat(1_100_000), clientMessageId: randomUUID() },
      () => undefined,
    );
    expect(await closed).toMatch(/transport (close|error)/);

    const [stored] = await running.database.db
      .select({ n: count() })
      .from(comments)
      .where(eq(comments.itemId, 'oversized'));
    expect(stored?.n).toBe(0);
    expect(await say(htc.socket, 'oversized', 'still here')).toMatchObject({ ok: true });
    const again = await open('ilo@coplan.test');
    expect(again.socket.connected).toBe(true);
  });
});
