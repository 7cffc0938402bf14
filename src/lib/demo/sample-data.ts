// A realistic, bilingual set of services and incidents for demonstrations and manual
// testing. Every write goes through the service layer, so the data passes the same
// validation and leaves the same audit entries as the admin forms.
import { count } from 'drizzle-orm';
import { formatInTimeZone } from 'date-fns-tz';
import { config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { incidents, services } from '../db/schema.ts';
import { openIncident, postUpdate, resolveIncident, setPostmortem } from '../services/incidents.ts';
import type { Actor } from '../services/permissions.ts';
import { createService } from '../services/service-catalogue.ts';
import { formatDuration, formatIsoDate, formatTime, parseDateTimeLocal, toDateTimeLocalValue } from '../time.ts';
import type { Impact, IncidentStatus, Language, Severity } from '../vocabulary.ts';

const NBSP = '\u00a0';
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** Actor of every sample write, as the audit log records it. */
export const SAMPLE_DATA_ACTOR: Actor = { id: null, email: 'sample data', role: 'admin' };

export class DatabaseNotEmptyError extends Error {
  constructor() {
    super('The database already has data; sample data is loaded only into an empty database. Set DATABASE_PATH to a new file.');
    this.name = 'DatabaseNotEmptyError';
  }
}

export interface SampleDataSummary {
  services: number;
  incidents: number;
  openIncidents: number;
  updates: number;
}

type ServiceSlug = 'api' | 'admin-website' | 'email-sending' | 'text-message-sending' | 'forms';

interface SampleService {
  slug: ServiceSlug;
  nameEn: string;
  nameFr: string;
  descriptionEn: string;
  descriptionFr: string;
}

const SERVICES: readonly SampleService[] = [
  {
    slug: 'api',
    nameEn: 'API',
    nameFr: 'API',
    descriptionEn: "The REST API that departments' systems use to send emails and text messages.",
    descriptionFr: 'L’API REST qu’utilisent les systèmes des ministères pour envoyer des courriels et des messages texte.',
  },
  {
    slug: 'admin-website',
    nameEn: 'Admin website',
    nameFr: 'Site Web d’administration',
    descriptionEn: 'Where teams sign in to manage templates, send messages and view delivery reports.',
    descriptionFr: 'Le site où les équipes se connectent pour gérer leurs gabarits, envoyer des messages et consulter les rapports de livraison.',
  },
  {
    slug: 'email-sending',
    nameEn: 'Email sending',
    nameFr: 'Envoi de courriels',
    descriptionEn: "Delivery of emails to recipients' inboxes.",
    descriptionFr: 'Livraison des courriels dans la boîte de réception des destinataires.',
  },
  {
    slug: 'text-message-sending',
    nameEn: 'Text message sending',
    nameFr: 'Envoi de messages texte',
    descriptionEn: 'Delivery of text messages to mobile phones in Canada.',
    descriptionFr: 'Livraison des messages texte aux téléphones cellulaires au Canada.',
  },
  {
    slug: 'forms',
    nameEn: 'Forms',
    nameFr: 'Formulaires',
    descriptionEn: 'Online forms that the public fills out, and delivery of the responses to departments.',
    descriptionFr: 'Formulaires en ligne remplis par le public et transmission des réponses aux ministères.',
  },
];

/** Times quoted in an update, formatted in the update's language and the configured zone. */
interface QuotedTimes {
  start: string;
  /** Time by which the next update is promised, or empty for a resolution notice. */
  next: string;
  /** End of impact and its duration, both empty until the incident has an end. */
  end: string;
  duration: string;
}

type UpdateText = (times: QuotedTimes) => string;

/** Impacts by service slug. An update without impacts keeps the incident's current ones. */
type SampleImpacts = Partial<Record<ServiceSlug, Impact>>;

interface SampleUpdate {
  status: IncidentStatus;
  /** Posting time, in minutes after the incident's reference time (negative for before). */
  at: number;
  impacts?: SampleImpacts;
  en: UpdateText;
  fr: UpdateText;
}

/**
 * An incident as a timeline around a reference time, so the same text fits any `now`.
 * The first update opens the incident, and a `resolved` update, if any, must be the last.
 */
interface SampleIncident {
  titleEn: string;
  titleFr: string;
  severity: Severity;
  /** Minutes after the reference time, like `SampleUpdate.at`. */
  startedAt: number;
  detectedAt: number;
  endedAt?: number;
  impacts: SampleImpacts;
  updates: readonly SampleUpdate[];
  postmortem?: { urlEn: string; urlFr: string; afterDays: number };
}

/** Severity 1, still open. The reference time is `now`. */
const TEXT_MESSAGE_OUTAGE: SampleIncident = {
  titleEn: 'Text messages are not being delivered',
  titleFr: 'Les messages texte ne sont pas livrés',
  severity: 1,
  startedAt: -125,
  detectedAt: -118,
  impacts: { 'text-message-sending': 'major_outage' },
  updates: [
    {
      status: 'investigating',
      at: -112,
      en: (t) =>
        `Text messages sent since about ${t.start} are not reaching recipients. The API still accepts them, and they wait in the sending queue. We are investigating and will post an update by ${t.next}.`,
      fr: (t) =>
        `Les messages texte envoyés depuis environ ${t.start} ne parviennent pas aux destinataires. L’API les accepte toujours et ils attendent dans la file d’envoi. Nous examinons le problème et publierons une mise à jour d’ici ${t.next}.`,
    },
    {
      status: 'identified',
      at: -70,
      en: (t) =>
        `Our text message provider has an outage in its Canadian data centre and rejects every message we send it. We are moving sending to our backup provider, and queued messages will go out once the switch is complete. Next update by ${t.next}.`,
      fr: (t) =>
        `Notre fournisseur de messagerie texte subit une panne dans son centre de données canadien et rejette tous les messages que nous lui transmettons. Nous transférons l’envoi vers notre fournisseur de relève et les messages en attente partiront une fois le transfert terminé. Prochaine mise à jour d’ici ${t.next}.`,
    },
    {
      status: 'identified',
      at: -25,
      impacts: { 'text-message-sending': 'partial_outage' },
      en: (t) =>
        `About 50% of text messages now go out through the backup provider, and the queue is getting shorter. Messages to some wireless carriers are still waiting. We are adding capacity with the backup provider and will post an update by ${t.next}.`,
      fr: (t) =>
        `Environ 50${NBSP}% des messages texte partent maintenant par le fournisseur de relève et la file d’attente diminue. Les messages destinés à certains fournisseurs de services sans fil sont toujours en attente. Nous augmentons notre capacité chez le fournisseur de relève et publierons une mise à jour d’ici ${t.next}.`,
    },
  ],
};

/**
 * Severity 2, resolved. The reference time is a change of UTC offset (02:00 local in
 * America/Toronto), so the updates straddle it and their wall-clock times are unusual.
 * Every typed time stays more than an hour from the change, where local times are
 * neither ambiguous nor skipped.
 */
const EMAIL_DELAYS: SampleIncident = {
  titleEn: 'Delays in email delivery',
  titleFr: 'Retards dans la livraison des courriels',
  severity: 2,
  startedAt: -80,
  detectedAt: -68,
  endedAt: 70,
  impacts: { 'email-sending': 'degraded_performance' },
  updates: [
    {
      status: 'investigating',
      at: -65,
      en: (t) =>
        `Emails are taking more than 30 minutes to reach recipients. No messages have been lost, and delayed emails will be delivered. We are investigating and will post an update by ${t.next}.`,
      fr: (t) =>
        `Les courriels mettent plus de 30 minutes à parvenir aux destinataires. Aucun message n’a été perdu et les courriels retardés seront livrés. Nous examinons le problème et publierons une mise à jour d’ici ${t.next}.`,
    },
    {
      status: 'identified',
      at: -25,
      impacts: { 'email-sending': 'partial_outage', forms: 'degraded_performance' },
      en: (t) =>
        `A configuration change to our email relay cut its sending capacity in half. Form responses sent to departments by email are also delayed. We are reversing the change and will post an update by ${t.next}.`,
      fr: (t) =>
        `Une modification de la configuration de notre relais de courriel a réduit de moitié sa capacité d’envoi. Les réponses aux formulaires transmises aux ministères par courriel sont aussi retardées. Nous annulons la modification et publierons une mise à jour d’ici ${t.next}.`,
    },
    {
      status: 'monitoring',
      at: 20,
      impacts: { 'email-sending': 'degraded_performance', forms: 'degraded_performance' },
      en: (t) =>
        `We reversed the change, and the relay is back to full capacity. Queued emails are being delivered, oldest first. We are monitoring delivery times and will post an update by ${t.next}.`,
      fr: (t) =>
        `Nous avons annulé la modification et le relais a retrouvé toute sa capacité. Les courriels en attente sont en cours de livraison, les plus anciens d’abord. Nous surveillons les délais de livraison et publierons une mise à jour d’ici ${t.next}.`,
    },
    {
      status: 'resolved',
      at: 90,
      en: (t) =>
        `Email delivery has been back to normal since ${t.end}, and all delayed emails and form responses have been delivered. The incident lasted ${t.duration}. We will publish a post-incident review.`,
      fr: (t) =>
        `La livraison des courriels est rétablie depuis ${t.end} et tous les courriels et réponses aux formulaires retardés ont été livrés. L’incident a duré ${t.duration}. Nous publierons une analyse post-incident.`,
    },
  ],
  postmortem: {
    urlEn: 'https://blog.example.gc.ca/en/post-incident-review-email-delays',
    urlFr: 'https://blog.example.gc.ca/fr/analyse-post-incident-retards-courriels',
    afterDays: 4,
  },
};

/** Severity 3, resolved. The reference time is local midnight, which the incident spans. */
const SLOW_ADMIN_PAGES: SampleIncident = {
  titleEn: 'Slow pages on the admin website',
  titleFr: 'Lenteur des pages du site Web d’administration',
  severity: 3,
  startedAt: -20,
  detectedAt: -14,
  endedAt: 20,
  impacts: { 'admin-website': 'degraded_performance' },
  updates: [
    {
      status: 'investigating',
      at: -10,
      en: (t) =>
        `Some pages of the admin website take up to 20 seconds to load, mostly the "Delivery reports" page. Sending emails and text messages is not affected. We are investigating and will post an update by ${t.next}.`,
      fr: (t) =>
        `Certaines pages du site Web d’administration mettent jusqu’à 20 secondes à s’afficher, surtout la page «${NBSP}Rapports de livraison${NBSP}». L’envoi des courriels et des messages texte n’est pas touché. Nous examinons le problème et publierons une mise à jour d’ici ${t.next}.`,
    },
    {
      status: 'resolved',
      at: 35,
      en: (t) =>
        `A nightly reporting job was running at the same time as a database backup. We moved the job to a later time, and pages have loaded normally since ${t.end}. No action is needed on your part.`,
      fr: (t) =>
        `Une tâche nocturne de production de rapports s’exécutait en même temps qu’une sauvegarde de la base de données. Nous avons déplacé la tâche à une heure plus tardive et les pages s’affichent normalement depuis ${t.end}. Aucune action n’est requise de votre part.`,
    },
  ],
};

/** Number of days searched back for a change of UTC offset, a little more than a year. */
const OFFSET_CHANGE_SEARCH_DAYS = 400;

/**
 * Finds the last change of UTC offset in the zone (a daylight saving time change) before
 * the given time. Returns the first minute with the new offset, or undefined when the
 * offset did not change in the last 400 days.
 */
export function lastOffsetChangeBefore(before: Date, timeZone: string): Date | undefined {
  // getTimezoneOffset of date-fns-tz 3.2.0 returns the new offset for some hours before the
  // change (seen in America/Toronto), but its "xxx" format pattern gives the offset in force.
  const offsetAt = (ms: number) => formatInTimeZone(new Date(ms), timeZone, 'xxx');
  let later = Math.floor(before.getTime() / MINUTE_MS) * MINUTE_MS;
  for (let day = 0; day < OFFSET_CHANGE_SEARCH_DAYS; day++) {
    let earlier = later - DAY_MS;
    if (offsetAt(earlier) !== offsetAt(later)) {
      // Assumes a single change within these 24 hours, so a binary search finds its minute.
      while (later - earlier > MINUTE_MS) {
        const middle = earlier + Math.floor((later - earlier) / 2 / MINUTE_MS) * MINUTE_MS;
        if (offsetAt(middle) === offsetAt(earlier)) earlier = middle;
        else later = middle;
      }
      return new Date(later);
    }
    later = earlier;
  }
  return undefined;
}

function startOfLocalDay(date: Date, timeZone: string): Date {
  const midnight = parseDateTimeLocal(`${formatIsoDate(date, timeZone)}T00:00`, timeZone);
  if (!midnight) throw new Error(`Cannot find the start of the day of ${date.toISOString()} in ${timeZone}.`);
  return midnight;
}

/**
 * Places each sample incident in time, oldest first. The email delays straddle the last
 * offset change that ended at least a day before `now`, or fall 30 days before `now` in
 * a zone without daylight saving time.
 */
function scheduleIncidents(now: Date, timeZone: string): { incident: SampleIncident; reference: Date }[] {
  const offsetChange = lastOffsetChangeBefore(new Date(now.getTime() - DAY_MS), timeZone);
  const noChangeFallback = new Date(startOfLocalDay(new Date(now.getTime() - 30 * DAY_MS), timeZone).getTime() + 2 * 60 * MINUTE_MS);
  const schedule = [
    { incident: EMAIL_DELAYS, reference: offsetChange ?? noChangeFallback },
    { incident: SLOW_ADMIN_PAGES, reference: startOfLocalDay(new Date(now.getTime() - 9 * DAY_MS), timeZone) },
    { incident: TEXT_MESSAGE_OUTAGE, reference: now },
  ];
  return schedule.sort((a, b) => a.reference.getTime() - b.reference.getTime());
}

const QUARTER_HOUR_MS = 15 * MINUTE_MS;

/**
 * Computes the time promised for the update after `index`. It is the next update's time,
 * or 30 minutes after the last one, rounded up to the quarter hour so the next update
 * comes on or before it.
 */
function nextUpdatePromise(incident: SampleIncident, index: number, timeAt: (minutes: number) => Date): Date {
  const following = incident.updates[index + 1];
  const target = following ? timeAt(following.at) : timeAt(incident.updates[index].at + 30);
  return new Date(Math.ceil(target.getTime() / QUARTER_HOUR_MS) * QUARTER_HOUR_MS);
}

function quotedTimes(incident: SampleIncident, index: number, timeAt: (minutes: number) => Date, lang: Language): QuotedTimes {
  const { timeZone } = config();
  const resolution = incident.updates[index].status === 'resolved';
  const ended = incident.endedAt === undefined ? undefined : timeAt(incident.endedAt);
  const started = timeAt(incident.startedAt);
  return {
    start: formatTime(started, lang, timeZone),
    next: resolution ? '' : formatTime(nextUpdatePromise(incident, index, timeAt), lang, timeZone),
    end: ended ? formatTime(ended, lang, timeZone) : '',
    duration: ended ? formatDuration(ended.getTime() - started.getTime(), lang) : '',
  };
}

function impactsInput(impacts: SampleImpacts, serviceIds: ReadonlyMap<ServiceSlug, number>): Record<string, Impact> {
  return Object.fromEntries(Object.entries(impacts).map(([slug, impact]) => [String(serviceIds.get(slug as ServiceSlug)), impact]));
}

/** Writes one incident and its updates through the service layer. Returns the number of updates. */
function writeIncident(db: Db, serviceIds: ReadonlyMap<ServiceSlug, number>, incident: SampleIncident, reference: Date, now: Date): number {
  const { timeZone } = config();
  const timeAt = (minutes: number) => new Date(reference.getTime() + minutes * MINUTE_MS);
  const typedTime = (minutes: number) => toDateTimeLocalValue(timeAt(minutes), timeZone);
  const bodies = (index: number) => ({
    bodyEn: incident.updates[index].en(quotedTimes(incident, index, timeAt, 'en')),
    bodyFr: incident.updates[index].fr(quotedTimes(incident, index, timeAt, 'fr')),
  });

  const [first, ...rest] = incident.updates;
  const id = openIncident(
    db,
    SAMPLE_DATA_ACTOR,
    {
      titleEn: incident.titleEn,
      titleFr: incident.titleFr,
      severity: String(incident.severity),
      status: first.status,
      startedAt: typedTime(incident.startedAt),
      detectedAt: typedTime(incident.detectedAt),
      impacts: impactsInput(incident.impacts, serviceIds),
      ...bodies(0),
    },
    timeAt(first.at),
  );

  rest.forEach((update, restIndex) => {
    const index = restIndex + 1;
    if (update.status === 'resolved') {
      if (incident.endedAt === undefined) throw new Error(`Sample incident "${incident.titleEn}" is resolved without an endedAt.`);
      resolveIncident(db, SAMPLE_DATA_ACTOR, id, { endedAt: typedTime(incident.endedAt), ...bodies(index) }, timeAt(update.at));
      return;
    }
    const impacts = update.impacts && impactsInput(update.impacts, serviceIds);
    postUpdate(db, SAMPLE_DATA_ACTOR, id, { status: update.status, impacts, ...bodies(index) }, timeAt(update.at));
  });

  if (incident.postmortem) {
    // Published some days after the resolution, but never after `now`.
    const resolvedAt = timeAt(incident.updates[incident.updates.length - 1].at).getTime();
    const publishedAt = new Date(Math.min(resolvedAt + incident.postmortem.afterDays * DAY_MS, (resolvedAt + now.getTime()) / 2));
    const { urlEn, urlFr } = incident.postmortem;
    setPostmortem(db, SAMPLE_DATA_ACTOR, id, { postmortemUrlEn: urlEn, postmortemUrlFr: urlFr }, publishedAt);
  }
  return incident.updates.length;
}

function writeServices(db: Db): Map<ServiceSlug, number> {
  const ids = new Map<ServiceSlug, number>();
  SERVICES.forEach((service, index) => {
    ids.set(service.slug, createService(db, SAMPLE_DATA_ACTOR, { ...service, displayOrder: (index + 1) * 10 }));
  });
  return ids;
}

function isEmpty(db: Db): boolean {
  const serviceCount = db.select({ n: count() }).from(services).get()?.n ?? 0;
  const incidentCount = db.select({ n: count() }).from(incidents).get()?.n ?? 0;
  return serviceCount === 0 && incidentCount === 0;
}

/**
 * Writes the sample services and incidents, with times relative to `now`, and creates no
 * user. Throws DatabaseNotEmptyError when the database already has services or incidents,
 * and a ValidationError when `now` is in the future. Everything is written in one
 * transaction, so a failure leaves no sample data.
 */
export function loadSampleData(db: Db, now = new Date()): SampleDataSummary {
  // better-sqlite3 turns the service functions' own transactions into savepoints of this one.
  return db.transaction(
    () => {
      if (!isEmpty(db)) throw new DatabaseNotEmptyError();
      const serviceIds = writeServices(db);
      const schedule = scheduleIncidents(now, config().timeZone);
      let updates = 0;
      for (const { incident, reference } of schedule) updates += writeIncident(db, serviceIds, incident, reference, now);
      const openIncidents = schedule.filter(({ incident }) => incident.updates.at(-1)?.status !== 'resolved').length;
      return { services: serviceIds.size, incidents: schedule.length, openIncidents, updates };
    },
    { behavior: 'immediate' },
  );
}
