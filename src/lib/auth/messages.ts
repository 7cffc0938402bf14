// Formatting helpers for the response to a rate-limited sign-in.
import { currentTime } from '../clock.ts';
import { config } from '../config.ts';
import { formatTime } from '../time.ts';
import type { Language } from '../vocabulary.ts';

/**
 * Formats the time when a limited sign-in may try again, rounded up to the minute so that
 * trying at the minute shown works: "3:46 p.m. EST" or "15 h 46 HNE".
 */
export function retryTimeText(retryAt: Date, lang: Language): string {
  const roundedUp = new Date(Math.ceil(retryAt.getTime() / 60_000) * 60_000);
  return formatTime(roundedUp, lang, config().timeZone);
}

/** Returns the Retry-After value in whole seconds, at least 1. */
export function retryAfterSeconds(retryAt: Date, now = currentTime()): number {
  return Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000));
}
