import { describe, expect, it } from 'vitest';
import { seedHistory } from '../../scripts/bench/seed.ts';
import { listFeedEntries } from '../../src/lib/public/feed-entries.ts';
import { getHistoryPage } from '../../src/lib/public/history.ts';
import { getMaintenance, listCurrentMaintenances } from '../../src/lib/public/maintenance-read.ts';
import { getHomeView, getIncident } from '../../src/lib/public/read-model.ts';
import { getServicePage } from '../../src/lib/public/service-page.ts';
import { statuspageResponse, STATUSPAGE_ENDPOINTS } from '../../src/lib/public/statuspage-api.ts';
import { freshDb } from './helpers.ts';

// Tables whose size grows with the history. Small lookup tables (services, templates) may be scanned.
const GROWING = ['incidents', 'incident_updates', 'incident_services', 'maintenances', 'maintenance_updates', 'maintenance_services', 'audit_log'];

describe('public queries', () => {
  it('use an index on every table that grows with the history', () => {
    const db = freshDb();
    seedHistory(db, { services: 5, incidents: 50, updatesPerIncident: 3 });
    const statements = new Set<string>();
    const prepare = db.$client.prepare.bind(db.$client);
    db.$client.prepare = ((source: string) => {
      if (/^\s*select/i.test(source)) statements.add(source);
      return prepare(source);
    }) as typeof db.$client.prepare;

    const now = new Date();
    for (const lang of ['en', 'fr'] as const) {
      getHomeView(db, lang, now);
      getIncident(db, 2, lang);
      listFeedEntries(db, lang, now);
      listFeedEntries(db, lang, now, 1);
      getHistoryPage(db, lang, undefined, now, 'America/Toronto');
      getServicePage(db, 'service-1', lang, now, 'America/Toronto');
      listCurrentMaintenances(db, lang, now);
      getMaintenance(db, 1, lang, now);
      for (const endpoint of STATUSPAGE_ENDPOINTS) statuspageResponse(db, lang, endpoint, now);
    }
    db.$client.prepare = prepare;

    const scans: string[] = [];
    for (const source of statements) {
      const plan = db.$client.prepare(`EXPLAIN QUERY PLAN ${source}`).all(...Array(countParameters(source)).fill(0)) as { detail: string }[];
      for (const { detail } of plan) {
        const table = detail.match(/^SCAN (\w+)(?!.*USING (COVERING )?INDEX)/)?.[1];
        if (table && GROWING.includes(table)) scans.push(`${detail} ← ${source}`);
      }
    }
    expect(statements.size).toBeGreaterThan(10);
    expect(scans).toEqual([]);
  });
});

function countParameters(source: string): number {
  return (source.match(/\?/g) ?? []).length;
}
