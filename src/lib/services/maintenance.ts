// Writes to scheduled maintenance: schedule a window, change it, post an update on it.
//
// The edit form carries the window's last change time (`updatedAt` in milliseconds) in its
// `version` field. Every write moves that time forward by at least one millisecond, so an
// edit based on an older load is rejected with MAINTENANCE_CONFLICT_MESSAGE on `form`.
import { eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { currentTime } from '../clock.ts';
import type { Db } from '../db/client.ts';
import { maintenances, maintenanceServices, maintenanceUpdates, services } from '../db/schema.ts';
import { NotFoundError, ValidationError, type FieldErrors } from '../errors.ts';
import { recordAudit, type Transaction } from './audit.ts';
import { checkPublicText, parseVersion, VERSION_MISSING_MESSAGE } from './incidents.ts';
import { requirePermission, type Actor } from './permissions.ts';
import { BUDGETS } from './update-content.ts';
import { anyDateTime, collectFields, requiredText } from './validation.ts';

export const MAINTENANCE_TITLE_MAX = 200;

/** Message key of an edit rejected because the window changed after the form was loaded. */
export const MAINTENANCE_CONFLICT_MESSAGE = 'safety.maintenanceConflict';

const WINDOW_TEXT = { required: ['titleEn', 'titleFr'], optional: [] } as const;
const NOTICE_TEXT = { required: ['bodyEn', 'bodyFr'], optional: [] } as const;

// Writes read the window and then change it; see WRITE in incidents.ts.
const WRITE = { behavior: 'immediate' } as const;

/** Returns the value of the edit form's `version` field for a window: its last change time in milliseconds. */
export function maintenanceVersion(maintenance: { updatedAt: Date }): number {
  return maintenance.updatedAt.getTime();
}

/** The `updatedAt` of a write: now, but always after the previous change, so the version always moves. */
function nextChangeTime(previous: Date, now: Date): Date {
  return new Date(Math.max(now.getTime(), previous.getTime() + 1));
}

/** Form values "services.<serviceId>" = "on" for each service the window affects. */
const serviceIdsInput = z
  .record(z.string(), z.string())
  .default({})
  .transform((record) => Object.keys(record).map(Number));

const windowShape = {
  titleEn: requiredText(MAINTENANCE_TITLE_MAX),
  titleFr: requiredText(MAINTENANCE_TITLE_MAX),
  scheduledStart: anyDateTime,
  scheduledEnd: anyDateTime,
  services: serviceIdsInput,
};

const noticeShape = {
  bodyEn: requiredText(BUDGETS.notice),
  bodyFr: requiredText(BUDGETS.notice),
};

type WindowValues = { titleEn: string; titleFr: string; scheduledStart: Date; scheduledEnd: Date; services: number[] };

/** Parses a window form. Returns the values and every field's problem; the caller raises. */
function parseWindow(input: unknown, withNotice: boolean) {
  const { data, errors } = collectFields(withNotice ? { ...windowShape, ...noticeShape } : windowShape, input);
  checkPublicText(input, WINDOW_TEXT, errors);
  if (withNotice) checkPublicText(input, NOTICE_TEXT, errors);
  if (data.scheduledStart && data.scheduledEnd && data.scheduledEnd <= data.scheduledStart) errors.scheduledEnd ??= 'errors.windowOrder';
  if (data.services?.length === 0) errors.services ??= 'errors.serviceRequired';
  return { values: data as WindowValues & { bodyEn: string; bodyFr: string }, errors };
}

function throwIfInvalid(errors: FieldErrors): void {
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}

function replaceServices(tx: Transaction, maintenanceId: number, serviceIds: number[]): void {
  if (serviceIds.some((id) => !Number.isSafeInteger(id))) throw new ValidationError({ services: 'errors.unknownService' });
  const found = tx.select({ id: services.id }).from(services).where(inArray(services.id, serviceIds)).all();
  if (found.length !== new Set(serviceIds).size) throw new ValidationError({ services: 'errors.unknownService' });
  tx.delete(maintenanceServices).where(eq(maintenanceServices.maintenanceId, maintenanceId)).run();
  tx.insert(maintenanceServices)
    .values(serviceIds.map((serviceId) => ({ maintenanceId, serviceId })))
    .run();
}

function getMaintenanceForWrite(tx: Transaction, id: number) {
  const maintenance = tx.select().from(maintenances).where(eq(maintenances.id, id)).get();
  if (!maintenance) throw new NotFoundError('maintenance', id);
  return maintenance;
}

/** Schedules a maintenance window with its first public notice. Returns its id. */
export function scheduleMaintenance(db: Db, actor: Actor, input: unknown, now = currentTime()): number {
  requirePermission(actor, 'incidents.write');
  const { values, errors } = parseWindow(input, true);
  throwIfInvalid(errors);
  return db.transaction((tx) => {
    const { id } = tx
      .insert(maintenances)
      .values({ titleEn: values.titleEn, titleFr: values.titleFr, scheduledStart: values.scheduledStart, scheduledEnd: values.scheduledEnd, updatedAt: now })
      .returning({ id: maintenances.id })
      .get();
    replaceServices(tx, id, values.services);
    tx.insert(maintenanceUpdates).values({ maintenanceId: id, bodyEn: values.bodyEn, bodyFr: values.bodyFr, postedAt: now, authorId: actor.id }).run();
    recordAudit(tx, actor, { action: 'maintenance.schedule', entityType: 'maintenance', entityId: id, detail: values }, now);
    return id;
  });
}

/**
 * Changes a window's titles, times or services, for example to extend it. An input without a
 * `version` key writes over the latest state; the admin page always passes one.
 */
export function editMaintenance(db: Db, actor: Actor, id: number, input: unknown, now = currentTime()): void {
  requirePermission(actor, 'incidents.write');
  const { values, errors } = parseWindow(input, false);
  const rawVersion = typeof input === 'object' && input !== null ? (input as Record<string, unknown>).version : undefined;
  const expected = rawVersion === undefined ? undefined : parseVersion(rawVersion);
  if (rawVersion !== undefined && expected === undefined) errors.form ??= VERSION_MISSING_MESSAGE;

  db.transaction((tx) => {
    const maintenance = getMaintenanceForWrite(tx, id);
    if (expected !== undefined && expected !== maintenanceVersion(maintenance)) errors.form = MAINTENANCE_CONFLICT_MESSAGE;
    throwIfInvalid(errors);
    const updatedAt = nextChangeTime(maintenance.updatedAt, now);
    tx.update(maintenances)
      .set({ titleEn: values.titleEn, titleFr: values.titleFr, scheduledStart: values.scheduledStart, scheduledEnd: values.scheduledEnd, updatedAt })
      .where(eq(maintenances.id, id))
      .run();
    replaceServices(tx, id, values.services);
    recordAudit(tx, actor, { action: 'maintenance.edit', entityType: 'maintenance', entityId: id, detail: { ...values, version: updatedAt.getTime() } }, now);
  }, WRITE);
}

export function postMaintenanceUpdate(db: Db, actor: Actor, id: number, input: unknown, now = currentTime()): number {
  requirePermission(actor, 'incidents.write');
  const { data, errors } = collectFields(noticeShape, input);
  checkPublicText(input, NOTICE_TEXT, errors);
  throwIfInvalid(errors);
  return db.transaction((tx) => {
    const maintenance = getMaintenanceForWrite(tx, id);
    const { id: updateId } = tx
      .insert(maintenanceUpdates)
      .values({ maintenanceId: id, bodyEn: data.bodyEn!, bodyFr: data.bodyFr!, postedAt: now, authorId: actor.id })
      .returning({ id: maintenanceUpdates.id })
      .get();
    tx.update(maintenances).set({ updatedAt: nextChangeTime(maintenance.updatedAt, now) }).where(eq(maintenances.id, id)).run();
    recordAudit(tx, actor, { action: 'maintenance.update', entityType: 'maintenance', entityId: id, detail: { updateId, ...data } }, now);
    return updateId;
  }, WRITE);
}
