// Applies pending migrations and logs the first-run setup link when no user exists yet.
// The start script runs this in a child process: loading drizzle-orm from source costs
// about 200 MB, which the server itself, using its bundled copy, does not need to keep.
import { absoluteUrl, config } from '../src/lib/config.ts';
import { openDatabase } from '../src/lib/db/client.ts';
import { log } from '../src/lib/log.ts';
import { createSetupToken } from '../src/lib/services/users.ts';

const { databasePath } = config();
const db = openDatabase(databasePath);
const token = createSetupToken(db);
db.$client.close();
log.info({ databasePath }, 'database ready');
if (token) {
  log.warn({ setupUrl: absoluteUrl(`/admin/setup?token=${token}`) }, 'No user exists yet. Open this one-time link to create the first administrator.');
}
