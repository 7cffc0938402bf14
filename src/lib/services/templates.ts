// Update templates: the team's editable starting points for the usual moments of an incident.
import { currentTime } from '../clock.ts';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { updateTemplates } from '../db/schema.ts';
import { NotFoundError } from '../errors.ts';
import { recordAudit } from './audit.ts';
import { requirePermission, type Actor } from './permissions.ts';
import { BUDGETS, MAX_POINTS } from './update-content.ts';
import { optionalText, parseInput, requiredText } from './validation.ts';

const pointsText = optionalText(MAX_POINTS * (BUDGETS.point + 2));

export const templateInput = z.object({
  nameEn: requiredText(80),
  nameFr: requiredText(80),
  summaryEn: requiredText(BUDGETS.notice),
  summaryFr: requiredText(BUDGETS.notice),
  nowEn: pointsText,
  nowFr: pointsText,
  nextEn: pointsText,
  nextFr: pointsText,
});

export type UpdateTemplate = typeof updateTemplates.$inferSelect;

export function listTemplates(db: Db): UpdateTemplate[] {
  return db.select().from(updateTemplates).orderBy(asc(updateTemplates.displayOrder), asc(updateTemplates.id)).all();
}

export function getTemplate(db: Db, id: number): UpdateTemplate | undefined {
  return db.select().from(updateTemplates).where(eq(updateTemplates.id, id)).get();
}

export function updateTemplate(db: Db, actor: Actor, id: number, input: unknown, now = currentTime()): void {
  requirePermission(actor, 'incidents.write');
  const values = parseInput(templateInput, input);
  db.transaction((tx) => {
    if (!tx.select({ id: updateTemplates.id }).from(updateTemplates).where(eq(updateTemplates.id, id)).get()) throw new NotFoundError('template', id);
    tx.update(updateTemplates).set({ ...values, updatedAt: now }).where(eq(updateTemplates.id, id)).run();
    recordAudit(tx, actor, { action: 'template.update', entityType: 'template', entityId: id, detail: values }, now);
  });
}

/** Composer values filled from a template; the resolution template fills the notice instead. */
export function templateValues(template: UpdateTemplate): Record<string, string> {
  return {
    summaryEn: template.summaryEn,
    summaryFr: template.summaryFr,
    noticeEn: template.summaryEn,
    noticeFr: template.summaryFr,
    nowEn: template.nowEn,
    nowFr: template.nowFr,
    nextEn: template.nextEn,
    nextFr: template.nextFr,
    ...(template.moment === 'investigating' || template.moment === 'identified' || template.moment === 'monitoring' ? { status: template.moment } : {}),
  };
}
