/**
 * The floor: a bare `ws` broadcast relay. Every binary message is sent, as it is, to every other
 * socket that opened the same path. No document, no validation, no storage.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

import { onParentMessage, sendToParent } from './child-channel';

const rooms = new Map<string, Set<WebSocket>>();
const httpServer = createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server: httpServer, maxPayload: 1024 * 1024 });

wss.on('connection', (ws, req) => {
  const path = req.url ?? '/';
  let room = rooms.get(path);
  if (!room) {
    room = new Set();
    rooms.set(path, room);
  }
  const peers = room;
  peers.add(ws);
  ws.on('message', (data, isBinary) => {
    for (const peer of peers) {
      if (peer !== ws && peer.readyState === peer.OPEN) peer.send(data, { binary: isBinary });
    }
  });
  ws.on('close', () => peers.delete(ws));
  ws.on('error', () => {});
});

httpServer.listen(0, '127.0.0.1', () => {
  const { port } = httpServer.address() as AddressInfo;
  sendToParent({
    type: 'ready',
    port,
    path: '/bench',
    headers: [{}],
    initialState: null,
    extraPaths: [],
    facts: {},
  });
});

onParentMessage({
  async stop() {
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((resolve) => httpServer.close(() => resolve()));
  },
});
