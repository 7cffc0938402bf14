// Online backup: `scripts/db-backup.ts`, run while the server takes writes, produces a copy
// that passes PRAGMA integrity_check. Restored by the documented procedure (stop the server,
// copy the file over DATABASE_PATH, start), it serves every write acknowledged before the
// backup began.
// The test starts its own copies of the built server in a temporary folder.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';

const ACCOUNT = { email: 'backup@example.gc.ca', password: 'a long backup passphrase' };
const WRITERS = 2;
// Writes acknowledged before the backup starts, and writes started after it ends.
const WRITES_BEFORE = 10;
const WRITES_AFTER = 5;

interface OwnServer {
  child: ChildProcess;
  origin: string;
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
      if ((await fetch(`${origin}/en/`)).ok) return { child, origin };
    } catch {
      // Not listening yet.
    }
    await new Promise((wait) => setTimeout(wait, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`The server on ${origin} did not start. Log:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
}

async function stopServer(server: OwnServer): Promise<void> {
  server.child.kill('SIGTERM');
  await exited(server.child);
}

function addAdmin(databasePath: string): void {
  const result = spawnSync(process.execPath, ['scripts/user-add.ts', '--email', ACCOUNT.email, '--role', 'admin'], {
    env: { ...process.env, DATABASE_PATH: databasePath },
    input: `${ACCOUNT.password}\n`,
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
}

function postForm(server: OwnServer, cookie: string, path: string, form: Record<string, string>): Promise<Response> {
  return fetch(`${server.origin}${path}`, { method: 'POST', body: new URLSearchParams(form), headers: { cookie, origin: server.origin }, redirect: 'manual' });
}

async function signIn(server: OwnServer): Promise<string> {
  const response = await postForm(server, '', '/admin/login', ACCOUNT);
  expect(response.status).toBe(303);
  const session = response.headers.getSetCookie().find((cookie) => cookie.startsWith('status_session='));
  expect(session).toBeTruthy();
  return session!.split(';')[0]!;
}

/** Runs the backup script without blocking, so that the write stream goes on meanwhile. */
function runBackup(databasePath: string, out: string, ...extra: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, ['scripts/db-backup.ts', '--out', out, ...extra], { env: { ...process.env, DATABASE_PATH: databasePath } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (status) => resolveRun({ status, stdout, stderr }));
  });
}

function integrityCheck(databasePath: string): string {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return (db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

test('backup during writes restores to a working server', async () => {
  test.setTimeout(120_000);
  const folder = mkdtempSync(join(tmpdir(), 'status-backup-'));
  const databasePath = join(folder, 'live', 'status.db');
  const backupPath = join(folder, 'status-backup.db');
  const servers: OwnServer[] = [];
  try {
    mkdirSync(join(folder, 'live'));
    addAdmin(databasePath);
    const server = await startServer(databasePath, join(folder, 'live.log'));
    servers.push(server);
    const cookie = await signIn(server);

    // Writers create services until `stopping` is set, recording when each write started and ended.
    const writes: { slug: string; startedAt: number; acknowledgedAt: number | null; status: number | null }[] = [];
    let stopping = false;
    let counter = 0;
    const writer = async () => {
      while (!stopping) {
        const write = { slug: `backup-${counter++}`, startedAt: performance.now(), acknowledgedAt: null as number | null, status: null as number | null };
        writes.push(write);
        const response = await postForm(server, cookie, '/admin/services/new', { slug: write.slug, nameEn: write.slug, nameFr: write.slug, descriptionEn: '', descriptionFr: '', displayOrder: '1' });
        write.status = response.status;
        if (response.status === 303) write.acknowledgedAt = performance.now();
      }
    };
    const acknowledgedCount = () => writes.filter((write) => write.acknowledgedAt !== null).length;
    const waitFor = async (condition: () => boolean) => {
      while (!condition()) await new Promise((wait) => setTimeout(wait, 10));
    };
    const stream = Promise.all(Array.from({ length: WRITERS }, writer));

    await waitFor(() => acknowledgedCount() >= WRITES_BEFORE);
    const backupStartedAt = performance.now();
    const backup = await runBackup(databasePath, backupPath);
    const backupEndedAt = performance.now();
    await waitFor(() => writes.filter((write) => write.startedAt > backupEndedAt && write.acknowledgedAt !== null).length >= WRITES_AFTER);
    stopping = true;
    await stream;

    expect(backup.stderr).toBe('');
    expect(backup.status).toBe(0);
    expect(backup.stdout).toContain(`Wrote ${backupPath}`);
    expect(backup.stdout).toContain('integrity_check: ok');
    expect(writes.filter((write) => write.status !== 303)).toEqual([]);
    const before = writes.filter((write) => write.acknowledgedAt !== null && write.acknowledgedAt < backupStartedAt).map((write) => write.slug);
    const after = writes.filter((write) => write.startedAt > backupEndedAt).map((write) => write.slug);
    const during = writes.filter((write) => write.startedAt <= backupEndedAt && (write.acknowledgedAt ?? Infinity) >= backupStartedAt).length;
    expect(before.length).toBeGreaterThanOrEqual(WRITES_BEFORE);
    expect(after.length).toBeGreaterThanOrEqual(WRITES_AFTER);
    test.info().annotations.push({ type: 'writes', description: `${before.length} before the backup, ${during} during it, ${after.length} after it` });

    // The backup is one self-contained file.
    expect(existsSync(`${backupPath}-wal`)).toBe(false);
    expect(integrityCheck(backupPath)).toBe('ok');

    // An existing file is kept unless --force is given.
    const original = sha256(backupPath);
    const again = await runBackup(databasePath, backupPath);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already exists');
    expect(sha256(backupPath)).toBe(original);
    const fresh = await runBackup(databasePath, join(folder, 'second.db'));
    expect(fresh.status).toBe(0);
    const replaced = await runBackup(databasePath, join(folder, 'second.db'), '--force');
    expect(replaced.status).toBe(0);
    expect(replaced.stdout).toContain('Wrote');

    // Restore: stop the server, copy the backup over DATABASE_PATH without -wal or -shm, start.
    await stopServer(server);
    const restoredPath = join(folder, 'restored', 'status.db');
    mkdirSync(join(folder, 'restored'));
    copyFileSync(backupPath, restoredPath);
    const restored = await startServer(restoredPath, join(folder, 'restored.log'));
    servers.push(restored);

    const components = (await (await fetch(`${restored.origin}/api/v2/components.json`)).json()) as { components: { name: string }[] };
    const names = new Set(components.components.map((component) => component.name));
    for (const slug of before) expect(names.has(slug), `${slug}, acknowledged before the backup`).toBe(true);
    for (const slug of after) expect(names.has(slug), `${slug}, written after the backup`).toBe(false);

    // The accounts came back too, and the restored server takes writes.
    const restoredCookie = await signIn(restored);
    const write = await postForm(restored, restoredCookie, '/admin/services/new', { slug: 'after-restore', nameEn: 'After restore', nameFr: 'Après la restauration', descriptionEn: '', descriptionFr: '', displayOrder: '1' });
    expect(write.status).toBe(303);
    await stopServer(restored);
    expect(integrityCheck(restoredPath)).toBe('ok');
  } finally {
    for (const { child } of servers) {
      child.kill('SIGKILL');
      await exited(child);
    }
    rmSync(folder, { recursive: true, force: true });
  }
});
