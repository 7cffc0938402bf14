import AxeBuilder from '@axe-core/playwright';
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { formatInTimeZone } from 'date-fns-tz';
import Parser from 'rss-parser';

export const ADMIN = { email: 'admin@example.gc.ca', password: 'a long admin passphrase' };
const ZONE = 'America/Toronto';

/** Value for a datetime-local field, some hours before now, in the server's zone. */
export function hoursAgo(hours: number): string {
  return formatInTimeZone(new Date(Date.now() - hours * 3_600_000), ZONE, "yyyy-MM-dd'T'HH:mm");
}

/** Returns a suffix that keeps names unique across tests sharing one database. */
export function unique(): string {
  return Math.random().toString(36).slice(2, 8);
}

export async function signIn(page: Page, lang: 'en' | 'fr' = 'en', account = ADMIN): Promise<void> {
  await page.goto(`/admin/language?lang=${lang}&next=/admin/login`);
  await page.locator('#field-email').fill(account.email);
  await page.locator('#field-password').fill(account.password);
  await page.locator('main form button[type=submit]:not([name=preview])').last().click();
  await expect(page).toHaveURL(/\/admin\/?$/);
}

/** Fails the test with the list of WCAG 2.1 A and AA violations on the page. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const summary = results.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  expect(summary).toEqual([]);
}

export interface FeedItem {
  title: string;
  link: string;
  /** RSS guid or Atom id. */
  guid: string;
  /** The HTML body, as parsed from the XML. */
  description: string;
  date: string;
  categories: string[];
}

/** Fetches a feed and parses it with rss-parser; fails on XML that is not well formed. */
export async function readFeed(request: APIRequestContext, path: string): Promise<{ language: string; title: string; items: FeedItem[] }> {
  const response = await request.get(path);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain(path.endsWith('atom.xml') ? 'application/atom+xml' : 'application/rss+xml');
  const xml = await response.text();
  const feed = await new Parser().parseString(xml);
  const language = xml.match(/<language>([^<]+)<\/language>|xml:lang="([^"]+)"/);
  return {
    language: language?.[1] ?? language?.[2] ?? '',
    title: feed.title ?? '',
    items: feed.items.map((item) => ({
      title: item.title ?? '',
      link: item.link ?? '',
      guid: String(item.guid ?? item.id ?? ''),
      description: item.content ?? item.summary ?? '',
      date: item.isoDate ?? '',
      categories: (item.categories ?? []).map((category: unknown) => (typeof category === 'string' ? category : String((category as { _: string; $?: { term?: string } })?.$?.term ?? (category as { _: string })._))),
    })),
  };
}

/** Moves the test server's clock forward by the given number of milliseconds (0 resets it). */
export function setClockOffset(milliseconds: number): void {
  writeFileSync(`tests/.tmp/e2e-${process.env.E2E_PORT ?? 4455}/clock-offset`, String(milliseconds));
}

/** Adds a service with a unique identifier and returns its name in each language. */
export async function addService(page: Page, prefix: string): Promise<{ en: string; fr: string }> {
  const suffix = unique();
  await page.goto('/admin/services/new');
  await page.locator('#field-slug').fill(`${prefix}-${suffix}`);
  await page.locator('#field-nameEn').fill(`${prefix} ${suffix}`);
  await page.locator('#field-nameFr').fill(`${prefix} ${suffix} (fr)`);
  await page.locator('main form button[type=submit]').click();
  await expect(page).toHaveURL(/saved=1/);
  return { en: `${prefix} ${suffix}`, fr: `${prefix} ${suffix} (fr)` };
}
