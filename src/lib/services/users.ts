// Accounts: the first administrator's setup link, invitations, roles, deactivation,
// passwords, and checking a password at sign-in.
import { currentTime } from '../clock.ts';
import { and, asc, count, desc, eq, gt, isNull, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { invitations, setupTokens, users } from '../db/schema.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { decoyPasswordHash, hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, verifyPassword } from '../auth/password.ts';
import { endUserSessions, generateToken, hashToken, type Queryable, type SessionUser } from '../auth/sessions.ts';
import { ROLES, type Role } from '../vocabulary.ts';
import { recordAudit, type Transaction } from './audit.ts';
import { requirePermission, type Actor } from './permissions.ts';
import { parseInput } from './validation.ts';

const SETUP_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const email = z.string().trim().toLowerCase().min(1, 'errors.required').max(254, 'errors.tooLong').pipe(z.email('errors.email'));
const password = z.string().min(PASSWORD_MIN_LENGTH, 'errors.passwordShort').max(PASSWORD_MAX_LENGTH, 'errors.tooLong');
const role = z.enum(ROLES);

export const newUserInput = z.object({ email, password, role });

const setupInput = z
  .object({ email, password, passwordConfirm: z.string() })
  .refine((values) => values.password === values.passwordConfirm, { message: 'errors.passwordMismatch', path: ['passwordConfirm'] });

const invitationInput = z.object({ email, role });

const acceptInput = z
  .object({ password, passwordConfirm: z.string() })
  .refine((values) => values.password === values.passwordConfirm, { message: 'errors.passwordMismatch', path: ['passwordConfirm'] });

const roleInput = z.object({ role });

const passwordChangeInput = z
  .object({ currentPassword: z.string().min(1, 'errors.required').max(PASSWORD_MAX_LENGTH, 'errors.tooLong'), password, passwordConfirm: z.string() })
  .refine((values) => values.password === values.passwordConfirm, { message: 'errors.passwordMismatch', path: ['passwordConfirm'] });

export interface UserSummary {
  id: number;
  email: string;
  role: Role;
  createdAt: Date;
  deactivatedAt: Date | null;
  twoFactorEnabled: boolean;
}

export interface PendingInvitation {
  /** SHA-256 of the link's token: identifies the invitation without being usable as a link. */
  tokenHash: string;
  email: string;
  role: Role;
  createdAt: Date;
  expiresAt: Date;
}

export function userCount(db: Db): number {
  return db.select({ n: count() }).from(users).get()?.n ?? 0;
}

function assertEmailFree(tx: Transaction, address: string): void {
  const taken = tx.select({ id: users.id }).from(users).where(eq(users.email, address)).get();
  if (taken) throw new ValidationError({ email: 'errors.emailTaken' });
}

async function insertUser(db: Db, actor: Actor, values: z.infer<typeof newUserInput>, beforeInsert?: () => void): Promise<number> {
  const passwordHash = await hashPassword(values.password);
  return db.transaction((tx) => {
    beforeInsert?.();
    assertEmailFree(tx, values.email);
    const { id } = tx.insert(users).values({ email: values.email, passwordHash, role: values.role }).returning({ id: users.id }).get();
    recordAudit(tx, actor, { action: 'user.create', entityType: 'user', entityId: id, detail: { email: values.email, role: values.role } });
    return id;
  });
}

/** Adds a user. Only administrators may, except from the command line, which acts as one. */
export async function addUser(db: Db, actor: Actor, input: unknown): Promise<number> {
  requirePermission(actor, 'users.write');
  return insertUser(db, actor, parseInput(newUserInput, input));
}

/**
 * Creates a one-time setup link token when no user exists yet; returns null otherwise.
 * Earlier unused tokens stay valid until they expire.
 */
export function createSetupToken(db: Db, now = currentTime()): string | null {
  if (userCount(db) > 0) return null;
  const token = generateToken();
  db.insert(setupTokens)
    .values({ tokenHash: hashToken(token), createdAt: now, expiresAt: new Date(now.getTime() + SETUP_TOKEN_TTL_MS) })
    .run();
  return token;
}

export function isSetupTokenValid(db: Db, token: string, now = currentTime()): boolean {
  if (userCount(db) > 0) return false;
  const row = db.select().from(setupTokens).where(eq(setupTokens.tokenHash, hashToken(token))).get();
  return row !== undefined && row.expiresAt > now;
}

/** Creates the first administrator through a setup link, then invalidates every setup link. */
export async function completeSetup(db: Db, token: string, input: unknown): Promise<number> {
  const values = parseInput(setupInput, input);
  const actor: Actor = { id: null, email: values.email, role: 'admin' };
  return insertUser(db, actor, { email: values.email, password: values.password, role: 'admin' }, () => {
    // Checked again inside the transaction so that two browsers cannot both use the link.
    if (!isSetupTokenValid(db, token)) throw new ValidationError({ form: 'errors.setupLinkInvalid' });
    db.delete(setupTokens).where(gt(setupTokens.expiresAt, new Date(0))).run();
  });
}

/**
 * Checks an email and password. Takes the same time whether or not the account exists,
 * and returns null for a deactivated account as for a wrong password.
 */
export async function authenticate(db: Db, emailInput: string, passwordInput: string): Promise<SessionUser | null> {
  const normalized = emailInput.trim().toLowerCase();
  const user = db.select().from(users).where(eq(users.email, normalized)).get();
  const ok = await verifyPassword(passwordInput.slice(0, PASSWORD_MAX_LENGTH), user?.passwordHash ?? (await decoyPasswordHash()));
  if (!user || !ok || user.deactivatedAt !== null) return null;
  return { id: user.id, email: user.email, role: user.role, twoFactorEnabled: user.totpEnabledAt !== null };
}

/** Lists every account, active ones first, for administrators. */
export function listUsers(db: Db, actor: Actor): UserSummary[] {
  requirePermission(actor, 'users.read');
  return db
    .select()
    .from(users)
    .orderBy(asc(users.deactivatedAt), asc(users.email))
    .all()
    .map((row) => ({
      id: row.id,
      email: row.email,
      role: row.role,
      createdAt: row.createdAt,
      deactivatedAt: row.deactivatedAt,
      twoFactorEnabled: row.totpEnabledAt !== null,
    }));
}

export function getUser(db: Db, actor: Actor, id: number): UserSummary {
  requirePermission(actor, 'users.read');
  const row = db.select().from(users).where(eq(users.id, id)).get();
  if (!row) throw new NotFoundError('user', id);
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    createdAt: row.createdAt,
    deactivatedAt: row.deactivatedAt,
    twoFactorEnabled: row.totpEnabledAt !== null,
  };
}

/** Lists invitations neither used nor expired, newest first. */
export function listPendingInvitations(db: Db, actor: Actor, now = currentTime()): PendingInvitation[] {
  requirePermission(actor, 'users.read');
  return db
    .select({ tokenHash: invitations.tokenHash, email: invitations.email, role: invitations.role, createdAt: invitations.createdAt, expiresAt: invitations.expiresAt })
    .from(invitations)
    .where(and(isNull(invitations.usedAt), gt(invitations.expiresAt, now)))
    .orderBy(desc(invitations.createdAt))
    .all();
}

/**
 * Creates a one-time invitation link token for a new user, valid for 7 days. An earlier
 * unused invitation for the same email stops working, so only the latest link counts.
 */
export function inviteUser(db: Db, actor: Actor, input: unknown, now = currentTime()): { token: string; email: string; expiresAt: Date } {
  requirePermission(actor, 'users.write');
  const values = parseInput(invitationInput, input);
  const token = generateToken();
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
  db.transaction((tx) => {
    assertEmailFree(tx, values.email);
    tx.delete(invitations)
      .where(and(eq(invitations.email, values.email), isNull(invitations.usedAt)))
      .run();
    tx.insert(invitations)
      .values({ tokenHash: hashToken(token), email: values.email, role: values.role, invitedBy: actor.id, createdAt: now, expiresAt })
      .run();
    recordAudit(tx, actor, { action: 'user.invite', entityType: 'user', entityId: values.email, detail: { email: values.email, role: values.role, expiresAt: expiresAt.toISOString() } }, now);
  });
  return { token, email: values.email, expiresAt };
}

/** Withdraws an unused invitation, identified by the SHA-256 of its token. */
export function revokeInvitation(db: Db, actor: Actor, tokenHash: string, now = currentTime()): void {
  requirePermission(actor, 'users.write');
  db.transaction((tx) => {
    const row = tx
      .select()
      .from(invitations)
      .where(and(eq(invitations.tokenHash, tokenHash), isNull(invitations.usedAt)))
      .get();
    if (!row) throw new NotFoundError('invitation', tokenHash);
    tx.delete(invitations).where(eq(invitations.tokenHash, tokenHash)).run();
    recordAudit(tx, actor, { action: 'user.inviteRevoke', entityType: 'user', entityId: row.email, detail: { email: row.email, role: row.role } }, now);
  });
}

/** Returns the email and role of a usable invitation, or null for an unknown, used or expired link. */
export function findInvitation(db: Queryable, token: string, now = currentTime()): { email: string; role: Role } | null {
  const row = db.select().from(invitations).where(eq(invitations.tokenHash, hashToken(token))).get();
  if (!row || row.usedAt !== null || row.expiresAt <= now) return null;
  return { email: row.email, role: row.role };
}

/** Creates the invited user with the chosen password and marks the invitation used. */
export async function acceptInvitation(db: Db, token: string, input: unknown, now = currentTime()): Promise<number> {
  const values = parseInput(acceptInput, input);
  const passwordHash = await hashPassword(values.password);
  return db.transaction((tx) => {
    // Checked inside the transaction so that the link works once even if submitted twice.
    const invitation = findInvitation(tx, token, now);
    if (!invitation) throw new ValidationError({ form: 'accounts.errors.invitationInvalid' });
    assertEmailFree(tx, invitation.email);
    tx.update(invitations).set({ usedAt: now }).where(eq(invitations.tokenHash, hashToken(token))).run();
    const { id } = tx
      .insert(users)
      .values({ email: invitation.email, passwordHash, role: invitation.role, createdAt: now })
      .returning({ id: users.id })
      .get();
    const actor: Actor = { id, email: invitation.email, role: invitation.role };
    recordAudit(tx, actor, { action: 'user.inviteAccept', entityType: 'user', entityId: id, detail: { email: invitation.email, role: invitation.role } }, now);
    return id;
  });
}

/**
 * Raises a ValidationError when taking user `id` out of the active administrators would
 * leave none, because no other user is an active administrator.
 */
function assertAnotherActiveAdmin(tx: Transaction, id: number): void {
  const others = tx
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.role, 'admin'), isNull(users.deactivatedAt), ne(users.id, id)))
    .get();
  if ((others?.n ?? 0) === 0) throw new ValidationError({ form: 'accounts.errors.lastAdmin' });
}

function findUserForChange(tx: Transaction, id: number) {
  const row = tx.select().from(users).where(eq(users.id, id)).get();
  if (!row) throw new NotFoundError('user', id);
  return row;
}

/**
 * Changes a user's role and ends all of their sessions, so that their next request signs
 * in again and gets a session with the new role.
 */
export function changeRole(db: Db, actor: Actor, id: number, input: unknown, now = currentTime()): void {
  requirePermission(actor, 'users.write');
  const values = parseInput(roleInput, input);
  db.transaction((tx) => {
    const user = findUserForChange(tx, id);
    if (user.role === values.role) return;
    if (user.role === 'admin' && user.deactivatedAt === null) assertAnotherActiveAdmin(tx, id);
    tx.update(users).set({ role: values.role }).where(eq(users.id, id)).run();
    endUserSessions(tx, id);
    recordAudit(tx, actor, { action: 'user.role', entityType: 'user', entityId: id, detail: { email: user.email, from: user.role, to: values.role } }, now);
  });
}

/** Deactivates a user: they can no longer sign in, and their sessions end at once. */
export function deactivateUser(db: Db, actor: Actor, id: number, now = currentTime()): void {
  requirePermission(actor, 'users.write');
  db.transaction((tx) => {
    const user = findUserForChange(tx, id);
    if (user.deactivatedAt !== null) return;
    if (user.role === 'admin') assertAnotherActiveAdmin(tx, id);
    tx.update(users).set({ deactivatedAt: now }).where(eq(users.id, id)).run();
    endUserSessions(tx, id);
    recordAudit(tx, actor, { action: 'user.deactivate', entityType: 'user', entityId: id, detail: { email: user.email } }, now);
  });
}

/** Lets a deactivated user sign in again with their existing password and second factor. */
export function reactivateUser(db: Db, actor: Actor, id: number, now = currentTime()): void {
  requirePermission(actor, 'users.write');
  db.transaction((tx) => {
    const user = findUserForChange(tx, id);
    if (user.deactivatedAt === null) return;
    tx.update(users).set({ deactivatedAt: null }).where(eq(users.id, id)).run();
    recordAudit(tx, actor, { action: 'user.reactivate', entityType: 'user', entityId: id, detail: { email: user.email } }, now);
  });
}

/** Raises ForbiddenError for an actor that is not a signed-in user, such as the command line. */
export function requireSignedInUser(actor: Actor): number {
  if (actor.id === null) throw new ForbiddenError('account.write');
  return actor.id;
}

/**
 * Changes the actor's own password after checking the current one, and ends all of the
 * actor's sessions. The caller then starts a new session for the current browser.
 */
export async function changeOwnPassword(db: Db, actor: Actor, input: unknown, now = currentTime()): Promise<void> {
  const id = requireSignedInUser(actor);
  const values = parseInput(passwordChangeInput, input);
  const user = db.select().from(users).where(eq(users.id, id)).get();
  if (!user) throw new NotFoundError('user', id);
  if (!(await verifyPassword(values.currentPassword, user.passwordHash))) throw new ValidationError({ currentPassword: 'accounts.errors.currentPasswordWrong' });
  const passwordHash = await hashPassword(values.password);
  db.transaction((tx) => {
    tx.update(users).set({ passwordHash }).where(eq(users.id, id)).run();
    endUserSessions(tx, id);
    recordAudit(tx, actor, { action: 'user.password', entityType: 'user', entityId: id, detail: { email: user.email } }, now);
  });
}
