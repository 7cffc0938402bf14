import { currentTime } from '../clock.ts';
import type { Db } from '../db/client.ts';
import { invalidatePublicCache } from '../cache/response-cache.ts';
import { auditLog } from '../db/schema.ts';
import type { Actor } from './permissions.ts';

type Transaction = Parameters<Parameters<Db['transaction']>[0]>[0];
export type { Transaction };

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | number | null;
  detail?: Record<string, unknown>;
}

/**
 * Records a write in the audit log, inside the caller's transaction, and drops the cached
 * public responses. better-sqlite3 runs the transaction synchronously, so no request can
 * refill the cache with old data before it commits.
 */
export function recordAudit(tx: Transaction, actor: Actor, entry: AuditEntry, at = currentTime()): void {
  invalidatePublicCache();
  tx.insert(auditLog)
    .values({
      at,
      userId: actor.id,
      actor: actor.email,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId == null ? null : String(entry.entityId),
      detail: entry.detail ?? null,
    })
    .run();
}
