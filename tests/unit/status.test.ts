import { describe, expect, it } from 'vitest';
import { deriveServiceStatuses, worstStatus } from '../../src/lib/status.ts';

describe('worstStatus', () => {
  it('returns operational for no statuses', () => {
    expect(worstStatus([])).toBe('operational');
  });

  it('orders outages above degradation and maintenance', () => {
    expect(worstStatus(['degraded_performance', 'major_outage', 'partial_outage'])).toBe('major_outage');
    expect(worstStatus(['under_maintenance', 'degraded_performance'])).toBe('degraded_performance');
    expect(worstStatus(['operational', 'under_maintenance'])).toBe('under_maintenance');
  });
});

describe('deriveServiceStatuses', () => {
  it('marks services without incidents operational', () => {
    expect(deriveServiceStatuses([1, 2], [])).toEqual(new Map([[1, 'operational'], [2, 'operational']]));
  });

  it('lets the worst open impact win', () => {
    const statuses = deriveServiceStatuses(
      [1, 2],
      [
        { serviceId: 1, impact: 'degraded_performance', incidentStatus: 'investigating' },
        { serviceId: 1, impact: 'major_outage', incidentStatus: 'identified' },
        { serviceId: 1, impact: 'partial_outage', incidentStatus: 'monitoring' },
        { serviceId: 2, impact: 'partial_outage', incidentStatus: 'investigating' },
      ],
    );
    expect(statuses.get(1)).toBe('major_outage');
    expect(statuses.get(2)).toBe('partial_outage');
  });

  it('ignores resolved incidents', () => {
    const statuses = deriveServiceStatuses(
      [1],
      [
        { serviceId: 1, impact: 'major_outage', incidentStatus: 'resolved' },
        { serviceId: 1, impact: 'degraded_performance', incidentStatus: 'monitoring' },
      ],
    );
    expect(statuses.get(1)).toBe('degraded_performance');
  });

  it('marks services in a window in progress under maintenance', () => {
    const statuses = deriveServiceStatuses([1, 2], [{ serviceId: 2, impact: 'partial_outage', incidentStatus: 'investigating' }], new Set([1, 2]));
    expect(statuses.get(1)).toBe('under_maintenance');
    expect(statuses.get(2)).toBe('partial_outage');
  });

  it('ignores impacts on unknown services', () => {
    const statuses = deriveServiceStatuses([1], [{ serviceId: 9, impact: 'major_outage', incidentStatus: 'investigating' }]);
    expect([...statuses.keys()]).toEqual([1]);
  });
});
