/**
 * The reference server: y-websocket 2.x `bin/utils` (`setupWSConnection`), as its own
 * `bin/server.cjs` runs it, without persistence (no YPERSISTENCE) and without callbacks.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

import { onParentMessage, sendToParent } from './child-channel';

interface YWebsocketUtils {
  setupWSConnection(conn: WebSocket, req: IncomingMessage, options?: { gc?: boolean }): void;
}

const require = createRequire(import.meta.url);
const utils = require('y-websocket-v2/bin/utils') as YWebsocketUtils;

const httpServer = createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ noServer: true });
wss.on('connection', (conn, req) => utils.setupWSConnection(conn, req, { gc: true }));
httpServer.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
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
