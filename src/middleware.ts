// Puts the request's language, translator and (on admin pages) signed-in user on `locals`.
import { defineMiddleware } from 'astro:middleware';
import { handleAdminRequest } from './lib/auth/admin-request.ts';
import { servePublicCached } from './lib/cache/public-cache-middleware.ts';
import { translator } from './lib/i18n.ts';
import { isLanguage } from './lib/vocabulary.ts';

export const onRequest = defineMiddleware(async (context, next) => {
  const { pathname } = context.url;
  if (pathname === '/admin' || pathname.startsWith('/admin/')) return handleAdminRequest(context, next);

  const segment = pathname.split('/')[1];
  context.locals.lang = isLanguage(segment) ? segment : 'en';
  context.locals.t = translator(context.locals.lang);
  return servePublicCached(context, next);
});
