// The read model: the one set of functions that turns the database into what the public
// sees. Pages and feeds are views of these results, so they cannot disagree.
import { OPEN_INCIDENT_STATUSES } from '../vocabulary.ts';
import { currentTime } from '../clock.ts';
import { and, asc, desc, eq, gte, inArray, max } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { incidents, incidentServices, incidentUpdates, maintenances, services } from '../db/schema.ts';
import { deriveServiceStatuses, worstStatus } from '../status.ts';
import { listCurrentMaintenances, servicesUnderMaintenance, type PublicMaintenance } from './maintenance-read.ts';
import { POSTMORTEM_SEVERITIES, type Impact, type IncidentStatus, type Language, type ServiceStatus, type Severity, type UpdateKind, type UsersAffectedKind } from '../vocabulary.ts';

/** How long a resolved incident stays in the home page's "recent" list. */
export const RECENT_RESOLVED_MS = 90 * 24 * 60 * 60 * 1000;
const RECENT_RESOLVED_LIMIT = 10;

export interface PublicService {
  id: number;
  slug: string;
  name: string;
  description: string;
  status: ServiceStatus;
}

export interface PublicUpdate {
  id: number;
  kind: UpdateKind;
  status: IncidentStatus;
  /** The summary, or the resolution notice. */
  body: string;
  now: string[];
  next: string[];
  usersAffectedKind: UsersAffectedKind | null;
  usersAffected: number | null;
  /** Null when the cause is not yet known. */
  cause: string | null;
  restorationAt: Date | null;
  nextUpdateAt: Date | null;
  postedAt: Date;
}

export interface PublicIncident {
  id: number;
  title: string;
  severity: Severity;
  status: IncidentStatus;
  startedAt: Date;
  detectedAt: Date;
  endedAt: Date | null;
  nextUpdateAt: Date | null;
  postmortemUrl: string | null;
  /** Resolved, of a severity that needs a postmortem, and none linked yet. */
  postmortemPending: boolean;
  services: { slug: string; name: string; impact: Impact }[];
  /** Newest first. */
  updates: PublicUpdate[];
}

type IncidentRow = typeof incidents.$inferSelect;
type UpdateRow = typeof incidentUpdates.$inferSelect;

const splitPoints = (text: string) => (text === '' ? [] : text.split('\n'));

function toPublicUpdate(update: UpdateRow, lang: Language): PublicUpdate {
  return {
    id: update.id,
    kind: update.kind,
    status: update.status,
    body: pick(lang, update.bodyEn, update.bodyFr),
    now: splitPoints(pick(lang, update.nowEn, update.nowFr)),
    next: splitPoints(pick(lang, update.nextEn, update.nextFr)),
    usersAffectedKind: update.usersAffectedKind,
    usersAffected: update.usersAffected,
    cause: pick(lang, update.causeEn, update.causeFr),
    restorationAt: update.restorationAt,
    nextUpdateAt: update.nextUpdateAt,
    postedAt: update.postedAt,
  };
}

const pick = <T>(lang: Language, en: T, fr: T): T => (lang === 'en' ? en : fr);

export function listServices(db: Db, lang: Language, now = currentTime()): PublicService[] {
  const rows = db.select().from(services).orderBy(asc(services.displayOrder), asc(services.id)).all();
  const impacts = db
    .select({ serviceId: incidentServices.serviceId, impact: incidentServices.impact, incidentStatus: incidents.status })
    .from(incidentServices)
    .innerJoin(incidents, eq(incidents.id, incidentServices.incidentId))
    .where(inArray(incidents.status, [...OPEN_INCIDENT_STATUSES]))
    .all();
  const statuses = deriveServiceStatuses(
    rows.map((row) => row.id),
    impacts,
    servicesUnderMaintenance(db, now),
  );
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    name: pick(lang, row.nameEn, row.nameFr),
    description: pick(lang, row.descriptionEn, row.descriptionFr),
    status: statuses.get(row.id) ?? 'operational',
  }));
}

/** Builds the public view of incidents, with their services and updates, keeping the rows' order. */
export function toPublicIncidents(db: Db, rows: IncidentRow[], lang: Language, updatesPerIncident?: number): PublicIncident[] {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const impacts = db
    .select({
      incidentId: incidentServices.incidentId,
      impact: incidentServices.impact,
      slug: services.slug,
      nameEn: services.nameEn,
      nameFr: services.nameFr,
    })
    .from(incidentServices)
    .innerJoin(services, eq(services.id, incidentServices.serviceId))
    .where(inArray(incidentServices.incidentId, ids))
    .orderBy(asc(services.displayOrder), asc(services.id))
    .all();
  const updates = db
    .select()
    .from(incidentUpdates)
    .where(inArray(incidentUpdates.incidentId, ids))
    .orderBy(desc(incidentUpdates.postedAt), desc(incidentUpdates.id))
    .all();

  return rows.map((row) => {
    let own = updates.filter((update) => update.incidentId === row.id);
    if (updatesPerIncident !== undefined) own = own.slice(0, updatesPerIncident);
    return {
      id: row.id,
      title: pick(lang, row.titleEn, row.titleFr),
      severity: row.severity as Severity,
      status: row.status,
      startedAt: row.startedAt,
      detectedAt: row.detectedAt,
      endedAt: row.endedAt,
      nextUpdateAt: row.status === 'resolved' ? null : row.nextUpdateAt,
      postmortemUrl: pick(lang, row.postmortemUrlEn, row.postmortemUrlFr),
      postmortemPending: row.status === 'resolved' && row.postmortemUrlEn === null && POSTMORTEM_SEVERITIES.includes(row.severity as Severity),
      services: impacts
        .filter((impact) => impact.incidentId === row.id)
        .map((impact) => ({ slug: impact.slug, name: pick(lang, impact.nameEn, impact.nameFr), impact: impact.impact })),
      updates: own.map((update) => toPublicUpdate(update, lang)),
    };
  });
}

export interface HomeView {
  overallStatus: ServiceStatus;
  services: PublicService[];
  openIncidents: PublicIncident[];
  recentIncidents: PublicIncident[];
  /** Windows in progress, then upcoming ones. */
  maintenances: PublicMaintenance[];
  /** Latest change to an incident or a maintenance window, for "Date modified". */
  modified: Date | undefined;
}

function lastModified(db: Db): Date | undefined {
  const incident = db.select({ at: max(incidents.updatedAt) }).from(incidents).get()?.at;
  const window = db.select({ at: max(maintenances.updatedAt) }).from(maintenances).get()?.at;
  const dates = [incident, window].filter((date): date is Date => date instanceof Date);
  return dates.length === 0 ? undefined : new Date(Math.max(...dates.map((date) => date.getTime())));
}

export function getHomeView(db: Db, lang: Language, now = currentTime()): HomeView {
  const serviceList = listServices(db, lang, now);
  const open = db.select().from(incidents).where(inArray(incidents.status, [...OPEN_INCIDENT_STATUSES])).orderBy(asc(incidents.severity), desc(incidents.startedAt)).all();
  const recent = db
    .select()
    .from(incidents)
    .where(and(eq(incidents.status, 'resolved'), gte(incidents.endedAt, new Date(now.getTime() - RECENT_RESOLVED_MS))))
    .orderBy(desc(incidents.endedAt))
    .limit(RECENT_RESOLVED_LIMIT)
    .all();
  return {
    overallStatus: worstStatus(serviceList.map((service) => service.status)),
    services: serviceList,
    openIncidents: toPublicIncidents(db, open, lang, 1),
    recentIncidents: toPublicIncidents(db, recent, lang, 1),
    maintenances: listCurrentMaintenances(db, lang, now),
    modified: lastModified(db),
  };
}

export function getIncident(db: Db, id: number, lang: Language): PublicIncident | null {
  const row = db.select().from(incidents).where(eq(incidents.id, id)).get();
  return row ? (toPublicIncidents(db, [row], lang)[0] ?? null) : null;
}
