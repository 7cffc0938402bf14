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

/** Writes a rendered update as plain text with one part per paragraph, for feeds. */
export function updateAsText(rendered: RenderedUpdate, lang: Language): string {
  const t = translator(lang);
  const paragraphs = [rendered.summary];
  if (rendered.now.length > 0) paragraphs.push([t('update.now'), ...rendered.now.map((point) => `- ${point}`)].join('\n'));
  if (rendered.next.length > 0) paragraphs.push([t('update.next'), ...rendered.next.map((point) => `- ${point}`)].join('\n'));
  if (rendered.facts.length > 0) paragraphs.push(rendered.facts.join(' '));
  if (rendered.postmortem) paragraphs.push(`${rendered.postmortem.linkText}: ${rendered.postmortem.href}`);
  return paragraphs.join('\n\n');
}
