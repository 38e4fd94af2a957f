-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_appointments" table
CREATE TABLE `new_appointments` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `starts_on` date NOT NULL, `ends_on` date NULL, `obtained_by` text NOT NULL, `end_reason` text NULL, `election_id` integer NULL, `person_id` integer NOT NULL, `post_id` integer NOT NULL, `term_id` integer NOT NULL, CONSTRAINT `appointments_elections_election` FOREIGN KEY (`election_id`) REFERENCES `elections` (`id`) ON DELETE SET NULL, CONSTRAINT `appointments_people_appointments` FOREIGN KEY (`person_id`) REFERENCES `people` (`id`) ON DELETE NO ACTION, CONSTRAINT `appointments_posts_appointments` FOREIGN KEY (`post_id`) REFERENCES `posts` (`id`) ON DELETE NO ACTION, CONSTRAINT `appointments_terms_appointments` FOREIGN KEY (`term_id`) REFERENCES `terms` (`id`) ON DELETE NO ACTION, CONSTRAINT `appointment_dates` CHECK (ends_on IS NULL OR starts_on < ends_on));
-- Copy rows from old table "appointments" to new temporary table "new_appointments"
INSERT INTO `new_appointments` (`id`, `created_at`, `updated_at`, `starts_on`, `ends_on`, `obtained_by`, `end_reason`, `person_id`, `post_id`, `term_id`) SELECT `id`, `created_at`, `updated_at`, `starts_on`, `ends_on`, `obtained_by`, `end_reason`, `person_id`, `post_id`, `term_id` FROM `appointments`;
-- Drop "appointments" table after copying rows
DROP TABLE `appointments`;
-- Rename temporary table "new_appointments" to "appointments"
ALTER TABLE `new_appointments` RENAME TO `appointments`;
-- Create index "appointment_person_id_post_id_term_id" to table: "appointments"
CREATE UNIQUE INDEX `appointment_person_id_post_id_term_id` ON `appointments` (`person_id`, `post_id`, `term_id`);
-- Create index "appointment_term_id_post_id" to table: "appointments"
CREATE INDEX `appointment_term_id_post_id` ON `appointments` (`term_id`, `post_id`);
-- Create index "appointment_post_id" to table: "appointments"
CREATE INDEX `appointment_post_id` ON `appointments` (`post_id`);
-- Create index "appointment_person_id_starts_on" to table: "appointments"
CREATE INDEX `appointment_person_id_starts_on` ON `appointments` (`person_id`, `starts_on`);
-- Create index "appointment_election_id" to table: "appointments"
CREATE INDEX `appointment_election_id` ON `appointments` (`election_id`);
-- Create "new_grants" table
CREATE TABLE `new_grants` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `role` text NOT NULL, `granted_by` text NOT NULL, `account_id` integer NOT NULL, `meeting_id` integer NULL, `assembly_id` integer NULL, `election_id` integer NULL, `person_id` integer NULL, CONSTRAINT `grants_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION, CONSTRAINT `grants_meetings_meeting` FOREIGN KEY (`meeting_id`) REFERENCES `meetings` (`id`) ON DELETE SET NULL, CONSTRAINT `grants_assemblies_assembly` FOREIGN KEY (`assembly_id`) REFERENCES `assemblies` (`id`) ON DELETE SET NULL, CONSTRAINT `grants_elections_election` FOREIGN KEY (`election_id`) REFERENCES `elections` (`id`) ON DELETE SET NULL, CONSTRAINT `grants_people_person` FOREIGN KEY (`person_id`) REFERENCES `people` (`id`) ON DELETE SET NULL);
-- Copy rows from old table "grants" to new temporary table "new_grants"
INSERT INTO `new_grants` (`id`, `created_at`, `updated_at`, `role`, `granted_by`, `account_id`, `meeting_id`, `assembly_id`) SELECT `id`, `created_at`, `updated_at`, `role`, `granted_by`, `account_id`, `meeting_id`, `assembly_id` FROM `grants`;
-- Drop "grants" table after copying rows
DROP TABLE `grants`;
-- Rename temporary table "new_grants" to "grants"
ALTER TABLE `new_grants` RENAME TO `grants`;
-- Create index "grant_account_id_role_meeting_id_assembly_id" to table: "grants"
CREATE UNIQUE INDEX `grant_account_id_role_meeting_id_assembly_id` ON `grants` (`account_id`, `role`, `meeting_id`, `assembly_id`);
-- Create index "grant_meeting_id" to table: "grants"
CREATE INDEX `grant_meeting_id` ON `grants` (`meeting_id`);
-- Create index "grant_assembly_id" to table: "grants"
CREATE INDEX `grant_assembly_id` ON `grants` (`assembly_id`);
-- Create index "grant_election_id_account_id" to table: "grants"
CREATE UNIQUE INDEX `grant_election_id_account_id` ON `grants` (`election_id`, `account_id`);
-- Create "ballots" table
CREATE TABLE `ballots` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `seq` integer NOT NULL, `serial` text NOT NULL, `copy` integer NOT NULL DEFAULT (1), `entry` integer NOT NULL, `marks` text NOT NULL, `electronic` bool NOT NULL DEFAULT (false), `entered_by` text NOT NULL, `teller_id` integer NULL, `receipt_hash` text NULL, `hash` text NOT NULL, `prev_hash` text NOT NULL, `entered_at` datetime NOT NULL, `standing` bool NOT NULL DEFAULT (false), `valid` bool NULL, `reason` text NULL, `round_id` integer NOT NULL, CONSTRAINT `ballots_rounds_ballots` FOREIGN KEY (`round_id`) REFERENCES `rounds` (`id`) ON DELETE NO ACTION);
-- Create index "ballots_receipt_hash_key" to table: "ballots"
CREATE UNIQUE INDEX `ballots_receipt_hash_key` ON `ballots` (`receipt_hash`);
-- Create index "ballot_round_id_seq" to table: "ballots"
CREATE UNIQUE INDEX `ballot_round_id_seq` ON `ballots` (`round_id`, `seq`);
-- Create index "ballot_round_id_serial_copy" to table: "ballots"
CREATE INDEX `ballot_round_id_serial_copy` ON `ballots` (`round_id`, `serial`, `copy`);
-- Create "ballot_codes" table
CREATE TABLE `ballot_codes` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `hash` text NOT NULL, `used` bool NOT NULL DEFAULT (false), `round_id` integer NOT NULL, CONSTRAINT `ballot_codes_rounds_codes_issued` FOREIGN KEY (`round_id`) REFERENCES `rounds` (`id`) ON DELETE NO ACTION);
-- Create index "ballot_codes_hash_key" to table: "ballot_codes"
CREATE UNIQUE INDEX `ballot_codes_hash_key` ON `ballot_codes` (`hash`);
-- Create index "ballotcode_round_id" to table: "ballot_codes"
CREATE INDEX `ballotcode_round_id` ON `ballot_codes` (`round_id`);
-- Create "candidates" table
CREATE TABLE `candidates` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `write_in` bool NOT NULL DEFAULT (false), `nominated_by` text NOT NULL, `nominated_on` date NOT NULL, `recorded_by` text NOT NULL, `eligibility` text NOT NULL DEFAULT (''), `status` text NOT NULL DEFAULT ('NOMINATED'), `elected_in_round` integer NULL, `withdraw_reason` text NULL, `person_id` integer NULL, `election_id` integer NOT NULL, `election_post_id` integer NOT NULL, CONSTRAINT `candidates_people_person` FOREIGN KEY (`person_id`) REFERENCES `people` (`id`) ON DELETE SET NULL, CONSTRAINT `candidates_elections_candidates` FOREIGN KEY (`election_id`) REFERENCES `elections` (`id`) ON DELETE NO ACTION, CONSTRAINT `candidates_election_posts_candidates` FOREIGN KEY (`election_post_id`) REFERENCES `election_posts` (`id`) ON DELETE NO ACTION);
-- Create index "candidate_election_post_id_person_id" to table: "candidates"
CREATE UNIQUE INDEX `candidate_election_post_id_person_id` ON `candidates` (`election_post_id`, `person_id`);
-- Create index "candidate_election_id_person_id" to table: "candidates"
CREATE INDEX `candidate_election_id_person_id` ON `candidates` (`election_id`, `person_id`);
-- Create "elections" table
CREATE TABLE `elections` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `title` text NOT NULL, `method` text NOT NULL DEFAULT ('FOR_AGAINST'), `threshold` json NULL, `write_ins` bool NOT NULL DEFAULT (false), `contest_margin` json NULL, `max_rounds` integer NOT NULL, `double_entry` bool NOT NULL DEFAULT (false), `status` text NOT NULL DEFAULT ('NOMINATING'), `certified_at` datetime NULL, `certified_by` text NULL, `term_id` integer NOT NULL, `meeting_id` integer NOT NULL, CONSTRAINT `elections_terms_term` FOREIGN KEY (`term_id`) REFERENCES `terms` (`id`) ON DELETE NO ACTION, CONSTRAINT `elections_meetings_meeting` FOREIGN KEY (`meeting_id`) REFERENCES `meetings` (`id`) ON DELETE NO ACTION);
-- Create index "election_term_id" to table: "elections"
CREATE INDEX `election_term_id` ON `elections` (`term_id`);
-- Create index "election_meeting_id" to table: "elections"
CREATE INDEX `election_meeting_id` ON `elections` (`meeting_id`);
-- Create "election_posts" table
CREATE TABLE `election_posts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `seats` integer NOT NULL, `election_id` integer NOT NULL, `post_id` integer NOT NULL, CONSTRAINT `election_posts_elections_posts` FOREIGN KEY (`election_id`) REFERENCES `elections` (`id`) ON DELETE NO ACTION, CONSTRAINT `election_posts_posts_post` FOREIGN KEY (`post_id`) REFERENCES `posts` (`id`) ON DELETE NO ACTION);
-- Create index "electionpost_election_id_post_id" to table: "election_posts"
CREATE UNIQUE INDEX `electionpost_election_id_post_id` ON `election_posts` (`election_id`, `post_id`);
-- Create "rounds" table
CREATE TABLE `rounds` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `number` integer NOT NULL, `seats` integer NOT NULL, `status` text NOT NULL DEFAULT ('OPEN'), `entitled` integer NOT NULL, `issued` integer NOT NULL DEFAULT (0), `codes` integer NOT NULL DEFAULT (0), `entries` integer NOT NULL DEFAULT (0), `chain_head` text NOT NULL DEFAULT (''), `opened_at` datetime NOT NULL, `opened_by` text NOT NULL, `closed_at` datetime NULL, `closed_by` text NULL, `returned` integer NULL, `valid` integer NULL, `void` bool NOT NULL DEFAULT (false), `config` text NULL, `result` text NULL, `report` text NULL, `election_id` integer NOT NULL, `election_post_id` integer NOT NULL, CONSTRAINT `rounds_elections_rounds` FOREIGN KEY (`election_id`) REFERENCES `elections` (`id`) ON DELETE NO ACTION, CONSTRAINT `rounds_election_posts_rounds` FOREIGN KEY (`election_post_id`) REFERENCES `election_posts` (`id`) ON DELETE NO ACTION);
-- Create index "round_election_post_id_number" to table: "rounds"
CREATE UNIQUE INDEX `round_election_post_id_number` ON `rounds` (`election_post_id`, `number`);
-- Create index "round_election_id" to table: "rounds"
CREATE INDEX `round_election_id` ON `rounds` (`election_id`);
-- Create "round_voters" table
CREATE TABLE `round_voters` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `code_issued` bool NOT NULL DEFAULT (false), `round_id` integer NOT NULL, `participant_id` integer NOT NULL, CONSTRAINT `round_voters_rounds_voters` FOREIGN KEY (`round_id`) REFERENCES `rounds` (`id`) ON DELETE NO ACTION, CONSTRAINT `round_voters_participants_participant` FOREIGN KEY (`participant_id`) REFERENCES `participants` (`id`) ON DELETE NO ACTION);
-- Create index "roundvoter_round_id_participant_id" to table: "round_voters"
CREATE UNIQUE INDEX `roundvoter_round_id_participant_id` ON `round_voters` (`round_id`, `participant_id`);
-- Create index "roundvoter_participant_id" to table: "round_voters"
CREATE INDEX `roundvoter_participant_id` ON `round_voters` (`participant_id`);
-- Create "round_candidates" table
CREATE TABLE `round_candidates` (`round_id` integer NOT NULL, `candidate_id` integer NOT NULL, PRIMARY KEY (`round_id`, `candidate_id`), CONSTRAINT `round_candidates_round_id` FOREIGN KEY (`round_id`) REFERENCES `rounds` (`id`) ON DELETE CASCADE, CONSTRAINT `round_candidates_candidate_id` FOREIGN KEY (`candidate_id`) REFERENCES `candidates` (`id`) ON DELETE CASCADE);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
