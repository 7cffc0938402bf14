// The audit log page: filters in both languages, clear date errors, pages of entries, no
// way to change an entry, and WCAG 2.1 AA.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { formatInTimeZone } from 'date-fns-tz';
import { expect, test } from '@playwright/test';
import { ADMIN, addService, expectAccessible, signIn, unique } from './support.ts';

const PORT = Number(process.env.E2E_PORT ?? 4455);
const SITE = `http://localhost:${PORT}`;
const DATABASE = `tests/.tmp/e2e-${PORT}/status.db`;
const ZONE = 'America/Toronto';
const SAME_ORIGIN = { 'Sec-Fetch-Site': 'same-origin', Origin: SITE };

const TEXT = {
  en: {
    submit: 'Show entries',
    serviceAdded: 'Service added',
    none: 'No entry matches these filters.',
    badDate: 'Enter a date as YYYY-MM-DD, for example 2026-12-04.',
    order: 'The end of the period comes before its start. Choose a later end date.',
    found: (count: number) => `${count} entries found`,
    pageOf: (page: number, count: number) => `Page ${page} of ${count}`,
    next: 'Next page',
    previous: 'Previous page',
  },
  fr: {
    submit: 'Afficher les entrées',
    serviceAdded: 'Service ajouté',
    none: 'Aucune entrée ne correspond à ces filtres.',
    badDate: 'Entrez une date au format AAAA-MM-JJ, par exemple 2026-12-04.',
    order: 'La fin de la période précède son début. Choisissez une date de fin plus tardive.',
    found: (count: number) => `${count} entrées trouvées`,
    pageOf: (page: number, count: number) => `Page ${page} sur ${count}`,
    next: 'Page suivante',
    previous: 'Page précédente',
  },
} as const;

interface AuditRow {
  id: number;
  at: number;
  user_id: number | null;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  detail: string | null;
}

/** Opens the test server's database, which the server keeps open too, in WAL mode. */
function openDatabase(): Database.Database {
  const db = new Database(DATABASE);
  db.pragma('busy_timeout = 5000');
  return db;
}

/** Adds `count` entries by `actor`, one minute apart and ending now, as the services would. */
function seedEntries(actor: string, count: number): void {
  const db = openDatabase();
  try {
    const insert = db.prepare('insert into audit_log (at, actor, action, entity_type, entity_id) values (?, ?, ?, ?, ?)');
    const now = Date.now();
    db.transaction(() => {
      for (let index = 0; index < count; index += 1) insert.run(now - (count - index) * 60_000, actor, 'service.update', 'service', String(index));
    })();
  } finally {
    db.close();
  }
}

function readAuditRows(): AuditRow[] {
  const db = openDatabase();
  try {
    return db.prepare('select * from audit_log order by id').all() as AuditRow[];
  } finally {
    db.close();
  }
}

/** URL paths of the admin routes, with [id] replaced by 1, the last one being logout. */
function adminRoutes(): string[] {
  const root = 'src/pages/admin';
  const files = (folder: string): string[] =>
    readdirSync(folder).flatMap((name) => (statSync(join(folder, name)).isDirectory() ? files(join(folder, name)) : [join(folder, name)]));
  const paths = files(root).map((file) => `/admin/${relative(root, file).replace(/\.(astro|ts)$/, '').replace(/(^|\/)index$/, '').replace(/\[id\]/g, '1')}`.replace(/\/$/, ''));
  // Signing out ends the session the other requests use.
  return paths.sort((a, b) => Number(a === '/admin/logout') - Number(b === '/admin/logout'));
}

for (const lang of ['en', 'fr'] as const) {
  test(`audit log filters by user, action and dates in ${lang}`, async ({ page }) => {
    const text = TEXT[lang];
    await signIn(page, lang);
    await addService(page, 'Audited');

    await page.goto('/admin/audit');
    await page.locator('#field-user').selectOption(ADMIN.email);
    await page.locator('#field-action').selectOption('service.create');
    await page.getByRole('button', { name: text.submit }).click();
    await expect(page).toHaveURL(/action=service\.create/);
    const rows = page.locator('main table tbody tr');
    await expect(rows.first()).toBeVisible();
    for (const row of await rows.all()) {
      await expect(row).toContainText(ADMIN.email);
      await expect(row).toContainText(text.serviceAdded);
    }
    await expectAccessible(page);

    // The newest entry's day, in the server's zone, bounds a range that contains it.
    const newest = await rows.first().locator('time').getAttribute('datetime');
    const day = formatInTimeZone(new Date(newest!), ZONE, 'yyyy-MM-dd');
    const nextDay = formatInTimeZone(new Date(Date.parse(newest!) + 36 * 3_600_000), ZONE, 'yyyy-MM-dd');
    await page.locator('#field-from').fill(day);
    await page.locator('#field-to').fill(day);
    await page.getByRole('button', { name: text.submit }).click();
    await expect(rows.first()).toContainText(text.serviceAdded);

    await page.locator('#field-from').fill(nextDay);
    await page.locator('#field-to').fill(nextDay);
    await page.getByRole('button', { name: text.submit }).click();
    await expect(page.getByText(text.none)).toBeVisible();
    await expect(rows).toHaveCount(0);
    await expect(page.locator('#field-user')).toHaveValue(ADMIN.email);
  });

  test(`bad dates get a clear message in ${lang}`, async ({ page }) => {
    const text = TEXT[lang];
    await signIn(page, lang);

    const invalid = await page.goto('/admin/audit?from=2026-02-30&to=2026-03-31');
    expect(invalid?.status()).toBe(422);
    await expect(page.locator('.error-summary')).toContainText(text.badDate);
    await expect(page.locator('#field-from-error')).toContainText(text.badDate);
    await expect(page.locator('#field-from')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('main table')).toHaveCount(0);
    await expectAccessible(page);

    const reversed = await page.goto('/admin/audit?from=2026-05-02&to=2026-05-01');
    expect(reversed?.status()).toBe(422);
    await expect(page.locator('#field-to-error')).toContainText(text.order);
    await expect(page.locator('#field-from')).toHaveValue('2026-05-02');
  });

  test(`audit log pages through many entries in ${lang}`, async ({ page }) => {
    const text = TEXT[lang];
    const actor = `pages-${lang}-${unique()}@example.gc.ca`;
    seedEntries(actor, 60);
    await signIn(page, lang);

    await page.goto(`/admin/audit?user=${encodeURIComponent(actor)}`);
    const rows = page.locator('main table tbody tr');
    await expect(page.locator('main')).toContainText(text.found(60));
    await expect(rows).toHaveCount(50);
    await expect(page.locator('[aria-current=page]')).toHaveText(text.pageOf(1, 2));
    await expect(rows.first()).toContainText('59');
    await expectAccessible(page);

    await page.getByRole('link', { name: text.next }).click();
    await expect(page).toHaveURL(/page=2/);
    await expect(rows).toHaveCount(10);
    await expect(rows.last()).toContainText(/\b0$/);
    await expect(page.getByRole('link', { name: text.next })).toHaveCount(0);
    await expect(page.locator('#field-user')).toHaveValue(actor);

    await page.getByRole('link', { name: text.previous }).click();
    await expect(rows).toHaveCount(50);

    await page.goto(`/admin/audit?user=${encodeURIComponent(actor)}&page=99`);
    await expect(page.locator('[aria-current=page]')).toHaveText(text.pageOf(2, 2));
  });
}

test('audit entries cannot be changed by any request', async ({ page }) => {
  seedEntries(`unchanged-${unique()}@example.gc.ca`, 3);
  await signIn(page);
  await addService(page, 'Before');
  const before = readAuditRows();

  // The page itself returns 405 for every method but GET and HEAD.
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
    const response = await page.request.fetch('/admin/audit', { method, headers: SAME_ORIGIN, form: { id: String(before[0]!.id), action: 'deleted' }, maxRedirects: 0 });
    expect(response.status(), method).toBe(405);
    expect(response.headers().allow, method).toBe('GET, HEAD');
  }

  // Every other admin route, given a post it may reject, and a real write.
  await addService(page, 'After');
  for (const path of adminRoutes()) {
    const response = await page.request.post(path, { headers: SAME_ORIGIN, form: { id: String(before[0]!.id), action: 'deleted', actor: 'someone else' }, maxRedirects: 0 });
    expect(response.status(), path).toBeLessThan(500);
  }

  const after = readAuditRows();
  expect(after.slice(0, before.length)).toEqual(before);
  expect(after.length).toBeGreaterThan(before.length);
});
