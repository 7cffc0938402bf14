// Database tables. Times are stored as UTC milliseconds since the epoch.
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { IMPACTS, INCIDENT_STATUSES, ROLES, TEMPLATE_MOMENTS, UPDATE_KINDS, USERS_AFFECTED_KINDS } from '../vocabulary.ts';

const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });
const createdAt = () =>
  timestamp('created_at')
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  email: text('email').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  role: text('role', { enum: ROLES }).notNull(),
  createdAt: createdAt(),
  // Set when an administrator deactivates the account; a deactivated user cannot sign in.
  deactivatedAt: timestamp('deactivated_at'),
  // Base32 TOTP secret once two-factor sign-in is set up; null before.
  totpSecret: text('totp_secret'),
  totpEnabledAt: timestamp('totp_enabled_at'),
});

/** One-time recovery codes for two-factor sign-in, stored as SHA-256 hashes. */
export const recoveryCodes = sqliteTable(
  'recovery_codes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at'),
  },
  (table) => [index('recovery_codes_user_idx').on(table.userId)],
);

/** One-time invitation links through which a new user chooses a password. */
export const invitations = sqliteTable('invitations', {
  tokenHash: text('token_hash').primaryKey(),
  email: text('email').notNull(),
  role: text('role', { enum: ROLES }).notNull(),
  invitedBy: integer('invited_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at').notNull(),
  usedAt: timestamp('used_at'),
});

/** Sign-in attempts, for limiting them per account and per address. */
export const signInAttempts = sqliteTable(
  'sign_in_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    email: text('email').notNull(),
    address: text('address').notNull(),
    succeeded: integer('succeeded', { mode: 'boolean' }).notNull(),
    at: timestamp('at').notNull(),
  },
  (table) => [index('sign_in_attempts_email_idx').on(table.email, table.at), index('sign_in_attempts_address_idx').on(table.address, table.at)],
);

/** Site-wide settings changed in the admin area, one row per key. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: timestamp('updated_at').notNull(),
});

export const sessions = sqliteTable(
  'sessions',
  {
    // SHA-256 of the token held in the cookie, so a copy of the database cannot be used to sign in.
    id: text('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at').notNull(),
    // Last request seen, for expiry after inactivity.
    lastSeenAt: timestamp('last_seen_at'),
    // False between the password and the second factor of a two-factor sign-in.
    twoFactorPassed: integer('two_factor_passed', { mode: 'boolean' }).notNull().default(true),
  },
  (table) => [index('sessions_user_idx').on(table.userId)],
);

/** One-time links that let the first administrator choose a password. */
export const setupTokens = sqliteTable('setup_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at').notNull(),
});

export const services = sqliteTable('services', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  slug: text('slug').notNull().unique(),
  nameEn: text('name_en').notNull(),
  nameFr: text('name_fr').notNull(),
  descriptionEn: text('description_en').notNull().default(''),
  descriptionFr: text('description_fr').notNull().default(''),
  displayOrder: integer('display_order').notNull().default(0),
  createdAt: createdAt(),
});

export const incidents = sqliteTable(
  'incidents',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    titleEn: text('title_en').notNull(),
    titleFr: text('title_fr').notNull(),
    severity: integer('severity').notNull(),
    // Status of the latest update, kept here so lists need no join.
    status: text('status', { enum: INCIDENT_STATUSES }).notNull(),
    startedAt: timestamp('started_at').notNull(),
    detectedAt: timestamp('detected_at').notNull(),
    endedAt: timestamp('ended_at'),
    // Promised time of the next update, copied from the latest update; null once resolved.
    nextUpdateAt: timestamp('next_update_at'),
    postmortemUrlEn: text('postmortem_url_en'),
    postmortemUrlFr: text('postmortem_url_fr'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at').notNull(),
    // Incremented by every write, so that a save based on an older version is detected.
    version: integer('version').notNull().default(1),
  },
  (table) => [
    index('incidents_status_idx').on(table.status, table.endedAt),
    index('incidents_started_idx').on(table.startedAt),
    index('incidents_ended_idx').on(table.endedAt),
    index('incidents_updated_idx').on(table.updatedAt),
  ],
);

export const incidentServices = sqliteTable(
  'incident_services',
  {
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    serviceId: integer('service_id')
      .notNull()
      .references(() => services.id, { onDelete: 'restrict' }),
    impact: text('impact', { enum: IMPACTS }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.incidentId, table.serviceId] }),
    index('incident_services_service_idx').on(table.serviceId),
  ],
);

export const incidentUpdates = sqliteTable(
  'incident_updates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    status: text('status', { enum: INCIDENT_STATUSES }).notNull(),
    kind: text('kind', { enum: UPDATE_KINDS }).notNull().default('update'),
    // The summary: one or two sentences on the current state and its impact.
    bodyEn: text('body_en').notNull(),
    bodyFr: text('body_fr').notNull(),
    // "What is happening now" and "next steps": one point per line, the same count in each language.
    nowEn: text('now_en').notNull().default(''),
    nowFr: text('now_fr').notNull().default(''),
    nextEn: text('next_en').notNull().default(''),
    nextFr: text('next_fr').notNull().default(''),
    // Null on updates that state no facts, such as a postmortem announcement.
    usersAffectedKind: text('users_affected_kind', { enum: USERS_AFFECTED_KINDS }),
    usersAffected: integer('users_affected'),
    // Null when the cause is not yet known.
    causeEn: text('cause_en'),
    causeFr: text('cause_fr'),
    // Null when the time of restoration is not known.
    restorationAt: timestamp('restoration_at'),
    nextUpdateAt: timestamp('next_update_at'),
    postedAt: timestamp('posted_at').notNull(),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
  },
  (table) => [
    index('incident_updates_incident_idx').on(table.incidentId, table.postedAt),
    index('incident_updates_posted_idx').on(table.postedAt),
  ],
);

/** Append-only record of every write: who did what, to what, and when. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: timestamp('at').notNull(),
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    // The actor's email at the time, kept even if the user is later removed.
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (table) => [index('audit_log_at_idx').on(table.at)],
);

/** Editable starting points for the usual moments of an incident, in both languages. */
export const updateTemplates = sqliteTable('update_templates', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  moment: text('moment', { enum: TEMPLATE_MOMENTS }).notNull(),
  nameEn: text('name_en').notNull(),
  nameFr: text('name_fr').notNull(),
  summaryEn: text('summary_en').notNull(),
  summaryFr: text('summary_fr').notNull(),
  nowEn: text('now_en').notNull().default(''),
  nowFr: text('now_fr').notNull().default(''),
  nextEn: text('next_en').notNull().default(''),
  nextFr: text('next_fr').notNull().default(''),
  displayOrder: integer('display_order').notNull().default(0),
  updatedAt: timestamp('updated_at').notNull(),
});

/** Planned maintenance windows. Their status follows the clock; see maintenanceStatus. */
export const maintenances = sqliteTable(
  'maintenances',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    titleEn: text('title_en').notNull(),
    titleFr: text('title_fr').notNull(),
    scheduledStart: timestamp('scheduled_start').notNull(),
    scheduledEnd: timestamp('scheduled_end').notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (table) => [
    index('maintenances_start_idx').on(table.scheduledStart),
    index('maintenances_end_idx').on(table.scheduledEnd),
    index('maintenances_updated_idx').on(table.updatedAt),
  ],
);

export const maintenanceServices = sqliteTable(
  'maintenance_services',
  {
    maintenanceId: integer('maintenance_id')
      .notNull()
      .references(() => maintenances.id, { onDelete: 'cascade' }),
    serviceId: integer('service_id')
      .notNull()
      .references(() => services.id, { onDelete: 'restrict' }),
  },
  (table) => [primaryKey({ columns: [table.maintenanceId, table.serviceId] }), index('maintenance_services_service_idx').on(table.serviceId)],
);

export const maintenanceUpdates = sqliteTable(
  'maintenance_updates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    maintenanceId: integer('maintenance_id')
      .notNull()
      .references(() => maintenances.id, { onDelete: 'cascade' }),
    bodyEn: text('body_en').notNull(),
    bodyFr: text('body_fr').notNull(),
    postedAt: timestamp('posted_at').notNull(),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
  },
  (table) => [index('maintenance_updates_maintenance_idx').on(table.maintenanceId, table.postedAt)],
);
