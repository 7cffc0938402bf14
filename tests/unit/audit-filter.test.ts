import { describe, expect, it } from 'vitest';
import { auditPageHref, readAuditFilter, startOfDay } from '../../src/lib/security/audit-filter.ts';

const ZONE = 'America/Toronto';
const read = (query: string) => readAuditFilter(new URLSearchParams(query), ZONE);

describe('readAuditFilter', () => {
  it('matches everything without filters', () => {
    const form = read('');
    expect(form.criteria).toEqual({});
    expect(form.errors).toEqual({});
    expect(form.page).toBe(1);
    expect(form.values).toEqual({ user: '', action: '', from: '', to: '' });
  });

  it('reads user and action as typed, trimmed', () => {
    const form = read('user=%20admin%40example.gc.ca%20&action=service.create');
    expect(form.criteria).toEqual({ actor: 'admin@example.gc.ca', action: 'service.create' });
  });

  it('includes both days of the range in the zone', () => {
    const form = read('from=2026-03-01&to=2026-03-31');
    expect(form.errors).toEqual({});
    expect(form.criteria.from?.toISOString()).toBe('2026-03-01T05:00:00.000Z');
    // Daylight saving time starts on 8 March, so April 1 begins at 04:00 UTC.
    expect(form.criteria.to?.toISOString()).toBe('2026-04-01T04:00:00.000Z');
  });

  it('accepts a range of one day', () => {
    const form = read('from=2026-11-01&to=2026-11-01');
    expect(form.errors).toEqual({});
    // 1 November 2026 has 25 hours in Toronto.
    expect(form.criteria.to!.getTime() - form.criteria.from!.getTime()).toBe(25 * 3_600_000);
  });

  it('accepts an open range', () => {
    expect(read('from=2026-03-01').criteria).toEqual({ from: new Date('2026-03-01T05:00:00.000Z') });
    expect(read('to=2026-03-01').criteria).toEqual({ to: new Date('2026-03-02T05:00:00.000Z') });
  });

  it.each(['2026-02-30', '2026-13-01', '01/03/2026', 'yesterday', '2026-3-1'])('reports the start date %s as invalid', (value) => {
    const form = read(`from=${encodeURIComponent(value)}&to=2026-03-31`);
    expect(form.errors).toEqual({ from: 'errors.date' });
    expect(form.criteria.from).toBeUndefined();
    expect(form.criteria.to).toBeUndefined();
  });

  it('reports an invalid end date', () => {
    expect(read('to=2026-04-31').errors).toEqual({ to: 'errors.date' });
  });

  it('reports an end before the start', () => {
    const form = read('from=2026-05-02&to=2026-05-01');
    expect(form.errors).toEqual({ to: 'errors.periodOrder' });
    expect(form.criteria).toEqual({});
  });

  it('keeps the typed values for the form', () => {
    expect(read('from=2026-02-30&to=x').values).toMatchObject({ from: '2026-02-30', to: 'x' });
  });

  it.each([
    ['3', 3],
    ['0', 1],
    ['-2', 1],
    ['1.5', 1],
    ['abc', 1],
    ['', 1],
  ])('reads page %s as %i', (value, expected) => {
    expect(read(`page=${value}`).page).toBe(expected);
  });

  it('cuts very long values', () => {
    expect(read(`user=${'a'.repeat(1000)}`).values.user).toHaveLength(254);
  });
});

describe('startOfDay', () => {
  it('returns midnight in the zone', () => {
    expect(startOfDay('2026-07-01', ZONE)?.toISOString()).toBe('2026-07-01T04:00:00.000Z');
  });

  it('rejects a day that does not exist', () => {
    expect(startOfDay('2025-02-29', ZONE)).toBeUndefined();
  });
});

describe('auditPageHref', () => {
  it('keeps the filters and sets the page', () => {
    const href = auditPageHref({ user: 'admin@example.gc.ca', action: '', from: '2026-03-01', to: '' }, 2);
    expect(href).toBe('/admin/audit?user=admin%40example.gc.ca&from=2026-03-01&page=2');
  });

  it('leaves out page 1 and empty filters', () => {
    expect(auditPageHref({ user: '', action: '', from: '', to: '' }, 1)).toBe('/admin/audit');
  });
});
