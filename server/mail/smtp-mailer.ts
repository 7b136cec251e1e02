/**
 * The SMTP side of e-mail, shared by the digests (notifications/email-digest.ts) and invitations:
 * one nodemailer transport per SMTP_URL, and the app's translated words read from
 * app/messages/*.json. Only the custom server imports this module (never Next's bundle).
 */
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';

import type { Locale } from '../../domain/locales';
import type { Mailer } from './mailer';

export function createMailTransport(smtpUrl: string) {
  return nodemailer.createTransport(smtpUrl);
}

/**
 * The UI's messages, read as data: server/ never imports app/ code, but the words of an e-mail
 * are the app's, translated once in app/messages/*.json (the same keys and ICU arguments are
 * checked there for all three languages), so e-mails read those files rather than keep a second
 * copy. The custom server runs from source (tsx), so the path is the repository's.
 */
export function readAppMessages<Messages>(locale: Locale): Messages {
  const url = new URL(`../../app/messages/${locale}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Messages;
}

export function createSmtpMailer(options: {
  smtpUrl: string;
  from: string;
  publicUrl: URL;
}): Mailer {
  const transport = createMailTransport(options.smtpUrl);
  const cache = new Map<Locale, Record<string, unknown>>();
  return {
    publicUrl: options.publicUrl,
    async send(message) {
      await transport.sendMail({ from: options.from, ...message });
    },
    messages(locale) {
      let messages = cache.get(locale);
      if (!messages) {
        messages = readAppMessages<Record<string, unknown>>(locale);
        cache.set(locale, messages);
      }
      return messages;
    },
    close: () => transport.close(),
  };
}
