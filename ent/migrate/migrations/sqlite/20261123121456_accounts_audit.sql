-- Create "accounts" table
CREATE TABLE `accounts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `role` text NOT NULL, `disabled` bool NOT NULL DEFAULT (false));
-- Create index "accounts_name_key" to table: "accounts"
CREATE UNIQUE INDEX `accounts_name_key` ON `accounts` (`name`);
-- Create "audit_events" table
CREATE TABLE `audit_events` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `seq` integer NOT NULL, `at` datetime NOT NULL, `actor` text NOT NULL, `account_id` integer NULL, `action` text NOT NULL, `entity` text NOT NULL, `entity_id` integer NOT NULL, `before` text NULL, `after` text NULL, `prev_hash` text NOT NULL, `hash` text NOT NULL, `body` text NOT NULL);
-- Create index "audit_events_seq_key" to table: "audit_events"
CREATE UNIQUE INDEX `audit_events_seq_key` ON `audit_events` (`seq`);
-- Create index "auditevent_entity_entity_id" to table: "audit_events"
CREATE INDEX `auditevent_entity_entity_id` ON `audit_events` (`entity`, `entity_id`);
-- Create index "auditevent_actor" to table: "audit_events"
CREATE INDEX `auditevent_actor` ON `audit_events` (`actor`);
-- Create index "auditevent_at" to table: "audit_events"
CREATE INDEX `auditevent_at` ON `audit_events` (`at`);
-- Create "audit_heads" table
CREATE TABLE `audit_heads` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `chain` text NOT NULL, `seq` integer NOT NULL DEFAULT (0), `hash` text NOT NULL DEFAULT (''));
-- Create index "audit_heads_chain_key" to table: "audit_heads"
CREATE UNIQUE INDEX `audit_heads_chain_key` ON `audit_heads` (`chain`);
-- Create "tokens" table
CREATE TABLE `tokens` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `hash` text NOT NULL, `hint` text NOT NULL, `label` text NOT NULL DEFAULT (''), `created_at` datetime NOT NULL, `revoked_at` datetime NULL, `account_id` integer NOT NULL, CONSTRAINT `tokens_accounts_tokens` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION);
-- Create index "tokens_hash_key" to table: "tokens"
CREATE UNIQUE INDEX `tokens_hash_key` ON `tokens` (`hash`);
-- Create index "token_account_id" to table: "tokens"
CREATE INDEX `token_account_id` ON `tokens` (`account_id`);
-- Create "account_scopes" table
CREATE TABLE `account_scopes` (`account_id` integer NOT NULL, `organization_id` integer NOT NULL, PRIMARY KEY (`account_id`, `organization_id`), CONSTRAINT `account_scopes_account_id` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE CASCADE, CONSTRAINT `account_scopes_organization_id` FOREIGN KEY (`organization_id`) REFERENCES `organizations` (`id`) ON DELETE CASCADE);
