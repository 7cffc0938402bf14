// Calendar months and days in the configured zone, for history pages and uptime bars.
import { fromZonedTime } from 'date-fns-tz';
import { formatIsoDate } from './time.ts';
import type { Language } from './vocabulary.ts';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** "YYYY-MM" of the month that contains the date, in the zone. */
export function monthKeyOf(date: Date, timeZone: string): string {
  return formatIsoDate(date, timeZone).slice(0, 7);
}

export function isMonthKey(value: string): boolean {
  return MONTH.test(value);
}

/** Adds months to a "YYYY-MM" key. */
export function addMonths(key: string, months: number): string {
  const [year, month] = key.split('-').map(Number) as [number, number];
  const index = year * 12 + (month - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Start of the first day of the month, in the zone. */
export function monthStart(key: string, timeZone: string): Date {
  return fromZonedTime(`${key}-01T00:00:00`, timeZone);
}

/** Start of the day "YYYY-MM-DD", in the zone. */
export function dayStart(isoDate: string, timeZone: string): Date {
  return fromZonedTime(`${isoDate}T00:00:00`, timeZone);
}

/** Returns the calendar day after "YYYY-MM-DD". */
export function nextIsoDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
}

/** Names a month: "December 2026" or "décembre 2026". */
export function formatMonth(key: string, lang: Language): string {
  const [year, month] = key.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-CA' : 'fr-CA', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(year, month - 1, 15)));
}
