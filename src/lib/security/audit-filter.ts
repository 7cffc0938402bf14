// The filters of the audit log page, read from its GET form: user, action and a range of
// calendar days in the configured time zone.
import { fromZonedTime } from 'date-fns-tz';
import type { AuditCriteria } from '../admin/queries.ts';
import type { FieldErrors } from '../errors.ts';
import { formatIsoDate } from '../time.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Longer values cannot match: emails are at most 254 characters, action names far less. */
const MAX_TEXT_LENGTH = 254;

export interface AuditFilterForm {
  /** Form values as typed, to show them again. */
  values: { user: string; action: string; from: string; to: string };
  /** Query criteria, in which `to` is the start of the day after the last day requested. */
  criteria: AuditCriteria;
  /** Page number requested, from 1. */
  page: number;
  errors: FieldErrors;
}

/** Returns the start of day `text` (YYYY-MM-DD) in `timeZone`, or undefined for a date that does not exist. */
export function startOfDay(text: string, timeZone: string): Date | undefined {
  if (!ISO_DATE.test(text)) return undefined;
  const date = fromZonedTime(`${text}T00:00:00`, timeZone);
  return Number.isNaN(date.getTime()) || formatIsoDate(date, timeZone) !== text ? undefined : date;
}

function readText(params: URLSearchParams, name: string): string {
  return (params.get(name) ?? '').trim().slice(0, MAX_TEXT_LENGTH);
}

function readPage(value: string | null): number {
  const page = Number(value);
  return Number.isSafeInteger(page) && page >= 1 ? page : 1;
}

/**
 * Reads ?user=&action=&from=YYYY-MM-DD&to=YYYY-MM-DD&page=N. Every filter is optional and
 * both days are included. A date that does not exist, or an end before the start, is
 * reported in `errors` and leaves `criteria` without dates.
 */
export function readAuditFilter(params: URLSearchParams, timeZone: string): AuditFilterForm {
  const values = { user: readText(params, 'user'), action: readText(params, 'action'), from: readText(params, 'from'), to: readText(params, 'to') };
  const errors: FieldErrors = {};
  const criteria: AuditCriteria = {};
  if (values.user) criteria.actor = values.user;
  if (values.action) criteria.action = values.action;

  const from = values.from ? startOfDay(values.from, timeZone) : undefined;
  const lastDay = values.to ? startOfDay(values.to, timeZone) : undefined;
  if (values.from && !from) errors.from = 'errors.date';
  if (values.to && !lastDay) errors.to = 'errors.date';
  if (from && lastDay && lastDay < from) errors.to = 'errors.periodOrder';
  if (Object.keys(errors).length === 0) {
    if (from) criteria.from = from;
    // The day after the last, found in the zone so that a 23- or 25-hour day counts whole.
    if (lastDay) criteria.to = startOfDay(formatIsoDate(new Date(lastDay.getTime() + 36 * 3_600_000), timeZone), timeZone);
  }
  return { values, criteria, page: readPage(params.get('page')), errors };
}

/** Builds the audit page URL for `page` with the same filters. */
export function auditPageHref(values: AuditFilterForm['values'], page: number): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    if (value) params.set(name, value);
  }
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `/admin/audit?${query}` : '/admin/audit';
}
