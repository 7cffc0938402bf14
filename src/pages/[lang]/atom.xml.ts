import type { APIRoute } from 'astro';
import { getDb } from '../../lib/db/client.ts';
import { feedResponse } from '../../lib/public/feeds.ts';
import { isLanguage } from '../../lib/vocabulary.ts';

export const GET: APIRoute = ({ params }) => (isLanguage(params.lang) ? feedResponse(getDb(), params.lang, 'atom') : new Response('Not found', { status: 404 }));
