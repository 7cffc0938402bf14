// Helpers for the benchmark: a child server, wrk runs and their parsed figures.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

export async function waitForHttp(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not respond within ${timeoutMs} ms`);
}

/**
 * Heap limits of `npm run serve`. Without them V8 lets garbage grow the heap to about
 * 350 MB before collecting; with them the server stays near 170 MB under load.
 */
export const SERVER_NODE_FLAGS = ['--max-old-space-size=128', '--max-semi-space-size=4'];

export function startServer(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [...SERVER_NODE_FLAGS, 'scripts/serve.ts'], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

export function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

const toMs = (value: string, unit: string) => Number(value) * ({ us: 0.001, ms: 1, s: 1000 }[unit] ?? 1);

/** Runs wrk with 50 connections on two threads for the given seconds and parses its report. */
export function wrk(url: string, seconds: number, connections = 50): LoadResult {
  const result = spawnSync('wrk', ['-t2', `-c${connections}`, `-d${seconds}s`, '--latency', url], { encoding: 'utf8' });
  if (result.error) throw new Error(`wrk failed to start (install Debian's wrk package): ${result.error.message}`);
  const output = result.stdout;
  const latency = (percentile: string) => {
    const match = output.match(new RegExp(`\\s${percentile}%\\s+([\\d.]+)(us|ms|s)`));
    return match ? toMs(match[1]!, match[2]!) : Number.NaN;
  };
  const errors = [...output.matchAll(/(Non-2xx or 3xx responses|Socket errors): ([^\n]+)/g)].map((match) => match[2]!).join('; ');
  return {
    requestsPerSecond: Number(output.match(/Requests\/sec:\s+([\d.]+)/)?.[1] ?? Number.NaN),
    p50Ms: latency('50'),
    p99Ms: latency('99'),
    errors: errors ? Number(errors.match(/\d+/g)?.reduce((sum, value) => sum + Number(value), 0) ?? 0) : 0,
  };
}

/** Resident memory of a process in megabytes, from /proc. */
export function residentMb(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  const kilobytes = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1];
  return kilobytes ? Number(kilobytes) / 1024 : Number.NaN;
}

/** Mean time of `count` uncached renders, each with a fresh query string so the cache misses. */
export async function meanRenderMs(base: string, path: string, count = 30): Promise<number> {
  let total = 0;
  for (let index = 0; index < count; index += 1) {
    const separator = path.includes('?') ? '&' : '?';
    const started = performance.now();
    const response = await fetch(`${base}${path}${separator}render=${index}-${Math.random()}`);
    await response.arrayBuffer();
    total += performance.now() - started;
    if (!response.ok) throw new Error(`${path} returned HTTP ${response.status}`);
  }
  return total / count;
}
