package registry_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/registry"
)

type entTx = ent.Tx

// rebind turns ? placeholders into $n on PostgreSQL.
func rebind(s *registry.Store, q string) string {
	if s.Dialect != "postgres" {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func hashOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}
