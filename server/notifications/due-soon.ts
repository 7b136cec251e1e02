/**
 * The "due within a week" scan: at start, then every hour. Every instance runs it; the unique
 * (user, dedupe key) of notifications makes the second instance's rows no-ops, so nobody is told
 * twice and no leader has to be chosen.
 */
import type { Logger } from '../logger';
import { notifyDueItems } from '../use-cases/notify-due-items';
import type { NotificationDelivery } from '../use-cases/store-notifications';

export interface DueSoonScan {
  /** Runs one scan now (after any scan under way) and resolves when it is done. */
  scan(): Promise<void>;
  /** Stops the timer and waits for a scan under way. */
  stop(): Promise<void>;
}

export function startDueSoonScan(options: {
  intervalMs: number;
  log: Logger;
  deliver: (deliveries: NotificationDelivery[]) => void;
  now?: () => Date;
}): DueSoonScan {
  const { log } = options;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const scan = (): Promise<void> => {
    // Scans never overlap: one that is late (a slow database) delays the next.
    running = running.then(async () => {
      if (stopped) return;
      try {
        const deliveries = await notifyDueItems(options.now?.() ?? new Date());
        options.deliver(deliveries);
        if (deliveries.length > 0) log.info({ notified: deliveries.length }, 'due-soon scan');
      } catch (error) {
        // The next scan tries again; the database may be back by then.
        log.warn({ err: error }, 'due-soon scan failed');
      }
    });
    return running;
  };

  void scan();
  const timer = setInterval(() => void scan(), options.intervalMs);
  timer.unref();

  return {
    scan,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
