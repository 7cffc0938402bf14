// The Content-Security-Policy of every response. Astro (security.csp in astro.config.mjs)
// adds `script-src` and `style-src`, with the hashes of the inline styles it emits, to the
// pages it renders. Every other response gets FALLBACK_CSP, whose sources allow no inline
// code at all.

/** Directives other than script-src and style-src, shared by Astro's policy and the fallback. */
export const CSP_DIRECTIVES = [
  "default-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
] as const;

/** Policy for responses Astro does not render as pages: endpoints, static files, cached feeds. */
export const FALLBACK_CSP = [...CSP_DIRECTIVES, "script-src 'self'", "style-src 'self'"].join('; ');
