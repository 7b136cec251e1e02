/**
 * One pino logger for the process; modules take a child. Cookies, tokens and passwords are never
 * logged: the redaction list is a second line of defence, not the first.
 */
import { pino, type Logger } from 'pino';

import { scrubRequest, scrubUrl } from './log-scrub';

export type { Logger };

const rootKey = Symbol.for('coplan.logger');
type Holder = { [rootKey]?: Logger };

/** Keys whose values never reach a log line, at the top level and one level down. */
const secretKeys = [
  'password',
  'passwordHash',
  'newPassword',
  'currentPassword',
  'token',
  'shareToken',
  'inviteToken',
  'calendarToken',
  'tokenHash',
  'secret',
  'authSecret',
  'cookie',
  'authorization',
  'databaseUrl',
  'smtpUrl',
  'redisUrl',
];
export const redactedPaths = [
  ...secretKeys,
  ...secretKeys.map((key) => `*.${key}`),
  'headers.cookie',
  'headers.authorization',
  'headers["set-cookie"]',
  '*.headers.cookie',
  '*.headers.authorization',
  '*.headers["set-cookie"]',
];

export function createRootLogger(
  level: string = process.env.LOG_LEVEL ?? 'info',
  destination?: pino.DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'coplan' },
    redact: { paths: redactedPaths, censor: '[redacted]' },
    serializers: { url: scrubUrl, path: scrubUrl, req: scrubRequest },
  };
  const logger = destination ? pino(options, destination) : pino(options);
  (globalThis as Holder)[rootKey] = logger;
  return logger;
}

/** The process's logger (created on first use), shared with Next's copy of this module. */
export function getLogger(module: string): Logger {
  const holder = globalThis as Holder;
  const root = holder[rootKey] ?? createRootLogger();
  return root.child({ module });
}
