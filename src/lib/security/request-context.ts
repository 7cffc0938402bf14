// The id of the request being handled, kept in AsyncLocalStorage so that every log line
// written while handling it carries the id, wherever the logging call sits.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export interface RequestContext {
  requestId: string;
}

// The Astro bundle and scripts/serve.ts each load their own copy of this module, so the
// storage lives on globalThis for both to share.
const STORAGE_KEY = Symbol.for('status.requestContext');

function storage(): AsyncLocalStorage<RequestContext> {
  const global = globalThis as { [STORAGE_KEY]?: AsyncLocalStorage<RequestContext> };
  global[STORAGE_KEY] ??= new AsyncLocalStorage<RequestContext>();
  return global[STORAGE_KEY];
}

/** Creates a request id. Only the server creates ids, so an X-Request-Id sent by a client is ignored. */
export function newRequestId(): string {
  return randomUUID();
}

/** Runs `handle` with `requestId` as the current request's id, for it and all it awaits. */
export function runWithRequestId<T>(requestId: string, handle: () => T): T {
  return storage().run({ requestId }, handle);
}

/** Returns the id of the request being handled, or undefined outside a request. */
export function currentRequestId(): string | undefined {
  return storage().getStore()?.requestId;
}

/** Runs `handle` outside any request, so that what it logs carries no request id. */
export function runOutsideRequest<T>(handle: () => T): T {
  return storage().exit(handle);
}
