import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/lib/db/client.ts';
import { hashPassword, verifyPassword } from '../../src/lib/auth/password.ts';
import { createSession, validateSession } from '../../src/lib/auth/sessions.ts';
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
  it('expire after their maximum age', async () => {
    const db = freshDb();
    const token = createSetupToken(db)!;
    const id = await completeSetup(db, token, { email: 'a@example.gc.ca', password: PASSWORD, passwordConfirm: PASSWORD });
    const session = createSession(db, id);
    expect(validateSession(db, session.token)?.email).toBe('a@example.gc.ca');
    expect(validateSession(db, session.token, new Date(session.expiresAt.getTime() + 1))).toBeNull();
    expect(validateSession(db, 'not-a-token')).toBeNull();
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
