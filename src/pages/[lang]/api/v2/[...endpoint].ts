// Statuspage-compatible API in the path's language at /en/api/v2/ and /fr/api/v2/.
import type { APIRoute } from 'astro';
import { handleStatuspageRequest } from '../../../../lib/public/statuspage-api.ts';

export const ALL: APIRoute = ({ request, params }) => handleStatuspageRequest(request.method, params.lang, params.endpoint);
