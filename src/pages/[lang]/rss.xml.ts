// RSS 2.0 feed per language: one item per published update, resolutions included.
import rss from '@astrojs/rss';
import type { APIRoute } from 'astro';
import { absoluteUrl, config } from '../../lib/config.ts';
import { getDb } from '../../lib/db/client.ts';
import { translator } from '../../lib/i18n.ts';
import { homePath, incidentPath } from '../../lib/paths.ts';
import { listFeedEntries } from '../../lib/public/read-model.ts';
import { renderUpdate, updateAsHtml } from '../../lib/public/update-text.ts';
import { isLanguage } from '../../lib/vocabulary.ts';

export const GET: APIRoute = async ({ params }) => {
  const lang = params.lang;
  if (!isLanguage(lang)) return new Response('Not found', { status: 404 });
  const t = translator(lang);
  const entries = listFeedEntries(getDb(), lang);

  return rss({
    title: t('feed.title'),
    description: t('feed.description'),
    site: absoluteUrl(homePath(lang)),
    trailingSlash: false,
    customData: `<language>${lang}-ca</language>`,
    items: entries.map(({ incidentId, incidentTitle, postmortemUrl, update }) => ({
      title: `${incidentTitle} – ${update.kind === 'postmortem' ? t('incident.postmortem') : t(`incidentStatus.${update.status}`)}`,
      link: new URL(`${incidentPath(lang, incidentId)}#update-${update.id}`, config().siteUrl).toString(),
      pubDate: update.postedAt,
      description: updateAsHtml(renderUpdate(update, lang, postmortemUrl), lang),
    })),
  });
};
