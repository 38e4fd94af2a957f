// Package ent holds the generated data-access code of the registry; the
// schema it is generated from lives in ent/schema.
package ent

//go:generate go run -mod=mod entgo.io/ent/cmd/ent generate --feature sql/execquery,sql/modifier,sql/upsert,sql/versioned-migration,intercept,privacy ./schema
