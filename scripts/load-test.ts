// Load test of the public side while a publisher keeps posting updates.
//   npm run loadtest [-- --duration 30 --connections 1000 --admin-budget-ms 2000]
//   npm run loadtest -- --url http://localhost:4321 --email admin@example.gc.ca < password.txt
//
// Without --url it starts the built server on a temporary copy of the configured database
// (DATABASE_PATH, or sample data when there is none) and a temporary administrator, so the
// real data is never written. With --url it uses a running server on this machine: it then
// opens, updates and finally resolves an incident titled "Load test" there.
//
// autocannon keeps --connections connections busy with the home page, an incident page, the
// RSS feed and summary.json. Meanwhile a publisher posts an update every second through the
// admin form and a probe loads an admin page every second. The report gives errors, non-2xx
// responses and latency percentiles, checks that every acknowledged update is on the public
// incident page afterwards, and that every admin page responded within --admin-budget-ms.
// The exit code is 1 when a check fails.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { config } from '../src/lib/config.ts';
import { openDatabase } from '../src/lib/db/client.ts';
import { loadSampleData } from '../src/lib/demo/sample-data.ts';
import { addUser } from '../src/lib/services/users.ts';
import { toDateTimeLocalValue } from '../src/lib/time.ts';
import { startServer, stop, waitForHttp } from './bench/run.ts';

/** The parts of autocannon 9's API used here; the package ships no type declarations. */
interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p90: number; p99: number; max: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  resets: number;
  statusCodeStats: Record<string, { count: number }>;
  duration: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const MAX_DURATION_S = 120;
const MAX_CONNECTIONS = 2000;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const PUBLISH_INTERVAL_MS = 1000;
const PROBE_INTERVAL_MS = 1000;
const usage = `Usage: npm run loadtest -- [--duration SECONDS] [--connections N] [--admin-budget-ms MS]
                        [--url http://localhost:PORT --email EMAIL  (password on standard input)]
  --duration         seconds of load, 1 to ${MAX_DURATION_S} (default 30)
  --connections      concurrent public connections, 1 to ${MAX_CONNECTIONS} (default 1000)
  --admin-budget-ms  maximum response time of an admin page during the load, in ms (default 2000)
  --url              a running server on this machine instead of a temporary one
  --email            account that may publish, for --url`;
const ZONE = process.env.STATUS_TIME_ZONE ?? 'America/Toronto';

interface Options {
  durationS: number;
  connections: number;
  adminBudgetMs: number;
  url?: URL;
  email?: string;
}

interface Target {
  origin: string;
  email: string;
  password: string;
  /** Stops what the load test started and checks what it left. Returns the problems found. */
  finish: () => Promise<string[]>;
}

function readOptions(): Options | { message: string; exitCode: number } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        duration: { type: 'string', default: '30' },
        connections: { type: 'string', default: '1000' },
        'admin-budget-ms': { type: 'string', default: '2000' },
        url: { type: 'string' },
        email: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    return { message: `${(error as Error).message}\n${usage}`, exitCode: 2 };
  }
  if (values.help) return { message: usage, exitCode: 0 };

  const durationS = Number(values.duration);
  const connections = Number(values.connections);
  const adminBudgetMs = Number(values['admin-budget-ms']);
  if (!Number.isInteger(durationS) || durationS < 1 || durationS > MAX_DURATION_S) return { message: `--duration must be a whole number of seconds from 1 to ${MAX_DURATION_S}.`, exitCode: 2 };
  if (!Number.isInteger(connections) || connections < 1 || connections > MAX_CONNECTIONS) return { message: `--connections must be a whole number from 1 to ${MAX_CONNECTIONS}.`, exitCode: 2 };
  if (!Number.isFinite(adminBudgetMs) || adminBudgetMs <= 0) return { message: '--admin-budget-ms must be a positive number of milliseconds.', exitCode: 2 };

  const options: Options = { durationS, connections, adminBudgetMs };
  if (typeof values.url === 'string') {
    let url: URL;
    try {
      url = new URL(values.url);
    } catch {
      return { message: `--url "${values.url}" is not a URL; use for example http://localhost:4321.`, exitCode: 2 };
    }
    // The load stays on this machine: a test aimed at another host would be an attack on it.
    if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) return { message: `--url must be http://localhost, http://127.0.0.1 or http://[::1] with a port; got ${url.origin}.`, exitCode: 2 };
    if (typeof values.email !== 'string') return { message: `--url needs --email, with the password on standard input.\n${usage}`, exitCode: 2 };
    options.url = url;
    options.email = values.email;
  }
  return options;
}

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password (input is shown; pipe it in to hide it): ');
  const lines = createInterface({ input: process.stdin, terminal: false });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no free port'))));
    });
  });
}

function integrityCheck(path: string): string {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

/** Starts the built server on a temporary copy of the data, with a temporary administrator. */
async function startOwnServer(): Promise<Target> {
  if (!existsSync('dist/server/entry.mjs')) throw new Error('The server is not built. Run "npm run build" first.');
  const folder = mkdtempSync(join(tmpdir(), 'status-loadtest-'));
  const databasePath = join(folder, 'status.db');
  const source = config().databasePath;
  if (existsSync(source)) {
    // The backup API takes a consistent copy even while a server writes to the source.
    const live = new Database(source, { readonly: true, fileMustExist: true });
    try {
      await live.backup(databasePath);
    } finally {
      live.close();
    }
    console.log(`Data: a copy of ${source}.`);
  }
  const db = openDatabase(databasePath);
  const email = 'load-test@example.gc.ca';
  const password = randomBytes(24).toString('base64url');
  try {
    if (!existsSync(source)) {
      const loaded = loadSampleData(db);
      console.log(`Data: sample data (${loaded.services} services, ${loaded.incidents} incidents), because ${source} does not exist.`);
    }
    await addUser(db, { id: null, email: 'command line', role: 'admin' }, { email, password, role: 'admin' });
  } finally {
    db.$client.close();
  }

  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = startServer({ DATABASE_PATH: databasePath, HOST: '127.0.0.1', PORT: String(port), SITE_URL: origin, STATUS_TIME_ZONE: ZONE });
  await waitForHttp(`${origin}/en/`);
  return {
    origin,
    email,
    password,
    finish: async () => {
      await stop(child);
      const integrity = integrityCheck(databasePath);
      rmSync(folder, { recursive: true, force: true });
      return integrity === 'ok' ? [] : [`PRAGMA integrity_check on the copy: ${integrity}`];
    },
  };
}

function postForm(origin: string, cookie: string, path: string, form: Record<string, string>): Promise<Response> {
  return fetch(`${origin}${path}`, { method: 'POST', body: new URLSearchParams(form), headers: { cookie, origin }, redirect: 'manual' });
}

async function signIn(target: Target): Promise<string> {
  const response = await postForm(target.origin, '', '/admin/login', { email: target.email, password: target.password });
  const cookie = response.headers.getSetCookie().find((value) => value.startsWith('status_session='))?.split(';')[0];
  if (response.status !== 303 || !cookie) throw new Error(`Signing in as ${target.email} failed with status ${response.status}.`);
  return cookie;
}

function composerFields(summaryEn: string, summaryFr: string): Record<string, string> {
  const nextUpdate = toDateTimeLocalValue(new Date(Date.now() + 3_600_000), ZONE);
  return { summaryEn, summaryFr, usersAffectedKind: 'unknown', causeKnown: 'no', restorationKnown: 'no', nextUpdateAt: nextUpdate };
}

async function readVersion(origin: string, cookie: string, incidentId: number): Promise<string> {
  const html = await (await fetch(`${origin}/admin/incidents/${incidentId}`, { headers: { cookie } })).text();
  const version = html.match(/name="version" value="(\d+)"/)?.[1];
  if (!version) throw new Error(`No version field on /admin/incidents/${incidentId}.`);
  return version;
}

/** Opens the incident that the publisher updates, on the first service. Returns its id. */
async function openLoadIncident(origin: string, cookie: string, runId: string): Promise<number> {
  const form = await (await fetch(`${origin}/admin/incidents/new`, { headers: { cookie } })).text();
  const serviceId = form.match(/name="impacts\.(\d+)"/)?.[1];
  if (!serviceId) throw new Error('The load test needs at least one service to open its incident on.');
  const started = toDateTimeLocalValue(new Date(Date.now() - 60_000), ZONE);
  const response = await postForm(origin, cookie, '/admin/incidents/new', {
    titleEn: `Load test ${runId}`,
    titleFr: `Test de charge ${runId}`,
    severity: '3',
    status: 'investigating',
    startedAt: started,
    detectedAt: started,
    [`impacts.${serviceId}`]: 'degraded_performance',
    ...composerFields(`Load test ${runId} opened.`, `Test de charge ${runId} ouvert.`),
  });
  const id = Number(response.headers.get('location')?.match(/\/admin\/incidents\/(\d+)/)?.[1]);
  if (response.status !== 303 || !id) throw new Error(`Opening the load test incident failed with status ${response.status}.`);
  return id;
}

interface Publisher {
  acknowledged: string[];
  failures: string[];
  latenciesMs: number[];
}

/** Posts an update every second until `running()` turns false. */
async function publish(origin: string, cookie: string, incidentId: number, runId: string, running: () => boolean): Promise<Publisher> {
  const result: Publisher = { acknowledged: [], failures: [], latenciesMs: [] };
  let version = await readVersion(origin, cookie, incidentId);
  for (let index = 1; running(); index += 1) {
    const due = performance.now() + PUBLISH_INTERVAL_MS;
    const summaryEn = `Load test ${runId} update ${index}.`;
    const started = performance.now();
    try {
      const response = await postForm(origin, cookie, `/admin/incidents/${incidentId}`, {
        intent: 'update',
        version,
        status: 'identified',
        ...composerFields(summaryEn, `Test de charge ${runId}, mise à jour ${index}.`),
      });
      result.latenciesMs.push(performance.now() - started);
      if (response.status === 303) {
        result.acknowledged.push(summaryEn);
        version = String(Number(version) + 1);
      } else {
        result.failures.push(`update ${index}: status ${response.status}`);
        version = await readVersion(origin, cookie, incidentId);
      }
    } catch (error) {
      result.failures.push(`update ${index}: ${(error as Error).message}`);
    }
    await new Promise((wait) => setTimeout(wait, Math.max(0, due - performance.now())));
  }
  return result;
}

/** Loads admin pages in turn every second until `running()` turns false. Returns their response times. */
async function probeAdmin(origin: string, cookie: string, incidentId: number, running: () => boolean): Promise<{ latenciesMs: number[]; failures: string[] }> {
  const paths = ['/admin', `/admin/incidents/${incidentId}`];
  const latenciesMs: number[] = [];
  const failures: string[] = [];
  for (let index = 0; running(); index += 1) {
    const due = performance.now() + PROBE_INTERVAL_MS;
    const path = paths[index % paths.length]!;
    const started = performance.now();
    try {
      const response = await fetch(`${origin}${path}`, { headers: { cookie }, redirect: 'manual' });
      await response.arrayBuffer();
      latenciesMs.push(performance.now() - started);
      if (response.status !== 200) failures.push(`${path}: status ${response.status}`);
    } catch (error) {
      failures.push(`${path}: ${(error as Error).message}`);
    }
    await new Promise((wait) => setTimeout(wait, Math.max(0, due - performance.now())));
  }
  return { latenciesMs, failures };
}

function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)} ms` : 'n/a');

async function resolveLoadIncident(origin: string, cookie: string, incidentId: number): Promise<void> {
  const response = await postForm(origin, cookie, `/admin/incidents/${incidentId}`, {
    intent: 'resolve',
    version: await readVersion(origin, cookie, incidentId),
    endedAt: toDateTimeLocalValue(new Date(), ZONE),
    noticeEn: 'The load test is over.',
    noticeFr: 'Le test de charge est terminé.',
  });
  if (response.status !== 303) console.error(`Resolving the load test incident ${incidentId} failed with status ${response.status}; resolve it in the admin area.`);
}

async function main(): Promise<number> {
  const options = readOptions();
  if ('message' in options) {
    if (options.exitCode === 0) console.log(options.message);
    else console.error(options.message);
    return options.exitCode;
  }

  const target: Target = options.url
    ? { origin: options.url.origin, email: options.email!, password: await readPassword(), finish: async () => [] }
    : await startOwnServer();
  const problems: string[] = [];
  let incidentId: number | undefined;
  let cookie: string | undefined;
  try {
    cookie = await signIn(target);
    const runId = randomBytes(3).toString('hex');
    incidentId = await openLoadIncident(target.origin, cookie, runId);
    const paths = ['/en/', `/en/incidents/${incidentId}`, '/en/rss.xml', '/api/v2/summary.json'];
    console.log(`Target: ${target.origin}. ${options.connections} connections for ${options.durationS} s on ${paths.join(', ')}.`);

    let loading = true;
    const publisher = publish(target.origin, cookie, incidentId, runId, () => loading);
    const probe = probeAdmin(target.origin, cookie, incidentId, () => loading);
    // One worker thread runs autocannon, so that its work does not delay the publisher and
    // the probe, whose times are measured on this thread.
    const load = await autocannon({
      url: target.origin,
      connections: options.connections,
      duration: options.durationS,
      workers: 1,
      timeout: 10,
      requests: paths.map((path) => ({ method: 'GET', path })),
    });
    loading = false;
    const published = await publisher;
    const admin = await probe;

    const page = await (await fetch(`${target.origin}/en/incidents/${incidentId}`)).text();
    const missing = published.acknowledged.filter((summary) => !page.includes(summary));
    const statusCounts = Object.entries(load.statusCodeStats).map(([code, stats]) => `${code}: ${stats.count}`).join(', ');

    console.log('\nPublic requests (autocannon 9)');
    console.log(`  requests: ${load.requests.total} in ${load.duration.toFixed(1)} s, ${Math.round(load.requests.average)} per second on average`);
    console.log(`  status codes: ${statusCounts || 'none'}`);
    console.log(`  errors: ${load.errors} (timeouts ${load.timeouts}, resets ${load.resets}); non-2xx responses: ${load.non2xx}`);
    console.log(`  latency: p50 ${ms(load.latency.p50)}, p90 ${ms(load.latency.p90)}, p99 ${ms(load.latency.p99)}, max ${ms(load.latency.max)}`);
    console.log('Publisher (one update per second through the admin form)');
    console.log(`  acknowledged: ${published.acknowledged.length}; failed: ${published.failures.length}; on the public page afterwards: ${published.acknowledged.length - missing.length}`);
    console.log(`  response time: p50 ${ms(percentile(published.latenciesMs, 0.5))}, max ${ms(Math.max(...published.latenciesMs))}`);
    console.log(`Admin pages (${admin.latenciesMs.length} loads of /admin and the incident's admin page)`);
    console.log(`  response time: p50 ${ms(percentile(admin.latenciesMs, 0.5))}, p95 ${ms(percentile(admin.latenciesMs, 0.95))}, max ${ms(Math.max(...admin.latenciesMs))}; budget ${options.adminBudgetMs} ms`);

    if (load.errors > 0) problems.push(`${load.errors} public requests failed (timeouts ${load.timeouts}).`);
    if (load.non2xx > 0) problems.push(`${load.non2xx} public responses were not 2xx.`);
    if (published.acknowledged.length === 0) problems.push('No update was acknowledged.');
    problems.push(...published.failures.map((failure) => `Publisher ${failure}.`));
    problems.push(...missing.map((summary) => `Acknowledged but missing from the public page: "${summary}".`));
    problems.push(...admin.failures.map((failure) => `Admin probe ${failure}.`));
    if (admin.latenciesMs.length === 0) problems.push('The admin probe made no request.');
    const slow = admin.latenciesMs.filter((latency) => latency > options.adminBudgetMs).length;
    if (slow > 0) problems.push(`${slow} admin page loads took longer than ${options.adminBudgetMs} ms.`);
  } finally {
    if (options.url && cookie && incidentId) await resolveLoadIncident(target.origin, cookie, incidentId);
    problems.push(...(await target.finish()));
  }

  if (problems.length > 0) {
    console.log(`\nFAILED:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
    return 1;
  }
  console.log('\nAll checks passed.');
  return 0;
}

process.exitCode = await main();
