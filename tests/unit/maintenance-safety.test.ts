import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/db/client.ts';
import { maintenances, maintenanceUpdates } from '../../src/lib/db/schema.ts';
import { ValidationError } from '../../src/lib/errors.ts';
import { VERSION_MISSING_MESSAGE } from '../../src/lib/services/incidents.ts';
import { editMaintenance, MAINTENANCE_CONFLICT_MESSAGE, maintenanceVersion, postMaintenanceUpdate, scheduleMaintenance } from '../../src/lib/services/maintenance.ts';
import { createService } from '../../src/lib/services/service-catalogue.ts';
import { toDateTimeLocalValue } from '../../src/lib/time.ts';
import { admin, freshDb, publisher } from './helpers.ts';

const ZONE = 'America/Toronto';
const HOUR = 3_600_000;
const START = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 24 * HOUR);

function schedule(db: Db): { id: number; serviceId: number } {
  const serviceId = createService(db, admin, { slug: 'forms', nameEn: 'Forms', nameFr: 'Formulaires', displayOrder: '1' });
  const id = scheduleMaintenance(db, publisher, {
    titleEn: 'Database upgrade',
    titleFr: 'Mise à niveau de la base de données',
    scheduledStart: toDateTimeLocalValue(START, ZONE),
    scheduledEnd: toDateTimeLocalValue(new Date(START.getTime() + HOUR), ZONE),
    services: { [String(serviceId)]: 'on' },
    bodyEn: 'Forms will be unavailable.',
    bodyFr: 'Les formulaires seront indisponibles.',
  });
  return { id, serviceId };
}

function windowInput(serviceId: number, titleEn: string, hours: number, version?: number | string) {
  return {
    titleEn,
    titleFr: 'Mise à niveau',
    scheduledStart: toDateTimeLocalValue(START, ZONE),
    scheduledEnd: toDateTimeLocalValue(new Date(START.getTime() + hours * HOUR), ZONE),
    services: { [String(serviceId)]: 'on' },
    ...(version === undefined ? {} : { version: String(version) }),
  };
}

const versionOf = (db: Db, id: number) => maintenanceVersion(db.select().from(maintenances).where(eq(maintenances.id, id)).get()!);

function rejected(write: () => unknown): Record<string, string> {
  try {
    write();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).fieldErrors;
  }
  throw new Error('expected a ValidationError');
}

describe('maintenance edit version', () => {
  it('rejects an edit based on an older version', () => {
    const db = freshDb();
    const { id, serviceId } = schedule(db);
    const loaded = versionOf(db, id);
    editMaintenance(db, publisher, id, windowInput(serviceId, 'Upgrade, extended', 3, loaded));

    expect(rejected(() => editMaintenance(db, publisher, id, windowInput(serviceId, 'Upgrade, moved', 1, loaded))).form).toBe(MAINTENANCE_CONFLICT_MESSAGE);
    expect(db.select().from(maintenances).where(eq(maintenances.id, id)).get()?.titleEn).toBe('Upgrade, extended');
  });

  it('moves the version forward even within one millisecond', () => {
    const db = freshDb();
    const { id, serviceId } = schedule(db);
    const loaded = versionOf(db, id);
    const sameInstant = new Date(loaded);
    editMaintenance(db, publisher, id, windowInput(serviceId, 'First', 2, loaded), sameInstant);
    expect(versionOf(db, id)).toBeGreaterThan(loaded);
    expect(rejected(() => editMaintenance(db, publisher, id, windowInput(serviceId, 'Second', 2, loaded), sameInstant)).form).toBe(MAINTENANCE_CONFLICT_MESSAGE);
  });

  it('counts a posted notice as a change', () => {
    const db = freshDb();
    const { id, serviceId } = schedule(db);
    const loaded = versionOf(db, id);
    postMaintenanceUpdate(db, publisher, id, { bodyEn: 'Starting soon.', bodyFr: 'Début sous peu.' });
    expect(rejected(() => editMaintenance(db, publisher, id, windowInput(serviceId, 'Moved', 2, loaded))).form).toBe(MAINTENANCE_CONFLICT_MESSAGE);
  });

  it('accepts the current version and an input without one', () => {
    const db = freshDb();
    const { id, serviceId } = schedule(db);
    editMaintenance(db, publisher, id, windowInput(serviceId, 'With version', 2, versionOf(db, id)));
    editMaintenance(db, publisher, id, windowInput(serviceId, 'Without version', 2));
    expect(db.select().from(maintenances).where(eq(maintenances.id, id)).get()?.titleEn).toBe('Without version');
  });

  it('rejects a malformed version', () => {
    const db = freshDb();
    const { id, serviceId } = schedule(db);
    expect(rejected(() => editMaintenance(db, publisher, id, windowInput(serviceId, 'Moved', 2, 'soon'))).form).toBe(VERSION_MISSING_MESSAGE);
  });
});

describe('maintenance text checks', () => {
  it('rejects control characters in a notice', () => {
    const db = freshDb();
    const { id } = schedule(db);
    expect(rejected(() => postMaintenanceUpdate(db, publisher, id, { bodyEn: 'Starting\u0000', bodyFr: 'Début' })).bodyEn).toBe('safety.controlCharacters');
    expect(db.select().from(maintenanceUpdates).where(eq(maintenanceUpdates.maintenanceId, id)).all()).toHaveLength(1);
  });

  it('treats a zero-width title as missing', () => {
    const db = freshDb();
    const { id, serviceId } = schedule(db);
    expect(rejected(() => editMaintenance(db, publisher, id, windowInput(serviceId, '\u200b', 2))).titleEn).toBe('errors.required');
  });
});
