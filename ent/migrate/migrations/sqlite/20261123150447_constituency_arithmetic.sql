-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_constituencies" table
CREATE TABLE `new_constituencies` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `active_members` integer NOT NULL, `computed_seats` integer NOT NULL, `seats` integer NOT NULL, `adjust_reason` text NULL, `arithmetic` text NOT NULL DEFAULT (''), `assembly_id` integer NOT NULL, `organization_id` integer NULL, `institution_id` integer NULL, CONSTRAINT `constituencies_assemblies_constituencies` FOREIGN KEY (`assembly_id`) REFERENCES `assemblies` (`id`) ON DELETE NO ACTION, CONSTRAINT `constituencies_organizations_organization` FOREIGN KEY (`organization_id`) REFERENCES `organizations` (`id`) ON DELETE SET NULL, CONSTRAINT `constituencies_institutions_institution` FOREIGN KEY (`institution_id`) REFERENCES `institutions` (`id`) ON DELETE SET NULL);
-- Copy rows from old table "constituencies" to new temporary table "new_constituencies"
INSERT INTO `new_constituencies` (`id`, `created_at`, `updated_at`, `name`, `active_members`, `computed_seats`, `seats`, `adjust_reason`, `assembly_id`, `organization_id`, `institution_id`) SELECT `id`, `created_at`, `updated_at`, `name`, `active_members`, `computed_seats`, `seats`, `adjust_reason`, `assembly_id`, `organization_id`, `institution_id` FROM `constituencies`;
-- Drop "constituencies" table after copying rows
DROP TABLE `constituencies`;
-- Rename temporary table "new_constituencies" to "constituencies"
ALTER TABLE `new_constituencies` RENAME TO `constituencies`;
-- Create index "constituency_assembly_id_organization_id" to table: "constituencies"
CREATE UNIQUE INDEX `constituency_assembly_id_organization_id` ON `constituencies` (`assembly_id`, `organization_id`);
-- Create index "constituency_assembly_id_institution_id" to table: "constituencies"
CREATE UNIQUE INDEX `constituency_assembly_id_institution_id` ON `constituencies` (`assembly_id`, `institution_id`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
