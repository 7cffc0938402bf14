import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, hoursAgo, signIn, unique } from './support.ts';

const MESSAGES = {
  en: { required: 'this field is required', endBeforeStart: 'cannot come before its start', url: 'starts with https://', unknownService: 'does not exist' },
  fr: { required: 'Ce champ est obligatoire', endBeforeStart: 'ne peut pas précéder son début', url: 'commence par https://', unknownService: 'n’existe pas' },
} as const;

async function ensureService(page: Page): Promise<void> {
  await page.goto('/admin/services/new');
  await page.locator('#field-slug').fill(`bad-input-${unique()}`);
  await page.locator('#field-nameEn').fill('Bad input target');
  await page.locator('#field-nameFr').fill('Cible des saisies invalides');
  await page.locator('main form button[type=submit]').click();
  await expect(page).toHaveURL(/saved=1/);
}

async function fillIncident(page: Page, title: string): Promise<void> {
  await page.goto('/admin/incidents/new');
  await page.locator('#field-titleEn').fill(title);
  await page.locator('select[name^="impacts."]').last().selectOption('major_outage');
  await page.locator('#field-startedAt').fill(hoursAgo(2));
  await page.locator('#field-detectedAt').fill(hoursAgo(1));
  await page.locator('#field-summaryEn').fill('English body kept after the error.');
  await page.locator('#field-summaryFr').fill('Texte français conservé après l’erreur.');
}

for (const lang of ['en', 'fr'] as const) {
  test.describe(`bad input with the admin area in ${lang}`, () => {
    test.beforeEach(async ({ page }) => {
      await signIn(page, lang);
      await ensureService(page);
    });

    test('missing French title keeps the typed text', async ({ page }) => {
      const title = `Missing French ${unique()}`;
      await fillIncident(page, title);
      await page.locator('main form button[type=submit]:not([name=preview])').last().click();

      await expect(page.locator('#field-titleFr-error')).toContainText(MESSAGES[lang].required);
      await expect(page.locator('#field-titleFr')).toHaveAttribute('aria-invalid', 'true');
      await expect(page.locator('.error-summary a[href="#field-titleFr"]')).toBeVisible();
      await expect(page.locator('#field-titleEn')).toHaveValue(title);
      await expect(page.locator('#field-summaryFr')).toHaveValue('Texte français conservé après l’erreur.');
      await expect(page.locator('select[name^="impacts."]').last()).toHaveValue('major_outage');
      await expectAccessible(page);

      await page.goto('/admin');
      await expect(page.getByText(title)).toHaveCount(0);
    });

    test('unknown service is rejected', async ({ page }) => {
      const title = `Unknown service ${unique()}`;
      await fillIncident(page, title);
      await page.locator('#field-titleFr').fill('Service inconnu');
      // A service deleted or forged after the form was loaded.
      await page.locator('select[name^="impacts."]').last().evaluate((select) => select.setAttribute('name', 'impacts.987654'));
      await page.locator('main form button[type=submit]:not([name=preview])').last().click();
      await expect(page.locator('#field-impacts-error')).toContainText(MESSAGES[lang].unknownService);
      await expect(page.locator('#field-titleEn')).toHaveValue(title);
      await page.goto('/admin');
      await expect(page.getByText(title)).toHaveCount(0);
    });

    test('end before start and bad postmortem link are rejected', async ({ page }) => {
      const title = `Resolve checks ${unique()}`;
      await fillIncident(page, title);
      await page.locator('#field-titleFr').fill('Vérifications de la résolution');
      await page.locator('main form button[type=submit]:not([name=preview])').last().click();
      await expect(page).toHaveURL(/saved=opened/);

      await page.locator('#resolve-endedAt').fill(hoursAgo(5));
      await page.locator('#resolve-noticeEn').fill('Restored.');
      await page.locator('#resolve-noticeFr').fill('Rétabli.');
      await page.locator('form:has(input[name=intent][value=resolve]) button[type=submit]').click();
      await expect(page.locator('#resolve-endedAt-error')).toContainText(MESSAGES[lang].endBeforeStart);
      await expect(page.locator('#resolve-noticeFr')).toHaveValue('Rétabli.');

      await page.locator('#resolve-endedAt').fill(hoursAgo(0.5));
      await page.locator('#resolve-postmortemUrlEn').fill('javascript:alert(1)');
      await page.locator('#resolve-postmortemUrlFr').fill('https://blog.example.gc.ca/fr/analyse');
      await page.locator('form:has(input[name=intent][value=resolve]) button[type=submit]').click();
      await expect(page.locator('#resolve-postmortemUrlEn-error')).toContainText(MESSAGES[lang].url);
      await expect(page.locator('#resolve-postmortemUrlEn')).toHaveValue('javascript:alert(1)');
      await expectAccessible(page);

      const id = new URL(page.url()).pathname.split('/').pop();
      await page.goto(`/en/incidents/${id}`);
      await expect(page.locator('.facts')).toContainText('Investigating');
      await expect(page.locator('.timeline > li')).toHaveCount(1);
    });
  });
}
