// Writes to incidents: open, post an update, resolve, set the postmortem links.
import { currentTime } from '../clock.ts';
import { eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { incidents, incidentServices, incidentUpdates, services } from '../db/schema.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { IMPACTS, OPEN_INCIDENT_STATUSES, type Impact, type IncidentStatus } from '../vocabulary.ts';
import { recordAudit, type Transaction } from './audit.ts';
import { requirePermission, type Actor } from './permissions.ts';
import { BUDGETS, contentColumns, parseUpdateContent } from './update-content.ts';
import { collectFields, optionalHttpUrl, parseInput, pastDateTime, requiredText } from './validation.ts';

export const TITLE_MAX = 200;

/** Form values "impacts.<serviceId>": an impact, or empty for a service the incident does not touch. */
const impactsInput = z
  .record(z.string(), z.union([z.literal(''), z.enum(IMPACTS)]))
  .transform((record) =>
    Object.entries(record)
      .filter((entry): entry is [string, Impact] => entry[1] !== '')
      .map(([serviceId, impact]) => ({ serviceId: Number(serviceId), impact })),
  );

const incidentShape = {
  titleEn: requiredText(TITLE_MAX),
  titleFr: requiredText(TITLE_MAX),
  severity: z.enum(['1', '2', '3'], 'errors.severity').transform(Number),
  status: z.enum(OPEN_INCIDENT_STATUSES),
  startedAt: pastDateTime,
  detectedAt: pastDateTime,
  impacts: impactsInput.default([]),
};

const updateShape = {
  status: z.enum(OPEN_INCIDENT_STATUSES),
  impacts: impactsInput.optional(),
};

const resolveShape = {
  endedAt: pastDateTime,
  noticeEn: requiredText(BUDGETS.notice),
  noticeFr: requiredText(BUDGETS.notice),
  postmortemUrlEn: optionalHttpUrl.default(null),
  postmortemUrlFr: optionalHttpUrl.default(null),
};

const detailsShape = {
  titleEn: requiredText(TITLE_MAX),
  titleFr: requiredText(TITLE_MAX),
  severity: incidentShape.severity,
  startedAt: pastDateTime,
  detectedAt: pastDateTime,
  endedAt: z.preprocess((value) => (value === '' ? undefined : value), pastDateTime.optional()),
};

export const postmortemInput = z.object({
  postmortemUrlEn: optionalHttpUrl.default(null),
  postmortemUrlFr: optionalHttpUrl.default(null),
});

/** Parses a form of incident fields and composer content, reporting every field's problem at once. */
function parseWithContent<T extends Record<string, z.ZodType>>(shape: T, input: unknown, now: Date) {
  const { data, errors } = collectFields(shape, input);
  const { content, errors: contentErrors } = parseUpdateContent(input, { resolved: false, now });
  Object.assign(errors, contentErrors);
  return { data: data as { [K in keyof T]: z.output<T[K]> }, content, errors };
}

type ImpactList = { serviceId: number; impact: Impact }[];

/** Checks that every service exists, and that there is at least one. */
function assertKnownServices(tx: Transaction, impacts: ImpactList): void {
  if (impacts.length === 0) throw new ValidationError({ impacts: 'errors.serviceRequired' });
  const ids = impacts.map((entry) => entry.serviceId);
  const unknown = () => new ValidationError({ impacts: 'errors.unknownService' });
  if (ids.some((id) => !Number.isSafeInteger(id))) throw unknown();
  const found = tx.select({ id: services.id }).from(services).where(inArray(services.id, ids)).all();
  if (found.length !== new Set(ids).size) throw unknown();
}

function replaceImpacts(tx: Transaction, incidentId: number, impacts: ImpactList): void {
  tx.delete(incidentServices).where(eq(incidentServices.incidentId, incidentId)).run();
  tx.insert(incidentServices)
    .values(impacts.map((entry) => ({ incidentId, ...entry })))
    .run();
}

/** Requires both postmortem links or neither: nothing reaches the public in one language only. */
function assertPostmortemPair(urlEn: string | null, urlFr: string | null): void {
  if (urlEn && !urlFr) throw new ValidationError({ postmortemUrlFr: 'errors.postmortemPair' });
  if (urlFr && !urlEn) throw new ValidationError({ postmortemUrlEn: 'errors.postmortemPair' });
}

function getIncidentForWrite(tx: Transaction, id: number) {
  const incident = tx.select().from(incidents).where(eq(incidents.id, id)).get();
  if (!incident) throw new NotFoundError('incident', id);
  return incident;
}

/** Opens an incident with its first public update. Returns the new incident's id. */
export function openIncident(db: Db, actor: Actor, input: unknown, now = currentTime()): number {
  requirePermission(actor, 'incidents.write');
  const { data: values, content, errors } = parseWithContent(incidentShape, input, now);
  if (values.startedAt && values.detectedAt && values.detectedAt < values.startedAt) errors.detectedAt ??= 'errors.detectedBeforeStart';
  if (values.impacts?.length === 0) errors.impacts ??= 'errors.serviceRequired';
  if (!content || Object.keys(errors).length > 0) throw new ValidationError(errors);

  return db.transaction((tx) => {
    assertKnownServices(tx, values.impacts);
    const { id } = tx
      .insert(incidents)
      .values({
        titleEn: values.titleEn,
        titleFr: values.titleFr,
        severity: values.severity,
        status: values.status,
        startedAt: values.startedAt,
        detectedAt: values.detectedAt,
        nextUpdateAt: content.nextUpdateAt,
        updatedAt: now,
      })
      .returning({ id: incidents.id })
      .get();
    replaceImpacts(tx, id, values.impacts);
    tx.insert(incidentUpdates)
      .values({ incidentId: id, status: values.status, ...contentColumns(content), postedAt: now, authorId: actor.id })
      .run();
    recordAudit(tx, actor, { action: 'incident.open', entityType: 'incident', entityId: id, detail: { ...values, content } }, now);
    return id;
  });
}

/** Posts an update; an update on a resolved incident reopens it. */
export function postUpdate(db: Db, actor: Actor, incidentId: number, input: unknown, now = currentTime()): number {
  requirePermission(actor, 'incidents.write');
  const { data: values, content, errors } = parseWithContent(updateShape, input, now);
  if (!content || Object.keys(errors).length > 0) throw new ValidationError(errors);

  return db.transaction((tx) => {
    const incident = getIncidentForWrite(tx, incidentId);
    if (values.impacts) {
      assertKnownServices(tx, values.impacts);
      replaceImpacts(tx, incidentId, values.impacts);
    }
    tx.update(incidents)
      .set({ status: values.status, endedAt: null, nextUpdateAt: content.nextUpdateAt, updatedAt: now })
      .where(eq(incidents.id, incidentId))
      .run();
    const { id } = tx
      .insert(incidentUpdates)
      .values({ incidentId, status: values.status, ...contentColumns(content), postedAt: now, authorId: actor.id })
      .returning({ id: incidentUpdates.id })
      .get();
    const action = incident.status === 'resolved' ? 'incident.reopen' : 'incident.update';
    recordAudit(tx, actor, { action, entityType: 'incident', entityId: incidentId, detail: { updateId: id, ...values, content } }, now);
    return id;
  });
}

/** Inserts the short public update that announces a newly linked postmortem. */
function announcePostmortem(tx: Transaction, actor: Actor, incidentId: number, status: IncidentStatus, at: Date): void {
  tx.insert(incidentUpdates)
    .values({ incidentId, status, kind: 'postmortem', bodyEn: '', bodyFr: '', postedAt: at, authorId: actor.id })
    .run();
}

/** Resolves an incident with its resolution notice and end of impact. */
export function resolveIncident(db: Db, actor: Actor, incidentId: number, input: unknown, now = currentTime()): number {
  requirePermission(actor, 'incidents.write');
  const { data: values, errors } = collectFields(resolveShape, input);

  return db.transaction((tx) => {
    const incident = getIncidentForWrite(tx, incidentId);
    if (incident.status === 'resolved') throw new ValidationError({ form: 'errors.alreadyResolved' });
    if (values.endedAt && values.endedAt < incident.startedAt) errors.endedAt ??= 'errors.endBeforeStart';
    if (values.postmortemUrlEn && !values.postmortemUrlFr) errors.postmortemUrlFr ??= 'errors.postmortemPair';
    if (values.postmortemUrlFr && !values.postmortemUrlEn) errors.postmortemUrlEn ??= 'errors.postmortemPair';
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const { endedAt, noticeEn, noticeFr } = values as Required<typeof values>;

    const addsPostmortem = Boolean(values.postmortemUrlEn) && incident.postmortemUrlEn === null;
    tx.update(incidents)
      .set({
        status: 'resolved',
        endedAt,
        nextUpdateAt: null,
        updatedAt: now,
        ...(values.postmortemUrlEn ? { postmortemUrlEn: values.postmortemUrlEn, postmortemUrlFr: values.postmortemUrlFr } : {}),
      })
      .where(eq(incidents.id, incidentId))
      .run();
    const { id } = tx
      .insert(incidentUpdates)
      .values({ incidentId, status: 'resolved', bodyEn: noticeEn, bodyFr: noticeFr, postedAt: now, authorId: actor.id })
      .returning({ id: incidentUpdates.id })
      .get();
    // One millisecond later, so that the announcement sorts after the resolution notice.
    if (addsPostmortem) announcePostmortem(tx, actor, incidentId, 'resolved', new Date(now.getTime() + 1));
    recordAudit(tx, actor, { action: 'incident.resolve', entityType: 'incident', entityId: incidentId, detail: { updateId: id, ...values } }, now);
    return id;
  });
}

/** Corrects an incident's titles, severity and times without posting an update. */
export function correctIncident(db: Db, actor: Actor, incidentId: number, input: unknown, now = currentTime()): void {
  requirePermission(actor, 'incidents.write');
  const { data: values, errors } = collectFields(detailsShape, input);

  db.transaction((tx) => {
    const incident = getIncidentForWrite(tx, incidentId);
    const resolved = incident.status === 'resolved';
    if (values.startedAt && values.detectedAt && values.detectedAt < values.startedAt) errors.detectedAt ??= 'errors.detectedBeforeStart';
    if (resolved && !values.endedAt) errors.endedAt ??= 'errors.required';
    if (values.startedAt && values.endedAt && values.endedAt < values.startedAt) errors.endedAt ??= 'errors.endBeforeStart';
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);

    const { endedAt, ...fields } = values as Required<typeof values>;
    tx.update(incidents)
      .set({ ...fields, ...(resolved ? { endedAt } : {}), updatedAt: now })
      .where(eq(incidents.id, incidentId))
      .run();
    recordAudit(tx, actor, { action: 'incident.details', entityType: 'incident', entityId: incidentId, detail: values }, now);
  });
}

/**
 * Sets, changes or removes (both fields empty) the postmortem links of an incident. The first
 * link posts a short public update that points readers to it.
 */
export function setPostmortem(db: Db, actor: Actor, incidentId: number, input: unknown, now = currentTime()): void {
  requirePermission(actor, 'incidents.write');
  const values = parseInput(postmortemInput, input);
  assertPostmortemPair(values.postmortemUrlEn, values.postmortemUrlFr);

  db.transaction((tx) => {
    const incident = getIncidentForWrite(tx, incidentId);
    tx.update(incidents)
      .set({ postmortemUrlEn: values.postmortemUrlEn, postmortemUrlFr: values.postmortemUrlFr, updatedAt: now })
      .where(eq(incidents.id, incidentId))
      .run();
    // Readers hear of the postmortem once, when it is first linked; later corrections are silent.
    if (values.postmortemUrlEn !== null && incident.postmortemUrlEn === null) announcePostmortem(tx, actor, incidentId, incident.status, now);
    recordAudit(tx, actor, { action: 'incident.postmortem', entityType: 'incident', entityId: incidentId, detail: values }, now);
  });
}
