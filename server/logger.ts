/**
 * One pino logger for the process; modules take a child. Cookies, tokens and passwords are never
 * logged: the redaction list is a second line of defence, not the first.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

const rootKey = Symbol.for('coplan.logger');
type Holder = { [rootKey]?: Logger };

export function createRootLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  const logger = pino({
    level,
    base: { service: 'coplan' },
    redact: {
      paths: ['req.headers.cookie', 'headers.cookie', 'password', '*.password', 'token', '*.token'],
      censor: '[redacted]',
    },
  });
  (globalThis as Holder)[rootKey] = logger;
  return logger;
}

/** The process's logger (created on first use), shared with Next's copy of this module. */
export function getLogger(module: string): Logger {
  const holder = globalThis as Holder;
  const root = holder[rootKey] ?? createRootLogger();
  return root.child({ module });
}
