// The reporting period of the metrics page: calendar days in the configured zone.
import { currentTime } from '../clock.ts';
import { addDays } from 'date-fns';
import { fromZonedTime } from 'date-fns-tz';
import type { FieldErrors } from '../errors.ts';
import { formatIsoDate } from '../time.ts';

export const DEFAULT_PERIOD_DAYS = 90;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface Period {
  /** Form values, kept as typed. */
  fromText: string;
  toText: string;
  /** Start of the first day and start of the day after the last, when both are valid. */
  from?: Date;
  to?: Date;
  errors: FieldErrors;
}

function startOfDay(text: string, timeZone: string): Date | undefined {
  if (!ISO_DATE.test(text)) return undefined;
  const date = fromZonedTime(`${text}T00:00:00`, timeZone);
  return Number.isNaN(date.getTime()) || formatIsoDate(date, timeZone) !== text ? undefined : date;
}

/** Reads ?from=YYYY-MM-DD&to=YYYY-MM-DD, defaulting to the last 90 days up to today. */
export function readPeriod(params: URLSearchParams, timeZone: string, now = currentTime()): Period {
  const fromText = params.get('from')?.trim() || formatIsoDate(addDays(now, -DEFAULT_PERIOD_DAYS), timeZone);
  const toText = params.get('to')?.trim() || formatIsoDate(now, timeZone);
  const errors: FieldErrors = {};
  const from = startOfDay(fromText, timeZone);
  const lastDay = startOfDay(toText, timeZone);
  if (!from) errors.from = 'errors.date';
  if (!lastDay) errors.to = 'errors.date';
  if (from && lastDay && lastDay < from) errors.to = 'errors.periodOrder';
  if (!from || !lastDay || errors.to) return { fromText, toText, errors };
  // The day after the last, found in the zone so that a 23- or 25-hour day counts whole.
  const to = startOfDay(formatIsoDate(new Date(lastDay.getTime() + 36 * 3_600_000), timeZone), timeZone)!;
  return { fromText, toText, from, to, errors };
}
