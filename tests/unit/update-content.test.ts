import { describe, expect, it } from 'vitest';
import { parseUpdateContent } from '../../src/lib/services/update-content.ts';
import { toDateTimeLocalValue } from '../../src/lib/time.ts';

const ZONE = 'America/Toronto';
const now = new Date('2026-12-04T19:30:00Z');
const inMinutes = (minutes: number) => toDateTimeLocalValue(new Date(now.getTime() + minutes * 60_000), ZONE);

const complete = {
  summaryEn: 'Some users cannot sign in.',
  summaryFr: 'Certains utilisateurs ne peuvent pas se connecter.',
  nowEn: 'We are checking the login service.\nWe are reading the logs.',
  nowFr: 'Nous vérifions le service de connexion.\nNous lisons les journaux.',
  nextEn: '',
  nextFr: '',
  usersAffectedKind: 'estimate',
  usersAffected: '1 200',
  causeKnown: 'no',
  restorationKnown: 'no',
  nextUpdateAt: inMinutes(30),
};

const parse = (overrides: Record<string, unknown>, resolved = false) => parseUpdateContent({ ...complete, ...overrides }, { resolved, now });

describe('parseUpdateContent', () => {
  it('accepts a complete update', () => {
    const { content, errors } = parse({});
    expect(errors).toEqual({});
    expect(content?.nowFr).toEqual(['Nous vérifions le service de connexion.', 'Nous lisons les journaux.']);
    expect(content?.usersAffected).toBe(1200);
    expect(content?.causeEn).toBeNull();
    expect(content?.nextUpdateAt?.toISOString()).toBe('2026-12-04T20:00:00.000Z');
  });

  it('names each missing part in its language', () => {
    const { content, errors } = parse({ summaryFr: '  ', nextUpdateAt: '' });
    expect(content).toBeUndefined();
    expect(errors.summaryFr).toBe('errors.required');
    expect(errors.nextUpdateAt).toBe('errors.required');
    expect(errors.summaryEn).toBeUndefined();
  });

  it('reports every problem at once', () => {
    const { errors } = parse({ summaryEn: '', causeKnown: 'yes', causeEn: 'A full disk.', causeFr: '', usersAffectedKind: 'exact', usersAffected: 'many' });
    expect(Object.keys(errors).sort()).toEqual(['causeFr', 'summaryEn', 'usersAffected']);
  });

  it('requires the same number of points in both languages', () => {
    const { errors } = parse({ nowFr: 'Nous vérifions.' });
    expect(errors.nowFr).toBe('errors.pointsMismatch');
  });

  it('limits points to four of 140 characters', () => {
    expect(parse({ nowEn: 'a\nb\nc\nd\ne', nowFr: 'a\nb\nc\nd\ne' }).errors.nowEn).toBe('errors.tooManyPoints');
    expect(parse({ nowEn: 'x'.repeat(141), nowFr: 'y' }).errors.nowEn).toBe('errors.pointTooLong');
  });

  it('enforces the summary budget', () => {
    expect(parse({ summaryEn: 'x'.repeat(281) }).errors.summaryEn).toBe('errors.tooLong');
    expect(parse({ summaryEn: 'x'.repeat(280) }).errors.summaryEn).toBeUndefined();
  });

  it('strips list markers from points', () => {
    expect(parse({ nowEn: '- one\n* two', nowFr: '• un\n- deux' }).content?.nowEn).toEqual(['one', 'two']);
  });

  it('rejects a next update in the past', () => {
    expect(parse({ nextUpdateAt: inMinutes(-5) }).errors.nextUpdateAt).toBe('errors.nextUpdatePast');
  });

  it('needs no next update once resolved', () => {
    expect(parse({ nextUpdateAt: '' }, true).errors).toEqual({});
  });

  it('requires a restoration time when known', () => {
    expect(parse({ restorationKnown: 'yes', restorationAt: '' }).errors.restorationAt).toBe('errors.required');
    expect(parse({ restorationKnown: 'yes', restorationAt: 'soon' }).errors.restorationAt).toBe('errors.dateTime');
    expect(parse({ restorationKnown: 'yes', restorationAt: inMinutes(90) }).content?.restorationAt).toBeInstanceOf(Date);
  });

  it('rejects an unknown choice', () => {
    expect(parse({ usersAffectedKind: 'lots' }).errors.usersAffectedKind).toBe('errors.chooseOne');
    expect(parse({ causeKnown: undefined }).errors.causeKnown).toBe('errors.chooseOne');
  });
});
