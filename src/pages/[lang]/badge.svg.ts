// Status badge for the whole page: the site name and the overall status, in one language.
import type { APIRoute } from 'astro';
import { getDb } from '../../lib/db/client.ts';
import { badgeResponse, siteBadgeContent } from '../../lib/public/badge.ts';
import { getHomeView } from '../../lib/public/read-model.ts';
import { isLanguage } from '../../lib/vocabulary.ts';

export const GET: APIRoute = ({ params }) => {
  const lang = params.lang;
  if (!isLanguage(lang)) return new Response('Not found', { status: 404 });
  const { overallStatus } = getHomeView(getDb(), lang);
  return badgeResponse(siteBadgeContent(lang, overallStatus));
};
