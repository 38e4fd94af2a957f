package server

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/societyregistry/registry/graph"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/storetest"
	"github.com/societyregistry/registry/seed"
)

var fuzzDemo = storetest.Prepare("server_fuzz_demo", func(ctx context.Context, s *registry.Store) error {
	return seed.Demo(ctx, s.Client, s.Dialect)
})

// codes is the whole list of extensions.code values (DESIGN.md, "Error
// codes"); an answer with any other is wrong.
var codes = map[string]bool{
	"BAD_USER_INPUT": true, "UNAUTHENTICATED": true, "FORBIDDEN": true, "NOT_FOUND": true, "CONFLICT": true,
	"RULE_VIOLATION": true, "ALREADY_VOTED": true, "VOTE_CLOSED": true, "QUERY_TOO_COMPLEX": true,
	"PAYLOAD_TOO_LARGE": true, "RATE_LIMITED": true, "TIMEOUT": true, "INTERNAL": true,
}

// FuzzHandler sends request bodies, valid and hostile (the seed corpus is
// in testdata/fuzz/FuzzHandler), to /graphql in front of the real schema
// and the demo society, as an administrator (who may introspect) or as a
// reader. Whatever the body, the server must not panic or die, and must
// answer a JSON object with data or errors whose codes are ours; it
// never fails internally, and never suggests field names to a reader.
//
// "go test" runs the corpus; "make fuzz" searches for more.
func FuzzHandler(f *testing.F) {
	s := fuzzDemo.Open(f, storetest.SQLite)
	svc, err := graph.New(graph.Deps{Store: s, Clock: registry.FixedClock(registry.Day(2026, 11, 23))}, graph.Limits{})
	if err != nil {
		f.Fatal(err)
	}
	logs := &logBuffer{}
	h := New(Config{
		Exec:         svc, // makes each request's loaders, as registry serve has it
		Authenticate: stubAuthenticate,
		RateLimit:    RateLimit{Off: true},
		Logger:       slog.New(slog.NewJSONHandler(logs, nil)),
	})
	f.Fuzz(func(t *testing.T, body string, admin bool) {
		logs.reset() // the log of this request only
		token := readerToken
		if admin {
			token = adminToken
		}
		r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Accept", mediaGraphQL+", "+mediaJSON+";q=0.9")
		bearer(r, token)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)

		if w.Code >= 500 {
			t.Fatalf("status %d for %q: %s\nlog: %s", w.Code, body, w.Body, logs)
		}
		var res struct {
			Data   json.RawMessage
			Errors []struct {
				Message    *string
				Extensions map[string]interface{}
			}
		}
		dec := json.NewDecoder(bytes.NewReader(w.Body.Bytes()))
		if err := dec.Decode(&res); err != nil {
			t.Fatalf("the answer to %q is not JSON: %v\n%s", body, err, w.Body)
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(w.Body.Bytes(), &raw); err != nil {
			t.Fatalf("the answer to %q is not a JSON object: %v\n%s", body, err, w.Body)
		}
		if _, hasData := raw["data"]; !hasData && len(res.Errors) == 0 {
			t.Fatalf("the answer to %q has neither data nor errors: %s", body, w.Body)
		}
		for _, e := range res.Errors {
			code, _ := e.Extensions["code"].(string)
			switch {
			case e.Message == nil:
				t.Errorf("an error without a message: %s", w.Body)
			case !codes[code]:
				t.Errorf("error code %q is not one of ours: %s", code, w.Body)
			case code == "INTERNAL":
				t.Errorf("the request %q failed internally: %s\nlog: %s", body, w.Body, logs)
			case !admin && strings.Contains(*e.Message, "Did you mean"):
				t.Errorf("a reader was shown the schema: %s", *e.Message)
			}
		}
	})
}

func (l *logBuffer) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Reset()
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}
