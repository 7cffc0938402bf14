// Field labels shared by the incident forms and their error summaries.
import type { Translate } from '../i18n.ts';

export function incidentLabels(t: Translate): Record<string, string> {
  return {
    titleEn: t('incidentForm.titleEn'),
    titleFr: t('incidentForm.titleFr'),
    severity: t('incident.severity'),
    status: t('incident.status'),
    impacts: t('incidentForm.impacts'),
    startedAt: t('incidentForm.startedAt'),
    detectedAt: t('incidentForm.detectedAt'),
    endedAt: t('incidentForm.endedAt'),
    bodyEn: t('incidentForm.bodyEn'),
    bodyFr: t('incidentForm.bodyFr'),
    postmortemUrlEn: t('incidentForm.postmortemUrlEn'),
    postmortemUrlFr: t('incidentForm.postmortemUrlFr'),
  };
}
