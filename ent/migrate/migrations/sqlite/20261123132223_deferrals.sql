-- Create "deferrals" table
CREATE TABLE `deferrals` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `until` date NOT NULL, `reason` text NOT NULL, `approver` text NOT NULL, `term_id` integer NOT NULL, CONSTRAINT `deferrals_terms_deferrals` FOREIGN KEY (`term_id`) REFERENCES `terms` (`id`) ON DELETE NO ACTION);
-- Create index "deferral_term_id_until" to table: "deferrals"
CREATE INDEX `deferral_term_id_until` ON `deferrals` (`term_id`, `until`);
