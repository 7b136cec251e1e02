/**
 * The child side of the IPC channel: announce readiness, stop when told (or when the parent
 * goes away, so a crashed benchmark never leaves a server behind).
 */
import type { ChildMessage, ParentMessage } from '../server-protocol';

export function sendToParent(message: ChildMessage): void {
  process.send?.(message);
}

export function onParentMessage(
  handlers: { stop(): Promise<void> } & Partial<{
    [K in Exclude<ParentMessage['type'], 'stop'>]: (
      message: Extract<ParentMessage, { type: K }>,
    ) => Promise<void>;
  }>,
): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const forced = setTimeout(() => process.exit(0), 5_000);
    forced.unref();
    handlers
      .stop()
      .catch((error: unknown) => console.error('bench server: stop failed', error))
      .finally(() => {
        // Let the IPC channel go, so `--cpu-prof` writes its profile on a normal exit.
        if (process.connected) process.disconnect();
        process.exit(0);
      });
  };
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stop') {
      stop();
      return;
    }
    const handler = handlers[message.type];
    if (!handler) return;
    handler(message).catch((error: unknown) => console.error('bench server:', error));
  });
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
}
