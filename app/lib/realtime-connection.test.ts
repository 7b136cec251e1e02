import { beforeEach, describe, expect, it, vi } from 'vitest';

/** A stand-in for socket.io's client: records what is sent and answers as the test says. */
const fake = vi.hoisted(() => {
  const sent: Array<{ event: string; input: Record<string, unknown> }> = [];
  const handlers = new Map<string, Array<(...args: unknown[]) => void>>();
  let answer: (attempt: number, event: string) => unknown = () => ({ ok: true });
  const socket = {
    on(event: string, handler: (...args: unknown[]) => void) {
      handlers.set(event, [...(handlers.get(event) ?? []), handler]);
    },
    off(event: string, handler: (...args: unknown[]) => void) {
      handlers.set(
        event,
        (handlers.get(event) ?? []).filter((entry) => entry !== handler),
      );
    },
    connect() {},
    disconnect() {},
    timeout() {
      return {
        emitWithAck: (event: string, input: Record<string, unknown>) => {
          sent.push({ event, input });
          const result = answer(sent.length, event);
          return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
        },
      };
    },
  };
  return {
    sent,
    handlers,
    socket,
    setAnswer(next: typeof answer) {
      answer = next;
    },
  };
});

vi.mock('socket.io-client', () => ({ io: () => fake.socket }));

const { RealtimeConnection } = await import('./realtime-connection');

beforeEach(() => {
  fake.sent.length = 0;
  fake.handlers.clear();
});

describe('RealtimeConnection', () => {
  it('retries a command that timed out with the same clientMessageId, and a new action gets a new one', async () => {
    fake.setAnswer((attempt) =>
      attempt === 1 ? new Error('operation has timed out') : { ok: true, comment: { id: 'c' } },
    );
    const connection = new RealtimeConnection('htc-npia-2022-2023');
    const result = await connection.command('comment:create', { itemId: 'item-1', body: 'Hi' });
    expect(result).toEqual({ ok: true, comment: { id: 'c' } });
    expect(fake.sent).toHaveLength(2);
    const [first, second] = fake.sent;
    expect(first?.input).toMatchObject({
      plan: 'htc-npia-2022-2023',
      itemId: 'item-1',
      body: 'Hi',
    });
    expect(second?.input.clientMessageId).toBe(first?.input.clientMessageId);

    await connection.command('comment:create', { itemId: 'item-1', body: 'Hi' });
    expect(fake.sent[2]?.input.clientMessageId).not.toBe(first?.input.clientMessageId);
  });

  it('gives up after three silent attempts with a timeout the UI can show', async () => {
    fake.setAnswer(() => new Error('operation has timed out'));
    const connection = new RealtimeConnection('htc-npia-2022-2023');
    const result = await connection.command('thread:resolve', { threadId: 'x' });
    expect(result).toMatchObject({ error: 'timeout' });
    expect(fake.sent).toHaveLength(3);
    expect(new Set(fake.sent.map((entry) => entry.input.clientMessageId)).size).toBe(1);
  });

  it('joins the plan at every connect and tells readers to load again', async () => {
    fake.setAnswer(() => ({ ok: true, role: 'commenter' }));
    const connection = new RealtimeConnection('htc-npia-2022-2023');
    const joined = vi.fn();
    connection.subscribeJoined(joined);
    for (const handler of fake.handlers.get('connect') ?? []) handler();
    await vi.waitFor(() => expect(joined).toHaveBeenCalledTimes(1));
    for (const handler of fake.handlers.get('connect') ?? []) handler();
    await vi.waitFor(() => expect(joined).toHaveBeenCalledTimes(2));
    expect(fake.sent.map((entry) => entry.event)).toEqual(['plan:join', 'plan:join']);
    expect(connection.getEpoch()).toBe(2);
  });

  it('passes on only the facts of its own plan', () => {
    const connection = new RealtimeConnection('htc-npia-2022-2023');
    const seen = vi.fn();
    const stop = connection.onCommentFact(seen);
    const created = fake.handlers.get('comment:created') ?? [];
    for (const handler of created) handler({ plan: 'other-plan', comment: { id: 'a' } });
    for (const handler of created) handler({ plan: 'htc-npia-2022-2023', comment: { id: 'b' } });
    expect(seen).toHaveBeenCalledExactlyOnceWith('comment:created', { id: 'b' });
    stop();
    expect(fake.handlers.get('comment:created')).toHaveLength(0);
  });

  it('knows the role from the join and follows plan:access-changed of its own plan', async () => {
    fake.setAnswer(() => ({ ok: true, role: 'commenter' }));
    const connection = new RealtimeConnection('htc-npia-2022-2023');
    const changed = vi.fn();
    connection.subscribeRole(changed);
    expect(connection.getRole()).toBeUndefined();
    for (const handler of fake.handlers.get('connect') ?? []) handler();
    await vi.waitFor(() => expect(connection.getRole()).toBe('commenter'));

    const tell = (change: { plan: string; role: string | null }) => {
      for (const handler of fake.handlers.get('plan:access-changed') ?? []) handler(change);
    };
    tell({ plan: 'other-plan', role: 'viewer' });
    expect(connection.getRole()).toBe('commenter');
    tell({ plan: 'htc-npia-2022-2023', role: 'viewer' });
    expect(connection.getRole()).toBe('viewer');
    tell({ plan: 'htc-npia-2022-2023', role: null });
    expect(connection.getRole()).toBeNull();
    expect(changed).toHaveBeenCalledTimes(3);
  });
});
