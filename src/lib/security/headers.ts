// Security headers added to every response, by the Astro middleware and by scripts/serve.ts
// (for static files and for responses served from the response cache, which never reach Astro).
import { FALLBACK_CSP } from './csp.ts';

/** Browsers keep to HTTPS for two years after the last response that carried this value. */
export const HSTS_VALUE = 'max-age=63072000; includeSubDomains';

/** Host names whose X-Forwarded-Proto is trusted, besides the SITE_URL host (as in astro.config.mjs). */
const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

export interface TransportFacts {
  /** The configured public address (SITE_URL). */
  siteUrl: URL;
  /** The X-Forwarded-Proto request header, as received. */
  forwardedProto: string | null | undefined;
  /** The Host request header, as received. */
  host: string | null | undefined;
}

/**
 * Checks whether the client reached the site over HTTPS: SITE_URL is https, or a proxy
 * reported https in X-Forwarded-Proto for a request addressed to an allowed host.
 */
export function isHttpsRequest({ siteUrl, forwardedProto, host }: TransportFacts): boolean {
  if (siteUrl.protocol === 'https:') return true;
  const protocol = forwardedProto?.split(',')[0]?.trim().toLowerCase();
  if (protocol !== 'https' || !host) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  return hostname === siteUrl.hostname || LOOPBACK_HOSTNAMES.has(hostname);
}

/**
 * Builds the headers every response carries. The Content-Security-Policy here is the
 * fallback, which a page rendered by Astro replaces with its own policy with style hashes.
 */
export function securityHeaders(https: boolean): Record<string, string> {
  // Names in lower case, as Astro's responses and the response cache store them, so that
  // merging these objects never yields one header twice.
  const headers: Record<string, string> = {
    'content-security-policy': FALLBACK_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
  };
  // Browsers ignore Strict-Transport-Security received over plain HTTP, and a local run
  // over HTTP must not teach a browser to refuse it later.
  if (https) headers['strict-transport-security'] = HSTS_VALUE;
  return headers;
}

/**
 * Rewrites a Content-Security-Policy so that script-src allows only files from this site.
 * Astro 7 adds the hashes of its island loader scripts to every page's script-src, and
 * this site renders no islands and no inline scripts, so they are dropped.
 */
export function restrictScriptSources(policy: string): string {
  const directives = policy
    .split(';')
    .map((directive) => directive.trim())
    .filter((directive) => directive !== '');
  const rewritten = directives.map((directive) => (/^script-src\s/i.test(directive) ? "script-src 'self'" : directive));
  if (!rewritten.some((directive) => /^script-src\s/i.test(directive))) rewritten.push("script-src 'self'");
  return rewritten.join('; ');
}

/** Sets `headers` on the response, copying it first when its headers are immutable (Response.redirect, fetch). */
export function setHeaders(response: Response, headers: Record<string, string>): Response {
  let target = response;
  try {
    for (const [name, value] of Object.entries(headers)) target.headers.set(name, value);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    target = new Response(response.body, response);
    for (const [name, value] of Object.entries(headers)) target.headers.set(name, value);
  }
  return target;
}

/**
 * Returns the response with the security headers and `extra` set. A Content-Security-Policy
 * already on the response is kept, with its script-src restricted.
 */
export function withSecurityHeaders(response: Response, https: boolean, extra: Record<string, string> = {}): Response {
  const policy = response.headers.get('content-security-policy');
  const headers = { ...securityHeaders(https), ...extra };
  if (policy) headers['content-security-policy'] = restrictScriptSources(policy);
  return setHeaders(response, headers);
}
