// Request handling shared by every admin page: language, session, sign-in guard, no caching.
import type { APIContext, AstroCookies, MiddlewareNext } from 'astro';
import { config } from '../config.ts';
import { getDb } from '../db/client.ts';
import { translator } from '../i18n.ts';
import { isTwoFactorRequired } from '../services/settings.ts';
import { isLanguage, type Language } from '../vocabulary.ts';
import { SESSION_MAX_AGE_MS, validateSession, type SessionUser, type ValidSession } from './sessions.ts';

export const SESSION_COOKIE = 'status_session';
export const ADMIN_LANGUAGE_COOKIE = 'status_admin_lang';
/** Path of the page for the second factor, after the password. */
export const TWO_FACTOR_SIGN_IN_PATH = '/admin/login/two-factor';
/** Path of the page for setting up an authenticator app. */
export const TWO_FACTOR_SETUP_PATH = '/admin/account/two-factor';

/** Admin paths reachable at any stage of signing in, or without signing in. */
const PUBLIC_ADMIN_PATHS = new Set(['/admin/login', '/admin/logout', '/admin/setup', '/admin/language', '/admin/invitation']);

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Stage of a request's session. "second-factor" means the password is accepted but the
 * code is not yet entered. "two-factor-setup" means the user must set up two-factor
 * sign-in, which an administrator requires, before anything else.
 */
export type SessionStage = 'none' | 'second-factor' | 'two-factor-setup' | 'complete';

export interface AdminSession {
  token: string;
  user: SessionUser;
  stage: Exclude<SessionStage, 'none'>;
}

// The session of each request, including an incomplete one, which `locals.user` leaves out.
const sessionsByRequest = new WeakMap<App.Locals, AdminSession>();

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

/** Puts a session token in the cookie. */
export function setSessionCookie(cookies: AstroCookies, token: string): void {
  cookies.set(SESSION_COOKIE, token, cookieOptions());
}

function adminLanguage(context: APIContext): Language {
  const saved = context.cookies.get(ADMIN_LANGUAGE_COOKIE)?.value;
  if (isLanguage(saved)) return saved;
  const accepted = context.request.headers.get('accept-language') ?? '';
  const first = accepted.split(',')[0]?.trim().slice(0, 2).toLowerCase();
  return first === 'fr' ? 'fr' : 'en';
}

export function sessionStage(session: ValidSession | null, twoFactorRequired: () => boolean): SessionStage {
  if (!session) return 'none';
  if (!session.twoFactorPassed) return 'second-factor';
  if (!session.user.twoFactorEnabled && twoFactorRequired()) return 'two-factor-setup';
  return 'complete';
}

/** Returns where a request at this stage must go instead of the path, or null to serve it. */
export function redirectForStage(stage: SessionStage, path: string, pathAndQuery: string): string | null {
  if (PUBLIC_ADMIN_PATHS.has(path)) return null;
  const next = encodeURIComponent(pathAndQuery);
  switch (stage) {
    case 'none':
      return `/admin/login?next=${next}`;
    case 'second-factor':
      return path === TWO_FACTOR_SIGN_IN_PATH ? null : `${TWO_FACTOR_SIGN_IN_PATH}?next=${next}`;
    case 'two-factor-setup':
      return path === TWO_FACTOR_SETUP_PATH ? null : TWO_FACTOR_SETUP_PATH;
    case 'complete':
      return null;
  }
}

/**
 * Returns the request's session at any stage, for the pages that serve a session before
 * it is complete (the second factor and two-factor setup).
 */
export function adminSession(locals: App.Locals): AdminSession | undefined {
  return sessionsByRequest.get(locals);
}

export async function handleAdminRequest(context: APIContext, next: MiddlewareNext): Promise<Response> {
  context.locals.lang = adminLanguage(context);
  context.locals.t = translator(context.locals.lang);

  const db = getDb();
  const token = context.cookies.get(SESSION_COOKIE)?.value;
  const session = token ? validateSession(db, token) : null;
  if (token && !session) context.cookies.delete(SESSION_COOKIE, { path: cookieOptions().path });

  const stage = sessionStage(session, () => isTwoFactorRequired(db));
  if (token && session && stage !== 'none') sessionsByRequest.set(context.locals, { token, user: session.user, stage });
  if (session && stage === 'complete') context.locals.user = session.user;

  const path = context.url.pathname.replace(/\/$/, '') || '/admin';
  const target = redirectForStage(stage, path, context.url.pathname + context.url.search);
  const response = target ? context.redirect(target, 303) : await next();
  response.headers.set('Cache-Control', 'no-store');
  return response;
}

/** Returns a safe place to go back to after signing in: an admin path on this site. */
export function safeAdminPath(value: string | null | undefined): string {
  if (!value || !value.startsWith('/admin') || value.startsWith('//') || value.includes('\\')) return '/admin';
  return value;
}
