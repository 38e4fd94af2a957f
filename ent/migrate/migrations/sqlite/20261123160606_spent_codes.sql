-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- A used code's use cannot be kept as a spent hash without the code: forget the code instead, so that it casts nothing
DELETE FROM `ballot_codes` WHERE `used`;
-- Create "new_ballot_codes" table
CREATE TABLE `new_ballot_codes` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `hash` text NOT NULL, `round_id` integer NOT NULL, CONSTRAINT `ballot_codes_rounds_codes_issued` FOREIGN KEY (`round_id`) REFERENCES `rounds` (`id`) ON DELETE NO ACTION);
-- Copy rows from old table "ballot_codes" to new temporary table "new_ballot_codes"
INSERT INTO `new_ballot_codes` (`id`, `hash`, `round_id`) SELECT `id`, `hash`, `round_id` FROM `ballot_codes`;
-- Drop "ballot_codes" table after copying rows
DROP TABLE `ballot_codes`;
-- Rename temporary table "new_ballot_codes" to "ballot_codes"
ALTER TABLE `new_ballot_codes` RENAME TO `ballot_codes`;
-- Create index "ballot_codes_hash_key" to table: "ballot_codes"
CREATE UNIQUE INDEX `ballot_codes_hash_key` ON `ballot_codes` (`hash`);
-- Create index "ballotcode_round_id" to table: "ballot_codes"
CREATE INDEX `ballotcode_round_id` ON `ballot_codes` (`round_id`);
-- Create "spent_codes" table
CREATE TABLE `spent_codes` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `hash` text NOT NULL, `round_id` integer NOT NULL, CONSTRAINT `spent_codes_rounds_codes_spent` FOREIGN KEY (`round_id`) REFERENCES `rounds` (`id`) ON DELETE NO ACTION);
-- Create index "spent_codes_hash_key" to table: "spent_codes"
CREATE UNIQUE INDEX `spent_codes_hash_key` ON `spent_codes` (`hash`);
-- Create index "spentcode_round_id" to table: "spent_codes"
CREATE INDEX `spentcode_round_id` ON `spent_codes` (`round_id`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
