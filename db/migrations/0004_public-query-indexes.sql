DROP INDEX `incidents_status_idx`;--> statement-breakpoint
CREATE INDEX `incidents_ended_idx` ON `incidents` (`ended_at`);--> statement-breakpoint
CREATE INDEX `incidents_updated_idx` ON `incidents` (`updated_at`);--> statement-breakpoint
CREATE INDEX `incidents_status_idx` ON `incidents` (`status`,`ended_at`);--> statement-breakpoint
CREATE INDEX `maintenances_updated_idx` ON `maintenances` (`updated_at`);