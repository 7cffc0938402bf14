import { expect, test } from '@playwright/test';
import { addService, hoursAgo, signIn, unique } from './support.ts';

test('public responses carry validators and compression', async ({ request }) => {
  const first = await request.get('/en/', { headers: { 'Accept-Encoding': 'br' } });
  expect(first.status()).toBe(200);
  const etag = first.headers().etag;
  expect(etag).toMatch(/^"[\w-]+-br"$/);
  expect(first.headers()['content-encoding']).toBe('br');
  expect(first.headers()['cache-control']).toContain('stale-if-error');
  expect(first.headers()['last-modified']).toBeTruthy();

  const again = await request.get('/en/', { headers: { 'Accept-Encoding': 'br', 'If-None-Match': etag! } });
  expect(again.status()).toBe(304);
  const gzip = await request.get('/en/', { headers: { 'Accept-Encoding': 'gzip' } });
  expect(gzip.headers()['content-encoding']).toBe('gzip');
  expect(gzip.headers().etag).not.toBe(etag);
  const json = await request.get('/api/v2/summary.json', { headers: { 'Accept-Encoding': 'gzip' } });
  expect(json.headers()['content-encoding']).toBe('gzip');
  expect(json.headers()['access-control-allow-origin']).toBe('*');
});

test('a publish is visible on the next request', async ({ page, request }) => {
  await signIn(page);
  const service = await addService(page, 'Cache');
  const title = `Cache check ${unique()}`;
  // Fill the cache with the page before the publish.
  const before = await request.get('/en/');
  expect(await before.text()).not.toContain(title);
  const etag = before.headers().etag!;

  await page.goto('/admin/incidents/new');
  await page.locator('#field-titleEn').fill(title);
  await page.locator('#field-titleFr').fill(`${title} (fr)`);
  await page.getByLabel(service.en, { exact: true }).selectOption('partial_outage');
  await page.locator('#field-startedAt').fill(hoursAgo(1));
  await page.locator('#field-detectedAt').fill(hoursAgo(1));
  await page.locator('#field-summaryEn').fill('Cached pages must show this.');
  await page.locator('#field-summaryFr').fill('Les pages en cache doivent afficher ceci.');
  await page.locator('main form button[type=submit]:not([name=preview])').last().click();
  await expect(page).toHaveURL(/saved=opened/);

  const after = await request.get('/en/', { headers: { 'If-None-Match': etag } });
  expect(after.status()).toBe(200);
  expect(await after.text()).toContain(title);
  expect(await (await request.get('/fr/rss.xml')).text()).toContain(`${title} (fr)`);
  expect(await (await request.get('/api/v2/incidents/unresolved.json')).text()).toContain(title);
});
