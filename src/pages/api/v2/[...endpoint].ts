// Statuspage-compatible API in English at /api/v2/, for clients given the site's root address.
import type { APIRoute } from 'astro';
import { handleStatuspageRequest } from '../../../lib/public/statuspage-api.ts';

export const ALL: APIRoute = ({ request, params }) => handleStatuspageRequest(request.method, 'en', params.endpoint);
