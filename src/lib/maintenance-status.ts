// A maintenance window's status follows the clock, so no one has to start or end it by hand.
import type { MaintenanceStatus } from './vocabulary.ts';

export interface MaintenanceWindow {
  scheduledStart: Date;
  scheduledEnd: Date;
}

/**
 * Returns scheduled before the start, in_progress from the start until the end, and
 * completed from the end on. NOTE: `verifying` is part of the vocabulary but is never
 * derived, because a window has no manual verification step yet.
 */
export function maintenanceStatus(window: MaintenanceWindow, now: Date): MaintenanceStatus {
  if (now < window.scheduledStart) return 'scheduled';
  if (now < window.scheduledEnd) return 'in_progress';
  return 'completed';
}
