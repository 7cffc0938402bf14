// Writes a consistent copy of the SQLite database while the server keeps running.
//   npm run db:backup -- --out backups/status-2026-12-04.db [--force] [--database PATH]
//
// SQLite's online backup API (through better-sqlite3's `backup`) copies every page in one
// step from a single read snapshot. In WAL mode a reader does not block the server's
// writes, and the copy contains every transaction committed before the snapshot and
// nothing after it. The copy is written to a temporary file next to --out and switched to a
// rollback journal, so it is one self-contained file. It is then checked with PRAGMA
// integrity_check, flushed to disk and only then given its final name, so an interrupted
// backup never leaves a partial file under that name.
import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { config } from '../src/lib/config.ts';

const usage = 'Usage: npm run db:backup -- --out FILE [--force] [--database PATH]\n' +
  '  --out FILE       where to write the copy; an existing file is kept unless --force is given\n' +
  '  --force          replace FILE if it exists\n' +
  '  --database PATH  database to copy (default: DATABASE_PATH, or ./data/status.db)';

// Tables counted in the summary, which shows the person running the backup what the copy contains.
const COUNTED_TABLES = ['services', 'incidents', 'incident_updates', 'maintenances', 'users', 'audit_log'];
// Pages per backup step. Large enough to copy a database of any realistic size in one
// step, which keeps the copy to one snapshot instead of restarting on concurrent writes.
const ALL_PAGES = 0x7fffffff;

interface Options {
  out: string;
  force: boolean;
  database: string;
}

/** Reads the command line. Returns the options, or the message to print with its exit code. */
function readOptions(): Options | { message: string; exitCode: number } {
  let values: { out?: string | undefined; force?: boolean | undefined; database?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({ options: { out: { type: 'string' }, force: { type: 'boolean' }, database: { type: 'string' }, help: { type: 'boolean' } } }));
  } catch (error) {
    return { message: `${(error as Error).message}\n${usage}`, exitCode: 2 };
  }
  if (values.help) return { message: usage, exitCode: 0 };
  if (!values.out?.trim()) return { message: `Missing --out FILE.\n${usage}`, exitCode: 2 };
  return { out: resolve(values.out.trim()), force: values.force ?? false, database: resolve(values.database?.trim() || config().databasePath) };
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Turns the copy into a single file (rollback journal instead of WAL, so no -wal or -shm
 * file belongs to it), checks it and counts its rows. Returns the integrity_check result
 * and the counts. The server switches a restored copy back to WAL when it opens it.
 */
function finishCopy(path: string): { integrity: string; counts: Record<string, number> } {
  const copy = new Database(path, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    const rows = copy.pragma('integrity_check') as { integrity_check: string }[];
    const integrity = rows.map((row) => row.integrity_check).join('; ');
    const existing = new Set((copy.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((row) => row.name));
    const counts: Record<string, number> = {};
    for (const table of COUNTED_TABLES) {
      if (existing.has(table)) counts[table] = (copy.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n;
    }
    return { integrity, counts };
  } finally {
    copy.close();
  }
}

/** Gives the finished copy its final name: never over an existing file unless forced. */
function publish(temporary: string, out: string, force: boolean): void {
  if (force) {
    renameSync(temporary, out);
    return;
  }
  // link() fails when the name exists, so a file created since the first check is kept.
  linkSync(temporary, out);
  rmSync(temporary);
}

async function main(): Promise<number> {
  const options = readOptions();
  if ('message' in options) {
    if (options.exitCode === 0) console.log(options.message);
    else console.error(options.message);
    return options.exitCode;
  }
  const { out, force, database } = options;
  if (!existsSync(database)) {
    console.error(`Database not found: ${database}. Set DATABASE_PATH or pass --database.`);
    return 1;
  }
  if (out === database || out === `${database}-wal` || out === `${database}-shm`) {
    console.error(`--out must not be the database itself: ${out}.`);
    return 2;
  }
  if (!existsSync(dirname(out))) {
    console.error(`Folder not found: ${dirname(out)}. Create it first.`);
    return 1;
  }
  if (existsSync(out) && !force) {
    console.error(`${out} already exists. Choose another file, or pass --force to replace it.`);
    return 1;
  }

  const temporary = resolve(dirname(out), `.${basename(out)}.partial-${process.pid}`);
  const started = performance.now();
  const source = new Database(database, { readonly: true, fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    await source.backup(temporary, { progress: () => ALL_PAGES });
  } catch (error) {
    rmSync(temporary, { force: true });
    console.error(`Backup of ${database} failed: ${(error as Error).message}`);
    return 1;
  } finally {
    source.close();
  }

  const { integrity, counts } = finishCopy(temporary);
  if (integrity !== 'ok') {
    rmSync(temporary, { force: true });
    console.error(`The copy failed PRAGMA integrity_check (${integrity}); nothing was written to ${out}.`);
    return 1;
  }
  fsyncPath(temporary);
  try {
    publish(temporary, out, force);
  } catch (error) {
    rmSync(temporary, { force: true });
    console.error(`Could not write ${out}: ${(error as Error).message}`);
    return 1;
  }
  fsyncPath(dirname(out));

  const elapsed = Math.round(performance.now() - started);
  const rows = Object.entries(counts).map(([table, count]) => `${table} ${count}`).join(', ');
  console.log(`Wrote ${out} (${statSync(out).size} bytes) from ${database} in ${elapsed} ms.`);
  console.log(`integrity_check: ok. Rows: ${rows}.`);
  return 0;
}

process.exitCode = await main();
