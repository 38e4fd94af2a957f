-- Create "appointments" table
CREATE TABLE `appointments` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `starts_on` date NOT NULL, `ends_on` date NULL, `obtained_by` text NOT NULL, `end_reason` text NULL, `person_id` integer NOT NULL, `post_id` integer NOT NULL, `term_id` integer NOT NULL, CONSTRAINT `appointments_people_appointments` FOREIGN KEY (`person_id`) REFERENCES `people` (`id`) ON DELETE NO ACTION, CONSTRAINT `appointments_posts_appointments` FOREIGN KEY (`post_id`) REFERENCES `posts` (`id`) ON DELETE NO ACTION, CONSTRAINT `appointments_terms_appointments` FOREIGN KEY (`term_id`) REFERENCES `terms` (`id`) ON DELETE NO ACTION, CONSTRAINT `appointment_dates` CHECK (ends_on IS NULL OR starts_on < ends_on));
-- Create index "appointment_person_id_post_id_term_id" to table: "appointments"
CREATE UNIQUE INDEX `appointment_person_id_post_id_term_id` ON `appointments` (`person_id`, `post_id`, `term_id`);
-- Create index "appointment_term_id_post_id" to table: "appointments"
CREATE INDEX `appointment_term_id_post_id` ON `appointments` (`term_id`, `post_id`);
-- Create index "appointment_post_id" to table: "appointments"
CREATE INDEX `appointment_post_id` ON `appointments` (`post_id`);
-- Create index "appointment_person_id_starts_on" to table: "appointments"
CREATE INDEX `appointment_person_id_starts_on` ON `appointments` (`person_id`, `starts_on`);
-- Create "institutions" table
CREATE TABLE `institutions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `kind` text NOT NULL);
-- Create index "institution_name" to table: "institutions"
CREATE INDEX `institution_name` ON `institutions` (`name`);
-- Create index "institution_kind" to table: "institutions"
CREATE INDEX `institution_kind` ON `institutions` (`kind`);
-- Create "memberships" table
CREATE TABLE `memberships` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `member_number` text NOT NULL, `kind` text NOT NULL, `status` text NOT NULL, `joined_on` date NOT NULL, `left_on` date NULL, `institution_id` integer NULL, `person_id` integer NULL, CONSTRAINT `memberships_institutions_membership` FOREIGN KEY (`institution_id`) REFERENCES `institutions` (`id`) ON DELETE SET NULL, CONSTRAINT `memberships_people_membership` FOREIGN KEY (`person_id`) REFERENCES `people` (`id`) ON DELETE SET NULL, CONSTRAINT `membership_holder` CHECK ((kind = 'INDIVIDUAL' AND person_id IS NOT NULL AND institution_id IS NULL) OR (kind = 'UNIT' AND institution_id IS NOT NULL AND person_id IS NULL)));
-- Create index "memberships_member_number_key" to table: "memberships"
CREATE UNIQUE INDEX `memberships_member_number_key` ON `memberships` (`member_number`);
-- Create index "memberships_institution_id_key" to table: "memberships"
CREATE UNIQUE INDEX `memberships_institution_id_key` ON `memberships` (`institution_id`);
-- Create index "memberships_person_id_key" to table: "memberships"
CREATE UNIQUE INDEX `memberships_person_id_key` ON `memberships` (`person_id`);
-- Create index "membership_status_kind" to table: "memberships"
CREATE INDEX `membership_status_kind` ON `memberships` (`status`, `kind`);
-- Create "organizations" table
CREATE TABLE `organizations` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `name` text NOT NULL, `rules` json NOT NULL, `parent_id` integer NULL, CONSTRAINT `organizations_organizations_children` FOREIGN KEY (`parent_id`) REFERENCES `organizations` (`id`) ON DELETE SET NULL);
-- Create index "organization_parent_id" to table: "organizations"
CREATE INDEX `organization_parent_id` ON `organizations` (`parent_id`);
-- Create index "organization_kind" to table: "organizations"
CREATE INDEX `organization_kind` ON `organizations` (`kind`);
-- Create index "organization_name" to table: "organizations"
CREATE INDEX `organization_name` ON `organizations` (`name`);
-- Create "people" table
CREATE TABLE `people` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `gender` text NOT NULL DEFAULT ('UNDISCLOSED'), `birth_date` date NULL, `professional_title` text NOT NULL DEFAULT (''), `specialty` text NOT NULL DEFAULT (''), `email` text NOT NULL DEFAULT (''), `phone` text NOT NULL DEFAULT (''), `id_number` text NOT NULL DEFAULT (''), `institution_id` integer NULL, CONSTRAINT `people_institutions_people` FOREIGN KEY (`institution_id`) REFERENCES `institutions` (`id`) ON DELETE SET NULL);
-- Create index "person_name" to table: "people"
CREATE INDEX `person_name` ON `people` (`name`);
-- Create index "person_institution_id" to table: "people"
CREATE INDEX `person_institution_id` ON `people` (`institution_id`);
-- Create index "person_specialty" to table: "people"
CREATE INDEX `person_specialty` ON `people` (`specialty`);
-- Create "posts" table
CREATE TABLE `posts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `title` text NOT NULL, `rank` integer NOT NULL, `seats` integer NOT NULL, `leadership` bool NOT NULL DEFAULT (false), `organization_id` integer NOT NULL, CONSTRAINT `posts_organizations_posts` FOREIGN KEY (`organization_id`) REFERENCES `organizations` (`id`) ON DELETE NO ACTION, CONSTRAINT `post_seats` CHECK (seats > 0));
-- Create index "post_organization_id_rank" to table: "posts"
CREATE INDEX `post_organization_id_rank` ON `posts` (`organization_id`, `rank`);
-- Create "status_changes" table
CREATE TABLE `status_changes` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `from_status` text NULL, `to_status` text NOT NULL, `effective_on` date NOT NULL, `reason` text NOT NULL DEFAULT (''), `recorded_at` datetime NOT NULL, `membership_id` integer NOT NULL, CONSTRAINT `status_changes_memberships_status_changes` FOREIGN KEY (`membership_id`) REFERENCES `memberships` (`id`) ON DELETE NO ACTION);
-- Create index "statuschange_membership_id_effective_on" to table: "status_changes"
CREATE INDEX `statuschange_membership_id_effective_on` ON `status_changes` (`membership_id`, `effective_on`);
-- Create "terms" table
CREATE TABLE `terms` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `ordinal` integer NOT NULL, `name` text NOT NULL DEFAULT (''), `starts_on` date NOT NULL, `ends_on` date NOT NULL, `actual_end` date NULL, `status` text NOT NULL DEFAULT ('PLANNED'), `organization_id` integer NOT NULL, CONSTRAINT `terms_organizations_terms` FOREIGN KEY (`organization_id`) REFERENCES `organizations` (`id`) ON DELETE NO ACTION, CONSTRAINT `term_dates` CHECK (starts_on < ends_on));
-- Create index "term_organization_id_ordinal" to table: "terms"
CREATE UNIQUE INDEX `term_organization_id_ordinal` ON `terms` (`organization_id`, `ordinal`);
-- Create index "term_one_active_per_organization" to table: "terms"
CREATE UNIQUE INDEX `term_one_active_per_organization` ON `terms` (`organization_id`) WHERE status = 'ACTIVE';
-- Create index "term_status_ends_on" to table: "terms"
CREATE INDEX `term_status_ends_on` ON `terms` (`status`, `ends_on`);
