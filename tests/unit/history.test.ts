import { describe, expect, it } from 'vitest';
import { addMonths, formatMonth } from '../../src/lib/calendar.ts';
import { getHistoryPage, pageKeyFor, type HistoryPage } from '../../src/lib/public/history.ts';
import { openIncident, resolveIncident } from '../../src/lib/services/incidents.ts';
import { createService } from '../../src/lib/services/service-catalogue.ts';
import { admin, freshDb } from './helpers.ts';
import type { Db } from '../../src/lib/db/client.ts';

const ZONE = 'America/Toronto';
const now = new Date('2026-12-04T17:00:00Z');

function addIncident(db: Db, serviceId: number, title: string, start: string, end: string): number {
  const id = openIncident(
    db,
    admin,
    {
      titleEn: title,
      titleFr: `${title} (fr)`,
      severity: '3',
      status: 'investigating',
      startedAt: start,
      detectedAt: start,
      impacts: { [String(serviceId)]: 'degraded_performance' },
      summaryEn: 'Slow.',
      summaryFr: 'Lent.',
      usersAffectedKind: 'unknown',
      causeKnown: 'no',
      restorationKnown: 'no',
      nextUpdateAt: '2026-12-31T00:00',
    },
    new Date(`${start}:00-05:00`),
  );
  resolveIncident(db, admin, id, { endedAt: end, noticeEn: 'Done.', noticeFr: 'Terminé.' });
  return id;
}

const page = (result: ReturnType<typeof getHistoryPage>) => result as HistoryPage;
const titles = (result: HistoryPage, month: string) => result.months.find((entry) => entry.key === month)?.incidents.map((incident) => incident.title) ?? [];

describe('calendar months', () => {
  it('adds months across years', () => {
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', -3)).toBe('2025-10');
  });

  it('names months in each language', () => {
    expect(formatMonth('2026-12', 'en')).toBe('December 2026');
    expect(formatMonth('2026-12', 'fr')).toBe('décembre 2026');
  });

  it('names a page by its month', () => {
    expect(pageKeyFor('2026-10')).toBe('2026-10');
    expect(pageKeyFor('2026-12')).toBe('2026-12');
  });
});

describe('getHistoryPage', () => {
  it('lists an incident in every month it touched', () => {
    const db = freshDb();
    const serviceId = createService(db, admin, { slug: 'api', nameEn: 'API', nameFr: 'API', displayOrder: '1' });
    addIncident(db, serviceId, 'Across months', '2026-10-31T23:00', '2026-11-01T01:00');
    const month = (key?: string) => page(getHistoryPage(db, 'en', key, now, ZONE));
    expect(month().months.map((entry) => entry.key)).toEqual(['2026-12']);
    expect(titles(month('2026-10'), '2026-10')).toEqual(['Across months']);
    expect(titles(month('2026-11'), '2026-11')).toEqual(['Across months']);
    expect(titles(month(), '2026-12')).toEqual([]);
  });

  it('pages older and newer without skipping or repeating', () => {
    const db = freshDb();
    const serviceId = createService(db, admin, { slug: 'api', nameEn: 'API', nameFr: 'API', displayOrder: '1' });
    const months = ['2026-01', '2026-02', '2026-04', '2026-07', '2026-09', '2026-11'];
    for (const month of months) addIncident(db, serviceId, `In ${month}`, `${month}-10T10:00`, `${month}-10T11:00`);

    const seen: string[] = [];
    let current = page(getHistoryPage(db, 'en', undefined, now, ZONE));
    expect(current.newer).toBeUndefined();
    for (;;) {
      seen.push(...current.months.map((month) => month.key));
      if (!current.older) break;
      const older = page(getHistoryPage(db, 'en', current.older, now, ZONE));
      expect(older.newer).toBe(current.key);
      current = older;
    }
    expect(seen).toEqual(['2026-12', '2026-11', '2026-10', '2026-09', '2026-08', '2026-07', '2026-06', '2026-05', '2026-04', '2026-03', '2026-02', '2026-01']);
    expect(current.older).toBeUndefined();
  });

  it('rejects a malformed month', () => {
    const db = freshDb();
    expect(getHistoryPage(db, 'en', '2026-13', now, ZONE)).toBeUndefined();
    expect(getHistoryPage(db, 'en', 'latest', now, ZONE)).toBeUndefined();
  });
});
