// Accounts: the first administrator's setup link, adding users, and signing in.
import { currentTime } from '../clock.ts';
import { count, eq, gt } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { setupTokens, users } from '../db/schema.ts';
import { ValidationError } from '../errors.ts';
import { decoyPasswordHash, hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, verifyPassword } from '../auth/password.ts';
import { generateToken, hashToken, type SessionUser } from '../auth/sessions.ts';
import { ROLES } from '../vocabulary.ts';
import { recordAudit } from './audit.ts';
import { requirePermission, type Actor } from './permissions.ts';
import { parseInput } from './validation.ts';

const SETUP_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

const email = z.string().trim().toLowerCase().min(1, 'errors.required').max(254, 'errors.tooLong').pipe(z.email('errors.email'));
const password = z.string().min(PASSWORD_MIN_LENGTH, 'errors.passwordShort').max(PASSWORD_MAX_LENGTH, 'errors.tooLong');

export const newUserInput = z.object({ email, password, role: z.enum(ROLES) });

const setupInput = z
  .object({ email, password, passwordConfirm: z.string() })
  .refine((values) => values.password === values.passwordConfirm, { message: 'errors.passwordMismatch', path: ['passwordConfirm'] });

export function userCount(db: Db): number {
  return db.select({ n: count() }).from(users).get()?.n ?? 0;
}

async function insertUser(db: Db, actor: Actor, values: z.infer<typeof newUserInput>, beforeInsert?: () => void): Promise<number> {
  const passwordHash = await hashPassword(values.password);
  return db.transaction((tx) => {
    beforeInsert?.();
    const taken = tx.select({ id: users.id }).from(users).where(eq(users.email, values.email)).get();
    if (taken) throw new ValidationError({ email: 'errors.emailTaken' });
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

/** Checks an email and password. Takes the same time whether or not the account exists. */
export async function authenticate(db: Db, emailInput: string, passwordInput: string): Promise<SessionUser | null> {
  const normalized = emailInput.trim().toLowerCase();
  const user = db.select().from(users).where(eq(users.email, normalized)).get();
  const ok = await verifyPassword(passwordInput.slice(0, PASSWORD_MAX_LENGTH), user?.passwordHash ?? (await decoyPasswordHash()));
  return user && ok ? { id: user.id, email: user.email, role: user.role } : null;
}
