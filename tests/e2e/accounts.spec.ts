import { expect, test, type Browser, type Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { ADMIN, expectAccessible, setClockOffset, signIn, unique } from './support.ts';

const PASSWORD = 'an invited long passphrase';
const BASE_URL = `http://localhost:${process.env.E2E_PORT ?? 4455}`;

// The server's clock offset. Codes from an authenticator app work once per 30-second step,
// so the tests move the server's clock forward instead of waiting for the next step.
let clockOffset = 0;
function advanceClock(milliseconds: number): void {
  clockOffset += milliseconds;
  setClockOffset(clockOffset);
}

test.afterAll(() => setClockOffset(0));

interface Account {
  email: string;
  password: string;
}

/** Creates an invitation as the signed-in administrator and returns its link. */
async function invite(page: Page, email: string, role: 'admin' | 'publisher' | 'viewer'): Promise<string> {
  await page.goto('/admin/users/invite');
  await page.locator('#field-email').fill(email);
  await page.locator(`input[name=role][value=${role}]`).check();
  await page.locator('main form button[type=submit]').click();
  const link = await page.locator('#invitation-link').inputValue();
  expect(link).toContain('/admin/invitation?token=');
  return link;
}

/** Opens an invitation link in a new browser, chooses the password, and returns the account. */
async function accept(browser: Browser, link: string, email: string, lang: 'en' | 'fr' = 'en'): Promise<Account> {
  const context = await browser.newContext({ baseURL: BASE_URL });
  const page = await context.newPage();
  await page.goto(`/admin/language?lang=${lang}&next=/admin/login`);
  await page.goto(new URL(link).pathname + new URL(link).search);
  await expect(page.locator('main')).toContainText(email);
  await page.locator('#field-password').fill(PASSWORD);
  await page.locator('#field-passwordConfirm').fill(PASSWORD);
  await page.locator('main form button[type=submit]').click();
  await expect(page).toHaveURL(/\/admin\/login\?invitation=done/);
  await context.close();
  return { email, password: PASSWORD };
}

/** Invites a user as the first administrator, signing in unless already signed in, and accepts the invitation. */
async function newAccount(page: Page, browser: Browser, role: 'admin' | 'publisher' | 'viewer', lang: 'en' | 'fr' = 'en'): Promise<Account> {
  const email = `${role}-${unique()}@example.gc.ca`;
  await page.goto(`/admin/language?lang=${lang}&next=/admin/users`);
  if (new URL(page.url()).pathname === '/admin/login') await signIn(page, lang);
  const link = await invite(page, email, role);
  return accept(browser, link, email, lang);
}

async function fillPassword(page: Page, account: Account, lang: 'en' | 'fr' = 'en'): Promise<void> {
  await page.goto(`/admin/language?lang=${lang}&next=/admin/login`);
  await page.locator('#field-email').fill(account.email);
  await page.locator('#field-password').fill(account.password);
  await page.locator('main form button[type=submit]').click();
}

/** Generates the code an authenticator app shows now, by the server's clock. */
function currentCode(secret: string): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() + clockOffset });
}

/** Sets up two-factor sign-in on the account page; returns the secret and the recovery codes. */
async function enableTwoFactor(page: Page): Promise<{ secret: string; recoveryCodes: string[] }> {
  await page.goto('/admin/account/two-factor');
  await expect(page.locator('main svg')).toBeVisible();
  const secret = (await page.locator('#totp-secret').innerText()).replace(/\s/g, '');
  await page.locator('#field-code').fill(currentCode(secret));
  await page.locator('main form button[type=submit]').first().click();
  const recoveryCodes = await page.locator('.recovery-codes code').allInnerTexts();
  expect(recoveryCodes).toHaveLength(10);
  return { secret, recoveryCodes };
}

async function signOut(page: Page): Promise<void> {
  await page.locator('form[action="/admin/logout"] button').first().click();
  await expect(page).toHaveURL(/\/admin\/login/);
}

test('invited publisher signs in with their own password', async ({ page, browser }) => {
  const account = await newAccount(page, browser, 'publisher');
  await page.goto('/admin/users');
  await expect(page.getByRole('cell', { name: account.email })).toBeVisible();
  await page.goto('/admin/audit');
  await expect(page.getByRole('cell', { name: 'Invitation accepted' }).first()).toBeVisible();
  await signOut(page);

  await signIn(page, 'en', account);
  await expect(page.locator('.admin-nav')).toContainText('Open an incident');
  await expect(page.locator('.admin-nav')).not.toContainText('Users');
});

test('invitation works in French and only once', async ({ page, browser }) => {
  const email = `lecteur-${unique()}@example.gc.ca`;
  await signIn(page, 'fr');
  await page.goto('/admin/users/invite');
  await expect(page.locator('h1')).toHaveText('Inviter un utilisateur');
  const link = await invite(page, email, 'viewer');
  await expect(page.getByRole('status')).toContainText(`Lien d’invitation créé pour ${email}`);

  const account = await accept(browser, link, email, 'fr');
  const again = await browser.newContext({ baseURL: BASE_URL });
  const second = await again.newPage();
  await second.goto(`/admin/language?lang=fr&next=${encodeURIComponent(new URL(link).pathname + new URL(link).search)}`);
  await expect(second.locator('main')).toContainText('Ce lien d’invitation n’est pas valide');
  await again.close();

  await signOut(page);
  await signIn(page, 'fr', account);
  const response = await page.goto('/admin/users');
  expect(response?.status()).toBe(403);
  await expect(page.locator('main')).toContainText('Seuls les administrateurs peuvent gérer les utilisateurs');
});

test('publishers and viewers cannot manage users', async ({ page, browser }) => {
  const publisher = await newAccount(page, browser, 'publisher');
  const viewer = await newAccount(page, browser, 'viewer');
  await page.goto('/admin/users');
  const adminRow = page.getByRole('row').filter({ hasText: ADMIN.email });
  const adminPath = await adminRow.getByRole('link').getAttribute('href');
  await signOut(page);

  for (const account of [publisher, viewer]) {
    await signIn(page, 'en', account);
    await expect(page.locator('.admin-nav')).not.toContainText('Users');
    for (const path of ['/admin/users', '/admin/users/invite', adminPath!]) {
      const response = await page.goto(path);
      expect(response?.status(), `${account.email} ${path}`).toBe(403);
      await expect(page.locator('main')).toContainText('Only administrators can manage users');
      await expect(page.locator('main form')).toHaveCount(0);
    }
    const headers = { origin: BASE_URL };
    const deactivate = await page.request.post(adminPath!, { form: { intent: 'deactivate' }, headers, maxRedirects: 0 });
    expect(deactivate.status()).toBe(403);
    const demote = await page.request.post(adminPath!, { form: { intent: 'role', role: 'viewer' }, headers, maxRedirects: 0 });
    expect(demote.status()).toBe(403);
    const inviteResponse = await page.request.post('/admin/users/invite', { form: { email: `x-${unique()}@example.gc.ca`, role: 'admin' }, headers, maxRedirects: 0 });
    expect(inviteResponse.status()).toBe(403);
    expect(await inviteResponse.text()).not.toContain('/admin/invitation?token=');
    await signOut(page);
  }

  // The administrator is still an active administrator.
  await signIn(page);
  await page.goto(adminPath!);
  await expect(page.locator('main dl')).toContainText('Active');
  await expect(page.locator('main dl')).toContainText('Administrator');
});

test('deactivating a user ends their session', async ({ page, browser }) => {
  const account = await newAccount(page, browser, 'publisher');
  const other = await browser.newContext({ baseURL: BASE_URL });
  const userPage = await other.newPage();
  await signIn(userPage, 'en', account);

  await page.goto('/admin/users');
  await page.getByRole('link', { name: account.email }).click();
  await page.getByRole('button', { name: 'Deactivate this user' }).click();
  await expect(page.getByRole('status')).toContainText('The user is deactivated and was signed out');
  await expect(page.getByRole('row').filter({ hasText: account.email })).toContainText('Deactivated');

  await userPage.goto('/admin');
  await expect(userPage).toHaveURL(/\/admin\/login/);
  await fillPassword(userPage, account);
  await expect(userPage.getByRole('alert')).toContainText('email address or password is incorrect');
  await other.close();
});

test('the last administrator cannot step down', async ({ page }) => {
  await signIn(page);
  await page.goto('/admin/users');
  await page.getByRole('row').filter({ hasText: ADMIN.email }).getByRole('link').click();
  await page.locator('input[name=role][value=viewer]').check();
  await page.getByRole('button', { name: 'Change the role' }).click();
  // Runs before any test of this file adds a second administrator.
  await expect(page.getByRole('alert')).toContainText('This is the last active administrator');
  await page.goto('/admin');
  await expect(page.locator('.admin-nav')).toContainText('Users');
});

test('too many failed sign-ins say when to try again', async ({ page }) => {
  // An email address without an account gets the same responses as a real one.
  const account = { email: `nobody-${unique()}@example.gc.ca`, password: 'not the password' };
  for (let i = 0; i < 5; i += 1) {
    await fillPassword(page, account);
    await expect(page.getByRole('alert')).toContainText('email address or password is incorrect');
  }
  const limited = page.waitForResponse((response) => response.url().includes('/admin/login') && response.request().method() === 'POST');
  await fillPassword(page, account);
  expect((await limited).status()).toBe(429);
  await expect(page.getByRole('alert')).toContainText(/There were too many failed attempts to sign in\. For your security, try again after \d{1,2}:\d{2}\s[ap]\.m\. E[SD]T\./);

  await fillPassword(page, account, 'fr');
  await expect(page.getByRole('alert')).toContainText(/Il y a eu trop de tentatives de connexion infructueuses\. Pour votre sécurité, réessayez après \d{1,2}\sh(\s\d{2})?\sH[NA]E\./);
});

test('two-factor sign-in with a code and with a recovery code', async ({ page, browser }) => {
  const account = await newAccount(page, browser, 'publisher');
  await signOut(page);
  await signIn(page, 'en', account);

  await page.goto('/admin/account');
  await page.getByRole('link', { name: 'Set up two-factor sign-in' }).click();
  await expect(page.getByRole('img', { name: 'QR code that adds this account to an authenticator app' })).toBeVisible();
  await expectAccessible(page);
  const { secret, recoveryCodes } = await enableTwoFactor(page);
  await expect(page.getByRole('status')).toContainText('Two-factor sign-in is on');
  await expectAccessible(page);
  await page.getByRole('link', { name: 'I have saved my recovery codes' }).click();
  await expect(page.locator('main')).toContainText('Two-factor sign-in is on');
  await signOut(page);

  // Password, then a code from the app.
  await fillPassword(page, account);
  await expect(page).toHaveURL(/\/admin\/login\/two-factor/);
  await expect(page.locator('h1')).toHaveText('Enter your code');
  await expectAccessible(page);
  // Until the second factor, every other admin page sends back to it.
  await page.goto('/admin/incidents/new');
  await expect(page).toHaveURL(/\/admin\/login\/two-factor/);
  await page.locator('#field-code').fill('000000');
  await page.locator('main form button[type=submit]').first().click();
  await expect(page.getByRole('alert')).toContainText('This code is not valid');
  advanceClock(60_000);
  await page.locator('#field-code').fill(currentCode(secret));
  await page.locator('main form button[type=submit]').first().click();
  await expect(page).toHaveURL(/\/admin\/incidents\/new/);
  await signOut(page);

  // Password, then a recovery code, in French.
  await fillPassword(page, account, 'fr');
  await expect(page.locator('h1')).toHaveText('Entrez votre code');
  await expectAccessible(page);
  await page.locator('#field-code').fill(recoveryCodes[0]!);
  await page.locator('main form button[type=submit]').first().click();
  await expect(page).toHaveURL(/\/admin\/?$/);
  await page.goto('/admin/account/two-factor');
  await expect(page.locator('main')).toContainText('Il vous reste 9 codes de récupération inutilisés');
  await signOut(page);

  // A recovery code works once.
  await fillPassword(page, account, 'fr');
  await page.locator('#field-code').fill(recoveryCodes[0]!);
  await page.locator('main form button[type=submit]').first().click();
  await expect(page.getByRole('alert')).toContainText('Ce code n’est pas valide');
});

test('session ends after 30 idle minutes', async ({ page }) => {
  await signIn(page);
  advanceClock(29 * 60_000);
  await page.goto('/admin/services');
  await expect(page).toHaveURL(/\/admin\/services$/);
  advanceClock(29 * 60_000);
  await page.goto('/admin/services');
  await expect(page).toHaveURL(/\/admin\/services$/);
  advanceClock(31 * 60_000);
  await page.goto('/admin/services');
  await expect(page).toHaveURL(/\/admin\/login\?next=%2Fadmin%2Fservices/);
});

test('users page and invitation form are accessible', async ({ page }) => {
  for (const lang of ['en', 'fr'] as const) {
    await signIn(page, lang);
    await page.goto('/admin/users');
    await expectAccessible(page);
    await page.goto('/admin/users/invite');
    await expectAccessible(page);
    await page.goto('/admin/account');
    await expectAccessible(page);
    await signOut(page);
  }
});

test('required two-factor sign-in sends users to set it up', async ({ page, browser }) => {
  const second = await newAccount(page, browser, 'admin');
  const publisher = await newAccount(page, browser, 'publisher');
  await signOut(page);
  await signIn(page, 'en', second);
  await enableTwoFactor(page);

  await page.goto('/admin/users');
  await page.getByLabel('Require two-factor sign-in for every user').check();
  await page.getByRole('button', { name: 'Save the setting' }).click();
  try {
    await expect(page.getByRole('status')).toContainText('The two-factor setting is saved');

    const other = await browser.newContext({ baseURL: BASE_URL });
    const userPage = await other.newPage();
    await fillPassword(userPage, publisher);
    await expect(userPage).toHaveURL(/\/admin\/account\/two-factor/);
    await expect(userPage.getByRole('status')).toContainText('An administrator requires two-factor sign-in');
    await expect(userPage.locator('.admin-nav')).toHaveCount(0);
    await userPage.goto('/admin/incidents/new');
    await expect(userPage).toHaveURL(/\/admin\/account\/two-factor/);
    await enableTwoFactor(userPage);
    await userPage.getByRole('link', { name: 'I have saved my recovery codes' }).click();
    await expect(userPage).toHaveURL(/\/admin\/?$/);
    await other.close();
  } finally {
    // Other tests sign in as an administrator without two-factor sign-in.
    await page.goto('/admin/users');
    await page.getByLabel('Require two-factor sign-in for every user').uncheck();
    await page.getByRole('button', { name: 'Save the setting' }).click();
    await expect(page.getByRole('status')).toContainText('The two-factor setting is saved');
  }
});
