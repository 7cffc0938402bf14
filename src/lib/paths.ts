// Public URLs, in one place so that pages, feeds, the sitemap and the language toggle agree.
// Path segments that are words are in the page's language.
import type { Language } from './vocabulary.ts';

const HISTORY_SEGMENT: Record<Language, string> = { en: 'history', fr: 'historique' };

export const homePath = (lang: Language) => `/${lang}/`;
export const incidentPath = (lang: Language, id: number) => `/${lang}/incidents/${id}`;
export const maintenancePath = (lang: Language, id: number) => `/${lang}/maintenance/${id}`;
export const servicePath = (lang: Language, slug: string) => `/${lang}/services/${slug}`;

/** History page; without a month, the page that starts at the current month. */
export const historyPath = (lang: Language, month?: string) => `/${lang}/${HISTORY_SEGMENT[lang]}${month ? `/${month}` : ''}`;
export const historySegment = (lang: Language) => HISTORY_SEGMENT[lang];

export type FeedFormat = 'rss' | 'atom';
const FEED_FILE: Record<FeedFormat, string> = { rss: 'rss.xml', atom: 'atom.xml' };

/** The whole page's feed, or one service's when a slug is given. */
export const feedPath = (lang: Language, format: FeedFormat = 'rss', serviceSlug?: string) =>
  serviceSlug ? `${servicePath(lang, serviceSlug)}/${FEED_FILE[format]}` : `/${lang}/${FEED_FILE[format]}`;

export const badgePath = (lang: Language, serviceSlug?: string) => (serviceSlug ? `${servicePath(lang, serviceSlug)}/badge.svg` : `/${lang}/badge.svg`);
export const apiBasePath = (lang?: Language) => (lang ? `/${lang}/api/v2` : '/api/v2');
