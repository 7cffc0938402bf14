// The structured content of a public update: a summary, points and language-neutral facts,
// checked against the communication handbook before anything is published.
import { z } from 'zod';
import { config } from '../config.ts';
import type { FieldErrors } from '../errors.ts';
import { parseDateTimeLocal } from '../time.ts';
import { USERS_AFFECTED_KINDS, type UsersAffectedKind } from '../vocabulary.ts';
import { collectFields, optionalText } from './validation.ts';

/** Character budgets of the public parts; the composer shows them and the server enforces them. */
export const BUDGETS = { summary: 280, point: 140, cause: 280, notice: 500 } as const;
export const MAX_POINTS = 4;

/** Reads one point per non-empty line; checks the count and each point's length. */
const points = optionalText(MAX_POINTS * (BUDGETS.point + 2) + 200).transform((value, context) => {
  const lines = value
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*[-*•]\s*/, '').trim())
    .filter((line) => line !== '');
  if (lines.length > MAX_POINTS) context.addIssue({ code: 'custom', message: 'errors.tooManyPoints' });
  if (lines.some((line) => line.length > BUDGETS.point)) context.addIssue({ code: 'custom', message: 'errors.pointTooLong' });
  return lines;
});

const summary = z.string('errors.required').trim().min(1, 'errors.required').max(BUDGETS.summary, 'errors.tooLong');
const yesNo = z.enum(['yes', 'no'], 'errors.chooseOne');
const optionalDateTime = optionalText(40);

const contentShape = {
  summaryEn: summary,
  summaryFr: summary,
  nowEn: points,
  nowFr: points,
  nextEn: points,
  nextFr: points,
  usersAffectedKind: z.enum(USERS_AFFECTED_KINDS, 'errors.chooseOne'),
  usersAffected: optionalText(12),
  causeKnown: yesNo,
  causeEn: optionalText(BUDGETS.cause),
  causeFr: optionalText(BUDGETS.cause),
  restorationKnown: yesNo,
  restorationAt: optionalDateTime,
  nextUpdateAt: optionalDateTime,
};

export interface UpdateContent {
  summaryEn: string;
  summaryFr: string;
  nowEn: string[];
  nowFr: string[];
  nextEn: string[];
  nextFr: string[];
  usersAffectedKind: UsersAffectedKind;
  usersAffected: number | null;
  causeEn: string | null;
  causeFr: string | null;
  restorationAt: Date | null;
  nextUpdateAt: Date | null;
}

/** Checks that a point list has its counterpart in the other language. */
function checkPointPairs(data: Record<string, unknown>, errors: FieldErrors): void {
  for (const part of ['now', 'next'] as const) {
    const en = data[`${part}En`] as string[] | undefined;
    const fr = data[`${part}Fr`] as string[] | undefined;
    if (en && fr && en.length !== fr.length) errors[`${part}${en.length > fr.length ? 'Fr' : 'En'}`] ??= 'errors.pointsMismatch';
  }
}

function readDateTime(value: unknown, field: string, errors: FieldErrors): Date | null {
  if (typeof value !== 'string' || value === '') {
    errors[field] ??= 'errors.required';
    return null;
  }
  const date = parseDateTimeLocal(value, config().timeZone);
  if (!date) errors[field] ??= 'errors.dateTime';
  return date ?? null;
}

/**
 * Parses the composer's fields. Every problem is reported at once, each on its field, so
 * the message names the part and the language that are missing.
 */
export function parseUpdateContent(input: unknown, options: { resolved: boolean; now: Date }): { content?: UpdateContent; errors: FieldErrors } {
  const { data, errors } = collectFields(contentShape, input);
  checkPointPairs(data, errors);

  let usersAffected: number | null = null;
  if (data.usersAffectedKind === 'exact' || data.usersAffectedKind === 'estimate') {
    const raw = String(data.usersAffected ?? '').replace(/[\s\u00a0\u202f,]/g, '');
    if (!/^\d{1,10}$/.test(raw)) errors.usersAffected ??= 'errors.usersAffected';
    else usersAffected = Number(raw);
  }

  if (data.causeKnown === 'yes') {
    if (!data.causeEn) errors.causeEn ??= 'errors.causeMissing';
    if (!data.causeFr) errors.causeFr ??= 'errors.causeMissing';
  }

  const restorationAt = data.restorationKnown === 'yes' ? readDateTime(data.restorationAt, 'restorationAt', errors) : null;

  let nextUpdateAt: Date | null = null;
  if (!options.resolved) {
    nextUpdateAt = readDateTime(data.nextUpdateAt, 'nextUpdateAt', errors);
    if (nextUpdateAt && nextUpdateAt <= options.now) errors.nextUpdateAt ??= 'errors.nextUpdatePast';
  }

  if (Object.keys(errors).length > 0) return { errors };
  const causeKnown = data.causeKnown === 'yes';
  return {
    errors,
    content: {
      summaryEn: data.summaryEn as string,
      summaryFr: data.summaryFr as string,
      nowEn: data.nowEn as string[],
      nowFr: data.nowFr as string[],
      nextEn: data.nextEn as string[],
      nextFr: data.nextFr as string[],
      usersAffectedKind: data.usersAffectedKind as UsersAffectedKind,
      usersAffected,
      causeEn: causeKnown ? (data.causeEn as string) : null,
      causeFr: causeKnown ? (data.causeFr as string) : null,
      restorationAt,
      nextUpdateAt,
    },
  };
}

/** Columns of `incident_updates` for parsed content. */
export function contentColumns(content: UpdateContent) {
  return {
    bodyEn: content.summaryEn,
    bodyFr: content.summaryFr,
    nowEn: content.nowEn.join('\n'),
    nowFr: content.nowFr.join('\n'),
    nextEn: content.nextEn.join('\n'),
    nextFr: content.nextFr.join('\n'),
    usersAffectedKind: content.usersAffectedKind,
    usersAffected: content.usersAffected,
    causeEn: content.causeEn,
    causeFr: content.causeFr,
    restorationAt: content.restorationAt,
    nextUpdateAt: content.nextUpdateAt,
  };
}
