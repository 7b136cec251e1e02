/**
 * Hocuspocus 3.4.4 with its defaults and no extensions: nothing is stored (no onStoreDocument
 * hook), every update is applied to the server's document and broadcast.
 */
import { Server } from '@hocuspocus/server';

import { onParentMessage, sendToParent } from './child-channel';

const server = new Server({
  port: 0,
  address: '127.0.0.1',
  quiet: true,
  stopOnSignals: false,
});

await server.listen();
sendToParent({
  type: 'ready',
  port: server.address.port,
  // Hocuspocus names the document inside each message; the path is not used.
  path: '/',
  headers: [{}],
  initialState: null,
  extraPaths: [],
  facts: {},
});

onParentMessage({
  async stop() {
    await server.destroy();
  },
});
