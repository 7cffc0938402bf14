import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { redirectForStage, sessionStage } from '../../src/lib/auth/admin-request.ts';
import { retryTimeText } from '../../src/lib/auth/messages.ts';
import { ATTEMPT_WINDOW_MS, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS } from '../../src/lib/auth/rate-limit.ts';
import type { ValidSession } from '../../src/lib/auth/sessions.ts';
import { signInWithPassword } from '../../src/lib/auth/sign-in.ts';
import { checkSecondFactor, enableTwoFactor, pendingTotpSecret } from '../../src/lib/auth/two-factor.ts';
import type { Db } from '../../src/lib/db/client.ts';
import { signInAttempts, users } from '../../src/lib/db/schema.ts';
import { addUser } from '../../src/lib/services/users.ts';
import { admin, freshDb } from './helpers.ts';

const PASSWORD = 'correct horse battery staple';
const START = new Date('2026-03-02T15:00:00Z');
const ADDRESS = '192.0.2.10';
const at = (seconds: number) => new Date(START.getTime() + seconds * 1000);

async function withUser(): Promise<{ db: Db; id: number }> {
  const db = freshDb();
  const id = await addUser(db, admin, { email: 'pub@example.gc.ca', password: PASSWORD, role: 'publisher' });
  return { db, id };
}

function attempt(db: Db, email: string, password: string, seconds: number, address = ADDRESS) {
  return signInWithPassword(db, { email, password, address }, at(seconds));
}

describe('password sign-in limits', () => {
  it('allow 5 failures per account in 15 minutes', async () => {
    const { db, id } = await withUser();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i += 1) expect((await attempt(db, 'pub@example.gc.ca', 'wrong password', i)).outcome).toBe('failed');

    // Even the right password is rejected until the first failure leaves the window.
    const limited = await attempt(db, 'PUB@example.gc.ca', PASSWORD, 60);
    expect(limited).toEqual({ outcome: 'limited', retryAt: new Date(START.getTime() + ATTEMPT_WINDOW_MS) });
    expect((await attempt(db, 'pub@example.gc.ca', PASSWORD, ATTEMPT_WINDOW_MS / 1000 - 1)).outcome).toBe('limited');

    const later = await attempt(db, 'pub@example.gc.ca', PASSWORD, ATTEMPT_WINDOW_MS / 1000);
    expect(later.outcome).toBe('signed-in');
    expect(later.outcome === 'signed-in' ? later.user.id : null).toBe(id);
  });

  it('give the same answer for an unknown account', async () => {
    const { db } = await withUser();
    for (const email of ['pub@example.gc.ca', 'nobody@example.gc.ca']) {
      for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i += 1) expect((await attempt(db, email, 'wrong password', i)).outcome, email).toBe('failed');
      expect(await attempt(db, email, PASSWORD, 10), email).toEqual({ outcome: 'limited', retryAt: new Date(START.getTime() + ATTEMPT_WINDOW_MS) });
    }
  });

  it('allow 20 failures per address in 15 minutes', async () => {
    const { db } = await withUser();
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i += 1) expect((await attempt(db, `guess${i}@example.gc.ca`, 'wrong password', i)).outcome).toBe('failed');
    expect((await attempt(db, 'pub@example.gc.ca', PASSWORD, 30)).outcome).toBe('limited');
    // Another address is not limited.
    expect((await attempt(db, 'pub@example.gc.ca', PASSWORD, 30, '198.51.100.7')).outcome).toBe('signed-in');
  });

  it('do not record rejected attempts', async () => {
    const { db } = await withUser();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i += 1) await attempt(db, 'pub@example.gc.ca', 'wrong password', i);
    const recorded = db.select().from(signInAttempts).all().length;
    for (let i = 0; i < 3; i += 1) await attempt(db, 'pub@example.gc.ca', 'wrong password', 100 + i);
    expect(db.select().from(signInAttempts).all()).toHaveLength(recorded);
    // So the wait does not grow: the account is free 15 minutes after its first failure.
    expect((await attempt(db, 'pub@example.gc.ca', PASSWORD, ATTEMPT_WINDOW_MS / 1000)).outcome).toBe('signed-in');
  });

  it('reject a deactivated account like a wrong password', async () => {
    const { db } = await withUser();
    db.update(users).set({ deactivatedAt: START }).run();
    expect((await attempt(db, 'pub@example.gc.ca', PASSWORD, 0)).outcome).toBe('failed');
  });
});

describe('retry time wording', () => {
  it('rounds up to the minute in each language', () => {
    // 15:00:30 UTC is 10:00:30 in Toronto, on standard time in early March.
    const retryAt = new Date('2026-03-02T15:00:30Z');
    expect(retryTimeText(retryAt, 'en')).toBe('10:01\u00a0a.m. EST');
    expect(retryTimeText(retryAt, 'fr')).toBe('10\u00a0h\u00a001\u00a0HNE');
  });
});

describe('second factor at sign-in', () => {
  async function withTwoFactor() {
    const { db, id } = await withUser();
    const actor = { id, email: 'pub@example.gc.ca', role: 'publisher' as const };
    const secret = pendingTotpSecret(db, actor)!;
    const codeAt = (seconds: number) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: at(seconds).getTime() });
    const recoveryCodes = enableTwoFactor(db, actor, { code: codeAt(0) }, at(0));
    return { db, id, codeAt, recoveryCodes };
  }

  it('accepts the current code once', async () => {
    const { db, id, codeAt } = await withTwoFactor();
    expect(checkSecondFactor(db, id, codeAt(60), ADDRESS, at(60))).toEqual({ outcome: 'passed', method: 'totp' });
    expect(checkSecondFactor(db, id, codeAt(60), ADDRESS, at(61))).toEqual({ outcome: 'failed' });
  });

  it('allows one step of clock drift either way', async () => {
    const { db, id, codeAt } = await withTwoFactor();
    expect(checkSecondFactor(db, id, codeAt(300), ADDRESS, at(330)).outcome).toBe('passed');
    expect(checkSecondFactor(db, id, codeAt(420), ADDRESS, at(390)).outcome).toBe('passed');
    expect(checkSecondFactor(db, id, codeAt(600), ADDRESS, at(660)).outcome).toBe('failed');
  });

  it('accepts each recovery code once', async () => {
    const { db, id, recoveryCodes } = await withTwoFactor();
    const [first, second] = recoveryCodes;
    expect(checkSecondFactor(db, id, first!, ADDRESS, at(60))).toEqual({ outcome: 'passed', method: 'recovery' });
    expect(checkSecondFactor(db, id, first!, ADDRESS, at(61)).outcome).toBe('failed');
    // Case, spaces and hyphens do not matter.
    expect(checkSecondFactor(db, id, ` ${second!.toUpperCase().replace('-', ' ')} `, ADDRESS, at(62)).outcome).toBe('passed');
  });

  it('limits failed codes like failed passwords', async () => {
    const { db, id, codeAt } = await withTwoFactor();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i += 1) expect(checkSecondFactor(db, id, '000000', ADDRESS, at(60 + i)).outcome).toBe('failed');
    const limited = checkSecondFactor(db, id, codeAt(120), ADDRESS, at(120));
    expect(limited).toEqual({ outcome: 'limited', retryAt: new Date(at(60).getTime() + ATTEMPT_WINDOW_MS) });
    // The password step is limited too, so signing in again gives no new tries.
    expect((await attempt(db, 'pub@example.gc.ca', PASSWORD, 121)).outcome).toBe('limited');
  });
});

describe('session stages', () => {
  const user = { id: 1, email: 'pub@example.gc.ca', role: 'publisher' as const, twoFactorEnabled: false };
  const session = (twoFactorPassed: boolean, twoFactorEnabled: boolean): ValidSession => ({ user: { ...user, twoFactorEnabled }, twoFactorPassed });

  it('follow the sign-in steps', () => {
    expect(sessionStage(null, () => true)).toBe('none');
    expect(sessionStage(session(false, true), () => false)).toBe('second-factor');
    expect(sessionStage(session(true, false), () => true)).toBe('two-factor-setup');
    expect(sessionStage(session(true, false), () => false)).toBe('complete');
    expect(sessionStage(session(true, true), () => true)).toBe('complete');
  });

  it('send each stage to its page', () => {
    const cases: [Parameters<typeof redirectForStage>[0], string, string | null][] = [
      ['none', '/admin/services', '/admin/login?next=%2Fadmin%2Fservices'],
      ['none', '/admin/login/two-factor', '/admin/login?next=%2Fadmin%2Fservices'],
      ['none', '/admin/invitation', null],
      ['second-factor', '/admin/services', '/admin/login/two-factor?next=%2Fadmin%2Fservices'],
      ['second-factor', '/admin/account/two-factor', '/admin/login/two-factor?next=%2Fadmin%2Fservices'],
      ['second-factor', '/admin/login/two-factor', null],
      ['second-factor', '/admin/logout', null],
      ['two-factor-setup', '/admin', '/admin/account/two-factor'],
      ['two-factor-setup', '/admin/users', '/admin/account/two-factor'],
      ['two-factor-setup', '/admin/account/two-factor', null],
      ['two-factor-setup', '/admin/language', null],
      ['complete', '/admin/users', null],
    ];
    for (const [stage, path, expected] of cases) expect(redirectForStage(stage, path, '/admin/services'), `${stage} ${path}`).toBe(expected);
  });
});
