// Runs the built server (scripts/serve.ts) as a child process on a free loopback port,
// so that the export receives exactly the responses that the live site sends.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';

const HOST = '127.0.0.1';
/** Lines of the server's output kept to show when it fails. */
const OUTPUT_LINES = 40;

export interface BuiltServerOptions {
  /** Folder that contains scripts/serve.ts and dist/. */
  projectRoot: string;
  /** Environment of the server; HOST and PORT are set here. */
  env: NodeJS.ProcessEnv;
  /** How long to wait for the first response, in milliseconds. */
  readyTimeoutMs?: number;
  /** Stops the server and rejects while it is starting. */
  signal?: AbortSignal;
}

export interface BuiltServer {
  url: URL;
  /** The server's last lines of output, for error messages. */
  recentOutput(): string;
  /** Sends SIGTERM, then SIGKILL if the process has not ended within 5 seconds. */
  stop(): Promise<void>;
  /** Sends SIGKILL at once; safe to call from an "exit" handler, which cannot wait. */
  kill(): void;
}

/** Returns a TCP port on 127.0.0.1 that was free a moment ago. */
async function findFreePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, HOST);
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  await once(probe, 'close');
  if (address === null || typeof address === 'string') throw new Error('Could not find a free TCP port on 127.0.0.1.');
  return address.port;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Starts the built server and resolves once it responds to HTTP requests. Rejects with
 * the server's output when it exits or does not respond within `readyTimeoutMs`.
 */
export async function startBuiltServer(options: BuiltServerOptions): Promise<BuiltServer> {
  const port = await findFreePort();
  const url = new URL(`http://${HOST}:${port}/`);
  const child = spawn(process.execPath, [join(options.projectRoot, 'scripts/serve.ts')], {
    cwd: options.projectRoot,
    env: { ...options.env, HOST, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  const output: string[] = [];
  const keepOutput = (chunk: Buffer): void => {
    output.push(...chunk.toString('utf8').split('\n').filter((line) => line.trim() !== ''));
    output.splice(0, Math.max(0, output.length - OUTPUT_LINES));
  };
  child.stdout!.on('data', keepOutput);
  child.stderr!.on('data', keepOutput);
  const exit = once(child, 'exit');

  const server: BuiltServer = {
    url,
    recentOutput: () => output.join('\n'),
    kill: () => {
      if (!exited(child)) child.kill('SIGKILL');
    },
    stop: async () => {
      if (exited(child)) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exit;
      clearTimeout(timer);
    },
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (options.signal?.aborted) {
      await server.stop();
      options.signal.throwIfAborted();
    }
    if (exited(child)) {
      throw new Error(`The server exited with ${child.exitCode ?? child.signalCode} before it responded. Its output:\n${server.recentOutput()}`);
    }
    try {
      const response = await fetch(new URL('/robots.txt', url), { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      return server;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`The server did not respond at ${url} within ${options.readyTimeoutMs ?? 30_000} ms. Its output:\n${server.recentOutput()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
