/**
 * E-mail digests (only with SMTP_URL): every interval, each user with unread notifications not
 * yet e-mailed gets one e-mail listing them, in their language, and those notifications are
 * marked e-mailed. The rows are claimed before sending (db/queries/notification-emails.ts), so
 * two instances never send the same notification; a send that fails gives its rows back for the
 * next digest. A process that dies between claim and send loses that digest: a notification is
 * e-mailed at most once, and it stays in the app's bell either way.
 */
import { createTranslator } from 'next-intl';

import { defaultLocale, isLocale, type Locale } from '../../domain/locales';
import type { DatabaseHandle } from '../../db/database';
import {
  claimNotificationsToEmail,
  listNotificationsToEmail,
  releaseNotificationsToEmail,
  type NotificationToEmail,
} from '../../db/queries/notification-emails';
import type { Logger } from '../logger';
import { escapeHtml } from '../mail/mailer';
import { createMailTransport, readAppMessages } from '../mail/smtp-mailer';

export interface EmailDigestOptions {
  database: DatabaseHandle;
  log: Logger;
  /** smtp:// or smtps:// (nodemailer's connection URL). */
  smtpUrl: string;
  from: string;
  /** Where the links in the e-mails point (COPLAN_PUBLIC_URL). */
  publicUrl: URL;
  intervalMs: number;
}

export interface DigestRun {
  /** E-mails sent, and the notifications they carried. */
  emails: number;
  notifications: number;
  /** E-mails that could not be sent (their notifications wait for the next run). */
  failed: number;
}

export interface EmailDigest {
  /** Runs one digest now (tests call it; the timer calls it every interval). */
  runNow(): Promise<DigestRun>;
  /** Stops the timer, waits for a run in progress, closes the SMTP connections. */
  stop(): Promise<void>;
}

/** The two namespaces of app/messages/*.json the digest reads (checked there for each language). */
type Messages = {
  Email: Record<
    | 'subject'
    | 'greeting'
    | 'intro'
    | 'inPlan'
    | 'comment'
    | 'mention'
    | 'status'
    | 'due'
    | 'someone'
    | 'thePlan'
    | 'open'
    | 'openLink'
    | 'footer',
    string
  >;
  Statuses: Record<string, string>;
};

/** The words of the e-mail are the app's (see readAppMessages). */
function readMessages(locale: Locale): Messages {
  return readAppMessages<Messages>(locale);
}

export function startEmailDigest(options: EmailDigestOptions): EmailDigest {
  const { database, log } = options;
  const transport = createMailTransport(options.smtpUrl);
  const messages = new Map<Locale, Messages>();
  let running: Promise<DigestRun> | null = null;

  function translatorFor(locale: Locale): Translators {
    let localeMessages = messages.get(locale);
    if (!localeMessages) {
      localeMessages = readMessages(locale);
      messages.set(locale, localeMessages);
    }
    return createTranslators(locale, localeMessages);
  }

  function compose(rows: NotificationToEmail[]) {
    const first = rows[0];
    if (!first) throw new Error('a digest needs notifications');
    const locale = isLocale(first.userLocale) ? first.userLocale : defaultLocale;
    const t = translatorFor(locale);
    const byPlan = new Map<string, NotificationToEmail[]>();
    for (const row of rows) byPlan.set(row.planSlug, [...(byPlan.get(row.planSlug) ?? []), row]);

    const text: string[] = [t.email('greeting', { name: first.userName }), '', t.email('intro')];
    const html: string[] = [
      `<p>${escapeHtml(t.email('greeting', { name: first.userName }))}</p>`,
      `<p>${escapeHtml(t.email('intro'))}</p>`,
    ];
    for (const [slug, planRows] of byPlan) {
      const planTitle = planRows[0]?.planTitle ?? slug;
      const url = new URL(`/plans/${encodeURIComponent(slug)}`, options.publicUrl).href;
      text.push('', t.email('inPlan', { plan: planTitle }));
      html.push(
        `<h2 style="font-size:16px">${escapeHtml(t.email('inPlan', { plan: planTitle }))}</h2>`,
        '<ul>',
      );
      for (const row of planRows) {
        const line = describe(row, t);
        text.push(`- ${line}`);
        html.push(`<li>${escapeHtml(line)}</li>`);
      }
      text.push(t.email('open', { url }));
      html.push(
        '</ul>',
        `<p><a href="${escapeHtml(url)}">${escapeHtml(t.email('openLink'))}</a></p>`,
      );
    }
    text.push('', t.email('footer'));
    html.push(`<p style="color:#555">${escapeHtml(t.email('footer'))}</p>`);
    return {
      to: first.userEmail,
      subject: t.email('subject', { count: rows.length }),
      text: text.join('\n'),
      html: `<!doctype html><html lang="${locale}"><body>${html.join('\n')}</body></html>`,
    };
  }

  async function run(): Promise<DigestRun> {
    const result: DigestRun = { emails: 0, notifications: 0, failed: 0 };
    const ids = await claimNotificationsToEmail(database.db);
    if (ids.length === 0) return result;
    let rows: NotificationToEmail[];
    try {
      rows = await listNotificationsToEmail(database.db, ids);
    } catch (error) {
      await releaseNotificationsToEmail(database.db, ids);
      throw error;
    }
    const byUser = new Map<string, NotificationToEmail[]>();
    for (const row of rows) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row]);
    for (const [userId, userRows] of byUser) {
      const claimed = userRows.map((row) => row.id);
      try {
        await transport.sendMail({ from: options.from, ...compose(userRows) });
        result.emails += 1;
        result.notifications += claimed.length;
      } catch (error) {
        result.failed += 1;
        log.warn(
          { err: error, userId, notifications: claimed.length },
          'e-mail digest not sent; its notifications wait for the next one',
        );
        await releaseNotificationsToEmail(database.db, claimed);
      }
    }
    return result;
  }

  const runNow = () => {
    running ??= run().finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => {
    runNow().catch((error: unknown) => log.error({ err: error }, 'e-mail digest failed'));
  }, options.intervalMs);
  timer.unref();

  return {
    runNow,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => undefined);
      transport.close();
    },
  };
}

function createTranslators(locale: Locale, messages: Messages) {
  return {
    email: createTranslator({ locale, messages, namespace: 'Email' }),
    status: createTranslator({ locale, messages, namespace: 'Statuses' }),
  };
}

type Translators = ReturnType<typeof createTranslators>;

/** One line of the digest: who did what on which item. */
function describe(row: NotificationToEmail, t: Translators): string {
  const detail = (row.detail ?? {}) as Record<string, unknown>;
  const actor = row.actorName ?? t.email('someone');
  const item = row.itemTitle ?? t.email('thePlan');
  const text = (key: string) => String(detail[key] ?? '');
  switch (row.kind) {
    case 'comment':
    case 'mention':
      return t.email(row.kind, { actor, item, excerpt: text('excerpt') });
    case 'status':
      return t.email('status', {
        actor,
        item,
        from: statusLabel(t, text('from')),
        to: statusLabel(t, text('to')),
      });
    case 'due':
      return t.email('due', { item, due: text('due') });
  }
}

function statusLabel(t: Translators, status: string): string {
  return t.status.has(status) ? t.status(status) : status;
}
