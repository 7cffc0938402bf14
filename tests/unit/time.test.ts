import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatDuration, formatIsoDate, parseDateTimeLocal, toDateTimeLocalValue } from '../../src/lib/time.ts';

const ZONE = 'America/Toronto';
const NBSP = '\u00a0';
// Collapse non-breaking spaces so expectations stay readable; a separate test checks them.
const plain = (text: string) => text.replaceAll(NBSP, ' ');

describe('formatDateTime', () => {
  it('formats a winter afternoon in English and French', () => {
    const date = new Date('2026-12-04T19:30:00Z');
    expect(plain(formatDateTime(date, 'en', ZONE))).toBe('December 4, 2026, 2:30 p.m. EST');
    expect(plain(formatDateTime(date, 'fr', ZONE))).toBe('4 décembre 2026, 14 h 30 HNE');
  });

  it('uses non-breaking spaces inside French times', () => {
    const text = formatDateTime(new Date('2026-12-04T19:30:00Z'), 'fr', ZONE);
    expect(text).toContain(`14${NBSP}h${NBSP}30${NBSP}HNE`);
  });

  it('switches abbreviation across the spring daylight-saving change', () => {
    // Clocks in Toronto jump from 02:00 EST to 03:00 EDT on 2026-03-08 (07:00 UTC).
    const before = new Date('2026-03-08T06:59:00Z');
    const after = new Date('2026-03-08T07:00:00Z');
    expect(plain(formatDateTime(before, 'en', ZONE))).toBe('March 8, 2026, 1:59 a.m. EST');
    expect(plain(formatDateTime(after, 'en', ZONE))).toBe('March 8, 2026, 3:00 a.m. EDT');
    expect(plain(formatDateTime(before, 'fr', ZONE))).toBe('8 mars 2026, 1 h 59 HNE');
    expect(plain(formatDateTime(after, 'fr', ZONE))).toBe('8 mars 2026, 3 h HAE');
  });

  it('tells apart the repeated hour of the autumn change', () => {
    // 01:30 happens twice in Toronto on 2026-11-01: first EDT (05:30 UTC), then EST (06:30 UTC).
    expect(plain(formatDateTime(new Date('2026-11-01T05:30:00Z'), 'en', ZONE))).toBe('November 1, 2026, 1:30 a.m. EDT');
    expect(plain(formatDateTime(new Date('2026-11-01T06:30:00Z'), 'en', ZONE))).toBe('November 1, 2026, 1:30 a.m. EST');
    expect(plain(formatDateTime(new Date('2026-11-01T06:30:00Z'), 'fr', ZONE))).toBe('1er novembre 2026, 1 h 30 HNE');
  });

  it('drops the minutes on the hour in French', () => {
    const onTheHour = new Date('2026-12-04T20:00:00Z');
    expect(plain(formatDateTime(onTheHour, 'fr', ZONE))).toBe('4 décembre 2026, 15 h HNE');
    expect(plain(formatDateTime(onTheHour, 'en', ZONE))).toBe('December 4, 2026, 3:00 p.m. EST');
  });

  it('formats midnight as 12 a.m. in English and 0 h in French', () => {
    const midnight = new Date('2026-07-01T04:05:00Z');
    expect(plain(formatDateTime(midnight, 'en', ZONE))).toBe('July 1, 2026, 12:05 a.m. EDT');
    expect(plain(formatDateTime(midnight, 'fr', ZONE))).toBe('1er juillet 2026, 0 h 05 HAE');
  });

  it('shows the calendar date of the configured zone, not of UTC', () => {
    const lateEvening = new Date('2026-12-05T03:30:00Z');
    expect(plain(formatDate(lateEvening, 'en', ZONE))).toBe('December 4, 2026');
    expect(formatIsoDate(lateEvening, ZONE)).toBe('2026-12-04');
  });
});

describe('formatDuration', () => {
  it('writes hours and minutes in each language', () => {
    expect(formatDuration((2 * 60 + 15) * 60_000, 'en')).toBe('2 hours, 15 minutes');
    expect(plain(formatDuration((2 * 60 + 15) * 60_000, 'fr'))).toBe('2 heures et 15 minutes');
  });

  it('writes a zero duration', () => {
    expect(formatDuration(0, 'en')).toBe('0 minutes');
    expect(plain(formatDuration(10_000, 'fr'))).toBe('0 minute');
  });

  it('uses the singular for one', () => {
    expect(formatDuration(60_000, 'en')).toBe('1 minute');
    expect(plain(formatDuration(60_000, 'fr'))).toBe('1 minute');
  });

  it('counts days past 24 hours', () => {
    expect(formatDuration((26 * 60 + 1) * 60_000, 'en')).toBe('1 day, 2 hours, 1 minute');
  });
});

describe('parseDateTimeLocal', () => {
  it('reads the wall-clock time in the zone', () => {
    expect(parseDateTimeLocal('2026-12-04T14:30', ZONE)?.toISOString()).toBe('2026-12-04T19:30:00.000Z');
    expect(parseDateTimeLocal('2026-07-04T14:30', ZONE)?.toISOString()).toBe('2026-07-04T18:30:00.000Z');
  });

  it('rejects malformed and impossible dates', () => {
    expect(parseDateTimeLocal('2026-02-30T10:00', ZONE)).toBeUndefined();
    expect(parseDateTimeLocal('yesterday', ZONE)).toBeUndefined();
    expect(parseDateTimeLocal('2026-12-04 14:30', ZONE)).toBeUndefined();
  });

  it('round-trips with toDateTimeLocalValue', () => {
    const date = new Date('2026-03-08T07:15:00Z');
    expect(parseDateTimeLocal(toDateTimeLocalValue(date, ZONE), ZONE)?.toISOString()).toBe(date.toISOString());
  });
});
