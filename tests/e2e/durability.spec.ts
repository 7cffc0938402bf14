// Crash safety: a server killed with SIGKILL in the middle of a stream of writes must keep
// every write it acknowledged, and leave a database that passes PRAGMA integrity_check.
// The test starts its own copy of the built server on a database in a temporary folder, so
// it neither touches nor depends on the shared end-to-end server.
//
// SIGKILL ends the process but not the operating system, so this covers a crash of the
// server, not a power loss; synchronous=FULL in src/lib/db/client.ts covers the latter.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { hoursAgo } from './support.ts';

const ACCOUNT = { email: 'durability@example.gc.ca', password: 'a long durability passphrase' };
const SERVICE_WRITES = 40;
const UPDATE_WRITES = 20;
const SERVICE_WORKERS = 4;
// The server is killed once this many writes are acknowledged, with others in flight.
const KILL_AFTER_ACKNOWLEDGED = 25;

interface OwnServer {
  child: ChildProcess;
  origin: string;
  logFile: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveExit) => child.once('exit', () => resolveExit()));
}

/** Starts the built server on its own database and port and waits until it responds. */
async function startServer(databasePath: string, logFile: string): Promise<OwnServer> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--max-old-space-size=128', '--max-semi-space-size=4', 'scripts/serve.ts'], {
    env: { ...process.env, DATABASE_PATH: databasePath, PORT: String(port), HOST: '127.0.0.1', SITE_URL: origin, STATUS_TIME_ZONE: 'America/Toronto' },
    stdio: ['ignore', log, log],
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${origin}/en/`)).ok) return { child, origin, logFile };
    } catch {
      // Not listening yet.
    }
    await new Promise((wait) => setTimeout(wait, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`The server on ${origin} did not start. Log:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
}

/** Adds the test's administrator with scripts/user-add.ts, the password on standard input. */
function addAdmin(databasePath: string): void {
  const result = spawnSync(process.execPath, ['scripts/user-add.ts', '--email', ACCOUNT.email, '--role', 'admin'], {
    env: { ...process.env, DATABASE_PATH: databasePath },
    input: `${ACCOUNT.password}\n`,
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
}

function postForm(server: OwnServer, cookie: string, path: string, form: Record<string, string>): Promise<Response> {
  return fetch(`${server.origin}${path}`, {
    method: 'POST',
    body: new URLSearchParams(form),
    headers: { cookie, origin: server.origin },
    redirect: 'manual',
  });
}

/** Signs in through the login form and returns the Cookie header of the session. */
async function signIn(server: OwnServer): Promise<string> {
  const response = await postForm(server, '', '/admin/login', ACCOUNT);
  expect(response.status).toBe(303);
  const session = response.headers.getSetCookie().find((cookie) => cookie.startsWith('status_session='));
  expect(session).toBeTruthy();
  return session!.split(';')[0]!;
}

function integrityCheck(databasePath: string): string {
  const db = new Database(databasePath, { fileMustExist: true });
  try {
    return (db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

test('acknowledged writes survive SIGKILL', async () => {
  test.setTimeout(120_000);
  const folder = mkdtempSync(join(tmpdir(), 'status-durability-'));
  const databasePath = join(folder, 'status.db');
  const servers: OwnServer[] = [];
  try {
    addAdmin(databasePath);
    const server = await startServer(databasePath, join(folder, 'server.log'));
    servers.push(server);
    const cookie = await signIn(server);

    // One incident, so that the stream also posts updates through the incident form.
    const opened = await postForm(server, cookie, '/admin/services/new', { slug: 'durability-base', nameEn: 'Base', nameFr: 'Base', descriptionEn: '', descriptionFr: '', displayOrder: '0' });
    expect(opened.status).toBe(303);
    const newIncidentPage = await (await fetch(`${server.origin}/admin/incidents/new`, { headers: { cookie } })).text();
    const serviceId = newIncidentPage.match(/name="impacts\.(\d+)"/)?.[1];
    expect(serviceId).toBeTruthy();
    const composer = { usersAffectedKind: 'unknown', causeKnown: 'no', restorationKnown: 'no', nextUpdateAt: hoursAgo(-1) };
    const incident = await postForm(server, cookie, '/admin/incidents/new', {
      titleEn: 'Durability', titleFr: 'Durabilité', severity: '3', status: 'investigating',
      startedAt: hoursAgo(1), detectedAt: hoursAgo(1), [`impacts.${serviceId}`]: 'degraded_performance',
      summaryEn: 'First update.', summaryFr: 'Première mise à jour.', ...composer,
    });
    expect(incident.status).toBe(303);
    const incidentId = Number(incident.headers.get('location')?.match(/\/admin\/incidents\/(\d+)/)?.[1]);
    expect(incidentId).toBeGreaterThan(0);

    const acknowledged = { services: [] as string[], updates: [] as string[] };
    const unexpected: string[] = [];
    let killed = false;
    let inFlight = 0;
    let inFlightAtKill = 0;
    const acknowledge = () => {
      if (!killed && acknowledged.services.length + acknowledged.updates.length >= KILL_AFTER_ACKNOWLEDGED) {
        killed = true;
        inFlightAtKill = inFlight;
        server.child.kill('SIGKILL');
      }
    };
    /** Sends one write, counting it as in flight until its response or error. */
    const send = async (path: string, form: Record<string, string>) => {
      inFlight += 1;
      try {
        return await postForm(server, cookie, path, form);
      } finally {
        inFlight -= 1;
      }
    };

    let nextService = 0;
    const serviceWorker = async () => {
      while (!killed && nextService < SERVICE_WRITES) {
        const slug = `durable-${nextService++}`;
        try {
          const response = await send('/admin/services/new', { slug, nameEn: slug, nameFr: slug, descriptionEn: '', descriptionFr: '', displayOrder: '1' });
          if (response.status === 303) acknowledged.services.push(slug);
          else unexpected.push(`${slug}: ${response.status}`);
          acknowledge();
        } catch {
          // The connection broke because the server was killed: neither acknowledged nor lost.
          return;
        }
      }
    };
    const updateWorker = async () => {
      let version = 1;
      for (let index = 0; !killed && index < UPDATE_WRITES; index++) {
        const summaryEn = `Durable update ${index}.`;
        try {
          const response = await send(`/admin/incidents/${incidentId}`, {
            intent: 'update', version: String(version), status: 'identified', summaryEn, summaryFr: `Mise à jour durable ${index}.`, ...composer,
          });
          if (response.status === 303) {
            acknowledged.updates.push(summaryEn);
            version += 1;
          } else {
            unexpected.push(`update ${index}: ${response.status}`);
          }
          acknowledge();
        } catch {
          return;
        }
      }
    };
    await Promise.all([...Array.from({ length: SERVICE_WORKERS }, serviceWorker), updateWorker()]);
    await exited(server.child);

    expect(unexpected).toEqual([]);
    expect(killed, 'the server was killed before the stream ended').toBe(true);
    expect(server.child.signalCode).toBe('SIGKILL');
    expect(acknowledged.services.length + acknowledged.updates.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKNOWLEDGED);
    expect(inFlightAtKill, 'writes were in flight when the server was killed').toBeGreaterThan(0);
    test.info().annotations.push({
      type: 'writes',
      description: `${acknowledged.services.length} services and ${acknowledged.updates.length} updates acknowledged, ${inFlightAtKill} writes in flight at SIGKILL`,
    });

    // The database as the crash left it, before any server opens it again.
    expect(integrityCheck(databasePath)).toBe('ok');
    const crashed = new Database(databasePath, { readonly: true, fileMustExist: true });
    try {
      const slugs = new Set((crashed.prepare('select slug from services').all() as { slug: string }[]).map((row) => row.slug));
      for (const slug of acknowledged.services) expect(slugs.has(slug), `service ${slug}`).toBe(true);
      const bodies = (crashed.prepare('select body_en from incident_updates where incident_id = ? order by id').all(incidentId) as { body_en: string }[]).map((row) => row.body_en);
      for (const body of acknowledged.updates) expect(bodies, body).toContain(body);
      // Each update is one transaction: its row, the incident's version and its audit entry.
      const version = (crashed.prepare('select version from incidents where id = ?').get(incidentId) as { version: number }).version;
      expect(version).toBe(bodies.length);
      const audited = (crashed.prepare("select count(*) as n from audit_log where entity_type = 'incident' and entity_id = ?").get(String(incidentId)) as { n: number }).n;
      expect(audited).toBe(bodies.length);
    } finally {
      crashed.close();
    }

    // A restarted server serves every acknowledged write and accepts new ones.
    const restarted = await startServer(databasePath, join(folder, 'server.log'));
    servers.push(restarted);
    const components = (await (await fetch(`${restarted.origin}/api/v2/components.json`)).json()) as { components: { name: string }[] };
    const names = new Set(components.components.map((component) => component.name));
    for (const slug of acknowledged.services) expect(names.has(slug), `component ${slug}`).toBe(true);
    const publicPage = await (await fetch(`${restarted.origin}/en/incidents/${incidentId}`)).text();
    for (const body of acknowledged.updates) expect(publicPage).toContain(body);
    const after = await postForm(restarted, await signIn(restarted), '/admin/services/new', { slug: 'after-restart', nameEn: 'After', nameFr: 'Après', descriptionEn: '', descriptionFr: '', displayOrder: '2' });
    expect(after.status).toBe(303);

    restarted.child.kill('SIGTERM');
    await exited(restarted.child);
    expect(integrityCheck(databasePath)).toBe('ok');
  } finally {
    for (const { child } of servers) {
      child.kill('SIGKILL');
      await exited(child);
    }
    rmSync(folder, { recursive: true, force: true });
  }
});
