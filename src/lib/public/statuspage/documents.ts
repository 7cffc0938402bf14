// The objects of Atlassian Statuspage's public API v2 (page, status, component, incident,
// scheduled maintenance), built from the read model with Statuspage's field names and values.
import { absoluteUrl, config } from '../../config.ts';
import { translator } from '../../i18n.ts';
import { maintenanceStatus } from '../../maintenance-status.ts';
import { homePath, incidentPath, maintenancePath } from '../../paths.ts';
import { SEVERITY_IMPACT, type IncidentStatus, type Language, type MaintenanceStatus, type ServiceStatus } from '../../vocabulary.ts';
import type { PublicMaintenance } from '../maintenance-read.ts';
import type { PublicIncident, PublicService } from '../read-model.ts';
import { incidentUpdateText, isoDate, isoTimestamp } from './format.ts';
import type { IncidentRow, MaintenanceRow, ServiceTimes } from './queries.ts';

export type Indicator = 'none' | 'minor' | 'major' | 'critical' | 'maintenance';
export type IncidentImpact = (typeof SEVERITY_IMPACT)[keyof typeof SEVERITY_IMPACT];

export interface StatuspagePage {
  id: string;
  name: string;
  url: string;
  time_zone: string;
  updated_at: string;
}

export interface StatuspageStatus {
  indicator: Indicator;
  description: string;
}

export interface StatuspageComponent {
  id: string;
  name: string;
  status: ServiceStatus;
  created_at: string;
  updated_at: string;
  position: number;
  description: string | null;
  showcase: boolean;
  start_date: string | null;
  group_id: string | null;
  page_id: string;
  group: boolean;
  only_show_if_degraded: boolean;
}

export interface StatuspageIncidentUpdate {
  id: string;
  status: IncidentStatus | MaintenanceStatus;
  body: string;
  incident_id: string;
  created_at: string;
  updated_at: string;
  display_at: string;
  /** Null because updates do not record which component statuses they changed. */
  affected_components: null;
  deliver_notifications: boolean;
}

export interface StatuspageIncident {
  id: string;
  name: string;
  status: IncidentStatus;
  created_at: string;
  updated_at: string;
  monitoring_at: string | null;
  resolved_at: string | null;
  impact: IncidentImpact;
  shortlink: string;
  started_at: string;
  page_id: string;
  incident_updates: StatuspageIncidentUpdate[];
  components: StatuspageComponent[];
}

export interface StatuspageMaintenance extends Omit<StatuspageIncident, 'status' | 'impact'> {
  status: MaintenanceStatus;
  impact: 'maintenance';
  scheduled_for: string;
  scheduled_until: string;
}

/**
 * The values shared by every object of one response: the language, the page's zone and id,
 * the response's `now`, and the components by service id and slug, so that an incident
 * lists the same component objects as components.json.
 */
export interface DocumentContext {
  lang: Language;
  timeZone: string;
  pageId: string;
  now: Date;
  componentsById: Map<number, StatuspageComponent>;
  componentsBySlug: Map<string, StatuspageComponent>;
}

// Prefixes keep ids unique across object types: incidents and maintenance windows share
// Statuspage's incident fields, and clients may key both by id.
export const componentId = (serviceId: number) => `service-${serviceId}`;
export const incidentId = (id: number) => `incident-${id}`;
export const incidentUpdateId = (id: number) => `incident-update-${id}`;
export const maintenanceId = (id: number) => `maintenance-${id}`;
export const maintenanceUpdateId = (id: number) => `maintenance-update-${id}`;

/**
 * Returns the page id: the host (with any port) of SITE_URL. It is the same in both
 * languages because both serve the same page, and it changes only if the site moves.
 */
export function pageId(): string {
  return config().siteUrl.host;
}

export function pageDocument(context: DocumentContext, updatedAt: Date): StatuspagePage {
  return {
    id: context.pageId,
    name: translator(context.lang)('site.name'),
    url: absoluteUrl(homePath(context.lang)),
    time_zone: context.timeZone,
    updated_at: isoTimestamp(updatedAt, context.timeZone),
  };
}

const INDICATOR_RANK: Record<Indicator, number> = { none: 0, maintenance: 1, minor: 2, major: 3, critical: 4 };

/** Returns the worst impact among open incidents, else maintenance while a window is in progress, else none. */
export function pageIndicator(openIncidents: readonly Pick<PublicIncident, 'severity'>[], maintenanceInProgress: boolean): Indicator {
  let indicator: Indicator = maintenanceInProgress ? 'maintenance' : 'none';
  for (const incident of openIncidents) {
    const impact = SEVERITY_IMPACT[incident.severity];
    if (INDICATOR_RANK[impact] > INDICATOR_RANK[indicator]) indicator = impact;
  }
  return indicator;
}

export function statusDocument(indicator: Indicator, lang: Language): StatuspageStatus {
  return { indicator, description: translator(lang)(`api.indicator.${indicator}`) };
}

/** Builds the components in display order, with positions from 1. */
export function componentDocuments(
  services: readonly PublicService[],
  times: ReadonlyMap<number, ServiceTimes>,
  context: Pick<DocumentContext, 'timeZone' | 'pageId' | 'now'>,
): StatuspageComponent[] {
  return services.map((service, index) => {
    // Both come from one read transaction, so every listed service has times.
    const { createdAt, changedAt } = times.get(service.id) ?? { createdAt: context.now, changedAt: context.now };
    return {
      id: componentId(service.id),
      name: service.name,
      status: service.status,
      created_at: isoTimestamp(createdAt, context.timeZone),
      updated_at: isoTimestamp(changedAt, context.timeZone),
      position: index + 1,
      description: service.description === '' ? null : service.description,
      showcase: true,
      start_date: isoDate(createdAt, context.timeZone),
      group_id: null,
      page_id: context.pageId,
      group: false,
      only_show_if_degraded: false,
    };
  });
}

/** Returns when the incident last moved into monitoring, or null if it never did. */
function monitoringSince(incident: PublicIncident): Date | null {
  let since: Date | null = null;
  let previous: IncidentStatus | null = null;
  // Updates are newest first, so walk them oldest first to find the last move into monitoring.
  for (const update of [...incident.updates].reverse()) {
    if (update.kind !== 'update') continue;
    if (update.status === 'monitoring' && previous !== 'monitoring') since = update.postedAt;
    previous = update.status;
  }
  return since;
}

export function incidentDocument(row: IncidentRow, incident: PublicIncident, context: DocumentContext): StatuspageIncident {
  const time = (date: Date) => isoTimestamp(date, context.timeZone);
  const id = incidentId(incident.id);
  const monitoringAt = monitoringSince(incident);
  return {
    id,
    name: incident.title,
    status: incident.status,
    created_at: time(row.createdAt),
    updated_at: time(row.updatedAt),
    monitoring_at: monitoringAt ? time(monitoringAt) : null,
    // The end of impact that the publisher entered when resolving.
    resolved_at: incident.status === 'resolved' && incident.endedAt ? time(incident.endedAt) : null,
    impact: SEVERITY_IMPACT[incident.severity],
    shortlink: absoluteUrl(incidentPath(context.lang, incident.id)),
    started_at: time(incident.startedAt),
    page_id: context.pageId,
    incident_updates: incident.updates.map((update) => ({
      id: incidentUpdateId(update.id),
      status: update.status,
      body: incidentUpdateText(update, context.lang, incident.postmortemUrl, context.timeZone),
      incident_id: id,
      created_at: time(update.postedAt),
      updated_at: time(update.postedAt),
      display_at: time(update.postedAt),
      affected_components: null,
      deliver_notifications: true,
    })),
    components: incident.services.flatMap((service) => context.componentsBySlug.get(service.slug) ?? []),
  };
}

export function maintenanceDocument(row: MaintenanceRow, maintenance: PublicMaintenance, context: DocumentContext): StatuspageMaintenance {
  const time = (date: Date) => isoTimestamp(date, context.timeZone);
  const id = maintenanceId(maintenance.id);
  const status = maintenance.status;
  return {
    id,
    name: maintenance.title,
    status,
    created_at: time(row.createdAt),
    updated_at: time(maintenance.updatedAt),
    monitoring_at: null,
    resolved_at: status === 'completed' ? time(maintenance.scheduledEnd) : null,
    impact: 'maintenance',
    shortlink: absoluteUrl(maintenancePath(context.lang, maintenance.id)),
    started_at: time(maintenance.scheduledStart),
    page_id: context.pageId,
    incident_updates: maintenance.updates.map((update) => ({
      id: maintenanceUpdateId(update.id),
      // A notice's status is the window's status when it was posted.
      status: maintenanceStatus(maintenance, update.postedAt),
      body: update.body,
      incident_id: id,
      created_at: time(update.postedAt),
      updated_at: time(update.postedAt),
      display_at: time(update.postedAt),
      affected_components: null,
      deliver_notifications: true,
    })),
    components: maintenance.services.flatMap((service) => context.componentsById.get(service.id) ?? []),
    scheduled_for: time(maintenance.scheduledStart),
    scheduled_until: time(maintenance.scheduledEnd),
  };
}
