/**
 * The two next-auth POSTs that change who is signed in, served here rather than by Next so that
 * what must happen around them happens in this process, with real status codes:
 *
 *   POST /api/auth/callback/credentials → the sign-in throttle (auth/sign-in-throttle.ts) first:
 *        429 with Retry-After when the account or the address had too many failures; otherwise
 *        next-auth's own handler, then the failure or success is counted.
 *   POST /api/auth/signout              → next-auth's handler, whose signOut event ends every
 *        session of the user (auth/session-version.ts) and closes their open connections.
 *
 * next-auth's own Node handler (the pages-API form of `NextAuth`) does the work with the same
 * options as app/api/auth/[...nextauth], against a response that records what it says. Everything else under /api/auth
 * (csrf, session, providers) stays with Next.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { parseCookie } from 'cookie';
import nextAuth from 'next-auth/next';

import { interopDefault } from '../auth/interop-default';
import { authOptions } from '../auth/next-auth-options';
import { sessionCookieName } from '../auth/session-cookie';
import type { SignInThrottle } from '../auth/sign-in-throttle';
import type { Logger } from '../logger';
import { clientAddress } from './client-address';

const maxBodyBytes = 16 * 1024;

export const credentialsCallbackPath = '/api/auth/callback/credentials';
export const signOutPath = '/api/auth/signout';

export function isAuthPostPath(path: string): boolean {
  return path === credentialsCallbackPath || path === signOutPath;
}

export interface AuthRouteContext {
  authSecret: string;
  publicUrl: URL;
  throttle: SignInThrottle;
  trustedProxies: number;
  log: Logger;
}

class BodyTooLarge extends Error {}

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object') return {};
    return Object.fromEntries(
      Object.entries(parsed).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    );
  }
  return Object.fromEntries(new URLSearchParams(text));
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/** The error code the sign-in form reads: `TooManyAttempts:<seconds>`. */
export function tooManyAttemptsError(retryAfterSeconds: number): string {
  return `TooManyAttempts:${retryAfterSeconds}`;
}

/** Called for POSTs only; other methods on these paths stay with Next (next-auth's pages). */
export async function handleAuthPost(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  context: AuthRouteContext,
): Promise<void> {
  let body: Record<string, string>;
  try {
    body = await readForm(req);
  } catch (error) {
    if (error instanceof BodyTooLarge)
      send(res, 413, { error: 'too_large', message: 'the form is too large' });
    else send(res, 400, { error: 'bad_request', message: 'the form could not be read' });
    return;
  }
  const signingIn = path === credentialsCallbackPath;
  const attempt = { email: body.email ?? '', address: clientAddress(req, context.trustedProxies) };
  if (signingIn) {
    let verdict: Awaited<ReturnType<SignInThrottle['check']>> = { allowed: true };
    try {
      verdict = await context.throttle.check(attempt);
    } catch (error) {
      // The counts are unreachable for a moment: sign-in stays open (the password check still
      // costs argon2) rather than lock every person out.
      context.log.warn({ err: error }, 'sign-in throttle unavailable; not throttling');
    }
    if (!verdict.allowed) {
      const minutes = Math.ceil(verdict.retryAfterSeconds / 60);
      const url = new URL('/sign-in', context.publicUrl);
      url.searchParams.set('error', tooManyAttemptsError(verdict.retryAfterSeconds));
      send(
        res,
        429,
        {
          error: 'too_many_attempts',
          message: `too many failed sign-ins; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`,
          retryAfterSeconds: verdict.retryAfterSeconds,
          // next-auth's client reads the error from this URL.
          url: url.href,
        },
        { 'Retry-After': String(verdict.retryAfterSeconds) },
      );
      return;
    }
  }

  let cookies: Record<string, string | undefined> = {};
  try {
    cookies = parseCookie(req.headers.cookie ?? '');
  } catch {
    cookies = {};
  }
  const result = await runNextAuth(
    {
      query: { nextauth: signingIn ? ['callback', 'credentials'] : ['signout'] },
      body,
      cookies,
      headers: req.headers,
      method: 'POST',
    },
    { ...authOptions, secret: context.authSecret },
  );

  if (signingIn) {
    const sessionName = sessionCookieName(context.publicUrl);
    const succeeded = result.setCookies.some(
      (cookie) => cookie.startsWith(`${sessionName}=`) && !cookie.startsWith(`${sessionName}=;`),
    );
    const failed = !succeeded && (result.redirect ?? '').includes('error=CredentialsSignin');
    try {
      if (succeeded) await context.throttle.recordSuccess(attempt);
      else if (failed) await context.throttle.recordFailure(attempt);
    } catch (error) {
      context.log.warn({ err: error }, 'could not count a sign-in attempt');
    }
  }

  for (const [name, value] of result.headers) res.setHeader(name, value);
  if (result.setCookies.length > 0) res.setHeader('Set-Cookie', result.setCookies);
  if (result.redirect !== null) {
    if (body.json !== 'true') {
      res.writeHead(302, { Location: result.redirect }).end();
      return;
    }
    send(res, result.status, { url: result.redirect });
    return;
  }
  res.writeHead(result.status).end(result.body);
}

interface NextAuthOutcome {
  status: number;
  headers: Map<string, string>;
  setCookies: string[];
  /** Where next-auth sends the browser (or, for `json=true`, the URL it answers with). */
  redirect: string | null;
  body: string;
}

/**
 * Runs next-auth's Node (pages-API style) handler against a response that records what it says,
 * so that the outcome can be counted before anything is sent.
 */
async function runNextAuth(
  req: {
    query: { nextauth: string[] };
    body: Record<string, string>;
    cookies: Record<string, string | undefined>;
    headers: IncomingMessage['headers'];
    method: string;
  },
  options: typeof authOptions,
): Promise<NextAuthOutcome> {
  const outcome: NextAuthOutcome = {
    status: 200,
    headers: new Map(),
    setCookies: [],
    redirect: null,
    body: '',
  };
  const recorder = {
    status(code: number) {
      outcome.status = code;
      return recorder;
    },
    getHeader(name: string) {
      return name.toLowerCase() === 'set-cookie' ? outcome.setCookies : outcome.headers.get(name);
    },
    setHeader(name: string, value: string | string[]) {
      if (name.toLowerCase() === 'set-cookie') {
        outcome.setCookies = Array.isArray(value) ? [...value] : [value];
      } else if (name.toLowerCase() === 'location') {
        outcome.redirect = String(value);
      } else {
        outcome.headers.set(name, String(value));
      }
      return recorder;
    },
    json(value: { url?: string }) {
      outcome.redirect = value.url ?? null;
    },
    send(value: unknown) {
      outcome.body = typeof value === 'string' ? value : JSON.stringify(value ?? null);
    },
    end() {},
  };
  await interopDefault(nextAuth)(req as never, recorder as never, options);
  return outcome;
}
