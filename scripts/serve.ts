// Starts the built server: prepares the database in a child process, then serves
// requests. Cached public responses are answered here, before
// Astro, so a repeated request costs no render, no query and no framework work.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { answer, isCacheablePath, lookup } from '../src/lib/cache/response-cache.ts';
import { currentTime } from '../src/lib/clock.ts';
import { log } from '../src/lib/log.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const entry = resolve('dist/server/entry.mjs');
if (!existsSync(entry)) {
  log.fatal({ entry }, 'The server is not built. Run "npm run build" first, or use "npm start".');
  process.exit(1);
}

const prepared = spawnSync(process.execPath, ['scripts/prepare-database.ts'], { stdio: 'inherit' });
if (prepared.status !== 0) {
  log.fatal({ status: prepared.status }, 'The database could not be prepared; see the error above.');
  process.exit(1);
}

/** Answers from the response cache; returns false when Astro must handle the request. */
function serveFromCache(req: IncomingMessage, res: ServerResponse): boolean {
  const url = req.url ?? '/';
  if ((req.method !== 'GET' && req.method !== 'HEAD') || !isCacheablePath(url.split('?')[0] ?? '/')) return false;
  const cached = lookup(url, currentTime().getTime());
  if (!cached) return false;
  const result = answer(cached, req.method, {
    ifNoneMatch: req.headers['if-none-match'],
    ifModifiedSince: req.headers['if-modified-since'],
    acceptEncoding: req.headers['accept-encoding'],
  });
  res.writeHead(result.status, result.headers);
  res.end(result.body ?? undefined);
  return true;
}

// The standalone entry exports its request handler; we start the HTTP server ourselves.
process.env.ASTRO_NODE_AUTOSTART = 'disabled';
const { handler } = (await import(pathToFileURL(entry).href)) as { handler: Handler };
const host = process.env.HOST ?? 'localhost';
const port = Number(process.env.PORT ?? 4321);
const server = createServer((req, res) => {
  if (!serveFromCache(req, res)) handler(req, res);
});
// Longer than the 60-second idle timeout of common load balancers, so that they, not we,
// close idle keep-alive connections.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.listen(port, host, () => log.info({ url: `http://${host}:${port}` }, 'server listening'));

// SIGTERM and SIGINT let requests in flight finish, then close the server and exit.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'server stopping');
    server.close(() => {
      log.info('server stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
  });
}
