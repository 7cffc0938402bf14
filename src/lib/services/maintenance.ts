// Writes to scheduled maintenance: schedule a window, change it, post an update on it.
import { eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { currentTime } from '../clock.ts';
import type { Db } from '../db/client.ts';
import { maintenances, maintenanceServices, maintenanceUpdates, services } from '../db/schema.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { recordAudit, type Transaction } from './audit.ts';
import { requirePermission, type Actor } from './permissions.ts';
import { BUDGETS } from './update-content.ts';
import { anyDateTime, collectFields, requiredText } from './validation.ts';

export const MAINTENANCE_TITLE_MAX = 200;

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

function parseWindow(input: unknown, withNotice: boolean) {
  const { data, errors } = collectFields(withNotice ? { ...windowShape, ...noticeShape } : windowShape, input);
  if (data.scheduledStart && data.scheduledEnd && data.scheduledEnd <= data.scheduledStart) errors.scheduledEnd ??= 'errors.windowOrder';
  if (data.services?.length === 0) errors.services ??= 'errors.serviceRequired';
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return data as WindowValues & { bodyEn: string; bodyFr: string };
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

function assertExists(tx: Transaction, id: number): void {
  if (!tx.select({ id: maintenances.id }).from(maintenances).where(eq(maintenances.id, id)).get()) throw new NotFoundError('maintenance', id);
}

/** Schedules a maintenance window with its first public notice. Returns its id. */
export function scheduleMaintenance(db: Db, actor: Actor, input: unknown, now = currentTime()): number {
  requirePermission(actor, 'incidents.write');
  const values = parseWindow(input, true);
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

/** Changes a window's titles, times or services, for example to extend it. */
export function editMaintenance(db: Db, actor: Actor, id: number, input: unknown, now = currentTime()): void {
  requirePermission(actor, 'incidents.write');
  const values = parseWindow(input, false);
  db.transaction((tx) => {
    assertExists(tx, id);
    tx.update(maintenances)
      .set({ titleEn: values.titleEn, titleFr: values.titleFr, scheduledStart: values.scheduledStart, scheduledEnd: values.scheduledEnd, updatedAt: now })
      .where(eq(maintenances.id, id))
      .run();
    replaceServices(tx, id, values.services);
    recordAudit(tx, actor, { action: 'maintenance.edit', entityType: 'maintenance', entityId: id, detail: values }, now);
  });
}

export function postMaintenanceUpdate(db: Db, actor: Actor, id: number, input: unknown, now = currentTime()): number {
  requirePermission(actor, 'incidents.write');
  const { data, errors } = collectFields(noticeShape, input);
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return db.transaction((tx) => {
    assertExists(tx, id);
    const { id: updateId } = tx
      .insert(maintenanceUpdates)
      .values({ maintenanceId: id, bodyEn: data.bodyEn!, bodyFr: data.bodyFr!, postedAt: now, authorId: actor.id })
      .returning({ id: maintenanceUpdates.id })
      .get();
    tx.update(maintenances).set({ updatedAt: now }).where(eq(maintenances.id, id)).run();
    recordAudit(tx, actor, { action: 'maintenance.update', entityType: 'maintenance', entityId: id, detail: { updateId, ...data } }, now);
    return updateId;
  });
}
