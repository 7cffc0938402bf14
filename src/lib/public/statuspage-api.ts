// The public JSON API, compatible with Atlassian Statuspage's public API v2 so that existing
// clients and aggregators read it unchanged. It is served under /api/v2 (English),
// /en/api/v2 and /fr/api/v2, with names and texts in the path's language.
import { currentTime } from '../clock.ts';
import { absoluteUrl, config } from '../config.ts';
import { getDb, type Db } from '../db/client.ts';
import { translator } from '../i18n.ts';
import { log } from '../log.ts';
import { apiBasePath } from '../paths.ts';
import { isLanguage, type Language, type Severity } from '../vocabulary.ts';
import { toPublicMaintenances } from './maintenance-read.ts';
import { listServices, toPublicIncidents } from './read-model.ts';
import {
  componentDocuments,
  incidentDocument,
  maintenanceDocument,
  pageDocument,
  pageId,
  pageIndicator,
  statusDocument,
  type DocumentContext,
  type StatuspageComponent,
  type StatuspageIncident,
  type StatuspageMaintenance,
  type StatuspagePage,
} from './statuspage/documents.ts';
import { latestMaintenanceChange, listIncidentRows, listMaintenanceRows, serviceTimes, type MaintenanceSelection } from './statuspage/queries.ts';

export const STATUSPAGE_ENDPOINTS = [
  'summary.json',
  'status.json',
  'components.json',
  'incidents.json',
  'incidents/unresolved.json',
  'scheduled-maintenances.json',
  'scheduled-maintenances/upcoming.json',
  'scheduled-maintenances/active.json',
] as const;
export type StatuspageEndpoint = (typeof STATUSPAGE_ENDPOINTS)[number];

const isEndpoint = (value: string): value is StatuspageEndpoint => (STATUSPAGE_ENDPOINTS as readonly string[]).includes(value);

export interface ApiResult {
  status: 200 | 404;
  body: Record<string, unknown>;
}

/**
 * One response's view of the database. Every endpoint shows the page and its components,
 * so those are built up front, and incident and maintenance lists only when an endpoint shows them.
 */
class Snapshot {
  readonly context: DocumentContext;
  readonly page: StatuspagePage;
  readonly components: StatuspageComponent[];
  private readonly db: Db;

  constructor(db: Db, lang: Language, now: Date) {
    this.db = db;
    const { timeZone } = config();
    const id = pageId();
    const times = serviceTimes(db, now);
    const services = listServices(db, lang, now);
    this.components = componentDocuments(services, times, { timeZone, pageId: id, now });
    this.context = {
      lang,
      timeZone,
      pageId: id,
      now,
      componentsById: new Map(services.map((service, index) => [service.id, this.components[index]!])),
      componentsBySlug: new Map(services.map((service, index) => [service.slug, this.components[index]!])),
    };

    const changes = [...times.values()].map((entry) => entry.changedAt);
    const maintenanceChange = latestMaintenanceChange(db);
    if (maintenanceChange) changes.push(maintenanceChange);
    // An empty page has changed at no known time, so it reports the response's time.
    const updatedAt = changes.length === 0 ? now : new Date(Math.max(...changes.map((date) => date.getTime())));
    this.page = pageDocument(this.context, updatedAt);
  }

  incidents(selection: 'all' | 'unresolved'): StatuspageIncident[] {
    const rows = listIncidentRows(this.db, selection);
    const publicViews = toPublicIncidents(this.db, rows, this.context.lang);
    return rows.map((row, index) => incidentDocument(row, publicViews[index]!, this.context));
  }

  maintenances(selection: MaintenanceSelection): StatuspageMaintenance[] {
    const rows = listMaintenanceRows(this.db, selection, this.context.now);
    const publicViews = toPublicMaintenances(this.db, rows, this.context.lang, this.context.now);
    return rows.map((row, index) => maintenanceDocument(row, publicViews[index]!, this.context));
  }

  status() {
    const open = listIncidentRows(this.db, 'unresolved').map((row) => ({ severity: row.severity as Severity }));
    const maintenanceInProgress = listMaintenanceRows(this.db, 'active', this.context.now).length > 0;
    return statusDocument(pageIndicator(open, maintenanceInProgress), this.context.lang);
  }
}

function buildDocument(db: Db, lang: Language, endpoint: StatuspageEndpoint, now: Date): Record<string, unknown> {
  const snapshot = new Snapshot(db, lang, now);
  const { page } = snapshot;
  switch (endpoint) {
    case 'summary.json':
      return {
        page,
        components: snapshot.components,
        incidents: snapshot.incidents('unresolved'),
        scheduled_maintenances: snapshot.maintenances('current'),
        status: snapshot.status(),
      };
    case 'status.json':
      return { page, status: snapshot.status() };
    case 'components.json':
      return { page, components: snapshot.components };
    case 'incidents.json':
      return { page, incidents: snapshot.incidents('all') };
    case 'incidents/unresolved.json':
      return { page, incidents: snapshot.incidents('unresolved') };
    case 'scheduled-maintenances.json':
      return { page, scheduled_maintenances: snapshot.maintenances('all') };
    case 'scheduled-maintenances/upcoming.json':
      return { page, scheduled_maintenances: snapshot.maintenances('upcoming') };
    case 'scheduled-maintenances/active.json':
      return { page, scheduled_maintenances: snapshot.maintenances('active') };
  }
}

/** Builds the 404 body: an error message and the absolute URLs of the endpoints that exist. */
function notFoundBody(lang: Language): Record<string, unknown> {
  return {
    error: translator(lang)('api.errors.notFound'),
    endpoints: STATUSPAGE_ENDPOINTS.map((endpoint) => absoluteUrl(`${apiBasePath(lang)}/${endpoint}`)),
  };
}

/**
 * Builds the JSON document of one endpoint, such as "summary.json" or
 * "incidents/unresolved.json", as the database is at `now`. An unknown endpoint gets a
 * 404 body. All queries run in one read transaction, so the parts of a response agree.
 */
export function statuspageResponse(db: Db, lang: Language, endpoint: string | undefined, now = currentTime()): ApiResult {
  const name = (endpoint ?? '').replace(/^\/+|\/+$/g, '');
  if (!isEndpoint(name)) return { status: 404, body: notFoundBody(lang) };
  const body = db.transaction(() => buildDocument(db, lang, name, now), { behavior: 'deferred' });
  return { status: 200, body };
}

const CORS_HEADERS = { 'Access-Control-Allow-Origin': '*' };

const JSON_HEADERS = {
  ...CORS_HEADERS,
  'Content-Type': 'application/json; charset=utf-8',
  // Clients poll for changes, so caches must check back before reusing a response.
  'Cache-Control': 'no-cache',
  'X-Content-Type-Options': 'nosniff',
};

function jsonResponse(status: number, body: unknown, method: string, extraHeaders: Record<string, string> = {}): Response {
  return new Response(method === 'HEAD' ? null : JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...extraHeaders } });
}

/**
 * Handles an HTTP request to the API. `langSegment` is the path's language ("en" for the
 * unprefixed /api/v2) and `endpoint` is the rest of the path after api/v2/. GET and HEAD
 * return JSON, OPTIONS returns a 204 CORS preflight response, and other methods get a 405.
 */
export function handleStatuspageRequest(method: string, langSegment: string | undefined, endpoint: string | undefined): Response {
  const lang: Language = isLanguage(langSegment) ? langSegment : 'en';

  if (method === 'OPTIONS') {
    return new Response(null, {
      status: 204,
      headers: {
        ...CORS_HEADERS,
        'Access-Control-Allow-Methods': 'GET, OPTIONS',
        'Access-Control-Allow-Headers': '*',
        'Access-Control-Max-Age': '86400',
      },
    });
  }
  if (method !== 'GET' && method !== 'HEAD') {
    return jsonResponse(405, { error: translator(lang)('api.errors.methodNotAllowed') }, method, { Allow: 'GET, HEAD, OPTIONS' });
  }
  if (!isLanguage(langSegment)) return jsonResponse(404, notFoundBody(lang), method);

  try {
    const result = statuspageResponse(getDb(), lang, endpoint);
    return jsonResponse(result.status, result.body, method);
  } catch (error) {
    log.error({ err: error, lang, endpoint }, 'Statuspage API response failed');
    return jsonResponse(500, { error: translator(lang)('api.errors.internal') }, method);
  }
}
