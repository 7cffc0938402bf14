import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/db/client.ts';
import type {
  StatuspageComponent,
  StatuspageIncident,
  StatuspageMaintenance,
  StatuspagePage,
  StatuspageStatus,
} from '../../src/lib/public/statuspage/documents.ts';
import { handleStatuspageRequest, STATUSPAGE_ENDPOINTS, statuspageResponse } from '../../src/lib/public/statuspage-api.ts';
import { openIncident, postUpdate, resolveIncident, setPostmortem } from '../../src/lib/services/incidents.ts';
import { postMaintenanceUpdate, scheduleMaintenance } from '../../src/lib/services/maintenance.ts';
import { createService } from '../../src/lib/services/service-catalogue.ts';
import { toDateTimeLocalValue } from '../../src/lib/time.ts';
import type { Language } from '../../src/lib/vocabulary.ts';
import { admin, freshDb, publisher } from './helpers.ts';

const ZONE = 'America/Toronto';
const HOUR = 3_600_000;
// ISO 8601 with milliseconds and a numeric offset, as Statuspage writes timestamps.
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/;

/** A fixed moment on the hour, for maintenance windows placed around a controlled `now`. */
const NOW = new Date('2030-01-15T17:00:00.000Z');
const localValue = (date: Date) => toDateTimeLocalValue(date, ZONE);
const hoursAgo = (hours: number) => localValue(new Date(Date.now() - hours * HOUR));

interface Body {
  page: StatuspagePage;
  status: StatuspageStatus;
  components: StatuspageComponent[];
  incidents: StatuspageIncident[];
  scheduled_maintenances: StatuspageMaintenance[];
  error: string;
  endpoints: string[];
}

function get(db: Db, lang: Language, endpoint: string, now = NOW): { status: number; body: Body } {
  const result = statuspageResponse(db, lang, endpoint, now);
  // A round trip through JSON checks that the body serializes as the server sends it.
  return { status: result.status, body: JSON.parse(JSON.stringify(result.body)) as Body };
}

function addService(db: Db, slug: string, displayOrder: number, description: { en: string; fr: string } = { en: '', fr: '' }): number {
  return createService(db, admin, {
    slug,
    nameEn: `${slug} (English)`,
    nameFr: `${slug} (français)`,
    descriptionEn: description.en,
    descriptionFr: description.fr,
    displayOrder: String(displayOrder),
  });
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

function addIncident(db: Db, serviceId: number, severity: 1 | 2 | 3, overrides: Record<string, unknown> = {}, now?: Date): number {
  return openIncident(
    db,
    publisher,
    {
      titleEn: 'Emails delayed',
      titleFr: 'Retards des courriels',
      severity: String(severity),
      status: 'investigating',
      startedAt: hoursAgo(2),
      detectedAt: hoursAgo(1.5),
      impacts: { [String(serviceId)]: 'partial_outage' },
      ...content(),
      ...overrides,
    },
    now,
  );
}

function resolve(db: Db, id: number, now?: Date): void {
  resolveIncident(db, publisher, id, { endedAt: hoursAgo(0.25), noticeEn: 'Service is restored.', noticeFr: 'Le service est rétabli.' }, now);
}

/** Schedules a window from `startHours` to `endHours` hours after NOW, posted at NOW. */
function addWindow(db: Db, serviceIds: number[], startHours: number, endHours: number, title = 'Database upgrade'): number {
  return scheduleMaintenance(
    db,
    admin,
    {
      titleEn: title,
      titleFr: `${title} (fr)`,
      scheduledStart: localValue(new Date(NOW.getTime() + startHours * HOUR)),
      scheduledEnd: localValue(new Date(NOW.getTime() + endHours * HOUR)),
      services: Object.fromEntries(serviceIds.map((id) => [String(id), 'on'])),
      bodyEn: 'We will upgrade the database.',
      bodyFr: 'Nous mettrons à niveau la base de données.',
    },
    NOW,
  );
}

describe('statuspageResponse on an empty page', () => {
  it('returns every endpoint with its keys', () => {
    const db = freshDb();
    const expectedKeys: Record<string, string[]> = {
      'summary.json': ['page', 'components', 'incidents', 'scheduled_maintenances', 'status'],
      'status.json': ['page', 'status'],
      'components.json': ['page', 'components'],
      'incidents.json': ['page', 'incidents'],
      'incidents/unresolved.json': ['page', 'incidents'],
      'scheduled-maintenances.json': ['page', 'scheduled_maintenances'],
      'scheduled-maintenances/upcoming.json': ['page', 'scheduled_maintenances'],
      'scheduled-maintenances/active.json': ['page', 'scheduled_maintenances'],
    };
    expect(Object.keys(expectedKeys).sort()).toEqual([...STATUSPAGE_ENDPOINTS].sort());
    for (const [endpoint, keys] of Object.entries(expectedKeys)) {
      const { status, body } = get(db, 'en', endpoint);
      expect(status, endpoint).toBe(200);
      expect(Object.keys(body), endpoint).toEqual(keys);
      for (const key of keys.filter((name) => name !== 'page' && name !== 'status')) expect(body[key as keyof Body], `${endpoint} ${key}`).toEqual([]);
    }
  });

  it('describes the page in each language', () => {
    const db = freshDb();
    const english = get(db, 'en', 'status.json').body.page;
    const french = get(db, 'fr', 'status.json').body.page;

    expect(english).toEqual({ id: 'localhost:4321', name: 'Service status', url: 'http://localhost:4321/en/', time_zone: ZONE, updated_at: english.updated_at });
    expect(french.name).toBe('État des services');
    expect(french.url).toBe('http://localhost:4321/fr/');
    expect(french.id).toBe(english.id);
  });

  it('reports the response time as updated_at', () => {
    const db = freshDb();
    const page = get(db, 'en', 'status.json').body.page;
    expect(page.updated_at).toBe('2030-01-15T12:00:00.000-05:00');
  });

  it('reports all systems operational', () => {
    const db = freshDb();
    expect(get(db, 'en', 'status.json').body.status).toEqual({ indicator: 'none', description: 'All Systems Operational' });
    expect(get(db, 'fr', 'status.json').body.status).toEqual({ indicator: 'none', description: 'Tous les systèmes sont opérationnels' });
  });
});

describe('statuspageResponse for unknown endpoints', () => {
  it('returns 404 with the list of endpoints', () => {
    const db = freshDb();
    for (const endpoint of [undefined, '', 'pages.json', 'summary', 'incidents/42.json', 'SUMMARY.JSON', '../summary.json']) {
      const { status, body } = get(db, 'fr', endpoint as string);
      expect(status, String(endpoint)).toBe(404);
      expect(body.error, String(endpoint)).toContain('Aucun point de terminaison');
      expect(body.endpoints).toContain('http://localhost:4321/fr/api/v2/summary.json');
      expect(body.endpoints).toHaveLength(STATUSPAGE_ENDPOINTS.length);
    }
  });

  it('accepts a trailing slash', () => {
    const db = freshDb();
    expect(get(db, 'en', 'summary.json/').status).toBe(200);
  });
});

describe('components', () => {
  it('lists services in display order with Statuspage fields', () => {
    const db = freshDb();
    const second = addService(db, 'portal', 2);
    const first = addService(db, 'api', 1, { en: 'The public API.', fr: 'L’API publique.' });

    const components = get(db, 'en', 'components.json').body.components;
    expect(components.map((component) => component.id)).toEqual([`service-${first}`, `service-${second}`]);
    expect(components.map((component) => component.position)).toEqual([1, 2]);

    const api = components[0]!;
    expect(api).toEqual({
      id: `service-${first}`,
      name: 'api (English)',
      status: 'operational',
      created_at: api.created_at,
      updated_at: api.updated_at,
      position: 1,
      description: 'The public API.',
      showcase: true,
      start_date: api.start_date,
      group_id: null,
      page_id: 'localhost:4321',
      group: false,
      only_show_if_degraded: false,
    });
    expect(api.created_at).toMatch(ISO_WITH_OFFSET);
    expect(api.updated_at).toBe(api.created_at);
    expect(api.start_date).toBe(api.created_at.slice(0, 10));
    expect(components[1]?.description).toBeNull();
  });

  it('uses names and descriptions of the path language', () => {
    const db = freshDb();
    addService(db, 'api', 1, { en: 'The public API.', fr: 'L’API publique.' });
    const [component] = get(db, 'fr', 'components.json').body.components;
    expect(component?.name).toBe('api (français)');
    expect(component?.description).toBe('L’API publique.');
  });

  it('shows the worst impact of open incidents', () => {
    const db = freshDb();
    const api = addService(db, 'api', 1);
    addService(db, 'portal', 2);
    const changedAt = new Date(Date.now() + HOUR);
    addIncident(db, api, 2, { impacts: { [String(api)]: 'major_outage' }, nextUpdateAt: hoursAgo(-5) }, changedAt);

    const [apiComponent, portalComponent] = get(db, 'en', 'components.json').body.components;
    expect(apiComponent?.status).toBe('major_outage');
    expect(portalComponent?.status).toBe('operational');
    expect(new Date(apiComponent!.updated_at).getTime()).toBe(changedAt.getTime());
  });

  it('shows under_maintenance during a window', () => {
    const db = freshDb();
    const api = addService(db, 'api', 1);
    addWindow(db, [api], -1, 1);
    const [component] = get(db, 'en', 'components.json').body.components;
    expect(component?.status).toBe('under_maintenance');
    expect(component?.updated_at).toBe('2030-01-15T11:00:00.000-05:00');
  });
});

describe('incidents', () => {
  it('returns an open incident with Statuspage fields', () => {
    const db = freshDb();
    const serviceId = addService(db, 'api', 1);
    const postedAt = new Date(Date.now() - 60_000);
    const id = addIncident(db, serviceId, 2, {}, postedAt);

    const body = get(db, 'en', 'incidents.json').body;
    expect(body.incidents).toHaveLength(1);
    const incident = body.incidents[0]!;
    expect(Object.keys(incident).sort()).toEqual(
      [
        'id',
        'name',
        'status',
        'created_at',
        'updated_at',
        'monitoring_at',
        'resolved_at',
        'impact',
        'shortlink',
        'started_at',
        'page_id',
        'incident_updates',
        'components',
      ].sort(),
    );
    expect(incident.id).toBe(`incident-${id}`);
    expect(incident.name).toBe('Emails delayed');
    expect(incident.status).toBe('investigating');
    expect(incident.impact).toBe('major');
    expect(incident.monitoring_at).toBeNull();
    expect(incident.resolved_at).toBeNull();
    expect(incident.shortlink).toBe(`http://localhost:4321/en/incidents/${id}`);
    expect(incident.page_id).toBe('localhost:4321');
    expect(incident.updated_at).toMatch(ISO_WITH_OFFSET);
    expect(new Date(incident.updated_at).getTime()).toBe(postedAt.getTime());
    expect(incident.started_at).toMatch(ISO_WITH_OFFSET);
    expect(incident.components.map((component) => [component.id, component.status])).toEqual([[`service-${serviceId}`, 'partial_outage']]);
  });

  it('returns updates newest first with their fields', () => {
    const db = freshDb();
    const serviceId = addService(db, 'api', 1);
    const id = addIncident(db, serviceId, 3, {}, new Date(Date.now() - 2 * 60_000));
    const updateId = postUpdate(
      db,
      publisher,
      id,
      { status: 'identified', ...content({ summaryEn: 'We found the cause.', summaryFr: 'Nous avons trouvé la cause.' }) },
      new Date(Date.now() - 60_000),
    );

    const incident = get(db, 'en', 'incidents.json').body.incidents[0]!;
    expect(incident.incident_updates.map((update) => update.status)).toEqual(['identified', 'investigating']);
    const latest = incident.incident_updates[0]!;
    expect(latest).toEqual({
      id: `incident-update-${updateId}`,
      status: 'identified',
      body: latest.body,
      incident_id: `incident-${id}`,
      created_at: latest.created_at,
      updated_at: latest.created_at,
      display_at: latest.created_at,
      affected_components: null,
      deliver_notifications: true,
    });
    expect(latest.created_at).toMatch(ISO_WITH_OFFSET);
    expect(latest.body.startsWith('We found the cause.')).toBe(true);
  });

  it('writes update bodies in the path language only', () => {
    const db = freshDb();
    const serviceId = addService(db, 'api', 1);
    addIncident(db, serviceId, 2, {
      ...content({
        summaryEn: 'Emails are delayed.',
        summaryFr: 'Les courriels sont retardés.',
        nowEn: 'We are restarting the queue.',
        nowFr: 'Nous redémarrons la file d’attente.',
      }),
    });

    const english = get(db, 'en', 'incidents.json').body.incidents[0]!;
    const french = get(db, 'fr', 'incidents.json').body.incidents[0]!;
    expect(english.name).toBe('Emails delayed');
    expect(french.name).toBe('Retards des courriels');
    expect(english.incident_updates[0]?.body).toContain('What is happening now:\n- We are restarting the queue.');
    expect(french.incident_updates[0]?.body).toContain('Situation actuelle\u00a0:\n- Nous redémarrons la file d’attente.');
    expect(english.incident_updates[0]?.body).not.toContain('courriels');
    expect(french.incident_updates[0]?.body).not.toContain('Emails');
    expect(french.components[0]?.name).toBe('api (français)');
    expect(french.shortlink).toMatch(/\/fr\/incidents\/\d+$/);
  });

  it('maps each severity to its impact', () => {
    const db = freshDb();
    const serviceId = addService(db, 'api', 1);
    const impacts = new Map([1, 2, 3].map((severity) => [`incident-${addIncident(db, serviceId, severity as 1 | 2 | 3)}`, severity]));
    for (const incident of get(db, 'en', 'incidents.json').body.incidents) {
      const expected = { 1: 'critical', 2: 'major', 3: 'minor' }[impacts.get(incident.id) as 1 | 2 | 3];
      expect(incident.impact, incident.id).toBe(expected);
    }
  });

  it('sets monitoring_at and resolved_at', () => {
    const db = freshDb();
    const serviceId = addService(db, 'api', 1);
    const id = addIncident(db, serviceId, 2, {}, new Date(Date.now() - 3 * 60_000));
    const monitoringAt = new Date(Date.now() - 2 * 60_000);
    postUpdate(db, publisher, id, { status: 'monitoring', ...content() }, monitoringAt);
    resolve(db, id, new Date(Date.now() - 60_000));

    const incident = get(db, 'en', 'incidents.json').body.incidents[0]!;
    expect(incident.status).toBe('resolved');
    expect(new Date(incident.monitoring_at!).getTime()).toBe(monitoringAt.getTime());
    expect(incident.resolved_at).toMatch(ISO_WITH_OFFSET);
    expect(incident.incident_updates[0]?.status).toBe('resolved');
    expect(incident.incident_updates[0]?.body).toBe('Service is restored.');
  });

  it('includes the postmortem link in its update', () => {
    const db = freshDb();
    const serviceId = addService(db, 'api', 1);
    const id = addIncident(db, serviceId, 2);
    resolve(db, id);
    setPostmortem(db, publisher, id, { postmortemUrlEn: 'https://example.gc.ca/en/pm', postmortemUrlFr: 'https://example.gc.ca/fr/pm' });

    const french = get(db, 'fr', 'incidents.json').body.incidents[0]!;
    expect(french.incident_updates[0]?.body).toBe('L’analyse post-incident de cet incident est publiée.\n\nhttps://example.gc.ca/fr/pm');
  });

  it('lists unresolved incidents only in unresolved.json and summary', () => {
    const db = freshDb();
    const serviceId = addService(db, 'api', 1);
    const open = addIncident(db, serviceId, 3, { titleEn: 'Still open' });
    const closed = addIncident(db, serviceId, 1, { titleEn: 'Closed' });
    resolve(db, closed);

    expect(get(db, 'en', 'incidents.json').body.incidents.map((incident) => incident.id).sort()).toEqual([`incident-${open}`, `incident-${closed}`].sort());
    expect(get(db, 'en', 'incidents/unresolved.json').body.incidents.map((incident) => incident.id)).toEqual([`incident-${open}`]);
    expect(get(db, 'en', 'summary.json').body.incidents.map((incident) => incident.id)).toEqual([`incident-${open}`]);
  });

  it('orders incidents by start, newest first', () => {
    const db = freshDb();
    const serviceId = addService(db, 'api', 1);
    const older = addIncident(db, serviceId, 3, { startedAt: hoursAgo(5), detectedAt: hoursAgo(5) });
    const newer = addIncident(db, serviceId, 3, { startedAt: hoursAgo(1), detectedAt: hoursAgo(1) });
    expect(get(db, 'en', 'incidents.json').body.incidents.map((incident) => incident.id)).toEqual([`incident-${newer}`, `incident-${older}`]);
  });

  it('returns the 50 most recent incidents', () => {
    const db = freshDb();
    const serviceId = addService(db, 'api', 1);
    const ids = Array.from({ length: 51 }, (_, index) => addIncident(db, serviceId, 3, { startedAt: hoursAgo(60 - index), detectedAt: hoursAgo(60 - index) }));

    const listed = get(db, 'en', 'incidents.json').body.incidents.map((incident) => incident.id);
    expect(listed).toHaveLength(50);
    expect(listed[0]).toBe(`incident-${ids[50]}`);
    expect(listed).not.toContain(`incident-${ids[0]}`);
    expect(get(db, 'en', 'incidents/unresolved.json').body.incidents).toHaveLength(51);
  });
});

describe('status indicator', () => {
  it('takes the worst impact of open incidents', () => {
    const db = freshDb();
    const serviceId = addService(db, 'api', 1);
    addIncident(db, serviceId, 3);
    expect(get(db, 'en', 'status.json').body.status).toEqual({ indicator: 'minor', description: 'Minor Service Outage' });

    addIncident(db, serviceId, 2);
    expect(get(db, 'en', 'status.json').body.status).toEqual({ indicator: 'major', description: 'Partial System Outage' });

    const critical = addIncident(db, serviceId, 1);
    expect(get(db, 'fr', 'status.json').body.status).toEqual({ indicator: 'critical', description: 'Panne majeure des systèmes' });

    resolve(db, critical);
    expect(get(db, 'en', 'status.json').body.status.indicator).toBe('major');
  });

  it('ignores resolved incidents', () => {
    const db = freshDb();
    const serviceId = addService(db, 'api', 1);
    resolve(db, addIncident(db, serviceId, 1));
    expect(get(db, 'en', 'status.json').body.status.indicator).toBe('none');
  });

  it('reports maintenance while a window is in progress', () => {
    const db = freshDb();
    const serviceId = addService(db, 'api', 1);
    addWindow(db, [serviceId], 1, 2);
    expect(get(db, 'en', 'status.json').body.status.indicator).toBe('none');

    const duringWindow = new Date(NOW.getTime() + 1.5 * HOUR);
    expect(get(db, 'en', 'status.json', duringWindow).body.status).toEqual({ indicator: 'maintenance', description: 'Service Under Maintenance' });
    expect(get(db, 'fr', 'summary.json', duringWindow).body.status).toEqual({ indicator: 'maintenance', description: 'Service en maintenance' });

    const afterWindow = new Date(NOW.getTime() + 2 * HOUR);
    expect(get(db, 'en', 'status.json', afterWindow).body.status.indicator).toBe('none');
  });

  it('puts open incidents before maintenance', () => {
    const db = freshDb();
    const serviceId = addService(db, 'api', 1);
    addWindow(db, [serviceId], -1, 1);
    addIncident(db, serviceId, 3);
    expect(get(db, 'en', 'status.json').body.status.indicator).toBe('minor');
  });
});

describe('scheduled maintenances', () => {
  it('returns a window with Statuspage fields', () => {
    const db = freshDb();
    const serviceId = addService(db, 'api', 1);
    const id = addWindow(db, [serviceId], 2, 4);

    const [window] = get(db, 'en', 'scheduled-maintenances.json').body.scheduled_maintenances;
    expect(window).toEqual({
      id: `maintenance-${id}`,
      name: 'Database upgrade',
      status: 'scheduled',
      created_at: window?.created_at,
      updated_at: '2030-01-15T12:00:00.000-05:00',
      monitoring_at: null,
      resolved_at: null,
      impact: 'maintenance',
      shortlink: `http://localhost:4321/en/maintenance/${id}`,
      started_at: '2030-01-15T14:00:00.000-05:00',
      page_id: 'localhost:4321',
      incident_updates: [
        {
          id: window?.incident_updates[0]?.id,
          status: 'scheduled',
          body: 'We will upgrade the database.',
          incident_id: `maintenance-${id}`,
          created_at: '2030-01-15T12:00:00.000-05:00',
          updated_at: '2030-01-15T12:00:00.000-05:00',
          display_at: '2030-01-15T12:00:00.000-05:00',
          affected_components: null,
          deliver_notifications: true,
        },
      ],
      components: [expect.objectContaining({ id: `service-${serviceId}`, status: 'operational' })],
      scheduled_for: '2030-01-15T14:00:00.000-05:00',
      scheduled_until: '2030-01-15T16:00:00.000-05:00',
    });
    expect(window?.created_at).toMatch(ISO_WITH_OFFSET);
    expect(window?.incident_updates[0]?.id).toMatch(/^maintenance-update-\d+$/);
  });

  it('uses titles and notices of the path language', () => {
    const db = freshDb();
    const serviceId = addService(db, 'api', 1);
    addWindow(db, [serviceId], 2, 4);
    const [window] = get(db, 'fr', 'scheduled-maintenances.json').body.scheduled_maintenances;
    expect(window?.name).toBe('Database upgrade (fr)');
    expect(window?.incident_updates[0]?.body).toBe('Nous mettrons à niveau la base de données.');
    expect(window?.components[0]?.name).toBe('api (français)');
    expect(window?.shortlink).toBe(`http://localhost:4321/fr/maintenance/${window?.id.replace('maintenance-', '')}`);
  });

  it('splits windows into upcoming and active by now', () => {
    const db = freshDb();
    const serviceId = addService(db, 'api', 1);
    const past = addWindow(db, [serviceId], -4, -2, 'Past');
    const active = addWindow(db, [serviceId], -1, 1, 'Active');
    const upcoming = addWindow(db, [serviceId], 2, 3, 'Upcoming');
    const later = addWindow(db, [serviceId], 5, 6, 'Later');
    const ids = (endpoint: string, now = NOW) => get(db, 'en', endpoint, now).body.scheduled_maintenances.map((window) => window.id);

    expect(ids('scheduled-maintenances/upcoming.json')).toEqual([`maintenance-${upcoming}`, `maintenance-${later}`]);
    expect(ids('scheduled-maintenances/active.json')).toEqual([`maintenance-${active}`]);
    expect(ids('summary.json')).toEqual([`maintenance-${active}`, `maintenance-${upcoming}`, `maintenance-${later}`]);
    expect(ids('scheduled-maintenances.json')).toEqual([`maintenance-${later}`, `maintenance-${upcoming}`, `maintenance-${active}`, `maintenance-${past}`]);

    const statuses = get(db, 'en', 'scheduled-maintenances.json').body.scheduled_maintenances.map((window) => [window.name, window.status, window.resolved_at]);
    expect(statuses).toEqual([
      ['Later', 'scheduled', null],
      ['Upcoming', 'scheduled', null],
      ['Active', 'in_progress', null],
      ['Past', 'completed', '2030-01-15T10:00:00.000-05:00'],
    ]);

    const twoHoursLater = new Date(NOW.getTime() + 2 * HOUR);
    expect(ids('scheduled-maintenances/active.json', twoHoursLater)).toEqual([`maintenance-${upcoming}`]);
    expect(ids('scheduled-maintenances/upcoming.json', twoHoursLater)).toEqual([`maintenance-${later}`]);
  });

  it('gives each notice the window status at posting', () => {
    const db = freshDb();
    const serviceId = addService(db, 'api', 1);
    const id = addWindow(db, [serviceId], 1, 3);
    const duringWindow = new Date(NOW.getTime() + 2 * HOUR);
    postMaintenanceUpdate(db, admin, id, { bodyEn: 'The upgrade is under way.', bodyFr: 'La mise à niveau est en cours.' }, duringWindow);

    const [window] = get(db, 'en', 'scheduled-maintenances/active.json', duringWindow).body.scheduled_maintenances;
    expect(window?.status).toBe('in_progress');
    expect(window?.incident_updates.map((update) => [update.status, update.body])).toEqual([
      ['in_progress', 'The upgrade is under way.'],
      ['scheduled', 'We will upgrade the database.'],
    ]);
    expect(window?.components[0]?.status).toBe('under_maintenance');
  });
});

describe('summary', () => {
  it('shares one component object set across its parts', () => {
    const db = freshDb();
    const serviceId = addService(db, 'api', 1);
    addIncident(db, serviceId, 2);
    addWindow(db, [serviceId], 1, 2);

    const body = get(db, 'en', 'summary.json').body;
    expect(body.incidents[0]?.components).toEqual(body.components);
    expect(body.scheduled_maintenances[0]?.components).toEqual(body.components);
  });

  it('sets page updated_at to the latest change', () => {
    const db = freshDb();
    const serviceId = addService(db, 'api', 1);
    const changedAt = new Date(Date.now() + 2 * HOUR);
    addIncident(db, serviceId, 2, { nextUpdateAt: hoursAgo(-5) }, changedAt);
    const page = get(db, 'en', 'summary.json', new Date(Date.now() + 3 * HOUR)).body.page;
    expect(new Date(page.updated_at).getTime()).toBe(changedAt.getTime());
  });
});

describe('handleStatuspageRequest', () => {
  it('answers a CORS preflight with 204', () => {
    const response = handleStatuspageRequest('OPTIONS', 'fr', 'summary.json');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, OPTIONS');
  });

  it('rejects writes with 405', async () => {
    const response = handleStatuspageRequest('POST', 'fr', 'summary.json');
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await response.json()).toEqual({ error: 'Cette API est en lecture seule. Envoyez des requêtes GET.' });
  });

  it('returns 404 for an unknown language', async () => {
    const response = handleStatuspageRequest('GET', 'de', 'summary.json');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(((await response.json()) as Body).endpoints[0]).toBe('http://localhost:4321/en/api/v2/summary.json');
  });
});
