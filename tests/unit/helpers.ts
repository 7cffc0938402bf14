import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openDatabase, type Db } from '../../src/lib/db/client.ts';
import type { Actor } from '../../src/lib/services/permissions.ts';

const opened: { db: Db; dir: string }[] = [];

afterEach(() => {
  for (const { db, dir } of opened.splice(0)) {
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Opens a fresh, migrated SQLite file that is removed after the test. */
export function freshDb(): Db {
  const dir = mkdtempSync(join(tmpdir(), 'status-test-'));
  const db = openDatabase(join(dir, 'status.db'));
  opened.push({ db, dir });
  return db;
}

export const admin: Actor = { id: null, email: 'admin@example.gc.ca', role: 'admin' };
export const publisher: Actor = { id: null, email: 'publisher@example.gc.ca', role: 'publisher' };
export const viewer: Actor = { id: null, email: 'viewer@example.gc.ca', role: 'viewer' };
