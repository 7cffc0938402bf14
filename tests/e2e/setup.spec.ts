import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { ADMIN } from './support.ts';

// Runs first, on the empty database the server started with.
test('first administrator is created through the logged setup link', async ({ page }) => {
  const log = readFileSync(`tests/.tmp/e2e-${process.env.E2E_PORT ?? 4455}/server.log`, 'utf8');
  const line = log.split('\n').find((entry) => entry.includes('setupUrl'));
  expect(line, 'the server logs a setup link on first start').toBeTruthy();
  const setupUrl = new URL(JSON.parse(line!).setupUrl);

  await page.goto('/admin/setup?token=wrong');
  await expect(page.getByText('This setup link is not valid')).toBeVisible();

  await page.goto(setupUrl.pathname + setupUrl.search);
  await page.locator('#field-email').fill(ADMIN.email);
  await page.locator('#field-password').fill(ADMIN.password);
  await page.locator('#field-passwordConfirm').fill('a different passphrase');
  await page.getByRole('button', { name: 'Create the administrator' }).click();
  await expect(page.locator('#field-passwordConfirm-error')).toContainText('do not match');
  await expect(page.locator('#field-email')).toHaveValue(ADMIN.email);

  await page.locator('#field-password').fill(ADMIN.password);
  await page.locator('#field-passwordConfirm').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Create the administrator' }).click();
  await expect(page.getByText('The administrator account is ready')).toBeVisible();

  await page.goto(setupUrl.pathname + setupUrl.search);
  await expect(page.getByText('An administrator already exists')).toBeVisible();
});
