import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, hoursAgo, readFeed, signIn, unique } from './support.ts';

async function addService(page: Page, suffix: string): Promise<void> {
  await page.goto('/admin/services/new');
  await page.locator('#field-slug').fill(`forms-${suffix}`);
  await page.locator('#field-nameEn').fill(`Forms ${suffix}`);
  await page.locator('#field-nameFr').fill(`Formulaires ${suffix}`);
  await page.locator('#field-descriptionEn').fill('Online forms & submissions');
  await page.locator('#field-descriptionFr').fill('Formulaires en ligne et envois');
  await page.locator('main form button[type=submit]').click();
  await expect(page).toHaveURL(/\/admin\/services\?saved=1$/);
}

async function openIncident(page: Page, suffix: string): Promise<number> {
  await page.goto('/admin/incidents/new');
  await page.locator('#field-titleEn').fill(`Form submissions failing ${suffix}`);
  await page.locator('#field-titleFr').fill(`Échec de l’envoi des formulaires ${suffix}`);
  await page.locator('#field-severity').selectOption('2');
  const serviceField = page.locator('select[name^="impacts."]').filter({ has: page.locator('option') }).last();
  await serviceField.selectOption('partial_outage');
  await page.locator('#field-startedAt').fill(hoursAgo(3));
  await page.locator('#field-detectedAt').fill(hoursAgo(2.5));
  await page.locator('#field-summaryEn').fill('Some form submissions fail. We are investigating & will update within 1 hour.');
  await page.locator('#field-summaryFr').fill('Certains envois de formulaires échouent. Nous enquêtons et ferons le point d’ici 1 heure.');
  await page.locator('main form button[type=submit]:not([name=preview])').last().click();
  await expect(page).toHaveURL(/\/admin\/incidents\/\d+\?saved=opened$/);
  return Number(new URL(page.url()).pathname.split('/').pop());
}

for (const adminLanguage of ['en', 'fr'] as const) {
  test(`incident lifecycle with the admin area in ${adminLanguage}`, async ({ page, request }) => {
    const suffix = unique();
    await signIn(page, adminLanguage);
    await addService(page, suffix);
    const id = await openIncident(page, suffix);

    // Opened: both home pages show the incident and the service's outage.
    await page.goto('/en/');
    await expect(page.getByRole('link', { name: `Form submissions failing ${suffix}` })).toBeVisible();
    await expect(page.locator('.service-list li', { hasText: `Forms ${suffix}` })).toContainText('Partial outage');
    await expect(page.locator('.overall')).not.toContainText('All services are operating normally');
    await page.goto('/fr/');
    await expect(page.getByRole('link', { name: `Échec de l’envoi des formulaires ${suffix}` })).toBeVisible();
    await expect(page.locator('.service-list li', { hasText: `Formulaires ${suffix}` })).toContainText('Panne partielle');

    // Update.
    await page.goto(`/admin/incidents/${id}`);
    await page.locator('#update-status').selectOption('identified');
    await page.locator('#update-summaryEn').fill('The cause is identified: a full disk. A fix is being deployed.');
    await page.locator('#update-summaryFr').fill('La cause est cernée : un disque plein. Un correctif est en cours de déploiement.');
    await page.locator('form:has(input[name=intent][value=update]) button[type=submit]:not([name=preview])').click();
    await expect(page).toHaveURL(/saved=update$/);
    await page.goto(`/en/incidents/${id}`);
    await expect(page.locator('.timeline > li')).toHaveCount(2);
    await expect(page.locator('.timeline > li').first()).toContainText('The cause is identified');

    // Resolve with postmortem links.
    await page.goto(`/admin/incidents/${id}`);
    await page.locator('#resolve-endedAt').fill(hoursAgo(0.5));
    await page.locator('#resolve-noticeEn').fill('Service is restored. A postmortem will follow.');
    await page.locator('#resolve-noticeFr').fill('Le service est rétabli. Une analyse post-incident suivra.');
    await page.locator('#resolve-postmortemUrlEn').fill(`https://blog.example.gc.ca/en/postmortem-${suffix}`);
    await page.locator('#resolve-postmortemUrlFr').fill(`https://blog.example.gc.ca/fr/analyse-${suffix}`);
    await page.locator('form:has(input[name=intent][value=resolve]) button[type=submit]').click();
    await expect(page).toHaveURL(/saved=resolve$/);

    await page.goto(`/en/incidents/${id}`);
    await expect(page.locator('.facts')).toContainText('Resolved');
    await expect(page.locator('.facts, .timeline').getByRole('link', { name: 'Read the postmortem' })).toHaveCount(2);
    await expect(page.locator('.timeline').getByRole('link', { name: 'Read the postmortem' })).toHaveAttribute('href', `https://blog.example.gc.ca/en/postmortem-${suffix}`);
    // Resolution notice, then the announcement of the postmortem that came with it.
    await expect(page.locator('.timeline > li')).toHaveCount(4);
    await expect(page.locator('time').first()).toHaveText(/(EST|EDT)$/);
    await expectAccessible(page);

    // The toggle leads to the same incident in French.
    await page.getByRole('link', { name: 'Français' }).click();
    await expect(page).toHaveURL(new RegExp(`/fr/incidents/${id}$`));
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await expect(page.locator('h1')).toHaveText(`Échec de l’envoi des formulaires ${suffix}`);
    await expect(page.locator('.facts')).toContainText('Résolu');
    await expect(page.locator('.facts').getByRole('link', { name: 'Lire l’analyse post-incident' })).toHaveAttribute('href', `https://blog.example.gc.ca/fr/analyse-${suffix}`);
    await expect(page.locator('time').first()).toHaveText(/\sh(\s\d\d)?\s(HNE|HAE)$/);
    await expectAccessible(page);
    await page.getByRole('link', { name: 'English' }).click();
    await expect(page).toHaveURL(new RegExp(`/en/incidents/${id}$`));

    // Resolved: the service is back to operational and the incident is listed as recent.
    await page.goto('/en/');
    await expect(page.locator('.service-list li', { hasText: `Forms ${suffix}` })).toContainText('Operational');
    await expect(page.locator('#recent-incidents + ul')).toContainText(`Form submissions failing ${suffix}`);
    await expectAccessible(page);
    await page.goto('/fr/');
    await expect(page.locator('.service-list li', { hasText: `Formulaires ${suffix}` })).toContainText('Opérationnel');
    await expectAccessible(page);

    // Each feed has one item per update, in its own language, newest first.
    const english = await readFeed(request, '/en/rss.xml');
    const french = await readFeed(request, '/fr/rss.xml');
    expect(english.language).toBe('en-CA');
    expect(french.language).toBe('fr-CA');
    const mine = (items: typeof english.items) => items.filter((item) => item.link.includes(`/incidents/${id}#`));
    expect(mine(english.items).map((item) => item.title)).toEqual([
      `Form submissions failing ${suffix} – Postmortem`,
      `Form submissions failing ${suffix} – Resolved`,
      `Form submissions failing ${suffix} – Identified`,
      `Form submissions failing ${suffix} – Investigating`,
    ]);
    expect(mine(french.items).map((item) => item.title)).toEqual([
      `Échec de l’envoi des formulaires ${suffix} – Analyse post-incident`,
      `Échec de l’envoi des formulaires ${suffix} – Résolu`,
      `Échec de l’envoi des formulaires ${suffix} – Problème cerné`,
      `Échec de l’envoi des formulaires ${suffix} – Enquête en cours`,
    ]);
    expect(mine(english.items)[3]?.description).toContain('investigating &amp; will update');
    expect(mine(french.items)[0]?.description).toContain(`https://blog.example.gc.ca/fr/analyse-${suffix}`);
    expect(mine(french.items).every((item) => item.link.includes('/fr/incidents/'))).toBe(true);
    expect(new Set(mine(english.items).map((item) => item.guid)).size).toBe(4);
  });
}
