import { expect, test, type Page } from '@playwright/test';
import { addService, expectAccessible, hoursAgo, readFeed, setClockOffset, signIn, unique } from './support.ts';

const TEXT = {
  en: { missingFrench: 'Summary in French', template: 'We are investigating the cause.', preview: 'French preview' },
  fr: { missingFrench: 'Résumé en français', template: 'Nous cherchons la cause du problème.', preview: 'Aperçu en français' },
} as const;

/** Fills the new-incident form through the composer, leaving the French summary to the caller. */
async function composeIncident(page: Page, title: string, serviceName: string): Promise<void> {
  // The service's label is its name in the admin area's language.
  await page.locator('#field-titleEn').fill(title);
  await page.locator('#field-titleFr').fill(`${title} (fr)`);
  await page.locator('#field-severity').selectOption('1');
  await page.getByLabel(serviceName, { exact: true }).selectOption('major_outage');
  await page.locator('#field-startedAt').fill(hoursAgo(1));
  await page.locator('#field-detectedAt').fill(hoursAgo(0.9));
  await page.locator('#field-summaryEn').fill('Nobody can submit forms & attachments.');
  await page.locator('#field-nowEn').fill('We are checking the storage service.\nWe are reading the error logs.');
  await page.locator('#field-nowFr').fill('Nous vérifions le service de stockage.\nNous lisons les journaux d’erreurs.');
  await page.locator('#field-nextEn').fill('We will restart the storage service.');
  await page.locator('#field-nextFr').fill('Nous redémarrerons le service de stockage.');
  await page.locator('#field-usersAffectedKind input[value=estimate]').check();
  await page.locator('#field-usersAffected').fill('1200');
}

for (const lang of ['en', 'fr'] as const) {
  test(`composer publishes a full update in ${lang}`, async ({ page }) => {
    await signIn(page, lang);
    const serviceName = await addService(page, 'Composer');
    const title = `Composer ${lang} ${unique()}`;

    await page.goto('/admin/incidents/new');
    await page.locator('#template-composer').selectOption({ index: 0 });
    await page.locator('form.template-picker button').click();
    await expect(page.locator('#field-summaryEn')).toContainText(TEXT.en.template);

    await composeIncident(page, title, serviceName[lang]);
    await page.locator('#field-summaryFr').fill('Personne ne peut envoyer de formulaires.');
    // The script refreshes the preview while the user types.
    await expect(page.locator('[data-preview] section[lang=fr]')).toContainText('Personne ne peut envoyer de formulaires.');
    await expect(page.locator('[data-preview] section[lang=fr]')).toContainText('La cause n’est pas encore connue.');
    await expect(page.locator('[data-preview] section[lang=en]')).toContainText('About 1,200 users are affected.');
    await expect(page.getByText(TEXT[lang].preview)).toBeVisible();

    // A missing French summary blocks publishing and names the part and the language.
    await page.locator('#field-summaryFr').fill('');
    await page.locator('main form button[type=submit]:not([name=preview])').last().click();
    await expect(page.locator('.error-summary')).toContainText(TEXT[lang].missingFrench);
    await expect(page.locator('#field-summaryFr-error')).toBeVisible();
    await expect(page.locator('#field-summaryEn')).toHaveValue('Nobody can submit forms & attachments.');
    await expect(page.locator('#field-nowFr')).toHaveValue('Nous vérifions le service de stockage.\nNous lisons les journaux d’erreurs.');
    await expect(page.locator('#field-usersAffected')).toHaveValue('1200');
    await expectAccessible(page);
    await page.goto('/admin');
    await expect(page.getByText(title)).toHaveCount(0);

    await page.goto('/admin/incidents/new');
    await composeIncident(page, title, serviceName[lang]);
    await page.locator('#field-summaryFr').fill('Personne ne peut envoyer de formulaires ni de pièces jointes.');
    await page.locator('main form button[type=submit]:not([name=preview])').last().click();
    await expect(page).toHaveURL(/saved=opened/);
    const id = new URL(page.url()).pathname.split('/').pop();

    await page.goto(`/en/incidents/${id}`);
    const english = page.locator('.timeline > li').first();
    await expect(english).toContainText('Nobody can submit forms & attachments.');
    await expect(english.locator('li')).toContainText(['We are checking the storage service.', 'We are reading the error logs.', 'We will restart the storage service.']);
    await expect(english).toContainText('About 1,200 users are affected.');
    await expect(english).toContainText('The cause is not yet known.');
    await expect(english).toContainText('We do not yet know when service will be restored.');
    await expect(page.locator('.facts')).toContainText('Next update by');

    await page.goto(`/fr/incidents/${id}`);
    const french = page.locator('.timeline > li').first();
    await expect(french).toContainText('Personne ne peut envoyer de formulaires ni de pièces jointes.');
    await expect(french).toContainText(/Environ 1\s200 utilisateurs sont touchés\./);
    await expect(french).toContainText('La cause n’est pas encore connue.');
    await expect(french).toContainText('Prochaine mise à jour d’ici le');
    await expectAccessible(page);

    await page.goto('/fr/');
    await expect(page.locator('.incident-list li', { hasText: `${title} (fr)` })).toContainText('Prochaine mise à jour d’ici le');
  });
}

test('update with a known cause and restoration time', async ({ page }) => {
  await signIn(page);
  const serviceName = await addService(page, 'Cause');
  await page.goto('/admin/incidents/new');
  await composeIncident(page, `Cause ${unique()}`, serviceName.en);
  await page.locator('#field-summaryFr').fill('Personne ne peut envoyer de formulaires.');
  await page.locator('main form button[type=submit]:not([name=preview])').last().click();
  await expect(page).toHaveURL(/saved=opened/);
  const id = new URL(page.url()).pathname.split('/').pop();

  await page.locator('#update-status').selectOption('identified');
  await page.locator('#update-summaryEn').fill('We found the cause.');
  await page.locator('#update-summaryFr').fill('Nous avons trouvé la cause.');
  await page.locator('#update-causeKnown input[value=yes]').check();
  await page.locator('#update-causeEn').fill('A storage disk is full.');
  await page.locator('#update-restorationKnown input[value=yes]').check();
  await page.locator('#update-restorationAt').fill(hoursAgo(-2));
  // The French cause is missing: the update is refused with the field named.
  await page.locator('form:has(input[name=intent][value=update]) button[type=submit]:not([name=preview])').click();
  await expect(page.locator('#update-causeFr-error')).toBeVisible();
  await expect(page.locator('#update-causeEn')).toHaveValue('A storage disk is full.');

  await page.locator('#update-causeFr').fill('Un disque de stockage est plein.');
  await page.locator('form:has(input[name=intent][value=update]) button[type=submit]:not([name=preview])').click();
  await expect(page).toHaveURL(/saved=update/);
  await page.goto(`/en/incidents/${id}`);
  await expect(page.locator('.timeline > li').first()).toContainText('Cause: A storage disk is full.');
  await expect(page.locator('.timeline > li').first()).toContainText('We expect service to be restored by');
  await page.goto(`/fr/incidents/${id}`);
  await expect(page.locator('.timeline > li').first()).toContainText(/Cause\s: Un disque de stockage est plein\./);
});

test('overdue update appears on the dashboard', async ({ page }) => {
  await signIn(page);
  const serviceName = await addService(page, 'Overdue');
  const title = `Overdue ${unique()}`;
  await page.goto('/admin/incidents/new');
  await composeIncident(page, title, serviceName.en);
  await page.locator('#field-summaryFr').fill('Personne ne peut envoyer de formulaires.');
  await page.locator('main form button[type=submit]:not([name=preview])').last().click();
  await expect(page).toHaveURL(/saved=opened/);

  await page.goto('/admin');
  await expect(page.locator('#overdue + div, #overdue ~ p').first()).not.toContainText(title);
  try {
    // The default promise is about 30 minutes ahead (typed to the minute), so two hours
    // later the update is about 90 minutes overdue.
    setClockOffset(2 * 3_600_000);
    // Two idle hours end the session, so sign in again.
    await signIn(page);
    await page.goto('/admin');
    const row = page.locator('tr.overdue', { hasText: title });
    await expect(row).toContainText(/1 hour, (29|30|31) minutes/);
    await expect(row).toContainText('2 hours');
    await expectAccessible(page);
    await page.goto('/admin/language?lang=fr&next=/admin');
    await expect(page.locator('tr.overdue', { hasText: title })).toContainText(/1\sheure et (29|30|31)\sminutes/);
    await expectAccessible(page);
  } finally {
    setClockOffset(0);
  }
});

test('postmortem link reaches the page and both feeds', async ({ page, request }) => {
  await signIn(page);
  const serviceName = await addService(page, 'Postmortem');
  const title = `Postmortem ${unique()}`;
  await page.goto('/admin/incidents/new');
  await composeIncident(page, title, serviceName.en);
  await page.locator('#field-severity').selectOption('2');
  await page.locator('#field-summaryFr').fill('Personne ne peut envoyer de formulaires.');
  await page.locator('main form button[type=submit]:not([name=preview])').last().click();
  const id = new URL(page.url()).pathname.split('/').pop();

  // The resolution form starts from the team's "resolved" template.
  await expect(page.locator('#resolve-noticeEn')).toContainText('Service is restored');
  await page.locator('#resolve-endedAt').fill(hoursAgo(0.1));
  await page.locator('form:has(input[name=intent][value=resolve]) button[type=submit]').click();
  await expect(page).toHaveURL(/saved=resolve/);

  await page.goto(`/en/incidents/${id}`);
  await expect(page.locator('.facts')).toContainText('Postmortem pending');
  await page.goto('/admin');
  await expect(page.locator('#needs-postmortem ~ ul')).toContainText(title);

  await page.goto(`/admin/incidents/${id}`);
  await page.locator('#postmortem-postmortemUrlEn').fill('https://blog.example.gc.ca/en/forms-outage');
  await page.locator('#postmortem-postmortemUrlFr').fill('https://blog.example.gc.ca/fr/panne-formulaires');
  await page.locator('form:has(input[name=intent][value=postmortem]) button[type=submit]').click();
  await expect(page).toHaveURL(/saved=postmortem/);

  await page.goto(`/en/incidents/${id}`);
  await expect(page.locator('.facts')).not.toContainText('Postmortem pending');
  await expect(page.locator('.timeline > li').first().getByRole('link', { name: 'Read the postmortem' })).toHaveAttribute('href', 'https://blog.example.gc.ca/en/forms-outage');
  await page.goto(`/fr/incidents/${id}`);
  await expect(page.locator('.timeline > li').first().getByRole('link', { name: 'Lire l’analyse post-incident' })).toHaveAttribute('href', 'https://blog.example.gc.ca/fr/panne-formulaires');
  await page.goto('/admin');
  await expect(page.getByRole('link', { name: new RegExp(title) }).first()).toBeVisible();
  await expect(page.locator('#needs-postmortem ~ ul', { hasText: title })).toHaveCount(0);

  for (const [path, url] of [['/en/rss.xml', 'https://blog.example.gc.ca/en/forms-outage'], ['/fr/rss.xml', 'https://blog.example.gc.ca/fr/panne-formulaires']] as const) {
    const feed = await readFeed(request, path);
    const item = feed.items.find((entry) => entry.link.endsWith(`/incidents/${id}#update-${entry.link.split('#update-')[1]}`) && entry.description.includes(url));
    expect(item, path).toBeTruthy();
  }
});

test('team edits a template and the composer uses it', async ({ page }) => {
  await signIn(page, 'fr');
  await page.goto('/admin/templates');
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Surveillance d’un correctif' }).click();
  const original = await page.locator('#field-summaryFr').inputValue();

  await page.locator('#field-summaryFr').fill('');
  await page.locator('main form button[type=submit]').click();
  await expect(page.locator('#field-summaryFr-error')).toContainText('Ce champ est obligatoire');
  await expect(page.locator('#field-nameEn')).toHaveValue('Monitoring a fix');

  const edited = `${original} Merci de votre patience.`;
  await page.locator('#field-summaryFr').fill(edited);
  await page.locator('main form button[type=submit]').click();
  await expect(page).toHaveURL(/\/admin\/templates\?saved=1$/);

  await page.goto('/admin/incidents/new');
  await page.locator('#template-composer').selectOption({ label: 'Surveillance d’un correctif' });
  await page.locator('form.template-picker button').click();
  await expect(page.locator('#field-summaryFr')).toHaveValue(edited);
  await expect(page.locator('#field-status')).toHaveValue('monitoring');
});

test('metrics page reports detection and recovery', async ({ page }) => {
  await signIn(page);
  await page.goto('/admin/metrics?from=2026-13-01&to=2026-12-04');
  await expect(page.locator('#field-from-error')).toContainText('YYYY-MM-DD');
  await page.goto('/admin/metrics');
  await expect(page.locator('#per-incident ~ div table tbody tr').first()).toBeVisible();
  await expect(page.locator('#by-severity ~ div table')).toContainText('Severity 2 – major');
  await expectAccessible(page);
});
