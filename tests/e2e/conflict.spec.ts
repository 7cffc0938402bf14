import { expect, test, type Browser, type Page } from '@playwright/test';
import { addService, expectAccessible, hoursAgo, signIn, unique } from './support.ts';

const UPDATE_FORM = 'form:has(input[name=intent][value=update])';
const DETAILS_FORM = 'form:has(input[name=intent][value=details])';
const RESOLVE_FORM = 'form:has(input[name=intent][value=resolve])';

/** Opens a browser context of its own, as a second person at another desk would. */
async function signedInPage(browser: Browser, lang: 'en' | 'fr'): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, lang);
  return page;
}

async function openIncident(page: Page, title: string): Promise<number> {
  const service = await addService(page, 'Conflict');
  await page.goto('/admin/incidents/new');
  await page.locator('#field-titleEn').fill(title);
  await page.locator('#field-titleFr').fill(`${title} (fr)`);
  await page.locator('#field-severity').selectOption('2');
  await page.getByLabel(service.en, { exact: true }).selectOption('partial_outage');
  await page.locator('#field-startedAt').fill(hoursAgo(2));
  await page.locator('#field-detectedAt').fill(hoursAgo(1.5));
  await page.locator('#field-summaryEn').fill('Some payments fail.');
  await page.locator('#field-summaryFr').fill('Certains paiements échouent.');
  await page.locator('main form button[type=submit]:not([name=preview])').last().click();
  await expect(page).toHaveURL(/saved=opened/);
  return Number(new URL(page.url()).pathname.split('/').pop());
}

async function fillUpdate(page: Page, status: string, summaryEn: string, summaryFr: string): Promise<void> {
  await page.locator('#update-status').selectOption(status);
  await page.locator('#update-summaryEn').fill(summaryEn);
  await page.locator('#update-summaryFr').fill(summaryFr);
}

test('two people posting updates: the second sees the first and resubmits', async ({ browser }) => {
  const alice = await signedInPage(browser, 'en');
  const bruno = await signedInPage(browser, 'fr');
  const id = await openIncident(alice, `Conflict ${unique()}`);
  await alice.goto(`/admin/incidents/${id}`);
  await bruno.goto(`/admin/incidents/${id}`);
  await expect(alice.locator(`${UPDATE_FORM} input[name=version]`)).toHaveValue('1');

  await fillUpdate(bruno, 'identified', 'A database disk is full.', 'Un disque de la base de données est plein.');
  await bruno.locator(`${UPDATE_FORM} button[type=submit]:not([name=preview])`).click();
  await expect(bruno).toHaveURL(/saved=update/);

  // Alice typed her update on the page she loaded before Bruno's update.
  await fillUpdate(alice, 'monitoring', 'A fix is in place. We are watching payments.', 'Un correctif est en place. Nous surveillons les paiements.');
  const [rejected] = await Promise.all([
    alice.waitForResponse((response) => response.request().method() === 'POST'),
    alice.locator(`${UPDATE_FORM} button[type=submit]:not([name=preview])`).click(),
  ]);
  expect(rejected.status()).toBe(409);
  await expect(alice.locator('#update-error-summary')).toContainText('Someone else changed this incident');
  const notice = alice.locator('#update-conflict');
  await expect(notice).toContainText('Status: was Investigating, now Identified');
  await expect(notice).toContainText('admin@example.gc.ca posted an update');
  await expect(notice).toContainText('A database disk is full.');
  await expect(alice.locator('#update-summaryEn')).toHaveValue('A fix is in place. We are watching payments.');
  await expect(alice.locator('#update-summaryFr')).toHaveValue('Un correctif est en place. Nous surveillons les paiements.');
  await expect(alice.locator('#update-status')).toHaveValue('monitoring');
  await expect(alice.locator(`${UPDATE_FORM} input[name=version]`)).toHaveValue('2');
  await expectAccessible(alice);

  await alice.locator(`${UPDATE_FORM} button[type=submit]:not([name=preview])`).click();
  await expect(alice).toHaveURL(/saved=update/);

  await alice.goto(`/en/incidents/${id}`);
  const timeline = alice.locator('.timeline > li');
  await expect(timeline).toHaveCount(3);
  await expect(timeline.nth(0)).toContainText('A fix is in place.');
  await expect(timeline.nth(1)).toContainText('A database disk is full.');
  await alice.context().close();
  await bruno.context().close();
});

test('correction over a newer title shows the change in French', async ({ browser }) => {
  const alice = await signedInPage(browser, 'en');
  const bruno = await signedInPage(browser, 'fr');
  const title = `Details ${unique()}`;
  const id = await openIncident(alice, title);
  await bruno.goto(`/admin/incidents/${id}`);
  await alice.goto(`/admin/incidents/${id}`);

  await alice.locator('#details-titleEn').fill(`${title} for card payments`);
  await alice.locator('#details-severity').selectOption('1');
  await alice.locator(`${DETAILS_FORM} button[type=submit]`).click();
  await expect(alice).toHaveURL(/saved=details/);

  await bruno.locator('#details-titleFr').fill(`${title} : paiements par carte`);
  await bruno.locator(`${DETAILS_FORM} button[type=submit]`).click();
  await expect(bruno.locator('#details-error-summary')).toContainText('Une autre personne a modifié cet incident');
  const notice = bruno.locator('#details-conflict');
  await expect(notice).toContainText(`Titre en anglais\u00a0: avant ${title}, maintenant ${title} for card payments`);
  await expect(notice).toContainText('Gravité\u00a0: avant Gravité 2');
  await expect(notice).toContainText('admin@example.gc.ca a corrigé les détails');
  await expect(bruno.locator('#details-titleFr')).toHaveValue(`${title} : paiements par carte`);
  await expectAccessible(bruno);

  // Bruno keeps Alice's English title and severity, then saves his French title.
  await bruno.locator('#details-titleEn').fill(`${title} for card payments`);
  await bruno.locator('#details-severity').selectOption('1');
  await bruno.locator(`${DETAILS_FORM} button[type=submit]`).click();
  await expect(bruno).toHaveURL(/saved=details/);
  await bruno.goto(`/fr/incidents/${id}`);
  await expect(bruno.locator('h1')).toContainText(`${title} : paiements par carte`);
  await bruno.goto(`/en/incidents/${id}`);
  await expect(bruno.locator('h1')).toContainText(`${title} for card payments`);
  await alice.context().close();
  await bruno.context().close();
});

test('resolution after another resolution keeps the typed notice', async ({ browser }) => {
  const alice = await signedInPage(browser, 'en');
  const bruno = await signedInPage(browser, 'en');
  const id = await openIncident(alice, `Resolve twice ${unique()}`);
  await alice.goto(`/admin/incidents/${id}`);
  await bruno.goto(`/admin/incidents/${id}`);

  await alice.locator('#resolve-endedAt').fill(hoursAgo(0.2));
  await alice.locator('#resolve-noticeEn').fill('Payments work again.');
  await alice.locator('#resolve-noticeFr').fill('Les paiements fonctionnent de nouveau.');
  await alice.locator(`${RESOLVE_FORM} button[type=submit]`).click();
  await expect(alice).toHaveURL(/saved=resolve/);

  await bruno.locator('#resolve-endedAt').fill(hoursAgo(0.1));
  await bruno.locator('#resolve-noticeEn').fill('Service is back for everyone.');
  await bruno.locator('#resolve-noticeFr').fill('Le service est rétabli pour tous.');
  await bruno.locator(`${RESOLVE_FORM} button[type=submit]`).click();
  await expect(bruno.locator('#resolve-error-summary')).toContainText('Someone else changed this incident');
  await expect(bruno.locator('#resolve-conflict')).toContainText('admin@example.gc.ca resolved the incident');
  await expect(bruno.locator('#resolve-conflict')).toContainText('Payments work again.');
  await expect(bruno.locator('#resolve-noticeEn')).toHaveValue('Service is back for everyone.');

  await bruno.goto(`/en/incidents/${id}`);
  await expect(bruno.locator('.timeline > li')).toHaveCount(2);
  await alice.context().close();
  await bruno.context().close();
});

test('preview keeps the version the text was based on', async ({ browser }) => {
  const alice = await signedInPage(browser, 'en');
  const bruno = await signedInPage(browser, 'en');
  const id = await openIncident(alice, `Preview ${unique()}`);
  await alice.goto(`/admin/incidents/${id}`);

  await fillUpdate(alice, 'identified', 'We found a bad release.', 'Nous avons trouvé une version défectueuse.');
  await bruno.goto(`/admin/incidents/${id}`);
  await fillUpdate(bruno, 'monitoring', 'Watching.', 'Nous surveillons.');
  await bruno.locator(`${UPDATE_FORM} button[type=submit]:not([name=preview])`).click();
  await expect(bruno).toHaveURL(/saved=update/);

  await alice.locator(`${UPDATE_FORM} button[name=preview]`).click();
  await expect(alice.locator(`${UPDATE_FORM} input[name=version]`)).toHaveValue('1');
  await alice.locator(`${UPDATE_FORM} button[type=submit]:not([name=preview])`).click();
  await expect(alice.locator('#update-conflict')).toContainText('Watching.');
  await alice.context().close();
  await bruno.context().close();
});

test('form without a version is rejected and keeps its text', async ({ page }) => {
  await signIn(page);
  const id = await openIncident(page, `No version ${unique()}`);
  await page.goto(`/admin/incidents/${id}`);
  await page.locator(`${UPDATE_FORM} input[name=version]`).evaluate((input) => input.remove());
  await fillUpdate(page, 'identified', 'Found it.', 'Trouvé.');
  await page.locator(`${UPDATE_FORM} button[type=submit]:not([name=preview])`).click();
  await expect(page.locator('#update-error-summary')).toContainText('This form is out of date');
  await expect(page.locator('#update-summaryEn')).toHaveValue('Found it.');
  await page.locator(`${UPDATE_FORM} button[type=submit]:not([name=preview])`).click();
  await expect(page).toHaveURL(/saved=update/);
});

test('maintenance edit over a newer edit keeps the typed window', async ({ browser }) => {
  const alice = await signedInPage(browser, 'en');
  const bruno = await signedInPage(browser, 'en');
  const service = await addService(alice, 'Window');
  const title = `Window ${unique()}`;
  await alice.goto('/admin/maintenance/new');
  await alice.locator('#field-titleEn').fill(title);
  await alice.locator('#field-titleFr').fill(`${title} (fr)`);
  await alice.getByLabel(service.en, { exact: true }).check();
  // Two days ahead, for an hour.
  await alice.locator('#field-scheduledStart').fill(hoursAgo(-48));
  await alice.locator('#field-scheduledEnd').fill(hoursAgo(-49));
  await alice.locator('#field-bodyEn').fill('Payments will be unavailable.');
  await alice.locator('#field-bodyFr').fill('Les paiements seront indisponibles.');
  await alice.locator('main form button[type=submit]').click();
  await expect(alice).toHaveURL(/saved=scheduled/);
  const path = new URL(alice.url()).pathname;
  await bruno.goto(path);

  await alice.locator('#edit-scheduledEnd').fill(hoursAgo(-50));
  await alice.locator('form:has(input[name=intent][value=edit]) button[type=submit]').click();
  await expect(alice).toHaveURL(/saved=edit/);

  await bruno.locator('#edit-titleEn').fill(`${title}, moved`);
  const [rejected] = await Promise.all([
    bruno.waitForResponse((response) => response.request().method() === 'POST'),
    bruno.locator('form:has(input[name=intent][value=edit]) button[type=submit]').click(),
  ]);
  expect(rejected.status()).toBe(409);
  await expect(bruno.locator('#edit-error-summary')).toContainText('Someone else changed this maintenance window');
  await expect(bruno.locator('#edit-conflict')).toContainText(title);
  await expect(bruno.locator('#edit-titleEn')).toHaveValue(`${title}, moved`);
  await expectAccessible(bruno);

  await bruno.locator('form:has(input[name=intent][value=edit]) button[type=submit]').click();
  await expect(bruno).toHaveURL(/saved=edit/);
  await expect(bruno.locator('h1')).toContainText(`${title}, moved`);
  await alice.context().close();
  await bruno.context().close();
});
