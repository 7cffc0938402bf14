// Loads the sample services and incidents into the configured database (DATABASE_PATH),
// for a demonstration. It creates no user, so "npm start" then logs the setup link.
//   DATABASE_PATH=./data/demo.db npm run demo
// A database that already has data is left unchanged, and the script still exits with 0
// so that "npm run demo" goes on to start the server.
import { config } from '../src/lib/config.ts';
import { openDatabase } from '../src/lib/db/client.ts';
import { DatabaseNotEmptyError, loadSampleData } from '../src/lib/demo/sample-data.ts';

function main(): number {
  const { databasePath } = config();
  const db = openDatabase(databasePath);
  try {
    const loaded = loadSampleData(db);
    console.log(
      `Loaded sample data into ${databasePath}: ${loaded.services} services, ` +
        `${loaded.incidents} incidents (${loaded.openIncidents} open), ${loaded.updates} updates, ${loaded.maintenances} maintenance windows.`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof DatabaseNotEmptyError)) throw error;
    console.log(`No sample data loaded into ${databasePath}. ${error.message} The existing data is kept.`);
    return 0;
  } finally {
    db.$client.close();
  }
}

process.exitCode = main();
