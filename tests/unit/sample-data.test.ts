import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, count } from 'drizzle-orm';
import { formatInTimeZone } from 'date-fns-tz';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/lib/db/client.ts';
import {
  auditLog,
  incidents,
  incidentServices,
  incidentUpdates,
  maintenances,
  maintenanceServices,
  maintenanceUpdates,
  services,
  users,
} from '../../src/lib/db/schema.ts';
import { DatabaseNotEmptyError, lastOffsetChangeBefore, loadSampleData } from '../../src/lib/demo/sample-data.ts';
import { ValidationError } from '../../src/lib/errors.ts';
import { maintenanceStatus } from '../../src/lib/maintenance-status.ts';

// vitest.config.ts sets STATUS_TIME_ZONE to this zone.
const ZONE = 'America/Toronto';
const HOUR_MS = 60 * 60_000;
const DAY_MS = 24 * HOUR_MS;

let directory: string;
let db: Db;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'sample-data-'));
  db = openDatabase(join(directory, 'status.db'));
});

afterEach(() => {
  db.$client.close();
  rmSync(directory, { recursive: true, force: true });
});

function rowCounts() {
  return {
    services: db.select({ n: count() }).from(services).get()?.n,
    incidents: db.select({ n: count() }).from(incidents).get()?.n,
    incidentServices: db.select({ n: count() }).from(incidentServices).get()?.n,
    updates: db.select({ n: count() }).from(incidentUpdates).get()?.n,
    maintenances: db.select({ n: count() }).from(maintenances).get()?.n,
    maintenanceUpdates: db.select({ n: count() }).from(maintenanceUpdates).get()?.n,
    audit: db.select({ n: count() }).from(auditLog).get()?.n,
    users: db.select({ n: count() }).from(users).get()?.n,
  };
}

function incidentBySeverity(severity: number) {
  const found = db.select().from(incidents).all().filter((incident) => incident.severity === severity);
  expect(found).toHaveLength(1);
  return found[0];
}

function updatesOf(incidentId: number) {
  return db
    .select()
    .from(incidentUpdates)
    .orderBy(asc(incidentUpdates.postedAt))
    .all()
    .filter((update) => update.incidentId === incidentId);
}

/** Local dates on which updates were posted under more than one UTC offset. */
function offsetChangeDays(): string[] {
  const offsetsByDay = new Map<string, Set<string>>();
  for (const update of db.select().from(incidentUpdates).all()) {
    const day = formatInTimeZone(update.postedAt, ZONE, 'yyyy-MM-dd');
    const offsets = offsetsByDay.get(day) ?? new Set<string>();
    offsets.add(formatInTimeZone(update.postedAt, ZONE, 'xxx'));
    offsetsByDay.set(day, offsets);
  }
  return [...offsetsByDay].filter(([, offsets]) => offsets.size > 1).map(([day]) => day);
}

describe('lastOffsetChangeBefore', () => {
  it('finds the fall change', () => {
    expect(lastOffsetChangeBefore(new Date('2026-11-20T17:00:00Z'), ZONE)).toEqual(new Date('2026-11-01T06:00:00Z'));
  });

  it('finds the spring change', () => {
    expect(lastOffsetChangeBefore(new Date('2026-03-20T16:00:00Z'), ZONE)).toEqual(new Date('2026-03-08T07:00:00Z'));
  });

  it('returns undefined without daylight saving time', () => {
    expect(lastOffsetChangeBefore(new Date('2026-11-20T17:00:00Z'), 'UTC')).toBeUndefined();
  });
});

describe('loadSampleData', () => {
  it('writes five services and three incidents', () => {
    const summary = loadSampleData(db);

    expect(summary).toEqual({ services: 5, incidents: 3, openIncidents: 1, updates: 10, maintenances: 2 });
    expect(rowCounts()).toMatchObject({ services: 5, incidents: 3, updates: 10, maintenances: 2, maintenanceUpdates: 3, users: 0 });
    expect(incidentBySeverity(1).status).not.toBe('resolved');
    expect(incidentBySeverity(1).endedAt).toBeNull();
    expect(incidentBySeverity(2).status).toBe('resolved');
    expect(incidentBySeverity(3).status).toBe('resolved');
  });

  it('gives every incident an update and a service', () => {
    loadSampleData(db);

    for (const incident of db.select().from(incidents).all()) {
      expect(updatesOf(incident.id).length, incident.titleEn).toBeGreaterThan(0);
      const impacts = db.select().from(incidentServices).all().filter((row) => row.incidentId === incident.id);
      expect(impacts.length, incident.titleEn).toBeGreaterThan(0);
    }
  });

  it('resolves the severity 2 incident in four steps', () => {
    loadSampleData(db);
    const incident = incidentBySeverity(2);
    const updates = updatesOf(incident.id);

    expect(updates.map((update) => update.status)).toEqual(['investigating', 'identified', 'monitoring', 'resolved', 'resolved']);
    expect(updates.map((update) => update.kind)).toEqual(['update', 'update', 'update', 'update', 'postmortem']);
    expect(incident.postmortemUrlEn).toMatch(/^https:\/\/blog\.example\.gc\.ca\/en\//);
    expect(incident.postmortemUrlFr).toMatch(/^https:\/\/blog\.example\.gc\.ca\/fr\//);
    expect(incident.endedAt).not.toBeNull();
  });

  it('opens the severity 1 incident about two hours before now', () => {
    const now = new Date();
    loadSampleData(db, now);
    const startedAt = incidentBySeverity(1).startedAt.getTime();

    expect(startedAt).toBeGreaterThan(now.getTime() - 3 * HOUR_MS);
    expect(startedAt).toBeLessThan(now.getTime() - HOUR_MS);
  });

  it('puts no time after now', () => {
    const now = new Date();
    loadSampleData(db, now);

    for (const incident of db.select().from(incidents).all()) {
      for (const time of [incident.startedAt, incident.detectedAt, incident.endedAt, incident.updatedAt]) {
        if (time) expect(time.getTime(), incident.titleEn).toBeLessThanOrEqual(now.getTime());
      }
    }
    for (const update of db.select().from(incidentUpdates).all()) {
      expect(update.postedAt.getTime()).toBeLessThanOrEqual(now.getTime());
    }
    for (const maintenance of db.select().from(maintenances).all()) {
      expect(maintenance.updatedAt.getTime(), maintenance.titleEn).toBeLessThanOrEqual(now.getTime());
    }
    for (const update of db.select().from(maintenanceUpdates).all()) {
      expect(update.postedAt.getTime(), update.bodyEn).toBeLessThanOrEqual(now.getTime());
    }
  });

  it('posts updates across an offset change', () => {
    loadSampleData(db);

    expect(offsetChangeDays()).toHaveLength(1);
  });

  it('posts updates on the fall change day', () => {
    loadSampleData(db, new Date('2026-11-20T17:00:00Z'));

    expect(offsetChangeDays()).toEqual(['2026-11-01']);
  });

  it('posts updates on the spring change day', () => {
    loadSampleData(db, new Date('2026-03-20T16:00:00Z'));

    expect(offsetChangeDays()).toEqual(['2026-03-08']);
  });

  it('spans midnight with the severity 3 incident', () => {
    loadSampleData(db);
    const incident = incidentBySeverity(3);
    const localDay = (date: Date) => formatInTimeZone(date, ZONE, 'yyyy-MM-dd');

    expect(incident.endedAt).not.toBeNull();
    expect(localDay(incident.startedAt)).not.toBe(localDay(incident.endedAt ?? incident.startedAt));
  });

  it('records audit entries for the sample actor', () => {
    loadSampleData(db);
    const entries = db.select().from(auditLog).all();
    const actions = entries.map((entry) => entry.action);

    for (const entry of entries) {
      expect(entry.actor).toBe('sample data');
      expect(entry.userId).toBeNull();
    }
    expect(actions.filter((action) => action === 'service.create')).toHaveLength(5);
    expect(actions.filter((action) => action === 'incident.open')).toHaveLength(3);
    expect(actions.filter((action) => action === 'incident.update')).toHaveLength(4);
    expect(actions.filter((action) => action === 'incident.resolve')).toHaveLength(2);
    expect(actions.filter((action) => action === 'incident.postmortem')).toHaveLength(1);
    expect(actions.filter((action) => action === 'maintenance.schedule')).toHaveLength(2);
    expect(actions.filter((action) => action === 'maintenance.update')).toHaveLength(1);
  });

  it('uses non-breaking spaces in French text', () => {
    loadSampleData(db);
    const french = [
      ...db.select().from(services).all().flatMap((service) => [service.nameFr, service.descriptionFr]),
      ...db.select().from(incidents).all().map((incident) => incident.titleFr),
      ...db
        .select()
        .from(incidentUpdates)
        .all()
        .flatMap((update) => [update.bodyFr, update.nowFr, update.nextFr, update.causeFr ?? '']),
      ...db.select().from(maintenances).all().map((maintenance) => maintenance.titleFr),
      ...db.select().from(maintenanceUpdates).all().map((update) => update.bodyFr),
    ];

    for (const text of french) {
      expect(text).not.toMatch(/ [:;!?%»]|« /);
      for (const time of text.match(/\d\s+h\s+\d\d/g) ?? []) expect(time).toMatch(/^\d\u00a0h\u00a0\d\d$/);
    }
  });

  it('rejects a second load', () => {
    loadSampleData(db);
    const before = rowCounts();

    expect(() => loadSampleData(db)).toThrow(DatabaseNotEmptyError);
    expect(() => loadSampleData(db)).toThrow(
      'The database already has data; sample data is loaded only into an empty database. Set DATABASE_PATH to a new file.',
    );
    expect(rowCounts()).toEqual(before);
  });

  it('writes nothing when a time is in the future', () => {
    const tomorrow = new Date(Date.now() + 24 * HOUR_MS);

    expect(() => loadSampleData(db, tomorrow)).toThrow(ValidationError);
    expect(rowCounts()).toEqual({
      services: 0,
      incidents: 0,
      incidentServices: 0,
      updates: 0,
      maintenances: 0,
      maintenanceUpdates: 0,
      audit: 0,
      users: 0,
    });
  });
});

/** Updates written with the composer: every update but resolution notices and postmortem announcements. */
function composerUpdates() {
  return db
    .select()
    .from(incidentUpdates)
    .orderBy(asc(incidentUpdates.postedAt))
    .all()
    .filter((update) => update.kind === 'update' && update.status !== 'resolved');
}

function pointsOf(text: string): string[] {
  return text === '' ? [] : text.split('\n');
}

describe('sample update content', () => {
  it('promises a later update each time', () => {
    loadSampleData(db);

    for (const update of composerUpdates()) {
      expect(update.nextUpdateAt, update.bodyEn).not.toBeNull();
      expect(update.nextUpdateAt?.getTime(), update.bodyEn).toBeGreaterThan(update.postedAt.getTime());
    }
  });

  it.each([
    ['now', undefined],
    ['after the fall change', new Date('2026-11-20T17:00:00Z')],
    ['after the spring change', new Date('2026-03-20T16:00:00Z')],
  ])('keeps every promise %s', (_, now) => {
    loadSampleData(db, now);

    for (const incident of db.select().from(incidents).all()) {
      const updates = updatesOf(incident.id).filter((update) => update.kind === 'update');
      for (let index = 1; index < updates.length; index++) {
        const promised = updates[index - 1].nextUpdateAt;
        expect(promised, updates[index - 1].bodyEn).not.toBeNull();
        expect(updates[index].postedAt.getTime(), updates[index].bodyEn).toBeLessThanOrEqual(promised?.getTime() ?? 0);
      }
    }
  });

  it('promises the open incident a future update', () => {
    const now = new Date();
    loadSampleData(db, now);

    expect(incidentBySeverity(1).nextUpdateAt?.getTime()).toBeGreaterThan(now.getTime());
  });

  it('pairs English and French points', () => {
    loadSampleData(db);

    for (const update of composerUpdates()) {
      const now = { en: pointsOf(update.nowEn), fr: pointsOf(update.nowFr) };
      const next = { en: pointsOf(update.nextEn), fr: pointsOf(update.nextFr) };
      expect(now.fr, update.bodyEn).toHaveLength(now.en.length);
      expect(next.fr, update.bodyEn).toHaveLength(next.en.length);
      expect(now.en.length, update.bodyEn).toBeGreaterThanOrEqual(2);
      expect(now.en.length, update.bodyEn).toBeLessThanOrEqual(4);
      expect(next.en.length, update.bodyEn).toBeGreaterThanOrEqual(1);
      expect(next.en.length, update.bodyEn).toBeLessThanOrEqual(3);
      for (const point of [...now.en, ...now.fr, ...next.en, ...next.fr]) expect(point.length, point).toBeLessThanOrEqual(140);
    }
  });

  it('keeps summaries and notices within budget', () => {
    loadSampleData(db);

    for (const update of composerUpdates()) {
      expect(update.bodyEn.length, update.bodyEn).toBeLessThanOrEqual(280);
      expect(update.bodyFr.length, update.bodyFr).toBeLessThanOrEqual(280);
      expect(update.causeEn?.length ?? 0, update.bodyEn).toBeLessThanOrEqual(280);
      expect(update.causeFr?.length ?? 0, update.bodyFr).toBeLessThanOrEqual(280);
    }
    const notices = db
      .select()
      .from(incidentUpdates)
      .all()
      .filter((update) => update.kind === 'update' && update.status === 'resolved');
    expect(notices).toHaveLength(2);
    for (const notice of notices) {
      expect(notice.bodyEn.length, notice.bodyEn).toBeLessThanOrEqual(500);
      expect(notice.bodyFr.length, notice.bodyFr).toBeLessThanOrEqual(500);
      expect(notice.usersAffectedKind, notice.bodyEn).toBeNull();
      expect(notice.nextUpdateAt, notice.bodyEn).toBeNull();
    }
  });

  it('leaves facts out of summaries', () => {
    loadSampleData(db);

    for (const update of composerUpdates()) {
      expect(update.bodyEn).not.toMatch(/next update|cause|users|restored by/i);
      expect(update.bodyFr).not.toMatch(/prochaine mise à jour|cause|utilisateurs|rétabli/i);
    }
  });

  it('starts every incident with unknown facts', () => {
    loadSampleData(db);

    for (const incident of db.select().from(incidents).all()) {
      const [first] = updatesOf(incident.id);
      expect(first.usersAffectedKind, incident.titleEn).toBe('unknown');
      expect(first.usersAffected, incident.titleEn).toBeNull();
      expect(first.causeEn, incident.titleEn).toBeNull();
      expect(first.restorationAt, incident.titleEn).toBeNull();
    }
  });

  it('uses every kind of user count', () => {
    loadSampleData(db);
    const updates = composerUpdates();

    expect(new Set(updates.map((update) => update.usersAffectedKind))).toEqual(new Set(['unknown', 'estimate', 'exact']));
    for (const update of updates.filter((row) => row.usersAffectedKind !== 'unknown')) {
      expect(Number.isInteger(update.usersAffected), update.bodyEn).toBe(true);
    }
  });

  it('keeps a known cause in both languages', () => {
    loadSampleData(db);

    for (const incident of db.select().from(incidents).all()) {
      const updates = updatesOf(incident.id).filter((update) => update.kind === 'update' && update.status !== 'resolved');
      const firstKnown = updates.findIndex((update) => update.causeEn !== null);
      for (const [index, update] of updates.entries()) {
        expect(update.causeFr === null, update.bodyEn).toBe(update.causeEn === null);
        if (firstKnown !== -1 && index >= firstKnown) expect(update.causeEn, update.bodyEn).not.toBeNull();
      }
    }
    expect(composerUpdates().some((update) => update.causeEn !== null)).toBe(true);
  });

  it('gives restoration times after posting', () => {
    loadSampleData(db);
    const withRestoration = composerUpdates().filter((update) => update.restorationAt !== null);

    expect(withRestoration.length).toBeGreaterThan(0);
    for (const update of withRestoration) {
      expect(update.restorationAt?.getTime(), update.bodyEn).toBeGreaterThan(update.postedAt.getTime());
    }
  });
});

function maintenanceUpdatesOf(maintenanceId: number) {
  return db
    .select()
    .from(maintenanceUpdates)
    .orderBy(asc(maintenanceUpdates.postedAt))
    .all()
    .filter((update) => update.maintenanceId === maintenanceId);
}

/** Slugs of the services a window affects. */
function maintenanceServiceSlugs(maintenanceId: number): string[] {
  const slugById = new Map(db.select().from(services).all().map((service) => [service.id, service.slug]));
  return db
    .select()
    .from(maintenanceServices)
    .all()
    .filter((row) => row.maintenanceId === maintenanceId)
    .map((row) => slugById.get(row.serviceId) ?? '');
}

/** Finds the one window with the given status at `now`. */
function maintenanceWithStatus(status: string, now: Date) {
  const found = db
    .select()
    .from(maintenances)
    .all()
    .filter((maintenance) => maintenanceStatus(maintenance, now) === status);
  expect(found).toHaveLength(1);
  return found[0];
}

describe('sample maintenance', () => {
  it.each([
    ['now', new Date()],
    ['after the fall change', new Date('2026-11-20T17:00:00Z')],
    ['after the spring change', new Date('2026-03-20T16:00:00Z')],
  ])('writes one completed and one scheduled window %s', (_, now) => {
    loadSampleData(db, now);

    expect(db.select().from(maintenances).all()).toHaveLength(2);
    maintenanceWithStatus('completed', now);
    maintenanceWithStatus('scheduled', now);
  });

  it('places the completed upgrade two weeks back', () => {
    const now = new Date();
    loadSampleData(db, now);
    const window = maintenanceWithStatus('completed', now);
    const [notice, during] = maintenanceUpdatesOf(window.id);
    const start = window.scheduledStart.getTime();
    const end = window.scheduledEnd.getTime();

    expect(window.titleEn).toBe('Database upgrade for Forms');
    expect(maintenanceServiceSlugs(window.id)).toEqual(['forms']);
    expect(end - start).toBe(2 * HOUR_MS);
    expect(start).toBeGreaterThan(now.getTime() - 16 * DAY_MS);
    expect(end).toBeLessThan(now.getTime() - 12 * DAY_MS);
    expect(formatInTimeZone(window.scheduledStart, ZONE, 'HH:mm')).toBe('22:00');
    expect(maintenanceUpdatesOf(window.id)).toHaveLength(2);
    expect(notice.postedAt.getTime()).toBeLessThan(start - 3 * DAY_MS);
    expect(during.postedAt.getTime()).toBeGreaterThan(start);
    expect(during.postedAt.getTime()).toBeLessThan(end);
    expect(window.updatedAt).toEqual(during.postedAt);
  });

  it('announces the upcoming renewal a day before now', () => {
    const now = new Date();
    loadSampleData(db, now);
    const window = maintenanceWithStatus('scheduled', now);
    const updates = maintenanceUpdatesOf(window.id);
    const start = window.scheduledStart.getTime();

    expect(window.titleEn).toBe('Certificate renewal for the email relay');
    expect(maintenanceServiceSlugs(window.id)).toEqual(['email-sending']);
    expect(window.scheduledEnd.getTime() - start).toBe(30 * 60_000);
    expect(start).toBeGreaterThan(now.getTime() + 2 * DAY_MS);
    expect(start).toBeLessThan(now.getTime() + 6 * DAY_MS);
    expect(updates).toHaveLength(1);
    expect(updates[0].postedAt).toEqual(new Date(now.getTime() - DAY_MS));
  });

  it('writes titles and notices in both languages', () => {
    loadSampleData(db);

    for (const maintenance of db.select().from(maintenances).all()) {
      expect(maintenance.titleEn.trim(), maintenance.titleEn).not.toBe('');
      expect(maintenance.titleFr.trim(), maintenance.titleEn).not.toBe('');
      expect(maintenance.titleFr, maintenance.titleEn).not.toBe(maintenance.titleEn);
    }
    for (const update of db.select().from(maintenanceUpdates).all()) {
      expect(update.bodyEn.trim(), update.bodyEn).not.toBe('');
      expect(update.bodyFr.trim(), update.bodyEn).not.toBe('');
      expect(update.bodyFr, update.bodyEn).not.toBe(update.bodyEn);
      expect(update.bodyEn.length, update.bodyEn).toBeLessThanOrEqual(500);
      expect(update.bodyFr.length, update.bodyFr).toBeLessThanOrEqual(500);
    }
  });
});
