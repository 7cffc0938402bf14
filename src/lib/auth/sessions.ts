// Database sessions. The cookie holds a random token; the database stores only its SHA-256.
import { currentTime } from '../clock.ts';
import { createHash, randomBytes } from 'node:crypto';
import { eq, lt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { sessions, users } from '../db/schema.ts';
import type { Role } from '../vocabulary.ts';

export const SESSION_MAX_AGE_MS = 12 * 60 * 60 * 1000;

export interface SessionUser {
  id: number;
  email: string;
  role: Role;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Creates a session and returns the token to put in the cookie. */
export function createSession(db: Db, userId: number, now = currentTime()): { token: string; expiresAt: Date } {
  const token = generateToken();
  const expiresAt = new Date(now.getTime() + SESSION_MAX_AGE_MS);
  db.delete(sessions).where(lt(sessions.expiresAt, now)).run();
  db.insert(sessions).values({ id: hashToken(token), userId, expiresAt, createdAt: now }).run();
  return { token, expiresAt };
}

/** Returns the session's user, or null for an unknown or expired token. */
export function validateSession(db: Db, token: string, now = currentTime()): SessionUser | null {
  const row = db
    .select({ id: users.id, email: users.email, role: users.role, expiresAt: sessions.expiresAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, hashToken(token)))
    .get();
  if (!row || row.expiresAt <= now) return null;
  return { id: row.id, email: row.email, role: row.role };
}

export function deleteSession(db: Db, token: string): void {
  db.delete(sessions).where(eq(sessions.id, hashToken(token))).run();
}
