/**
 * E-mail as the use cases see it: a mailer that sends a message and knows the app's words in
 * each language, or none (SMTP_URL unset). The server makes its mailer the process's current one
 * (smtp-mailer.ts); use cases called from server actions, inside Next's bundle, cannot be handed
 * the server's objects, so it is kept on `globalThis`, like the current database. This module
 * holds no transport and reads no file, so that Next bundles nothing of either.
 */
import type { Locale } from '../../domain/locales';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  /** Where links in e-mails point (COPLAN_PUBLIC_URL). */
  readonly publicUrl: URL;
  send(message: MailMessage): Promise<void>;
  /** app/messages/<locale>.json, the UI's words. */
  messages(locale: Locale): Record<string, unknown>;
  close(): void;
}

const currentKey = Symbol.for('coplan.mailer');
type MailGlobal = typeof globalThis & { [currentKey]?: Mailer };
const mailGlobal = globalThis as MailGlobal;

/** Makes `mailer` the one invitations use; null: no e-mail. */
export function setCurrentMailer(mailer: Mailer | null): void {
  if (mailer) mailGlobal[currentKey] = mailer;
  else delete mailGlobal[currentKey];
}

export function getCurrentMailer(): Mailer | null {
  return mailGlobal[currentKey] ?? null;
}

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
