import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/db/client.ts';
import { ForbiddenError, ValidationError } from '../../src/lib/errors.ts';
import { maintenanceStatus } from '../../src/lib/maintenance-status.ts';
import { listFeedEntries } from '../../src/lib/public/feed-entries.ts';
import { getMaintenance, listCurrentMaintenances } from '../../src/lib/public/maintenance-read.ts';
import { listServices } from '../../src/lib/public/read-model.ts';
import { editMaintenance, postMaintenanceUpdate, scheduleMaintenance } from '../../src/lib/services/maintenance.ts';
import { createService } from '../../src/lib/services/service-catalogue.ts';
import { toDateTimeLocalValue } from '../../src/lib/time.ts';
import { admin, freshDb, publisher, viewer } from './helpers.ts';

const ZONE = 'America/Toronto';
const HOUR = 3_600_000;
const local = (date: Date) => toDateTimeLocalValue(date, ZONE);

function schedule(db: Db, start: Date, end: Date, overrides: Record<string, unknown> = {}) {
  const serviceId = createService(db, admin, { slug: `svc-${Math.random().toString(36).slice(2, 7)}`, nameEn: 'Forms', nameFr: 'Formulaires', displayOrder: '1' });
  const id = scheduleMaintenance(db, publisher, {
    titleEn: 'Database upgrade',
    titleFr: 'Mise à niveau de la base de données',
    scheduledStart: local(start),
    scheduledEnd: local(end),
    services: { [String(serviceId)]: 'on' },
    bodyEn: 'Forms will be unavailable.',
    bodyFr: 'Les formulaires seront indisponibles.',
    ...overrides,
  });
  return { id, serviceId };
}

describe('maintenanceStatus', () => {
  it('follows the clock', () => {
    const window = { scheduledStart: new Date(10 * HOUR), scheduledEnd: new Date(12 * HOUR) };
    expect(maintenanceStatus(window, new Date(9 * HOUR))).toBe('scheduled');
    expect(maintenanceStatus(window, new Date(10 * HOUR))).toBe('in_progress');
    expect(maintenanceStatus(window, new Date(12 * HOUR))).toBe('completed');
  });
});

describe('scheduled maintenance', () => {
  it('puts its services under maintenance only during the window', () => {
    const db = freshDb();
    const start = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 2 * HOUR);
    const end = new Date(start.getTime() + HOUR);
    const { id, serviceId } = schedule(db, start, end);
    const statusAt = (date: Date) => listServices(db, 'en', date).find((service) => service.id === serviceId)?.status;

    expect(statusAt(new Date(start.getTime() - 1))).toBe('operational');
    expect(statusAt(new Date(start.getTime() + 1))).toBe('under_maintenance');
    expect(statusAt(end)).toBe('operational');
    expect(getMaintenance(db, id, 'fr', new Date(start.getTime() + 1))?.status).toBe('in_progress');
    expect(listCurrentMaintenances(db, 'en', end)).toHaveLength(0);
  });

  it('rejects an end before the start, no service and a viewer', () => {
    const db = freshDb();
    const start = new Date(Date.now() + 2 * HOUR);
    expect(() => schedule(db, start, new Date(start.getTime() - HOUR))).toThrow(ValidationError);
    expect(() => schedule(db, start, new Date(start.getTime() + HOUR), { services: {} })).toThrow(ValidationError);
    expect(() => schedule(db, start, new Date(start.getTime() + HOUR), { bodyFr: '' })).toThrow(ValidationError);
    const serviceId = createService(db, admin, { slug: 'x', nameEn: 'X', nameFr: 'X', displayOrder: '1' });
    expect(() =>
      scheduleMaintenance(db, viewer, { titleEn: 'a', titleFr: 'b', scheduledStart: local(start), scheduledEnd: local(new Date(start.getTime() + HOUR)), services: { [String(serviceId)]: 'on' }, bodyEn: 'a', bodyFr: 'b' }),
    ).toThrow(ForbiddenError);
  });

  it('can be extended and updated', () => {
    const db = freshDb();
    const start = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + HOUR);
    const { id, serviceId } = schedule(db, start, new Date(start.getTime() + HOUR));
    editMaintenance(db, publisher, id, { titleEn: 'Database upgrade', titleFr: 'Mise à niveau', scheduledStart: local(start), scheduledEnd: local(new Date(start.getTime() + 3 * HOUR)), services: { [String(serviceId)]: 'on' } });
    postMaintenanceUpdate(db, publisher, id, { bodyEn: 'Extended by two hours.', bodyFr: 'Prolongée de deux heures.' });
    const window = getMaintenance(db, id, 'fr', new Date());
    expect(window?.scheduledEnd.getTime()).toBe(start.getTime() + 3 * HOUR);
    expect(window?.updates.map((update) => update.body)).toEqual(['Prolongée de deux heures.', 'Les formulaires seront indisponibles.']);
  });
});

describe('maintenance in feeds', () => {
  it('appears when scheduled, when it starts and when it ends', () => {
    const db = freshDb();
    const start = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + HOUR);
    const end = new Date(start.getTime() + HOUR);
    const { id, serviceId } = schedule(db, start, end);
    const paths = (now: Date, service?: number) => listFeedEntries(db, 'fr', now, service).map((entry) => entry.path);

    expect(paths(new Date())).toEqual([expect.stringMatching(new RegExp(`^/fr/maintenance/${id}#update-\\d+$`))]);
    expect(paths(new Date(start.getTime() + 1))[0]).toBe(`/fr/maintenance/${id}#start`);
    expect(paths(new Date(end.getTime() + 1)).slice(0, 2)).toEqual([`/fr/maintenance/${id}#end`, `/fr/maintenance/${id}#start`]);
    expect(paths(new Date(end.getTime() + 1), serviceId)).toHaveLength(3);
    expect(paths(new Date(end.getTime() + 1), serviceId + 1000)).toHaveLength(0);
    const entry = listFeedEntries(db, 'fr', new Date(end.getTime() + 1))[0];
    expect(entry?.title).toBe('Mise à niveau de la base de données – Terminée');
    expect(entry?.categories).toEqual(['Terminée', 'Formulaires']);
  });
});
