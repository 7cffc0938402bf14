// Role permissions. Every service function checks them before it writes.
import { ForbiddenError } from '../errors.ts';
import type { Role } from '../vocabulary.ts';

export interface Actor {
  /** Null for actions taken from the command line. */
  id: number | null;
  email: string;
  role: Role;
}

const PERMISSIONS = {
  'services.write': ['admin'],
  'incidents.write': ['admin', 'publisher'],
  'users.read': ['admin'],
  'users.write': ['admin'],
  'settings.write': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export function requirePermission(actor: Actor, permission: Permission): void {
  if (!can(actor.role, permission)) throw new ForbiddenError(permission);
}
