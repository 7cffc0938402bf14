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
 * Derives each service's current status from incident impacts: the worst impact among
 * its open incidents wins, and resolved incidents no longer count.
 */
export function deriveServiceStatuses(serviceIds: readonly number[], impacts: readonly ImpactRecord[]): Map<number, ServiceStatus> {
  const statuses = new Map<number, ServiceStatus>(serviceIds.map((id) => [id, 'operational']));
  for (const { serviceId, impact, incidentStatus } of impacts) {
    if (incidentStatus === 'resolved') continue;
    const current = statuses.get(serviceId);
    if (current === undefined) continue;
    statuses.set(serviceId, worstStatus([current, impact]));
  }
  return statuses;
}
