import type { APIRoute } from 'astro';
import { currentTime } from '../lib/clock.ts';
import { getDb } from '../lib/db/client.ts';
import { buildSitemap } from '../lib/public/sitemap.ts';

export const GET: APIRoute = async () =>
  new Response(await buildSitemap(getDb(), currentTime()), { headers: { 'Content-Type': 'application/xml; charset=utf-8' } });
