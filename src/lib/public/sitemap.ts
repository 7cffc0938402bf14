// The sitemap: every public page, each with its English and French alternates.
import { Readable } from 'node:stream';
import { SitemapStream, streamToPromise, type SitemapItemLoose } from 'sitemap';
import { addMonths, monthKeyOf } from '../calendar.ts';
import { config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { incidents, maintenances } from '../db/schema.ts';
import { historyPath, homePath, incidentPath, maintenancePath, servicePath } from '../paths.ts';
import { LANGUAGES, type Language } from '../vocabulary.ts';
import { MONTHS_PER_PAGE, pageKeyFor } from './history.ts';
import { listServices } from './read-model.ts';

type PathOf = (lang: Language) => string;

/** Builds one entry per language, each listing both languages as alternates. */
function bilingual(pathOf: PathOf, lastmod?: Date): SitemapItemLoose[] {
  const links = LANGUAGES.map((lang) => ({ lang, url: pathOf(lang) }));
  return LANGUAGES.map((lang) => ({ url: pathOf(lang), links, ...(lastmod ? { lastmod: lastmod.toISOString() } : {}) }));
}

function historyPages(db: Db, now: Date, timeZone: string): string[] {
  const starts = [
    ...db.select({ at: incidents.startedAt }).from(incidents).orderBy(incidents.startedAt).limit(1).all(),
    ...db.select({ at: maintenances.scheduledStart }).from(maintenances).orderBy(maintenances.scheduledStart).limit(1).all(),
  ].map((row) => row.at.getTime());
  const current = pageKeyFor(monthKeyOf(now, timeZone));
  const earliest = starts.length === 0 ? current : pageKeyFor(monthKeyOf(new Date(Math.min(...starts)), timeZone));
  const pages: string[] = [];
  for (let key = current; key >= earliest; key = addMonths(key, -MONTHS_PER_PAGE)) pages.push(key);
  return pages;
}

export async function buildSitemap(db: Db, now: Date): Promise<string> {
  const { siteUrl, timeZone } = config();
  const items: SitemapItemLoose[] = [
    { url: '/' },
    ...bilingual(homePath),
    ...bilingual((lang) => historyPath(lang)),
    ...historyPages(db, now, timeZone).flatMap((key) => bilingual((lang) => historyPath(lang, key))),
    ...listServices(db, 'en', now).flatMap((service) => bilingual((lang) => servicePath(lang, service.slug))),
    ...db
      .select({ id: incidents.id, updatedAt: incidents.updatedAt })
      .from(incidents)
      .all()
      .flatMap((row) => bilingual((lang) => incidentPath(lang, row.id), row.updatedAt)),
    ...db
      .select({ id: maintenances.id, updatedAt: maintenances.updatedAt })
      .from(maintenances)
      .all()
      .flatMap((row) => bilingual((lang) => maintenancePath(lang, row.id), row.updatedAt)),
  ];
  const stream = new SitemapStream({ hostname: siteUrl.origin, xmlns: { news: false, video: false, image: false, xhtml: true } });
  return (await streamToPromise(Readable.from(items).pipe(stream))).toString('utf8');
}
