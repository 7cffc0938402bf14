// Turns unsaved composer values into the public shape of an update, leniently, so that the
// preview shows what the reader would see even before every field is valid.
import { currentTime } from '../clock.ts';
import { config } from '../config.ts';
import type { FormValues } from '../forms.ts';
import type { PublicUpdate } from '../public/read-model.ts';
import { parseDateTimeLocal } from '../time.ts';
import { INCIDENT_STATUSES, USERS_AFFECTED_KINDS, type IncidentStatus, type Language, type UsersAffectedKind } from '../vocabulary.ts';

const field = (values: FormValues, name: string) => {
  const value = values[name];
  return typeof value === 'string' ? value.trim() : '';
};

const points = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*[-*•]\s*/, '').trim())
    .filter((line) => line !== '');

const dateOrNull = (text: string) => (text === '' ? null : (parseDateTimeLocal(text, config().timeZone) ?? null));

export function draftUpdate(values: FormValues, lang: Language): PublicUpdate {
  const suffix = lang === 'en' ? 'En' : 'Fr';
  const status = field(values, 'status');
  const kind = field(values, 'usersAffectedKind');
  const usersKind: UsersAffectedKind = (USERS_AFFECTED_KINDS as readonly string[]).includes(kind) ? (kind as UsersAffectedKind) : 'unknown';
  const count = Number(field(values, 'usersAffected').replace(/[\s\u00a0\u202f,]/g, ''));
  const hasCount = usersKind !== 'unknown' && field(values, 'usersAffected') !== '' && Number.isSafeInteger(count) && count >= 0;

  return {
    id: 0,
    kind: 'update',
    status: (INCIDENT_STATUSES as readonly string[]).includes(status) ? (status as IncidentStatus) : 'investigating',
    body: field(values, `summary${suffix}`),
    now: points(field(values, `now${suffix}`)),
    next: points(field(values, `next${suffix}`)),
    usersAffectedKind: hasCount ? usersKind : 'unknown',
    usersAffected: hasCount ? count : null,
    cause: field(values, 'causeKnown') === 'yes' ? field(values, `cause${suffix}`) || null : null,
    restorationAt: field(values, 'restorationKnown') === 'yes' ? dateOrNull(field(values, 'restorationAt')) : null,
    nextUpdateAt: dateOrNull(field(values, 'nextUpdateAt')),
    postedAt: currentTime(),
  };
}
