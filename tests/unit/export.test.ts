import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { crawl } from '../../src/lib/export/crawl.ts';
import {
  API_ENDPOINTS,
  fixedPaths,
  htmlLinks,
  internalPath,
  isAdminPath,
  jsonLinks,
  outputFileFor,
  pathKey,
  servicePagePaths,
  textLinks,
} from '../../src/lib/export/links.ts';
import { STATUSPAGE_ENDPOINTS } from '../../src/lib/public/statuspage-api.ts';

const SITE = 'https://status.example.ca';
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function temporaryFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'status-export-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('outputFileFor', () => {
  const cases: [string, string, string][] = [
    ['/', 'text/html', 'index.html'],
    ['/en/', 'text/html; charset=utf-8', 'en/index.html'],
    ['/en', 'text/html', 'en/index.html'],
    ['/en/incidents/3', 'text/html', 'en/incidents/3/index.html'],
    ['/en/incidents/3/', 'text/html', 'en/incidents/3/index.html'],
    ['/fr/historique/2026-12', 'text/html', 'fr/historique/2026-12/index.html'],
    ['/about.html', 'text/html', 'about.html'],
    ['/en/rss.xml', 'application/rss+xml; charset=utf-8', 'en/rss.xml'],
    ['/api/v2/incidents/unresolved.json', 'application/json', 'api/v2/incidents/unresolved.json'],
    ['/en/services/api/badge.svg', 'image/svg+xml', 'en/services/api/badge.svg'],
    ['/robots.txt', 'text/plain', 'robots.txt'],
    ['/en/services/caf%C3%A9', 'text/html', 'en/services/café/index.html'],
  ];
  it.each(cases)('maps %s (%s) to %s', (path, contentType, file) => {
    expect(outputFileFor(path, contentType)).toBe(file);
  });

  it('rejects segments that leave the folder', () => {
    expect(() => outputFileFor('/en/%2E%2E/x', 'text/html')).toThrow(/cannot be a file name/);
    expect(() => outputFileFor('/en/a%2Fb', 'text/html')).toThrow(/cannot be a file name/);
  });

  it('rejects non-HTML without an extension', () => {
    expect(() => outputFileFor('/en/feed', 'application/rss+xml')).toThrow(/no file extension/);
    expect(() => outputFileFor('/api/', 'application/json')).toThrow(/no file extension/);
  });
});

describe('isAdminPath', () => {
  it.each([
    ['/admin', true],
    ['/admin/', true],
    ['/admin/incidents/3', true],
    ['/administration', false],
    ['/en/services/admin-website', false],
    ['/en/admin', false],
  ])('%s is %s', (path, expected) => {
    expect(isAdminPath(path)).toBe(expected);
  });
});

describe('pathKey', () => {
  it('drops a trailing slash except on the root', () => {
    expect(pathKey('/en/')).toBe('/en');
    expect(pathKey('/en')).toBe('/en');
    expect(pathKey('/')).toBe('/');
  });
});

describe('internalPath', () => {
  const base = new URL('http://127.0.0.1:4000/en/incidents/3');
  it.each([
    ['/en/', '/en/'],
    ['../history', '/en/history'],
    [`${SITE}/fr/incidents/3#update-10`, '/fr/incidents/3'],
    ['http://127.0.0.1:4000/en/rss.xml', '/en/rss.xml'],
    ['/en/history?page=2', '/en/history'],
    ['  /en/atom.xml  ', '/en/atom.xml'],
  ])('follows %s as %s', (link, expected) => {
    expect(internalPath(link, base, [SITE])).toBe(expected);
  });

  it.each([['#main'], [''], ['https://www.canada.ca/en.html'], ['mailto:ops@example.gc.ca'], ['data:image/png;base64,AAAA'], ['http://[bad']])(
    'ignores %s',
    (link) => {
      expect(internalPath(link, base, [SITE])).toBeUndefined();
    },
  );
});

describe('htmlLinks', () => {
  it('reads href, src and srcset in every quoting style', () => {
    const html = `<!doctype html><html><head><link rel="stylesheet" href="/_astro/a.css"><link rel=alternate href=/en/rss.xml></head>
      <body><a href='/en/incidents/1'>one</a><a class="x" href="/en/history?a=1&amp;b=2">h</a>
      <img alt="a > b" src="/_astro/logo.svg" srcset="/_astro/logo-1x.png 1x, /_astro/logo-2x.png 2x"></body></html>`;
    expect(htmlLinks(html)).toEqual([
      '/_astro/a.css',
      '/en/rss.xml',
      '/en/incidents/1',
      '/en/history?a=1&b=2',
      '/_astro/logo.svg',
      '/_astro/logo-1x.png',
      '/_astro/logo-2x.png',
    ]);
  });

  it('skips comments, script bodies and escaped text', () => {
    const html = `<!-- <a href="/commented"> --><script src="/_astro/app.js">const a = '<a href="/in-script">';</script>
      <p>Write href="/in-text" or &lt;a href="/escaped"&gt;</p><style>a[href="/in-style"] {}</style>`;
    expect(htmlLinks(html)).toEqual(['/_astro/app.js']);
  });
});

describe('textLinks', () => {
  it('finds absolute URLs in XML and decodes references', () => {
    const xml = `<rss><channel><link>${SITE}/en/</link><atom:link href="${SITE}/en/rss.xml" rel="self"/>
      <item><link>${SITE}/en/incidents/3#update-10</link><description><![CDATA[<a href="${SITE}/en/x?a=1&amp;b=2">]]></description></item></channel></rss>`;
    expect(textLinks(xml)).toEqual([`${SITE}/en/`, `${SITE}/en/rss.xml`, `${SITE}/en/incidents/3#update-10`, `${SITE}/en/x?a=1&b=2`]);
  });
});

describe('jsonLinks', () => {
  it('collects URL strings at any depth', () => {
    const document = { page: { url: `${SITE}/en/`, name: 'Status' }, incidents: [{ shortlink: `${SITE}/en/incidents/1`, id: 1, tags: ['/en/not-absolute'] }] };
    expect(jsonLinks(document)).toEqual([`${SITE}/en/`, `${SITE}/en/incidents/1`]);
  });
});

describe('fixedPaths', () => {
  it('lists the API endpoints that the server defines', () => {
    expect([...API_ENDPOINTS]).toEqual([...STATUSPAGE_ENDPOINTS]);
  });

  it('covers feeds, badges and API documents in every language', () => {
    const paths = fixedPaths();
    for (const path of ['/', '/sitemap.xml', '/robots.txt', '/en/', '/fr/', '/en/rss.xml', '/fr/atom.xml', '/fr/badge.svg']) {
      expect(paths).toContain(path);
    }
    for (const base of ['/api/v2', '/en/api/v2', '/fr/api/v2']) {
      for (const endpoint of STATUSPAGE_ENDPOINTS) expect(paths).toContain(`${base}/${endpoint}`);
    }
    expect(new Set(paths).size).toBe(paths.length);
  });
});

describe('servicePagePaths', () => {
  it('adds the feeds and badge of a service page', () => {
    expect(servicePagePaths('/fr/services/api')).toEqual(['/fr/services/api/rss.xml', '/fr/services/api/atom.xml', '/fr/services/api/badge.svg']);
    expect(servicePagePaths('/en/services/api/')).toEqual(['/en/services/api/rss.xml', '/en/services/api/atom.xml', '/en/services/api/badge.svg']);
  });

  it('ignores other paths', () => {
    expect(servicePagePaths('/en/services/api/rss.xml')).toEqual([]);
    expect(servicePagePaths('/de/services/api')).toEqual([]);
    expect(servicePagePaths('/en/incidents/1')).toEqual([]);
  });
});

/** Starts a loopback HTTP server that responds from a table of paths and records each request. */
async function startSite(routes: Record<string, { status?: number; type?: string; body?: string; location?: string }>): Promise<{ url: URL; requests: string[] }> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    requests.push(path);
    const route = routes[path];
    if (!route) {
      response.writeHead(404, { 'Content-Type': 'text/html' }).end(`<p>Not found</p><a href="/">home</a>`);
      return;
    }
    const headers: Record<string, string> = { 'Content-Type': route.type ?? 'text/html; charset=utf-8' };
    if (route.location) headers.Location = route.location;
    response.writeHead(route.status ?? 200, headers).end(route.body ?? '');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`), requests };
}

describe('crawl', () => {
  it('follows links and writes each response as a file', async () => {
    const site = await startSite({
      '/': { body: `<a href="/en/">English</a><a href="${SITE}/fr/">Français</a><a href="https://www.canada.ca/">Canada</a>` },
      '/en/': { body: `<link href="/_astro/a.css" rel="stylesheet"><a href="/en/incidents/1">1</a><a href="/admin">admin</a><a href="/en/services/api">API</a>` },
      '/fr/': { body: `<a href="/fr/incidents/1/">1</a><a href="/en">English</a>` },
      '/en/incidents/1': { body: '<p>Incident</p>' },
      '/fr/incidents/1/': { body: '<p>Incident</p>' },
      '/en/services/api': { body: '<p>API</p>' },
      '/en/services/api/rss.xml': { type: 'application/rss+xml', body: `<rss><channel><link>${SITE}/en/incidents/1#update-2</link></channel></rss>` },
      '/en/services/api/atom.xml': { type: 'application/atom+xml', body: '<feed/>' },
      '/en/services/api/badge.svg': { type: 'image/svg+xml', body: '<svg xmlns="http://www.w3.org/2000/svg"/>' },
      '/api/v2/summary.json': { type: 'application/json', body: JSON.stringify({ page: { url: `${SITE}/en/` } }) },
    });
    const outDir = temporaryFolder();
    const progress: number[] = [];

    const result = await crawl({
      serverUrl: site.url,
      siteOrigin: SITE,
      outDir,
      startPaths: ['/', '/api/v2/summary.json'],
      notFoundPages: [{ path: '/404', file: '404.html' }],
      existingPaths: new Set(['/_astro/a.css']),
      onProgress: ({ done }) => progress.push(done),
    });

    expect(result.failures).toEqual([]);
    expect(result.files).toEqual([
      '404.html',
      'api/v2/summary.json',
      'en/incidents/1/index.html',
      'en/index.html',
      'en/services/api/atom.xml',
      'en/services/api/badge.svg',
      'en/services/api/index.html',
      'en/services/api/rss.xml',
      'fr/incidents/1/index.html',
      'fr/index.html',
      'index.html',
    ]);
    expect(readFileSync(join(outDir, 'en/services/api/rss.xml'), 'utf8')).toContain('<rss>');
    expect(readFileSync(join(outDir, '404.html'), 'utf8')).toContain('Not found');
    expect(site.requests).not.toContain('/admin');
    expect(site.requests).not.toContain('/_astro/a.css');
    expect(site.requests.filter((path) => path === '/en/' || path === '/en')).toHaveLength(1);
    expect(progress.at(-1)).toBe(result.files.length);
  });

  it('reports every failed URL with the page that links to it', async () => {
    const site = await startSite({
      '/': { body: `<a href="/en/">English</a><a href="/en/missing">missing</a><a href="/en/moved">moved</a>` },
      '/en/': { body: `<a href="/en/broken">broken</a><a href="/en/feed">feed</a>` },
      '/en/moved': { status: 301, location: '/en/' },
      '/en/broken': { status: 500, body: 'error' },
      '/en/feed': { type: 'application/rss+xml', body: '<rss/>' },
      '/exists': { body: '<p>A page</p>' },
    });
    const outDir = temporaryFolder();

    const result = await crawl({ serverUrl: site.url, siteOrigin: SITE, outDir, startPaths: ['/'], notFoundPages: [{ path: '/exists', file: '404.html' }] });

    const byPath = Object.fromEntries(result.failures.map((failure) => [failure.path, failure]));
    expect(Object.keys(byPath).sort()).toEqual(['/en/broken', '/en/feed', '/en/missing', '/en/moved', '/exists']);
    expect(byPath['/en/missing']).toEqual({ path: '/en/missing', foundOn: '/', reason: 'returned HTTP 404' });
    expect(byPath['/en/moved']!.reason).toMatch(/redirects \(HTTP 301\) to \/en\//);
    expect(byPath['/en/broken']).toMatchObject({ foundOn: '/en/', reason: 'returned HTTP 500' });
    expect(byPath['/en/feed']!.reason).toMatch(/no file extension/);
    expect(byPath['/exists']).toMatchObject({ foundOn: 'start list', reason: 'returned HTTP 200, expected 404' });
    expect(existsSync(join(outDir, '404.html'))).toBe(false);
  });

  it('stops when the signal aborts', async () => {
    const site = await startSite({ '/': { body: '<a href="/a">a</a>' }, '/a': { body: '' } });
    const controller = new AbortController();
    controller.abort(new Error('stopped by test'));

    await expect(crawl({ serverUrl: site.url, siteOrigin: SITE, outDir: temporaryFolder(), startPaths: ['/'], signal: controller.signal })).rejects.toThrow('stopped by test');
  });
});

describe('export command', () => {
  const runExport = (args: string[]) =>
    spawnSync(process.execPath, ['scripts/export.ts', ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, SITE_URL: SITE } });

  it('requires --out', () => {
    const result = runExport([]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Missing --out DIR');
  });

  it('rejects a non-empty --out folder', () => {
    const outDir = temporaryFolder();
    writeFileSync(join(outDir, 'old.html'), '');
    const result = runExport(['--out', outDir]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('is not empty');
    expect(existsSync(join(outDir, 'old.html'))).toBe(true);
  });

  it('rejects unknown options', () => {
    const result = runExport(['--out', temporaryFolder(), '--outdir', 'x']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("Unknown option '--outdir'");
  });

  it('prints help', () => {
    const result = runExport(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--site-url URL');
  });
});
