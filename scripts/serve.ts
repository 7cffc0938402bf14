// Starts the built server: applies migrations, logs the first-run setup link when no
// user exists, then hands over to Astro's standalone Node server.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { absoluteUrl, config } from '../src/lib/config.ts';
import { openDatabase } from '../src/lib/db/client.ts';
import { log } from '../src/lib/log.ts';
import { createSetupToken } from '../src/lib/services/users.ts';

const entry = resolve('dist/server/entry.mjs');
if (!existsSync(entry)) {
  log.fatal({ entry }, 'The server is not built. Run "npm run build" first, or use "npm start".');
  process.exit(1);
}

const { databasePath } = config();
const db = openDatabase(databasePath);
const token = createSetupToken(db);
db.$client.close();
log.info({ databasePath }, 'database ready');
if (token) {
  log.warn(
    { setupUrl: absoluteUrl(`/admin/setup?token=${token}`) },
    'No user exists yet. Open this one-time link to create the first administrator.',
  );
}

await import(pathToFileURL(entry).href);
