-- Create "assemblies" table
CREATE TABLE `assemblies` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `seats` integer NOT NULL, `apportioned_on` date NULL, `term_id` integer NOT NULL, CONSTRAINT `assemblies_terms_term` FOREIGN KEY (`term_id`) REFERENCES `terms` (`id`) ON DELETE NO ACTION);
-- Create "attendances" table
CREATE TABLE `attendances` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `present` bool NOT NULL, `checked_in_at` datetime NOT NULL, `checked_out_at` datetime NULL, `recorded_by` text NOT NULL, `participant_id` integer NOT NULL, `meeting_id` integer NOT NULL, CONSTRAINT `attendances_participants_participant` FOREIGN KEY (`participant_id`) REFERENCES `participants` (`id`) ON DELETE NO ACTION, CONSTRAINT `attendances_meetings_attendance` FOREIGN KEY (`meeting_id`) REFERENCES `meetings` (`id`) ON DELETE NO ACTION);
-- Create index "attendance_meeting_id_participant_id" to table: "attendances"
CREATE UNIQUE INDEX `attendance_meeting_id_participant_id` ON `attendances` (`meeting_id`, `participant_id`);
-- Create "constituencies" table
CREATE TABLE `constituencies` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `active_members` integer NOT NULL, `computed_seats` integer NOT NULL, `seats` integer NOT NULL, `adjust_reason` text NULL, `assembly_id` integer NOT NULL, `organization_id` integer NULL, `institution_id` integer NULL, CONSTRAINT `constituencies_assemblies_constituencies` FOREIGN KEY (`assembly_id`) REFERENCES `assemblies` (`id`) ON DELETE NO ACTION, CONSTRAINT `constituencies_organizations_organization` FOREIGN KEY (`organization_id`) REFERENCES `organizations` (`id`) ON DELETE SET NULL, CONSTRAINT `constituencies_institutions_institution` FOREIGN KEY (`institution_id`) REFERENCES `institutions` (`id`) ON DELETE SET NULL);
-- Create index "constituency_assembly_id_organization_id" to table: "constituencies"
CREATE UNIQUE INDEX `constituency_assembly_id_organization_id` ON `constituencies` (`assembly_id`, `organization_id`);
-- Create index "constituency_assembly_id_institution_id" to table: "constituencies"
CREATE UNIQUE INDEX `constituency_assembly_id_institution_id` ON `constituencies` (`assembly_id`, `institution_id`);
-- Create "grants" table
CREATE TABLE `grants` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `role` text NOT NULL, `granted_by` text NOT NULL, `account_id` integer NOT NULL, `meeting_id` integer NULL, `assembly_id` integer NULL, CONSTRAINT `grants_accounts_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION, CONSTRAINT `grants_meetings_meeting` FOREIGN KEY (`meeting_id`) REFERENCES `meetings` (`id`) ON DELETE SET NULL, CONSTRAINT `grants_assemblies_assembly` FOREIGN KEY (`assembly_id`) REFERENCES `assemblies` (`id`) ON DELETE SET NULL);
-- Create index "grant_account_id_role_meeting_id_assembly_id" to table: "grants"
CREATE UNIQUE INDEX `grant_account_id_role_meeting_id_assembly_id` ON `grants` (`account_id`, `role`, `meeting_id`, `assembly_id`);
-- Create index "grant_meeting_id" to table: "grants"
CREATE INDEX `grant_meeting_id` ON `grants` (`meeting_id`);
-- Create index "grant_assembly_id" to table: "grants"
CREATE INDEX `grant_assembly_id` ON `grants` (`assembly_id`);
-- Create "meetings" table
CREATE TABLE `meetings` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `session` integer NULL, `kind` text NOT NULL, `title` text NOT NULL, `held_on` date NOT NULL, `assembly_id` integer NULL, `term_id` integer NOT NULL, CONSTRAINT `meetings_assemblies_sessions` FOREIGN KEY (`assembly_id`) REFERENCES `assemblies` (`id`) ON DELETE SET NULL, CONSTRAINT `meetings_terms_term` FOREIGN KEY (`term_id`) REFERENCES `terms` (`id`) ON DELETE NO ACTION);
-- Create index "meeting_assembly_id_session" to table: "meetings"
CREATE UNIQUE INDEX `meeting_assembly_id_session` ON `meetings` (`assembly_id`, `session`);
-- Create index "meeting_term_id_held_on" to table: "meetings"
CREATE INDEX `meeting_term_id_held_on` ON `meetings` (`term_id`, `held_on`);
-- Create "motions" table
CREATE TABLE `motions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `number` integer NOT NULL, `title` text NOT NULL, `text` text NOT NULL DEFAULT (''), `kind` text NOT NULL, `secret` bool NOT NULL DEFAULT (false), `threshold` json NOT NULL, `quorum` json NOT NULL, `status` text NOT NULL DEFAULT ('DRAFT'), `opened_at` datetime NULL, `closed_at` datetime NULL, `entitled` integer NULL, `present` integer NULL, `yes` integer NULL, `no` integer NULL, `abstain` integer NULL, `recused` integer NULL, `absent` integer NULL, `not_voting` integer NULL, `result` text NULL, `arithmetic` text NULL, `meeting_id` integer NOT NULL, CONSTRAINT `motions_meetings_motions` FOREIGN KEY (`meeting_id`) REFERENCES `meetings` (`id`) ON DELETE NO ACTION);
-- Create index "motion_meeting_id_number" to table: "motions"
CREATE UNIQUE INDEX `motion_meeting_id_number` ON `motions` (`meeting_id`, `number`);
-- Create "participants" table
CREATE TABLE `participants` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `role` text NOT NULL, `weight` integer NOT NULL DEFAULT (1), `replaced_at` datetime NULL, `credential_confirmed_at` datetime NULL, `credential_confirmed_by` text NULL, `voter_token_hash` text NULL, `assembly_id` integer NULL, `meeting_id` integer NULL, `person_id` integer NOT NULL, `constituency_id` integer NULL, `on_behalf_of_id` integer NULL, `replaces_id` integer NULL, CONSTRAINT `participants_assemblies_participants` FOREIGN KEY (`assembly_id`) REFERENCES `assemblies` (`id`) ON DELETE SET NULL, CONSTRAINT `participants_meetings_participants` FOREIGN KEY (`meeting_id`) REFERENCES `meetings` (`id`) ON DELETE SET NULL, CONSTRAINT `participants_people_person` FOREIGN KEY (`person_id`) REFERENCES `people` (`id`) ON DELETE NO ACTION, CONSTRAINT `participants_constituencies_constituency` FOREIGN KEY (`constituency_id`) REFERENCES `constituencies` (`id`) ON DELETE SET NULL, CONSTRAINT `participants_institutions_on_behalf_of` FOREIGN KEY (`on_behalf_of_id`) REFERENCES `institutions` (`id`) ON DELETE SET NULL, CONSTRAINT `participants_participants_replaces` FOREIGN KEY (`replaces_id`) REFERENCES `participants` (`id`) ON DELETE SET NULL);
-- Create index "participants_voter_token_hash_key" to table: "participants"
CREATE UNIQUE INDEX `participants_voter_token_hash_key` ON `participants` (`voter_token_hash`);
-- Create index "participants_replaces_id_key" to table: "participants"
CREATE UNIQUE INDEX `participants_replaces_id_key` ON `participants` (`replaces_id`);
-- Create index "participant_assembly_id_person_id" to table: "participants"
CREATE UNIQUE INDEX `participant_assembly_id_person_id` ON `participants` (`assembly_id`, `person_id`);
-- Create index "participant_meeting_id_person_id" to table: "participants"
CREATE UNIQUE INDEX `participant_meeting_id_person_id` ON `participants` (`meeting_id`, `person_id`);
-- Create index "participant_constituency_id" to table: "participants"
CREATE INDEX `participant_constituency_id` ON `participants` (`constituency_id`);
-- Create "votes" table
CREATE TABLE `votes` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `motion_id` integer NOT NULL, `option` text NOT NULL, `entered_by` text NULL, `cast_at` datetime NOT NULL, `voter_id` integer NOT NULL, CONSTRAINT `votes_voters_vote` FOREIGN KEY (`voter_id`) REFERENCES `voters` (`id`) ON DELETE NO ACTION);
-- Create index "votes_voter_id_key" to table: "votes"
CREATE UNIQUE INDEX `votes_voter_id_key` ON `votes` (`voter_id`);
-- Create index "vote_motion_id" to table: "votes"
CREATE INDEX `vote_motion_id` ON `votes` (`motion_id`);
-- Create "voters" table
CREATE TABLE `voters` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `weight` integer NOT NULL, `present` bool NOT NULL, `motion_id` integer NOT NULL, `participant_id` integer NOT NULL, CONSTRAINT `voters_motions_voters` FOREIGN KEY (`motion_id`) REFERENCES `motions` (`id`) ON DELETE NO ACTION, CONSTRAINT `voters_participants_participant` FOREIGN KEY (`participant_id`) REFERENCES `participants` (`id`) ON DELETE NO ACTION);
-- Create index "voter_motion_id_participant_id" to table: "voters"
CREATE UNIQUE INDEX `voter_motion_id_participant_id` ON `voters` (`motion_id`, `participant_id`);
-- Create index "voter_participant_id" to table: "voters"
CREATE INDEX `voter_participant_id` ON `voters` (`participant_id`);
