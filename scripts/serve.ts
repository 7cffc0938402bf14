// Starts the built server: prepares the database in a child process, then serves
// requests. Cached public responses are returned here, before
// Astro, so a repeated request costs no render, no query and no framework work.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { answer, isCacheablePath, lookup } from '../src/lib/cache/response-cache.ts';
import { currentTime } from '../src/lib/clock.ts';
import { config } from '../src/lib/config.ts';
import { log } from '../src/lib/log.ts';
import { isHttpsRequest, securityHeaders } from '../src/lib/security/headers.ts';
import { isStopping, markStopping, runShutdownHooks } from '../src/lib/security/lifecycle.ts';
import { newRequestId, runOutsideRequest, runWithRequestId } from '../src/lib/security/request-context.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * How long requests in flight may run after SIGTERM before their connections are closed.
 * `docker stop` sends SIGKILL 10 seconds after SIGTERM by default, Kubernetes 30 seconds.
 */
const SHUTDOWN_GRACE_MS = 8_000;

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

/** Sends the cached response, if any; returns false when Astro must handle the request. */
function serveFromCache(req: IncomingMessage, res: ServerResponse, baseHeaders: Record<string, string>): boolean {
  const url = req.url ?? '/';
  if ((req.method !== 'GET' && req.method !== 'HEAD') || !isCacheablePath(url.split('?')[0] ?? '/')) return false;
  const cached = lookup(url, currentTime().getTime());
  if (!cached) return false;
  const result = answer(cached, req.method, {
    ifNoneMatch: req.headers['if-none-match'],
    ifModifiedSince: req.headers['if-modified-since'],
    acceptEncoding: req.headers['accept-encoding'],
  });
  // Headers passed to writeHead need no setHeader calls beforehand, which Node would merge
  // one by one. The cached headers come last, so that a page's own Content-Security-Policy wins.
  res.writeHead(result.status, { ...baseHeaders, ...result.headers });
  res.end(result.body ?? undefined);
  return true;
}

const { siteUrl } = config();
const inFlight = new Set<ServerResponse>();

/**
 * Returns the headers every response gets, cached, static or rendered: the security headers
 * and the request id. Headers that Astro sets on its own response, such as a page's
 * Content-Security-Policy with style hashes, replace these when it writes them.
 */
function baseHeaders(req: IncomingMessage, requestId: string): Record<string, string> {
  const forwardedProto = req.headers['x-forwarded-proto'];
  const https = isHttpsRequest({ siteUrl, forwardedProto: Array.isArray(forwardedProto) ? forwardedProto[0] : forwardedProto, host: req.headers.host });
  const headers: Record<string, string> = { ...securityHeaders(https), 'x-request-id': requestId };
  if (isStopping()) headers.connection = 'close';
  return headers;
}

/** Logs server errors at the error level, and every other request at the debug level. */
function logResponse(req: IncomingMessage, res: ServerResponse, requestId: string, startedAt: number): void {
  const failed = res.writableFinished && res.statusCode >= 500;
  if (!failed && !log.isLevelEnabled('debug')) return;

  // The query string is left out because it can hold a secret, such as the setup token.
  const fields = { method: req.method, path: (req.url ?? '/').split('?')[0], status: res.statusCode, durationMs: Math.round(performance.now() - startedAt) };
  runWithRequestId(requestId, () => {
    if (failed) log.error(fields, 'request failed');
    else if (!res.writableFinished) log.debug(fields, 'request aborted before the response was sent');
    else log.debug(fields, 'request completed');
  });
}

// The standalone entry exports its request handler; we start the HTTP server ourselves.
process.env.ASTRO_NODE_AUTOSTART = 'disabled';
const { handler } = (await import(pathToFileURL(entry).href)) as { handler: Handler };
const host = process.env.HOST ?? 'localhost';
const port = Number(process.env.PORT ?? 4321);
const server = createServer((req, res) => {
  const requestId = newRequestId();
  const startedAt = performance.now();
  inFlight.add(res);
  res.once('close', () => {
    inFlight.delete(res);
    logResponse(req, res, requestId, startedAt);
    // While stopping, a keep-alive connection whose last request just ended has no more use.
    if (isStopping()) server.closeIdleConnections();
  });
  const headers = baseHeaders(req, requestId);
  if (serveFromCache(req, res, headers)) return;

  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  runWithRequestId(requestId, () => handler(req, res));
});
// Longer than the 60-second idle timeout of common load balancers, so that they, not we,
// close idle keep-alive connections.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.listen(port, host, () => {
  // PORT=0 lets the system choose a free port, so the log reports the one bound.
  const address = server.address();
  const boundPort = address && typeof address === 'object' ? address.port : port;
  log.info({ url: `http://${host}:${boundPort}`, node: process.version }, 'server listening');
});

/** Runs the shutdown hooks (closing the database) once no request is left, then exits. */
async function exitAfterShutdown(): Promise<void> {
  const failures = await runShutdownHooks();
  for (const failure of failures) log.error({ err: failure.error, step: failure.name }, 'shutdown step failed');
  const exitCode = failures.length === 0 ? 0 : 1;
  log.info({ exitCode }, 'server stopped');
  // pino writes asynchronously, and exiting during a write can drop or reorder the last lines.
  log.flush(() => process.exit(exitCode));
}

// SIGTERM and SIGINT let requests in flight finish, then close the server and the database
// and exit. New connections are refused from the signal on, and /healthz returns 503.
function stop(signal: NodeJS.Signals): void {
  if (isStopping()) return;
  markStopping();
  log.info({ signal, requestsInFlight: inFlight.size }, 'server stopping');
  for (const res of inFlight) {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  }
  // The last connection to close would otherwise lend its request id to the shutdown logs.
  server.close(() => runOutsideRequest(() => void exitAfterShutdown()));
  server.closeIdleConnections();
  setTimeout(() => {
    log.warn({ requestsInFlight: inFlight.size, graceMs: SHUTDOWN_GRACE_MS }, 'requests still in flight after the grace period; closing their connections');
    server.closeAllConnections();
  }, SHUTDOWN_GRACE_MS).unref();
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => stop(signal));
