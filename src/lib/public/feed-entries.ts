// Feed entries: one per published incident update, one per maintenance notice, and one
// when a maintenance window starts and when it ends, once that time has passed.
import { and, desc, eq, exists, inArray, lte, or, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { incidents, incidentServices, incidentUpdates, maintenances, maintenanceServices, maintenanceUpdates } from '../db/schema.ts';
import { translator } from '../i18n.ts';
import { incidentPath, maintenancePath } from '../paths.ts';
import type { Language } from '../vocabulary.ts';
import { toPublicMaintenances, type PublicMaintenance } from './maintenance-read.ts';
import { toPublicIncidents } from './read-model.ts';
import { renderUpdate, updateAsHtml } from './update-text.ts';

export const FEED_LIMIT = 50;

export interface FeedEntry {
  /** Site-relative link with a fragment, unique and stable for the entry. */
  path: string;
  title: string;
  date: Date;
  html: string;
  /** The incident's or window's status, then the affected services. */
  categories: string[];
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
const paragraph = (text: string) => `<p>${escapeHtml(text)}</p>`;

function incidentEntries(db: Db, lang: Language, serviceId: number | undefined, limit: number): FeedEntry[] {
  const t = translator(lang);
  const filter: SQL | undefined =
    serviceId === undefined
      ? undefined
      : exists(db.select().from(incidentServices).where(and(eq(incidentServices.incidentId, incidentUpdates.incidentId), eq(incidentServices.serviceId, serviceId))));
  const latest = db
    .select({ id: incidentUpdates.id, incidentId: incidentUpdates.incidentId })
    .from(incidentUpdates)
    .where(filter)
    .orderBy(desc(incidentUpdates.postedAt), desc(incidentUpdates.id))
    .limit(limit)
    .all();
  if (latest.length === 0) return [];
  const rows = db.select().from(incidents).where(inArray(incidents.id, [...new Set(latest.map((row) => row.incidentId))])).all();
  const byId = new Map(toPublicIncidents(db, rows, lang).map((incident) => [incident.id, incident]));

  return latest.flatMap(({ id, incidentId }) => {
    const incident = byId.get(incidentId);
    const update = incident?.updates.find((candidate) => candidate.id === id);
    if (!incident || !update) return [];
    const status = update.kind === 'postmortem' ? t('incident.postmortem') : t(`incidentStatus.${update.status}`);
    const names = incident.services.map((service) => service.name);
    const html = [
      paragraph(t('feed.statusLine', { status, severity: t(`severity.${incident.severity}`) })),
      updateAsHtml(renderUpdate(update, lang, incident.postmortemUrl), lang),
      names.length > 0 ? paragraph(t('feed.affectedServices', { services: names.join(', ') })) : '',
    ].join('');
    return [{ path: `${incidentPath(lang, incidentId)}#update-${id}`, title: `${incident.title} – ${status}`, date: update.postedAt, html, categories: [status, ...names] }];
  });
}

/** Entries of one window: its notices, and its start and end once they have passed. */
function windowEntries(window: PublicMaintenance, lang: Language, now: Date): FeedEntry[] {
  const t = translator(lang);
  const names = window.services.map((service) => service.name);
  const servicesHtml = names.length > 0 ? paragraph(t('feed.affectedServices', { services: names.join(', ') })) : '';
  const entry = (fragment: string, label: string, date: Date, body: string): FeedEntry => ({
    path: `${maintenancePath(lang, window.id)}#${fragment}`,
    title: `${window.title} – ${label}`,
    date,
    html: `${paragraph(t('feed.maintenanceWindow', { status: label }))}${body}${servicesHtml}`,
    categories: [label, ...names],
  });
  const entries = window.updates.map((update, index) =>
    entry(`update-${update.id}`, index === window.updates.length - 1 ? t('maintenanceStatus.scheduled') : t('feed.maintenanceUpdate'), update.postedAt, `<p>${escapeHtml(update.body)}</p>`),
  );
  if (window.scheduledStart <= now) entries.push(entry('start', t('maintenanceStatus.in_progress'), window.scheduledStart, paragraph(t('feed.maintenanceStarted'))));
  if (window.scheduledEnd <= now) entries.push(entry('end', t('maintenanceStatus.completed'), window.scheduledEnd, paragraph(t('feed.maintenanceEnded'))));
  return entries;
}

function maintenanceEntries(db: Db, lang: Language, serviceId: number | undefined, now: Date, limit: number): FeedEntry[] {
  const filter =
    serviceId === undefined
      ? undefined
      : exists(db.select().from(maintenanceServices).where(and(eq(maintenanceServices.maintenanceId, maintenances.id), eq(maintenanceServices.serviceId, serviceId))));
  // Windows with a notice or a start among the latest: enough to fill `limit` entries.
  const byNotice = db
    .selectDistinct({ id: maintenanceUpdates.maintenanceId })
    .from(maintenanceUpdates)
    .innerJoin(maintenances, eq(maintenances.id, maintenanceUpdates.maintenanceId))
    .where(filter)
    .orderBy(desc(maintenanceUpdates.postedAt))
    .limit(limit)
    .all();
  const byStart = db.select({ id: maintenances.id }).from(maintenances).where(and(filter, lte(maintenances.scheduledStart, now))).orderBy(desc(maintenances.scheduledStart)).limit(limit).all();
  const ids = [...new Set([...byNotice, ...byStart].map((row) => row.id))];
  if (ids.length === 0) return [];
  const rows = db.select().from(maintenances).where(or(inArray(maintenances.id, ids))).all();
  return toPublicMaintenances(db, rows, lang, now).flatMap((window) => windowEntries(window, lang, now));
}

/** Returns the latest entries, newest first, for the whole page or one service. */
export function listFeedEntries(db: Db, lang: Language, now: Date, serviceId?: number, limit = FEED_LIMIT): FeedEntry[] {
  return [...incidentEntries(db, lang, serviceId, limit), ...maintenanceEntries(db, lang, serviceId, now, limit)]
    .filter((entry) => entry.date <= now)
    .sort((a, b) => b.date.getTime() - a.date.getTime() || a.path.localeCompare(b.path))
    .slice(0, limit);
}
