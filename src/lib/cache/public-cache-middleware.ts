// Astro middleware step that serves public GET requests from the response cache and fills
// it on a miss.
import type { APIContext, MiddlewareNext } from 'astro';
import { currentTime } from '../clock.ts';
import { getDb } from '../db/client.ts';
import { nextMaintenanceBoundary } from '../public/maintenance-read.ts';
import { answer, cacheVersion, expiryFor, lookup, storeResponse, type CachedResponse } from './response-cache.ts';

/** Response headers that belong to one transfer, not to the stored representation. */
const TRANSFER_HEADERS = new Set(['set-cookie', 'date', 'connection', 'content-length', 'content-encoding', 'transfer-encoding', 'etag', 'last-modified', 'cache-control', 'vary']);
const CACHEABLE_STATUSES = new Set([200, 404]);

async function render(context: APIContext, next: MiddlewareNext, key: string): Promise<CachedResponse | Response> {
  const version = cacheVersion();
  const now = currentTime();
  const response = await next();
  const uncacheable = /\b(no-store|private)\b/.test(response.headers.get('cache-control') ?? '');
  if (!CACHEABLE_STATUSES.has(response.status) || response.headers.has('set-cookie') || uncacheable) return response;

  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!TRANSFER_HEADERS.has(name)) headers[name] = value;
  });
  const body = Buffer.from(await response.arrayBuffer());
  const entry = { status: response.status, headers, body };
  // A write during the render invalidated the cache, so this response is sent but not stored.
  if (cacheVersion() !== version) return new Response(body, { status: response.status, headers });
  return storeResponse(key, entry.status, entry.headers, entry.body, expiryFor(now.getTime(), nextMaintenanceBoundary(getDb(), now)));
}

// Renders in progress, by cache key. Concurrent misses for one page wait for the first
// render instead of each rendering it, so a publish under heavy load costs one render per page.
const inFlight = new Map<string, Promise<CachedResponse | Response>>();

/**
 * Renders a page once for all concurrent misses. Returns the cached entry, the first
 * request's own response when it could not be cached, or undefined to a waiting request
 * whose shared render could not be cached (a response body can be read only once).
 */
async function renderOnce(context: APIContext, next: MiddlewareNext, key: string): Promise<CachedResponse | Response | undefined> {
  const pending = inFlight.get(key);
  if (pending) {
    const shared = await pending;
    return shared instanceof Response ? undefined : shared;
  }
  const started = render(context, next, key);
  inFlight.set(key, started);
  try {
    return await started;
  } finally {
    inFlight.delete(key);
  }
}

export async function servePublicCached(context: APIContext, next: MiddlewareNext): Promise<Response> {
  const { request, url } = context;
  if (request.method !== 'GET' && request.method !== 'HEAD') return next();
  const key = url.pathname + url.search;
  let entry = lookup(key, currentTime().getTime());
  if (!entry) {
    // A HEAD request may render without a body, so only a GET fills the cache.
    if (request.method === 'HEAD') return next();
    const rendered = await renderOnce(context, next, key);
    if (rendered === undefined) return next();
    if (rendered instanceof Response) return rendered;
    entry = rendered;
  }
  const result = answer(entry, request.method, {
    ifNoneMatch: request.headers.get('if-none-match'),
    ifModifiedSince: request.headers.get('if-modified-since'),
    acceptEncoding: request.headers.get('accept-encoding'),
  });
  return new Response(result.body === null ? null : new Uint8Array(result.body), { status: result.status, headers: result.headers });
}
