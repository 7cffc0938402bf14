import { expect, test, type Page } from '@playwright/test';
import { formatInTimeZone } from 'date-fns-tz';
import { addService, expectAccessible, hoursAgo, readFeed, setClockOffset, signIn, unique } from './support.ts';

const ZONE = 'America/Toronto';
const DAY = 24 * 3_600_000;
const inMinutes = (minutes: number) => formatInTimeZone(new Date(Date.now() + minutes * 60_000), ZONE, "yyyy-MM-dd'T'HH:mm");

/** Opens and resolves an incident through the admin area; returns its id. */
async function pastIncident(page: Page, title: string, serviceName: string, startHoursAgo: number, endHoursAgo: number): Promise<string> {
  await page.goto('/admin/incidents/new');
  await page.locator('#field-titleEn').fill(title);
  await page.locator('#field-titleFr').fill(`${title} (fr)`);
  await page.getByLabel(serviceName, { exact: true }).selectOption('major_outage');
  await page.locator('#field-startedAt').fill(hoursAgo(startHoursAgo));
  await page.locator('#field-detectedAt').fill(hoursAgo(startHoursAgo));
  await page.locator('#field-summaryEn').fill('Nothing works.');
  await page.locator('#field-summaryFr').fill('Rien ne fonctionne.');
  await page.locator('main form button[type=submit]:not([name=preview])').last().click();
  await expect(page).toHaveURL(/saved=opened/);
  const id = new URL(page.url()).pathname.split('/').pop()!;
  await page.locator('#resolve-endedAt').fill(hoursAgo(endHoursAgo));
  await page.locator('form:has(input[name=intent][value=resolve]) button[type=submit]').click();
  await expect(page).toHaveURL(/saved=resolve/);
  return id;
}

test('history pages move older and newer without gaps', async ({ page }) => {
  await signIn(page);
  const service = await addService(page, 'History');
  const title = `Old outage ${unique()}`;
  await pastIncident(page, title, service.en, 200 * 24, 200 * 24 - 3);

  await page.goto('/en/history');
  await expect(page.locator('h1')).toHaveText('Incident history');
  await expect(page.getByRole('link', { name: 'Newer' })).toHaveCount(0);
  const months: string[] = [];
  let found = false;
  for (let pageCount = 0; pageCount < 10; pageCount += 1) {
    months.push(...(await page.locator('section h2').allTextContents()));
    found ||= (await page.getByRole('link', { name: title }).count()) > 0;
    const older = page.getByRole('link', { name: 'Older' });
    if ((await older.count()) === 0) break;
    await older.click();
  }
  expect(found).toBe(true);
  expect(new Set(months).size).toBe(months.length);
  await expect(page.getByText(/duration: 3 hours/).first()).toBeVisible();
  await expectAccessible(page);

  // Newer leads back, and the toggle keeps the same months.
  const oldestHeadings = await page.locator('section h2').allTextContents();
  await page.getByRole('link', { name: 'Newer' }).click();
  await page.getByRole('link', { name: 'Older' }).click();
  await expect(page.locator('section h2')).toHaveText(oldestHeadings);
  await page.getByRole('link', { name: 'Français' }).click();
  await expect(page).toHaveURL(/\/fr\/historique\/\d{4}-\d{2}$/);
  await expect(page.locator('h1')).toHaveText('Historique des incidents');
  await expectAccessible(page);
});

test('service page uptime bar is keyboard reachable', async ({ page }) => {
  await signIn(page);
  const service = await addService(page, 'Uptime');
  await pastIncident(page, `Uptime outage ${unique()}`, service.en, 30, 24);
  const slug = service.en.toLowerCase().replace(' ', '-');

  await page.goto(`/en/services/${slug}`);
  await expect(page.locator('h1')).toHaveText(service.en);
  await expect(page.locator('.uptime-days .uptime-day')).toHaveCount(90);
  await expect(page.locator('.uptime > p').first()).toHaveText(/uptime over the last 90 days\.$/);
  const today = page.locator('.uptime-days .uptime-day').last();
  await today.focus();
  await expect(today).toBeFocused();
  await expect(today.locator('.day-text')).toBeVisible();
  await page.keyboard.press('Shift+Tab');
  await expect(page.locator('.uptime-days .uptime-day').nth(88)).toBeFocused();
  const outageDays = page.locator('.uptime-days .uptime-day--major_outage');
  await expect(outageDays.first()).toContainText('Major outage for');
  await expectAccessible(page);

  await page.goto(`/fr/services/${slug}`);
  await expect(page.locator('.uptime > p').first()).toHaveText(/^Disponibilité de .* au cours des 90\sderniers jours\.$/);
  await expect(page.locator('.uptime-days .uptime-day--major_outage').first()).toContainText('Panne majeure pendant');
  await expectAccessible(page);
});

test('maintenance starts and ends by the clock', async ({ page, request }) => {
  await signIn(page);
  const service = await addService(page, 'Maintenance');
  const slug = service.en.toLowerCase().replace(' ', '-');
  const title = `Database upgrade ${unique()}`;

  await page.goto('/admin/maintenance/new');
  await page.locator('#field-titleEn').fill(title);
  await page.locator('#field-titleFr').fill(`Mise à niveau ${title}`);
  await page.getByLabel(service.en, { exact: true }).check();
  await page.locator('#field-scheduledStart').fill(inMinutes(10));
  await page.locator('#field-scheduledEnd').fill(inMinutes(5));
  await page.locator('main form button[type=submit]').click();
  await expect(page.locator('#field-scheduledEnd-error')).toContainText('after the start');
  await expect(page.locator('#field-titleEn')).toHaveValue(title);
  await page.locator('#field-scheduledEnd').fill(inMinutes(70));
  await page.locator('main form button[type=submit]').click();
  await expect(page).toHaveURL(/\/admin\/maintenance\/\d+\?saved=scheduled$/);
  const id = new URL(page.url()).pathname.split('/').pop();

  await page.goto('/en/');
  await expect(page.locator('#maintenance ~ ul li', { hasText: title })).toContainText('Scheduled');
  try {
    setClockOffset(15 * 60_000);
    await page.goto('/en/');
    await expect(page.locator('#maintenance ~ ul li', { hasText: title })).toContainText('In progress');
    await expect(page.locator('.service-list li', { hasText: service.en })).toContainText('Under maintenance');
    await page.goto(`/fr/maintenance/${id}`);
    await expect(page.locator('.facts')).toContainText('En cours');
    await expectAccessible(page);
    const during = await readFeed(request, `/fr/services/${slug}/atom.xml`);
    expect(during.items[0]?.guid).toMatch(new RegExp(`/fr/maintenance/${id}#start$`));

    setClockOffset(75 * 60_000);
    await page.goto('/en/');
    await expect(page.locator('.service-list li', { hasText: service.en })).toContainText('Operational');
    await expect(page.locator('#maintenance ~ ul li', { hasText: title })).toHaveCount(0);
    const after = await readFeed(request, `/en/services/${slug}/rss.xml`);
    expect(after.items.map((item) => item.guid.split('#')[1])).toEqual(['end', 'start', expect.stringMatching(/^update-\d+$/)]);
    expect(after.items[0]?.title).toBe(`${title} – Completed`);
  } finally {
    setClockOffset(0);
  }
});

test('feeds parse in both formats and languages', async ({ page, request }) => {
  await signIn(page);
  const service = await addService(page, 'Feeds');
  const slug = service.en.toLowerCase().replace(' ', '-');
  const id = await pastIncident(page, `Feed check ${unique()} & <more>`, service.en, 3, 1);

  for (const lang of ['en', 'fr'] as const) {
    for (const path of [`/${lang}/rss.xml`, `/${lang}/atom.xml`, `/${lang}/services/${slug}/rss.xml`, `/${lang}/services/${slug}/atom.xml`]) {
      const feed = await readFeed(request, path);
      expect(feed.language, path).toBe(lang === 'en' ? 'en-CA' : 'fr-CA');
      expect(new Set(feed.items.map((item) => item.guid)).size, path).toBe(feed.items.length);
      const mine = feed.items.filter((item) => item.link.includes(`/${lang}/incidents/${id}#update-`));
      expect(mine, path).toHaveLength(2);
      // RSS titles are plain text; Atom entry titles are HTML, so the user text arrives escaped.
      expect(mine[0]?.title, path).toContain(path.endsWith('atom.xml') ? '&#38; &#60;more&#62;' : '& <more>');
      expect(Number.isNaN(Date.parse(mine[0]?.date ?? '')), path).toBe(false);
      // rss-parser reads categories from RSS only; Atom carries the same names in the content.
      if (path.endsWith('rss.xml')) expect(mine[0]?.categories, path).toContain(lang === 'en' ? service.en : service.fr);
      expect(mine[0]?.description, path).toContain(lang === 'en' ? service.en : service.fr);
      // Nothing from the other language leaks into a feed.
      expect(mine.map((item) => item.description).join(' '), path).not.toContain(lang === 'en' ? 'Rien ne fonctionne' : 'Nothing works');
    }
  }
  const unknown = await request.get('/en/services/no-such-service/rss.xml');
  expect(unknown.status()).toBe(404);

  const home = await page.goto('/en/');
  expect(home?.status()).toBe(200);
  await expect(page.locator('link[rel=alternate][type="application/atom+xml"][hreflang=en]')).toHaveAttribute('href', /\/en\/atom\.xml$/);
  await page.goto(`/en/services/${slug}`);
  await expect(page.locator('link[rel=alternate][type="application/rss+xml"]').last()).toHaveAttribute('href', new RegExp(`/en/services/${slug}/rss\\.xml$`));
});

test('sitemap lists pages with language alternates', async ({ request }) => {
  const response = await request.get('/sitemap.xml');
  expect(response.status()).toBe(200);
  const xml = await response.text();
  expect(xml).toContain('<loc>http://localhost');
  expect(xml).toMatch(/<loc>[^<]*\/en\/incidents\/\d+<\/loc>/);
  expect(xml).toMatch(/<xhtml:link rel="alternate" hreflang="fr" href="[^"]*\/fr\/historique"\/>/);
  const robots = await (await request.get('/robots.txt')).text();
  expect(robots).toContain('Sitemap: http://localhost');
});
