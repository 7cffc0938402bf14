// Database sessions. The cookie contains a random token, and the database stores only its SHA-256.
import { currentTime } from '../clock.ts';
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, lt, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { sessions, users } from '../db/schema.ts';
import type { Transaction } from '../services/audit.ts';
import type { Role } from '../vocabulary.ts';

/** Maximum age of a session, counted from sign-in, whatever the activity. */
export const SESSION_MAX_AGE_MS = 12 * 60 * 60 * 1000;
/** A session ends after this long without a request. */
export const SESSION_IDLE_TIMEOUT_MS = 30 * 60 * 1000;
/** Time allowed between the password and the second factor of a two-factor sign-in. */
export const PENDING_TWO_FACTOR_MAX_AGE_MS = 10 * 60 * 1000;
// lastSeenAt is written at most this often per session, so that most requests need no write.
const LAST_SEEN_WRITE_INTERVAL_MS = 60 * 1000;

export interface SessionUser {
  id: number;
  email: string;
  role: Role;
  /** True once the user has confirmed an authenticator app. */
  twoFactorEnabled: boolean;
}

export interface ValidSession {
  user: SessionUser;
  /** False between the password and the second factor of a two-factor sign-in. */
  twoFactorPassed: boolean;
}

/** A connection or an open transaction; session changes run in either. */
export type Queryable = Db | Transaction;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Deletes sessions that are past their maximum age or idle for too long. */
function deleteStaleSessions(db: Queryable, now: Date): void {
  const idleSince = now.getTime() - SESSION_IDLE_TIMEOUT_MS;
  db.delete(sessions)
    .where(or(lt(sessions.expiresAt, now), lt(sql`coalesce(${sessions.lastSeenAt}, ${sessions.createdAt})`, idleSince)))
    .run();
}

/**
 * Creates a session and returns the token to put in the cookie. A session created with
 * `twoFactorPassed: false` grants access to the second-factor page only.
 */
export function createSession(
  db: Queryable,
  userId: number,
  options: { twoFactorPassed?: boolean } = {},
  now = currentTime(),
): { token: string; expiresAt: Date } {
  const token = generateToken();
  const expiresAt = new Date(now.getTime() + SESSION_MAX_AGE_MS);
  deleteStaleSessions(db, now);
  db.insert(sessions)
    .values({ id: hashToken(token), userId, expiresAt, createdAt: now, lastSeenAt: now, twoFactorPassed: options.twoFactorPassed ?? true })
    .run();
  return { token, expiresAt };
}

/**
 * Returns the session and its user, or null for an unknown token, a session past its
 * maximum age or idle timeout, an unfinished two-factor sign-in that took too long, or a
 * deactivated user. Invalid sessions are deleted. Records the request time in lastSeenAt
 * when the stored value is at least a minute old.
 */
export function validateSession(db: Db, token: string, now = currentTime()): ValidSession | null {
  const id = hashToken(token);
  const row = db
    .select({
      userId: users.id,
      email: users.email,
      role: users.role,
      deactivatedAt: users.deactivatedAt,
      totpEnabledAt: users.totpEnabledAt,
      createdAt: sessions.createdAt,
      expiresAt: sessions.expiresAt,
      lastSeenAt: sessions.lastSeenAt,
      twoFactorPassed: sessions.twoFactorPassed,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id))
    .get();
  if (!row) return null;

  const lastSeen = (row.lastSeenAt ?? row.createdAt).getTime();
  const expired =
    row.expiresAt <= now ||
    lastSeen + SESSION_IDLE_TIMEOUT_MS <= now.getTime() ||
    row.deactivatedAt !== null ||
    (!row.twoFactorPassed && row.createdAt.getTime() + PENDING_TWO_FACTOR_MAX_AGE_MS <= now.getTime());
  if (expired) {
    db.delete(sessions).where(eq(sessions.id, id)).run();
    return null;
  }

  if (now.getTime() - lastSeen >= LAST_SEEN_WRITE_INTERVAL_MS) {
    db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id)).run();
  }
  return {
    user: { id: row.userId, email: row.email, role: row.role, twoFactorEnabled: row.totpEnabledAt !== null },
    twoFactorPassed: row.twoFactorPassed,
  };
}

export function deleteSession(db: Queryable, token: string): void {
  db.delete(sessions).where(eq(sessions.id, hashToken(token))).run();
}

/** Ends every session of a user, except the one whose token is given. */
export function endUserSessions(db: Queryable, userId: number, exceptToken?: string): void {
  const condition = exceptToken ? and(eq(sessions.userId, userId), ne(sessions.id, hashToken(exceptToken))) : eq(sessions.userId, userId);
  db.delete(sessions).where(condition).run();
}

/**
 * Replaces a session with a new one for the same user, so that a token copied before a
 * change of privilege (the second factor passed, a new password) is worthless after it.
 */
export function rotateSession(db: Db, oldToken: string | undefined, userId: number, now = currentTime()): { token: string; expiresAt: Date } {
  return db.transaction((tx) => {
    if (oldToken) deleteSession(tx, oldToken);
    return createSession(tx, userId, { twoFactorPassed: true }, now);
  });
}
