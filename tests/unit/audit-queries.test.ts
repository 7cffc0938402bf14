import { describe, expect, it } from 'vitest';
import { listAuditEntries, listAuditFilterChoices } from '../../src/lib/admin/queries.ts';
import type { Db } from '../../src/lib/db/client.ts';
import { auditLog } from '../../src/lib/db/schema.ts';
import { createService } from '../../src/lib/services/service-catalogue.ts';
import { admin, freshDb, publisher } from './helpers.ts';

const HOUR = 3_600_000;
const START = new Date('2026-03-01T12:00:00.000Z');

/** Inserts `count` entries one hour apart from START, alternating actors and actions. */
function seed(db: Db, count: number): void {
  for (let index = 0; index < count; index += 1) {
    db.insert(auditLog)
      .values({
        at: new Date(START.getTime() + index * HOUR),
        actor: index % 2 === 0 ? admin.email : publisher.email,
        action: index % 3 === 0 ? 'service.create' : 'incident.update',
        entityType: 'service',
        entityId: String(index),
      })
      .run();
  }
}

describe('listAuditEntries', () => {
  it('returns the newest entries first, a page at a time', () => {
    const db = freshDb();
    seed(db, 12);
    const first = listAuditEntries(db, {}, 1, 5);
    expect(first.total).toBe(12);
    expect(first.pageCount).toBe(3);
    expect(first.entries.map((entry) => entry.entityId)).toEqual(['11', '10', '9', '8', '7']);
    const last = listAuditEntries(db, {}, 3, 5);
    expect(last.entries.map((entry) => entry.entityId)).toEqual(['1', '0']);
  });

  it('returns the last page for a page past it', () => {
    const db = freshDb();
    seed(db, 12);
    const result = listAuditEntries(db, {}, 99, 5);
    expect(result.page).toBe(3);
    expect(result.entries).toHaveLength(2);
  });

  it('returns page 1 of 1 for an empty log', () => {
    const result = listAuditEntries(freshDb(), {}, 4);
    expect(result).toMatchObject({ entries: [], total: 0, page: 1, pageCount: 1 });
  });

  it('filters by actor', () => {
    const db = freshDb();
    seed(db, 12);
    const result = listAuditEntries(db, { actor: publisher.email });
    expect(result.total).toBe(6);
    expect(new Set(result.entries.map((entry) => entry.actor))).toEqual(new Set([publisher.email]));
  });

  it('filters by action', () => {
    const db = freshDb();
    seed(db, 12);
    const result = listAuditEntries(db, { action: 'service.create' });
    expect(result.entries.map((entry) => entry.entityId)).toEqual(['9', '6', '3', '0']);
  });

  it('filters by time, including the start and excluding the end', () => {
    const db = freshDb();
    seed(db, 12);
    const result = listAuditEntries(db, { from: new Date(START.getTime() + 2 * HOUR), to: new Date(START.getTime() + 5 * HOUR) });
    expect(result.entries.map((entry) => entry.entityId)).toEqual(['4', '3', '2']);
  });

  it('combines filters', () => {
    const db = freshDb();
    seed(db, 12);
    const result = listAuditEntries(db, { actor: admin.email, action: 'service.create', from: new Date(START.getTime() + HOUR) });
    expect(result.entries.map((entry) => entry.entityId)).toEqual(['6']);
  });

  it('lists entries written by the services', () => {
    const db = freshDb();
    createService(db, admin, { slug: 'notify', nameEn: 'Notify', nameFr: 'Notification', displayOrder: '0' });
    const [entry] = listAuditEntries(db, { action: 'service.create' }).entries;
    expect(entry).toMatchObject({ actor: admin.email, action: 'service.create', entityType: 'service' });
  });
});

describe('listAuditFilterChoices', () => {
  it('lists each actor and action once, sorted', () => {
    const db = freshDb();
    seed(db, 6);
    expect(listAuditFilterChoices(db)).toEqual({ actors: [admin.email, publisher.email], actions: ['incident.update', 'service.create'] });
  });
});
