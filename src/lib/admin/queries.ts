// Reads for the admin area, which shows both languages side by side.
import { OPEN_INCIDENT_STATUSES } from '../vocabulary.ts';
import { currentTime } from '../clock.ts';
import { and, asc, desc, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { auditLog, incidents, incidentServices, incidentUpdates, services, users } from '../db/schema.ts';
import { POSTMORTEM_SEVERITIES } from '../vocabulary.ts';

export const AUDIT_PAGE_SIZE = 200;

export function listServicesForAdmin(db: Db) {
  return db.select().from(services).orderBy(asc(services.displayOrder), asc(services.id)).all();
}

export function getServiceForAdmin(db: Db, id: number) {
  return db.select().from(services).where(eq(services.id, id)).get();
}

export function listIncidentsForAdmin(db: Db) {
  return db.select().from(incidents).orderBy(desc(incidents.startedAt), desc(incidents.id)).all();
}

export function getIncidentForAdmin(db: Db, id: number) {
  const incident = db.select().from(incidents).where(eq(incidents.id, id)).get();
  if (!incident) return undefined;
  const impacts = db.select().from(incidentServices).where(eq(incidentServices.incidentId, id)).all();
  const updates = db
    .select({
      id: incidentUpdates.id,
      status: incidentUpdates.status,
      kind: incidentUpdates.kind,
      bodyEn: incidentUpdates.bodyEn,
      bodyFr: incidentUpdates.bodyFr,
      postedAt: incidentUpdates.postedAt,
      author: users.email,
    })
    .from(incidentUpdates)
    .leftJoin(users, eq(users.id, incidentUpdates.authorId))
    .where(eq(incidentUpdates.incidentId, id))
    .orderBy(desc(incidentUpdates.postedAt), desc(incidentUpdates.id))
    .all();
  return { incident, impacts, updates };
}

export function listAuditEntries(db: Db, limit = AUDIT_PAGE_SIZE) {
  return db.select().from(auditLog).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(limit).all();
}

/** Open incidents whose promised next update time has passed, most overdue first. */
export function listOverdueIncidents(db: Db, now = currentTime()) {
  const lastPostedAt = sql<number>`(select max(${incidentUpdates.postedAt}) from ${incidentUpdates} where ${incidentUpdates.incidentId} = ${incidents.id})`;
  return db
    .select({ incident: incidents, lastPostedAt })
    .from(incidents)
    .where(and(inArray(incidents.status, [...OPEN_INCIDENT_STATUSES]), lt(incidents.nextUpdateAt, now)))
    .orderBy(asc(incidents.nextUpdateAt))
    .all()
    .map((row) => ({ incident: row.incident, lastPostedAt: new Date(row.lastPostedAt) }));
}

/** Resolved incidents of a severity that needs a postmortem, with none linked yet. */
export function listIncidentsNeedingPostmortem(db: Db) {
  return db
    .select()
    .from(incidents)
    .where(and(eq(incidents.status, 'resolved'), isNull(incidents.postmortemUrlEn), inArray(incidents.severity, [...POSTMORTEM_SEVERITIES])))
    .orderBy(asc(incidents.endedAt))
    .all();
}

/** Incidents whose impact started in [from, to), with the services they touched. */
export function listIncidentsForMetrics(db: Db, from: Date, to: Date) {
  const rows = db
    .select()
    .from(incidents)
    .where(and(gte(incidents.startedAt, from), lt(incidents.startedAt, to)))
    .orderBy(desc(incidents.startedAt))
    .all();
  const impacts = rows.length === 0 ? [] : db
    .select({ incidentId: incidentServices.incidentId, nameEn: services.nameEn, nameFr: services.nameFr })
    .from(incidentServices)
    .innerJoin(services, eq(services.id, incidentServices.serviceId))
    .where(inArray(incidentServices.incidentId, rows.map((row) => row.id)))
    .all();
  return rows.map((row) => ({ ...row, services: impacts.filter((impact) => impact.incidentId === row.id) }));
}
