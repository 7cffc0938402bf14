// Daily uptime from incident impact windows. A day is a calendar day in the configured
// zone. A major outage counts as fully down, a partial outage as half down, and degraded
// performance as up (the day's text still names it). Maintenance never counts as downtime.
import { dayStart, nextIsoDate } from './calendar.ts';
import { worstStatus } from './status.ts';
import { formatIsoDate } from './time.ts';
import type { Impact } from './vocabulary.ts';

export const UPTIME_DAYS = 90;
const DOWNTIME_WEIGHT: Record<Impact, number> = { major_outage: 1, partial_outage: 0.5, degraded_performance: 0 };

export interface ImpactWindow {
  start: Date;
  /** Null while the incident is open. */
  end: Date | null;
  impact: Impact;
}

export interface UptimeDay {
  date: string;
  /** Percentage from 0 to 100, or null for a day before the service existed. */
  uptime: number | null;
  /** The worst impact during the day, if any. */
  worst?: Impact | undefined;
  /** Time under the worst impact that day, in milliseconds. */
  worstDuration: number;
}

/** Weighted downtime and the worst impact between `from` and `to`, with overlapping windows counted once. */
function measure(windows: readonly ImpactWindow[], from: number, to: number, now: number) {
  const clipped = windows
    .map((window) => ({ start: Math.max(window.start.getTime(), from), end: Math.min(window.end?.getTime() ?? now, to), impact: window.impact }))
    .filter((window) => window.end > window.start);
  const boundaries = [...new Set([from, to, ...clipped.flatMap((window) => [window.start, window.end])])].sort((a, b) => a - b);
  let downtime = 0;
  const timeByImpact = new Map<Impact, number>();
  for (let index = 0; index < boundaries.length - 1; index += 1) {
    const segmentStart = boundaries[index]!;
    const segmentEnd = boundaries[index + 1]!;
    const covering = clipped.filter((window) => window.start <= segmentStart && window.end >= segmentEnd).map((window) => window.impact);
    if (covering.length === 0) continue;
    const impact = worstStatus(covering) as Impact;
    downtime += (segmentEnd - segmentStart) * DOWNTIME_WEIGHT[impact];
    timeByImpact.set(impact, (timeByImpact.get(impact) ?? 0) + segmentEnd - segmentStart);
  }
  const worst = timeByImpact.size > 0 ? (worstStatus(timeByImpact.keys()) as Impact) : undefined;
  return { downtime, worst, worstDuration: worst ? timeByImpact.get(worst)! : 0 };
}

/** Computes the last `days` calendar days, oldest first, up to and including today. */
export function dailyUptime(windows: readonly ImpactWindow[], now: Date, timeZone: string, since: Date, days = UPTIME_DAYS): UptimeDay[] {
  const today = formatIsoDate(now, timeZone);
  let date = formatIsoDate(new Date(dayStart(today, timeZone).getTime() - (days - 1) * 86_400_000 + 12 * 3_600_000), timeZone);
  const result: UptimeDay[] = [];
  for (let count = 0; count < days; count += 1) {
    const from = dayStart(date, timeZone).getTime();
    const to = Math.min(dayStart(nextIsoDate(date), timeZone).getTime(), now.getTime());
    if (to <= since.getTime() || to <= from) {
      result.push({ date, uptime: null, worstDuration: 0 });
    } else {
      const start = Math.max(from, since.getTime());
      const { downtime, worst, worstDuration } = measure(windows, start, to, now.getTime());
      result.push({ date, uptime: 100 * (1 - downtime / (to - start)), worst, worstDuration });
    }
    date = nextIsoDate(date);
  }
  return result;
}

/** Uptime over the whole period, weighting each day by its length; null without data. */
export function periodUptime(windows: readonly ImpactWindow[], now: Date, since: Date, from: Date): number | null {
  const start = Math.max(from.getTime(), since.getTime());
  if (now.getTime() <= start) return null;
  return 100 * (1 - measure(windows, start, now.getTime(), now.getTime()).downtime / (now.getTime() - start));
}
