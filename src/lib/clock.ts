// The server's notion of "now". Tests move it forward through a file so that the built
// server observes time passing (an update falling overdue, a window starting) without waiting.
import { readFileSync } from 'node:fs';

/**
 * Returns the current time, shifted by the number of milliseconds in the file named by
 * STATUS_CLOCK_OFFSET_FILE when that variable is set. Production leaves it unset.
 */
export function currentTime(): Date {
  const file = process.env.STATUS_CLOCK_OFFSET_FILE;
  if (!file) return new Date();
  let offset = 0;
  try {
    offset = Number(readFileSync(file, 'utf8').trim()) || 0;
  } catch {
    // No file yet means no offset.
  }
  return new Date(Date.now() + offset);
}
