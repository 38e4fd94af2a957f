package registry

// MigrateDir exposes migrateDir to the external tests.
var MigrateDir = migrateDir
