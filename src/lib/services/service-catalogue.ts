// Writes to the list of services shown on the status page.
import { currentTime } from '../clock.ts';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { services } from '../db/schema.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { recordAudit } from './audit.ts';
import { requirePermission, type Actor } from './permissions.ts';
import { optionalText, parseInput, requiredText } from './validation.ts';

export const serviceInput = z.object({
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, 'errors.required')
    .max(60, 'errors.tooLong')
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'errors.slug'),
  nameEn: requiredText(100),
  nameFr: requiredText(100),
  descriptionEn: optionalText(500),
  descriptionFr: optionalText(500),
  displayOrder: z.coerce.number('errors.number').int('errors.number').min(0, 'errors.number').max(9999, 'errors.number'),
});
export type ServiceInput = z.infer<typeof serviceInput>;

function assertSlugFree(db: Db, slug: string, exceptId?: number): void {
  const existing = db.select({ id: services.id }).from(services).where(eq(services.slug, slug)).get();
  if (existing && existing.id !== exceptId) throw new ValidationError({ slug: 'errors.slugTaken' });
}

export function createService(db: Db, actor: Actor, input: unknown, now = currentTime()): number {
  requirePermission(actor, 'services.write');
  const values = parseInput(serviceInput, input);
  return db.transaction((tx) => {
    assertSlugFree(db, values.slug);
    const { id } = tx.insert(services).values({ ...values, createdAt: now }).returning({ id: services.id }).get();
    recordAudit(tx, actor, { action: 'service.create', entityType: 'service', entityId: id, detail: values }, now);
    return id;
  });
}

export function updateService(db: Db, actor: Actor, id: number, input: unknown): void {
  requirePermission(actor, 'services.write');
  const values = parseInput(serviceInput, input);
  db.transaction((tx) => {
    const existing = tx.select().from(services).where(eq(services.id, id)).get();
    if (!existing) throw new NotFoundError('service', id);
    assertSlugFree(db, values.slug, id);
    tx.update(services).set(values).where(eq(services.id, id)).run();
    recordAudit(tx, actor, { action: 'service.update', entityType: 'service', entityId: id, detail: values });
  });
}
