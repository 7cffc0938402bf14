import { describe, expect, it } from 'vitest';
import { dailyUptime, periodUptime } from '../../src/lib/uptime.ts';

const ZONE = 'America/Toronto';
const now = new Date('2026-12-04T17:00:00Z'); // noon in Toronto
const longAgo = new Date('2026-01-01T00:00:00Z');
const at = (iso: string) => new Date(iso);

describe('dailyUptime', () => {
  it('returns 90 calendar days ending today', () => {
    const days = dailyUptime([], now, ZONE, longAgo);
    expect(days).toHaveLength(90);
    expect(days[0]?.date).toBe('2026-09-06');
    expect(days.at(-1)?.date).toBe('2026-12-04');
    expect(days.every((day) => day.uptime === 100)).toBe(true);
  });

  it('counts a major outage fully and a partial outage by half', () => {
    // 2026-12-01 is a 24-hour day in Toronto, starting at 05:00 UTC.
    const major = dailyUptime([{ start: at('2026-12-01T05:00:00Z'), end: at('2026-12-01T11:00:00Z'), impact: 'major_outage' }], now, ZONE, longAgo);
    const partial = dailyUptime([{ start: at('2026-12-01T05:00:00Z'), end: at('2026-12-01T11:00:00Z'), impact: 'partial_outage' }], now, ZONE, longAgo);
    const day = (list: typeof major) => list.find((entry) => entry.date === '2026-12-01');
    expect(day(major)?.uptime).toBe(75);
    expect(day(major)?.worst).toBe('major_outage');
    expect(day(major)?.worstDuration).toBe(6 * 3_600_000);
    expect(day(partial)?.uptime).toBe(87.5);
  });

  it('counts degraded performance as uptime but names it', () => {
    const days = dailyUptime([{ start: at('2026-12-01T05:00:00Z'), end: at('2026-12-01T06:00:00Z'), impact: 'degraded_performance' }], now, ZONE, longAgo);
    const day = days.find((entry) => entry.date === '2026-12-01');
    expect(day?.uptime).toBe(100);
    expect(day?.worst).toBe('degraded_performance');
  });

  it('splits an incident across midnight in the zone', () => {
    const days = dailyUptime([{ start: at('2026-12-02T04:00:00Z'), end: at('2026-12-02T06:00:00Z'), impact: 'major_outage' }], now, ZONE, longAgo);
    expect(days.find((entry) => entry.date === '2026-12-01')?.worstDuration).toBe(3_600_000);
    expect(days.find((entry) => entry.date === '2026-12-02')?.worstDuration).toBe(3_600_000);
  });

  it('counts overlapping incidents once, at the worst impact', () => {
    const windows = [
      { start: at('2026-12-01T05:00:00Z'), end: at('2026-12-01T17:00:00Z'), impact: 'partial_outage' as const },
      { start: at('2026-12-01T11:00:00Z'), end: at('2026-12-01T17:00:00Z'), impact: 'major_outage' as const },
    ];
    // 6 hours partial (3 down) and 6 hours major (6 down) out of 24.
    expect(dailyUptime(windows, now, ZONE, longAgo).find((entry) => entry.date === '2026-12-01')?.uptime).toBe(62.5);
  });

  it('uses the 25-hour day when clocks go back', () => {
    const days = dailyUptime([{ start: at('2026-11-01T04:00:00Z'), end: at('2026-11-01T09:00:00Z'), impact: 'major_outage' }], now, ZONE, longAgo);
    expect(days.find((entry) => entry.date === '2026-11-01')?.uptime).toBe(80);
  });

  it('counts an open incident until now and marks days before the service existed', () => {
    const days = dailyUptime([{ start: at('2026-12-04T11:00:00Z'), end: null, impact: 'major_outage' }], now, ZONE, at('2026-12-03T05:00:00Z'));
    expect(days.find((entry) => entry.date === '2026-12-02')?.uptime).toBeNull();
    expect(days.find((entry) => entry.date === '2026-12-03')?.uptime).toBe(100);
    // Today so far: 12 hours since midnight, the last 6 of them down.
    expect(days.at(-1)?.uptime).toBe(50);
  });
});

describe('periodUptime', () => {
  it('weights the whole period by time', () => {
    const from = at('2026-12-02T05:00:00Z');
    const figure = periodUptime([{ start: at('2026-12-03T05:00:00Z'), end: at('2026-12-03T11:00:00Z'), impact: 'major_outage' }], now, longAgo, from);
    // 6 hours down out of 60.
    expect(figure).toBeCloseTo(90, 10);
  });

  it('is null before the service existed', () => {
    expect(periodUptime([], now, at('2026-12-05T00:00:00Z'), longAgo)).toBeNull();
  });
});
