/**
 * One translator per transport for DomainError. Anything else is a bug or an outage: logged in
 * full, answered generically.
 */
import { DomainError, httpStatusByCode, type DomainErrorCode } from '../domain/domain-error';
import type { AckError } from '../domain/realtime-events';
import type { Logger } from './logger';

export function toAckError(error: unknown, log: Logger): AckError {
  if (error instanceof DomainError) return { error: error.code, message: error.message };
  log.error({ err: error }, 'unexpected error in a socket.io handler');
  return { error: 'internal', message: 'something went wrong on the server' };
}

export function toHttpError(
  error: unknown,
  log: Logger,
): { status: number; code: DomainErrorCode; message: string } {
  if (error instanceof DomainError) {
    return { status: httpStatusByCode[error.code], code: error.code, message: error.message };
  }
  log.error({ err: error }, 'unexpected error');
  return { status: 500, code: 'internal', message: 'something went wrong on the server' };
}
