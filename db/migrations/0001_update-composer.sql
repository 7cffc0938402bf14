CREATE TABLE `update_templates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`moment` text NOT NULL,
	`name_en` text NOT NULL,
	`name_fr` text NOT NULL,
	`summary_en` text NOT NULL,
	`summary_fr` text NOT NULL,
	`now_en` text DEFAULT '' NOT NULL,
	`now_fr` text DEFAULT '' NOT NULL,
	`next_en` text DEFAULT '' NOT NULL,
	`next_fr` text DEFAULT '' NOT NULL,
	`display_order` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `incident_updates` ADD `kind` text DEFAULT 'update' NOT NULL;--> statement-breakpoint
ALTER TABLE `incident_updates` ADD `now_en` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `incident_updates` ADD `now_fr` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `incident_updates` ADD `next_en` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `incident_updates` ADD `next_fr` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `incident_updates` ADD `users_affected_kind` text;--> statement-breakpoint
ALTER TABLE `incident_updates` ADD `users_affected` integer;--> statement-breakpoint
ALTER TABLE `incident_updates` ADD `cause_en` text;--> statement-breakpoint
ALTER TABLE `incident_updates` ADD `cause_fr` text;--> statement-breakpoint
ALTER TABLE `incident_updates` ADD `restoration_at` integer;--> statement-breakpoint
ALTER TABLE `incident_updates` ADD `next_update_at` integer;--> statement-breakpoint
ALTER TABLE `incidents` ADD `next_update_at` integer;