import { eq } from 'drizzle-orm';
import { Secret, TOTP, URI } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { TooManyAttemptsError } from '../../src/lib/auth/rate-limit.ts';
import { createSession, validateSession } from '../../src/lib/auth/sessions.ts';
import { hashRecoveryCode, totpQrCodeSvg, totpUri } from '../../src/lib/auth/totp.ts';
import {
  checkSecondFactor,
  disableTwoFactor,
  enableTwoFactor,
  pendingTotpSecret,
  regenerateRecoveryCodes,
  resetTwoFactor,
  unusedRecoveryCodeCount,
} from '../../src/lib/auth/two-factor.ts';
import type { Db } from '../../src/lib/db/client.ts';
import { auditLog, recoveryCodes, users } from '../../src/lib/db/schema.ts';
import { ForbiddenError, ValidationError } from '../../src/lib/errors.ts';
import type { Actor } from '../../src/lib/services/permissions.ts';
import { setTwoFactorRequired } from '../../src/lib/services/settings.ts';
import { addUser } from '../../src/lib/services/users.ts';
import { admin, freshDb } from './helpers.ts';

const PASSWORD = 'correct horse battery staple';
const START = new Date('2026-03-02T15:00:00Z');
const ADDRESS = '192.0.2.10';
const at = (seconds: number) => new Date(START.getTime() + seconds * 1000);

async function withUser(role: Actor['role'] = 'publisher'): Promise<{ db: Db; actor: Actor & { id: number } }> {
  const db = freshDb();
  const email = `${role}@example.gc.ca`;
  const id = await addUser(db, admin, { email, password: PASSWORD, role });
  return { db, actor: { id, email, role } };
}

function codeFor(secret: string, seconds: number): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: at(seconds).getTime() });
}

function userRow(db: Db, id: number) {
  return db.select().from(users).where(eq(users.id, id)).get()!;
}

describe('two-factor setup', () => {
  it('keeps one pending secret until confirmed', async () => {
    const { db, actor } = await withUser();
    const secret = pendingTotpSecret(db, actor)!;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(pendingTotpSecret(db, actor)).toBe(secret);
    expect(userRow(db, actor.id).totpEnabledAt).toBeNull();
  });

  it('describes the app settings in the otpauth URI', async () => {
    const { db, actor } = await withUser();
    const secret = pendingTotpSecret(db, actor)!;
    const totp = URI.parse(totpUri(secret, actor.email)) as TOTP;
    expect(totp).toBeInstanceOf(TOTP);
    expect(totp.algorithm).toBe('SHA1');
    expect(totp.digits).toBe(6);
    expect(totp.period).toBe(30);
    expect(totp.label).toBe(actor.email);
    expect(totp.issuer).toBe('localhost');
    expect(totp.secret.base32).toBe(secret);
    const svg = await totpQrCodeSvg(secret, actor.email);
    expect(svg).toMatch(/^<svg [^>]*viewBox=/);
  });

  it('needs a correct code to turn on', async () => {
    const { db, actor } = await withUser();
    const secret = pendingTotpSecret(db, actor)!;
    expect(() => enableTwoFactor(db, actor, { code: '000000' }, at(0))).toThrow(ValidationError);
    expect(() => enableTwoFactor(db, actor, { code: '' }, at(0))).toThrow(ValidationError);
    expect(() => enableTwoFactor(db, actor, { code: codeFor(secret, 120) }, at(0))).toThrow(ValidationError);
    expect(userRow(db, actor.id).totpEnabledAt).toBeNull();
  });

  it('returns 10 recovery codes stored as hashes and ends sessions', async () => {
    const { db, actor } = await withUser();
    const session = createSession(db, actor.id, {}, at(0));
    const secret = pendingTotpSecret(db, actor)!;
    const codes = enableTwoFactor(db, actor, { code: codeFor(secret, 0) }, at(0));

    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
    const stored = db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, actor.id)).all();
    expect(stored.map((row) => row.codeHash).sort()).toEqual(codes.map(hashRecoveryCode).sort());
    expect(JSON.stringify(stored)).not.toContain(codes[0]);

    expect(userRow(db, actor.id).totpEnabledAt).toEqual(at(0));
    expect(validateSession(db, session.token, at(0))).toBeNull();
    expect(pendingTotpSecret(db, actor)).toBeNull();
    expect(() => enableTwoFactor(db, actor, { code: codeFor(secret, 30) }, at(30))).toThrow(ValidationError);
    expect(db.select({ action: auditLog.action }).from(auditLog).all().at(-1)?.action).toBe('user.twoFactorEnable');
  });
});

describe('two-factor changes', () => {
  async function enabled(role: Actor['role'] = 'publisher') {
    const { db, actor } = await withUser(role);
    const secret = pendingTotpSecret(db, actor)!;
    const codes = enableTwoFactor(db, actor, { code: codeFor(secret, 0) }, at(0));
    return { db, actor, secret, codes };
  }

  it('turning off needs a current code', async () => {
    const { db, actor, secret } = await enabled();
    expect(() => disableTwoFactor(db, actor, { code: '123456' }, ADDRESS, at(60))).toThrow(ValidationError);
    expect(userRow(db, actor.id).totpEnabledAt).not.toBeNull();

    disableTwoFactor(db, actor, { code: codeFor(secret, 90) }, ADDRESS, at(90));
    const row = userRow(db, actor.id);
    expect(row.totpEnabledAt).toBeNull();
    expect(row.totpSecret).toBeNull();
    expect(unusedRecoveryCodeCount(db, actor.id)).toBe(0);
  });

  it('turning off accepts a recovery code', async () => {
    const { db, actor, codes } = await enabled();
    disableTwoFactor(db, actor, { code: codes[3] }, ADDRESS, at(60));
    expect(userRow(db, actor.id).totpEnabledAt).toBeNull();
  });

  it('turning off is rejected while required', async () => {
    const { db, actor, secret } = await enabled('admin');
    setTwoFactorRequired(db, actor, { requireTwoFactor: 'on' }, at(30));
    expect(() => disableTwoFactor(db, actor, { code: codeFor(secret, 60) }, ADDRESS, at(60))).toThrow(ValidationError);
    expect(userRow(db, actor.id).totpEnabledAt).not.toBeNull();
  });

  it('turning off is limited after failed codes', async () => {
    const { db, actor, secret } = await enabled();
    for (let i = 0; i < 5; i += 1) expect(() => disableTwoFactor(db, actor, { code: '000000' }, ADDRESS, at(60 + i))).toThrow(ValidationError);
    expect(() => disableTwoFactor(db, actor, { code: codeFor(secret, 90) }, ADDRESS, at(90))).toThrow(TooManyAttemptsError);
  });

  it('new recovery codes replace the old ones', async () => {
    const { db, actor, secret, codes } = await enabled();
    checkSecondFactor(db, actor.id, codes[0]!, ADDRESS, at(30));
    expect(unusedRecoveryCodeCount(db, actor.id)).toBe(9);
    const fresh = regenerateRecoveryCodes(db, actor, { code: codeFor(secret, 60) }, ADDRESS, at(60));
    expect(unusedRecoveryCodeCount(db, actor.id)).toBe(10);
    expect(checkSecondFactor(db, actor.id, codes[1]!, ADDRESS, at(61)).outcome).toBe('failed');
    expect(checkSecondFactor(db, actor.id, fresh[1]!, ADDRESS, at(62)).outcome).toBe('passed');
  });

  it('an administrator resets another user only', async () => {
    const { db, actor } = await enabled();
    const bossId = await addUser(db, admin, { email: 'boss@example.gc.ca', password: PASSWORD, role: 'admin' });
    const boss: Actor = { id: bossId, email: 'boss@example.gc.ca', role: 'admin' };
    const session = createSession(db, actor.id, {}, at(30));

    expect(() => resetTwoFactor(db, actor, actor.id, at(30))).toThrow(ForbiddenError);
    expect(() => resetTwoFactor(db, boss, bossId, at(30))).toThrow(ValidationError);
    resetTwoFactor(db, boss, actor.id, at(30));
    expect(userRow(db, actor.id).totpEnabledAt).toBeNull();
    expect(unusedRecoveryCodeCount(db, actor.id)).toBe(0);
    expect(validateSession(db, session.token, at(30))).toBeNull();
    expect(db.select({ action: auditLog.action }).from(auditLog).all().at(-1)?.action).toBe('user.twoFactorReset');
  });
});
