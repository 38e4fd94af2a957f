-- Modify "constituencies" table
ALTER TABLE "constituencies" ADD COLUMN "arithmetic" character varying NOT NULL DEFAULT '';
