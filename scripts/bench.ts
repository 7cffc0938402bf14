// npm run bench [-- --seconds 10]: measures the public side on this machine and prints the
// figures. Needs a build (npm run build), Debian's wrk, and nginx for the static reference.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { openDatabase } from '../src/lib/db/client.ts';
import { addUser } from '../src/lib/services/users.ts';
import { toDateTimeLocalValue } from '../src/lib/time.ts';
import { meanRenderMs, residentMb, startServer, stop, waitForHttp, wrk, type LoadResult } from './bench/run.ts';
import { seedHistory, type SeedSize } from './bench/seed.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' } } });
const SECONDS = Math.min(Math.max(Number(values.seconds) || 10, 2), 60);
const LOAD_PATHS = ['/en/', '/en/incidents/2', '/en/rss.xml', '/api/v2/summary.json'];
const RENDER_PATHS = ['/en/', '/en/rss.xml', '/api/v2/summary.json', '/en/history', '/en/incidents/2'];
// Both sets have 200 services, so the comparison isolates the growth of the history.
const SMALL: SeedSize = { services: 200, incidents: 10, updatesPerIncident: 4 };
const LARGE: SeedSize = { services: 200, incidents: 10_000, updatesPerIncident: 5 };
const work = mkdtempSync(join(tmpdir(), 'status-bench-'));
// nginx workers run as an unprivileged user and must read the exported files.
chmodSync(work, 0o755);
const ports = { small: 4601, large: 4602, nginx: 4603 };

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const row = (cells: (string | number)[]) => console.log(`| ${cells.join(' | ')} |`);

function prepareDatabase(name: string, size: SeedSize): string {
  const path = join(work, `${name}.db`);
  const db = openDatabase(path);
  seedHistory(db, size);
  db.$client.close();
  return path;
}

async function withServer<T>(name: keyof typeof ports, databasePath: string, action: (base: string, pid: number | undefined) => Promise<T>): Promise<T> {
  const base = `http://127.0.0.1:${ports[name]}`;
  const child = startServer({ DATABASE_PATH: databasePath, HOST: '127.0.0.1', PORT: String(ports[name]), SITE_URL: base });
  try {
    await waitForHttp(`${base}/en/`);
    return await action(base, child.pid);
  } finally {
    await stop(child);
  }
}

async function renderTimes(base: string): Promise<Record<string, number>> {
  const times: Record<string, number> = {};
  for (const path of RENDER_PATHS) times[path] = await meanRenderMs(base, path);
  return times;
}

/** Signs in through the form and returns the session cookie. */
async function signIn(base: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${base}/admin/login`, { method: 'POST', body: new URLSearchParams({ email, password }), redirect: 'manual' });
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error(`Sign-in for the benchmark failed with status ${response.status}`);
  return cookie;
}

/** Time from posting an update until the page, the feed and the JSON all show it. */
async function publishLatency(base: string, databasePath: string): Promise<number> {
  const email = 'bench@example.gc.ca';
  const password = 'benchmark passphrase';
  const db = openDatabase(databasePath);
  await addUser(db, { id: null, email: 'command line', role: 'admin' }, { email, password, role: 'publisher' });
  db.$client.close();
  const cookie = await signIn(base, email, password);
  for (const path of ['/en/incidents/1', '/en/rss.xml', '/api/v2/incidents/unresolved.json']) await fetch(`${base}${path}`);

  const marker = `Benchmark update ${Date.now()}`;
  const adminPage = await (await fetch(`${base}/admin/incidents/1`, { headers: { cookie } })).text();
  const version = adminPage.match(/name="version" value="(\d+)"/)?.[1];
  if (!version) throw new Error('The admin page of incident 1 has no version field');
  const form = new URLSearchParams({
    intent: 'update',
    version,
    status: 'identified',
    summaryEn: marker,
    summaryFr: `${marker} (fr)`,
    usersAffectedKind: 'unknown',
    causeKnown: 'no',
    restorationKnown: 'no',
    nextUpdateAt: toDateTimeLocalValue(new Date(Date.now() + 3_600_000), process.env.STATUS_TIME_ZONE ?? 'America/Toronto'),
  });
  const started = performance.now();
  const posted = await fetch(`${base}/admin/incidents/1`, { method: 'POST', body: form, headers: { cookie }, redirect: 'manual' });
  if (posted.status !== 303) throw new Error(`Posting the benchmark update returned HTTP ${posted.status}; expected 303.`);
  for (;;) {
    const bodies = await Promise.all(['/en/incidents/1', '/en/rss.xml', '/api/v2/incidents/unresolved.json'].map(async (path) => (await fetch(`${base}${path}`)).text()));
    if (bodies.every((body) => body.includes(marker))) return performance.now() - started;
    if (performance.now() - started > 10_000) throw new Error('The update did not appear within 10 seconds');
  }
}

async function pageWeights(base: string): Promise<{ html: number; css: number }> {
  const html = await (await fetch(`${base}/en/`)).text();
  const styles = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((match) => match[1]!);
  const inline = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((match) => match[1]!).join('');
  const css = (await Promise.all(styles.map(async (href) => (await fetch(`${base}${href}`)).text()))).join('') + inline;
  return { html: brotliCompressSync(html).length, css: Math.min(brotliCompressSync(css).length, gzipSync(css).length) };
}

function startNginx(root: string) {
  const config = join(work, 'nginx.conf');
  writeFileSync(
    config,
    `worker_processes 1; daemon off; pid ${join(work, 'nginx.pid')}; error_log ${join(work, 'nginx-error.log')};
events { worker_connections 1024; }
http { access_log off; types { text/html html; application/json json; application/rss+xml xml; image/svg+xml svg; text/css css; }
  server { listen 127.0.0.1:${ports.nginx}; root ${root}; location / { try_files $uri $uri/index.html =404; } } }\n`,
  );
  return spawn('nginx', ['-c', config, '-p', work], { stdio: 'ignore' });
}

async function main(): Promise<void> {
  if (!existsSync('dist/server/entry.mjs')) throw new Error('Build first: npm run build');
  console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${fixed(totalmem() / 2 ** 30)} GiB, Node ${process.version}; wrk on the same cores, ${SECONDS} s per run, 50 connections, loopback.\n`);
  const small = prepareDatabase('small', SMALL);
  const large = prepareDatabase('large', LARGE);

  const live: Record<string, LoadResult> = {};
  const smallRender = await withServer('small', small, async (base, pid) => {
    const times = await renderTimes(base);
    for (const path of LOAD_PATHS) {
      await fetch(`${base}${path}`);
      live[path] = wrk(`${base}${path}`, SECONDS);
    }
    const weights = await pageWeights(base);
    const latency = await publishLatency(base, small);
    return { times, memory: residentMb(pid), weights, latency };
  });
  const largeRender = await withServer('large', large, async (base, pid) => ({ times: await renderTimes(base), memory: residentMb(pid) }));

  const nginx: Record<string, LoadResult> = {};
  const exportDir = join(work, 'export');
  const exported = existsSync('scripts/export.ts') && spawnSync(process.execPath, ['scripts/export.ts', '--out', exportDir], { env: { ...process.env, DATABASE_PATH: small, SITE_URL: `http://127.0.0.1:${ports.nginx}` }, stdio: 'inherit' }).status === 0;
  if (exported) {
    const server = startNginx(resolve(exportDir));
    try {
      await waitForHttp(`http://127.0.0.1:${ports.nginx}/en/`);
      for (const path of LOAD_PATHS) nginx[path] = wrk(`http://127.0.0.1:${ports.nginx}${path}`, SECONDS);
    } finally {
      await stop(server);
    }
  } else {
    console.log('No static export available; the nginx columns are empty.\n');
  }

  console.log('Throughput, live server (cached) against nginx serving the exported files:\n');
  row(['path', 'live req/s', 'live p50 ms', 'live p99 ms', 'nginx req/s', 'nginx p99 ms', 'live/nginx', 'errors']);
  row(['---', '---', '---', '---', '---', '---', '---', '---']);
  for (const path of LOAD_PATHS) {
    const ours = live[path]!;
    const theirs = nginx[path];
    row([path, fixed(ours.requestsPerSecond, 0), fixed(ours.p50Ms, 2), fixed(ours.p99Ms, 2), theirs ? fixed(theirs.requestsPerSecond, 0) : 'n/a', theirs ? fixed(theirs.p99Ms, 2) : 'n/a', theirs ? fixed(ours.requestsPerSecond / theirs.requestsPerSecond, 2) : 'n/a', ours.errors]);
  }

  console.log(`\nPublish to visible on page, feed and JSON: ${fixed(smallRender.latency, 0)} ms\n`);
  console.log('Uncached render time (mean of 30) at 10 and 10,000 incidents:\n');
  row(['path', '10 incidents ms', '10,000 incidents ms', 'ratio']);
  row(['---', '---', '---', '---']);
  for (const path of RENDER_PATHS) row([path, fixed(smallRender.times[path]!, 2), fixed(largeRender.times[path]!, 2), fixed(largeRender.times[path]! / smallRender.times[path]!, 2)]);
  console.log(`\nResident memory: ${fixed(smallRender.memory, 0)} MB at 10 incidents, ${fixed(largeRender.memory, 0)} MB at 10,000 incidents`);
  console.log(`English home page, brotli: HTML ${fixed(smallRender.weights.html / 1024)} KB, CSS ${fixed(smallRender.weights.css / 1024)} KB, total ${fixed((smallRender.weights.html + smallRender.weights.css) / 1024)} KB`);
}

try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
