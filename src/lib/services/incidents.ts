// Writes to incidents: open, post an update, resolve, set the postmortem links.
//
// Every write increments `incidents.version`. A form carries the version it was loaded at
// in its `version` field. A write based on an older version is rejected with the message
// key CONFLICT_MESSAGE on `form`, so two people editing the same incident cannot overwrite
// each other without seeing the other's change.
import { currentTime } from '../clock.ts';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { auditLog, incidents, incidentServices, incidentUpdates, services } from '../db/schema.ts';
import { NotFoundError, ValidationError, type FieldErrors } from '../errors.ts';
import { IMPACTS, OPEN_INCIDENT_STATUSES, type Impact, type IncidentStatus } from '../vocabulary.ts';
import { recordAudit, type Transaction } from './audit.ts';
import { requirePermission, type Actor } from './permissions.ts';
import { BUDGETS, contentColumns, parseUpdateContent, type UpdateContent } from './update-content.ts';
import { collectFields, optionalHttpUrl, pastDateTime, requiredText } from './validation.ts';

export const TITLE_MAX = 200;

/** Message key of a write rejected because the incident changed after the form was loaded. */
export const CONFLICT_MESSAGE = 'safety.conflict';
/** Message key of a form whose `version` field is missing or not a version number. */
export const VERSION_MISSING_MESSAGE = 'safety.versionMissing';

// Writes read the incident and then change it. An immediate transaction takes the write
// lock at BEGIN, so another connection (a script, a second process) cannot commit in
// between, and the version read is still current when the row is written.
const WRITE = { behavior: 'immediate' } as const;

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

const postmortemShape = {
  postmortemUrlEn: optionalHttpUrl.default(null),
  postmortemUrlFr: optionalHttpUrl.default(null),
};

// C0 controls other than tab, line feed and carriage return, DEL, C1 controls, and the two
// noncharacters that XML 1.0 forbids. None belongs in public text, and one of them in a
// title or an update would make the RSS and Atom feeds invalid XML for every reader.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/;
// Whitespace and format characters: zero-width spaces and joiners, direction marks, byte order marks.
const INVISIBLE_CHARACTERS = /[\s\p{Cf}]/gu;

/** Public text fields of a form: those that must show something, and those that may be empty. */
export interface TextFields {
  required: readonly string[];
  optional: readonly string[];
}

/**
 * Checks public text fields beyond their schemas: no control characters, and at least one
 * visible character in a required field, because trimming removes spaces but not zero-width
 * characters. Adds an error only to a field that has none yet.
 */
export function checkPublicText(input: unknown, fields: TextFields, errors: FieldErrors): void {
  const record = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  for (const field of [...fields.required, ...fields.optional]) {
    const value = record[field];
    if (typeof value !== 'string') continue;
    if (CONTROL_CHARACTERS.test(value)) errors[field] ??= 'safety.controlCharacters';
    else if (fields.required.includes(field) && value.replace(INVISIBLE_CHARACTERS, '') === '') errors[field] ??= 'errors.required';
  }
}

const COMPOSER_TEXT = { required: ['summaryEn', 'summaryFr'], optional: ['nowEn', 'nowFr', 'nextEn', 'nextFr', 'causeEn', 'causeFr'] } as const;
const TITLE_TEXT = { required: ['titleEn', 'titleFr'], optional: [] } as const;
const POSTMORTEM_TEXT = { required: [], optional: ['postmortemUrlEn', 'postmortemUrlFr'] } as const;
const NOTICE_TEXT = { required: ['noticeEn', 'noticeFr'], optional: [] } as const;

/** Parses a form of incident fields and composer content, reporting every field's problem at once. */
function parseWithContent<T extends Record<string, z.ZodType>>(shape: T, input: unknown, now: Date) {
  const { data, errors } = collectFields(shape, input);
  const { content, errors: contentErrors } = parseUpdateContent(input, { resolved: false, now });
  Object.assign(errors, contentErrors);
  checkPublicText(input, COMPOSER_TEXT, errors);
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
function checkPostmortemPair(urlEn: string | null | undefined, urlFr: string | null | undefined, errors: FieldErrors): void {
  if (urlEn && !urlFr) errors.postmortemUrlFr ??= 'errors.postmortemPair';
  if (urlFr && !urlEn) errors.postmortemUrlEn ??= 'errors.postmortemPair';
}

type IncidentRow = typeof incidents.$inferSelect;

function getIncidentForWrite(tx: Transaction, id: number): IncidentRow {
  const incident = tx.select().from(incidents).where(eq(incidents.id, id)).get();
  if (!incident) throw new NotFoundError('incident', id);
  return incident;
}

/** Returns a form's `version` value as a version number, or undefined when it is not one. */
export function parseVersion(value: unknown): number | undefined {
  let text = '';
  if (typeof value === 'number') text = String(value);
  if (typeof value === 'string') text = value.trim();
  return /^[1-9]\d{0,14}$/.test(text) ? Number(text) : undefined;
}

/**
 * Reads the version a form was loaded at. Returns undefined when the input has no `version`
 * key at all: callers that write on top of the latest state, such as the sample data, leave
 * it out. The admin pages always pass it, so a form without one is rejected there.
 */
function readExpectedVersion(input: unknown, errors: FieldErrors): number | undefined {
  const value = typeof input === 'object' && input !== null ? (input as Record<string, unknown>).version : undefined;
  if (value === undefined) return undefined;
  const version = parseVersion(value);
  if (version === undefined) errors.form ??= VERSION_MISSING_MESSAGE;
  return version;
}

/** Adds the conflict message when the incident is no longer at the version the form was loaded at. */
function checkVersion(incident: IncidentRow, expected: number | undefined, errors: FieldErrors): void {
  if (expected !== undefined && expected !== incident.version) errors.form = CONFLICT_MESSAGE;
}

function throwIfInvalid(errors: FieldErrors): void {
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}

/** Incident fields that a conflict message lists when they changed. */
export const TRACKED_FIELDS = ['status', 'titleEn', 'titleFr', 'severity', 'startedAt', 'detectedAt', 'endedAt', 'postmortemUrlEn', 'postmortemUrlFr'] as const;
export type TrackedField = (typeof TRACKED_FIELDS)[number];

/** One field's value before and after a write, as stored in the audit log: times are ISO 8601 strings. */
export interface FieldChange {
  field: TrackedField;
  before: string | number | null;
  after: string | number | null;
}

function auditValue(value: unknown): string | number | null {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'number') return value;
  return null;
}

type IncidentColumns = Partial<Omit<typeof incidents.$inferInsert, 'id' | 'version' | 'createdAt'>>;

/**
 * Writes new column values to an incident and increments its version. Returns the new
 * version and the tracked fields that changed, for the audit log.
 */
function writeIncident(tx: Transaction, incident: IncidentRow, columns: IncidentColumns): { version: number; changes: FieldChange[] } {
  const version = incident.version + 1;
  const result = tx
    .update(incidents)
    .set({ ...columns, version })
    .where(and(eq(incidents.id, incident.id), eq(incidents.version, incident.version)))
    .run();
  // Unreachable inside an immediate transaction; kept so that a lost update can never pass silently.
  if (result.changes !== 1) throw new ValidationError({ form: CONFLICT_MESSAGE });

  const changes: FieldChange[] = [];
  for (const field of TRACKED_FIELDS) {
    if (!(field in columns)) continue;
    const before = auditValue(incident[field]);
    const after = auditValue(columns[field]);
    if (before !== after) changes.push({ field, before, after });
  }
  return { version, changes };
}

/** Opens an incident, at version 1, with its first public update. Returns the new incident's id. */
export function openIncident(db: Db, actor: Actor, input: unknown, now = currentTime()): number {
  requirePermission(actor, 'incidents.write');
  const { data: values, content, errors } = parseWithContent(incidentShape, input, now);
  checkPublicText(input, TITLE_TEXT, errors);
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
        version: 1,
      })
      .returning({ id: incidents.id })
      .get();
    replaceImpacts(tx, id, values.impacts);
    tx.insert(incidentUpdates)
      .values({ incidentId: id, status: values.status, ...contentColumns(content), postedAt: now, authorId: actor.id })
      .run();
    recordAudit(tx, actor, { action: 'incident.open', entityType: 'incident', entityId: id, detail: { ...values, content, version: 1 } }, now);
    return id;
  }, WRITE);
}

/** Posts an update; an update on a resolved incident reopens it. */
export function postUpdate(db: Db, actor: Actor, incidentId: number, input: unknown, now = currentTime()): number {
  requirePermission(actor, 'incidents.write');
  const { data: values, content, errors } = parseWithContent(updateShape, input, now);
  const expected = readExpectedVersion(input, errors);

  return db.transaction((tx) => {
    const incident = getIncidentForWrite(tx, incidentId);
    checkVersion(incident, expected, errors);
    throwIfInvalid(errors);
    const parsed = content as UpdateContent;
    if (values.impacts) {
      assertKnownServices(tx, values.impacts);
      replaceImpacts(tx, incidentId, values.impacts);
    }
    const { version, changes } = writeIncident(tx, incident, { status: values.status, endedAt: null, nextUpdateAt: parsed.nextUpdateAt, updatedAt: now });
    const { id } = tx
      .insert(incidentUpdates)
      .values({ incidentId, status: values.status, ...contentColumns(parsed), postedAt: now, authorId: actor.id })
      .returning({ id: incidentUpdates.id })
      .get();
    const action = incident.status === 'resolved' ? 'incident.reopen' : 'incident.update';
    recordAudit(tx, actor, { action, entityType: 'incident', entityId: incidentId, detail: { updateId: id, ...values, content: parsed, version, changes } }, now);
    return id;
  }, WRITE);
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
  checkPublicText(input, NOTICE_TEXT, errors);
  checkPublicText(input, POSTMORTEM_TEXT, errors);
  const expected = readExpectedVersion(input, errors);
  checkPostmortemPair(values.postmortemUrlEn, values.postmortemUrlFr, errors);

  return db.transaction((tx) => {
    const incident = getIncidentForWrite(tx, incidentId);
    checkVersion(incident, expected, errors);
    // A conflict explains an incident resolved by someone else better than "already resolved".
    if (incident.status === 'resolved' && errors.form !== CONFLICT_MESSAGE) throw new ValidationError({ form: 'errors.alreadyResolved' });
    if (values.endedAt && values.endedAt < incident.startedAt) errors.endedAt ??= 'errors.endBeforeStart';
    throwIfInvalid(errors);
    const { endedAt, noticeEn, noticeFr } = values as Required<typeof values>;

    const addsPostmortem = Boolean(values.postmortemUrlEn) && incident.postmortemUrlEn === null;
    const { version, changes } = writeIncident(tx, incident, {
      status: 'resolved',
      endedAt,
      nextUpdateAt: null,
      updatedAt: now,
      ...(values.postmortemUrlEn ? { postmortemUrlEn: values.postmortemUrlEn, postmortemUrlFr: values.postmortemUrlFr } : {}),
    });
    const { id } = tx
      .insert(incidentUpdates)
      .values({ incidentId, status: 'resolved', bodyEn: noticeEn, bodyFr: noticeFr, postedAt: now, authorId: actor.id })
      .returning({ id: incidentUpdates.id })
      .get();
    // One millisecond later, so that the announcement sorts after the resolution notice.
    if (addsPostmortem) announcePostmortem(tx, actor, incidentId, 'resolved', new Date(now.getTime() + 1));
    recordAudit(tx, actor, { action: 'incident.resolve', entityType: 'incident', entityId: incidentId, detail: { updateId: id, ...values, version, changes } }, now);
    return id;
  }, WRITE);
}

/** Corrects an incident's titles, severity and times without posting an update. */
export function correctIncident(db: Db, actor: Actor, incidentId: number, input: unknown, now = currentTime()): void {
  requirePermission(actor, 'incidents.write');
  const { data: values, errors } = collectFields(detailsShape, input);
  checkPublicText(input, TITLE_TEXT, errors);
  const expected = readExpectedVersion(input, errors);

  db.transaction((tx) => {
    const incident = getIncidentForWrite(tx, incidentId);
    checkVersion(incident, expected, errors);
    const resolved = incident.status === 'resolved';
    if (values.startedAt && values.detectedAt && values.detectedAt < values.startedAt) errors.detectedAt ??= 'errors.detectedBeforeStart';
    if (resolved && !values.endedAt) errors.endedAt ??= 'errors.required';
    if (values.startedAt && values.endedAt && values.endedAt < values.startedAt) errors.endedAt ??= 'errors.endBeforeStart';
    throwIfInvalid(errors);

    const { endedAt, ...fields } = values as Required<typeof values>;
    const { version, changes } = writeIncident(tx, incident, { ...fields, ...(resolved ? { endedAt } : {}), updatedAt: now });
    recordAudit(tx, actor, { action: 'incident.details', entityType: 'incident', entityId: incidentId, detail: { ...values, version, changes } }, now);
  }, WRITE);
}

/**
 * Sets, changes or removes (both fields empty) the postmortem links of an incident. The first
 * link posts a short public update that points readers to it.
 */
export function setPostmortem(db: Db, actor: Actor, incidentId: number, input: unknown, now = currentTime()): void {
  requirePermission(actor, 'incidents.write');
  const { data: values, errors } = collectFields(postmortemShape, input);
  checkPublicText(input, POSTMORTEM_TEXT, errors);
  const expected = readExpectedVersion(input, errors);
  checkPostmortemPair(values.postmortemUrlEn, values.postmortemUrlFr, errors);

  db.transaction((tx) => {
    const incident = getIncidentForWrite(tx, incidentId);
    checkVersion(incident, expected, errors);
    throwIfInvalid(errors);
    const urlEn = values.postmortemUrlEn ?? null;
    const urlFr = values.postmortemUrlFr ?? null;

    const { version, changes } = writeIncident(tx, incident, { postmortemUrlEn: urlEn, postmortemUrlFr: urlFr, updatedAt: now });
    // Readers hear of the postmortem once, when it is first linked; later corrections are silent.
    if (urlEn !== null && incident.postmortemUrlEn === null) announcePostmortem(tx, actor, incidentId, incident.status, now);
    recordAudit(tx, actor, { action: 'incident.postmortem', entityType: 'incident', entityId: incidentId, detail: { ...values, version, changes } }, now);
  }, WRITE);
}

/** A write to an incident made after a given version, as listed in a conflict message. */
export interface IncidentChange {
  version: number;
  action: string;
  actor: string;
  at: Date;
  /** The public update that the write posted, if any. */
  update: { status: IncidentStatus; kind: string; bodyEn: string; bodyFr: string } | null;
  changes: FieldChange[];
}

/**
 * Lists the writes to an incident after the given version, oldest first, from the audit log.
 * Writes recorded before versions were written to the audit log are not listed.
 */
export function listChangesSince(db: Db, incidentId: number, version: number): IncidentChange[] {
  const entries = db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.entityType, 'incident'),
        eq(auditLog.entityId, String(incidentId)),
        sql`json_extract(${auditLog.detail}, '$.version') > ${version}`,
      ),
    )
    .orderBy(asc(auditLog.id))
    .all();
  const updateIds = entries.map((entry) => entry.detail?.updateId).filter((id): id is number => typeof id === 'number');
  const updates = updateIds.length === 0 ? [] : db
    .select({ id: incidentUpdates.id, status: incidentUpdates.status, kind: incidentUpdates.kind, bodyEn: incidentUpdates.bodyEn, bodyFr: incidentUpdates.bodyFr })
    .from(incidentUpdates)
    .where(inArray(incidentUpdates.id, updateIds))
    .all();
  return entries.map((entry) => {
    const update = updates.find((candidate) => candidate.id === entry.detail?.updateId);
    return {
      version: Number(entry.detail?.version),
      action: entry.action,
      actor: entry.actor,
      at: entry.at,
      update: update ? { status: update.status, kind: update.kind, bodyEn: update.bodyEn, bodyFr: update.bodyFr } : null,
      changes: Array.isArray(entry.detail?.changes) ? (entry.detail.changes as FieldChange[]) : [],
    };
  });
}

/** Merges the field changes of several writes into one per field: the first value before and the last after. */
export function netFieldChanges(changes: readonly IncidentChange[]): FieldChange[] {
  const merged = new Map<TrackedField, FieldChange>();
  for (const change of changes.flatMap((entry) => entry.changes)) {
    const earlier = merged.get(change.field);
    merged.set(change.field, { field: change.field, before: earlier ? earlier.before : change.before, after: change.after });
  }
  return TRACKED_FIELDS.flatMap((field) => {
    const change = merged.get(field);
    return change && change.before !== change.after ? [change] : [];
  });
}
