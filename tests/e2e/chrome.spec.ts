import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { formatInTimeZone } from 'date-fns-tz';
import { gzipSync } from 'node:zlib';
import { expectAccessible, hoursAgo, signIn, unique } from './support.ts';

const ZONE = 'America/Toronto';

const CHROME = {
  en: {
    other: 'fr',
    toggle: 'Français',
    languageNav: 'Language selection',
    signature: 'Government of Canada / Gouvernement du Canada',
    canada: 'https://www.canada.ca/en.html',
    wordmark: 'Symbol of the Government of Canada',
    corporate: [
      ['Canada.ca', 'https://www.canada.ca/en.html'],
      ['Terms and conditions', 'https://www.canada.ca/en/transparency/terms.html'],
      ['Privacy', 'https://www.canada.ca/en/transparency/privacy.html'],
    ],
    feed: 'Subscribe to incident updates (RSS)',
    note: 'This page sets no cookies and tracks no one.',
    skip: 'Skip to main content',
    dateModified: 'Date modified:',
  },
  fr: {
    other: 'en',
    toggle: 'English',
    languageNav: 'Sélection de la langue',
    signature: 'Gouvernement du Canada / Government of Canada',
    canada: 'https://www.canada.ca/fr.html',
    wordmark: 'Symbole du Gouvernement du Canada',
    corporate: [
      ['Canada.ca', 'https://www.canada.ca/fr.html'],
      ['Avis', 'https://www.canada.ca/fr/transparence/avis.html'],
      ['Confidentialité', 'https://www.canada.ca/fr/transparence/confidentialite.html'],
    ],
    feed: 'S’abonner aux mises à jour sur les incidents (RSS)',
    note: 'Cette page n’utilise aucun témoin et ne suit personne.',
    skip: 'Passer au contenu principal',
    dateModified: 'Date de modification\u00a0:',
  },
} as const;

/** Adds a service through the admin area. */
async function createService(page: Page, slug: string, nameEn: string, nameFr: string): Promise<void> {
  await page.goto('/admin/services/new');
  await page.locator('#field-slug').fill(slug);
  await page.locator('#field-nameEn').fill(nameEn);
  await page.locator('#field-nameFr').fill(nameFr);
  await page.locator('main form button[type=submit]').click();
  await expect(page).toHaveURL(/saved=1/);
}

/** Opens an incident with a major outage of one service and returns its id. */
async function openIncident(page: Page, title: string, serviceName: string, summary: string): Promise<number> {
  await page.goto('/admin/incidents/new');
  await page.locator('#field-titleEn').fill(title);
  await page.locator('#field-titleFr').fill(`${title} (fr)`);
  await page.locator('#field-severity').selectOption('1');
  await page.getByLabel(serviceName, { exact: true }).selectOption('major_outage');
  await page.locator('#field-startedAt').fill(hoursAgo(1));
  await page.locator('#field-detectedAt').fill(hoursAgo(0.9));
  await page.locator('#field-summaryEn').fill(summary);
  await page.locator('#field-summaryFr').fill(summary);
  await page.locator('main form button[type=submit]:not([name=preview])').last().click();
  await expect(page).toHaveURL(/saved=opened/);
  return Number(new URL(page.url()).pathname.split('/').pop());
}

/** Fails unless the page is no wider than its viewport. */
async function expectNoHorizontalScroll(page: Page, path: string): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, `${path} is ${scrollWidth} px wide in a ${clientWidth} px viewport`).toBeLessThanOrEqual(clientWidth);
}

interface Badge {
  role: string | null;
  ariaLabel: string | null;
  title: string | null;
  /** The text elements' content, label first. */
  texts: (string | null)[];
  scripts: number;
}

/**
 * Fetches a badge, checks its headers, and reads it with the browser's XML parser, which
 * rejects a document that is not well formed.
 */
async function readBadge(page: Page, request: APIRequestContext, path: string): Promise<Badge> {
  const response = await request.get(path);
  expect(response.status(), path).toBe(200);
  expect(response.headers()['content-type']).toBe('image/svg+xml; charset=utf-8');
  expect(response.headers()['cache-control']).toBe('public, max-age=0, s-maxage=10, stale-while-revalidate=60, stale-if-error=86400');
  const svg = await response.text();
  const { error, ...badge } = await page.evaluate((source) => {
    const document = new DOMParser().parseFromString(source, 'image/svg+xml');
    const root = document.documentElement;
    return {
      error: document.querySelector('parsererror')?.textContent ?? null,
      role: root.getAttribute('role'),
      ariaLabel: root.getAttribute('aria-label'),
      title: root.querySelector('title')?.textContent ?? null,
      texts: [...root.querySelectorAll('text')].map((element) => element.textContent),
      scripts: root.querySelectorAll('script').length,
    };
  }, svg);
  expect(error, `${path} is not well-formed XML`).toBeNull();
  expect(badge.role).toBe('img');
  expect(badge.ariaLabel).toBe(badge.title);
  return badge;
}

for (const lang of ['en', 'fr'] as const) {
  const text = CHROME[lang];

  test(`GC header and footer in ${lang}`, async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`/${lang}/`);

    const banner = page.getByRole('banner');
    const signature = banner.getByRole('link', { name: text.signature, exact: true });
    await expect(signature).toHaveAttribute('href', text.canada);
    await expect(signature.getByRole('img')).toHaveAccessibleName(text.signature.split(' / ')[0]);

    const toggle = banner.getByRole('navigation', { name: text.languageNav }).getByRole('link', { name: text.toggle, exact: true });
    await expect(toggle).toHaveAttribute('href', `/${text.other}/`);
    await expect(toggle).toHaveAttribute('lang', text.other);
    await expect(toggle).toHaveAttribute('hreflang', text.other);
    const signatureBox = await signature.boundingBox();
    const toggleBox = await toggle.boundingBox();
    expect(signatureBox!.x, 'signature at the left').toBeLessThan(100);
    expect(toggleBox!.x, 'toggle at the right').toBeGreaterThan(signatureBox!.x + signatureBox!.width);

    await expect(page.getByRole('main').getByRole('heading', { level: 1 })).toBeVisible();

    const footer = page.getByRole('contentinfo');
    for (const [name, href] of text.corporate) await expect(footer.getByRole('link', { name, exact: true })).toHaveAttribute('href', href);
    await expect(footer.getByRole('img', { name: text.wordmark })).toBeVisible();
    await expect(footer.getByRole('link', { name: text.feed })).toHaveAttribute('href', `/${lang}/rss.xml`);
    await expect(footer).toContainText(text.note);

    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: text.skip });
    await expect(skip).toBeFocused();
    await expect(skip).toHaveAttribute('href', '#main');
    await expect(skip).toBeInViewport();
    await expectAccessible(page);
  });

  test(`language toggle leads to the ${text.other} home page`, async ({ page }) => {
    await page.goto(`/${lang}/`);
    await page.getByRole('link', { name: text.toggle, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/${text.other}/$`));
    await expect(page.locator('html')).toHaveAttribute('lang', text.other);
  });
}

test('home page works without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/en/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Service status');
  await expect(page.locator('.overall')).toBeVisible();
  await expect(page.getByRole('link', { name: CHROME.en.signature, exact: true })).toBeVisible();
  await expect(page.getByRole('contentinfo').getByRole('link', { name: 'Privacy' })).toBeVisible();
  await page.getByRole('link', { name: 'Français', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('État des services');
  await context.close();
});

test('public pages load nothing from other hosts', async ({ page, baseURL }) => {
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  for (const path of ['/en/', '/fr/', '/en/no-such-page']) await page.goto(path, { waitUntil: 'networkidle' });
  expect(requested.filter((url) => !url.startsWith(`${baseURL}/`))).toEqual([]);
  // The GC Design System fonts come from this site.
  expect(requested.some((url) => url.endsWith('.woff2'))).toBe(true);
});

test('English home page and its CSS stay under 30 KB gzipped', async ({ request }) => {
  const html = await (await request.get('/en/')).text();
  const links = [...html.matchAll(/<link\b[^>]*>/g)].map((match) => match[0]);
  const stylesheets = links.filter((link) => /\brel="stylesheet"/.test(link)).map((link) => link.match(/\bhref="([^"]+)"/)![1]);
  let total = gzipSync(html).length;
  for (const href of stylesheets) total += gzipSync(await (await request.get(href)).body()).length;
  expect(total).toBeLessThan(30 * 1024);
});

test('page without a date has no date modified', async ({ page }) => {
  await page.goto('/en/no-such-page');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await expect(page.getByText('Date modified')).toHaveCount(0);
});

test('long names and addresses wrap at 320 px', async ({ page, request }) => {
  const suffix = unique();
  // 50 letters with no break opportunity, wider than a 320 px screen in any font.
  const longWord = 'Serviceavecunnomtreslongquinesecoupepasdutoutnulle';
  const slug = `${longWord.toLowerCase()}-${suffix}`;
  const serviceEn = `${longWord} ${suffix}`;
  await signIn(page);
  await createService(page, slug, serviceEn, `${serviceEn} (fr)`);
  const title = `Outage${'x'.repeat(120)}${suffix}`;
  const address = `https://forms.example.gc.ca/${'very-long-path-segment/'.repeat(8)}${suffix}`;
  const before = formatInTimeZone(new Date(), ZONE, 'yyyy-MM-dd');
  const id = await openIncident(page, title, serviceEn, `Nobody can open ${address} right now.`);
  const after = formatInTimeZone(new Date(), ZONE, 'yyyy-MM-dd');

  await page.setViewportSize({ width: 320, height: 640 });
  for (const lang of ['en', 'fr'] as const) {
    for (const path of [`/${lang}/`, `/${lang}/incidents/${id}`]) {
      await page.goto(path);
      await expectNoHorizontalScroll(page, path);
    }
    // The incident page is dated by its latest update, in the server's time zone.
    const dateModified = page.locator('.gc-date-modified');
    await expect(dateModified.locator('dt')).toHaveText(CHROME[lang].dateModified);
    const day = await dateModified.locator('time').getAttribute('datetime');
    expect([before, after]).toContain(day);
    await expect(dateModified.locator('time')).toHaveText(day!);
  }
  await page.goto(`/en/incidents/${id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByText(address)).toBeVisible();

  // The service's badge follows its status in each language.
  const english = await readBadge(page, request, `/en/services/${slug}/badge.svg`);
  expect(english.texts).toEqual([serviceEn, 'Major outage']);
  expect(english.title).toBe(`${serviceEn}: Major outage`);
  const french = await readBadge(page, request, `/fr/services/${slug}/badge.svg`);
  expect(french.texts).toEqual([`${serviceEn} (fr)`, 'Panne majeure']);
  expect(french.title).toBe(`${serviceEn} (fr)\u00a0: Panne majeure`);
});

test('whole-page badge names the site in each language', async ({ page, request }) => {
  const english = await readBadge(page, request, '/en/badge.svg');
  expect(english.texts[0]).toBe('Service status');
  expect(english.title).toMatch(/^Service status: (All services are operating normally|Some services .+)$/);
  const french = await readBadge(page, request, '/fr/badge.svg');
  expect(french.texts[0]).toBe('État des services');
  expect(french.title).toMatch(/^État des services\u00a0: (Tous les services fonctionnent normalement|Certains services .+)$/);
});

test('service badge shows markup in a name as text', async ({ page, request }) => {
  const suffix = unique();
  await signIn(page);
  await createService(page, `markup-${suffix}`, `<script>& ${suffix}`, `<script>& ${suffix} (fr)`);
  const english = await readBadge(page, request, `/en/services/markup-${suffix}/badge.svg`);
  expect(english.scripts).toBe(0);
  expect(english.texts).toEqual([`<script>& ${suffix}`, 'Operational']);
  expect(english.title).toBe(`<script>& ${suffix}: Operational`);
  const french = await readBadge(page, request, `/fr/services/markup-${suffix}/badge.svg`);
  expect(french.scripts).toBe(0);
  expect(french.texts).toEqual([`<script>& ${suffix} (fr)`, 'Opérationnel']);
});

test('badges for unknown services or languages are not found', async ({ request }) => {
  for (const path of ['/en/services/no-such-service/badge.svg', '/fr/services/no-such-service/badge.svg', '/de/badge.svg', '/de/services/no-such-service/badge.svg']) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(404);
  }
});
