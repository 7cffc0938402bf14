// Shutdown coordination between scripts/serve.ts and the Astro bundle. The bundle owns the
// database connection, through its own copy of src/lib/db/client.ts, so it registers how
// to close it. The start script runs the registered hooks once the last request has finished.

interface Lifecycle {
  stopping: boolean;
  hooks: Map<string, () => void | Promise<void>>;
}

// Both module copies share this state through globalThis.
const LIFECYCLE_KEY = Symbol.for('status.lifecycle');

function lifecycle(): Lifecycle {
  const global = globalThis as { [LIFECYCLE_KEY]?: Lifecycle };
  global[LIFECYCLE_KEY] ??= { stopping: false, hooks: new Map() };
  return global[LIFECYCLE_KEY];
}

/** Registers `hook` to run at shutdown. A second registration under `name` replaces the first. */
export function onShutdown(name: string, hook: () => void | Promise<void>): void {
  lifecycle().hooks.set(name, hook);
}

/** Marks the process as stopping, so that the health check reports it to load balancers. */
export function markStopping(): void {
  lifecycle().stopping = true;
}

export function isStopping(): boolean {
  return lifecycle().stopping;
}

/**
 * Runs every shutdown hook once, in registration order. Returns the name and error of each
 * hook that failed; the others still run.
 */
export async function runShutdownHooks(): Promise<{ name: string; error: unknown }[]> {
  const failures: { name: string; error: unknown }[] = [];
  const hooks = [...lifecycle().hooks];
  lifecycle().hooks.clear();
  for (const [name, hook] of hooks) {
    try {
      await hook();
    } catch (error) {
      failures.push({ name, error });
    }
  }
  return failures;
}
