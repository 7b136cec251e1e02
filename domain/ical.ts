/**
 * A plan's activities as an iCalendar file (RFC 5545), for the calendar feeds.
 *
 * Written here rather than with a library: the feed is one VCALENDAR of all-day VEVENTs, and the
 * parts RFC 5545 is strict about are few and testable — CRLF line ends, TEXT escaping (`\\`,
 * `\;`, `\,`, `\n`), lines folded at 75 octets (not characters: a Khmer letter is three octets,
 * and a fold must never cut one), DTEND exclusive for all-day events. `ical-generator` would do
 * the same with time-zone and recurrence machinery we do not need, in a module the browser never
 * loads anyway.
 */

export interface CalendarEvent {
  /** Stable across feeds and refreshes, so calendars update an event instead of adding one. */
  uid: string;
  summary: string;
  description: string;
  /** Inclusive calendar dates, YYYY-MM-DD. */
  start: string;
  end: string;
  url?: string;
}

export interface Calendar {
  name: string;
  events: readonly CalendarEvent[];
  /** When the file was made (DTSTAMP). */
  stamp: Date;
}

/** TEXT value escaping (RFC 5545 §3.3.11). */
export function escapeText(text: string): string {
  return text
    .replaceAll('\\', '\\\\')
    .replaceAll(';', '\\;')
    .replaceAll(',', '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * One content line folded so that no physical line exceeds 75 octets (§3.1): continuation lines
 * start with a space, which counts. Splits only between code points.
 */
export function foldLine(line: string): string {
  // A UTF-16 unit is at most 3 octets of UTF-8 (a surrogate pair, 2 units, is 4).
  if (line.length * 3 <= 75) return line;
  const parts: string[] = [];
  let start = 0;
  let octets = 0;
  let limit = 75;
  for (let index = 0; index < line.length;) {
    const code = line.codePointAt(index) ?? 0;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (octets + size > limit) {
      parts.push(line.slice(start, index));
      start = index;
      octets = 0;
      limit = 74; // the leading space of a continuation line is one of its 75
    }
    octets += size;
    index += code > 0xffff ? 2 : 1;
  }
  if (parts.length === 0) return line;
  parts.push(line.slice(start));
  return parts.join('\r\n ');
}

function basicDate(iso: string): string {
  return iso.replaceAll('-', '');
}

/** The day after a YYYY-MM-DD date: DTEND of an all-day event is exclusive. */
export function nextDay(iso: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

function utcStamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export function writeCalendar(calendar: Calendar): string {
  const stamp = utcStamp(calendar.stamp);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Coplan//Plan calendar//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(calendar.name)}`,
  ];
  for (const event of calendar.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${escapeText(event.uid)}`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${basicDate(event.start)}`,
      `DTEND;VALUE=DATE:${basicDate(nextDay(event.end))}`,
      `SUMMARY:${escapeText(event.summary)}`,
      `DESCRIPTION:${escapeText(event.description)}`,
      ...(event.url ? [`URL:${event.url}`] : []),
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
