/**
 * The one error type of the domain. Each transport translates its closed set of codes: HTTP
 * status (server/http), socket.io ack, WebSocket close code (domain/sync-protocol.ts).
 */
export const domainErrorCodes = [
  'bad_request',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'invalid_document',
  'unavailable',
  'internal',
] as const;

export type DomainErrorCode = (typeof domainErrorCodes)[number];

export class DomainError extends Error {
  readonly code: DomainErrorCode;

  constructor(code: DomainErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DomainError';
    this.code = code;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

export const httpStatusByCode: Record<DomainErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_document: 422,
  unavailable: 503,
  internal: 500,
};
