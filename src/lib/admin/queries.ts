// Reads for the admin area, which shows both languages side by side.
import { OPEN_INCIDENT_STATUSES } from '../vocabulary.ts';
import { currentTime } from '../clock.ts';
import { and, asc, count, desc, eq, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { auditLog, incidents, incidentServices, incidentUpdates, services, users } from '../db/schema.ts';
import { POSTMORTEM_SEVERITIES } from '../vocabulary.ts';

export const AUDIT_PAGE_SIZE = 50;

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

/** Filters of the audit log. A filter left out matches every entry. */
export interface AuditCriteria {
  /** The actor's email as recorded, or "command line". */
  actor?: string;
  action?: string;
  /** Entries at or after this time. */
  from?: Date;
  /** Entries before this time. */
  to?: Date;
}

function auditConditions(criteria: AuditCriteria): SQL | undefined {
  const conditions: SQL[] = [];
  if (criteria.actor !== undefined) conditions.push(eq(auditLog.actor, criteria.actor));
  if (criteria.action !== undefined) conditions.push(eq(auditLog.action, criteria.action));
  if (criteria.from) conditions.push(gte(auditLog.at, criteria.from));
  if (criteria.to) conditions.push(lt(auditLog.at, criteria.to));
  return and(...conditions);
}

/**
 * Returns one page of the audit entries matching `criteria`, newest first, with the number
 * of matches. A page past the last returns the last page.
 */
export function listAuditEntries(db: Db, criteria: AuditCriteria = {}, page = 1, pageSize = AUDIT_PAGE_SIZE) {
  const where = auditConditions(criteria);
  const total = db.select({ total: count() }).from(auditLog).where(where).get()?.total ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const pageNumber = Math.min(Math.max(1, Math.floor(page)), pageCount);
  const entries = db
    .select()
    .from(auditLog)
    .where(where)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(pageSize)
    .offset((pageNumber - 1) * pageSize)
    .all();
  return { entries, total, page: pageNumber, pageCount, pageSize };
}

/** Lists every actor and every action found in the audit log, sorted, for the filter lists. */
export function listAuditFilterChoices(db: Db): { actors: string[]; actions: string[] } {
  const actors = db.selectDistinct({ actor: auditLog.actor }).from(auditLog).orderBy(asc(auditLog.actor)).all();
  const actions = db.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(asc(auditLog.action)).all();
  return { actors: actors.map((row) => row.actor), actions: actions.map((row) => row.action) };
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
