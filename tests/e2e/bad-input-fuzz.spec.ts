// Bad input on every admin form and public address: oversized values, wrong types, missing
// and repeated fields, malformed dates, control and zero-width characters, right-to-left
// marks, emoji and markup. Each request must get a clear 4xx (422 for invalid fields) or be
// saved; it must never get a 5xx. A rejected request must leave the database as it was, and
// saved text must come back as text: escaped in HTML, well-formed in XML, never run.
//
// The test starts its own copy of the built server on a database in a temporary folder,
// so the thousands of writes it tries never reach the shared end-to-end server.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type APIRequestContext, type APIResponse, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { hoursAgo } from './support.ts';

const ACCOUNT = { email: 'fuzz@example.gc.ca', password: 'a long fuzzing passphrase' };
const FORM_TYPE = 'application/x-www-form-urlencoded';

// Markup that must never reach a page unescaped. Each payload names itself in its alert.
const RAW_MARKUP = ['<script>alert("fuzz', '<img src=x onerror=alert("fuzz', '<svg/onload=alert("fuzz', 'href="javascript:', 'href="data:'];

const TEXT_PAYLOADS: Record<string, string> = {
  oversized: 'x'.repeat(100_000),
  'over a typical limit': 'é'.repeat(1_001),
  'control characters': 'Start\u0000\u0001\u0007\u0008\u000b\u000c\u001b[31m\u007f\u0085 end',
  'zero-width only': '\u200b\u200c\u200d\u2060\ufeff',
  'zero-width inside': 'Pay\u200bments\u200d are\ufeff down',
  'right-to-left marks': '\u202eevil.exe\u202c \u200f\u061c \u2067isolated\u2069 שלום مرحبا',
  emoji: '🚨 Panne 🔥 👩🏽‍💻 中文 Ελληνικά',
  script: '<script>alert("fuzz-script")</script>',
  'markup in an attribute': '"><img src=x onerror=alert("fuzz-img")>',
  svg: '<svg/onload=alert("fuzz-svg")>',
  'template syntax': '{{7*7}} ${7*7} <%= 7*7 %> {{constructor}}',
  sql: "'); DROP TABLE incidents; --",
  'lone surrogate': 'broken \ud800 half',
  'line breaks': 'line one\r\nline two\n\n- point\r- another',
  'whitespace only': ' \t\u00a0\u3000 ',
  empty: '',
};

const DATE_PAYLOADS: Record<string, string> = {
  'impossible month and time': '2026-13-45T99:99',
  word: 'yesterday',
  'date only': '2026-12-04',
  'February 30': '2026-02-30T10:00',
  'year zero': '0000-01-01T00:00',
  'year 9999': '9999-12-31T23:59',
  'ISO with zone': '2026-12-04T10:00:00.000Z',
  'space separator': '2026-12-04 10:00',
  'seconds and more': '2026-12-04T10:00:00:00',
  script: TEXT_PAYLOADS.script!,
  'control characters': '2026-12-04T10:00\u0000',
  oversized: '2'.repeat(100_000),
  empty: '',
};

const CHOICE_PAYLOADS: Record<string, string> = {
  'unknown value': 'on_fire',
  resolved: 'resolved',
  'out of range': '4',
  negative: '-1',
  fraction: '1.5',
  'not a number': 'NaN',
  'prototype name': '__proto__',
  'method name': 'toString',
  script: TEXT_PAYLOADS.script!,
  oversized: TEXT_PAYLOADS.oversized!,
  empty: '',
};

const NUMBER_PAYLOADS: Record<string, string> = {
  negative: '-1',
  fraction: '1.5',
  exponent: '1e3',
  'not a number': 'NaN',
  infinity: 'Infinity',
  'past the safe integers': '99999999999999999999',
  hexadecimal: '0x10',
  'full-width digit': '１２',
  'digits with spaces': ' 1 200 ',
  script: TEXT_PAYLOADS.script!,
  oversized: '9'.repeat(100_000),
  empty: '',
};

const URL_PAYLOADS: Record<string, string> = {
  'javascript URL': 'javascript:alert("fuzz-url")',
  'data URL': 'data:text/html,<script>alert("fuzz-script")</script>',
  'scheme only': 'https://',
  'relative to the scheme': '//example.gc.ca/postmortem',
  'space in host': 'http://exa mple.gc.ca/',
  'markup in the path': 'https://example.gc.ca/"><script>alert("fuzz-script")</script>',
  'oversized URL': `https://example.gc.ca/${'a'.repeat(3_000)}`,
  'control characters': 'https://example.gc.ca/pm\u0001',
  'emoji host': 'https://例え.jp/🚨',
  'plain text': 'see the blog',
};

const VERSION_PAYLOADS: Record<string, string> = {
  zero: '0',
  negative: '-1',
  word: 'latest',
  fraction: '1.5',
  'past the safe integers': '99999999999999999999',
  script: TEXT_PAYLOADS.script!,
  oversized: '1'.repeat(100_000),
  empty: '',
};

type Kind = 'text' | 'date' | 'choice' | 'number' | 'url' | 'version';
const PAYLOADS: Record<Kind, Record<string, string>> = {
  text: TEXT_PAYLOADS,
  date: DATE_PAYLOADS,
  choice: CHOICE_PAYLOADS,
  number: NUMBER_PAYLOADS,
  url: URL_PAYLOADS,
  version: VERSION_PAYLOADS,
};

interface FormCase {
  name: string;
  path: string;
  /** Valid values; sending them unchanged is a successful save. */
  base: () => Promise<Record<string, string>>;
  fields: Record<string, Kind>;
  /** Payload names not sent to this form because they need a fix outside it (see the fixme tests). */
  skip?: string[];
  /** Puts the target back in a state where the base values save, after a payload was saved. */
  afterSave?: () => Promise<void>;
}

interface OwnServer {
  child: ChildProcess;
  origin: string;
  logFile: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

async function startServer(databasePath: string, logFile: string): Promise<OwnServer> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--max-old-space-size=128', '--max-semi-space-size=4', 'scripts/serve.ts'], {
    env: { ...process.env, DATABASE_PATH: databasePath, PORT: String(port), HOST: '127.0.0.1', SITE_URL: origin, STATUS_TIME_ZONE: 'America/Toronto' },
    stdio: ['ignore', log, log],
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${origin}/en/`)).ok) return { child, origin, logFile };
    } catch {
      // Not listening yet.
    }
    await new Promise((wait) => setTimeout(wait, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`The server on ${origin} did not start. Log:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
}

let folder: string;
let server: OwnServer;
let api: APIRequestContext;
let database: Database.Database;
const ids = { service: 0, incident: 0, maintenance: 0, template: 0 };
const saved: string[] = [];
let checked = 0;

function encode(values: Record<string, string> | [string, string][]): string {
  return new URLSearchParams(Array.isArray(values) ? values : Object.entries(values)).toString();
}

async function get(path: string): Promise<APIResponse> {
  return api.get(path, { maxRedirects: 0 });
}

async function post(path: string, body: string | Buffer, headers: Record<string, string> = { 'content-type': FORM_TYPE }): Promise<APIResponse> {
  return api.post(path, { data: body, headers, maxRedirects: 0 });
}

// Every table that an admin form writes to. Sessions and sign-in attempts are left out:
// reading a page may touch them.
const CONTENT_TABLES = ['services', 'incidents', 'incident_services', 'incident_updates', 'maintenances', 'maintenance_services', 'maintenance_updates', 'update_templates', 'users', 'audit_log'];

/** Reads every row of every content table through a read-only connection to the server's database. */
function snapshot(): string {
  return CONTENT_TABLES.map((table) => JSON.stringify(database.prepare(`select * from ${table} order by rowid`).raw().all())).join('\n');
}

// Versions read from the edit pages, dropped after every save. A rejected request that
// changed a version anyway would also change the snapshot, which `check` compares.
const versions = new Map<string, string>();

async function currentVersion(path: string): Promise<string> {
  const cached = versions.get(path);
  if (cached) return cached;
  const html = await (await get(path)).text();
  const version = html.match(/name="version" value="(\d+)"/)?.[1];
  expect(version, `version field on ${path}`).toBeTruthy();
  versions.set(path, version!);
  return version!;
}

function expectInert(text: string, label: string): void {
  for (const marker of RAW_MARKUP) expect.soft(text.includes(marker), `${label}: unescaped ${marker}`).toBe(false);
}

/**
 * Checks an XML document like HTML, except the CDATA of RSS titles and categories: those are
 * plain text (security.spec.ts expects RSS titles exactly as typed), unlike descriptions.
 */
function expectInertXml(xml: string, label: string): void {
  expectInert(xml.replace(/<(title|category)><!\[CDATA\[[\s\S]*?\]\]><\/\1>/g, ''), label);
}

let lastSnapshot: string | undefined;

/**
 * Sends one request and checks its outcome. The status is never 5xx. A request is either
 * saved (303) or rejected with a 4xx and the database unchanged. A 422 or 409 page names the
 * problem, and any text it echoes is escaped.
 */
async function check(label: string, send: () => Promise<APIResponse>, afterSave?: () => Promise<void>): Promise<number> {
  const before = lastSnapshot ?? snapshot();
  checked += 1;
  const response = await send();
  const status = response.status();
  const body = await response.text();
  expect.soft(status, `${label}: status`).toBeLessThan(500);
  expect.soft([200, 303, 400, 401, 403, 404, 405, 409, 413, 415, 422, 429], `${label}: status ${status}`).toContain(status);
  if ((response.headers()['content-type'] ?? '').includes('html')) expectInert(body, label);
  if (status === 422 || status === 409) expect.soft(body, `${label}: error summary`).toContain('class="error-summary"');

  if (status === 303 && !response.headers().location?.startsWith('/admin/login')) {
    saved.push(label);
    versions.clear();
    await afterSave?.();
    lastSnapshot = snapshot();
  } else {
    const after = snapshot();
    expect.soft(after === before, `${label}: rejected with ${status} but the database changed`).toBe(true);
    lastSnapshot = after;
  }
  return status;
}

/** Sends every payload of its kind to every field, then the structural changes of each field. */
async function fuzzForm(form: FormCase): Promise<void> {
  const send = async (label: string, pairs: [string, string][]) => check(`${form.name} ${label}`, () => post(form.path, encode(pairs)), form.afterSave);

  const base = await form.base();
  expect(await send('with valid values', Object.entries(base))).toBe(303);

  for (const [field, kind] of Object.entries(form.fields)) {
    for (const [payloadName, payload] of Object.entries(PAYLOADS[kind])) {
      if (form.skip?.includes(payloadName)) continue;
      const values = await form.base();
      values[field] = payload;
      await send(`${field} = ${payloadName}`, Object.entries(values));
    }

    const missing = await form.base();
    delete missing[field];
    await send(`${field} missing`, Object.entries(missing));

    const repeated = Object.entries(await form.base());
    repeated.push([field, TEXT_PAYLOADS.script!]);
    await send(`${field} repeated`, repeated);

    // "name.key" makes the value an object where a string is expected.
    const nested = Object.entries(await form.base()).filter(([name]) => name !== field);
    nested.push([`${field}.0`, 'nested']);
    await send(`${field} as an object`, nested);
  }

  await send('empty body', []);
}

/** Bodies that are not forms, or not from this site. */
async function fuzzRequestShape(name: string, path: string, base: () => Promise<Record<string, string>>): Promise<void> {
  const values = await base();
  await check(`${name} JSON body`, () => post(path, JSON.stringify(values), { 'content-type': 'application/json' }));
  await check(`${name} plain text body`, () => post(path, encode(values), { 'content-type': 'text/plain' }));
  await check(`${name} no content type`, () => post(path, Buffer.from(encode(values)), {}));
  await check(`${name} broken multipart body`, () => post(path, '--x\r\nContent-Disposition: form-data; name="titleEn"\r\n\r\nunterminated', { 'content-type': 'multipart/form-data; boundary=x' }));
  await check(`${name} form with a 2 MB field`, () => post(path, encode({ ...values, titleEn: 'y'.repeat(2_000_000), nameEn: 'y'.repeat(2_000_000) })));
  const crossSite = await post(path, encode(await base()), { 'content-type': FORM_TYPE, origin: 'http://other.example' });
  expect.soft(crossSite.status(), `${name} from another origin`).toBe(403);
}

function composer(): Record<string, string> {
  return {
    summaryEn: 'Payments fail for some users.',
    summaryFr: 'Les paiements échouent pour certains utilisateurs.',
    nowEn: 'We are checking the payment gateway.',
    nowFr: 'Nous vérifions la passerelle de paiement.',
    nextEn: 'We will restart the gateway.',
    nextFr: 'Nous redémarrerons la passerelle.',
    usersAffectedKind: 'estimate',
    usersAffected: '1200',
    causeKnown: 'yes',
    causeEn: 'A certificate expired.',
    causeFr: 'Un certificat a expiré.',
    restorationKnown: 'yes',
    restorationAt: hoursAgo(-2),
    nextUpdateAt: hoursAgo(-1),
  };
}

const COMPOSER_FIELDS: Record<string, Kind> = {
  summaryEn: 'text',
  summaryFr: 'text',
  nowEn: 'text',
  nowFr: 'text',
  nextEn: 'text',
  nextFr: 'text',
  usersAffectedKind: 'choice',
  usersAffected: 'number',
  causeKnown: 'choice',
  causeEn: 'text',
  causeFr: 'text',
  restorationKnown: 'choice',
  restorationAt: 'date',
  nextUpdateAt: 'date',
};

async function reopenIncident(): Promise<void> {
  const html = await (await get(`/admin/incidents/${ids.incident}`)).text();
  if (!html.includes('name="intent" value="resolve"')) {
    const response = await post(`/admin/incidents/${ids.incident}`, encode({ intent: 'update', version: await currentVersion(`/admin/incidents/${ids.incident}`), status: 'identified', ...composer() }));
    expect(response.status()).toBe(303);
    versions.clear();
  }
}

const incidentPath = () => `/admin/incidents/${ids.incident}`;
const serviceSlug = () => `fuzz-${Math.random().toString(36).slice(2, 10)}`;

function forms(): FormCase[] {
  const maintenanceWindow = () => ({ titleEn: 'Database upgrade', titleFr: 'Mise à niveau', scheduledStart: hoursAgo(50), scheduledEnd: hoursAgo(49), [`services.${ids.service}`]: 'on' });
  // Service names and templates still accept control characters (see the fixme test at the
  // end), so those payloads are not sent to their forms here.
  const outsideFix: string[] = [];
  return [
    {
      name: 'new service',
      path: '/admin/services/new',
      base: async () => ({ slug: serviceSlug(), nameEn: 'Payments', nameFr: 'Paiements', descriptionEn: 'Card payments', descriptionFr: 'Paiements par carte', displayOrder: '5' }),
      fields: { slug: 'text', nameEn: 'text', nameFr: 'text', descriptionEn: 'text', descriptionFr: 'text', displayOrder: 'number' },
      skip: outsideFix,
    },
    {
      name: 'service edit',
      path: `/admin/services/${ids.service}`,
      base: async () => ({ slug: 'fuzz-base', nameEn: 'Fuzz base', nameFr: 'Base de test', descriptionEn: '', descriptionFr: '', displayOrder: '0' }),
      fields: { slug: 'text', nameEn: 'text', nameFr: 'text', descriptionEn: 'text', descriptionFr: 'text', displayOrder: 'number' },
      skip: outsideFix,
    },
    {
      name: 'new incident',
      path: '/admin/incidents/new',
      base: async () => ({ titleEn: 'Payments failing', titleFr: 'Échec des paiements', severity: '2', status: 'investigating', startedAt: hoursAgo(2), detectedAt: hoursAgo(1.5), [`impacts.${ids.service}`]: 'partial_outage', ...composer() }),
      // The composer's fields go through the same parser as on the update form, which tries all of them.
      fields: { titleEn: 'text', titleFr: 'text', severity: 'choice', status: 'choice', startedAt: 'date', detectedAt: 'date', [`impacts.${ids.service}`]: 'choice', summaryFr: 'text', nextUpdateAt: 'date' },
    },
    {
      name: 'incident update',
      path: incidentPath(),
      base: async () => ({ intent: 'update', version: await currentVersion(incidentPath()), status: 'identified', [`impacts.${ids.service}`]: 'degraded_performance', ...composer() }),
      fields: { intent: 'choice', version: 'version', status: 'choice', [`impacts.${ids.service}`]: 'choice', ...COMPOSER_FIELDS },
    },
    {
      name: 'incident details',
      path: incidentPath(),
      base: async () => ({ intent: 'details', version: await currentVersion(incidentPath()), titleEn: 'Payments failing', titleFr: 'Échec des paiements', severity: '2', startedAt: hoursAgo(2), detectedAt: hoursAgo(1.5) }),
      fields: { version: 'version', titleEn: 'text', titleFr: 'text', severity: 'choice', startedAt: 'date', detectedAt: 'date' },
    },
    {
      name: 'incident resolution',
      path: incidentPath(),
      base: async () => ({ intent: 'resolve', version: await currentVersion(incidentPath()), endedAt: hoursAgo(0.5), noticeEn: 'Payments work again.', noticeFr: 'Les paiements fonctionnent de nouveau.', postmortemUrlEn: '', postmortemUrlFr: '' }),
      fields: { version: 'version', endedAt: 'date', noticeEn: 'text', noticeFr: 'text', postmortemUrlEn: 'url', postmortemUrlFr: 'url' },
      afterSave: reopenIncident,
    },
    {
      name: 'incident postmortem',
      path: incidentPath(),
      base: async () => ({ intent: 'postmortem', version: await currentVersion(incidentPath()), postmortemUrlEn: 'https://example.gc.ca/en/pm', postmortemUrlFr: 'https://example.gc.ca/fr/pm' }),
      fields: { version: 'version', postmortemUrlEn: 'url', postmortemUrlFr: 'url' },
    },
    {
      name: 'new maintenance',
      path: '/admin/maintenance/new',
      base: async () => ({ ...maintenanceWindow(), bodyEn: 'Payments will be unavailable.', bodyFr: 'Les paiements seront indisponibles.' }),
      fields: { titleEn: 'text', titleFr: 'text', scheduledStart: 'date', scheduledEnd: 'date', [`services.${ids.service}`]: 'choice', bodyEn: 'text', bodyFr: 'text' },
    },
    {
      name: 'maintenance edit',
      path: `/admin/maintenance/${ids.maintenance}`,
      base: async () => ({ intent: 'edit', version: await currentVersion(`/admin/maintenance/${ids.maintenance}`), ...maintenanceWindow() }),
      fields: { version: 'version', titleEn: 'text', titleFr: 'text', scheduledStart: 'date', scheduledEnd: 'date', [`services.${ids.service}`]: 'choice' },
    },
    {
      name: 'maintenance notice',
      path: `/admin/maintenance/${ids.maintenance}`,
      base: async () => ({ intent: 'update', bodyEn: 'Work is under way.', bodyFr: 'Les travaux sont en cours.' }),
      fields: { intent: 'choice', bodyEn: 'text', bodyFr: 'text' },
    },
    {
      name: 'template',
      path: `/admin/templates/${ids.template}`,
      base: async () => ({ nameEn: 'Investigating', nameFr: 'Enquête', summaryEn: 'We are investigating.', summaryFr: 'Nous enquêtons.', nowEn: 'Checking.', nowFr: 'Vérification.', nextEn: '', nextFr: '' }),
      fields: { nameEn: 'text', nameFr: 'text', summaryEn: 'text', summaryFr: 'text', nowEn: 'text', nowFr: 'text', nextEn: 'text', nextFr: 'text' },
      skip: outsideFix,
    },
  ];
}

test.beforeAll(async ({ playwright }) => {
  folder = mkdtempSync(join(tmpdir(), 'status-fuzz-'));
  const databasePath = join(folder, 'status.db');
  const added = spawnSync(process.execPath, ['scripts/user-add.ts', '--email', ACCOUNT.email, '--role', 'admin'], {
    env: { ...process.env, DATABASE_PATH: databasePath },
    input: `${ACCOUNT.password}\n`,
    encoding: 'utf8',
  });
  expect(added.status, added.stderr).toBe(0);
  server = await startServer(databasePath, join(folder, 'server.log'));
  database = new Database(databasePath, { readonly: true, fileMustExist: true });
  // Forms are posted from the site's own pages, so every request carries its origin.
  api = await playwright.request.newContext({ baseURL: server.origin, extraHTTPHeaders: { origin: server.origin } });
  expect((await post('/admin/login', encode(ACCOUNT))).status()).toBe(303);

  expect((await post('/admin/services/new', encode({ slug: 'fuzz-base', nameEn: 'Fuzz base', nameFr: 'Base de test', descriptionEn: '', descriptionFr: '', displayOrder: '0' }))).status()).toBe(303);
  ids.service = Number((await (await get('/admin/incidents/new')).text()).match(/name="impacts\.(\d+)"/)?.[1]);
  const opened = await post('/admin/incidents/new', encode({ titleEn: 'Payments failing', titleFr: 'Échec des paiements', severity: '2', status: 'investigating', startedAt: hoursAgo(2), detectedAt: hoursAgo(1.5), [`impacts.${ids.service}`]: 'partial_outage', ...composer() }));
  ids.incident = Number(opened.headers().location?.match(/incidents\/(\d+)/)?.[1]);
  const scheduled = await post('/admin/maintenance/new', encode({ titleEn: 'Database upgrade', titleFr: 'Mise à niveau', scheduledStart: hoursAgo(50), scheduledEnd: hoursAgo(49), [`services.${ids.service}`]: 'on', bodyEn: 'Done.', bodyFr: 'Terminé.' }));
  ids.maintenance = Number(scheduled.headers().location?.match(/maintenance\/(\d+)/)?.[1]);
  ids.template = Number((await (await get('/admin/templates')).text()).match(/href="\/admin\/templates\/(\d+)"/)?.[1]);
  for (const [name, id] of Object.entries(ids)) expect(id, name).toBeGreaterThan(0);
});

test.afterAll(async () => {
  await api?.dispose();
  database?.close();
  if (server) {
    server.child.kill('SIGTERM');
    if (server.child.exitCode === null) await new Promise((done) => server.child.once('exit', done));
  }
  if (folder) rmSync(folder, { recursive: true, force: true });
});

// The list is built again inside each test, once beforeAll has set the ids in the paths.
for (const [index, { name }] of forms().entries()) {
  test(`${name} form: bad values and missing fields`, async () => {
    test.setTimeout(180_000);
    await fuzzForm(forms()[index]!);
  });
}

test('admin forms: bodies that are not forms', async () => {
  test.setTimeout(120_000);
  await fuzzRequestShape('incident update', incidentPath(), async () => ({ intent: 'update', version: await currentVersion(incidentPath()), status: 'identified', ...composer() }));
  await fuzzRequestShape('new incident', '/admin/incidents/new', async () => ({ titleEn: 'Shape', titleFr: 'Forme', severity: '3', status: 'investigating', startedAt: hoursAgo(1), detectedAt: hoursAgo(1), [`impacts.${ids.service}`]: 'degraded_performance', ...composer() }));
  await fuzzRequestShape('maintenance edit', `/admin/maintenance/${ids.maintenance}`, async () => ({ intent: 'edit', version: await currentVersion(`/admin/maintenance/${ids.maintenance}`), titleEn: 'Shape', titleFr: 'Forme', scheduledStart: hoursAgo(50), scheduledEnd: hoursAgo(49), [`services.${ids.service}`]: 'on' }));
});

test('admin forms: unknown services and odd group names', async () => {
  test.setTimeout(120_000);
  const base = async () => ({ intent: 'update', version: await currentVersion(incidentPath()), status: 'identified', ...composer() });
  for (const key of ['987654', 'abc', '-1', '1e3', '99999999999999999999', '', '1.5']) {
    await check(`impacts.${key}`, async () => post(incidentPath(), encode({ ...(await base()), [`impacts.${key}`]: 'major_outage' })));
  }
  await check('impacts as text', async () => post(incidentPath(), encode({ ...(await base()), impacts: 'major_outage' })));
  await check('maintenance services as text', async () => post('/admin/maintenance/new', encode({ titleEn: 'Odd', titleFr: 'Bizarre', scheduledStart: hoursAgo(50), scheduledEnd: hoursAgo(49), services: 'on', bodyEn: 'x', bodyFr: 'x' })));
  await check('maintenance unknown service', async () => post('/admin/maintenance/new', encode({ titleEn: 'Odd', titleFr: 'Bizarre', scheduledStart: hoursAgo(50), scheduledEnd: hoursAgo(49), 'services.abc': 'on', bodyEn: 'x', bodyFr: 'x' })));
  await check('preview with payloads', async () => post('/admin/preview', encode({ ...composer(), summaryEn: TEXT_PAYLOADS.script!, nowEn: TEXT_PAYLOADS['markup in an attribute']!, usersAffected: TEXT_PAYLOADS.oversized! })));
  await check('setup with a wrong token', async () => post('/admin/setup?token=wrong', encode({ email: TEXT_PAYLOADS.script!, password: 'x', passwordConfirm: 'y' })));
});

test('admin pages: odd addresses and query strings', async () => {
  test.setTimeout(120_000);
  const paths = [
    `/admin/incidents/${ids.incident}?saved=__proto__&template=-1`,
    `/admin/incidents/${ids.incident}?saved=${encodeURIComponent(TEXT_PAYLOADS.script!)}&template=1e400`,
    '/admin/incidents/new?template=__proto__',
    `/admin/maintenance/${ids.maintenance}?saved=constructor`,
    '/admin/metrics?from=0000-01-01&to=9999-12-31',
    '/admin/metrics?from=2026-02-30&to=%00',
    `/admin/metrics?from=${'1'.repeat(10_000)}`,
    '/admin/incidents/abc',
    '/admin/incidents/-1',
    '/admin/incidents/99999999999999999999',
    '/admin/incidents/1e3',
    '/admin/services/%3Cscript%3E',
    '/admin/maintenance/%00',
    '/admin/templates/__proto__',
    '/admin/language?lang=__proto__&next=//other.example',
    `/admin/language?lang=fr&next=${encodeURIComponent('/admin/"><script>alert("fuzz-script")</script>')}`,
  ];
  for (const path of paths) {
    const response = await get(path);
    expect.soft(response.status(), path).toBeLessThan(500);
    expectInert(await response.text(), path);
  }
});

test('public addresses: odd paths and query strings', async () => {
  test.setTimeout(120_000);
  const segments = ['abc', '-1', '0', '1e309', '99999999999999999999', '%00', '%3Cscript%3E', '__proto__', 'constructor', '%F0%9F%9A%A8', '..%2F..%2Fetc%2Fpasswd', 'x'.repeat(2_000)];
  const paths = ['/', '/en/', '/fr/', '/en/rss.xml', '/fr/atom.xml', '/en/badge.svg', '/sitemap.xml', '/robots.txt', '/api/v2/summary.json', '/fr/api/v2/incidents.json'];
  for (const segment of segments) {
    paths.push(`/en/incidents/${segment}`, `/fr/maintenance/${segment}`, `/en/services/${segment}`, `/en/services/${segment}/badge.svg`, `/fr/services/${segment}/rss.xml`);
    paths.push(`/en/history/${segment}`, `/fr/historique/${segment}`, `/api/v2/${segment}.json`, `/${segment}/`);
  }
  paths.push('/en/history/0000-01', '/en/history/9999-12', '/fr/historique/2026-00', '/en/history/2026-1');
  const queries = ['', `?lang=${encodeURIComponent(TEXT_PAYLOADS.script!)}`, '?page=-1&month=__proto__', `?q=${'%00'.repeat(100)}`];
  for (const path of paths) {
    for (const query of queries) {
      const response = await get(`${path}${query}`);
      expect.soft(response.status(), `${path}${query}`).toBeLessThan(500);
      const type = response.headers()['content-type'] ?? '';
      if (type.includes('html')) expectInert(await response.text(), `${path}${query}`);
      else if (type.match(/xml|svg/)) expectInertXml(await response.text(), `${path}${query}`);
    }
  }
  for (const path of ['/en/', '/api/v2/summary.json', '/en/rss.xml']) {
    const response = await api.post(path, { data: encode({ x: TEXT_PAYLOADS.script! }), headers: { 'content-type': FORM_TYPE }, maxRedirects: 0 });
    expect.soft(response.status(), `POST ${path}`).toBeLessThan(500);
  }
});

/** Returns the parser error of an XML document, or null when Chromium parses it. */
async function xmlError(page: Page, xml: string): Promise<string | null> {
  return page.evaluate((text) => new DOMParser().parseFromString(text, 'application/xml').querySelector('parsererror')?.textContent ?? null, xml);
}

test('saved payloads come back as text', async ({ page }) => {
  test.setTimeout(120_000);
  // Run after the form tests in the same worker, it checks the text that they saved.
  test.info().annotations.push({ type: 'saved', description: `${saved.length} of ${checked} requests with bad input were saved` });
  let dialogs = 0;
  page.on('dialog', async (dialog) => {
    dialogs += 1;
    await dialog.dismiss();
  });

  const incidents = (await (await get('/api/v2/incidents.json')).json()) as { incidents: { id: string }[] };
  const home = await (await get('/en/')).text();
  const serviceSlugs = [...new Set([...home.matchAll(/href="\/en\/services\/([a-z0-9-]+)"/g)].map((match) => match[1]!))];
  expect(serviceSlugs).toContain('fuzz-base');
  const htmlPaths = ['/en/', '/fr/', `/en/incidents/${ids.incident}`, `/fr/incidents/${ids.incident}`, `/en/maintenance/${ids.maintenance}`, `/fr/maintenance/${ids.maintenance}`, '/en/history', '/fr/historique'];
  for (const incident of incidents.incidents.slice(0, 30)) htmlPaths.push(`/en/incidents/${incident.id.replace(/^incident-/, '')}`);
  const xmlPaths = ['/en/rss.xml', '/fr/rss.xml', '/en/atom.xml', '/fr/atom.xml', '/en/badge.svg', '/fr/badge.svg', '/sitemap.xml'];
  for (const slug of serviceSlugs) xmlPaths.push(`/en/services/${slug}/rss.xml`, `/fr/services/${slug}/atom.xml`, `/en/services/${slug}/badge.svg`);

  await page.goto(`${server.origin}/en/`);
  for (const path of xmlPaths) {
    const response = await get(path);
    expect.soft(response.status(), path).toBe(200);
    const text = await response.text();
    expectInertXml(text, path);
    expect.soft(await xmlError(page, text), `${path} is well-formed XML`).toBeNull();
  }
  for (const path of ['/api/v2/summary.json', '/api/v2/incidents.json', '/fr/api/v2/scheduled-maintenances.json']) {
    const response = await get(path);
    expect.soft(response.status(), path).toBe(200);
    await expect.soft(response.json(), path).resolves.toBeTruthy();
  }
  for (const path of htmlPaths) {
    const response = await page.goto(`${server.origin}${path}`);
    expect.soft(response?.status(), path).toBe(200);
    expectInert(await page.content(), path);
    await expect.soft(page.locator('img[src="x"], svg[onload]'), path).toHaveCount(0);
  }
  // The admin pages show the same text next to the forms.
  await page.context().addCookies((await api.storageState()).cookies);
  for (const path of ['/admin', `/admin/incidents/${ids.incident}`, `/admin/maintenance/${ids.maintenance}`, '/admin/services', '/admin/templates', '/admin/audit']) {
    const response = await page.goto(`${server.origin}${path}`);
    expect.soft(response?.status(), path).toBe(200);
    expectInert(await page.content(), path);
  }
  expect(dialogs).toBe(0);
  const log = readFileSync(server.logFile, 'utf8');
  expect(log).not.toContain('[ERROR]');
  expect(log).not.toContain('"level":50');
});

// Form values are built on objects without a prototype, every admin page handles a body that
// is not a form, and all text fields reject control characters.
test('field names such as __proto__ do not reach Object.prototype', async () => {
  await check('__proto__ field name', () => post('/admin/services/new', encode({ '__proto__.polluted': 'yes', slug: serviceSlug(), nameEn: 'a', nameFr: 'b', displayOrder: '1' })));
  await check('constructor field name', () => post('/admin/services/new', encode({ 'constructor.prototype': 'yes', slug: serviceSlug(), nameEn: 'a', nameFr: 'b', displayOrder: '1' })));
  expect((await get('/en/')).status()).toBe(200);
});

test('bodies that are not forms get a 4xx on every admin form', async () => {
  const paths = ['/admin/services/new', `/admin/services/${ids.service}`, '/admin/maintenance/new', `/admin/templates/${ids.template}`, '/admin/preview'];
  paths.push('/admin/users/invite', '/admin/account', '/admin/login');
  for (const path of paths) {
    await fuzzRequestShape(path, path, async () => ({ titleEn: 'x', nameEn: 'x' }));
  }
});

test('control characters are rejected in service names and templates', async () => {
  const control = TEXT_PAYLOADS['control characters']!;
  expect((await post('/admin/services/new', encode({ slug: serviceSlug(), nameEn: control, nameFr: 'b', displayOrder: '1' }))).status()).toBe(422);
  expect((await post(`/admin/templates/${ids.template}`, encode({ nameEn: control, nameFr: 'b', summaryEn: 'c', summaryFr: 'd' }))).status()).toBe(422);
});
