// In-memory cache of public responses. A hit costs no render and no query: the body and
// its gzip and brotli forms are computed once per data version. Every write invalidates
// the whole cache, because writes are rare and a render is cheap. Each entry also expires
// at the next minute or at the next maintenance boundary, whichever comes first, so that
// time-driven changes show on time without an admin action.
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export type Encoding = 'br' | 'gzip' | 'identity';

interface Variant {
  body: Buffer;
  etag: string;
}

export interface CachedResponse {
  status: number;
  headers: Record<string, string>;
  variants: Record<Encoding, Variant>;
  lastModified: string;
  expiresAt: number;
}

export interface CacheAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer | null;
}

/**
 * Cache-Control for public responses. Browsers revalidate every time (a cheap 304), so a
 * reader sees a publish on the next load. A CDN keeps a copy for 10 seconds, may serve it
 * a minute longer while it refreshes, and for a day if this server fails.
 */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=0, s-maxage=10, stale-while-revalidate=60, stale-if-error=86400';
const COMPRESSIBLE = /^(text\/|application\/(json|xml|rss\+xml|atom\+xml)|image\/svg\+xml)/;
const MAX_ENTRIES = 5000;
const MINUTE_MS = 60_000;

interface Store {
  entries: Map<string, CachedResponse>;
  version: number;
  /** When the data last changed, for Last-Modified. */
  changedAt: Date;
}

// The Astro bundle and the start script each load their own copy of this module, so the
// store lives on globalThis for both to share.
const STORE_KEY = Symbol.for('status.responseCache');
function store(): Store {
  const global = globalThis as { [STORE_KEY]?: Store };
  global[STORE_KEY] ??= { entries: new Map(), version: 0, changedAt: new Date(Math.floor(Date.now() / 1000) * 1000) };
  return global[STORE_KEY];
}

/** Drops every cached response; called by every write. */
export function invalidatePublicCache(at = new Date()): void {
  const state = store();
  state.entries.clear();
  state.version += 1;
  state.changedAt = new Date(Math.floor(at.getTime() / 1000) * 1000);
}

export function cacheVersion(): number {
  return store().version;
}

/** Picks the best encoding the client accepts: brotli, then gzip, then none. */
export function chooseEncoding(acceptEncoding: string | null | undefined): Encoding {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (!name) continue;
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    accepted.set(name, q ? Number(q.slice(2)) : 1);
  }
  const allowed = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (allowed('br')) return 'br';
  if (allowed('gzip')) return 'gzip';
  return 'identity';
}

function variant(body: Buffer, hash: string, suffix: string): Variant {
  return { body, etag: `"${hash}${suffix}"` };
}

/** Stores a rendered response, compressing it once. Returns the stored entry. */
export function storeResponse(key: string, status: number, headers: Record<string, string>, body: Buffer, expiresAt: number): CachedResponse {
  const state = store();
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 27);
  const compressible = COMPRESSIBLE.test(headers['content-type'] ?? '');
  const entry: CachedResponse = {
    status,
    headers,
    variants: {
      identity: variant(body, hash, ''),
      gzip: compressible ? variant(gzipSync(body, { level: 9 }), hash, '-gz') : variant(body, hash, ''),
      br: compressible ? variant(brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }), hash, '-br') : variant(body, hash, ''),
    },
    lastModified: state.changedAt.toUTCString(),
    expiresAt,
  };
  if (state.entries.size >= MAX_ENTRIES) state.entries.delete(state.entries.keys().next().value!);
  state.entries.set(key, entry);
  return entry;
}

export function lookup(key: string, now = Date.now()): CachedResponse | undefined {
  const entry = store().entries.get(key);
  if (entry && entry.expiresAt <= now) {
    store().entries.delete(key);
    return undefined;
  }
  return entry;
}

/** Builds the response to a request from a cached entry, with a 304 for a matching validator. */
export function answer(entry: CachedResponse, method: string, requestHeaders: { ifNoneMatch?: string | null; ifModifiedSince?: string | null; acceptEncoding?: string | null }): CacheAnswer {
  const encoding = chooseEncoding(requestHeaders.acceptEncoding);
  const chosen = entry.variants[encoding];
  const headers: Record<string, string> = {
    ...entry.headers,
    etag: chosen.etag,
    'last-modified': entry.lastModified,
    'cache-control': PUBLIC_CACHE_CONTROL,
    vary: 'Accept-Encoding',
  };
  const validators = requestHeaders.ifNoneMatch?.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  const notModified = validators
    ? validators.includes(chosen.etag) || validators.includes('*')
    : requestHeaders.ifModifiedSince != null && Date.parse(requestHeaders.ifModifiedSince) >= Date.parse(entry.lastModified);
  if (notModified && entry.status === 200) return { status: 304, headers, body: null };
  // Bodies that are not worth compressing share the identity bytes and get no encoding.
  if (chosen.body !== entry.variants.identity.body) headers['content-encoding'] = encoding;
  headers['content-length'] = String(chosen.body.length);
  return { status: entry.status, headers, body: method === 'HEAD' ? null : chosen.body };
}

/** Time at which a response rendered now stops being fresh: the next minute or `boundary`. */
export function expiryFor(now: number, boundary?: Date | null): number {
  const nextMinute = (Math.floor(now / MINUTE_MS) + 1) * MINUTE_MS;
  return boundary ? Math.min(nextMinute, boundary.getTime()) : nextMinute;
}

/** Public responses may be cached; the admin area and anything per user never are. */
export function isCacheablePath(pathname: string): boolean {
  return !(pathname === '/admin' || pathname.startsWith('/admin/'));
}
