// Pure status derivation: which status a service and the whole page show right now.
import { SERVICE_STATUSES, type Impact, type IncidentStatus, type ServiceStatus } from './vocabulary.ts';

export interface ImpactRecord {
  serviceId: number;
  impact: Impact;
  incidentStatus: IncidentStatus;
}

const rank = (status: ServiceStatus) => SERVICE_STATUSES.indexOf(status);

/** Returns the worst of the given statuses, or operational when there are none. */
export function worstStatus(statuses: Iterable<ServiceStatus>): ServiceStatus {
  let worst: ServiceStatus = 'operational';
  for (const status of statuses) if (rank(status) > rank(worst)) worst = status;
  return worst;
}

/**
 * Derives each service's current status from incident impacts and maintenance: the worst
 * impact among its open incidents wins, resolved incidents no longer count, and a service
 * in a window in progress is at least under maintenance.
 */
export function deriveServiceStatuses(
  serviceIds: readonly number[],
  impacts: readonly ImpactRecord[],
  underMaintenance: ReadonlySet<number> = new Set(),
): Map<number, ServiceStatus> {
  const statuses = new Map<number, ServiceStatus>(serviceIds.map((id) => [id, underMaintenance.has(id) ? 'under_maintenance' : 'operational']));
  for (const { serviceId, impact, incidentStatus } of impacts) {
    if (incidentStatus === 'resolved') continue;
    const current = statuses.get(serviceId);
    if (current === undefined) continue;
    statuses.set(serviceId, worstStatus([current, impact]));
  }
  return statuses;
}
