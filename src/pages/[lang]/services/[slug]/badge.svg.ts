// Status badge for one service: its name and status, in one language.
import type { APIRoute } from 'astro';
import { getDb } from '../../../../lib/db/client.ts';
import { badgeResponse, serviceBadgeContent } from '../../../../lib/public/badge.ts';
import { listServices } from '../../../../lib/public/read-model.ts';
import { isLanguage } from '../../../../lib/vocabulary.ts';

export const GET: APIRoute = ({ params }) => {
  const lang = params.lang;
  if (!isLanguage(lang)) return new Response('Not found', { status: 404 });
  const service = listServices(getDb(), lang).find((entry) => entry.slug === params.slug);
  if (!service) return new Response('Not found', { status: 404 });
  return badgeResponse(serviceBadgeContent(lang, service));
};
