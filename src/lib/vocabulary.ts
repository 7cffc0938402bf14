// The fixed vocabulary of the product. Other tools read these values through the JSON
// API, so they follow Atlassian Statuspage and never change spelling.

export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function otherLanguage(lang: Language): Language {
  return lang === 'en' ? 'fr' : 'en';
}

/** Service statuses, from best to worst. */
export const SERVICE_STATUSES = [
  'operational',
  'under_maintenance',
  'degraded_performance',
  'partial_outage',
  'major_outage',
] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

/** The impact an incident has on one service: a service status other than operational or maintenance. */
export const IMPACTS = ['degraded_performance', 'partial_outage', 'major_outage'] as const;
export type Impact = (typeof IMPACTS)[number];

export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export const OPEN_INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring'] as const;

/** Severity from the incident handbook: 1 is critical, 3 is minor. */
export const SEVERITIES = [1, 2, 3] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Statuspage's `impact` value for each severity. */
export const SEVERITY_IMPACT = { 1: 'critical', 2: 'major', 3: 'minor' } as const satisfies Record<Severity, string>;

export const MAINTENANCE_STATUSES = ['scheduled', 'in_progress', 'verifying', 'completed'] as const;
export type MaintenanceStatus = (typeof MAINTENANCE_STATUSES)[number];

export const ROLES = ['admin', 'publisher', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** A regular update, or the short notice that the postmortem is published. */
export const UPDATE_KINDS = ['update', 'postmortem'] as const;
export type UpdateKind = (typeof UPDATE_KINDS)[number];

/** Certainty of an update's count of affected users. */
export const USERS_AFFECTED_KINDS = ['exact', 'estimate', 'unknown'] as const;
export type UsersAffectedKind = (typeof USERS_AFFECTED_KINDS)[number];

/** The moments an update template is written for. */
export const TEMPLATE_MOMENTS = ['investigating', 'identified', 'monitoring', 'resolved', 'maintenance'] as const;
export type TemplateMoment = (typeof TEMPLATE_MOMENTS)[number];

/** Severities that always need a published postmortem. */
export const POSTMORTEM_SEVERITIES: readonly Severity[] = [1, 2];
