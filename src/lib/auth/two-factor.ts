// Two-factor sign-in for one account: setting up an authenticator app, recovery codes,
// turning it off, and checking a code.
import { currentTime } from '../clock.ts';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { recoveryCodes, users } from '../db/schema.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { log } from '../log.ts';
import { recordAudit, type Transaction } from '../services/audit.ts';
import { requirePermission, type Actor } from '../services/permissions.ts';
import { isTwoFactorRequired } from '../services/settings.ts';
import { requireSignedInUser } from '../services/users.ts';
import { parseInput } from '../services/validation.ts';
import { recordSignInAttempt, signInRetryTime, TooManyAttemptsError } from './rate-limit.ts';
import { endUserSessions, type Queryable } from './sessions.ts';
import { forgetTotpSteps, generateRecoveryCodes, generateTotpSecret, hashRecoveryCode, looksLikeTotpCode, verifyTotpCode } from './totp.ts';

const codeInput = z.object({ code: z.string().trim().min(1, 'errors.required').max(40, 'errors.tooLong') });

export type SecondFactorCheck =
  | { outcome: 'passed'; method: 'totp' | 'recovery' }
  | { outcome: 'failed' }
  | { outcome: 'limited'; retryAt: Date };

function loadUser(db: Db, id: number) {
  const user = db.select().from(users).where(eq(users.id, id)).get();
  if (!user) throw new NotFoundError('user', id);
  return user;
}

function storeRecoveryCodes(tx: Transaction, userId: number): string[] {
  const codes = generateRecoveryCodes();
  tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)).run();
  tx.insert(recoveryCodes)
    .values(codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code) })))
    .run();
  return codes;
}

/** Marks an unused recovery code of the user as used; returns false when none matches. */
function useRecoveryCode(db: Db, user: { id: number; email: string; role: Actor['role'] }, input: string, now: Date): boolean {
  return db.transaction((tx) => {
    const { changes } = tx
      .update(recoveryCodes)
      .set({ usedAt: now })
      .where(and(eq(recoveryCodes.userId, user.id), eq(recoveryCodes.codeHash, hashRecoveryCode(input)), isNull(recoveryCodes.usedAt)))
      .run();
    if (changes === 0) return false;
    const remaining = unusedRecoveryCodeCount(tx, user.id);
    recordAudit(tx, { id: user.id, email: user.email, role: user.role }, { action: 'user.recoveryCodeUse', entityType: 'user', entityId: user.id, detail: { remaining } }, now);
    return true;
  });
}

/**
 * Checks a TOTP code or a recovery code of a user with two-factor sign-in, within the
 * sign-in attempt limits of the account and the address. Every check within the limits
 * is recorded as an attempt, and a recovery code that matches is used up.
 */
export function checkSecondFactor(db: Db, userId: number, code: string, address: string, now = currentTime()): SecondFactorCheck {
  const user = loadUser(db, userId);
  const retryAt = signInRetryTime(db, user.email, address, now);
  if (retryAt) return { outcome: 'limited', retryAt };

  let method: 'totp' | 'recovery' | null = null;
  if (user.totpSecret && user.totpEnabledAt) {
    if (looksLikeTotpCode(code)) {
      if (verifyTotpCode(user.id, user.totpSecret, code, now)) method = 'totp';
    } else if (useRecoveryCode(db, user, code, now)) {
      method = 'recovery';
    }
  }
  recordSignInAttempt(db, { email: user.email, address, succeeded: method !== null }, now);
  if (!method) {
    log.warn({ userId: user.id, email: user.email, address }, 'failed second-factor code');
    return { outcome: 'failed' };
  }
  return { outcome: 'passed', method };
}

/**
 * Returns the secret to show while the actor sets up an authenticator app, creating it on
 * first use; null when two-factor sign-in is already on. The unconfirmed secret changes
 * nothing about how the account signs in, so it is stored without an audit entry.
 */
export function pendingTotpSecret(db: Db, actor: Actor): string | null {
  const id = requireSignedInUser(actor);
  const user = loadUser(db, id);
  if (user.totpEnabledAt) return null;
  if (user.totpSecret) return user.totpSecret;
  const secret = generateTotpSecret();
  db.update(users).set({ totpSecret: secret }).where(eq(users.id, id)).run();
  return secret;
}

/**
 * Turns on two-factor sign-in once the actor types a correct code from the app, and
 * returns 10 new recovery codes to show once. Ends all of the actor's sessions, which
 * never passed a second factor; the caller then starts a new one for the current browser.
 */
export function enableTwoFactor(db: Db, actor: Actor, input: unknown, now = currentTime()): string[] {
  const id = requireSignedInUser(actor);
  const { code } = parseInput(codeInput, input);
  const user = loadUser(db, id);
  if (user.totpEnabledAt) throw new ValidationError({ form: 'accounts.errors.twoFactorAlreadyOn' });
  if (!user.totpSecret) throw new ValidationError({ form: 'accounts.errors.setupExpired' });
  forgetTotpSteps(id);
  if (!verifyTotpCode(id, user.totpSecret, code, now)) throw new ValidationError({ code: 'accounts.errors.codeInvalid' });
  return db.transaction((tx) => {
    tx.update(users).set({ totpEnabledAt: now }).where(eq(users.id, id)).run();
    const codes = storeRecoveryCodes(tx, id);
    endUserSessions(tx, id);
    recordAudit(tx, actor, { action: 'user.twoFactorEnable', entityType: 'user', entityId: id, detail: { email: user.email } }, now);
    return codes;
  });
}

/** Checks the code that confirms a change to the actor's own two-factor settings. */
function requireCurrentCode(db: Db, id: number, input: unknown, address: string, now: Date): void {
  const { code } = parseInput(codeInput, input);
  const check = checkSecondFactor(db, id, code, address, now);
  if (check.outcome === 'limited') throw new TooManyAttemptsError(check.retryAt);
  if (check.outcome === 'failed') throw new ValidationError({ code: 'accounts.errors.codeInvalid' });
}

/**
 * Replaces the actor's recovery codes with 10 new ones, after a current code (from the
 * app, or an unused recovery code).
 */
export function regenerateRecoveryCodes(db: Db, actor: Actor, input: unknown, address: string, now = currentTime()): string[] {
  const id = requireSignedInUser(actor);
  if (!loadUser(db, id).totpEnabledAt) throw new ValidationError({ form: 'accounts.errors.twoFactorOff' });
  requireCurrentCode(db, id, input, address, now);
  return db.transaction((tx) => {
    const codes = storeRecoveryCodes(tx, id);
    recordAudit(tx, actor, { action: 'user.recoveryCodes', entityType: 'user', entityId: id }, now);
    return codes;
  });
}

function clearTwoFactor(tx: Transaction, id: number): void {
  tx.update(users).set({ totpSecret: null, totpEnabledAt: null }).where(eq(users.id, id)).run();
  tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, id)).run();
  forgetTotpSteps(id);
}

/**
 * Turns off the actor's two-factor sign-in after a current code. Rejected while an
 * administrator requires two-factor sign-in for everyone.
 */
export function disableTwoFactor(db: Db, actor: Actor, input: unknown, address: string, now = currentTime()): void {
  const id = requireSignedInUser(actor);
  if (!loadUser(db, id).totpEnabledAt) throw new ValidationError({ form: 'accounts.errors.twoFactorOff' });
  if (isTwoFactorRequired(db)) throw new ValidationError({ form: 'accounts.errors.twoFactorRequired' });
  requireCurrentCode(db, id, input, address, now);
  db.transaction((tx) => {
    clearTwoFactor(tx, id);
    recordAudit(tx, actor, { action: 'user.twoFactorDisable', entityType: 'user', entityId: id }, now);
  });
}

/**
 * Turns off another user's two-factor sign-in, for a user who lost both the app and the
 * recovery codes, and ends their sessions. Only administrators may.
 */
export function resetTwoFactor(db: Db, actor: Actor, id: number, now = currentTime()): void {
  requirePermission(actor, 'users.write');
  // Users turn off their own second factor on the account page, which requires a current code.
  if (actor.id === id) throw new ValidationError({ form: 'accounts.errors.resetSelf' });
  db.transaction((tx) => {
    const user = tx.select().from(users).where(eq(users.id, id)).get();
    if (!user) throw new NotFoundError('user', id);
    if (!user.totpEnabledAt) return;
    clearTwoFactor(tx, id);
    endUserSessions(tx, id);
    recordAudit(tx, actor, { action: 'user.twoFactorReset', entityType: 'user', entityId: id, detail: { email: user.email } }, now);
  });
}

/** Counts the user's recovery codes not yet used. */
export function unusedRecoveryCodeCount(db: Queryable, userId: number): number {
  return db
    .select({ id: recoveryCodes.id })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)))
    .all().length;
}
