import { describe, expect, it } from 'vitest';

import { escapeText, foldLine, nextDay, writeCalendar } from './ical';

const encoder = new TextEncoder();

/** RFC 5545 unfolding: a CRLF followed by one space or tab disappears. */
function unfold(text: string): string {
  return text.replace(/\r\n[ \t]/g, '');
}

describe('iCalendar', () => {
  it('escapes backslash, semicolon, comma and every kind of line break', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf\rg')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng');
  });

  it('folds at 75 octets without cutting a UTF-8 character, and unfolds to the original', () => {
    for (const text of [
      'SUMMARY:' + 'a'.repeat(200),
      'SUMMARY:' + '机器人培训'.repeat(30),
      'SUMMARY:' + 'ការបណ្ដុះបណ្ដាលគ្រូ'.repeat(10),
      'SUMMARY:' + '😀x'.repeat(40),
    ]) {
      const folded = foldLine(text);
      const lines = folded.split('\r\n');
      expect(lines.length).toBeGreaterThan(1);
      for (const [index, line] of lines.entries()) {
        expect(encoder.encode(line).length).toBeLessThanOrEqual(75);
        if (index > 0) expect(line.startsWith(' ')).toBe(true);
        // Each physical line is whole UTF-8 on its own: no lone surrogate, no cut sequence.
        expect(line).toBe(new TextDecoder('utf-8', { fatal: true }).decode(encoder.encode(line)));
        expect(line).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
      }
      expect(unfold(folded)).toBe(text);
    }
    expect(foldLine('SHORT:line')).toBe('SHORT:line');
    expect(foldLine('X:' + 'a'.repeat(73))).toBe('X:' + 'a'.repeat(73));
  });

  it('turns an item into an all-day event with an exclusive end', () => {
    expect(nextDay('2022-12-31')).toBe('2023-01-01');
    expect(nextDay('2024-02-28')).toBe('2024-02-29');
    const text = writeCalendar({
      name: 'HTC–NPIA, 2022',
      stamp: new Date('2026-11-27T09:30:15.123Z'),
      events: [
        {
          uid: 'item-1@plan-1.coplan',
          summary: 'Robotics; training, phase 1',
          description: 'Status: In progress\nProgress: 40%',
          start: '2022-03-01',
          end: '2022-03-31',
          url: 'https://coplan.example/plans/p?item=item-1',
        },
      ],
    });
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = unfold(text).split('\r\n');
    expect(lines).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Coplan//Plan calendar//EN',
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
      'X-WR-CALNAME:HTC–NPIA\\, 2022',
      'BEGIN:VEVENT',
      'UID:item-1@plan-1.coplan',
      'DTSTAMP:20261127T093015Z',
      'DTSTART;VALUE=DATE:20220301',
      'DTEND;VALUE=DATE:20220401',
      'SUMMARY:Robotics\\; training\\, phase 1',
      'DESCRIPTION:Status: In progress\\nProgress: 40%',
      'URL:https://coplan.example/plans/p?item=item-1',
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ]);
  });
});
