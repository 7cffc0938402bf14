import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/lib/db/client.ts';
import { auditLog, incidents, incidentUpdates } from '../../src/lib/db/schema.ts';
import { ValidationError } from '../../src/lib/errors.ts';
import {
  CONFLICT_MESSAGE,
  correctIncident,
  listChangesSince,
  netFieldChanges,
  openIncident,
  parseVersion,
  postUpdate,
  resolveIncident,
  setPostmortem,
  VERSION_MISSING_MESSAGE,
} from '../../src/lib/services/incidents.ts';
import { createService } from '../../src/lib/services/service-catalogue.ts';
import { toDateTimeLocalValue } from '../../src/lib/time.ts';
import { admin, freshDb, publisher } from './helpers.ts';

const ZONE = 'America/Toronto';
const hoursAgo = (hours: number) => toDateTimeLocalValue(new Date(Date.now() - hours * 3_600_000), ZONE);
const other = { id: null, email: 'other@example.gc.ca', role: 'publisher' } as const;

function openOne(db: Db): number {
  const serviceId = createService(db, admin, { slug: 'notify-api', nameEn: 'API', nameFr: 'API', descriptionEn: '', descriptionFr: '', displayOrder: '1' });
  return openIncident(db, publisher, {
    titleEn: 'Emails delayed',
    titleFr: 'Retards des courriels',
    severity: '2',
    status: 'investigating',
    startedAt: hoursAgo(2),
    detectedAt: hoursAgo(1.5),
    impacts: { [String(serviceId)]: 'partial_outage' },
    ...content('We are investigating.', 'Nous enquêtons.'),
  });
}

function content(summaryEn: string, summaryFr: string) {
  return { summaryEn, summaryFr, usersAffectedKind: 'unknown', causeKnown: 'no', restorationKnown: 'no', nextUpdateAt: hoursAgo(-0.5) };
}

const update = (status: string, summaryEn: string, summaryFr: string, version?: number | string) => ({
  status,
  ...content(summaryEn, summaryFr),
  ...(version === undefined ? {} : { version: String(version) }),
});
const resolution = (version?: number) => ({ endedAt: hoursAgo(0.1), noticeEn: 'Restored.', noticeFr: 'Rétabli.', ...(version === undefined ? {} : { version: String(version) }) });
const details = (titleEn: string, severity: string, version: number) => ({ titleEn, titleFr: `${titleEn} (fr)`, severity, startedAt: hoursAgo(2), detectedAt: hoursAgo(1.5), version: String(version) });

const versionOf = (db: Db, id: number) => db.select({ version: incidents.version }).from(incidents).where(eq(incidents.id, id)).get()?.version;
const updateCount = (db: Db) => db.select({ n: count() }).from(incidentUpdates).get()?.n;
const auditCount = (db: Db) => db.select({ n: count() }).from(auditLog).get()?.n;

/** Runs a write that must be rejected and returns its field errors. */
function rejected(write: () => unknown): Record<string, string> {
  try {
    write();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).fieldErrors;
  }
  throw new Error('expected a ValidationError');
}

describe('incident version', () => {
  it('starts at 1 and increases with every write', () => {
    const db = freshDb();
    const id = openOne(db);
    expect(versionOf(db, id)).toBe(1);

    postUpdate(db, publisher, id, update('identified', 'Found it.', 'Trouvé.', 1));
    expect(versionOf(db, id)).toBe(2);
    correctIncident(db, publisher, id, details('Emails slow', '3', 2));
    expect(versionOf(db, id)).toBe(3);
    resolveIncident(db, publisher, id, resolution(3));
    expect(versionOf(db, id)).toBe(4);
    setPostmortem(db, publisher, id, { postmortemUrlEn: 'https://example.gc.ca/en/pm', postmortemUrlFr: 'https://example.gc.ca/fr/pm', version: '4' });
    expect(versionOf(db, id)).toBe(5);
  });

  it('also increases for writes without a version', () => {
    const db = freshDb();
    const id = openOne(db);
    postUpdate(db, publisher, id, update('identified', 'Found it.', 'Trouvé.'));
    resolveIncident(db, publisher, id, resolution());
    expect(versionOf(db, id)).toBe(3);
  });
});

describe('write based on an older version', () => {
  it('rejects an update and saves nothing', () => {
    const db = freshDb();
    const id = openOne(db);
    postUpdate(db, other, id, update('identified', 'Found it.', 'Trouvé.', 1));
    const updates = updateCount(db);
    const audits = auditCount(db);

    const errors = rejected(() => postUpdate(db, publisher, id, update('monitoring', 'Fix applied.', 'Correctif appliqué.', 1)));
    expect(errors.form).toBe(CONFLICT_MESSAGE);
    expect(updateCount(db)).toBe(updates);
    expect(auditCount(db)).toBe(audits);
    expect(versionOf(db, id)).toBe(2);
    expect(db.select().from(incidents).where(eq(incidents.id, id)).get()?.status).toBe('identified');
  });

  it('saves both updates once resubmitted at the new version', () => {
    const db = freshDb();
    const id = openOne(db);
    postUpdate(db, other, id, update('identified', 'Found it.', 'Trouvé.', 1));
    rejected(() => postUpdate(db, publisher, id, update('monitoring', 'Fix applied.', 'Correctif appliqué.', 1)));

    postUpdate(db, publisher, id, update('monitoring', 'Fix applied.', 'Correctif appliqué.', 2));
    const bodies = db.select({ body: incidentUpdates.bodyEn }).from(incidentUpdates).where(eq(incidentUpdates.incidentId, id)).all().map((row) => row.body);
    expect(bodies).toEqual(['We are investigating.', 'Found it.', 'Fix applied.']);
    expect(versionOf(db, id)).toBe(3);
  });

  it('rejects a resolution after someone else resolved', () => {
    const db = freshDb();
    const id = openOne(db);
    resolveIncident(db, other, id, resolution(1));
    const errors = rejected(() => resolveIncident(db, publisher, id, resolution(1)));
    expect(errors.form).toBe(CONFLICT_MESSAGE);
    expect(updateCount(db)).toBe(2);
  });

  it('still reports an incident already resolved at the same version', () => {
    const db = freshDb();
    const id = openOne(db);
    resolveIncident(db, other, id, resolution(1));
    expect(rejected(() => resolveIncident(db, publisher, id, resolution(2))).form).toBe('errors.alreadyResolved');
  });

  it('rejects a correction and keeps the other title', () => {
    const db = freshDb();
    const id = openOne(db);
    correctIncident(db, other, id, details('Emails slow', '1', 1));
    expect(rejected(() => correctIncident(db, publisher, id, details('Emails late', '3', 1))).form).toBe(CONFLICT_MESSAGE);
    const row = db.select().from(incidents).where(eq(incidents.id, id)).get();
    expect(row?.titleEn).toBe('Emails slow');
    expect(row?.severity).toBe(1);
  });

  it('rejects postmortem links', () => {
    const db = freshDb();
    const id = openOne(db);
    resolveIncident(db, other, id, resolution(1));
    const links = { postmortemUrlEn: 'https://example.gc.ca/en/pm', postmortemUrlFr: 'https://example.gc.ca/fr/pm', version: '1' };
    expect(rejected(() => setPostmortem(db, publisher, id, links)).form).toBe(CONFLICT_MESSAGE);
    expect(db.select().from(incidents).where(eq(incidents.id, id)).get()?.postmortemUrlEn).toBeNull();
  });

  it('reports field problems with the conflict', () => {
    const db = freshDb();
    const id = openOne(db);
    postUpdate(db, other, id, update('identified', 'Found it.', 'Trouvé.', 1));
    const errors = rejected(() => postUpdate(db, publisher, id, update('monitoring', 'Fix applied.', '', 1)));
    expect(errors.form).toBe(CONFLICT_MESSAGE);
    expect(errors.summaryFr).toBe('errors.required');
  });

  it('detects a write made through another connection', () => {
    const db = freshDb();
    const id = openOne(db);
    const second = openDatabase(db.$client.name);
    try {
      postUpdate(second, other, id, update('identified', 'Found it.', 'Trouvé.', 1));
    } finally {
      second.$client.close();
    }
    expect(rejected(() => postUpdate(db, publisher, id, update('monitoring', 'Fix applied.', 'Correctif appliqué.', 1))).form).toBe(CONFLICT_MESSAGE);
  });
});

describe('version field', () => {
  it.each(['', 'abc', '0', '-1', '1.5', '1e3', ' ', '9999999999999999'])('rejects %j', (value) => {
    const db = freshDb();
    const id = openOne(db);
    expect(rejected(() => postUpdate(db, publisher, id, update('identified', 'Found it.', 'Trouvé.', value))).form).toBe(VERSION_MISSING_MESSAGE);
    expect(versionOf(db, id)).toBe(1);
    expect(updateCount(db)).toBe(1);
  });

  it('accepts a number or digits with spaces around them', () => {
    expect(parseVersion(7)).toBe(7);
    expect(parseVersion(' 12 ')).toBe(12);
    expect(parseVersion(undefined)).toBeUndefined();
    expect(parseVersion({ nested: '1' })).toBeUndefined();
  });
});

describe('listChangesSince', () => {
  it('lists later writes with their authors and updates', () => {
    const db = freshDb();
    const id = openOne(db);
    postUpdate(db, other, id, update('identified', 'Found it.', 'Trouvé.', 1));
    correctIncident(db, other, id, details('Emails slow', '1', 2));

    const changes = listChangesSince(db, id, 1);
    expect(changes.map((change) => change.action)).toEqual(['incident.update', 'incident.details']);
    expect(changes.map((change) => change.version)).toEqual([2, 3]);
    expect(changes.map((change) => change.actor)).toEqual(['other@example.gc.ca', 'other@example.gc.ca']);
    expect(changes[0]?.update).toEqual({ status: 'identified', kind: 'update', bodyEn: 'Found it.', bodyFr: 'Trouvé.' });
    expect(changes[1]?.update).toBeNull();
    expect(listChangesSince(db, id, 2).map((change) => change.version)).toEqual([3]);
    expect(listChangesSince(db, id, 3)).toEqual([]);
  });

  it('merges field changes into one per field', () => {
    const db = freshDb();
    const id = openOne(db);
    postUpdate(db, other, id, update('identified', 'Found it.', 'Trouvé.', 1));
    postUpdate(db, other, id, update('monitoring', 'Fix applied.', 'Correctif appliqué.', 2));
    correctIncident(db, other, id, details('Emails slow', '1', 3));

    const fields = netFieldChanges(listChangesSince(db, id, 1));
    expect(fields).toEqual([
      { field: 'status', before: 'investigating', after: 'monitoring' },
      { field: 'titleEn', before: 'Emails delayed', after: 'Emails slow' },
      { field: 'titleFr', before: 'Retards des courriels', after: 'Emails slow (fr)' },
      { field: 'severity', before: 2, after: 1 },
    ]);
  });

  it('drops a field changed and changed back', () => {
    const db = freshDb();
    const id = openOne(db);
    postUpdate(db, other, id, update('identified', 'Found it.', 'Trouvé.', 1));
    postUpdate(db, other, id, update('investigating', 'Not it after all.', 'Finalement, non.', 2));
    const fields = netFieldChanges(listChangesSince(db, id, 1));
    expect(fields.map((change) => change.field)).not.toContain('status');
  });

  it('records the end of impact as a time', () => {
    const db = freshDb();
    const id = openOne(db);
    resolveIncident(db, other, id, resolution(1));
    const ended = netFieldChanges(listChangesSince(db, id, 1)).find((change) => change.field === 'endedAt');
    expect(ended?.before).toBeNull();
    expect(Number.isNaN(Date.parse(String(ended?.after)))).toBe(false);
  });
});

describe('public text checks', () => {
  it.each([
    ['NUL', 'Emails\u0000delayed'],
    ['escape', '\u001b[31mEmails delayed'],
    ['vertical tab', 'Emails\u000bdelayed'],
    ['DEL', 'Emails delayed\u007f'],
    ['C1 control', 'Emails\u0085delayed'],
    ['noncharacter', 'Emails delayed\uffff'],
  ])('rejects a title with %s', (_name, title) => {
    const db = freshDb();
    const id = openOne(db);
    const errors = rejected(() => correctIncident(db, publisher, id, { ...details('x', '2', 1), titleEn: title }));
    expect(errors.titleEn).toBe('safety.controlCharacters');
    expect(db.select().from(incidents).where(eq(incidents.id, id)).get()?.titleEn).toBe('Emails delayed');
  });

  it('rejects control characters in composer points', () => {
    const db = freshDb();
    const id = openOne(db);
    const errors = rejected(() => postUpdate(db, publisher, id, { ...update('identified', 'Found it.', 'Trouvé.', 1), nowEn: 'Checking\u0007', nowFr: 'Vérification' }));
    expect(errors.nowEn).toBe('safety.controlCharacters');
  });

  it('treats zero-width characters alone as missing text', () => {
    const db = freshDb();
    const id = openOne(db);
    const errors = rejected(() => postUpdate(db, publisher, id, update('identified', '\u200b\u200d\ufeff\u2060', 'Trouvé.', 1)));
    expect(errors.summaryEn).toBe('errors.required');
  });

  it('keeps tabs, line breaks, direction marks and emoji', () => {
    const db = freshDb();
    const id = openOne(db);
    const summaryEn = 'Pay\u200bments \u202bdown\u202c 🚨\tnow';
    postUpdate(db, publisher, id, { ...update('identified', summaryEn, 'Paiements 🚨', 1), nowEn: 'One\r\nTwo', nowFr: 'Un\nDeux' });
    const stored = db.select().from(incidentUpdates).where(eq(incidentUpdates.incidentId, id)).all().at(-1);
    expect(stored?.bodyEn).toBe(summaryEn);
    expect(stored?.nowEn).toBe('One\nTwo');
  });

  it('rejects control characters in postmortem links', () => {
    const db = freshDb();
    const id = openOne(db);
    const links = { postmortemUrlEn: 'https://example.gc.ca/pm\u0001', postmortemUrlFr: 'https://example.gc.ca/fr/pm', version: '1' };
    expect(rejected(() => setPostmortem(db, publisher, id, links)).postmortemUrlEn).toBe('safety.controlCharacters');
  });
});
