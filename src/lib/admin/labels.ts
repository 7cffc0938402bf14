// Field labels shared by the incident forms and their error summaries. Each bilingual
// label names its language, so a message about a missing part says which one.
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
    summaryEn: t('composer.summaryEn'),
    summaryFr: t('composer.summaryFr'),
    nowEn: t('composer.nowEn'),
    nowFr: t('composer.nowFr'),
    nextEn: t('composer.nextEn'),
    nextFr: t('composer.nextFr'),
    usersAffectedKind: t('composer.usersAffectedKind'),
    usersAffected: t('composer.usersAffected'),
    causeKnown: t('composer.cause'),
    causeEn: t('composer.causeEn'),
    causeFr: t('composer.causeFr'),
    restorationKnown: t('composer.restoration'),
    restorationAt: t('composer.restorationAt'),
    nextUpdateAt: t('composer.nextUpdateAt'),
    noticeEn: t('incidentAdmin.noticeEn'),
    noticeFr: t('incidentAdmin.noticeFr'),
    postmortemUrlEn: t('incidentForm.postmortemUrlEn'),
    postmortemUrlFr: t('incidentForm.postmortemUrlFr'),
  };
}
