/**
 * The plan's files:
 *
 *   GET /api/plans/<slug>/export/items.csv[?lang=]       members: the items as CSV
 *   GET /api/plans/<slug>/export/indicators.csv[?lang=]  members: one indicator a row
 *   GET /calendar/<token>.ics[?lang=]                   no session: the secret is the token
 *
 * The CSV files need a session (401) and membership (404, like an unknown plan); they are read
 * from the relational projection brought up to the stored log, and sent as attachments. A
 * calendar feed answers 404 with a short text for a token that is malformed, unknown, revoked
 * or whose owner left the plan, and changes nothing; each address may ask a few times a minute
 * (429 with Retry-After beyond). `lang` is en, zh-CN or km; without it the language cookie, then
 * Accept-Language, decide, as for pages.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseCookies } from 'cookie';

import { DomainError } from '../../domain/domain-error';
import {
  defaultLocale,
  isLocale,
  localeCookieName,
  matchAcceptLanguage,
  type Locale,
} from '../../domain/locales';
import { readSessionClaims } from '../auth/session-cookie';
import { toHttpError } from '../errors';
import type { Logger } from '../logger';
import type { HandshakeConfig } from '../use-cases/authenticate-handshake';
import { exportPlanCsv, type CsvExportKind } from '../use-cases/export-plan-csv';
import { findSessionUser } from '../use-cases/find-session-user';
import type { ProjectionFreshness } from '../use-cases/list-plan-items';
import { readCalendarFeed } from '../use-cases/read-calendar-feed';
import { AddressRateLimit } from './address-rate-limit';
import { sendJson } from './send-json';

const csvPattern = /^\/api\/plans\/([^/]+)\/export\/(items|indicators)\.csv$/;
const calendarPattern = /^\/calendar\/([^/]+)\.ics$/;

export function isExportPath(path: string): boolean {
  return csvPattern.test(path) || calendarPattern.test(path);
}

export interface ExportRoutes {
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
}

function requestLocale(req: IncomingMessage): Locale {
  const query = new URL(req.url ?? '/', 'http://localhost').searchParams.get('lang');
  if (isLocale(query)) return query;
  const cookie = parseCookies(req.headers.cookie ?? '')[localeCookieName];
  if (isLocale(cookie)) return cookie;
  return matchAcceptLanguage(req.headers['accept-language']) ?? defaultLocale;
}

function sendText(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new DomainError('not_found', 'no such plan');
  }
}

export function createExportRoutes(options: {
  config: HandshakeConfig;
  projection: ProjectionFreshness;
  log: Logger;
  /** Calendar requests per address: a burst, then a steady rate (default 20, then 1 per 6 s). */
  calendarRate?: { perSecond: number; burst: number };
}): ExportRoutes {
  const { config, projection, log } = options;
  const calendarLimit = new AddressRateLimit(
    options.calendarRate ?? { perSecond: 1 / 6, burst: 20 },
  );

  async function handleCsv(req: IncomingMessage, res: ServerResponse, path: string) {
    try {
      const claims = await readSessionClaims(req.headers.cookie, {
        secret: config.authSecret,
        publicUrl: config.publicUrl,
      });
      const user = claims ? await findSessionUser(claims) : null;
      if (!user) throw new DomainError('unauthenticated', 'sign in first');
      const [, rawSlug = '', kind] = csvPattern.exec(path) ?? [];
      const file = await exportPlanCsv(
        {
          slug: decodeSegment(rawSlug),
          userId: user.id,
          kind: kind as CsvExportKind,
          locale: requestLocale(req),
        },
        projection,
      );
      const body = Buffer.from(file.body, 'utf8');
      res.writeHead(200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Length': body.length,
        'Content-Disposition': `attachment; filename="${file.fileName}"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (error) {
      const refusal = toHttpError(error, log);
      sendJson(res, refusal.status, { error: refusal.code, message: refusal.message });
    }
  }

  async function handleCalendar(req: IncomingMessage, res: ServerResponse, path: string) {
    const allowed = calendarLimit.take(req.socket.remoteAddress ?? 'unknown');
    if (!allowed.ok) {
      sendText(req, res, 429, 'Too many requests; try again later.\n', {
        'Retry-After': String(allowed.retryAfterSeconds),
      });
      return;
    }
    try {
      const [, rawToken = ''] = calendarPattern.exec(path) ?? [];
      const { body } = await readCalendarFeed(
        {
          token: decodeSegment(rawToken),
          locale: requestLocale(req),
          publicUrl: config.publicUrl.origin,
        },
        projection,
      );
      const bytes = Buffer.from(body, 'utf8');
      res.writeHead(200, {
        'Content-Type': 'text/calendar; charset=utf-8',
        'Content-Length': bytes.length,
        'Content-Disposition': 'inline; filename="plan.ics"',
        'Cache-Control': 'private, no-cache',
        'Referrer-Policy': 'no-referrer',
        'X-Robots-Tag': 'noindex',
      });
      res.end(req.method === 'HEAD' ? undefined : bytes);
    } catch (error) {
      const refusal = toHttpError(error, log);
      if (refusal.status === 404) {
        sendText(req, res, 404, 'No such calendar. The link may have been revoked.\n');
      } else sendText(req, res, refusal.status, `${refusal.message}\n`);
    }
  }

  return {
    async handle(req, res, path) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return;
      }
      if (calendarPattern.test(path)) return handleCalendar(req, res, path);
      return handleCsv(req, res, path);
    },
  };
}
