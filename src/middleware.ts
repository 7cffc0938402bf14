// Runs for every request Astro handles: gives it a request id and a logger, rejects writes
// sent from other sites, puts the language, translator and (on admin pages) signed-in user
// on `locals`, and adds the security headers to the response.
import type { APIContext, MiddlewareNext } from 'astro';
import { defineMiddleware } from 'astro:middleware';
import { handleAdminRequest } from './lib/auth/admin-request.ts';
import { servePublicCached } from './lib/cache/public-cache-middleware.ts';
import { config } from './lib/config.ts';
import { closeDb } from './lib/db/client.ts';
import { translator } from './lib/i18n.ts';
import { log } from './lib/log.ts';
import { isHttpsRequest, restrictScriptSources, setHeaders, withSecurityHeaders } from './lib/security/headers.ts';
import { onShutdown } from './lib/security/lifecycle.ts';
import { checkRequestOrigin } from './lib/security/origin-check.ts';
import { currentRequestId, newRequestId, runWithRequestId } from './lib/security/request-context.ts';
import { isLanguage, LANGUAGES } from './lib/vocabulary.ts';

/** Path of the health check, which bypasses the public response cache so that every probe queries the database. */
const HEALTH_PATH = '/healthz';

// scripts/serve.ts runs this hook after the last request in flight has finished. Closing the
// last connection checkpoints the write-ahead log into the database file.
onShutdown('database', () => {
  closeDb();
  log.info('database closed');
});

function isAdminPath(pathname: string): boolean {
  return pathname === '/admin' || pathname.startsWith('/admin/');
}

function rejectCrossOrigin(): Response {
  const message = LANGUAGES.map((lang) => translator(lang)('security.crossOriginRejected')).join('\n');
  return new Response(`${message}\n`, { status: 403, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
}

/** Restricts the page's Content-Security-Policy before the public cache stores the response. */
function restrictPagePolicy(response: Response): Response {
  const policy = response.headers.get('content-security-policy');
  return policy ? setHeaders(response, { 'content-security-policy': restrictScriptSources(policy) }) : response;
}

/** Rejects writes from other sites, then passes the request to the admin guard, the health check or the public cache. */
function route(context: APIContext, next: MiddlewareNext): Promise<Response> | Response {
  const { request, url } = context;
  const verdict = checkRequestOrigin(request, [url.origin, config().siteUrl.origin]);
  if (!verdict.allowed) {
    log.warn({ method: request.method, path: url.pathname, header: verdict.reason, value: verdict.value.slice(0, 200) }, 'cross-origin write rejected');
    return rejectCrossOrigin();
  }

  const render: MiddlewareNext = async (...args) => restrictPagePolicy(await next(...args));
  if (isAdminPath(url.pathname)) return handleAdminRequest(context, render);

  const segment = url.pathname.split('/')[1];
  context.locals.lang = isLanguage(segment) ? segment : 'en';
  context.locals.t = translator(context.locals.lang);
  if (url.pathname === HEALTH_PATH) return render();
  return servePublicCached(context, render);
}

async function handle(context: APIContext, next: MiddlewareNext, requestId: string): Promise<Response> {
  const { request, url } = context;
  context.locals.requestId = requestId;
  context.locals.log = log;
  const https = isHttpsRequest({ siteUrl: config().siteUrl, forwardedProto: request.headers.get('x-forwarded-proto'), host: request.headers.get('host') });

  let response: Response;
  try {
    response = await route(context, next);
  } catch (error) {
    // Astro then renders its 500 page. This line records the stack with the request id.
    log.error({ err: error, method: request.method, path: url.pathname }, 'request failed');
    throw error;
  }
  return withSecurityHeaders(response, https, { 'x-request-id': requestId });
}

export const onRequest = defineMiddleware((context, next) => {
  const requestId = currentRequestId();
  if (requestId) return handle(context, next, requestId);
  // Under `astro dev` or the adapter's own server, scripts/serve.ts has not made an id.
  const created = newRequestId();
  return runWithRequestId(created, () => handle(context, next, created));
});
