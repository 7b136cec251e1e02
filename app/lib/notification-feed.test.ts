import { beforeEach, describe, expect, it, vi } from 'vitest';

import type { Notification } from '../../domain/notifications';

/** A stand-in for socket.io's client: one socket, events fired by the test, answers it sets. */
const fake = vi.hoisted(() => {
  const handlers = new Map<string, Array<(...args: unknown[]) => void>>();
  const sent: Array<{ event: string; input: unknown }> = [];
  let answer: (event: string, input: unknown) => unknown = () => ({ ok: true });
  const socket = {
    connected: false,
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
        emitWithAck: (event: string, input: unknown) => {
          sent.push({ event, input });
          return Promise.resolve(answer(event, input));
        },
      };
    },
  };
  return {
    socket,
    handlers,
    sent,
    ios: { count: 0 },
    fire(event: string, ...args: unknown[]) {
      for (const handler of handlers.get(event) ?? []) handler(...args);
    },
    setAnswer(next: typeof answer) {
      answer = next;
    },
  };
});

vi.mock('socket.io-client', () => ({
  io: () => {
    fake.ios.count += 1;
    return fake.socket;
  },
}));

const { NotificationFeed } = await import('./notification-feed');
const { RealtimeConnection } = await import('./realtime-connection');

function notification(id: string, createdAt: string, readAt: string | null = null): Notification {
  return {
    id,
    plan: 'htc-npia-2022-2023',
    planTitle: 'Plan',
    itemId: 'item-1',
    itemTitle: null,
    actor: null,
    createdAt,
    readAt,
    kind: 'comment',
    commentId: `c-${id}`,
    excerpt: 'Hi',
  };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  fake.handlers.clear();
  fake.sent.length = 0;
  fake.ios.count = 0;
});

describe('NotificationFeed', () => {
  it('lists at every connect and merges by id: one that came live and is listed again counts once', async () => {
    const feed = new NotificationFeed();
    fake.setAnswer(() => ({
      ok: true,
      notifications: [notification('a', '2026-01-01T10:00:00Z')],
      unread: 1,
      more: false,
    }));
    fake.fire('connect');
    await flush();
    expect(feed.getState()).toMatchObject({ unread: 1, loaded: true });

    fake.fire('notification:created', notification('b', '2026-01-01T11:00:00Z'));
    expect(feed.getState().unread).toBe(2);
    expect(feed.getState().notifications.map((n) => n.id)).toEqual(['b', 'a']);

    // A reconnect: the list has both now, and one that came while offline.
    fake.setAnswer(() => ({
      ok: true,
      notifications: [
        notification('c', '2026-01-01T12:00:00Z'),
        notification('b', '2026-01-01T11:00:00Z'),
        notification('a', '2026-01-01T10:00:00Z'),
      ],
      unread: 3,
      more: false,
    }));
    fake.fire('connect');
    await flush();
    expect(feed.getState().notifications.map((n) => n.id)).toEqual(['c', 'b', 'a']);
    expect(feed.getState().unread).toBe(3);
    // Live again after the list had it: not counted twice.
    fake.fire('notification:created', notification('c', '2026-01-01T12:00:00Z'));
    expect(feed.getState().unread).toBe(3);
    expect(feed.getState().notifications).toHaveLength(3);
    feed.close();
  });

  it('marks read here and when another tab did', async () => {
    const feed = new NotificationFeed();
    fake.setAnswer((event) =>
      event === 'notification:list'
        ? {
            ok: true,
            notifications: [
              notification('a', '2026-01-01T10:00:00Z'),
              notification('b', '2026-01-01T11:00:00Z'),
            ],
            unread: 2,
            more: false,
          }
        : { ok: true, unread: 1 },
    );
    fake.fire('connect');
    await flush();
    await feed.markRead(['a']);
    expect(fake.sent.at(-1)).toEqual({ event: 'notification:read', input: { ids: ['a'] } });
    expect(feed.getState().unread).toBe(1);
    expect(feed.getState().notifications.find((n) => n.id === 'a')?.readAt).not.toBeNull();

    fake.fire('notification:read', { ids: 'all', unread: 0 });
    expect(feed.getState().unread).toBe(0);
    expect(feed.getState().notifications.every((n) => n.readAt !== null)).toBe(true);
    feed.close();
  });

  it('says it could not load, instead of loading for ever, when the connection fails first', async () => {
    const feed = new NotificationFeed();
    fake.fire('connect_error', new Error('xhr poll error'));
    expect(feed.getState()).toMatchObject({ loaded: false, failed: true });
    fake.setAnswer(() => ({ ok: true, notifications: [], unread: 0, more: false }));
    fake.fire('connect');
    await flush();
    expect(feed.getState()).toMatchObject({ loaded: true, failed: false });
    // Once loaded, a later failure keeps what is shown.
    fake.fire('connect_error', new Error('gone'));
    expect(feed.getState().failed).toBe(false);
    feed.close();
  });

  it('pages back to older ones from the oldest held, and stops offering when there are none', async () => {
    const feed = new NotificationFeed();
    fake.setAnswer((_event, input) =>
      (input as { before?: string }).before === 'b'
        ? {
            ok: true,
            notifications: [notification('a', '2026-01-01T10:00:00Z')],
            unread: 2,
            more: false,
          }
        : {
            ok: true,
            notifications: [
              notification('c', '2026-01-01T12:00:00Z'),
              notification('b', '2026-01-01T11:00:00Z'),
            ],
            unread: 3,
            more: true,
          },
    );
    fake.fire('connect');
    await flush();
    expect(feed.getState().more).toBe(true);
    await feed.loadOlder();
    expect(fake.sent.at(-1)).toEqual({ event: 'notification:list', input: { before: 'b' } });
    expect(feed.getState().notifications.map((n) => n.id)).toEqual(['c', 'b', 'a']);
    expect(feed.getState()).toMatchObject({ more: false, loadingOlder: false });
    // A reconnect lists the newest page again; what was paged in stays, and no more is offered.
    fake.fire('connect');
    await flush();
    expect(feed.getState().notifications.map((n) => n.id)).toEqual(['c', 'b', 'a']);
    expect(feed.getState().more).toBe(false);
    feed.close();
  });

  it('shares one socket with the plan connection, which joins at once if it is connected', () => {
    const feed = new NotificationFeed();
    fake.socket.connected = true;
    const plan = new RealtimeConnection('htc-npia-2022-2023');
    plan.connect();
    expect(fake.ios.count).toBe(1);
    expect(fake.sent.at(-1)).toEqual({
      event: 'plan:join',
      input: { plan: 'htc-npia-2022-2023' },
    });
    plan.close();
    feed.close();
    fake.socket.connected = false;
  });
});
