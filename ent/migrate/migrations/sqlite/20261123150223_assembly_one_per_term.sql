-- Create index "assembly_term_id" to table: "assemblies"
CREATE UNIQUE INDEX `assembly_term_id` ON `assemblies` (`term_id`);
