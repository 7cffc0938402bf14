import { expect, test } from '@playwright/test';
import { hoursAgo, readFeed, signIn, unique } from './support.ts';

test('admin pages and writes need a signed-in user', async ({ request }) => {
  for (const path of ['/admin', '/admin/services', '/admin/incidents/new', '/admin/audit']) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(303);
    expect(response.headers().location, path).toMatch(/^\/admin\/login/);
  }
  const post = await request.post('/admin/services/new', {
    form: { slug: `anonymous-${unique()}`, nameEn: 'x', nameFr: 'x', displayOrder: '0' },
    maxRedirects: 0,
  });
  expect(post.status()).toBe(303);
  expect(post.headers().location).toMatch(/^\/admin\/login/);
});

test('wrong password is rejected with a message', async ({ page }) => {
  await page.goto('/admin/login');
  await page.locator('#field-email').fill('admin@example.gc.ca');
  await page.locator('#field-password').fill('not the password');
  await page.locator('main form button[type=submit]:not([name=preview])').last().click();
  await expect(page.getByRole('alert')).toContainText('email address or password is incorrect');
  await expect(page.locator('#field-email')).toHaveValue('admin@example.gc.ca');
});

test('session cookie is HttpOnly, SameSite and changes at sign-in', async ({ page, context }) => {
  await context.addCookies([{ name: 'status_session', value: 'planted-before-sign-in', url: `http://localhost:${process.env.E2E_PORT ?? 4455}/admin` }]);
  await signIn(page);
  const cookie = (await context.cookies()).find((entry) => entry.name === 'status_session');
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe('Lax');
  expect(cookie?.value).not.toBe('planted-before-sign-in');
  const response = await page.goto('/admin');
  expect(response?.headers()['cache-control']).toBe('no-store');

  await page.locator('form[action="/admin/logout"] button').click();
  await expect(page).toHaveURL(/\/admin\/login/);
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/admin\/login/);
});

test('public pages set no cookies and need no script', async ({ request }) => {
  for (const path of ['/', '/en/', '/fr/', '/en/rss.xml']) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    expect(response.headers()['set-cookie'], path).toBeUndefined();
    expect(await response.text(), path).not.toContain('<script');
  }
});

test('user text is shown as text, never run', async ({ page }) => {
  const payload = `<img src=x onerror=alert(1)> ${unique()}`;
  let dialogs = 0;
  page.on('dialog', async (dialog) => {
    dialogs += 1;
    await dialog.dismiss();
  });
  await signIn(page);
  await page.goto('/admin/services/new');
  await page.locator('#field-slug').fill(`xss-${unique()}`);
  await page.locator('#field-nameEn').fill(payload);
  await page.locator('#field-nameFr').fill(payload);
  await page.locator('main form button[type=submit]').click();

  await page.goto('/admin/incidents/new');
  await page.locator('#field-titleEn').fill(payload);
  await page.locator('#field-titleFr').fill(payload);
  await page.locator('select[name^="impacts."]').last().selectOption('degraded_performance');
  await page.locator('#field-startedAt').fill(hoursAgo(1));
  await page.locator('#field-detectedAt').fill(hoursAgo(1));
  await page.locator('#field-summaryEn').fill(`<script>alert(2)</script> & more`);
  await page.locator('#field-summaryFr').fill(`<script>alert(2)</script> et plus`);
  await page.locator('main form button[type=submit]:not([name=preview])').last().click();
  const id = new URL(page.url()).pathname.split('/').pop();

  for (const path of ['/en/', `/en/incidents/${id}`, `/fr/incidents/${id}`]) {
    await page.goto(path);
    await expect(page.locator('h1, h3').filter({ hasText: payload }).first()).toBeVisible();
    await expect(page.locator('img[src="x"]')).toHaveCount(0);
  }
  const feed = await readFeed(page.request, '/en/rss.xml');
  const item = feed.items.find((entry) => entry.link.includes(`/incidents/${id}#`));
  // The title is plain text; the description is HTML in which the user text is escaped.
  expect(item?.title).toBe(`${payload} – Investigating`);
  expect(item?.description).toContain('&lt;script&gt;alert(2)&lt;/script&gt; &amp; more');
  expect(item?.description).not.toContain('<script>');
  expect(dialogs).toBe(0);
});
