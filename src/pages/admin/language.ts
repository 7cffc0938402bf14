// Switches the admin area's language and returns to the same page.
import type { APIRoute } from 'astro';
import { ADMIN_LANGUAGE_COOKIE, cookieOptions, safeAdminPath } from '../../lib/auth/admin-request.ts';
import { isLanguage } from '../../lib/vocabulary.ts';

const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

export const GET: APIRoute = ({ url, cookies, redirect }) => {
  const lang = url.searchParams.get('lang');
  if (isLanguage(lang)) cookies.set(ADMIN_LANGUAGE_COOKIE, lang, cookieOptions(ONE_YEAR_MS));
  return redirect(safeAdminPath(url.searchParams.get('next')), 303);
};
