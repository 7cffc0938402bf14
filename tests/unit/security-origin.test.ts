import { describe, expect, it } from 'vitest';
import { checkRequestOrigin } from '../../src/lib/security/origin-check.ts';

const SITE = 'http://localhost:4321';
const PROXIED_SITE = 'https://status.example.ca';
const OWN_ORIGINS = [SITE, PROXIED_SITE];

function request(method: string, headers: Record<string, string>): Request {
  return new Request(`${SITE}/admin/services/new`, { method, headers, body: method === 'GET' || method === 'HEAD' ? null : '{}' });
}

describe('checkRequestOrigin', () => {
  it.each(['GET', 'HEAD', 'OPTIONS'])('lets %s through from any site', (method) => {
    expect(checkRequestOrigin(request(method, { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://elsewhere.example' }), OWN_ORIGINS)).toEqual({ allowed: true });
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('rejects a cross-site %s of JSON', (method) => {
    const verdict = checkRequestOrigin(request(method, { 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'cross-site' }), OWN_ORIGINS);
    expect(verdict).toEqual({ allowed: false, reason: 'sec-fetch-site', value: 'cross-site' });
  });

  it.each([
    { site: 'same-origin', allowed: true },
    { site: 'none', allowed: true },
    { site: 'same-site', allowed: false },
    { site: 'cross-site', allowed: false },
    { site: 'unexpected-value', allowed: false },
  ])('decides by Sec-Fetch-Site $site first', ({ site, allowed }) => {
    // The Origin header disagrees on purpose: Sec-Fetch-Site, when sent, decides.
    const verdict = checkRequestOrigin(request('POST', { 'Sec-Fetch-Site': site, Origin: allowed ? 'https://elsewhere.example' : SITE }), OWN_ORIGINS);
    expect(verdict.allowed).toBe(allowed);
  });

  it.each([
    { origin: SITE, allowed: true },
    { origin: PROXIED_SITE, allowed: true },
    { origin: 'https://elsewhere.example', allowed: false },
    { origin: 'http://localhost:4322', allowed: false },
    { origin: 'https://localhost:4321', allowed: false },
    { origin: 'null', allowed: false },
  ])('decides by Origin $origin without Sec-Fetch-Site', ({ origin, allowed }) => {
    const verdict = checkRequestOrigin(request('POST', { 'Content-Type': 'application/json', Origin: origin }), OWN_ORIGINS);
    expect(verdict.allowed).toBe(allowed);
  });

  it.each([
    { referer: `${SITE}/admin/incidents/new`, allowed: true },
    { referer: 'https://elsewhere.example/page', allowed: false },
    { referer: 'not a url', allowed: false },
  ])('decides by Referer $referer without the other headers', ({ referer, allowed }) => {
    expect(checkRequestOrigin(request('DELETE', { Referer: referer }), OWN_ORIGINS).allowed).toBe(allowed);
  });

  it('lets a request without browser headers through', () => {
    expect(checkRequestOrigin(request('POST', { 'Content-Type': 'application/json' }), OWN_ORIGINS)).toEqual({ allowed: true });
  });
});
