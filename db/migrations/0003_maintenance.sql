CREATE TABLE `maintenance_services` (
	`maintenance_id` integer NOT NULL,
	`service_id` integer NOT NULL,
	PRIMARY KEY(`maintenance_id`, `service_id`),
	FOREIGN KEY (`maintenance_id`) REFERENCES `maintenances`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `maintenance_services_service_idx` ON `maintenance_services` (`service_id`);--> statement-breakpoint
CREATE TABLE `maintenance_updates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`maintenance_id` integer NOT NULL,
	`body_en` text NOT NULL,
	`body_fr` text NOT NULL,
	`posted_at` integer NOT NULL,
	`author_id` integer,
	FOREIGN KEY (`maintenance_id`) REFERENCES `maintenances`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `maintenance_updates_maintenance_idx` ON `maintenance_updates` (`maintenance_id`,`posted_at`);--> statement-breakpoint
CREATE TABLE `maintenances` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title_en` text NOT NULL,
	`title_fr` text NOT NULL,
	`scheduled_start` integer NOT NULL,
	`scheduled_end` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `maintenances_start_idx` ON `maintenances` (`scheduled_start`);--> statement-breakpoint
CREATE INDEX `maintenances_end_idx` ON `maintenances` (`scheduled_end`);