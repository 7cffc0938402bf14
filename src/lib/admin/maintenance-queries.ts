// Reads of maintenance windows for the admin area, with both languages.
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { maintenances, maintenanceServices, maintenanceUpdates, users } from '../db/schema.ts';

export function listMaintenancesForAdmin(db: Db) {
  return db.select().from(maintenances).orderBy(desc(maintenances.scheduledStart)).all();
}

export function getMaintenanceForAdmin(db: Db, id: number) {
  const maintenance = db.select().from(maintenances).where(eq(maintenances.id, id)).get();
  if (!maintenance) return undefined;
  const serviceIds = db.select({ id: maintenanceServices.serviceId }).from(maintenanceServices).where(eq(maintenanceServices.maintenanceId, id)).all();
  const updates = db
    .select({ id: maintenanceUpdates.id, bodyEn: maintenanceUpdates.bodyEn, bodyFr: maintenanceUpdates.bodyFr, postedAt: maintenanceUpdates.postedAt, author: users.email })
    .from(maintenanceUpdates)
    .leftJoin(users, eq(users.id, maintenanceUpdates.authorId))
    .where(eq(maintenanceUpdates.maintenanceId, id))
    .orderBy(desc(maintenanceUpdates.postedAt), desc(maintenanceUpdates.id))
    .all();
  return { maintenance, serviceIds: serviceIds.map((row) => row.id), updates };
}
