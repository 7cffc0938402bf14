// Writes a synthetic history for benchmarks straight into the tables, in one transaction:
// it is test data, so it skips the service layer, whose checks would only slow it down.
import type { Db } from '../../src/lib/db/client.ts';
import { incidents, incidentServices, incidentUpdates, services } from '../../src/lib/db/schema.ts';
import { IMPACTS, INCIDENT_STATUSES } from '../../src/lib/vocabulary.ts';

const HOUR_MS = 3_600_000;

export interface SeedSize {
  services: number;
  incidents: number;
  updatesPerIncident: number;
}

export function seedHistory(db: Db, size: SeedSize, now = new Date()): void {
  db.transaction((tx) => {
    const serviceIds: number[] = [];
    for (let index = 0; index < size.services; index += 1) {
      const { id } = tx
        .insert(services)
        .values({ slug: `service-${index}`, nameEn: `Service ${index}`, nameFr: `Service ${index} (fr)`, displayOrder: index, createdAt: new Date(now.getTime() - 400 * 24 * HOUR_MS) })
        .returning({ id: services.id })
        .get();
      serviceIds.push(id);
    }
    // Incidents spread evenly over the last year; the newest one stays open.
    const spacing = (365 * 24 * HOUR_MS) / Math.max(size.incidents, 1);
    for (let index = 0; index < size.incidents; index += 1) {
      const startedAt = new Date(now.getTime() - (index + 1) * spacing);
      const open = index === 0;
      const endedAt = open ? null : new Date(startedAt.getTime() + Math.min(spacing / 2, 2 * HOUR_MS));
      const { id } = tx
        .insert(incidents)
        .values({
          titleEn: `Incident ${index}`,
          titleFr: `Incident ${index} (fr)`,
          severity: (index % 3) + 1,
          status: open ? 'investigating' : 'resolved',
          startedAt,
          detectedAt: new Date(startedAt.getTime() + 60_000),
          endedAt,
          nextUpdateAt: open ? new Date(now.getTime() + HOUR_MS) : null,
          updatedAt: endedAt ?? startedAt,
        })
        .returning({ id: incidents.id })
        .get();
      tx.insert(incidentServices).values({ incidentId: id, serviceId: serviceIds[index % serviceIds.length]!, impact: IMPACTS[index % IMPACTS.length]! }).run();
      for (let update = 0; update < size.updatesPerIncident; update += 1) {
        const last = update === size.updatesPerIncident - 1;
        let status: (typeof INCIDENT_STATUSES)[number] = INCIDENT_STATUSES[update % 3]!;
        if (last) status = 'resolved';
        if (open) status = 'investigating';
        tx.insert(incidentUpdates)
          .values({
            incidentId: id,
            status,
            bodyEn: `Update ${update} of incident ${index}: we are working on it.`,
            bodyFr: `Mise à jour ${update} de l’incident ${index} : nous y travaillons.`,
            usersAffectedKind: 'unknown',
            postedAt: new Date(startedAt.getTime() + (update + 1) * 5 * 60_000),
          })
          .run();
      }
    }
  });
}
