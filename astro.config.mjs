// @ts-check
import node from '@astrojs/node';
import { defineConfig } from 'astro/config';
import { CSP_DIRECTIVES } from './src/lib/security/csp.ts';

const siteUrl = new URL(process.env.SITE_URL ?? 'http://localhost:4321');

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  site: siteUrl.origin,
  trailingSlash: 'ignore',
  server: { host: process.env.HOST ?? 'localhost', port: Number(process.env.PORT ?? 4321) },
  security: {
    checkOrigin: true,
    // Hosts whose Host header may shape request URLs. The public address comes from
    // SITE_URL at build time; loopback names cover local runs and tests.
    allowedDomains: [{ hostname: siteUrl.hostname }, { hostname: 'localhost' }, { hostname: '127.0.0.1' }],
    // Pages rendered on demand get a Content-Security-Policy header: these directives, plus
    // `script-src 'self'` and `style-src 'self'` with the hash of each inline stylesheet.
    csp: { directives: [...CSP_DIRECTIVES] },
  },
  devToolbar: { enabled: false },
});
