// The password step of signing in, within the attempt limits, with its log lines.
import { currentTime } from '../clock.ts';
import type { Db } from '../db/client.ts';
import { log } from '../log.ts';
import { authenticate } from '../services/users.ts';
import { decoyPasswordHash, PASSWORD_MAX_LENGTH, verifyPassword } from './password.ts';
import { attemptKey, recordSignInAttempt, signInRetryTime } from './rate-limit.ts';
import type { SessionUser } from './sessions.ts';

export type PasswordSignIn =
  | { outcome: 'signed-in'; user: SessionUser }
  | { outcome: 'failed' }
  | { outcome: 'limited'; retryAt: Date };

/**
 * Checks an email and password from a client address. The password is hashed on every
 * path, limited or not, so the response and its timing are the same whether or not the
 * account exists. Failed attempts are recorded. Attempts rejected by the limit are not, so
 * that a flood of them does not extend the wait.
 */
export async function signInWithPassword(
  db: Db,
  input: { email: string; password: string; address: string },
  now = currentTime(),
): Promise<PasswordSignIn> {
  const email = attemptKey(input.email);
  const retryAt = signInRetryTime(db, email, input.address, now);
  if (retryAt) {
    await verifyPassword(input.password.slice(0, PASSWORD_MAX_LENGTH), await decoyPasswordHash());
    log.warn({ email, address: input.address, retryAt: retryAt.toISOString() }, 'sign-in rejected: too many failed attempts');
    return { outcome: 'limited', retryAt };
  }

  const user = await authenticate(db, input.email, input.password);
  recordSignInAttempt(db, { email, address: input.address, succeeded: user !== null }, now);
  if (!user) {
    log.warn({ email, address: input.address }, 'failed sign-in');
    return { outcome: 'failed' };
  }
  const message = user.twoFactorEnabled ? 'sign-in: password accepted, second factor required' : 'sign-in';
  log.info({ userId: user.id, email: user.email, address: input.address }, message);
  return { outcome: 'signed-in', user };
}
