import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createSession, validateSession } from '../../src/lib/auth/sessions.ts';
import { resetTwoFactor } from '../../src/lib/auth/two-factor.ts';
import type { Db } from '../../src/lib/db/client.ts';
import { auditLog, invitations, sessions } from '../../src/lib/db/schema.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../src/lib/errors.ts';
import type { Actor } from '../../src/lib/services/permissions.ts';
import { isTwoFactorRequired, setTwoFactorRequired } from '../../src/lib/services/settings.ts';
import {
  acceptInvitation,
  addUser,
  authenticate,
  changeOwnPassword,
  changeRole,
  deactivateUser,
  findInvitation,
  getUser,
  inviteUser,
  listPendingInvitations,
  listUsers,
  reactivateUser,
  revokeInvitation,
} from '../../src/lib/services/users.ts';
import type { Role } from '../../src/lib/vocabulary.ts';
import { admin, freshDb } from './helpers.ts';

const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a different long passphrase';
const NOW = new Date('2026-03-02T15:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;

async function createUser(db: Db, email: string, role: Role): Promise<Actor & { id: number }> {
  const id = await addUser(db, admin, { email, password: PASSWORD, role });
  return { id, email, role };
}

function auditActions(db: Db): string[] {
  return db.select({ action: auditLog.action }).from(auditLog).all().map((row) => row.action);
}

function sessionCount(db: Db, userId: number): number {
  return db.select().from(sessions).where(eq(sessions.userId, userId)).all().length;
}

/** Creates an administrator, a publisher and a viewer, as actors with user ids. */
async function team(db: Db) {
  return {
    boss: await createUser(db, 'boss@example.gc.ca', 'admin'),
    pub: await createUser(db, 'pub@example.gc.ca', 'publisher'),
    reader: await createUser(db, 'reader@example.gc.ca', 'viewer'),
  };
}

describe('user management permissions', () => {
  it('rejects publishers and viewers on every call', async () => {
    const db = freshDb();
    const { boss, pub, reader } = await team(db);
    const { token } = inviteUser(db, boss, { email: 'new@example.gc.ca', role: 'viewer' }, NOW);
    const tokenHash = db.select().from(invitations).get()!.tokenHash;
    const before = auditActions(db).length;

    const calls: [string, (actor: Actor) => unknown][] = [
      ['listUsers', (actor) => listUsers(db, actor)],
      ['getUser', (actor) => getUser(db, actor, boss.id)],
      ['listPendingInvitations', (actor) => listPendingInvitations(db, actor, NOW)],
      ['inviteUser', (actor) => inviteUser(db, actor, { email: 'other@example.gc.ca', role: 'admin' }, NOW)],
      ['revokeInvitation', (actor) => revokeInvitation(db, actor, tokenHash, NOW)],
      ['changeRole', (actor) => changeRole(db, actor, reader.id, { role: 'admin' }, NOW)],
      ['deactivateUser', (actor) => deactivateUser(db, actor, boss.id, NOW)],
      ['reactivateUser', (actor) => reactivateUser(db, actor, boss.id, NOW)],
      ['resetTwoFactor', (actor) => resetTwoFactor(db, actor, boss.id, NOW)],
      ['setTwoFactorRequired', (actor) => setTwoFactorRequired(db, actor, { requireTwoFactor: 'on' }, NOW)],
    ];
    for (const actor of [pub, reader]) {
      for (const [name, call] of calls) expect(() => call(actor), `${actor.role} ${name}`).toThrow(ForbiddenError);
    }

    expect(auditActions(db)).toHaveLength(before);
    expect(getUser(db, boss, reader.id).role).toBe('viewer');
    expect(getUser(db, boss, boss.id).deactivatedAt).toBeNull();
    expect(isTwoFactorRequired(db)).toBe(false);
    expect(findInvitation(db, token, NOW)).not.toBeNull();
  });

  it('lets administrators list accounts', async () => {
    const db = freshDb();
    const { boss } = await team(db);
    expect(listUsers(db, boss).map((user) => user.email)).toEqual(['boss@example.gc.ca', 'pub@example.gc.ca', 'reader@example.gc.ca']);
    expect(() => getUser(db, boss, 999)).toThrow(NotFoundError);
  });
});

describe('invitations', () => {
  it('create an account once, with the invited role', async () => {
    const db = freshDb();
    const { boss } = await team(db);
    const { token, expiresAt } = inviteUser(db, boss, { email: ' New@Example.gc.ca ', role: 'publisher' }, NOW);
    expect(expiresAt.getTime() - NOW.getTime()).toBe(7 * DAY_MS);
    expect(findInvitation(db, token, NOW)).toEqual({ email: 'new@example.gc.ca', role: 'publisher' });
    expect(listPendingInvitations(db, boss, NOW).map((row) => row.email)).toEqual(['new@example.gc.ca']);
    // Only the SHA-256 of the token is stored.
    expect(db.select().from(invitations).get()?.tokenHash).not.toBe(token);

    const id = await acceptInvitation(db, token, { password: PASSWORD, passwordConfirm: PASSWORD }, NOW);
    expect((await authenticate(db, 'new@example.gc.ca', PASSWORD))?.id).toBe(id);
    expect(getUser(db, boss, id).role).toBe('publisher');
    expect(findInvitation(db, token, NOW)).toBeNull();
    expect(listPendingInvitations(db, boss, NOW)).toEqual([]);
    await expect(acceptInvitation(db, token, { password: PASSWORD, passwordConfirm: PASSWORD }, NOW)).rejects.toThrow(ValidationError);
    expect(auditActions(db).slice(-2)).toEqual(['user.invite', 'user.inviteAccept']);
  });

  it('expire after 7 days', async () => {
    const db = freshDb();
    const { boss } = await team(db);
    const { token } = inviteUser(db, boss, { email: 'late@example.gc.ca', role: 'viewer' }, NOW);
    const later = new Date(NOW.getTime() + 7 * DAY_MS);
    expect(findInvitation(db, token, new Date(later.getTime() - 1))).not.toBeNull();
    expect(findInvitation(db, token, later)).toBeNull();
    await expect(acceptInvitation(db, token, { password: PASSWORD, passwordConfirm: PASSWORD }, later)).rejects.toThrow(ValidationError);
    expect(await authenticate(db, 'late@example.gc.ca', PASSWORD)).toBeNull();
  });

  it('check the chosen password', async () => {
    const db = freshDb();
    const { boss } = await team(db);
    const { token } = inviteUser(db, boss, { email: 'new@example.gc.ca', role: 'viewer' }, NOW);
    const fieldsOf = (input: unknown) =>
      acceptInvitation(db, token, input, NOW).then(
        () => ({}),
        (error: ValidationError) => error.fieldErrors,
      );
    expect(await fieldsOf({ password: 'short', passwordConfirm: 'short' })).toEqual({ password: 'errors.passwordShort' });
    expect(await fieldsOf({ password: PASSWORD, passwordConfirm: NEW_PASSWORD })).toEqual({ passwordConfirm: 'errors.passwordMismatch' });
    expect(findInvitation(db, token, NOW)).not.toBeNull();
  });

  it('reject an email already in use', async () => {
    const db = freshDb();
    const { boss } = await team(db);
    expect(() => inviteUser(db, boss, { email: 'pub@example.gc.ca', role: 'viewer' }, NOW)).toThrow(ValidationError);
    expect(() => inviteUser(db, boss, { email: 'not an email', role: 'viewer' }, NOW)).toThrow(ValidationError);
    expect(() => inviteUser(db, boss, { email: 'x@example.gc.ca', role: 'owner' }, NOW)).toThrow(ValidationError);
  });

  it('replace an earlier link for the same email', async () => {
    const db = freshDb();
    const { boss } = await team(db);
    const first = inviteUser(db, boss, { email: 'new@example.gc.ca', role: 'viewer' }, NOW);
    const second = inviteUser(db, boss, { email: 'new@example.gc.ca', role: 'publisher' }, NOW);
    expect(findInvitation(db, first.token, NOW)).toBeNull();
    expect(findInvitation(db, second.token, NOW)?.role).toBe('publisher');
  });

  it('stop working once withdrawn', async () => {
    const db = freshDb();
    const { boss } = await team(db);
    const { token } = inviteUser(db, boss, { email: 'new@example.gc.ca', role: 'viewer' }, NOW);
    const [pending] = listPendingInvitations(db, boss, NOW);
    revokeInvitation(db, boss, pending!.tokenHash, NOW);
    expect(findInvitation(db, token, NOW)).toBeNull();
    expect(() => revokeInvitation(db, boss, pending!.tokenHash, NOW)).toThrow(NotFoundError);
    expect(auditActions(db).at(-1)).toBe('user.inviteRevoke');
  });
});

describe('role changes', () => {
  it('end all sessions of the user and are audited', async () => {
    const db = freshDb();
    const { boss, pub } = await team(db);
    const session = createSession(db, pub.id, {}, NOW);
    changeRole(db, boss, pub.id, { role: 'viewer' }, NOW);
    expect(getUser(db, boss, pub.id).role).toBe('viewer');
    expect(validateSession(db, session.token, NOW)).toBeNull();
    const [entry] = db.select().from(auditLog).where(eq(auditLog.action, 'user.role')).all();
    expect(entry?.detail).toEqual({ email: 'pub@example.gc.ca', from: 'publisher', to: 'viewer' });
  });

  it('never remove the last active administrator', async () => {
    const db = freshDb();
    const { boss, pub } = await team(db);
    expect(() => changeRole(db, boss, boss.id, { role: 'publisher' }, NOW)).toThrow(ValidationError);
    expect(() => deactivateUser(db, boss, boss.id, NOW)).toThrow(ValidationError);
    expect(getUser(db, boss, boss.id).role).toBe('admin');

    // With a second active administrator, the first may step down.
    changeRole(db, boss, pub.id, { role: 'admin' }, NOW);
    changeRole(db, boss, boss.id, { role: 'publisher' }, NOW);
    const newAdmin: Actor = { ...pub, role: 'admin' };
    expect(getUser(db, newAdmin, boss.id).role).toBe('publisher');
    expect(() => deactivateUser(db, newAdmin, pub.id, NOW)).toThrow(ValidationError);
  });

  it('do not count deactivated administrators', async () => {
    const db = freshDb();
    const { boss, pub } = await team(db);
    changeRole(db, boss, pub.id, { role: 'admin' }, NOW);
    deactivateUser(db, boss, pub.id, NOW);
    expect(() => changeRole(db, boss, boss.id, { role: 'viewer' }, NOW)).toThrow(ValidationError);
  });

  it('reject an unknown role or user', async () => {
    const db = freshDb();
    const { boss, pub } = await team(db);
    expect(() => changeRole(db, boss, pub.id, { role: 'owner' }, NOW)).toThrow(ValidationError);
    expect(() => changeRole(db, boss, 999, { role: 'viewer' }, NOW)).toThrow(NotFoundError);
  });
});

describe('deactivation', () => {
  it('blocks sign-in and ends sessions until reactivated', async () => {
    const db = freshDb();
    const { boss, pub } = await team(db);
    const session = createSession(db, pub.id, {}, NOW);
    deactivateUser(db, boss, pub.id, NOW);
    expect(sessionCount(db, pub.id)).toBe(0);
    expect(validateSession(db, session.token, NOW)).toBeNull();
    expect(await authenticate(db, 'pub@example.gc.ca', PASSWORD)).toBeNull();
    expect(getUser(db, boss, pub.id).deactivatedAt).toEqual(NOW);

    reactivateUser(db, boss, pub.id, NOW);
    expect((await authenticate(db, 'pub@example.gc.ca', PASSWORD))?.id).toBe(pub.id);
    expect(auditActions(db).slice(-2)).toEqual(['user.deactivate', 'user.reactivate']);
  });
});

describe('password change', () => {
  it('needs the current password', async () => {
    const db = freshDb();
    const { pub } = await team(db);
    await expect(changeOwnPassword(db, pub, { currentPassword: 'wrong password!', password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }, NOW)).rejects.toThrow(ValidationError);
    expect((await authenticate(db, 'pub@example.gc.ca', PASSWORD))?.id).toBe(pub.id);
  });

  it('ends every session of the user', async () => {
    const db = freshDb();
    const { pub, reader } = await team(db);
    createSession(db, pub.id, {}, NOW);
    createSession(db, pub.id, {}, NOW);
    createSession(db, reader.id, {}, NOW);
    await changeOwnPassword(db, pub, { currentPassword: PASSWORD, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }, NOW);
    expect(sessionCount(db, pub.id)).toBe(0);
    expect(sessionCount(db, reader.id)).toBe(1);
    expect(await authenticate(db, 'pub@example.gc.ca', PASSWORD)).toBeNull();
    expect((await authenticate(db, 'pub@example.gc.ca', NEW_PASSWORD))?.id).toBe(pub.id);
    expect(auditActions(db).at(-1)).toBe('user.password');
  });

  it('is not available from the command line', async () => {
    const db = freshDb();
    await expect(changeOwnPassword(db, admin, { currentPassword: PASSWORD, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }, NOW)).rejects.toThrow(ForbiddenError);
  });
});

describe('two-factor requirement setting', () => {
  it('is stored and audited when it changes', async () => {
    const db = freshDb();
    const { boss } = await team(db);
    setTwoFactorRequired(db, boss, { requireTwoFactor: 'on' }, NOW);
    expect(isTwoFactorRequired(db)).toBe(true);
    setTwoFactorRequired(db, boss, { requireTwoFactor: 'on' }, NOW);
    setTwoFactorRequired(db, boss, {}, NOW);
    expect(isTwoFactorRequired(db)).toBe(false);
    const entries = db.select().from(auditLog).where(eq(auditLog.action, 'settings.requireTwoFactor')).all();
    expect(entries.map((entry) => entry.detail)).toEqual([{ required: true }, { required: false }]);
  });
});
