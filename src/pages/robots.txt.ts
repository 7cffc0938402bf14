import type { APIRoute } from 'astro';
import { absoluteUrl } from '../lib/config.ts';

export const GET: APIRoute = () =>
  new Response(`User-agent: *\nDisallow: /admin\nSitemap: ${absoluteUrl('/sitemap.xml')}\n`, { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
