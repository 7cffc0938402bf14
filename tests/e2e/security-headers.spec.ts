// Security headers, cross-origin write checks, request ids in the log, the health check and
// a clean stop on SIGTERM, checked against the built server.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { expect, request as playwrightRequest, test, type APIResponse, type Page } from '@playwright/test';
import { ADMIN, addService, hoursAgo, signIn, unique } from './support.ts';

const PORT = Number(process.env.E2E_PORT ?? 4455);
const SITE = `http://localhost:${PORT}`;
const ELSEWHERE = 'https://elsewhere.example';
const SERVER_LOG = `tests/.tmp/e2e-${PORT}/server.log`;
const REQUIRED_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Splits a Content-Security-Policy into its directives, keyed by name. */
function directives(policy: string | undefined): Map<string, string> {
  const entries = (policy ?? '')
    .split(';')
    .map((directive) => directive.trim())
    .filter(Boolean)
    .map((directive) => [directive.split(/\s+/)[0]!, directive] as const);
  return new Map(entries);
}

function expectSecurityHeaders(response: APIResponse, label: string): void {
  const headers = response.headers();
  const policy = directives(headers['content-security-policy']);
  for (const required of REQUIRED_DIRECTIVES) expect(policy.get(required.split(' ')[0]!), `${label}: ${required}`).toBe(required);
  const styles = policy.get('style-src') ?? '';
  expect(styles, `${label}: style-src`).toMatch(/^style-src 'self'( 'sha(256|384|512)-[\w+/=]+')*$/);
  expect(headers['content-security-policy'], label).not.toContain('unsafe-inline');
  expect(headers['x-content-type-options'], label).toBe('nosniff');
  expect(headers['referrer-policy'], label).toBe('strict-origin-when-cross-origin');
  expect(headers['strict-transport-security'], `${label}: no HSTS over http`).toBeUndefined();
  expect(headers['x-request-id'], label).toMatch(UUID);
}

/** Collects the Content-Security-Policy violations Chromium reports on the console. */
function watchViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
  });
  return violations;
}

test('every kind of response carries the security headers', async ({ request }) => {
  const home = await request.get('/en/');
  const stylesheet = (await home.text()).match(/href="(\/_astro\/[^"]+\.css)"/)?.[1];
  expect(stylesheet, 'the home page links a stylesheet').toBeTruthy();

  const paths = {
    'rendered page': '/en/',
    // scripts/serve.ts serves the second request from the response cache.
    'cached page': '/en/',
    'French page': '/fr/',
    'admin page': '/admin/login',
    feed: '/en/rss.xml',
    'JSON API': '/api/v2/summary.json',
    stylesheet: stylesheet!,
    script: '/admin/composer.js',
    'health check': '/healthz',
    'splash page': '/',
    'not found page': `/en/no-such-page-${unique()}`,
    redirect: '/admin/language?lang=en&next=/admin/login',
  };
  const ids = new Set<string>();
  for (const [label, path] of Object.entries(paths)) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), label).toBeLessThan(500);
    expectSecurityHeaders(response, label);
    ids.add(response.headers()['x-request-id']!);
  }
  expect(ids.size, 'each response has its own request id').toBe(Object.keys(paths).length);
});

test('pages keep the style hashes Astro computed', async ({ request }) => {
  const policy = directives((await request.get('/admin/login')).headers()['content-security-policy']);
  expect(policy.get('style-src')).toMatch(/'sha256-[\w+/=]+'/);
  expect(policy.get('script-src')).toBe("script-src 'self'");
});

test('request id from the client is replaced', async ({ request }) => {
  const response = await request.get('/en/', { headers: { 'X-Request-Id': 'chosen-by-the-client' } });
  expect(response.headers()['x-request-id']).toMatch(UUID);
});

test('HSTS is sent when a proxy reports https', async ({ request }) => {
  for (const path of ['/en/', '/admin/login', '/healthz']) {
    const response = await request.get(path, { headers: { 'X-Forwarded-Proto': 'https' } });
    expect(response.headers()['strict-transport-security'], path).toBe('max-age=63072000; includeSubDomains');
  }
});

test('pages render with no CSP violations', async ({ page }) => {
  const violations = watchViolations(page);
  await signIn(page);
  const service = await addService(page, 'Policy');
  // addService names the service "Policy <suffix>" and gives it the slug "Policy-<suffix>", stored in lower case.
  const slug = service.en.toLowerCase().replace(' ', '-');

  // The composer's live preview is a fetch() to /admin/preview, allowed by connect-src 'self'.
  await page.goto('/admin/incidents/new');
  const title = `Policy check ${unique()}`;
  await page.locator('#field-titleEn').fill(title);
  await page.locator('#field-titleFr').fill(`${title} (fr)`);
  await page.getByLabel(service.en, { exact: true }).selectOption('partial_outage');
  await page.locator('#field-startedAt').fill(hoursAgo(1));
  await page.locator('#field-detectedAt').fill(hoursAgo(1));
  await page.locator('#field-summaryEn').fill('Previewed under the content security policy.');
  await expect(page.locator('[data-preview] section[lang=en]')).toContainText('Previewed under the content security policy.');
  await page.locator('#field-summaryFr').fill('Aperçu sous la politique de sécurité du contenu.');
  await page.locator('main form button[type=submit]:not([name=preview])').last().click();
  await expect(page).toHaveURL(/saved=opened/);
  const id = new URL(page.url()).pathname.split('/').pop();

  const publicPaths = ['/en/', '/fr/', `/en/incidents/${id}`, `/fr/incidents/${id}`, '/en/history/', `/en/services/${slug}`];
  for (const path of publicPaths) {
    await page.goto(path);
    // Rules from the linked and inlined stylesheets apply.
    await expect(page.locator('body'), path).toHaveCSS('display', 'flex');
    await expect(page.locator('.skip-link'), path).toHaveCSS('left', '-999px');
  }
  for (const path of ['/admin', '/admin/audit', '/admin/incidents/new']) {
    await page.goto(path);
    await expect(page.locator('.skip-link'), path).toHaveCSS('left', '-999px');
    // admin.css is small enough for Astro to inline, so this rule needs its hash in style-src.
    await expect(page.locator('.admin-nav ul'), path).toHaveCSS('display', 'flex');
  }
  expect(violations).toEqual([]);
});

test.describe('cross-origin writes', () => {
  test('JSON posts from another origin are rejected', async ({ page }) => {
    await signIn(page);
    const slug = `json-${unique()}`;
    const body = { slug, nameEn: 'JSON', nameFr: 'JSON', displayOrder: '0' };
    const attempts: Record<string, string>[] = [
      { 'Sec-Fetch-Site': 'cross-site', Origin: ELSEWHERE },
      { 'Sec-Fetch-Site': 'same-site', Origin: `http://other.localhost:${PORT}` },
      { Origin: ELSEWHERE },
      { Origin: 'null' },
      { Referer: `${ELSEWHERE}/page` },
    ];
    for (const headers of attempts) {
      const response = await page.request.post('/admin/services/new', { data: body, headers, maxRedirects: 0 });
      expect(response.status(), JSON.stringify(headers)).toBe(403);
      expect(await response.text(), JSON.stringify(headers)).toContain('Request rejected');
    }
    for (const method of ['put', 'patch', 'delete'] as const) {
      const response = await page.request[method]('/admin/audit', { data: {}, headers: { Origin: ELSEWHERE }, maxRedirects: 0 });
      expect(response.status(), method).toBe(403);
    }
    await page.goto('/admin/services');
    await expect(page.getByText(slug)).toHaveCount(0);
  });

  test('form posts from another site are rejected', async ({ page }) => {
    await signIn(page);
    const slug = `form-${unique()}`;
    const form = { slug, nameEn: 'Form', nameFr: 'Formulaire', displayOrder: '0' };
    const attempts: Record<string, string>[] = [{ 'Sec-Fetch-Site': 'cross-site' }, { Origin: ELSEWHERE }];
    for (const headers of attempts) {
      const response = await page.request.post('/admin/services/new', { form, headers, maxRedirects: 0 });
      expect(response.status(), JSON.stringify(headers)).toBe(403);
    }
    await page.goto('/admin/services');
    await expect(page.getByText(slug)).toHaveCount(0);
  });

  test('writes from the site itself pass', async ({ page }) => {
    await signIn(page);
    const slug = `same-${unique()}`;
    const form = { slug, nameEn: `Same ${slug}`, nameFr: `Même ${slug}`, displayOrder: '0' };
    const response = await page.request.post('/admin/services/new', { form, headers: { 'Sec-Fetch-Site': 'same-origin', Origin: SITE }, maxRedirects: 0 });
    expect(response.status()).toBe(303);
    const json = await page.request.put('/admin/audit', { data: {}, headers: { 'Sec-Fetch-Site': 'same-origin', Origin: SITE } });
    // Past the origin check, the audit page itself rejects every method but GET and HEAD.
    expect(json.status()).toBe(405);
    await page.goto('/admin/services');
    await expect(page.getByText(`Same ${slug}`)).toBeVisible();
  });
});

test.describe('structured log', () => {
  function logLines(): Record<string, unknown>[] {
    return readFileSync(SERVER_LOG, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  test('sign-in lines carry the request id and no secrets', async ({ page, context }) => {
    const start = readFileSync(SERVER_LOG, 'utf8').length;
    const wrongPassword = `wrong passphrase ${unique()}`;

    await page.goto('/admin/login');
    await page.locator('#field-email').fill(ADMIN.email);
    await page.locator('#field-password').fill(wrongPassword);
    const failed = page.waitForResponse((response) => response.url().includes('/admin/login') && response.request().method() === 'POST');
    await page.locator('main form button[type=submit]').last().click();
    const failedId = (await failed).headers()['x-request-id'];

    const succeeded = page.waitForResponse((response) => response.url().includes('/admin/login') && response.request().method() === 'POST');
    await signIn(page);
    const succeededId = (await succeeded).headers()['x-request-id'];
    const session = (await context.cookies()).find((cookie) => cookie.name === 'status_session')?.value;
    expect(session).toBeTruthy();

    await expect.poll(() => logLines().filter((line) => line.requestId === succeededId && line.msg === 'sign-in').length).toBe(1);
    const failedLine = logLines().find((line) => line.requestId === failedId && line.msg === 'failed sign-in');
    expect(failedLine).toMatchObject({ email: ADMIN.email, level: 40 });

    const written = readFileSync(SERVER_LOG, 'utf8').slice(start);
    expect(written).not.toContain(wrongPassword);
    expect(written).not.toContain(ADMIN.password);
    expect(written).not.toContain(session!);
    expect(written).not.toMatch(/status_session=/);
  });

  test('rejected writes are logged with their request id', async ({ request }) => {
    const response = await request.post('/admin/services/new', { data: {}, headers: { Origin: ELSEWHERE } });
    const requestId = response.headers()['x-request-id'];
    await expect.poll(() => logLines().find((line) => line.requestId === requestId)?.msg).toBe('cross-origin write rejected');
  });
});

test('health check returns ok, never cached', async ({ request }) => {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const response = await request.get('/healthz');
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(response.headers()['cache-control']).toBe('no-store');
    // Responses from the public cache carry an ETag, and this one never does.
    expect(response.headers().etag).toBeUndefined();
  }
});

test.describe('server shutdown', () => {
  const dir = `tests/.tmp/shutdown-${PORT}`;

  /** Sends a POST in two parts, the rest of the body once `sendRest` resolves, and returns the response status and headers. */
  function slowPost(port: number, path: string, body: string, sendRest: Promise<void>): Promise<{ status: number; headers: IncomingHttpHeaders }> {
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest({ host: 'localhost', port, path, method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) } });
      outgoing.on('response', (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers }));
      });
      outgoing.on('error', reject);
      outgoing.write(body.slice(0, 10));
      void sendRest.then(() => outgoing.end(body.slice(10)));
    });
  }

  test('SIGTERM finishes the request in flight and closes the database', async () => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const databasePath = `${dir}/status.db`;
    const server = spawn(process.execPath, ['--max-old-space-size=128', 'scripts/serve.ts'], {
      // PORT=0: the system picks a free port, which the "server listening" line reports.
      env: { ...process.env, PORT: '0', HOST: 'localhost', DATABASE_PATH: databasePath, STATUS_TIME_ZONE: 'America/Toronto', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    server.stdout.on('data', (chunk) => (output += chunk));
    server.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    const lines = () => output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);

    try {
      await expect.poll(() => lines().find((line) => line.msg === 'server listening')?.url, { timeout: 20_000 }).toBeTruthy();
      const base = String(lines().find((line) => line.msg === 'server listening')!.url);
      const port = Number(new URL(base).port);
      const setupUrl = new URL(String(lines().find((line) => line.setupUrl)!.setupUrl));

      // A write, so that the write-ahead log has pages to checkpoint at shutdown.
      const client = await playwrightRequest.newContext({ baseURL: base });
      const setup = await client.post(setupUrl.pathname + setupUrl.search, { form: { email: 'first@example.gc.ca', password: 'a long first passphrase', passwordConfirm: 'a long first passphrase' }, maxRedirects: 0 });
      expect(setup.status()).toBe(303);
      expect((await client.get('/healthz')).status()).toBe(200);
      await client.dispose();

      let releaseBody!: () => void;
      const bodyReleased = new Promise<void>((resolve) => (releaseBody = resolve));
      const inFlight = slowPost(port, '/admin/login', 'email=first%40example.gc.ca&password=not-the-passphrase', bodyReleased);
      await sleep(300);
      server.kill('SIGTERM');
      await expect.poll(() => lines().some((line) => line.msg === 'server stopping')).toBe(true);
      expect(lines().find((line) => line.msg === 'server stopping')).toMatchObject({ signal: 'SIGTERM', requestsInFlight: 1 });
      await sleep(500);
      expect(server.exitCode, 'the server waits for the request in flight').toBeNull();

      releaseBody();
      const answered = await inFlight;
      expect(answered.status).toBe(401);
      expect(answered.headers.connection).toBe('close');
      expect(await exited).toBe(0);
    } finally {
      if (server.exitCode === null) server.kill('SIGKILL');
    }

    const messages = lines().map((line) => line.msg);
    expect(messages.indexOf('database closed')).toBeGreaterThan(messages.indexOf('failed sign-in'));
    expect(messages.indexOf('server stopped')).toBeGreaterThan(messages.indexOf('database closed'));
    expect(lines().find((line) => line.msg === 'server stopped')).toMatchObject({ exitCode: 0 });
    expect(output).not.toContain('not-the-passphrase');

    // Closing the last connection checkpoints the write-ahead log and removes it.
    const wal = `${databasePath}-wal`;
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
    const db = new Database(databasePath, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.prepare('select count(*) as count from users').get()).toEqual({ count: 1 });
    } finally {
      db.close();
    }
  });
});
