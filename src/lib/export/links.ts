// Link extraction and URL-to-file mapping for the static export. A static host serves
// `/x/` and `/x` from `x/index.html`, so every page is written as an index.html file.
import { apiBasePath, badgePath, feedPath, homePath } from '../paths.ts';
import { LANGUAGES, isLanguage } from '../vocabulary.ts';

/** Returns whether a path is /admin or below it. The export never contains such paths. */
export function isAdminPath(pathname: string): boolean {
  return pathname === '/admin' || pathname.startsWith('/admin/');
}

/**
 * Returns the key under which the crawler tracks a path: `/en/` and `/en` name the same
 * page, so the trailing slash is dropped everywhere except on the root.
 */
export function pathKey(pathname: string): string {
  return pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
}

const EXTENSION = /\.[A-Za-z0-9]+$/;

/**
 * Returns the file, relative to the output folder, that a static host serves for a URL
 * path: HTML responses go to `path/index.html` (unless the path already ends in .html),
 * other responses to the path itself.
 * Throws for a path that no file can represent. That is a segment that decodes to "." or
 * ".." or contains a slash. It is also a response other than HTML at a path without a
 * file extension, because a static host picks the content type by the extension.
 */
export function outputFileFor(pathname: string, contentType: string): string {
  const segments = pathname
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => {
      const decoded = decodeURIComponent(segment);
      if (decoded === '.' || decoded === '..' || /[/\\\0]/.test(decoded)) {
        throw new Error(`The path ${pathname} has a segment that cannot be a file name: "${decoded}".`);
      }
      return decoded;
    });
  const last = segments.at(-1) ?? '';
  const isHtml = contentType.split(';')[0]!.trim().toLowerCase() === 'text/html';

  if (isHtml) {
    if (!pathname.endsWith('/') && /\.html?$/i.test(last)) return segments.join('/');
    return [...segments, 'index.html'].join('/');
  }
  if (pathname.endsWith('/') || !EXTENSION.test(last)) {
    throw new Error(
      `The path ${pathname} returned ${contentType || 'no content type'} but has no file extension, so a static host could not serve it with that type.`,
    );
  }
  return segments.join('/');
}

/**
 * Resolves a link against the page it was found on and returns its path when it points
 * into the site. That is the page's own origin or one of `siteOrigins`, the public
 * address that absolute links in pages and feeds use. Returns undefined for other hosts,
 * for other schemes (mailto:, data:, …) and for links to the page itself by fragment.
 * NOTE: the query string is dropped, because a static host serves the same file
 * whatever the query. The public pages link to no URL with a query string.
 */
export function internalPath(link: string, base: URL, siteOrigins: readonly string[]): string | undefined {
  const trimmed = link.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return undefined;
  let url: URL;
  try {
    url = new URL(trimmed, base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.origin !== base.origin && !siteOrigins.includes(url.origin)) return undefined;
  return url.pathname;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the character references that can appear in an attribute or XML text. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

// Comments and the bodies of script and style elements, whose text is not markup.
const NON_MARKUP = /<!--[\s\S]*?-->|<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
// A start tag, with quoted attribute values that may contain ">".
const START_TAG = /<[a-zA-Z][^\s/>]*(?:"[^"]*"|'[^']*'|[^'">])*>/g;
const URL_ATTRIBUTE = /\s(href|src|srcset|poster)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/gi;

/** Returns the raw values of the href, src, srcset and poster attributes in an HTML document. */
export function htmlLinks(html: string): string[] {
  const links: string[] = [];
  const markup = html.replace(NON_MARKUP, (whole, element: string | undefined) => (element ? whole.slice(0, whole.indexOf('>') + 1) : ''));
  for (const tag of markup.matchAll(START_TAG)) {
    for (const attribute of tag[0].matchAll(URL_ATTRIBUTE)) {
      const value = decodeEntities(attribute[2] ?? attribute[3] ?? attribute[4] ?? '');
      if (attribute[1]!.toLowerCase() === 'srcset') {
        // Candidates are "url descriptor" pairs separated by commas.
        for (const candidate of value.split(',')) {
          const url = candidate.trim().split(/\s+/)[0];
          if (url) links.push(url);
        }
      } else {
        links.push(value);
      }
    }
  }
  return links;
}

/**
 * Returns the absolute http(s) URLs in a text document such as a feed, the sitemap or
 * robots.txt, with XML character references decoded.
 */
export function textLinks(text: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s"'<>\]]+/g)].map((match) => decodeEntities(match[0]));
}

/** Returns every string value in a parsed JSON document that is an absolute http(s) URL. */
export function jsonLinks(value: unknown): string[] {
  if (typeof value === 'string') return /^https?:\/\//.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(jsonLinks);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(jsonLinks);
  return [];
}

/**
 * The JSON API's endpoints, as STATUSPAGE_ENDPOINTS in public/statuspage-api.ts lists
 * them; a unit test keeps the two lists equal. That module cannot be imported here,
 * because its translations load through Vite's import.meta.glob, which plain Node lacks.
 */
export const API_ENDPOINTS = [
  'summary.json',
  'status.json',
  'components.json',
  'incidents.json',
  'incidents/unresolved.json',
  'scheduled-maintenances.json',
  'scheduled-maintenances/upcoming.json',
  'scheduled-maintenances/active.json',
] as const;

/**
 * Returns the public URLs that no page links to but the export must contain: the
 * splash page, sitemap and robots.txt, each language's feeds and badge, and every JSON
 * API endpoint under /api/v2, /en/api/v2 and /fr/api/v2. Pages, service feeds and
 * service badges are found from the sitemap and the links in pages.
 */
export function fixedPaths(): string[] {
  const paths = ['/', '/sitemap.xml', '/robots.txt'];
  for (const endpoint of API_ENDPOINTS) paths.push(`${apiBasePath()}/${endpoint}`);
  for (const lang of LANGUAGES) {
    paths.push(homePath(lang), feedPath(lang, 'rss'), feedPath(lang, 'atom'), badgePath(lang));
    for (const endpoint of API_ENDPOINTS) paths.push(`${apiBasePath(lang)}/${endpoint}`);
  }
  return paths;
}

const SERVICE_PAGE = /^\/([a-z]{2})\/services\/([^/]+)\/?$/;

/** Returns the feeds and badge of a service when `pathname` is that service's page. */
export function servicePagePaths(pathname: string): string[] {
  const match = SERVICE_PAGE.exec(pathname);
  const lang = match?.[1];
  const slug = match?.[2];
  if (!isLanguage(lang) || !slug) return [];
  return [feedPath(lang, 'rss', slug), feedPath(lang, 'atom', slug), badgePath(lang, slug)];
}
