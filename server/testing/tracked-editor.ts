/**
 * A test client that knows which of its edits the server has confirmed as saved, the way the
 * browser's wrapper does (app/lib/plan-connection.ts): its WebSocket counts what it sends, and
 * the server's "saved up to message N" names a position in that count.
 *
 * Each edit appends "<n>," to one item's title, so the title afterwards says exactly which
 * edits the plan holds, and whether any is there twice.
 */
import * as decoding from 'lib0/decoding';
import { WebSocket as NodeWebSocket } from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';

import { getItemTitleText, preparePlanDocument } from '../../domain/plan-document';
import { messageSaved, messageSync } from '../../domain/sync-protocol';

export interface TrackedEditor {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Edits made so far (1…made). */
  made(): number;
  /** The highest edit number the server has confirmed; every lower one is confirmed too. */
  saved(): number;
  /** Close codes the server sent, oldest first. */
  closes: number[];
  edit(): void;
  destroy(): void;
}

export function trackedEditor(options: {
  /** The server's base, read at every (re)connect: a test may move it. */
  target: () => string;
  slug: string;
  itemId: string;
  headers: Record<string, string>;
}): TrackedEditor {
  const doc = preparePlanDocument(new Y.Doc());
  let made = 0;
  let saved = 0;
  // Per socket: message index → the last edit made when it was sent.
  let sentEdits = new Map<number, number>();

  class CountingSocket extends NodeWebSocket {
    private sent = 0;
    constructor(address: string | URL, protocols?: string | string[]) {
      const path = new URL(address).pathname;
      super(`${options.target()}${path}`, protocols, { headers: options.headers });
      sentEdits = new Map();
    }
    override send(data: Parameters<NodeWebSocket['send']>[0], ...rest: unknown[]): void {
      this.sent += 1;
      const bytes = data as Uint8Array;
      if (bytes[0] === messageSync && (bytes[1] === 1 || bytes[1] === 2)) {
        sentEdits.set(this.sent, made);
      }
      (super.send as (...args: unknown[]) => void)(data, ...rest);
    }
  }

  const provider = new WebsocketProvider('ws://placeholder/yjs', options.slug, doc, {
    WebSocketPolyfill: CountingSocket as unknown as typeof WebSocket,
    disableBc: true,
    maxBackoffTime: 500,
  });
  // y-websocket hands this only messages of the provider's current socket.
  provider.messageHandlers[messageSaved] = (_encoder, decoder) => {
    const index = decoding.readVarUint(decoder);
    for (const [sentIndex, edit] of sentEdits) {
      if (sentIndex <= index) saved = Math.max(saved, edit);
    }
  };

  const closes: number[] = [];
  provider.on('connection-close', (event) => {
    if (event) closes.push(event.code);
  });
  return {
    doc,
    provider,
    closes,
    made: () => made,
    saved: () => saved,
    edit() {
      const text = getItemTitleText(doc, options.itemId);
      if (!text) throw new Error(`no item ${options.itemId}`);
      doc.transact(() => {
        // The first edit clears the seeded title, so the title holds only the marks.
        if (made === 0) text.delete(0, text.length);
        made += 1;
        text.insert(text.length, `${made},`);
      });
    },
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** The edit numbers a title holds, from the "<n>," marks the tracked editor appends. */
export function editsIn(title: string): number[] {
  return [...title.matchAll(/(\d+),/g)].map((match) => Number(match[1]));
}
