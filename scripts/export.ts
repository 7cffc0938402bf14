// Writes the public site as static files that any static host or CDN serves unchanged:
//   SITE_URL=https://status.example.ca npm run export -- --out ./static-site
// It starts the built server on a loopback port against DATABASE_PATH, fetches every
// public page, feed, badge and API document, and copies the static assets from dist/client.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/lib/config.ts';
import { copyStaticAssets } from '../src/lib/export/assets.ts';
import { crawl, type CrawlFailure, type CrawlProgress } from '../src/lib/export/crawl.ts';
import { fixedPaths } from '../src/lib/export/links.ts';
import { startBuiltServer, type BuiltServer } from '../src/lib/export/server.ts';

const USAGE = `Usage: npm run export -- --out DIR [--site-url URL]

Writes the public site (both languages, every page, feed, badge, JSON API document,
the sitemap, robots.txt and the static assets) as files into DIR.

Options:
  --out DIR         folder to write; it is created, and must be empty if it exists
  --site-url URL    public address where DIR will be served, such as
                    https://status.example.ca (default: SITE_URL); feeds, the sitemap
                    and canonical links contain it
  -h, --help        show this help

Environment: DATABASE_PATH (default ./data/status.db), SITE_URL, STATUS_TIME_ZONE.
The server must be built first with "npm run build".
Exits with 0 on success, 2 for invalid options and 1 when the export fails.`;

/** Maximum number of failures listed one per line; the rest are only counted. */
const MAX_LISTED_FAILURES = 50;

class UsageError extends Error {}

interface Settings {
  outDir: string;
  siteUrl: URL;
  databasePath: string;
  projectRoot: string;
}

function readSettings(argv: string[], env: NodeJS.ProcessEnv): Settings | 'help' {
  let values: { out?: string; 'site-url'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { out: { type: 'string' }, 'site-url': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  if (!values.out?.trim()) throw new UsageError('Missing --out DIR: the folder to write the static site to.');

  const outDir = resolve(values.out);
  if (existsSync(outDir)) {
    if (!statSync(outDir).isDirectory()) throw new UsageError(`--out ${outDir} is a file, not a folder.`);
    if (readdirSync(outDir).length > 0) {
      throw new UsageError(`--out ${outDir} is not empty. Remove it or choose a new folder, so that no file of an older export stays behind.`);
    }
  }

  const projectRoot = fileURLToPath(new URL('..', import.meta.url));
  const entry = join(projectRoot, 'dist/server/entry.mjs');
  if (!existsSync(entry) || !existsSync(join(projectRoot, 'dist/client'))) {
    throw new Error(`The server is not built: ${entry} is missing. Run "npm run build" first.`);
  }

  const siteUrlValue = values['site-url']?.trim() || env.SITE_URL?.trim();
  if (!siteUrlValue) {
    throw new UsageError(
      'Missing the public address: set SITE_URL or pass --site-url, such as https://status.example.ca. Feeds, the sitemap and canonical links contain it.',
    );
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({ ...env, SITE_URL: siteUrlValue });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { siteUrl, databasePath } = config;
  if (siteUrl.pathname !== '/' || siteUrl.search !== '' || siteUrl.hash !== '') {
    throw new UsageError(`The public address ${siteUrlValue} must be a site root such as https://status.example.ca, because pages link to paths such as /en/.`);
  }
  if (!existsSync(databasePath)) {
    throw new Error(`The database ${databasePath} does not exist. Set DATABASE_PATH to the status page's database file.`);
  }
  return { outDir, siteUrl, databasePath, projectRoot };
}

/** Reports progress on one updating line on a terminal, and as a line every 50 URLs otherwise. */
function progressReporter(stream: NodeJS.WriteStream): { update(progress: CrawlProgress): void; end(): void } {
  let lastLine = '';
  let lastWrite = 0;
  return {
    update({ done, total, path }) {
      lastLine = `exported ${done}/${total} ${path}`;
      if (stream.isTTY) {
        // At most ten redraws a second, plus the final count.
        const now = Date.now();
        if (now - lastWrite < 100 && done !== total) return;
        lastWrite = now;
        const columns = stream.columns > 0 ? stream.columns : 80;
        stream.write(`\r\x1b[2K${lastLine.slice(0, Math.max(20, columns - 1))}`);
      } else if (done % 50 === 0 || done === total) {
        stream.write(`${lastLine}\n`);
      }
    },
    end() {
      if (stream.isTTY && lastLine !== '') stream.write('\n');
    },
  };
}

function describeFailures(failures: CrawlFailure[]): string {
  const lines = failures
    .slice(0, MAX_LISTED_FAILURES)
    .map((failure) => `  ${failure.path}: ${failure.reason} (found on ${failure.foundOn})`);
  if (failures.length > MAX_LISTED_FAILURES) lines.push(`  … and ${failures.length - MAX_LISTED_FAILURES} more`);
  return lines.join('\n');
}

/** Moves the finished export from the staging folder to the requested one. */
function publish(stagingDir: string, outDir: string): void {
  if (existsSync(outDir)) rmdirSync(outDir); // readSettings checked that it is empty
  renameSync(stagingDir, outDir);
}

async function exportSite(settings: Settings, signal: AbortSignal, onServer: (server: BuiltServer) => void): Promise<number> {
  const { outDir, siteUrl, databasePath, projectRoot } = settings;
  // Files go to a sibling folder first, so a failed or interrupted export leaves no partial site in outDir.
  const stagingDir = join(dirname(outDir), `.${basename(outDir)}.partial-${process.pid}`);
  mkdirSync(stagingDir, { recursive: true });
  let server: BuiltServer | undefined;

  try {
    console.error(`Exporting ${siteUrl.origin} from ${databasePath} into ${outDir}`);
    server = await startBuiltServer({
      projectRoot,
      // Errors only, so the output shown on failure is short and contains no first-run setup link.
      env: { ...process.env, SITE_URL: siteUrl.origin, DATABASE_PATH: databasePath, LOG_LEVEL: 'error' },
      signal,
    });
    onServer(server);

    const assets = await copyStaticAssets(join(projectRoot, 'dist/client'), stagingDir);
    signal.throwIfAborted();
    console.error(`copied ${assets.size} static assets from dist/client`);

    const progress = progressReporter(process.stderr);
    const result = await crawl({
      serverUrl: server.url,
      siteOrigin: siteUrl.origin,
      outDir: stagingDir,
      startPaths: fixedPaths(),
      // Static hosts serve 404.html for a missing path. Some, such as Cloudflare Pages, use
      // the closest 404.html up the folder tree, so paths under /fr/ get the French page.
      notFoundPages: [
        { path: '/404', file: '404.html' },
        { path: '/fr/404', file: 'fr/404.html' },
      ],
      existingPaths: assets,
      signal,
      onProgress: (update) => progress.update(update),
    });
    progress.end();

    if (result.failures.length > 0) {
      // A 4xx or a redirect is a deliberate response. Other failures may be server errors, so the server's output is shown.
      const serverFault = result.failures.some((failure) => !/^(returned HTTP 4\d\d|redirects )/.test(failure.reason));
      const serverOutput = serverFault ? server.recentOutput() : '';
      console.error(
        `Export failed: ${result.failures.length} URL(s) did not return the expected response, so ${outDir} was not written:\n` +
          describeFailures(result.failures) +
          (serverOutput ? `\nServer output:\n${serverOutput}` : ''),
      );
      return 1;
    }

    await server.stop();
    publish(stagingDir, outDir);
    console.log(`Exported ${result.files.length} pages and documents and ${assets.size} static assets to ${outDir}`);
    return 0;
  } finally {
    await server?.stop();
    rmSync(stagingDir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  let settings: Settings | 'help';
  try {
    settings = readSettings(process.argv.slice(2), process.env);
  } catch (error) {
    console.error((error as Error).message);
    if (error instanceof UsageError) {
      console.error('Run "npm run export -- --help" for the options.');
      return 2;
    }
    return 1;
  }
  if (settings === 'help') {
    console.log(USAGE);
    return 0;
  }

  const controller = new AbortController();
  let server: BuiltServer | undefined;
  let interruptedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    // A second signal ends the process at once; the "exit" handler still kills the server.
    if (interruptedBy) process.exit(signal === 'SIGINT' ? 130 : 143);
    interruptedBy = signal;
    controller.abort(new Error(`Interrupted by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', () => server?.kill());

  try {
    return await exportSite(settings, controller.signal, (started) => (server = started));
  } catch (error) {
    if (interruptedBy) {
      console.error(`\nExport interrupted by ${interruptedBy}; nothing was written to ${settings.outDir}.`);
      return interruptedBy === 'SIGINT' ? 130 : 143;
    }
    console.error(`Export failed: ${(error as Error).message}`);
    return 1;
  }
}

process.exitCode = await main();
