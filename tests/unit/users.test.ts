import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/lib/db/client.ts';
import { hashPassword, verifyPassword } from '../../src/lib/auth/password.ts';
import { createSession, rotateSession, validateSession } from '../../src/lib/auth/sessions.ts';
import { sessions, users } from '../../src/lib/db/schema.ts';
import { ValidationError } from '../../src/lib/errors.ts';
import { authenticate, completeSetup, createSetupToken, isSetupTokenValid, userCount } from '../../src/lib/services/users.ts';
import { freshDb } from './helpers.ts';

const PASSWORD = 'correct horse battery staple';

describe('password hashing', () => {
  it('verifies the right password only', async () => {
    const hash = await hashPassword(PASSWORD);
    expect(hash.startsWith('scrypt$')).toBe(true);
    expect(await verifyPassword(PASSWORD, hash)).toBe(true);
    expect(await verifyPassword('wrong password here', hash)).toBe(false);
  });
});

describe('first administrator setup', () => {
  it('creates the admin once through the link', async () => {
    const db = freshDb();
    const token = createSetupToken(db);
    expect(token).toBeTruthy();
    await completeSetup(db, token!, { email: 'Admin@Example.gc.ca', password: PASSWORD, passwordConfirm: PASSWORD });
    expect(userCount(db)).toBe(1);
    expect(isSetupTokenValid(db, token!)).toBe(false);
    expect(createSetupToken(db)).toBeNull();
    await expect(completeSetup(db, token!, { email: 'other@example.gc.ca', password: PASSWORD, passwordConfirm: PASSWORD })).rejects.toThrow(ValidationError);
    expect(userCount(db)).toBe(1);
    expect((await authenticate(db, 'admin@example.gc.ca', PASSWORD))?.role).toBe('admin');
  });

  it('rejects mismatched passwords and keeps the link valid', async () => {
    const db = freshDb();
    const token = createSetupToken(db)!;
    await expect(completeSetup(db, token, { email: 'a@example.gc.ca', password: PASSWORD, passwordConfirm: 'something else' })).rejects.toThrow(ValidationError);
    expect(isSetupTokenValid(db, token)).toBe(true);
  });

  it('rejects an unknown token', async () => {
    const db = freshDb();
    createSetupToken(db);
    await expect(completeSetup(db, 'forged', { email: 'a@example.gc.ca', password: PASSWORD, passwordConfirm: PASSWORD })).rejects.toThrow(ValidationError);
    expect(userCount(db)).toBe(0);
  });
});

describe('sessions', () => {
  const start = new Date('2026-03-02T15:00:00Z');
  const minutes = (count: number) => new Date(start.getTime() + count * 60_000);

  async function userWithSession(options: { twoFactorPassed?: boolean } = {}) {
    const db = freshDb();
    const token = createSetupToken(db)!;
    const id = await completeSetup(db, token, { email: 'a@example.gc.ca', password: PASSWORD, passwordConfirm: PASSWORD });
    return { db, id, session: createSession(db, id, options, start) };
  }

  it('expire after their maximum age', async () => {
    const { db, session } = await userWithSession();
    expect(validateSession(db, session.token, start)?.user.email).toBe('a@example.gc.ca');
    // Kept active every 20 minutes, the session still ends 12 hours after sign-in.
    for (let minute = 20; minute < 12 * 60; minute += 20) expect(validateSession(db, session.token, minutes(minute)), `minute ${minute}`).not.toBeNull();
    expect(validateSession(db, session.token, new Date(session.expiresAt.getTime() + 1))).toBeNull();
    expect(validateSession(db, 'not-a-token', start)).toBeNull();
  });

  it('expire after 30 idle minutes', async () => {
    const { db, session } = await userWithSession();
    expect(validateSession(db, session.token, minutes(29))).not.toBeNull();
    expect(validateSession(db, session.token, minutes(58))).not.toBeNull();
    expect(validateSession(db, session.token, minutes(88))).toBeNull();
    // An expired session is deleted, so it stays invalid even at an earlier time.
    expect(validateSession(db, session.token, minutes(60))).toBeNull();
  });

  it('write the last request time at most once a minute', async () => {
    const { db, session } = await userWithSession();
    const lastSeen = () => db.select({ at: sessions.lastSeenAt }).from(sessions).get()?.at?.getTime();
    validateSession(db, session.token, new Date(start.getTime() + 30_000));
    expect(lastSeen()).toBe(start.getTime());
    validateSession(db, session.token, minutes(1));
    expect(lastSeen()).toBe(minutes(1).getTime());
  });

  it('end when the user is deactivated', async () => {
    const { db, id, session } = await userWithSession();
    db.update(users).set({ deactivatedAt: start }).where(eq(users.id, id)).run();
    expect(validateSession(db, session.token, minutes(1))).toBeNull();
    expect(db.select().from(sessions).all()).toHaveLength(0);
  });

  it('give a waiting second factor 10 minutes', async () => {
    const { db, session } = await userWithSession({ twoFactorPassed: false });
    expect(validateSession(db, session.token, minutes(9))?.twoFactorPassed).toBe(false);
    expect(validateSession(db, session.token, minutes(10))).toBeNull();
  });

  it('rotate to a new token', async () => {
    const { db, id, session } = await userWithSession({ twoFactorPassed: false });
    const rotated = rotateSession(db, session.token, id, minutes(1));
    expect(rotated.token).not.toBe(session.token);
    expect(validateSession(db, session.token, minutes(1))).toBeNull();
    expect(validateSession(db, rotated.token, minutes(1))?.twoFactorPassed).toBe(true);
  });
});

describe('user:add command', () => {
  const run = (databasePath: string, args: string[], password: string) =>
    spawnSync(process.execPath, ['scripts/user-add.ts', ...args], {
      input: `${password}\n`,
      env: { ...process.env, DATABASE_PATH: databasePath },
      encoding: 'utf8',
    });

  it('adds a user with the password from standard input', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'status-cli-')), 'status.db');
    const result = run(path, ['--email', 'pub@example.gc.ca', '--role', 'publisher'], PASSWORD);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const db = openDatabase(path);
    expect((await authenticate(db, 'pub@example.gc.ca', PASSWORD))?.role).toBe('publisher');
    db.$client.close();
  });

  it('explains a bad role and a short password', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'status-cli-')), 'status.db');
    const result = run(path, ['--email', 'pub@example.gc.ca', '--role', 'boss'], 'short');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid role');
    expect(result.stderr).toContain('Invalid password');
  });
});
