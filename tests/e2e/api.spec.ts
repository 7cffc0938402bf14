import { expect, test, type APIRequestContext, type APIResponse } from '@playwright/test';
import { ADMIN, hoursAgo, unique } from './support.ts';

const ENDPOINTS = [
  'summary.json',
  'status.json',
  'components.json',
  'incidents.json',
  'incidents/unresolved.json',
  'scheduled-maintenances.json',
  'scheduled-maintenances/upcoming.json',
  'scheduled-maintenances/active.json',
];
/** Each API base path with the language its texts must be in. */
const BASES = [
  { base: '/api/v2', lang: 'en', pageName: 'Service status' },
  { base: '/en/api/v2', lang: 'en', pageName: 'Service status' },
  { base: '/fr/api/v2', lang: 'fr', pageName: 'État des services' },
] as const;
const ORIGIN = `http://localhost:${process.env.E2E_PORT ?? 4455}`;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/;

interface Component {
  id: string;
  name: string;
  status: string;
}
interface Incident {
  id: string;
  name: string;
  status: string;
  impact: string;
  shortlink: string;
  incident_updates: { body: string; status: string }[];
  components: Component[];
}

function expectApiHeaders(response: APIResponse, label: string): void {
  const headers = response.headers();
  expect(headers['content-type'], label).toBe('application/json; charset=utf-8');
  expect(headers['access-control-allow-origin'], label).toBe('*');
  expect(headers['set-cookie'], label).toBeUndefined();
}

async function getJson<T>(request: APIRequestContext, path: string): Promise<T> {
  const response = await request.get(path);
  expect(response.status(), path).toBe(200);
  expectApiHeaders(response, path);
  return (await response.json()) as T;
}

/** Signs in through the login form; the request context keeps the session cookie. */
async function signInWithRequest(request: APIRequestContext): Promise<void> {
  const response = await request.post('/admin/login', { form: { email: ADMIN.email, password: ADMIN.password }, headers: { Origin: ORIGIN }, maxRedirects: 0 });
  expect(response.status()).toBe(303);
}

test('every endpoint returns JSON with CORS in each language', async ({ request }) => {
  for (const { base, lang, pageName } of BASES) {
    for (const endpoint of ENDPOINTS) {
      const path = `${base}/${endpoint}`;
      const body = await getJson<{ page: { name: string; url: string; time_zone: string; updated_at: string } }>(request, path);
      expect(body.page.name, path).toBe(pageName);
      expect(body.page.url, path).toBe(`${ORIGIN}/${lang}/`);
      expect(body.page.time_zone, path).toBe('America/Toronto');
      expect(body.page.updated_at, path).toMatch(ISO_WITH_OFFSET);
    }
  }
});

test('status description is in the path language', async ({ request }) => {
  const english = await getJson<{ status: { indicator: string; description: string } }>(request, '/api/v2/status.json');
  const french = await getJson<{ status: { indicator: string; description: string } }>(request, '/fr/api/v2/status.json');
  expect(french.status.indicator).toBe(english.status.indicator);
  const descriptions: Record<string, [string, string]> = {
    none: ['All Systems Operational', 'Tous les systèmes sont opérationnels'],
    minor: ['Minor Service Outage', 'Panne de service mineure'],
    major: ['Partial System Outage', 'Panne partielle des systèmes'],
    critical: ['Major System Outage', 'Panne majeure des systèmes'],
    maintenance: ['Service Under Maintenance', 'Service en maintenance'],
  };
  expect(english.status.description).toBe(descriptions[english.status.indicator]?.[0]);
  expect(french.status.description).toBe(descriptions[french.status.indicator]?.[1]);
});

test('unknown API paths return 404 JSON', async ({ request }) => {
  for (const path of ['/api/v2/pages.json', '/api/v2/', '/en/api/v2/incidents/1.json', '/fr/api/v2/summary', '/fr/api/v2/scheduled-maintenances/past.json']) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(404);
    expectApiHeaders(response, path);
    const body = (await response.json()) as { error: string; endpoints: string[] };
    expect(body.endpoints, path).toHaveLength(ENDPOINTS.length);
  }
  const french = (await (await request.get('/fr/api/v2/pages.json')).json()) as { error: string; endpoints: string[] };
  expect(french.error).toContain('Aucun point de terminaison');
  expect(french.endpoints[0]).toBe(`${ORIGIN}/fr/api/v2/summary.json`);
});

test('preflight, HEAD and writes follow the read-only contract', async ({ request }) => {
  const preflight = await request.fetch('/fr/api/v2/summary.json', {
    method: 'OPTIONS',
    headers: { Origin: 'http://localhost:9', 'Access-Control-Request-Method': 'GET' },
  });
  expect(preflight.status()).toBe(204);
  expect(preflight.headers()['access-control-allow-origin']).toBe('*');
  expect(preflight.headers()['access-control-allow-methods']).toBe('GET, OPTIONS');

  const head = await request.head('/api/v2/status.json');
  expect(head.status()).toBe(200);
  expectApiHeaders(head, 'HEAD');

  const write = await request.delete('/api/v2/summary.json');
  expect(write.status()).toBe(405);
  expectApiHeaders(write, 'DELETE');
  expect(write.headers().allow).toBe('GET, HEAD, OPTIONS');
});

test('an open incident appears in each language', async ({ request }) => {
  await signInWithRequest(request);
  const suffix = unique();
  const created = await request.post('/admin/services/new', {
    form: { slug: `api-check-${suffix}`, nameEn: `API check ${suffix}`, nameFr: `Vérification API ${suffix}`, displayOrder: '0' },
    headers: { Origin: ORIGIN },
    maxRedirects: 0,
  });
  expect(created.status()).toBe(303);

  const { components } = await getJson<{ components: Component[] }>(request, '/api/v2/components.json');
  const component = components.find((entry) => entry.name === `API check ${suffix}`);
  expect(component, 'the new service is listed as a component').toBeTruthy();
  const serviceId = component!.id.replace(/^service-/, '');

  const opened = await request.post('/admin/incidents/new', {
    form: {
      titleEn: `Slow sign-in ${suffix}`,
      titleFr: `Connexion lente ${suffix}`,
      severity: '1',
      status: 'investigating',
      startedAt: hoursAgo(1),
      detectedAt: hoursAgo(0.5),
      [`impacts.${serviceId}`]: 'major_outage',
      summaryEn: 'Sign-in takes several minutes.',
      summaryFr: 'La connexion prend plusieurs minutes.',
      usersAffectedKind: 'unknown',
      causeKnown: 'no',
      restorationKnown: 'no',
      nextUpdateAt: hoursAgo(-1),
    },
    headers: { Origin: ORIGIN },
    maxRedirects: 0,
  });
  expect(opened.status()).toBe(303);

  for (const { base, lang } of BASES) {
    const { incidents } = await getJson<{ incidents: Incident[] }>(request, `${base}/incidents/unresolved.json`);
    const incident = incidents.find((entry) => entry.name.endsWith(suffix));
    expect(incident, base).toBeTruthy();
    expect(incident!.impact, base).toBe('critical');
    expect(incident!.status, base).toBe('investigating');
    expect(incident!.shortlink, base).toMatch(new RegExp(`^${ORIGIN}/${lang}/incidents/\\d+$`));
    if (lang === 'fr') {
      expect(incident!.name).toBe(`Connexion lente ${suffix}`);
      expect(incident!.incident_updates[0]?.body).toContain('La connexion prend plusieurs minutes.');
      expect(incident!.components[0]?.name).toBe(`Vérification API ${suffix}`);
    } else {
      expect(incident!.name, base).toBe(`Slow sign-in ${suffix}`);
      expect(incident!.incident_updates[0]?.body, base).toContain('Sign-in takes several minutes.');
      expect(incident!.components[0]?.name, base).toBe(`API check ${suffix}`);
    }
    expect(incident!.components[0]?.status, base).toBe('major_outage');
  }

  const summary = await getJson<{ status: { indicator: string; description: string }; incidents: Incident[] }>(request, '/fr/api/v2/summary.json');
  expect(summary.status).toEqual({ indicator: 'critical', description: 'Panne majeure des systèmes' });
  expect(summary.incidents.some((incident) => incident.name === `Connexion lente ${suffix}`)).toBe(true);

  // Resolving it moves it out of the unresolved list, so later tests see no open incident.
  const incidentPath = new URL(opened.headers().location!, ORIGIN).pathname;
  const resolved = await request.post(incidentPath, {
    // The incident was just opened, so it is at version 1.
    form: { intent: 'resolve', version: '1', endedAt: hoursAgo(0.1), noticeEn: 'Sign-in is fast again.', noticeFr: 'La connexion est de nouveau rapide.' },
    headers: { Origin: ORIGIN },
    maxRedirects: 0,
  });
  expect(resolved.status()).toBe(303);

  const unresolved = await getJson<{ incidents: Incident[] }>(request, '/en/api/v2/incidents/unresolved.json');
  expect(unresolved.incidents.some((incident) => incident.name.endsWith(suffix))).toBe(false);
  const all = await getJson<{ incidents: (Incident & { resolved_at: string | null })[] }>(request, '/fr/api/v2/incidents.json');
  const closed = all.incidents.find((incident) => incident.name === `Connexion lente ${suffix}`);
  expect(closed?.status).toBe('resolved');
  expect(closed?.resolved_at).toMatch(ISO_WITH_OFFSET);
  expect(closed?.incident_updates[0]?.body).toBe('La connexion est de nouveau rapide.');
});
