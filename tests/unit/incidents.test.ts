import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/db/client.ts';
import { auditLog, incidents, incidentUpdates } from '../../src/lib/db/schema.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../src/lib/errors.ts';
import { listFeedEntries } from '../../src/lib/public/feed-entries.ts';
import { getHomeView, getIncident } from '../../src/lib/public/read-model.ts';
import { correctIncident, openIncident, postUpdate, resolveIncident, setPostmortem } from '../../src/lib/services/incidents.ts';
import { createService } from '../../src/lib/services/service-catalogue.ts';
import { toDateTimeLocalValue } from '../../src/lib/time.ts';
import { admin, freshDb, publisher, viewer } from './helpers.ts';

const ZONE = 'America/Toronto';
const hoursAgo = (hours: number) => toDateTimeLocalValue(new Date(Date.now() - hours * 3_600_000), ZONE);

function addService(db: Db, slug = 'notify-api'): number {
  return createService(db, admin, { slug, nameEn: 'API', nameFr: 'API', descriptionEn: '', descriptionFr: '', displayOrder: '1' });
}

function incidentInput(serviceId: number, overrides: Record<string, unknown> = {}) {
  return {
    titleEn: 'Emails delayed',
    titleFr: 'Retards des courriels',
    severity: '2',
    status: 'investigating',
    startedAt: hoursAgo(2),
    detectedAt: hoursAgo(1.5),
    impacts: { [String(serviceId)]: 'partial_outage' },
    ...content({ summaryEn: 'We are investigating.', summaryFr: 'Nous enquêtons.' }),
    ...overrides,
  };
}

/** Composer fields with every required part filled in. */
function content(overrides: Record<string, unknown> = {}) {
  return {
    summaryEn: 'Emails are delayed.',
    summaryFr: 'Les courriels sont retardés.',
    usersAffectedKind: 'unknown',
    causeKnown: 'no',
    restorationKnown: 'no',
    nextUpdateAt: hoursAgo(-0.5),
    ...overrides,
  };
}

const rowCount = (db: Db, table: typeof incidents | typeof incidentUpdates | typeof auditLog) => db.select({ n: count() }).from(table).get()?.n;

function expectFieldError(action: () => unknown, field: string, message: string) {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors[field]).toBe(message);
    return;
  }
  throw new Error(`expected a ValidationError on ${field}`);
}

describe('openIncident', () => {
  it('stores the incident, its impact, first update and audit entry', () => {
    const db = freshDb();
    const serviceId = addService(db);
    const id = openIncident(db, publisher, incidentInput(serviceId));

    const incident = getIncident(db, id, 'fr');
    expect(incident?.title).toBe('Retards des courriels');
    expect(incident?.severity).toBe(2);
    expect(incident?.services).toEqual([{ slug: 'notify-api', name: 'API', impact: 'partial_outage' }]);
    expect(incident?.updates.map((update) => update.body)).toEqual(['Nous enquêtons.']);
    const audit = db.select().from(auditLog).where(eq(auditLog.action, 'incident.open')).all();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor).toBe('publisher@example.gc.ca');
  });

  it('rejects a missing French title and saves nothing', () => {
    const db = freshDb();
    const serviceId = addService(db);
    expectFieldError(() => openIncident(db, publisher, incidentInput(serviceId, { titleFr: '   ' })), 'titleFr', 'errors.required');
    expect(rowCount(db, incidents)).toBe(0);
  });

  it('rejects detection before the start of impact', () => {
    const db = freshDb();
    const serviceId = addService(db);
    const input = incidentInput(serviceId, { startedAt: hoursAgo(1), detectedAt: hoursAgo(2) });
    expectFieldError(() => openIncident(db, publisher, input), 'detectedAt', 'errors.detectedBeforeStart');
  });

  it('rejects a start time in the future', () => {
    const db = freshDb();
    const serviceId = addService(db);
    expectFieldError(() => openIncident(db, publisher, incidentInput(serviceId, { startedAt: hoursAgo(-3) })), 'startedAt', 'errors.future');
  });

  it('rejects an unknown service and rolls back', () => {
    const db = freshDb();
    const serviceId = addService(db);
    const input = incidentInput(serviceId, { impacts: { [String(serviceId)]: 'major_outage', '999': 'major_outage' } });
    expectFieldError(() => openIncident(db, publisher, input), 'impacts', 'errors.unknownService');
    expect(rowCount(db, incidents)).toBe(0);
    expect(rowCount(db, incidentUpdates)).toBe(0);
  });

  it('requires at least one affected service', () => {
    const db = freshDb();
    const serviceId = addService(db);
    expectFieldError(() => openIncident(db, publisher, incidentInput(serviceId, { impacts: { [String(serviceId)]: '' } })), 'impacts', 'errors.serviceRequired');
  });

  it('rejects a viewer', () => {
    const db = freshDb();
    const serviceId = addService(db);
    expect(() => openIncident(db, viewer, incidentInput(serviceId))).toThrow(ForbiddenError);
    expect(rowCount(db, incidents)).toBe(0);
  });
});

describe('incident lifecycle', () => {
  it('moves the service status with updates and resolution', () => {
    const db = freshDb();
    const serviceId = addService(db);
    const id = openIncident(db, publisher, incidentInput(serviceId));
    expect(getHomeView(db, 'en').overallStatus).toBe('partial_outage');

    postUpdate(db, publisher, id, { status: 'identified', impacts: { [String(serviceId)]: 'degraded_performance' }, ...content({ summaryEn: 'Found it.', summaryFr: 'Trouvé.' }) });
    expect(getHomeView(db, 'en').services[0]?.status).toBe('degraded_performance');

    resolveIncident(db, publisher, id, {
      endedAt: hoursAgo(0.1),
      noticeEn: 'Service is restored. A postmortem will follow.',
      noticeFr: 'Le service est rétabli. Une analyse post-incident suivra.',
      postmortemUrlEn: '',
      postmortemUrlFr: '',
    });
    const home = getHomeView(db, 'en');
    expect(home.overallStatus).toBe('operational');
    expect(home.openIncidents).toHaveLength(0);
    expect(home.recentIncidents.map((incident) => incident.id)).toEqual([id]);
    expect(listFeedEntries(db, 'fr', new Date()).map((entry) => entry.categories[0])).toEqual(['Résolu', 'Problème cerné', 'Enquête en cours']);
  });

  it('rejects an end of impact before its start', () => {
    const db = freshDb();
    const id = openIncident(db, publisher, incidentInput(addService(db)));
    const input = { endedAt: hoursAgo(5), noticeEn: 'Done.', noticeFr: 'Terminé.' };
    expectFieldError(() => resolveIncident(db, publisher, id, input), 'endedAt', 'errors.endBeforeStart');
    expect(getIncident(db, id, 'en')?.status).toBe('investigating');
  });

  it('rejects resolving twice', () => {
    const db = freshDb();
    const id = openIncident(db, publisher, incidentInput(addService(db)));
    const input = { endedAt: hoursAgo(0.5), noticeEn: 'Done.', noticeFr: 'Terminé.' };
    resolveIncident(db, publisher, id, input);
    expectFieldError(() => resolveIncident(db, publisher, id, input), 'form', 'errors.alreadyResolved');
  });

  it('reopens a resolved incident on a new update', () => {
    const db = freshDb();
    const id = openIncident(db, publisher, incidentInput(addService(db)));
    resolveIncident(db, publisher, id, { endedAt: hoursAgo(0.5), noticeEn: 'Done.', noticeFr: 'Terminé.' });
    postUpdate(db, publisher, id, { status: 'investigating', ...content({ summaryEn: 'It is back.', summaryFr: 'Le problème est revenu.' }) });
    const incident = getIncident(db, id, 'en');
    expect(incident?.status).toBe('investigating');
    expect(incident?.endedAt).toBeNull();
  });

  it('raises NotFoundError for an unknown incident', () => {
    const db = freshDb();
    expect(() => postUpdate(db, publisher, 42, { status: 'identified', ...content() })).toThrow(NotFoundError);
  });
});

describe('setPostmortem', () => {
  it('stores the links in both languages', () => {
    const db = freshDb();
    const id = openIncident(db, publisher, incidentInput(addService(db)));
    setPostmortem(db, publisher, id, { postmortemUrlEn: 'https://example.gc.ca/en/pm', postmortemUrlFr: 'https://example.gc.ca/fr/pm' });
    expect(getIncident(db, id, 'fr')?.postmortemUrl).toBe('https://example.gc.ca/fr/pm');
  });

  it.each(['javascript:alert(1)', 'ftp://example.gc.ca/pm', 'example.gc.ca/pm', 'not a url'])('rejects %s', (url) => {
    const db = freshDb();
    const id = openIncident(db, publisher, incidentInput(addService(db)));
    expectFieldError(() => setPostmortem(db, publisher, id, { postmortemUrlEn: url, postmortemUrlFr: 'https://example.gc.ca/fr' }), 'postmortemUrlEn', 'errors.url');
    expect(getIncident(db, id, 'en')?.postmortemUrl).toBeNull();
  });

  it('requires both languages', () => {
    const db = freshDb();
    const id = openIncident(db, publisher, incidentInput(addService(db)));
    expectFieldError(() => setPostmortem(db, publisher, id, { postmortemUrlEn: 'https://example.gc.ca/en', postmortemUrlFr: '' }), 'postmortemUrlFr', 'errors.postmortemPair');
  });
});

describe('correctIncident', () => {
  it('changes titles and severity without posting an update', () => {
    const db = freshDb();
    const id = openIncident(db, publisher, incidentInput(addService(db)));
    correctIncident(db, publisher, id, { titleEn: 'Emails delayed for some', titleFr: 'Courriels retardés pour certains', severity: '3', startedAt: hoursAgo(2), detectedAt: hoursAgo(1.5) });
    const incident = getIncident(db, id, 'fr');
    expect(incident?.title).toBe('Courriels retardés pour certains');
    expect(incident?.severity).toBe(3);
    expect(incident?.updates).toHaveLength(1);
    expect(db.select().from(auditLog).where(eq(auditLog.action, 'incident.details')).all()).toHaveLength(1);
  });

  it('requires the end of impact of a resolved incident', () => {
    const db = freshDb();
    const id = openIncident(db, publisher, incidentInput(addService(db)));
    resolveIncident(db, publisher, id, { endedAt: hoursAgo(0.5), noticeEn: 'Done.', noticeFr: 'Terminé.' });
    const input = { titleEn: 'A', titleFr: 'B', severity: '2', startedAt: hoursAgo(2), detectedAt: hoursAgo(1.5), endedAt: '' };
    expectFieldError(() => correctIncident(db, publisher, id, input), 'endedAt', 'errors.required');
    expect(getIncident(db, id, 'en')?.title).toBe('Emails delayed');
  });
});

describe('resolveIncident errors', () => {
  it('reports every problem at once', () => {
    const db = freshDb();
    const id = openIncident(db, publisher, incidentInput(addService(db)));
    try {
      resolveIncident(db, publisher, id, { endedAt: hoursAgo(5), noticeEn: '', noticeFr: 'Terminé.', postmortemUrlEn: 'https://example.gc.ca/pm', postmortemUrlFr: '' });
      throw new Error('expected a ValidationError');
    } catch (error) {
      expect(Object.keys((error as ValidationError).fieldErrors).sort()).toEqual(['endedAt', 'noticeEn', 'postmortemUrlFr']);
    }
  });
});
