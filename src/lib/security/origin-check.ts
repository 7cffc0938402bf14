// Rejects state-changing requests that a browser sent on behalf of another site. Astro's
// security.checkOrigin checks form submissions only (Astro 7.4), so JSON and other bodies
// sent with fetch() are checked here, by the same rules.

/** Methods that never change state, as RFC 9110 defines safe methods. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

export type OriginVerdict =
  | { allowed: true }
  | { allowed: false; reason: 'sec-fetch-site' | 'origin' | 'referer'; value: string };

function originOf(value: string): string | undefined {
  try {
    return new URL(value).origin;
  } catch {
    return undefined;
  }
}

/**
 * Decides whether a request may change state. `ownOrigins` are the origins this site is
 * served from: the request URL's and SITE_URL's, which differ behind a TLS proxy.
 *
 * The checks run in order, and the first header present decides:
 * 1. Sec-Fetch-Site, sent by current browsers: only `same-origin` and `none` (typed by the user) pass.
 * 2. Origin, which browsers send with every method but GET and HEAD: it must be one of `ownOrigins`.
 * 3. Referer, for older browsers: its origin must be one of `ownOrigins`.
 * A request with none of them did not come from a browser page, so no other site can have
 * sent it through a user's browser, and it passes.
 */
export function checkRequestOrigin(request: Request, ownOrigins: readonly string[]): OriginVerdict {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return { allowed: true };

  const site = request.headers.get('sec-fetch-site');
  if (site) {
    return site === 'same-origin' || site === 'none' ? { allowed: true } : { allowed: false, reason: 'sec-fetch-site', value: site };
  }

  const origin = request.headers.get('origin');
  if (origin) {
    // A sandboxed frame or a redirect across origins sends the literal "null".
    return ownOrigins.includes(origin) ? { allowed: true } : { allowed: false, reason: 'origin', value: origin };
  }

  const referer = request.headers.get('referer');
  if (referer) {
    const refererOrigin = originOf(referer);
    return refererOrigin && ownOrigins.includes(refererOrigin) ? { allowed: true } : { allowed: false, reason: 'referer', value: refererOrigin ?? 'invalid' };
  }

  return { allowed: true };
}
