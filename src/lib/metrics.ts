// Time to detect (TTD = detection − start of impact) and time to recover (TTR = end of
// impact − start), with their median and 90th percentile per group.

export interface IncidentTimes {
  startedAt: Date;
  detectedAt: Date;
  endedAt: Date | null;
}

export const timeToDetect = (incident: IncidentTimes): number => incident.detectedAt.getTime() - incident.startedAt.getTime();

/** Null while the incident is open. */
export const timeToRecover = (incident: IncidentTimes): number | null =>
  incident.endedAt === null ? null : incident.endedAt.getTime() - incident.startedAt.getTime();

/**
 * Returns the p-th percentile (0 to 100) by linear interpolation between closest ranks, the
 * method of numpy's default and of Excel's PERCENTILE.INC; undefined for no values.
 */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (rank - lower);
}

export interface GroupSummary {
  key: string;
  incidents: number;
  ttdMedian?: number | undefined;
  ttdP90?: number | undefined;
  /** Over resolved incidents only. */
  ttrMedian?: number | undefined;
  ttrP90?: number | undefined;
}

/** Summarizes incidents per group; an incident in several groups counts in each. */
export function summarizeByGroup<T extends IncidentTimes>(incidents: readonly T[], groupsOf: (incident: T) => readonly string[]): GroupSummary[] {
  const groups = new Map<string, T[]>();
  for (const incident of incidents) {
    for (const key of groupsOf(incident)) groups.set(key, [...(groups.get(key) ?? []), incident]);
  }
  return [...groups.entries()].map(([key, members]) => {
    const detect = members.map(timeToDetect);
    const recover = members.map(timeToRecover).filter((value): value is number => value !== null);
    return {
      key,
      incidents: members.length,
      ttdMedian: percentile(detect, 50),
      ttdP90: percentile(detect, 90),
      ttrMedian: percentile(recover, 50),
      ttrP90: percentile(recover, 90),
    };
  });
}
