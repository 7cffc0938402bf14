// Renders an update's parts and facts as sentences in one language. Pages, the composer's
// preview and the feeds all use it, so an update reads the same everywhere.
import { config } from '../config.ts';
import { translator } from '../i18n.ts';
import { formatDateTime } from '../time.ts';
import type { Language } from '../vocabulary.ts';
import type { PublicUpdate } from './read-model.ts';

export interface RenderedUpdate {
  summary: string;
  now: string[];
  next: string[];
  /** Language-neutral facts, each as a sentence: users affected, cause, restoration, next update. */
  facts: string[];
  postmortem?: { text: string; linkText: string; href: string };
}

type UpdateFacts = Pick<PublicUpdate, 'usersAffectedKind' | 'usersAffected' | 'cause' | 'restorationAt' | 'nextUpdateAt'>;

/** Writes the facts of an update as sentences, saying explicitly what is not yet known. */
export function renderFacts(update: UpdateFacts, lang: Language, timeZone = config().timeZone): string[] {
  if (update.usersAffectedKind === null) return [];
  const t = translator(lang);
  const time = (date: Date) => formatDateTime(date, lang, timeZone);
  const facts: string[] = [];

  if (update.usersAffectedKind === 'unknown' || update.usersAffected === null) facts.push(t('facts.usersUnknown'));
  else facts.push(t(`facts.users_${update.usersAffectedKind}`, { count: update.usersAffected }));

  facts.push(update.cause === null ? t('facts.causeUnknown') : t('facts.cause', { cause: update.cause }));
  facts.push(update.restorationAt === null ? t('facts.restorationUnknown') : t('facts.restoration', { time: time(update.restorationAt) }));
  if (update.nextUpdateAt !== null) facts.push(t('facts.nextUpdate', { time: time(update.nextUpdateAt) }));
  return facts;
}

export function renderUpdate(update: PublicUpdate, lang: Language, postmortemUrl: string | null, timeZone = config().timeZone): RenderedUpdate {
  const t = translator(lang);
  if (update.kind === 'postmortem') {
    const postmortem = postmortemUrl ? { text: t('update.postmortemPublished'), linkText: t('incident.postmortemLink'), href: postmortemUrl } : undefined;
    return { summary: t('update.postmortemPublished'), now: [], next: [], facts: [], ...(postmortem ? { postmortem } : {}) };
  }
  return { summary: update.body, now: update.now, next: update.next, facts: renderFacts(update, lang, timeZone) };
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]!);

/**
 * Writes a rendered update as HTML, for feed descriptions: feed readers show a description
 * as HTML, so user text is escaped here and the feed library escapes the result again as XML.
 */
export function updateAsHtml(rendered: RenderedUpdate, lang: Language): string {
  const t = translator(lang);
  const list = (heading: string, points: string[]) =>
    points.length === 0 ? '' : `<p>${escapeHtml(heading)}</p><ul>${points.map((point) => `<li>${escapeHtml(point)}</li>`).join('')}</ul>`;
  const parts = [
    `<p>${escapeHtml(rendered.summary).replace(/\r?\n/g, '<br>')}</p>`,
    list(t('update.now'), rendered.now),
    list(t('update.next'), rendered.next),
    rendered.facts.length > 0 ? `<p>${rendered.facts.map(escapeHtml).join(' ')}</p>` : '',
    rendered.postmortem ? `<p><a href="${escapeHtml(rendered.postmortem.href)}">${escapeHtml(rendered.postmortem.linkText)}</a></p>` : '',
  ];
  return parts.join('');
}
