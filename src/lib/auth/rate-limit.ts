// Limits on failed sign-in attempts, per account and per client address. Failed passwords
// and failed second-factor codes count alike, so knowing the password gives no extra tries
// at the code.
import { and, asc, eq, gt, lt, lte } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { signInAttempts } from '../db/schema.ts';

export const ATTEMPT_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
// NOTE: behind a reverse proxy every request has the proxy's address unless the adapter is
// configured to read the forwarded one. Otherwise all users share this limit.
export const MAX_FAILURES_PER_ADDRESS = 20;
// Only the last 15 minutes count; attempts older than a day are deleted.
const ATTEMPT_RETENTION_MS = 24 * 60 * 60 * 1000;

/** Raised when an account or address has too many recent failures; `retryAt` is when it may try again. */
export class TooManyAttemptsError extends Error {
  readonly retryAt: Date;
  constructor(retryAt: Date) {
    super(`Too many failed attempts; try again after ${retryAt.toISOString()}`);
    this.name = 'TooManyAttemptsError';
    this.retryAt = retryAt;
  }
}

/** Returns the account key of an attempt: the email as typed, trimmed, lowercased and cut to 254 characters. */
export function attemptKey(email: string): string {
  return email.trim().toLowerCase().slice(0, 254);
}

/**
 * Returns the time when enough failures leave the window for the count to fall below the
 * limit. Returns null when fewer failures than the limit are counted.
 */
function limitedUntil(times: Date[], limit: number): Date | null {
  if (times.length < limit) return null;
  const freeing = times[times.length - limit]!;
  return new Date(freeing.getTime() + ATTEMPT_WINDOW_MS);
}

function failureTimes(db: Db, column: typeof signInAttempts.email | typeof signInAttempts.address, value: string, now: Date): Date[] {
  return db
    .select({ at: signInAttempts.at })
    .from(signInAttempts)
    .where(
      and(
        eq(column, value),
        eq(signInAttempts.succeeded, false),
        gt(signInAttempts.at, new Date(now.getTime() - ATTEMPT_WINDOW_MS)),
        lte(signInAttempts.at, now),
      ),
    )
    .orderBy(asc(signInAttempts.at))
    .all()
    .map((row) => row.at);
}

/**
 * Returns when the account or the address may try again, or null when neither is limited.
 * The account key need not belong to an account, so the response is the same either way.
 */
export function signInRetryTime(db: Db, email: string, address: string, now: Date): Date | null {
  const byAccount = limitedUntil(failureTimes(db, signInAttempts.email, attemptKey(email), now), MAX_FAILURES_PER_ACCOUNT);
  const byAddress = limitedUntil(failureTimes(db, signInAttempts.address, address, now), MAX_FAILURES_PER_ADDRESS);
  if (!byAccount) return byAddress;
  if (!byAddress) return byAccount;
  return byAccount > byAddress ? byAccount : byAddress;
}

/** Records an attempt, and deletes attempts older than a day. */
export function recordSignInAttempt(db: Db, attempt: { email: string; address: string; succeeded: boolean }, now: Date): void {
  db.transaction((tx) => {
    tx.delete(signInAttempts)
      .where(lt(signInAttempts.at, new Date(now.getTime() - ATTEMPT_RETENTION_MS)))
      .run();
    tx.insert(signInAttempts)
      .values({ email: attemptKey(attempt.email), address: attempt.address.slice(0, 64), succeeded: attempt.succeeded, at: now })
      .run();
  });
}
