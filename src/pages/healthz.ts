// Health check for load balancers and uptime monitors: 200 while the database responds to
// `select 1`, 503 when it does not or when the server is shutting down. The middleware keeps
// this path out of the public response cache, and Cache-Control keeps it out of others.
import type { APIRoute } from 'astro';
import { getDb } from '../lib/db/client.ts';
import { probeDatabase } from '../lib/security/health.ts';
import { isStopping } from '../lib/security/lifecycle.ts';

const HEADERS = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' };

// Monitors poll every few seconds, so a failure is logged when it starts and when it ends,
// not at every probe.
let failing = false;

function reply(status: number, body: { status: string }): Response {
  return new Response(JSON.stringify(body), { status, headers: HEADERS });
}

export const GET: APIRoute = ({ locals }) => {
  if (isStopping()) return reply(503, { status: 'stopping' });

  const health = probeDatabase(getDb);
  if (!health.ok) {
    if (!failing) locals.log.error({ err: health.error }, 'health check failed: the database did not respond to select 1');
    failing = true;
    return reply(503, { status: 'unavailable' });
  }
  if (failing) locals.log.info('health check passed again: the database responds');
  failing = false;
  return reply(200, { status: 'ok' });
};
