// Queries the Statuspage-compatible API needs beyond the read model: the raw rows behind
// its lists (for their creation times and order) and the times of the latest changes.
import { OPEN_INCIDENT_STATUSES } from '../../vocabulary.ts';
import { and, asc, desc, eq, gt, inArray, lte, max } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { incidents, incidentServices, maintenances, maintenanceServices, services } from '../../db/schema.ts';

export type IncidentRow = typeof incidents.$inferSelect;
export type MaintenanceRow = typeof maintenances.$inferSelect;

/** Maximum number of incidents or maintenance windows in a full list (incidents.json, scheduled-maintenances.json). */
export const LIST_LIMIT = 50;

/** Lists incidents, most recently started first: all of them, or only those not resolved. */
export function listIncidentRows(db: Db, selection: 'all' | 'unresolved'): IncidentRow[] {
  const newestFirst = [desc(incidents.startedAt), desc(incidents.id)];
  if (selection === 'unresolved') {
    return db
      .select()
      .from(incidents)
      .where(inArray(incidents.status, [...OPEN_INCIDENT_STATUSES]))
      .orderBy(...newestFirst)
      .all();
  }
  return db
    .select()
    .from(incidents)
    .orderBy(...newestFirst)
    .limit(LIST_LIMIT)
    .all();
}

export type MaintenanceSelection = 'all' | 'upcoming' | 'active' | 'current';

/**
 * Lists maintenance windows. `all` is the latest windows by start, newest first. The other
 * selections are soonest first: `upcoming` windows have not started, `active` ones are in
 * progress, and `current` is both (every window that has not ended).
 */
export function listMaintenanceRows(db: Db, selection: MaintenanceSelection, now: Date): MaintenanceRow[] {
  const query = db.select().from(maintenances);
  switch (selection) {
    case 'all':
      return query.orderBy(desc(maintenances.scheduledStart), desc(maintenances.id)).limit(LIST_LIMIT).all();
    case 'upcoming':
      return query.where(gt(maintenances.scheduledStart, now)).orderBy(asc(maintenances.scheduledStart), asc(maintenances.id)).all();
    case 'active':
      return query
        .where(and(lte(maintenances.scheduledStart, now), gt(maintenances.scheduledEnd, now)))
        .orderBy(asc(maintenances.scheduledStart), asc(maintenances.id))
        .all();
    case 'current':
      return query.where(gt(maintenances.scheduledEnd, now)).orderBy(asc(maintenances.scheduledStart), asc(maintenances.id)).all();
  }
}

export interface ServiceTimes {
  createdAt: Date;
  /** The latest moment the service's status may have changed. */
  changedAt: Date;
}

/**
 * Returns, per service id, its creation time and the latest moment its status may have
 * changed. That is the latest of its creation, the last change to an incident that affects
 * it, and the passed start or end of a maintenance window that covers it. Edits to an
 * incident's text count too, because incident rows do not record which change touched the status.
 */
export function serviceTimes(db: Db, now: Date): Map<number, ServiceTimes> {
  const times = new Map<number, ServiceTimes>();
  for (const row of db.select({ id: services.id, createdAt: services.createdAt }).from(services).all()) {
    times.set(row.id, { createdAt: row.createdAt, changedAt: row.createdAt });
  }
  const noteChange = (serviceId: number, time: Date) => {
    const entry = times.get(serviceId);
    if (entry && time > entry.changedAt) entry.changedAt = time;
  };

  const incidentChanges = db
    .select({ serviceId: incidentServices.serviceId, latest: max(incidents.updatedAt) })
    .from(incidentServices)
    .innerJoin(incidents, eq(incidents.id, incidentServices.incidentId))
    .groupBy(incidentServices.serviceId)
    .all();
  for (const row of incidentChanges) if (row.latest) noteChange(row.serviceId, row.latest);

  const startedWindows = db
    .select({ serviceId: maintenanceServices.serviceId, start: maintenances.scheduledStart, end: maintenances.scheduledEnd })
    .from(maintenanceServices)
    .innerJoin(maintenances, eq(maintenances.id, maintenanceServices.maintenanceId))
    .where(lte(maintenances.scheduledStart, now))
    .all();
  for (const row of startedWindows) noteChange(row.serviceId, row.end <= now ? row.end : row.start);

  return times;
}

/** Returns the latest change to any maintenance window's details or notices, or undefined when there is none. */
export function latestMaintenanceChange(db: Db): Date | undefined {
  return db.select({ latest: max(maintenances.updatedAt) }).from(maintenances).get()?.latest ?? undefined;
}
