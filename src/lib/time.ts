// The shared time formatting functions. Every time shown to a reader goes through here,
// in the configured zone and the page's language.
import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';
import type { Language } from './vocabulary.ts';

const NBSP = '\u00a0';
const LOCALES: Record<Language, string> = { en: 'en-CA', fr: 'fr-CA' };

type Parts = Partial<Record<Intl.DateTimeFormatPartTypes, string>>;

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsOf(date: Date, lang: Language, timeZone: string): Parts {
  const key = `${lang}|${timeZone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(LOCALES[lang], {
      timeZone,
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      hourCycle: lang === 'fr' ? 'h23' : 'h12',
      timeZoneName: 'short',
    });
    formatters.set(key, formatter);
  }
  const parts: Parts = {};
  for (const part of formatter.formatToParts(date)) parts[part.type] = part.value;
  return parts;
}

/** Formats a date as "December 4, 2026" or "4 décembre 2026" (with "1er" for the first). */
export function formatDate(date: Date, lang: Language, timeZone: string): string {
  const p = partsOf(date, lang, timeZone);
  if (lang === 'fr') {
    const day = p.day === '1' ? '1er' : p.day;
    return `${day}${NBSP}${p.month} ${p.year}`;
  }
  return `${p.month} ${p.day}, ${p.year}`;
}

/** Formats a time of day with the zone abbreviation: "2:30 p.m. EST" or "14 h 30 HNE" ("15 h HNE" on the hour). */
export function formatTime(date: Date, lang: Language, timeZone: string): string {
  const p = partsOf(date, lang, timeZone);
  if (lang === 'fr') {
    // fr-CA pads hours to two digits, but Canadian French writes "9 h 05", "0 h 30" and "15 h".
    const minutes = p.minute === '00' ? '' : `${NBSP}${p.minute}`;
    return `${Number(p.hour)}${NBSP}h${minutes}${NBSP}${p.timeZoneName}`;
  }
  const meridiem = p.dayPeriod?.toLowerCase().startsWith('p') ? 'p.m.' : 'a.m.';
  return `${p.hour}:${p.minute}${NBSP}${meridiem} ${p.timeZoneName}`;
}

/** Formats a date and time: "December 4, 2026, 2:30 p.m. EST" or "4 décembre 2026, 14 h 30 HNE". */
export function formatDateTime(date: Date, lang: Language, timeZone: string): string {
  return `${formatDate(date, lang, timeZone)}, ${formatTime(date, lang, timeZone)}`;
}

/** Formats the calendar date in the zone as YYYY-MM-DD, the form for all-numeric dates. */
export function formatIsoDate(date: Date, timeZone: string): string {
  return formatInTimeZone(date, timeZone, 'yyyy-MM-dd');
}

/** Formats an elapsed time in words, to the minute: "2 hours, 15 minutes" or "2 heures et 15 minutes". */
export function formatDuration(milliseconds: number, lang: Language): string {
  const totalMinutes = Math.max(0, Math.round(milliseconds / 60_000));
  const days = Math.floor(totalMinutes / 1440);
  const hours = Math.floor((totalMinutes % 1440) / 60);
  const minutes = totalMinutes % 60;
  // DurationFormat omits zero units, so a zero duration needs its unit shown explicitly.
  const options = totalMinutes === 0 ? { style: 'long' as const, minutesDisplay: 'always' as const } : { style: 'long' as const };
  return new Intl.DurationFormat(LOCALES[lang], options).format({ days, hours, minutes });
}

/** Value for an `<input type="datetime-local">`: the wall-clock time in the zone. */
export function toDateTimeLocalValue(date: Date, timeZone: string): string {
  return formatInTimeZone(date, timeZone, "yyyy-MM-dd'T'HH:mm");
}

const DATETIME_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/**
 * Parses the value of an `<input type="datetime-local">` as a wall-clock time in the zone.
 * Returns undefined for anything that is not such a value or not a real date.
 * NOTE: in the hour repeated when clocks go back, a typed time is read as its first
 * occurrence (daylight time). The form offers no way to choose the second.
 */
export function parseDateTimeLocal(value: string, timeZone: string): Date | undefined {
  if (!DATETIME_LOCAL.test(value)) return undefined;
  const [datePart] = value.split('T');
  const [year, month, day] = datePart.split('-').map(Number);
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  const date = fromZonedTime(value, timeZone);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Names the zone in words, for form hints: "Eastern Time" or "heure de l’Est nord-américaine". */
export function formatZoneName(lang: Language, timeZone: string): string {
  const part = new Intl.DateTimeFormat(LOCALES[lang], { timeZone, timeZoneName: 'longGeneric' })
    .formatToParts(new Date())
    .find((entry) => entry.type === 'timeZoneName');
  return part?.value ?? timeZone;
}
