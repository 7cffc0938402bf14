// Exports the demo data as a static site, serves the folder with sirv as a static host
// would, and checks that every link in it resolves. It uses only Node and `request`, and
// needs the built server, which is why it runs with the end-to-end tests.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { XMLParser } from 'fast-xml-parser';
import Parser from 'rss-parser';
import sirv from 'sirv';

const run = promisify(execFile);

// The public address the export is made for. Nothing is sent to it: links to it are
// checked against the local static server.
const SITE = 'https://status.example.ca';

let workDir = '';
let siteDir = '';
let staticServer: Server | undefined;
let staticBase = '';
let exportOutput = { stdout: '', stderr: '' };

/** Lists every file in the export, relative to its root, with forward slashes. */
function exportedFiles(): string[] {
  return readdirSync(siteDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(siteDir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** Returns the public URL at which a static host serves a file. */
function publicUrlOf(file: string): URL {
  const path = file === 'index.html' ? '/' : file.endsWith('/index.html') ? `/${file.slice(0, -'index.html'.length)}` : `/${file}`;
  return new URL(path, SITE);
}

function decodeHtml(value: string): string {
  return value.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

/** Collects every string in a parsed XML or JSON document, attribute values included. */
function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(allStrings);
  return [];
}

const xmlParser = new XMLParser({ ignoreAttributes: false, parseTagValue: false });
const SITE_URLS = new RegExp(`${SITE.replace(/[.]/g, '\\.')}[^\\s"'<>]*`, 'g');

/** Finds absolute links to the site in strings, including inside the HTML of feed entries. */
function siteUrlsIn(strings: string[]): string[] {
  return strings.flatMap((value) => [...value.matchAll(SITE_URLS)].map((match) => decodeHtml(match[0])));
}

/** Returns the links in one exported file, as written (relative or absolute). */
function linksInFile(file: string): string[] {
  const text = readFileSync(join(siteDir, file), 'utf8');
  if (file.endsWith('.html')) {
    const links = [...text.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((match) => decodeHtml(match[1]!));
    for (const match of text.matchAll(/\ssrcset="([^"]*)"/g)) {
      links.push(...decodeHtml(match[1]!).split(',').map((candidate) => candidate.trim().split(/\s+/)[0]!));
    }
    return links;
  }
  if (file.endsWith('.xml')) return siteUrlsIn(allStrings(xmlParser.parse(text)));
  if (file.endsWith('.json')) return siteUrlsIn(allStrings(JSON.parse(text)));
  if (file.endsWith('.css')) return [...text.matchAll(/url\(\s*['"]?([^'")]+)['"]?\s*\)/g)].map((match) => match[1]!).filter((url) => !url.startsWith('data:'));
  if (file.endsWith('.txt')) return [...text.matchAll(/https?:\/\/\S+/g)].map((match) => match[0]);
  return [];
}

/** Returns the internal links of every file, each with its resolved URL and the file it appears in. */
function internalLinks(): { url: URL; file: string }[] {
  const links: { url: URL; file: string }[] = [];
  for (const file of exportedFiles()) {
    const base = publicUrlOf(file);
    for (const link of linksInFile(file)) {
      if (link.trim() === '' || link.startsWith('#')) continue;
      const url = new URL(link, base);
      if (url.origin === SITE) links.push({ url, file });
    }
  }
  return links;
}

test.beforeAll(async () => {
  test.setTimeout(150_000);
  workDir = mkdtempSync(join(tmpdir(), 'status-export-e2e-'));
  siteDir = join(workDir, 'site');
  const env = { ...process.env, DATABASE_PATH: join(workDir, 'status.db'), SITE_URL: SITE, STATUS_TIME_ZONE: 'America/Toronto', LOG_LEVEL: 'warn' };

  await run(process.execPath, ['scripts/demo.ts'], { env, timeout: 30_000 });
  exportOutput = await run(process.execPath, ['scripts/export.ts', '--out', siteDir], { env, timeout: 120_000 });

  // A static host: sirv serves `/x/` and `/x` from x/index.html. A missing path gets
  // fr/404.html under /fr/ and 404.html elsewhere, as Cloudflare Pages picks the closest 404.html.
  const serve = sirv(siteDir, { dev: false, etag: true });
  staticServer = createServer((request, response) =>
    serve(request, response, () => {
      const french = (request.url ?? '/').startsWith('/fr/');
      response.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end(readFileSync(join(siteDir, french ? 'fr/404.html' : '404.html')));
    }),
  );
  staticServer.listen(0, '127.0.0.1');
  await once(staticServer, 'listening');
  staticBase = `http://127.0.0.1:${(staticServer.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  if (staticServer) await new Promise<void>((resolve) => staticServer!.close(() => resolve()));
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test('export reports progress and a summary', () => {
  expect(exportOutput.stdout).toMatch(/^Exported \d+ pages and documents and \d+ static assets to /m);
  const progress = exportOutput.stderr.split('\n').filter((line) => line.startsWith('exported '));
  expect(progress.length).toBeGreaterThan(0);
  expect(progress.at(-1)).toMatch(/^exported (\d+)\/\1 /);
});

test('pages are written as folder index files', () => {
  for (const file of ['index.html', 'en/index.html', 'fr/index.html', 'en/incidents/1/index.html', 'fr/historique/index.html', '404.html', 'fr/404.html']) {
    expect(existsSync(join(siteDir, file)), file).toBe(true);
  }
  expect(exportedFiles().filter((file) => file.endsWith('.html') && !file.endsWith('index.html') && !file.endsWith('404.html'))).toEqual([]);
});

test('export contains both languages and every document type', async ({ request }) => {
  const pages = [
    { path: '/', type: 'text/html', lang: 'en' },
    { path: '/en/', type: 'text/html', lang: 'en' },
    { path: '/fr/', type: 'text/html', lang: 'fr' },
    { path: '/en/history', type: 'text/html', lang: 'en' },
    { path: '/fr/historique', type: 'text/html', lang: 'fr' },
    { path: '/en/incidents/1', type: 'text/html', lang: 'en' },
    { path: '/fr/incidents/1/', type: 'text/html', lang: 'fr' },
    { path: '/en/services/api', type: 'text/html', lang: 'en' },
  ];
  for (const { path, type, lang } of pages) {
    const response = await request.get(`${staticBase}${path}`);
    expect(response.status(), path).toBe(200);
    expect(response.headers()['content-type'], path).toContain(type);
    expect(await response.text(), path).toContain(`<html lang="${lang}"`);
  }

  const documents = [
    { path: '/en/rss.xml', type: 'xml' },
    { path: '/fr/atom.xml', type: 'xml' },
    { path: '/en/services/api/rss.xml', type: 'xml' },
    { path: '/sitemap.xml', type: 'xml' },
    { path: '/robots.txt', type: 'text/plain' },
    { path: '/api/v2/summary.json', type: 'application/json' },
    { path: '/fr/api/v2/incidents/unresolved.json', type: 'application/json' },
    { path: '/en/badge.svg', type: 'image/svg+xml' },
    { path: '/fr/services/api/badge.svg', type: 'image/svg+xml' },
  ];
  for (const { path, type } of documents) {
    const response = await request.get(`${staticBase}${path}`);
    expect(response.status(), path).toBe(200);
    expect(response.headers()['content-type'], path).toContain(type);
  }
});

test('documents carry the public address', async ({ request }) => {
  const summary = await (await request.get(`${staticBase}/api/v2/summary.json`)).json();
  expect(summary.page.url).toBe(`${SITE}/en/`);
  expect(summary.components.length).toBeGreaterThan(0);
  const french = await (await request.get(`${staticBase}/fr/api/v2/summary.json`)).json();
  expect(french.page.url).toBe(`${SITE}/fr/`);

  const feed = await new Parser().parseString(await (await request.get(`${staticBase}/en/rss.xml`)).text());
  expect(feed.items.length).toBeGreaterThan(0);
  for (const item of feed.items) expect(item.link).toMatch(new RegExp(`^${SITE}/en/(incidents|maintenance)/\\d+`));

  const badge = await (await request.get(`${staticBase}/en/badge.svg`)).text();
  expect(badge).toMatch(/^<svg /);

  const robots = await (await request.get(`${staticBase}/robots.txt`)).text();
  expect(robots).toContain(`Sitemap: ${SITE}/sitemap.xml`);
});

test('incident and maintenance pages exist in both languages', async ({ request }) => {
  const incidents = await (await request.get(`${staticBase}/api/v2/incidents.json`)).json();
  const maintenances = await (await request.get(`${staticBase}/api/v2/scheduled-maintenances.json`)).json();
  expect(incidents.incidents.length).toBeGreaterThan(0);
  for (const item of [...incidents.incidents, ...maintenances.scheduled_maintenances] as { name: string; shortlink: string }[]) {
    const english = new URL(item.shortlink);
    const response = await request.get(`${staticBase}${english.pathname}`);
    expect(response.status(), english.pathname).toBe(200);
    expect(await response.text(), english.pathname).toContain(item.name);

    const frenchPath = english.pathname.replace(/^\/en\//, '/fr/');
    expect((await request.get(`${staticBase}${frenchPath}`)).status(), frenchPath).toBe(200);
  }
});

test('every internal link resolves', async ({ request }) => {
  test.setTimeout(120_000);
  const links = internalLinks();
  // Pages, feeds, the sitemap, CSS and robots.txt must all have contributed links.
  for (const file of ['en/index.html', 'fr/index.html', 'en/rss.xml', 'fr/atom.xml', 'sitemap.xml', 'robots.txt']) {
    expect(links.some((link) => link.file === file), file).toBe(true);
  }
  expect(links.some((link) => link.file.endsWith('.css'))).toBe(true);

  const foundIn = new Map<string, string>();
  for (const { url, file } of links) if (!foundIn.has(url.pathname)) foundIn.set(url.pathname, file);
  const broken: string[] = [];
  for (const [path, file] of foundIn) {
    const response = await request.get(`${staticBase}${path}`, { maxRedirects: 0 });
    if (response.status() !== 200) broken.push(`${path} (HTTP ${response.status()}, linked from ${file})`);
  }
  expect(broken).toEqual([]);
  expect(foundIn.size).toBeGreaterThan(50);
});

test('export contains no admin page or link', () => {
  expect(existsSync(join(siteDir, 'admin'))).toBe(false);
  const adminLinks = internalLinks()
    .filter(({ url }) => url.pathname === '/admin' || url.pathname.startsWith('/admin/'))
    .map(({ url, file }) => `${url.pathname} in ${file}`);
  expect(adminLinks).toEqual([]);
  const loopbackMentions = exportedFiles().filter((file) => /\/\/(127\.0\.0\.1|localhost)[:/]/.test(readFileSync(join(siteDir, file), 'latin1')));
  expect(loopbackMentions).toEqual([]);
});

test('export copies every static asset', () => {
  const clientDir = 'dist/client';
  const assets = readdirSync(clientDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(clientDir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .filter((file) => !file.startsWith('admin/'));
  expect(assets.length).toBeGreaterThan(0);
  for (const file of assets) {
    expect(statSync(join(siteDir, file)).size, file).toBe(statSync(join(clientDir, file)).size);
  }
});

test('missing paths get the not-found page', async ({ request }) => {
  const english = await request.get(`${staticBase}/en/incidents/999999`);
  expect(english.status()).toBe(404);
  expect(await english.text()).toContain('<html lang="en"');

  const french = await request.get(`${staticBase}/fr/nulle-part`);
  expect(french.status()).toBe(404);
  expect(await french.text()).toContain('<html lang="fr"');
});
