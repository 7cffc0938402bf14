import { describe, expect, it } from 'vitest';
import { readPeriod } from '../../src/lib/admin/period.ts';
import { percentile, summarizeByGroup, timeToDetect, timeToRecover } from '../../src/lib/metrics.ts';

const MINUTE = 60_000;
const incident = (startMinute: number, detectMinute: number, endMinute: number | null, services: string[]) => ({
  startedAt: new Date(startMinute * MINUTE),
  detectedAt: new Date(detectMinute * MINUTE),
  endedAt: endMinute === null ? null : new Date(endMinute * MINUTE),
  services,
});

describe('percentile', () => {
  it('interpolates between ranks', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 90)).toBe(91);
    expect(percentile([5], 90)).toBe(5);
  });

  it('is undefined without values', () => {
    expect(percentile([], 50)).toBeUndefined();
  });
});

describe('time to detect and recover', () => {
  it('measures from the start of impact', () => {
    const example = incident(0, 7, 95, []);
    expect(timeToDetect(example)).toBe(7 * MINUTE);
    expect(timeToRecover(example)).toBe(95 * MINUTE);
    expect(timeToRecover(incident(0, 7, null, []))).toBeNull();
  });

  it('summarizes per group, counting open incidents for detection only', () => {
    const incidents = [incident(0, 10, 60, ['api', 'email']), incident(0, 20, 120, ['api']), incident(0, 30, null, ['api'])];
    const [api, email] = summarizeByGroup(incidents, (entry) => entry.services);
    expect(api).toEqual({ key: 'api', incidents: 3, ttdMedian: 20 * MINUTE, ttdP90: 28 * MINUTE, ttrMedian: 90 * MINUTE, ttrP90: 114 * MINUTE });
    expect(email?.incidents).toBe(1);
    expect(email?.ttrMedian).toBe(60 * MINUTE);
  });
});

describe('readPeriod', () => {
  const zone = 'America/Toronto';

  it('covers whole days in the zone, including a 25-hour day', () => {
    const period = readPeriod(new URLSearchParams({ from: '2026-11-01', to: '2026-11-01' }), zone);
    expect(period.from?.toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(period.to?.toISOString()).toBe('2026-11-02T05:00:00.000Z');
  });

  it('defaults to the last 90 days', () => {
    const period = readPeriod(new URLSearchParams(), zone, new Date('2026-12-04T19:00:00Z'));
    expect(period.fromText).toBe('2026-09-05');
    expect(period.toText).toBe('2026-12-04');
  });

  it('rejects bad dates and a reversed period', () => {
    expect(readPeriod(new URLSearchParams({ from: '2026-02-30', to: '2026-03-01' }), zone).errors.from).toBe('errors.date');
    expect(readPeriod(new URLSearchParams({ from: '2026-03-02', to: '2026-03-01' }), zone).errors.to).toBe('errors.periodOrder');
  });
});
