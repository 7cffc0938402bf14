// Request handling shared by every admin page: language, session, sign-in guard, no caching.
import type { APIContext, MiddlewareNext } from 'astro';
import { config } from '../config.ts';
import { getDb } from '../db/client.ts';
import { translator } from '../i18n.ts';
import { isLanguage, type Language } from '../vocabulary.ts';
import { SESSION_MAX_AGE_MS, validateSession } from './sessions.ts';

export const SESSION_COOKIE = 'status_session';
export const ADMIN_LANGUAGE_COOKIE = 'status_admin_lang';

/** Admin paths reachable without signing in. */
const PUBLIC_ADMIN_PATHS = new Set(['/admin/login', '/admin/setup', '/admin/language']);

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Cookie options: Secure everywhere but a local development address. */
export function cookieOptions(maxAgeMs: number = SESSION_MAX_AGE_MS) {
  const { siteUrl } = config();
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: siteUrl.protocol === 'https:' || !LOOPBACK_HOSTS.has(siteUrl.hostname),
    path: '/admin',
    maxAge: Math.floor(maxAgeMs / 1000),
  };
}

function adminLanguage(context: APIContext): Language {
  const saved = context.cookies.get(ADMIN_LANGUAGE_COOKIE)?.value;
  if (isLanguage(saved)) return saved;
  const accepted = context.request.headers.get('accept-language') ?? '';
  const first = accepted.split(',')[0]?.trim().slice(0, 2).toLowerCase();
  return first === 'fr' ? 'fr' : 'en';
}

export async function handleAdminRequest(context: APIContext, next: MiddlewareNext): Promise<Response> {
  context.locals.lang = adminLanguage(context);
  context.locals.t = translator(context.locals.lang);

  const token = context.cookies.get(SESSION_COOKIE)?.value;
  const user = token ? validateSession(getDb(), token) : null;
  if (user) context.locals.user = user;

  const path = context.url.pathname.replace(/\/$/, '') || '/admin';
  let response: Response;
  if (!user && !PUBLIC_ADMIN_PATHS.has(path)) {
    const target = encodeURIComponent(context.url.pathname + context.url.search);
    response = context.redirect(`/admin/login?next=${target}`, 303);
  } else {
    response = await next();
  }
  response.headers.set('Cache-Control', 'no-store');
  return response;
}

/** Returns a safe place to go back to after signing in: an admin path on this site. */
export function safeAdminPath(value: string | null | undefined): string {
  if (!value || !value.startsWith('/admin') || value.startsWith('//') || value.includes('\\')) return '/admin';
  return value;
}
