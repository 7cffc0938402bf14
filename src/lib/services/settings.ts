// Site-wide settings that administrators change in the admin area.
import { currentTime } from '../clock.ts';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { settings } from '../db/schema.ts';
import { recordAudit } from './audit.ts';
import { requirePermission, type Actor } from './permissions.ts';
import { parseInput } from './validation.ts';

/** When "true", every user must set up two-factor sign-in before doing anything else. */
export const REQUIRE_TWO_FACTOR = 'require_two_factor';

// A checkbox sends "on" when ticked and nothing when not.
const requireTwoFactorInput = z.object({ requireTwoFactor: z.enum(['on']).optional() });

export function isTwoFactorRequired(db: Db): boolean {
  return db.select({ value: settings.value }).from(settings).where(eq(settings.key, REQUIRE_TWO_FACTOR)).get()?.value === 'true';
}

/** Turns the two-factor requirement on or off for every user. Only administrators may. */
export function setTwoFactorRequired(db: Db, actor: Actor, input: unknown, now = currentTime()): void {
  requirePermission(actor, 'settings.write');
  const required = parseInput(requireTwoFactorInput, input).requireTwoFactor === 'on';
  const value = required ? 'true' : 'false';
  db.transaction((tx) => {
    const current = tx.select({ value: settings.value }).from(settings).where(eq(settings.key, REQUIRE_TWO_FACTOR)).get();
    if ((current?.value ?? 'false') === value) return;
    tx.insert(settings)
      .values({ key: REQUIRE_TWO_FACTOR, value, updatedAt: now })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } })
      .run();
    recordAudit(tx, actor, { action: 'settings.requireTwoFactor', entityType: 'setting', entityId: REQUIRE_TWO_FACTOR, detail: { required } }, now);
  });
}
