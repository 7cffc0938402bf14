// Runtime settings, read from the environment when the process starts. They are read
// from process.env, not astro:env, so the same build serves any database or zone.
import { resolve } from 'node:path';

export interface Config {
  databasePath: string;
  siteUrl: URL;
  timeZone: string;
  production: boolean;
}

function readTimeZone(value: string | undefined): string {
  const zone = value?.trim() || 'America/Toronto';
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new Error(`STATUS_TIME_ZONE "${zone}" is not an IANA time zone; use a name such as America/Toronto.`);
  }
  return zone;
}

function readSiteUrl(value: string | undefined, env: NodeJS.ProcessEnv): URL {
  const raw = value?.trim() || `http://${env.HOST?.trim() || 'localhost'}:${env.PORT?.trim() || '4321'}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`SITE_URL "${raw}" is not a URL; use a full address such as https://status.example.ca.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`SITE_URL "${raw}" must start with http:// or https://.`);
  }
  return url;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    databasePath: resolve(env.DATABASE_PATH?.trim() || './data/status.db'),
    siteUrl: readSiteUrl(env.SITE_URL, env),
    timeZone: readTimeZone(env.STATUS_TIME_ZONE),
    production: env.NODE_ENV === 'production',
  };
}

let current: Config | undefined;

/** Returns the process-wide configuration, loading it on first use. */
export function config(): Config {
  current ??= loadConfig();
  return current;
}

/** Builds an absolute public URL from a site-relative path. */
export function absoluteUrl(path: string): string {
  return new URL(path, config().siteUrl).toString();
}
