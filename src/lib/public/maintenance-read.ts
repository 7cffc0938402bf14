// The read model of scheduled maintenance, with each window's status taken from the clock.
import { and, asc, desc, eq, gt, gte, inArray, lte, min } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { maintenances, maintenanceServices, maintenanceUpdates, services } from '../db/schema.ts';
import { maintenanceStatus } from '../maintenance-status.ts';
import type { Language, MaintenanceStatus } from '../vocabulary.ts';

export interface PublicMaintenanceUpdate {
  id: number;
  body: string;
  postedAt: Date;
}

export interface PublicMaintenance {
  id: number;
  title: string;
  status: MaintenanceStatus;
  scheduledStart: Date;
  scheduledEnd: Date;
  updatedAt: Date;
  services: { id: number; slug: string; name: string }[];
  /** Newest first. */
  updates: PublicMaintenanceUpdate[];
}

type MaintenanceRow = typeof maintenances.$inferSelect;

const pick = <T>(lang: Language, en: T, fr: T): T => (lang === 'en' ? en : fr);

export function toPublicMaintenances(db: Db, rows: MaintenanceRow[], lang: Language, now: Date): PublicMaintenance[] {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const affected = db
    .select({ maintenanceId: maintenanceServices.maintenanceId, id: services.id, slug: services.slug, nameEn: services.nameEn, nameFr: services.nameFr })
    .from(maintenanceServices)
    .innerJoin(services, eq(services.id, maintenanceServices.serviceId))
    .where(inArray(maintenanceServices.maintenanceId, ids))
    .orderBy(asc(services.displayOrder), asc(services.id))
    .all();
  const updates = db
    .select()
    .from(maintenanceUpdates)
    .where(inArray(maintenanceUpdates.maintenanceId, ids))
    .orderBy(desc(maintenanceUpdates.postedAt), desc(maintenanceUpdates.id))
    .all();
  return rows.map((row) => ({
    id: row.id,
    title: pick(lang, row.titleEn, row.titleFr),
    status: maintenanceStatus(row, now),
    scheduledStart: row.scheduledStart,
    scheduledEnd: row.scheduledEnd,
    updatedAt: row.updatedAt,
    services: affected
      .filter((entry) => entry.maintenanceId === row.id)
      .map((entry) => ({ id: entry.id, slug: entry.slug, name: pick(lang, entry.nameEn, entry.nameFr) })),
    updates: updates
      .filter((update) => update.maintenanceId === row.id)
      .map((update) => ({ id: update.id, body: pick(lang, update.bodyEn, update.bodyFr), postedAt: update.postedAt })),
  }));
}

/** Windows that have not ended yet, soonest first: in progress, then upcoming. */
export function listCurrentMaintenances(db: Db, lang: Language, now: Date): PublicMaintenance[] {
  const rows = db.select().from(maintenances).where(gt(maintenances.scheduledEnd, now)).orderBy(asc(maintenances.scheduledStart)).all();
  return toPublicMaintenances(db, rows, lang, now);
}

/** Windows that overlap [from, to), newest first. */
export function listMaintenancesBetween(db: Db, lang: Language, from: Date, to: Date, now: Date): PublicMaintenance[] {
  const rows = db
    .select()
    .from(maintenances)
    .where(and(lte(maintenances.scheduledStart, to), gte(maintenances.scheduledEnd, from)))
    .orderBy(desc(maintenances.scheduledStart))
    .all();
  return toPublicMaintenances(db, rows, lang, now);
}

export function getMaintenance(db: Db, id: number, lang: Language, now: Date): PublicMaintenance | null {
  const row = db.select().from(maintenances).where(eq(maintenances.id, id)).get();
  return row ? (toPublicMaintenances(db, [row], lang, now)[0] ?? null) : null;
}

/** Ids of the services under a window that is in progress now. */
export function servicesUnderMaintenance(db: Db, now: Date): Set<number> {
  const rows = db
    .select({ serviceId: maintenanceServices.serviceId })
    .from(maintenanceServices)
    .innerJoin(maintenances, eq(maintenances.id, maintenanceServices.maintenanceId))
    .where(and(lte(maintenances.scheduledStart, now), gt(maintenances.scheduledEnd, now)))
    .all();
  return new Set(rows.map((row) => row.serviceId));
}

/** Returns the next start or end of a window after `now`, when public pages change by themselves. */
export function nextMaintenanceBoundary(db: Db, now: Date): Date | null {
  const start = db.select({ at: min(maintenances.scheduledStart) }).from(maintenances).where(gt(maintenances.scheduledStart, now)).get()?.at;
  const end = db.select({ at: min(maintenances.scheduledEnd) }).from(maintenances).where(gt(maintenances.scheduledEnd, now)).get()?.at;
  const times = [start, end].filter((date): date is Date => date instanceof Date).map((date) => date.getTime());
  return times.length === 0 ? null : new Date(Math.min(...times));
}
