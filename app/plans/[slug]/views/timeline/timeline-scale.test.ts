import { describe, expect, it } from 'vitest';

import {
  barGeometry,
  dayNumber,
  dragDates,
  durationDays,
  isoDate,
  minBarWidth,
  monthTicks,
  quarterTicks,
  shiftDates,
  timelineRange,
  todayIso,
  yearTicks,
} from './timeline-scale';

const range = timelineRange('2022-01-10', '2023-12-05');

describe('day numbers', () => {
  it('count days since 1970 and come back to the same date', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('2022-01-01')).toBe(18993);
    expect(isoDate(18993)).toBe('2022-01-01');
    for (const date of ['2022-02-28', '2024-02-29', '2023-12-31', '2022-03-27']) {
      expect(isoDate(dayNumber(date))).toBe(date);
    }
  });

  it('span leap days and month ends', () => {
    expect(dayNumber('2024-03-01') - dayNumber('2024-02-28')).toBe(2);
    expect(dayNumber('2023-03-01') - dayNumber('2023-02-28')).toBe(1);
    expect(durationDays({ start: '2022-03-14', end: '2022-03-14' })).toBe(1);
    expect(durationDays({ start: '2022-03-14', end: '2022-03-25' })).toBe(12);
  });

  it('reads today in UTC', () => {
    expect(todayIso(new Date('2026-11-27T23:30:00-05:00'))).toBe('2026-11-28');
  });
});

describe('ticks', () => {
  it('cover the whole months of the period', () => {
    expect(isoDate(range.firstDay)).toBe('2022-01-01');
    expect(isoDate(range.endDay)).toBe('2024-01-01');
    const months = monthTicks(range);
    expect(months).toHaveLength(24);
    expect(months[0]).toEqual({
      year: 2022,
      index: 1,
      firstDay: dayNumber('2022-01-01'),
      endDay: dayNumber('2022-02-01'),
    });
    expect(months[1]?.endDay).toBe(dayNumber('2022-03-01'));
    expect(months.at(-1)).toMatchObject({ year: 2023, index: 12 });
  });

  it('group months into quarters and years, cut at the period', () => {
    const short = timelineRange('2022-02-15', '2023-01-20');
    expect(quarterTicks(short).map((q) => `${q.year}Q${q.index}`)).toEqual([
      '2022Q1',
      '2022Q2',
      '2022Q3',
      '2022Q4',
      '2023Q1',
    ]);
    const first = quarterTicks(short)[0];
    expect(first && isoDate(first.firstDay)).toBe('2022-02-01');
    expect(first && isoDate(first.endDay)).toBe('2022-04-01');
    const last = quarterTicks(short).at(-1);
    expect(last && isoDate(last.endDay)).toBe('2023-02-01');
    expect(yearTicks(range).map((y) => [y.year, isoDate(y.firstDay), isoDate(y.endDay)])).toEqual([
      [2022, '2022-01-01', '2023-01-01'],
      [2023, '2023-01-01', '2024-01-01'],
    ]);
  });

  it('show one month for a period written backwards', () => {
    expect(monthTicks(timelineRange('2023-05-01', '2022-01-01'))).toHaveLength(1);
  });
});

describe('bar geometry', () => {
  it('runs from the start to the end of the last day', () => {
    expect(barGeometry('2022-01-01', '2022-01-10', range, 4)).toEqual({
      left: 0,
      width: 40,
      clippedStart: false,
      clippedEnd: false,
    });
    expect(barGeometry('2022-02-01', '2022-02-01', range, 4)).toMatchObject({
      left: 31 * 4,
      width: minBarWidth,
    });
  });

  it('cuts items that leave the period, and says so', () => {
    expect(barGeometry('2021-12-20', '2022-01-05', range, 4)).toEqual({
      left: 0,
      width: 20,
      clippedStart: true,
      clippedEnd: false,
    });
    const total = (range.endDay - range.firstDay) * 2;
    const late = barGeometry('2023-12-30', '2024-02-01', range, 2);
    expect(late).toMatchObject({ clippedStart: false, clippedEnd: true });
    expect(late.left + late.width).toBe(total);
    // Entirely outside: a stub at the edge, never beyond it.
    const after = barGeometry('2025-01-01', '2025-02-01', range, 2);
    expect(after).toMatchObject({
      left: total - minBarWidth,
      clippedStart: false,
      clippedEnd: true,
    });
  });
});

describe('dragging to dates', () => {
  const item = { start: '2022-03-14', end: '2022-03-25' };

  it('moves both dates by whole days, keeping the duration', () => {
    expect(dragDates(item, 'move', 4 * 7, 4, range)).toEqual({
      start: '2022-03-21',
      end: '2022-04-01',
    });
    expect(dragDates(item, 'move', -4 * 14, 4, range)).toEqual({
      start: '2022-02-28',
      end: '2022-03-11',
    });
  });

  it('snaps to the nearest day', () => {
    expect(dragDates(item, 'move', 5.9, 4, range)).toEqual({
      start: '2022-03-15',
      end: '2022-03-26',
    });
    expect(dragDates(item, 'move', 1.9, 4, range)).toEqual(item);
    expect(dragDates(item, 'move', -1.9, 4, range)).toEqual(item);
    expect(dragDates(item, 'move', 2.1, 1.5, range)).toEqual({
      start: '2022-03-15',
      end: '2022-03-26',
    });
  });

  it('resizes one edge, never past the other', () => {
    expect(dragDates(item, 'end', 12, 4, range)).toEqual({
      start: '2022-03-14',
      end: '2022-03-28',
    });
    expect(dragDates(item, 'start', -8, 4, range)).toEqual({
      start: '2022-03-12',
      end: '2022-03-25',
    });
    expect(dragDates(item, 'end', -400, 4, range)).toEqual({
      start: '2022-03-14',
      end: '2022-03-14',
    });
    expect(dragDates(item, 'start', 400, 4, range)).toEqual({
      start: '2022-03-25',
      end: '2022-03-25',
    });
  });

  it('stops at the edges of the period', () => {
    expect(shiftDates(item, 'move', -1000, range)).toEqual({
      start: '2022-01-01',
      end: '2022-01-12',
    });
    expect(shiftDates(item, 'move', 1000, range)).toEqual({
      start: '2023-12-20',
      end: '2023-12-31',
    });
    expect(shiftDates(item, 'start', -1000, range).start).toBe('2022-01-01');
    expect(shiftDates(item, 'end', 1000, range).end).toBe('2023-12-31');
  });

  it('lets an item already beyond the period move without jumping back', () => {
    const early = { start: '2021-11-01', end: '2022-01-05' };
    expect(shiftDates(early, 'move', -3, range)).toEqual(early);
    expect(shiftDates(early, 'move', 3, range)).toEqual({ start: '2021-11-04', end: '2022-01-08' });
    expect(shiftDates(early, 'start', -3, range)).toEqual(early);
  });
});
