// Value formats of the Statuspage-compatible API: timestamps and update bodies as plain text.
import { formatInTimeZone } from 'date-fns-tz';
import { translator } from '../../i18n.ts';
import type { Language } from '../../vocabulary.ts';
import type { PublicUpdate } from '../read-model.ts';
import { renderUpdate } from '../update-text.ts';

/**
 * Formats an ISO 8601 timestamp with milliseconds and a numeric offset in the page's zone,
 * such as 2026-03-02T14:30:00.000-05:00. The offset is numeric even for UTC (+00:00).
 */
export function isoTimestamp(date: Date, timeZone: string): string {
  return formatInTimeZone(date, timeZone, "yyyy-MM-dd'T'HH:mm:ss.SSSxxx");
}

/** Formats the calendar date (yyyy-MM-dd) of a moment in the page's zone. */
export function isoDate(date: Date, timeZone: string): string {
  return formatInTimeZone(date, timeZone, 'yyyy-MM-dd');
}

/**
 * Writes an incident update as plain text in one language, with the same parts and facts
 * as the pages: the summary, the "now" and "next" points as dashed lists, the facts, and
 * the postmortem link. Parts are separated by a blank line.
 */
export function incidentUpdateText(update: PublicUpdate, lang: Language, postmortemUrl: string | null, timeZone: string): string {
  const t = translator(lang);
  const rendered = renderUpdate(update, lang, postmortemUrl, timeZone);
  const list = (heading: string, points: string[]) => (points.length === 0 ? '' : [heading, ...points.map((point) => `- ${point}`)].join('\n'));
  const parts = [
    rendered.summary,
    list(t('update.now'), rendered.now),
    list(t('update.next'), rendered.next),
    rendered.facts.join(' '),
    rendered.postmortem ? rendered.postmortem.href : '',
  ];
  return parts.filter((part) => part !== '').join('\n\n');
}
