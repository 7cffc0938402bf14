// History pages: past incidents and maintenance by calendar month, one month a page, so a
// page costs the same however long the history grows. Pages are named by their last month
// and aligned to fixed blocks of months, so paging older and newer never skips or repeats.
import { and, gte, isNull, lt, min, or } from 'drizzle-orm';
import { addMonths, isMonthKey, monthKeyOf, monthStart } from '../calendar.ts';
import type { Db } from '../db/client.ts';
import { incidents, maintenances } from '../db/schema.ts';
import type { Language } from '../vocabulary.ts';
import { listMaintenancesBetween, type PublicMaintenance } from './maintenance-read.ts';
import { toPublicIncidents, type PublicIncident } from './read-model.ts';

export const MONTHS_PER_PAGE = 1;

export interface HistoryMonth {
  key: string;
  incidents: PublicIncident[];
  maintenances: PublicMaintenance[];
}

export interface HistoryPage {
  /** Last month of the page's block, the page's name. */
  key: string;
  /** Newest first; months after the current one are left out. */
  months: HistoryMonth[];
  newer?: string;
  older?: string;
}

/** Returns the page name for a month: the last month of its block of MONTHS_PER_PAGE months. */
export function pageKeyFor(month: string): string {
  const monthNumber = Number(month.slice(5, 7));
  return addMonths(month, (MONTHS_PER_PAGE - (monthNumber % MONTHS_PER_PAGE)) % MONTHS_PER_PAGE);
}

function overlaps(start: Date, end: Date | null, from: Date, to: Date, now: Date): boolean {
  return start < to && (end ?? now) >= from;
}

function earliestMonth(db: Db, timeZone: string): string | undefined {
  const first = db.select({ at: min(incidents.startedAt) }).from(incidents).get()?.at;
  const firstWindow = db.select({ at: min(maintenances.scheduledStart) }).from(maintenances).get()?.at;
  const dates = [first, firstWindow].filter((date): date is Date => date instanceof Date);
  if (dates.length === 0) return undefined;
  return monthKeyOf(new Date(Math.min(...dates.map((date) => date.getTime()))), timeZone);
}

/**
 * Builds a history page. Returns undefined for a malformed month and the canonical page
 * name when `requested` is a month in the middle of a quarter.
 */
export function getHistoryPage(db: Db, lang: Language, requested: string | undefined, now: Date, timeZone: string): HistoryPage | { redirect: string } | undefined {
  const currentMonth = monthKeyOf(now, timeZone);
  if (requested !== undefined && !isMonthKey(requested)) return undefined;
  const key = pageKeyFor(requested ?? currentMonth);
  if (requested !== undefined && requested !== key) return { redirect: key };

  const firstMonth = addMonths(key, -(MONTHS_PER_PAGE - 1));
  const from = monthStart(firstMonth, timeZone);
  const to = monthStart(addMonths(key, 1), timeZone);
  const rows = db
    .select()
    .from(incidents)
    .where(and(lt(incidents.startedAt, to), or(isNull(incidents.endedAt), gte(incidents.endedAt, from))))
    .all()
    .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
  const allIncidents = toPublicIncidents(db, rows, lang);
  const allWindows = listMaintenancesBetween(db, lang, from, to, now);

  const months: HistoryMonth[] = [];
  for (let offset = 0; offset < MONTHS_PER_PAGE; offset += 1) {
    const month = addMonths(key, -offset);
    if (month > currentMonth) continue;
    const start = monthStart(month, timeZone);
    const end = monthStart(addMonths(month, 1), timeZone);
    months.push({
      key: month,
      incidents: allIncidents.filter((incident) => overlaps(incident.startedAt, incident.endedAt, start, end, now)),
      maintenances: allWindows.filter((window) => window.scheduledStart < end && window.scheduledEnd >= start && window.scheduledStart <= now),
    });
  }

  const earliest = earliestMonth(db, timeZone);
  const newerKey = addMonths(key, MONTHS_PER_PAGE);
  const page: HistoryPage = { key, months };
  if (addMonths(newerKey, -(MONTHS_PER_PAGE - 1)) <= currentMonth) page.newer = newerKey;
  if (earliest !== undefined && earliest < firstMonth) page.older = addMonths(key, -MONTHS_PER_PAGE);
  return page;
}
