import type { Translate } from '../i18n.ts';

export function maintenanceLabels(t: Translate): Record<string, string> {
  return {
    titleEn: t('maintenanceAdmin.titleEn'),
    titleFr: t('maintenanceAdmin.titleFr'),
    services: t('maintenanceAdmin.services'),
    scheduledStart: t('maintenanceAdmin.scheduledStart'),
    scheduledEnd: t('maintenanceAdmin.scheduledEnd'),
    bodyEn: t('maintenanceAdmin.bodyEn'),
    bodyFr: t('maintenanceAdmin.bodyFr'),
  };
}
