import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { answer, chooseEncoding, expiryFor, invalidatePublicCache, isCacheablePath, lookup, storeResponse } from '../../src/lib/cache/response-cache.ts';

const html = Buffer.from('<!doctype html><p>'.padEnd(4000, 'x'));
const store = (key: string, expiresAt = Date.now() + 60_000) => storeResponse(key, 200, { 'content-type': 'text/html' }, html, expiresAt);

describe('chooseEncoding', () => {
  it('prefers brotli, then gzip', () => {
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('gzip')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip')).toBe('gzip');
    expect(chooseEncoding(undefined)).toBe('identity');
    expect(chooseEncoding('*')).toBe('br');
  });
});

describe('response cache', () => {
  it('compresses once and answers each encoding', () => {
    const entry = store('/compress');
    const br = answer(entry, 'GET', { acceptEncoding: 'br' });
    const gzip = answer(entry, 'GET', { acceptEncoding: 'gzip' });
    const plain = answer(entry, 'GET', {});
    expect(brotliDecompressSync(br.body!).equals(html)).toBe(true);
    expect(gunzipSync(gzip.body!).equals(html)).toBe(true);
    expect(plain.body?.equals(html)).toBe(true);
    expect(br.headers['content-encoding']).toBe('br');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(new Set([br.headers.etag, gzip.headers.etag, plain.headers.etag]).size).toBe(3);
    expect(br.headers.vary).toBe('Accept-Encoding');
  });

  it('answers 304 for a matching ETag or an unchanged date', () => {
    const entry = store('/validators');
    const first = answer(entry, 'GET', { acceptEncoding: 'gzip' });
    expect(answer(entry, 'GET', { acceptEncoding: 'gzip', ifNoneMatch: first.headers.etag }).status).toBe(304);
    expect(answer(entry, 'GET', { acceptEncoding: 'gzip', ifNoneMatch: '"other"' }).status).toBe(200);
    expect(answer(entry, 'GET', { ifModifiedSince: first.headers['last-modified'] }).status).toBe(304);
    expect(answer(entry, 'HEAD', {}).body).toBeNull();
  });

  it('drops everything on a write and expires on time', () => {
    store('/a');
    store('/b', 1_000);
    expect(lookup('/b', 999)).toBeDefined();
    expect(lookup('/b', 1_000)).toBeUndefined();
    invalidatePublicCache();
    expect(lookup('/a')).toBeUndefined();
  });

  it('expires at the next minute or an earlier boundary', () => {
    expect(expiryFor(90_000)).toBe(120_000);
    expect(expiryFor(90_000, new Date(100_000))).toBe(100_000);
  });

  it('never caches the admin area', () => {
    expect(isCacheablePath('/admin')).toBe(false);
    expect(isCacheablePath('/admin/incidents/1')).toBe(false);
    expect(isCacheablePath('/en/')).toBe(true);
    expect(isCacheablePath('/administration')).toBe(true);
  });
});
