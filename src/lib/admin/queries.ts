// Reads for the admin area, which shows both languages side by side.
import { asc, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { auditLog, incidents, incidentServices, incidentUpdates, services, users } from '../db/schema.ts';

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
