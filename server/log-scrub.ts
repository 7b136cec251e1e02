/**
 * What must never reach a log line, taken out of URLs and request-like objects: the secret in a
 * path (`/share/<token>`, `/api/share/<token>/progress`, `/calendar/<token>.ics`,
 * `/invite/<token>`), secret query parameters (`share`, `token`, `code`, …) and the password in a
 * connection URL (`postgres://user:password@host`). logger.ts applies it to `url`, `path` and
 * `req` and redacts cookies, authorisation headers, passwords and tokens by key.
 */
const secretPath =
  /^(\/(?:api\/)?(?:share|invite|calendar)\/)([^/?#]+?)(\.ics|\/progress)?(?=$|[/?#])/;
const secretParams = new Set(['share', 'token', 'code', 'secret', 'password', 'key', 'state']);
const redacted = '[redacted]';

export function scrubUrl(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  // user:password@ in any scheme's URL.
  let url = value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@\s]*):[^@/\s]*@/i, `$1:${redacted}@`);
  const queryAt = url.search(/[?#]/);
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const rest = queryAt === -1 ? '' : url.slice(queryAt);
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(path)?.[0] ?? '';
  const scrubbedPath = path
    .slice(origin.length)
    .replace(
      secretPath,
      (_all, prefix: string, _token, suffix?: string) => `${prefix}${redacted}${suffix ?? ''}`,
    );
  const scrubbedRest = rest.replace(/([?&])([^=&#]+)=([^&#]*)/g, (all, separator, name) =>
    secretParams.has(decodeURIComponent(String(name)).toLowerCase())
      ? `${separator}${name}=${redacted}`
      : all,
  );
  url = `${origin}${scrubbedPath}${scrubbedRest}`;
  return url;
}

/** A request-like object ({ method, url, headers }) with its URL scrubbed and no secret header. */
export function scrubRequest(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const req = value as { method?: unknown; url?: unknown; headers?: Record<string, unknown> };
  const headers: Record<string, unknown> = {};
  for (const [name, header] of Object.entries(req.headers ?? {})) {
    headers[name] = /^(cookie|authorization|proxy-authorization|set-cookie)$/i.test(name)
      ? redacted
      : header;
  }
  return { method: req.method, url: scrubUrl(req.url), headers };
}
