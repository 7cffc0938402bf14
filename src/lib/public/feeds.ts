// RSS 2.0 and Atom 1.0 documents for the whole page or one service, in one language.
import { Feed } from 'feed';
import { currentTime } from '../clock.ts';
import { absoluteUrl } from '../config.ts';
import type { Db } from '../db/client.ts';
import { translator } from '../i18n.ts';
import { feedPath, homePath, servicePath, type FeedFormat } from '../paths.ts';
import type { Language } from '../vocabulary.ts';
import { listFeedEntries } from './feed-entries.ts';
import { listServices } from './read-model.ts';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

const CONTENT_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
};

/** Builds the feed document, or returns null for an unknown service. */
export function buildFeed(db: Db, lang: Language, format: FeedFormat, serviceSlug?: string): string | null {
  const t = translator(lang);
  const now = currentTime();
  const service = serviceSlug === undefined ? undefined : listServices(db, lang, now).find((candidate) => candidate.slug === serviceSlug);
  if (serviceSlug !== undefined && !service) return null;

  const entries = listFeedEntries(db, lang, now, service?.id);
  const language = lang === 'en' ? 'en-CA' : 'fr-CA';
  const page = absoluteUrl(service ? servicePath(lang, service.slug) : homePath(lang));
  const feed = new Feed({
    id: page,
    link: page,
    title: service ? t('feed.serviceTitle', { service: service.name }) : t('feed.title'),
    description: t('feed.description'),
    language,
    updated: entries[0]?.date ?? new Date(0),
    generator: false,
    copyright: t('feed.copyright'),
    // Atom requires an author for the feed or for every entry.
    author: { name: t('feed.copyright') },
    feedLinks: { rss: absoluteUrl(feedPath(lang, 'rss', serviceSlug)), atom: absoluteUrl(feedPath(lang, 'atom', serviceSlug)) },
  });
  for (const entry of entries) {
    const url = absoluteUrl(entry.path);
    // The library marks Atom entry titles as HTML, so their user text is escaped for Atom;
    // RSS titles are plain text.
    const title = format === 'atom' ? escapeHtml(entry.title) : entry.title;
    feed.addItem({ id: url, guid: url, link: url, title, date: entry.date, content: entry.html, description: entry.html, category: entry.categories.map((name) => ({ name })) });
  }
  if (format === 'rss') return feed.rss2();
  // The library writes no language for Atom; xml:lang on the root gives it.
  return feed.atom1().replace('<feed xmlns="http://www.w3.org/2005/Atom">', `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${language}">`);
}

export function feedResponse(db: Db, lang: Language, format: FeedFormat, serviceSlug?: string): Response {
  const body = buildFeed(db, lang, format, serviceSlug);
  if (body === null) return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  return new Response(body, { headers: { 'Content-Type': CONTENT_TYPES[format] } });
}
