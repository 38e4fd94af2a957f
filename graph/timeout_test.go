package graph_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/societyregistry/registry/graph"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/storetest"
)

// TestTimeoutIsNeverInternal runs a read and a write with contexts whose
// deadlines fall everywhere from before the request to after its end:
// before execution, while the loaders' statements run, inside the write's
// transaction. Wherever the deadline falls, the answer is whole or says
// TIMEOUT; never INTERNAL (PITFALLS.md 28: the context reaches every
// statement, and the database's own cancellation errors are classified).
func TestTimeoutIsNeverInternal(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		svc := newService(t, demo.Open(t, d))
		requests := []struct {
			name, query string
		}{
			{"read", `{ people(first: 100) { totalCount nodes { name memberNumber membership { status }
				appointments(first: 10) { nodes { post { title organization { name } } } } } } }`},
			{"write", `mutation { createPerson(input: {name: "Lin Qing", gender: FEMALE, birthDate: "1980-02-29"}) { person { id name } } }`},
		}
		for _, r := range requests {
			t.Run(r.name, func(t *testing.T) {
				codes := map[string]int{}
				// Deadlines from 0 to about 40 ms, denser near 0.
				for i := range 40 {
					deadline := time.Duration(i*i*25) * time.Microsecond
					ctx, cancel := context.WithTimeout(registry.WithViewer(context.Background(), admin), deadline)
					res := svc.Execute(ctx, graph.Request{Query: r.query})
					cancel()
					if len(res.Errors) == 0 {
						codes["none"]++
					}
					for _, e := range res.Errors {
						code, _ := e.Extensions["code"].(string)
						codes[code]++
						if code != "TIMEOUT" {
							t.Errorf("deadline %v: %s %q (path %v)", deadline, code, e.Message, e.Path)
						}
					}
				}
				if codes["TIMEOUT"] == 0 {
					t.Errorf("no request timed out: %v", codes)
				}
				t.Log(fmt.Sprint(codes))
			})
		}
	})
}
