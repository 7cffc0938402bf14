// The read model of one service's page: status, incidents, maintenance and uptime.
import { desc, eq } from 'drizzle-orm';
import { dayStart } from '../calendar.ts';
import type { Db } from '../db/client.ts';
import { incidents, incidentServices, services } from '../db/schema.ts';
import { dailyUptime, periodUptime, UPTIME_DAYS, type ImpactWindow, type UptimeDay } from '../uptime.ts';
import type { Language } from '../vocabulary.ts';
import { listCurrentMaintenances, type PublicMaintenance } from './maintenance-read.ts';
import { listServices, toPublicIncidents, type PublicIncident, type PublicService } from './read-model.ts';

export const PAST_INCIDENTS_LIMIT = 20;

export interface ServicePage {
  service: PublicService;
  openIncidents: PublicIncident[];
  pastIncidents: PublicIncident[];
  maintenances: PublicMaintenance[];
  days: UptimeDay[];
  /** Percentage over the days shown, or null when the service is newer than all of them. */
  uptime: number | null;
}

export function getServicePage(db: Db, slug: string, lang: Language, now: Date, timeZone: string): ServicePage | null {
  const service = listServices(db, lang, now).find((candidate) => candidate.slug === slug);
  if (!service) return null;
  const touching = db
    .select({ incident: incidents, impact: incidentServices.impact })
    .from(incidentServices)
    .innerJoin(incidents, eq(incidents.id, incidentServices.incidentId))
    .where(eq(incidentServices.serviceId, service.id))
    .orderBy(desc(incidents.startedAt))
    .all();
  // A service existed at least since its first incident, even if it was listed later.
  const createdAt = db.select({ createdAt: services.createdAt }).from(services).where(eq(services.id, service.id)).get()!.createdAt;
  const since = new Date(Math.min(createdAt.getTime(), ...touching.map(({ incident }) => incident.startedAt.getTime())));
  const periodStart = dayStart(dailyUptime([], now, timeZone, since)[0]!.date, timeZone);
  const windows: ImpactWindow[] = touching
    .filter(({ incident }) => (incident.endedAt ?? now) >= periodStart)
    .map(({ incident, impact }) => ({ start: incident.startedAt, end: incident.endedAt, impact }));
  const open = touching.filter(({ incident }) => incident.status !== 'resolved').map(({ incident }) => incident);
  // NOTE: an incident stores only its latest impact per service, so a day's figure uses
  // that impact for the whole incident even if it was worse or milder earlier.
  const past = touching
    .filter(({ incident }) => incident.status === 'resolved')
    .slice(0, PAST_INCIDENTS_LIMIT)
    .map(({ incident }) => incident);

  return {
    service,
    openIncidents: toPublicIncidents(db, open, lang, 1),
    pastIncidents: toPublicIncidents(db, past, lang, 1),
    maintenances: listCurrentMaintenances(db, lang, now).filter((window) => window.services.some((entry) => entry.id === service.id)),
    days: dailyUptime(windows, now, timeZone, since, UPTIME_DAYS),
    uptime: periodUptime(windows, now, since, periodStart),
  };
}
