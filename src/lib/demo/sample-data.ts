// A realistic, bilingual set of services, incidents and maintenance windows for
// demonstrations and manual testing. Every write goes through the service layer, so the data passes the same
// validation and leaves the same audit entries as the admin forms.
import { count } from 'drizzle-orm';
import { formatInTimeZone } from 'date-fns-tz';
import { config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { incidents, incidentUpdates, services } from '../db/schema.ts';
import { openIncident, postUpdate, resolveIncident, setPostmortem } from '../services/incidents.ts';
import { postMaintenanceUpdate, scheduleMaintenance } from '../services/maintenance.ts';
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
  /** Rows written to incident_updates, including the postmortem announcements. */
  updates: number;
  /** Scheduled maintenance windows, one completed and one upcoming. */
  maintenances: number;
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

/** Impacts by service slug. An update without impacts keeps the incident's current ones. */
type SampleImpacts = Partial<Record<ServiceSlug, Impact>>;

/** The parts of an open update that are written in one language. */
interface UpdateWording {
  /** One or two sentences on the current state and its impact on users. */
  summary: string;
  /** "What is happening now" points, the same number in both languages. */
  now: readonly string[];
  /** "Next steps" points, the same number in both languages. */
  next: readonly string[];
  /** Cause of the incident, present in both languages once it is known. */
  cause?: string;
}

/** Number of users affected, as the composer records it. */
type UsersAffected = { kind: 'unknown' } | { kind: 'estimate' | 'exact'; count: number };

/** An update on an open incident, written with the composer. */
interface SampleUpdate {
  status: Exclude<IncidentStatus, 'resolved'>;
  /** Posting time, in minutes after the incident's reference time (negative for before). */
  at: number;
  impacts?: SampleImpacts;
  users: UsersAffected;
  /** Expected restoration of service, in minutes after the reference time. Absent while unknown. */
  restorationAt?: number;
  en: UpdateWording;
  fr: UpdateWording;
}

/** End of impact and its duration, formatted in the notice's language and the configured zone. */
interface QuotedTimes {
  end: string;
  duration: string;
}

type NoticeText = (times: QuotedTimes) => string;

/** The resolution notice, posted after the last update. */
interface SampleResolution {
  /** Posting time, in minutes after the reference time. */
  at: number;
  /** End of impact, in minutes after the reference time. */
  endedAt: number;
  en: NoticeText;
  fr: NoticeText;
}

/**
 * An incident as a timeline around a reference time, so the same text fits any `now`. The
 * first update opens the incident. An incident without a resolution stays open.
 */
interface SampleIncident {
  titleEn: string;
  titleFr: string;
  severity: Severity;
  /** Minutes after the reference time, like `SampleUpdate.at`. */
  startedAt: number;
  detectedAt: number;
  impacts: SampleImpacts;
  updates: readonly SampleUpdate[];
  resolution?: SampleResolution;
  postmortem?: { urlEn: string; urlFr: string; afterDays: number };
}

const TEXT_PROVIDER_OUTAGE = {
  en: 'An outage in the Canadian data centre of our text message provider, which rejects every message we send it.',
  fr: 'Une panne dans le centre de données canadien de notre fournisseur de messagerie texte, qui rejette tous les messages que nous lui transmettons.',
};

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
      users: { kind: 'unknown' },
      en: {
        summary: 'Text messages are not reaching recipients. The API still accepts them, and they wait in the sending queue until we can deliver them.',
        now: [
          'Messages sent through the API and the admin website are accepted and queued.',
          'Every attempt to hand messages to our text message provider fails.',
          'We have contacted the provider to find out whether the problem is on its side.',
        ],
        next: ['We will find out why delivery fails.', 'We will prepare to send through our backup provider if needed.'],
      },
      fr: {
        summary: 'Les messages texte ne parviennent pas aux destinataires. L’API les accepte toujours, et ils restent dans la file d’envoi jusqu’à ce que nous puissions les livrer.',
        now: [
          'Les messages transmis par l’API et par le site Web d’administration sont acceptés et mis en file d’attente.',
          'Toutes les tentatives de transmission à notre fournisseur de messagerie texte échouent.',
          'Nous avons joint le fournisseur pour savoir si le problème se situe de son côté.',
        ],
        next: ['Nous chercherons pourquoi la livraison échoue.', 'Nous nous préparons à passer par notre fournisseur de relève, au besoin.'],
      },
    },
    {
      status: 'identified',
      at: -70,
      users: { kind: 'estimate', count: 320 },
      en: {
        summary: 'We know why text messages are not being delivered, and we are moving sending to our backup provider. Queued messages will go out once the switch is complete.',
        now: [
          'The provider has confirmed the outage and is working on a fix.',
          'We are setting up sending through our backup provider.',
          'Messages stay in the queue, and none have been lost.',
        ],
        next: ['We will send queued messages through the backup provider, oldest first.', 'We will follow the main provider’s repairs.'],
        cause: TEXT_PROVIDER_OUTAGE.en,
      },
      fr: {
        summary: 'Nous savons pourquoi les messages texte ne sont pas livrés et nous transférons l’envoi vers notre fournisseur de relève. Les messages en attente partiront dès que le transfert sera terminé.',
        now: [
          'Le fournisseur a confirmé la panne et travaille à la corriger.',
          'Nous configurons l’envoi par notre fournisseur de relève.',
          'Les messages restent dans la file d’attente, et aucun n’a été perdu.',
        ],
        next: [
          'Nous enverrons les messages en attente par le fournisseur de relève, en commençant par les plus anciens.',
          'Nous suivrons de près les réparations du fournisseur principal.',
        ],
        cause: TEXT_PROVIDER_OUTAGE.fr,
      },
    },
    {
      status: 'identified',
      at: -25,
      impacts: { 'text-message-sending': 'partial_outage' },
      users: { kind: 'exact', count: 347 },
      restorationAt: 65,
      en: {
        summary: 'About 50% of text messages now go out through the backup provider, and the queue is getting shorter. Messages to some wireless carriers are still waiting.',
        now: [
          'The backup provider delivers to most wireless carriers in Canada.',
          'Messages to the carriers it does not reach stay in the queue.',
          'The main provider is still restoring its Canadian data centre.',
        ],
        next: ['We will add capacity with the backup provider to empty the queue faster.', 'We will move sending back to the main provider once it is stable.'],
        cause: TEXT_PROVIDER_OUTAGE.en,
      },
      fr: {
        summary: `Environ 50${NBSP}% des messages texte partent maintenant par le fournisseur de relève, et la file d’attente raccourcit. Les messages destinés à certains fournisseurs de services sans fil sont toujours en attente.`,
        now: [
          'Le fournisseur de relève livre les messages à la plupart des fournisseurs de services sans fil au Canada.',
          'Les messages destinés aux autres fournisseurs restent dans la file d’attente.',
          'Le fournisseur principal travaille toujours à rétablir son centre de données canadien.',
        ],
        next: [
          'Nous augmenterons notre capacité chez le fournisseur de relève pour vider la file plus rapidement.',
          'Nous reviendrons au fournisseur principal dès que son service sera stable.',
        ],
        cause: TEXT_PROVIDER_OUTAGE.fr,
      },
    },
  ],
};

const EMAIL_RELAY_CHANGE = {
  en: 'A configuration change to our email relay, which cut its sending capacity in half.',
  fr: 'Une modification de la configuration de notre relais de courriel, qui a réduit de moitié sa capacité d’envoi.',
};

/**
 * Severity 2, resolved. The reference time is a change of UTC offset (02:00 local in
 * America/Toronto), so the updates straddle it and their wall-clock times are unusual.
 * The start, detection, end and expected restoration stay more than an hour from the
 * change, where local times are neither ambiguous nor skipped. Promised update times are
 * moved out of the repeated hour by `typeableQuarterHour`.
 */
const EMAIL_DELAYS: SampleIncident = {
  titleEn: 'Delays in email delivery',
  titleFr: 'Retards dans la livraison des courriels',
  severity: 2,
  startedAt: -80,
  detectedAt: -68,
  impacts: { 'email-sending': 'degraded_performance' },
  updates: [
    {
      status: 'investigating',
      at: -65,
      users: { kind: 'unknown' },
      en: {
        summary: 'Emails are taking more than 30 minutes to reach recipients. No messages have been lost, and delayed emails will be delivered.',
        now: ['Emails sent through the API and the admin website are accepted and queued.', 'Our email relay sends fewer messages per minute than usual.'],
        next: ['We will find out why the relay slowed down.'],
      },
      fr: {
        summary: 'Les courriels mettent plus de 30 minutes à parvenir aux destinataires. Aucun message n’a été perdu, et les courriels retardés seront livrés.',
        now: [
          'Les courriels transmis par l’API et par le site Web d’administration sont acceptés et mis en file d’attente.',
          'Notre relais de courriel envoie moins de messages par minute qu’à l’habitude.',
        ],
        next: ['Nous chercherons pourquoi le relais a ralenti.'],
      },
    },
    {
      status: 'identified',
      at: -25,
      impacts: { 'email-sending': 'partial_outage', forms: 'degraded_performance' },
      users: { kind: 'estimate', count: 900 },
      restorationAt: 75,
      en: {
        summary: 'We know why emails are delayed and are fixing the problem. Form responses that departments receive by email are also delayed.',
        now: ['We are reversing the configuration change on the relay.', 'Emails and form responses wait in the queue, and none have been lost.'],
        next: ['We will check that the relay is back to full capacity.', 'We will deliver queued messages, oldest first.'],
        cause: EMAIL_RELAY_CHANGE.en,
      },
      fr: {
        summary: 'Nous savons pourquoi les courriels sont retardés et nous corrigeons le problème. Les réponses aux formulaires que les ministères reçoivent par courriel sont aussi retardées.',
        now: [
          'Nous annulons la modification apportée à la configuration du relais.',
          'Les courriels et les réponses aux formulaires restent dans la file d’attente, et aucun message n’a été perdu.',
        ],
        next: ['Nous vérifierons que le relais a retrouvé toute sa capacité.', 'Nous livrerons les messages en attente, en commençant par les plus anciens.'],
        cause: EMAIL_RELAY_CHANGE.fr,
      },
    },
    {
      status: 'monitoring',
      at: 20,
      impacts: { 'email-sending': 'degraded_performance', forms: 'degraded_performance' },
      users: { kind: 'exact', count: 1146 },
      restorationAt: 75,
      en: {
        summary: 'The email relay is back to full capacity, and delayed emails and form responses are on their way. New emails may still take a few minutes longer than usual.',
        now: ['We reversed the configuration change.', 'Queued messages are being delivered, oldest first.', 'Delivery times are getting shorter.'],
        next: ['We will watch delivery times until they are back to normal.', 'We will confirm when every delayed message has been delivered.'],
        cause: EMAIL_RELAY_CHANGE.en,
      },
      fr: {
        summary: 'Le relais de courriel a retrouvé toute sa capacité, et les courriels et réponses aux formulaires retardés sont en cours de livraison. Les nouveaux courriels peuvent encore mettre quelques minutes de plus qu’à l’habitude.',
        now: [
          'Nous avons annulé la modification de la configuration.',
          'Les messages en attente sont livrés, des plus anciens aux plus récents.',
          'Les délais de livraison diminuent.',
        ],
        next: ['Nous surveillerons les délais de livraison jusqu’à leur retour à la normale.', 'Nous confirmerons la livraison de tous les messages retardés.'],
        cause: EMAIL_RELAY_CHANGE.fr,
      },
    },
  ],
  resolution: {
    at: 90,
    endedAt: 70,
    en: (t) =>
      `Service is restored: email delivery has been back to normal since ${t.end}, and all delayed emails and form responses have been delivered. The incident lasted ${t.duration}. We will publish a postmortem that explains what happened and what we are changing.`,
    fr: (t) =>
      `Le service est rétabli${NBSP}: la livraison des courriels est revenue à la normale depuis ${t.end}, et tous les courriels et réponses aux formulaires retardés ont été livrés. L’incident a duré ${t.duration}. Nous publierons une analyse post-incident qui expliquera ce qui s’est passé et ce que nous changerons.`,
  },
  postmortem: {
    urlEn: 'https://blog.example.gc.ca/en/post-incident-review-email-delays',
    urlFr: 'https://blog.example.gc.ca/fr/analyse-post-incident-retards-courriels',
    afterDays: 4,
  },
};

/**
 * Severity 3, resolved. The reference time is local midnight, which the incident spans.
 * Severity 3 needs no postmortem, so the notice promises none.
 */
const SLOW_ADMIN_PAGES: SampleIncident = {
  titleEn: 'Slow pages on the admin website',
  titleFr: 'Lenteur des pages du site Web d’administration',
  severity: 3,
  startedAt: -20,
  detectedAt: -14,
  impacts: { 'admin-website': 'degraded_performance' },
  updates: [
    {
      status: 'investigating',
      at: -10,
      users: { kind: 'unknown' },
      en: {
        summary: 'Some pages of the admin website take up to 20 seconds to load, mostly the "Delivery reports" page. Sending emails and text messages is not affected.',
        now: ['Pages still load, but slowly.', 'Database queries behind the reports take much longer than usual.'],
        next: ['We will find out what is slowing down the database.'],
      },
      fr: {
        summary: `Certaines pages du site Web d’administration mettent jusqu’à 20 secondes à s’afficher, surtout la page «${NBSP}Rapports de livraison${NBSP}». L’envoi des courriels et des messages texte n’est pas touché.`,
        now: ['Les pages s’affichent toujours, mais lentement.', 'Les requêtes qui alimentent les rapports prennent beaucoup plus de temps qu’à l’habitude.'],
        next: ['Nous chercherons ce qui ralentit la base de données.'],
      },
    },
  ],
  resolution: {
    at: 35,
    endedAt: 20,
    en: (t) =>
      `Service is restored: admin website pages have loaded normally since ${t.end}. A nightly reporting job was running at the same time as a database backup, so we moved the job to a later time. No action is needed on your part.`,
    fr: (t) =>
      `Le service est rétabli${NBSP}: les pages du site Web d’administration s’affichent normalement depuis ${t.end}. Une tâche nocturne de production de rapports s’exécutait en même temps qu’une sauvegarde de la base de données. Nous l’avons donc déplacée à une heure plus tardive. Aucune action n’est requise de votre part.`,
  },
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
 * Rounds a time up to the first quarter hour whose datetime-local value reads back as the
 * same instant. In the hour that repeats when clocks go back, a value names two instants
 * and parseDateTimeLocal returns only one of them, so times at the other are moved on.
 */
function typeableQuarterHour(date: Date, timeZone: string): Date {
  const start = Math.ceil(date.getTime() / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  // Two hours cover the one-hour repeat of a daylight saving time change.
  for (let quarter = 0; quarter < 8; quarter++) {
    const candidate = new Date(start + quarter * QUARTER_HOUR_MS);
    if (parseDateTimeLocal(toDateTimeLocalValue(candidate, timeZone), timeZone)?.getTime() === candidate.getTime()) return candidate;
  }
  throw new Error(`No quarter hour within two hours after ${date.toISOString()} reads back unchanged as a datetime-local value in ${timeZone}.`);
}

/**
 * Computes the time promised for the update after `index`. It is the next update's (or the
 * resolution's) time, or 30 minutes after the last update of an open incident, rounded up
 * by `typeableQuarterHour`, so the next update comes on or before it.
 */
function nextUpdatePromise(incident: SampleIncident, index: number, timeAt: (minutes: number) => Date, timeZone: string): Date {
  const following = incident.updates[index + 1]?.at ?? incident.resolution?.at ?? incident.updates[index].at + 30;
  return typeableQuarterHour(timeAt(following), timeZone);
}

/** Builds the composer's form fields for an update, as the admin form would send them. */
function composerFields(incident: SampleIncident, index: number, timeAt: (minutes: number) => Date): Record<string, string> {
  const { timeZone } = config();
  const update = incident.updates[index];
  const typed = (date: Date) => toDateTimeLocalValue(date, timeZone);
  const restoration = update.restorationAt === undefined ? undefined : typeableQuarterHour(timeAt(update.restorationAt), timeZone);
  // Either language's cause marks it known, so a cause missing in the other is rejected.
  const causeKnown = update.en.cause !== undefined || update.fr.cause !== undefined;

  return {
    summaryEn: update.en.summary,
    summaryFr: update.fr.summary,
    nowEn: update.en.now.join('\n'),
    nowFr: update.fr.now.join('\n'),
    nextEn: update.en.next.join('\n'),
    nextFr: update.fr.next.join('\n'),
    usersAffectedKind: update.users.kind,
    usersAffected: update.users.kind === 'unknown' ? '' : String(update.users.count),
    causeKnown: causeKnown ? 'yes' : 'no',
    causeEn: update.en.cause ?? '',
    causeFr: update.fr.cause ?? '',
    restorationKnown: restoration ? 'yes' : 'no',
    restorationAt: restoration ? typed(restoration) : '',
    nextUpdateAt: typed(nextUpdatePromise(incident, index, timeAt, timeZone)),
  };
}

function quotedTimes(incident: SampleIncident, resolution: SampleResolution, timeAt: (minutes: number) => Date, lang: Language): QuotedTimes {
  const { timeZone } = config();
  const ended = timeAt(resolution.endedAt);
  return {
    end: formatTime(ended, lang, timeZone),
    duration: formatDuration(ended.getTime() - timeAt(incident.startedAt).getTime(), lang),
  };
}

function impactsInput(impacts: SampleImpacts, serviceIds: ReadonlyMap<ServiceSlug, number>): Record<string, Impact> {
  return Object.fromEntries(Object.entries(impacts).map(([slug, impact]) => [String(serviceIds.get(slug as ServiceSlug)), impact]));
}

/** Writes one incident, its updates, resolution and postmortem links through the service layer. */
function writeIncident(db: Db, serviceIds: ReadonlyMap<ServiceSlug, number>, incident: SampleIncident, reference: Date, now: Date): void {
  const timeAt = (minutes: number) => new Date(reference.getTime() + minutes * MINUTE_MS);
  const typedTime = (minutes: number) => toDateTimeLocalValue(timeAt(minutes), config().timeZone);

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
      ...composerFields(incident, 0, timeAt),
    },
    timeAt(first.at),
  );

  rest.forEach((update, restIndex) => {
    const impacts = update.impacts && impactsInput(update.impacts, serviceIds);
    postUpdate(db, SAMPLE_DATA_ACTOR, id, { status: update.status, impacts, ...composerFields(incident, restIndex + 1, timeAt) }, timeAt(update.at));
  });

  const { resolution, postmortem } = incident;
  if (!resolution) return;
  const notices = {
    noticeEn: resolution.en(quotedTimes(incident, resolution, timeAt, 'en')),
    noticeFr: resolution.fr(quotedTimes(incident, resolution, timeAt, 'fr')),
  };
  resolveIncident(db, SAMPLE_DATA_ACTOR, id, { endedAt: typedTime(resolution.endedAt), ...notices }, timeAt(resolution.at));

  if (postmortem) {
    // Published some days after the resolution, but never after `now`. The service posts
    // the public "postmortem published" update.
    const resolvedAt = timeAt(resolution.at).getTime();
    const publishedAt = new Date(Math.min(resolvedAt + postmortem.afterDays * DAY_MS, (resolvedAt + now.getTime()) / 2));
    setPostmortem(db, SAMPLE_DATA_ACTOR, id, { postmortemUrlEn: postmortem.urlEn, postmortemUrlFr: postmortem.urlFr }, publishedAt);
  }
}

/** A maintenance notice, with the same content in both languages. */
interface MaintenanceNotice {
  en: string;
  fr: string;
}

/** A maintenance window at a local time on a day counted from `now`, so the same text fits any `now`. */
interface SampleMaintenance {
  titleEn: string;
  titleFr: string;
  services: readonly ServiceSlug[];
  /** Days from `now` to the window's local date, negative for the past. */
  dayOffset: number;
  /** Local start time, as "HH:mm". */
  startTime: string;
  durationMinutes: number;
  /** The scheduling notice, with its posting time computed from the window's start and `now`. */
  notice: MaintenanceNotice & { postedAt: (start: Date, now: Date) => Date };
  /** Updates posted during the window, `at` minutes after its start. */
  updates: readonly (MaintenanceNotice & { at: number })[];
}

/** Completed two weeks before `now`, with its notice posted five and a half days before the start. */
const FORMS_DATABASE_UPGRADE: SampleMaintenance = {
  titleEn: 'Database upgrade for Forms',
  titleFr: 'Mise à niveau de la base de données des formulaires',
  services: ['forms'],
  dayOffset: -14,
  startTime: '22:00',
  durationMinutes: 120,
  notice: {
    postedAt: (start) => new Date(start.getTime() - 5 * DAY_MS - 12 * 60 * MINUTE_MS),
    en: 'We will upgrade the database behind Forms to a newer, supported version. During the 2 hours of work, forms cannot be opened or submitted, and no responses are delivered to departments. Responses submitted before the work starts are kept and will be delivered when it ends. We chose a time at night, when few forms are filled out.',
    fr: `Nous mettrons à niveau la base de données du service Formulaires vers une version plus récente et prise en charge. Pendant les 2${NBSP}heures de travaux, il sera impossible d’ouvrir ou de soumettre des formulaires, et aucune réponse ne sera transmise aux ministères. Les réponses soumises avant le début des travaux sont conservées et seront transmises à la fin de ceux-ci. Nous avons choisi une plage de nuit, où peu de formulaires sont remplis.`,
  },
  updates: [
    {
      at: 45,
      en: 'The upgrade is under way and going as planned. Forms are unavailable until the work ends. Responses submitted before it started are kept and will be delivered once forms are back.',
      fr: 'La mise à niveau est en cours et se déroule comme prévu. Les formulaires demeurent inaccessibles jusqu’à la fin des travaux. Les réponses soumises avant leur début sont conservées et seront transmises dès le retour des formulaires.',
    },
  ],
};

/** Upcoming, four days after `now`, with its notice posted a day before `now`. */
const EMAIL_CERTIFICATE_RENEWAL: SampleMaintenance = {
  titleEn: 'Certificate renewal for the email relay',
  titleFr: 'Renouvellement du certificat du relais de courriel',
  services: ['email-sending'],
  dayOffset: 4,
  startTime: '23:00',
  durationMinutes: 30,
  notice: {
    postedAt: (_start, now) => new Date(now.getTime() - DAY_MS),
    en: 'We will renew the security certificate of our email relay before it expires. For up to 30 minutes, emails sent through the API and the admin website will be accepted and queued, but not delivered. Queued emails will then be delivered, oldest first. No action is needed on your part.',
    fr: `Nous renouvellerons le certificat de sécurité de notre relais de courriel avant son expiration. Pendant au plus 30${NBSP}minutes, les courriels transmis par l’API et par le site Web d’administration seront acceptés et mis en file d’attente, mais pas livrés. Les courriels en attente seront ensuite livrés, en commençant par les plus anciens. Aucune action n’est requise de votre part.`,
  },
  updates: [],
};

const MAINTENANCES: readonly SampleMaintenance[] = [FORMS_DATABASE_UPGRADE, EMAIL_CERTIFICATE_RENEWAL];

/** Places a window in time, with both ends on quarter hours that read back unchanged as datetime-local values. */
function maintenanceWindow(maintenance: SampleMaintenance, now: Date, timeZone: string): { start: Date; end: Date } {
  const day = formatIsoDate(new Date(now.getTime() + maintenance.dayOffset * DAY_MS), timeZone);
  const localStart = parseDateTimeLocal(`${day}T${maintenance.startTime}`, timeZone);
  if (!localStart) throw new Error(`Cannot read ${day}T${maintenance.startTime} as a local time in ${timeZone}.`);
  const start = typeableQuarterHour(localStart, timeZone);
  const end = typeableQuarterHour(new Date(start.getTime() + maintenance.durationMinutes * MINUTE_MS), timeZone);
  return { start, end };
}

/** Writes one maintenance window, its scheduling notice and its updates through the service layer. */
function writeMaintenance(db: Db, serviceIds: ReadonlyMap<ServiceSlug, number>, maintenance: SampleMaintenance, now: Date): void {
  const { timeZone } = config();
  const { start, end } = maintenanceWindow(maintenance, now, timeZone);
  const id = scheduleMaintenance(
    db,
    SAMPLE_DATA_ACTOR,
    {
      titleEn: maintenance.titleEn,
      titleFr: maintenance.titleFr,
      scheduledStart: toDateTimeLocalValue(start, timeZone),
      scheduledEnd: toDateTimeLocalValue(end, timeZone),
      services: Object.fromEntries(maintenance.services.map((slug) => [String(serviceIds.get(slug)), 'on'])),
      bodyEn: maintenance.notice.en,
      bodyFr: maintenance.notice.fr,
    },
    maintenance.notice.postedAt(start, now),
  );

  for (const update of maintenance.updates) {
    postMaintenanceUpdate(db, SAMPLE_DATA_ACTOR, id, { bodyEn: update.en, bodyFr: update.fr }, new Date(start.getTime() + update.at * MINUTE_MS));
  }
}

/** Services listed half a year before `now`, so that their uptime bars have history. */
function writeServices(db: Db, now: Date): Map<ServiceSlug, number> {
  const ids = new Map<ServiceSlug, number>();
  SERVICES.forEach((service, index) => {
    ids.set(service.slug, createService(db, SAMPLE_DATA_ACTOR, { ...service, displayOrder: (index + 1) * 10 }, new Date(now.getTime() - 180 * DAY_MS)));
  });
  return ids;
}

function isEmpty(db: Db): boolean {
  const serviceCount = db.select({ n: count() }).from(services).get()?.n ?? 0;
  const incidentCount = db.select({ n: count() }).from(incidents).get()?.n ?? 0;
  return serviceCount === 0 && incidentCount === 0;
}

/**
 * Writes the sample services, incidents and maintenance windows, with times relative to
 * `now`, and creates no user. Throws DatabaseNotEmptyError when the database already has services or incidents,
 * and a ValidationError when `now` is in the future. Everything is written in one
 * transaction, so a failure leaves no sample data.
 */
export function loadSampleData(db: Db, now = new Date()): SampleDataSummary {
  // better-sqlite3 turns the service functions' own transactions into savepoints of this one.
  return db.transaction(
    () => {
      if (!isEmpty(db)) throw new DatabaseNotEmptyError();
      const serviceIds = writeServices(db, now);
      const schedule = scheduleIncidents(now, config().timeZone);
      for (const { incident, reference } of schedule) writeIncident(db, serviceIds, incident, reference, now);
      for (const maintenance of MAINTENANCES) writeMaintenance(db, serviceIds, maintenance, now);

      const openIncidents = schedule.filter(({ incident }) => !incident.resolution).length;
      // Counts rows, so the postmortem announcements that setPostmortem posts are included.
      const updates = db.select({ n: count() }).from(incidentUpdates).get()?.n ?? 0;
      return { services: serviceIds.size, incidents: schedule.length, openIncidents, updates, maintenances: MAINTENANCES.length };
    },
    { behavior: 'immediate' },
  );
}
