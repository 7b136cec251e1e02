/**
 * E-mail digests against a real SMTP server on loopback (smtp-server, port 0) and a real
 * database: one e-mail per user with all their unread notifications not yet e-mailed, in their
 * language, never twice, read ones never, and a refusing server leaves them for the next run.
 * Notification rows are inserted directly: their creation is another module's.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { eq, inArray, sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { NotificationKind } from '../../domain/notifications';
import { findPlanBySlug } from '../../db/queries/plans';
import { findUserByEmail } from '../../db/queries/users';
import { notifications, users } from '../../db/schema';
import { createRootLogger } from '../logger';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import {
  seededPlanSlug,
  startTestServer,
  testOrigin,
  type RunningTestServer,
} from '../testing/test-server';
import { startEmailDigest, type EmailDigest } from './email-digest';

interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

let testDatabase: TestDatabase;
let running: RunningTestServer;
let sink: SMTPServer;
let smtpUrl: string;
let refusing = false;
const received: ReceivedMail[] = [];
const digests: EmailDigest[] = [];

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  running = await startTestServer(testDatabase);
  sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onMailFrom(_address, _session, callback) {
      if (!refusing) {
        callback();
        return;
      }
      callback(Object.assign(new Error('mailbox unavailable, try later'), { responseCode: 451 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          to: session.envelope.rcptTo.map((address) => address.address),
          ...parseMail(Buffer.concat(chunks).toString('utf8')),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(sink.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const digest of digests) await digest.stop();
  await new Promise<void>((resolve) => sink?.close(() => resolve()));
  await running?.stop();
  await testDatabase?.drop();
});

beforeEach(() => {
  received.length = 0;
  refusing = false;
});

function startDigest(): EmailDigest {
  const digest = startEmailDigest({
    database: running.database,
    log: createRootLogger('silent'),
    smtpUrl,
    from: 'Coplan <coplan@coplan.test>',
    publicUrl: new URL(testOrigin),
    // The tests run it by hand; the timer stays out of the way.
    intervalMs: 60 * 60_000,
  });
  digests.push(digest);
  return digest;
}

async function notify(
  email: string,
  kind: NotificationKind,
  excerpt: string,
  options: { read?: boolean } = {},
): Promise<string> {
  const db = running.database.db;
  const user = await findUserByEmail(db, email);
  const plan = await findPlanBySlug(db, seededPlanSlug);
  const actor = await findUserByEmail(db, 'ilo@coplan.test');
  if (!user || !plan || !actor) throw new Error('seed missing');
  const [row] = await db
    .insert(notifications)
    .values({
      userId: user.id,
      planId: plan.id,
      kind,
      actorId: actor.id,
      detail: { kind, commentId: randomUUID(), excerpt },
      dedupeKey: `test:${randomUUID()}`,
      readAt: options.read ? sql`now()` : null,
    })
    .returning({ id: notifications.id });
  if (!row) throw new Error('not inserted');
  return row.id;
}

async function emailedAt(ids: string[]) {
  const rows = await running.database.db
    .select({ id: notifications.id, emailedAt: notifications.emailedAt })
    .from(notifications)
    .where(inArray(notifications.id, ids));
  return rows.map((row) => row.emailedAt !== null);
}

describe('e-mail digests', () => {
  it('sends one e-mail with both unread notifications, never twice, and not the read one', async () => {
    const digest = startDigest();
    const ids = [
      await notify('htc.editor@coplan.test', 'comment', 'First note <script>alert(1)</script>'),
      await notify('htc.editor@coplan.test', 'mention', 'Second note'),
    ];
    const read = await notify('htc.editor@coplan.test', 'comment', 'Already read', { read: true });

    expect(await digest.runNow()).toEqual({ emails: 1, notifications: 2, failed: 0 });
    expect(received).toHaveLength(1);
    const [mail] = received;
    expect(mail?.to).toEqual(['htc.editor@coplan.test']);
    expect(mail?.subject).toBe('Coplan: 2 unread notifications');
    expect(mail?.text).toContain('Hello Chen Jing,');
    expect(mail?.text).toContain(
      'Li Ming commented on the plan: “First note <script>alert(1)</script>”',
    );
    expect(mail?.text).toContain('Li Ming mentioned you on the plan: “Second note”');
    expect(mail?.text).toContain(`${testOrigin}/plans/${seededPlanSlug}`);
    expect(mail?.text).not.toContain('Already read');
    // The excerpt is the commenter's text: in HTML it is escaped, never markup.
    expect(mail?.html).toContain('First note &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail?.html).not.toContain('<script>');
    expect(await emailedAt(ids)).toEqual([true, true]);
    expect(await emailedAt([read])).toEqual([false]);

    expect(await digest.runNow()).toEqual({ emails: 0, notifications: 0, failed: 0 });
    expect(received).toHaveLength(1);
  });

  it("writes in the user's language (zh-CN), English when none is set", async () => {
    const db = running.database.db;
    await db
      .update(users)
      .set({ locale: 'zh-CN' })
      .where(eq(users.email, 'npia.editor@coplan.test'));
    await notify('npia.editor@coplan.test', 'comment', '请补充日期');
    await notify('owner@coplan.test', 'comment', 'Dates?');

    expect(await startDigest().runNow()).toMatchObject({ emails: 2, notifications: 2 });
    const chinese = received.find((mail) => mail.to.includes('npia.editor@coplan.test'));
    expect(chinese?.subject).toBe('Coplan：1 条未读通知');
    expect(chinese?.text).toContain('Sok Dara，您好：');
    expect(chinese?.text).toContain('Li Ming 评论了 该计划：“请补充日期”');
    const english = received.find((mail) => mail.to.includes('owner@coplan.test'));
    expect(english?.subject).toBe('Coplan: 1 unread notifications');
  });

  it('a refusing SMTP server leaves the notifications for the next run', async () => {
    const digest = startDigest();
    const id = await notify('ilo@coplan.test', 'mention', 'Are you there?');
    refusing = true;
    expect(await digest.runNow()).toEqual({ emails: 0, notifications: 0, failed: 1 });
    expect(received).toHaveLength(0);
    expect(await emailedAt([id])).toEqual([false]);

    refusing = false;
    expect(await digest.runNow()).toEqual({ emails: 1, notifications: 1, failed: 0 });
    expect(received[0]?.text).toContain('Are you there?');
    expect(await emailedAt([id])).toEqual([true]);
  });

  it('two instances running at once send each notification once', async () => {
    const [first, second] = [startDigest(), startDigest()];
    for (let index = 0; index < 5; index += 1) {
      await notify('participant@coplan.test', 'comment', `Note ${index}`);
    }
    const runs = await Promise.all([first.runNow(), second.runNow()]);
    expect(runs.reduce((sum, run) => sum + run.notifications, 0)).toBe(5);
    const lines = received
      .flatMap((mail) => mail.text.split('\n'))
      .filter((line) => line.includes('Note '));
    expect(lines.toSorted()).toEqual(
      [0, 1, 2, 3, 4].map((n) => `- Li Ming commented on the plan: “Note ${n}”`),
    );
  });
});

/** Just enough MIME for nodemailer's output: the subject and the text and HTML parts, decoded. */
function parseMail(raw: string): Omit<ReceivedMail, 'to'> {
  const unfolded = raw.replace(/\r\n[ \t]+/g, ' ');
  const subjectLine = /^Subject: (.*)$/im.exec(unfolded)?.[1] ?? '';
  const subject = subjectLine
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_match, encoding: string, data: string) =>
      encoding.toLowerCase() === 'b'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replaceAll('_', ' ')),
    );
  const part = (type: string) => {
    const match = new RegExp(
      `Content-Type: ${type}[^\\r\\n]*\\r\\n(?:[^\\r\\n]+\\r\\n)*?Content-Transfer-Encoding: ([\\w-]+)\\r\\n\\r\\n([\\s\\S]*?)\\r\\n(?:--|$)`,
      'i',
    ).exec(unfolded);
    if (!match) return '';
    const [, encoding = '', body = ''] = match;
    if (encoding.toLowerCase() === 'base64') return Buffer.from(body, 'base64').toString('utf8');
    if (encoding.toLowerCase() === 'quoted-printable') return decodeQuotedPrintable(body);
    return body;
  };
  return { subject, text: part('text/plain'), html: part('text/html') };
}

function decodeQuotedPrintable(value: string): string {
  const bytes: number[] = [];
  const soft = value.replace(/=\r?\n/g, '');
  for (let index = 0; index < soft.length; index += 1) {
    const hex = soft.slice(index + 1, index + 3);
    if (soft[index] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      index += 2;
    } else {
      bytes.push(...Buffer.from(soft[index] ?? '', 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8').replaceAll('\r\n', '\n');
}
