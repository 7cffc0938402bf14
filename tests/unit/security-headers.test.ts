import { describe, expect, it } from 'vitest';
import { CSP_DIRECTIVES, FALLBACK_CSP } from '../../src/lib/security/csp.ts';
import { HSTS_VALUE, isHttpsRequest, restrictScriptSources, securityHeaders, withSecurityHeaders } from '../../src/lib/security/headers.ts';

const httpSite = new URL('http://localhost:4321');
const httpsSite = new URL('https://status.example.ca');
const publicHttpSite = new URL('http://status.example.ca');

describe('isHttpsRequest', () => {
  it.each([
    { case: 'https SITE_URL', siteUrl: httpsSite, forwardedProto: null, host: 'status.example.ca', expected: true },
    { case: 'http SITE_URL, no proxy', siteUrl: httpSite, forwardedProto: null, host: 'localhost:4321', expected: false },
    { case: 'proxy https to the site host', siteUrl: publicHttpSite, forwardedProto: 'https', host: 'status.example.ca', expected: true },
    { case: 'proxy https to a loopback host', siteUrl: httpSite, forwardedProto: 'https', host: 'localhost:4321', expected: true },
    { case: 'proxy chain, first hop https', siteUrl: publicHttpSite, forwardedProto: 'HTTPS, http', host: 'status.example.ca', expected: true },
    { case: 'proxy http', siteUrl: publicHttpSite, forwardedProto: 'http', host: 'status.example.ca', expected: false },
    { case: 'proxy https to another host', siteUrl: publicHttpSite, forwardedProto: 'https', host: 'elsewhere.example', expected: false },
    { case: 'proxy https without a host', siteUrl: publicHttpSite, forwardedProto: 'https', host: undefined, expected: false },
    { case: 'proxy https to a malformed host', siteUrl: publicHttpSite, forwardedProto: 'https', host: 'bad host/', expected: false },
  ])('$case', ({ siteUrl, forwardedProto, host, expected }) => {
    expect(isHttpsRequest({ siteUrl, forwardedProto, host })).toBe(expected);
  });
});

describe('securityHeaders', () => {
  it('sends the fallback policy, nosniff and the referrer policy', () => {
    const headers = securityHeaders(false);
    expect(headers['content-security-policy']).toBe(FALLBACK_CSP);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  });

  it('sends Strict-Transport-Security over https only', () => {
    expect(securityHeaders(false)['strict-transport-security']).toBeUndefined();
    expect(securityHeaders(true)['strict-transport-security']).toBe(HSTS_VALUE);
  });
});

describe('FALLBACK_CSP', () => {
  it('contains every shared directive', () => {
    for (const directive of CSP_DIRECTIVES) expect(FALLBACK_CSP).toContain(directive);
  });

  it('allows no inline code', () => {
    expect(FALLBACK_CSP).toContain("script-src 'self'");
    expect(FALLBACK_CSP).toContain("style-src 'self'");
    expect(FALLBACK_CSP).not.toContain('unsafe-inline');
    expect(FALLBACK_CSP).not.toContain('unsafe-eval');
  });

  it('forbids framing, plugins and foreign form targets', () => {
    expect(FALLBACK_CSP).toContain("frame-ancestors 'none'");
    expect(FALLBACK_CSP).toContain("object-src 'none'");
    expect(FALLBACK_CSP).toContain("form-action 'self'");
    expect(FALLBACK_CSP).toContain("base-uri 'self'");
  });
});

describe('restrictScriptSources', () => {
  it('drops the hashes Astro adds to script-src', () => {
    const policy = "default-src 'self';img-src 'self' data:; script-src 'self' 'sha256-abc=' 'sha256-def='; style-src 'self' 'sha256-xyz=';";
    expect(restrictScriptSources(policy)).toBe("default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self' 'sha256-xyz='");
  });

  it('adds script-src when the policy has none', () => {
    expect(restrictScriptSources("default-src 'self'")).toBe("default-src 'self'; script-src 'self'");
  });

  it('keeps style hashes', () => {
    expect(restrictScriptSources("style-src 'self' 'sha256-xyz='")).toContain("style-src 'self' 'sha256-xyz='");
  });
});

describe('withSecurityHeaders', () => {
  it('adds the headers and extra values to a response', () => {
    const response = withSecurityHeaders(new Response('ok'), false, { 'X-Request-Id': 'id-1' });
    expect(response.headers.get('content-security-policy')).toBe(FALLBACK_CSP);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-request-id')).toBe('id-1');
  });

  it('keeps a page policy and restricts its script-src', () => {
    const page = new Response('<p>', { headers: { 'Content-Security-Policy': "default-src 'self'; script-src 'self' 'sha256-abc='; style-src 'self' 'sha256-xyz='" } });
    const policy = withSecurityHeaders(page, false).headers.get('content-security-policy');
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('sha256-abc=');
    expect(policy).toContain("'sha256-xyz='");
  });

  it('copies a response whose headers are immutable', async () => {
    const redirect = Response.redirect('http://localhost:4321/en/', 302);
    const response = withSecurityHeaders(redirect, true);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('http://localhost:4321/en/');
    expect(response.headers.get('strict-transport-security')).toBe(HSTS_VALUE);
  });
});
