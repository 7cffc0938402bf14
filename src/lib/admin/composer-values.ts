// Starting values of the composer's fact fields.
import { currentTime } from '../clock.ts';
import { config } from '../config.ts';
import { toDateTimeLocalValue } from '../time.ts';

// A starting point that the publisher adjusts: the next update 30 minutes from now.
const NEXT_UPDATE_DEFAULT_MS = 30 * 60_000;

export function composerDefaults(now = currentTime()): Record<string, string> {
  return {
    status: 'investigating',
    usersAffectedKind: 'unknown',
    causeKnown: 'no',
    restorationKnown: 'no',
    nextUpdateAt: toDateTimeLocalValue(new Date(now.getTime() + NEXT_UPDATE_DEFAULT_MS), config().timeZone),
  };
}
