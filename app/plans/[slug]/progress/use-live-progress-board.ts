'use client';
/**
 * Keeps a progress board current without a reload. The server says `progress:changed` `{ plan,
 * seq }` after each write of the projection; the board fetches its JSON again (debounced, so a
 * burst of edits costs one fetch) unless it already shows that seq. It also fetches at every
 * (re)connect, so nothing missed while offline stays missing.
 *
 * Members listen on the page's shared socket (the plan's room, `plan:join`). A public board opens
 * its own socket on the `/public` namespace with the share token; revoking the link disconnects
 * it and every later fetch answers 404, and the board then says the link no longer works.
 */
import { useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';

import type { ProgressBoard } from '../../../../domain/progress-board';
import {
  publicNamespace,
  type ProgressChangedFact,
  type PublicServerToClientEvents,
} from '../../../../domain/realtime-events';
import { acquireRealtimeSocket, releaseRealtimeSocket } from '../../../lib/realtime-socket';

export type BoardSource = { kind: 'member'; slug: string } | { kind: 'public'; token: string };

export type BoardState = 'connecting' | 'live' | 'offline' | 'gone';

/**
 * How long a board waits after `progress:changed` before it fetches: a burst of edits costs one
 * fetch, and the jitter spreads a room full of open boards over a second rather than one instant.
 */
function debounceMs(): number {
  return 300 + Math.random() * 700;
}

function boardUrl(source: BoardSource): string {
  return source.kind === 'member'
    ? `/api/plans/${encodeURIComponent(source.slug)}/progress`
    : `/api/share/${encodeURIComponent(source.token)}/progress`;
}

export function useLiveProgressBoard(
  initial: ProgressBoard,
  source: BoardSource,
): { board: ProgressBoard; state: BoardState } {
  const [board, setBoard] = useState(initial);
  const [state, setState] = useState<BoardState>('connecting');
  const seq = useRef(initial.seq);
  // The effect depends on these strings, not on `source`, a new object at every render.
  const { kind } = source;
  const id = source.kind === 'member' ? source.slug : source.token;

  useEffect(() => {
    const current: BoardSource = kind === 'member' ? { kind, slug: id } : { kind, token: id };
    const url = boardUrl(current);
    let closed = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let inFlight: AbortController | null = null;
    /** What to stop once the board is gone (a revoked link's socket must not retry). */
    let stop: () => void = () => undefined;
    let gone = false;
    /** Once gone, always gone: the socket's own goodbye must not read as "offline". */
    const show = (next: BoardState) => {
      if (gone) return;
      gone = next === 'gone';
      setState(next);
    };

    async function refetch(): Promise<void> {
      inFlight?.abort();
      const controller = new AbortController();
      inFlight = controller;
      try {
        const response = await fetch(url, { cache: 'no-store', signal: controller.signal });
        if (closed) return;
        if (response.status === 404 || response.status === 401) {
          show('gone');
          stop();
          return;
        }
        if (!response.ok) return;
        const next = (await response.json()) as ProgressBoard;
        if (closed) return;
        seq.current = next.seq;
        setBoard(next);
      } catch {
        // Offline or aborted: the next change or reconnect fetches again.
      }
    }

    function schedule(): void {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        void refetch();
      }, debounceMs());
    }

    const onChanged = (fact: ProgressChangedFact) => {
      if (fact.seq > seq.current) schedule();
    };

    if (current.kind === 'member') {
      const socket = acquireRealtimeSocket();
      const onConnect = () => {
        void socket
          .timeout(8_000)
          .emitWithAck('plan:join', { plan: current.slug })
          .then((result) => {
            if ('ok' in result) {
              show('live');
              void refetch();
            } else if (result.error === 'not_found') show('gone');
          })
          .catch(() => undefined);
      };
      const onDisconnect = () => show('offline');
      const onMemberChanged = (fact: ProgressChangedFact) => {
        if (fact.plan === current.slug) onChanged(fact);
      };
      // Removed from the plan while the board is open: it stops saying it is live.
      const onAccessChanged = (change: { plan: string; role: unknown }) => {
        if (change.plan === current.slug && change.role === null) show('gone');
      };
      socket.on('connect', onConnect);
      socket.on('disconnect', onDisconnect);
      socket.on('progress:changed', onMemberChanged);
      socket.on('plan:access-changed', onAccessChanged);
      if (socket.connected) onConnect();
      else socket.connect();
      return () => {
        closed = true;
        if (timer) clearTimeout(timer);
        inFlight?.abort();
        socket.off('connect', onConnect);
        socket.off('disconnect', onDisconnect);
        socket.off('progress:changed', onMemberChanged);
        socket.off('plan:access-changed', onAccessChanged);
        releaseRealtimeSocket(socket);
      };
    }

    const socket = io(publicNamespace, {
      path: '/socket.io/',
      transports: ['websocket'],
      query: { share: current.token },
      auth: { token: current.token },
      // No cookies: a public board is anonymous, signed in or not.
      withCredentials: false,
    }) as unknown as Socket<PublicServerToClientEvents>;
    stop = () => socket.disconnect();
    socket.on('connect', () => {
      show('live');
      void refetch();
    });
    socket.on('disconnect', (reason) => {
      show('offline');
      // The server ended it (the link was revoked): find out, and stop if it is gone.
      if (reason === 'io server disconnect') void refetch();
    });
    socket.on('connect_error', () => {
      show('offline');
      void refetch();
    });
    socket.on('progress:changed', onChanged);
    return () => {
      closed = true;
      if (timer) clearTimeout(timer);
      inFlight?.abort();
      socket.disconnect();
    };
  }, [kind, id]);

  return { board, state };
}
