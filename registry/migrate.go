package registry

import (
	"context"
	"database/sql"
	"fmt"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/societyregistry/registry/ent"
)

// Migrate brings the database's schema up to date.
//
// TEMPORARY: creates the schema online from ent; versioned migrations
// replace this.
func Migrate(ctx context.Context, db *sql.DB, dialectName string) error {
	c := ent.NewClient(ent.Driver(entsql.OpenDB(dialectName, db)))
	if err := c.Schema.Create(ctx); err != nil {
		return fmt.Errorf("registry: migrate: %w", err)
	}
	return nil
}
