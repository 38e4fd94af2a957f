package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/graphql-go/graphql"

	"github.com/societyregistry/registry/graph"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/rules"
	"github.com/societyregistry/registry/registry/storetest"
)

// countingBody is a request body that counts the bytes read from it.
type countingBody struct {
	r io.Reader
	n atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// checkUnauthorized checks a 401 with a Bearer challenge and one
// UNAUTHENTICATED error.
func checkUnauthorized(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	if w.Code != http.StatusUnauthorized {
		t.Fatalf("status = %d, want 401; body %s", w.Code, w.Body)
	}
	if got := w.Header().Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
		t.Errorf("WWW-Authenticate = %q, want a Bearer challenge", got)
	}
	if got := errorCode(t, w); got != "UNAUTHENTICATED" {
		t.Errorf("code = %q, want UNAUTHENTICATED", got)
	}
}

func TestServerRefusesGraphQLWithoutAUsableToken(t *testing.T) {
	tests := []struct {
		name          string
		authorization []string
		wantMessage   string
	}{
		{"no header", nil, "send an API token"},
		{"empty header", []string{""}, "Bearer <token>"},
		{"basic scheme", []string{"Basic cmVhZGVyOnNlY3JldA=="}, "Bearer <token>"},
		{"token without a scheme", []string{readerToken}, "Bearer <token>"},
		{"scheme without a token", []string{"Bearer"}, "Bearer <token>"},
		{"two tokens", []string{"Bearer " + readerToken + " " + adminToken}, "Bearer <token>"},
		{"two headers", []string{"Bearer " + readerToken, "Bearer " + adminToken}, "one Authorization header"},
		{"unknown token", []string{"Bearer reg_nobody"}, "unknown or revoked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, method := range []string{http.MethodPost, http.MethodGet} {
				exec := &fakeExec{}
				h, logs := newTestHandler(t, Config{Exec: exec})
				body := &countingBody{r: strings.NewReader(`{"query":"{ hello }"}`)}
				r := httptest.NewRequest(method, "/graphql?query=%7B+hello+%7D", body)
				r.Header.Set("Content-Type", "application/json")
				r.Header.Set("Accept", mediaGraphQL)
				for _, a := range tt.authorization {
					r.Header.Add("Authorization", a)
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				checkUnauthorized(t, w)
				if msg := decode(t, w).Errors[0].Message; !strings.Contains(msg, tt.wantMessage) {
					t.Errorf("%s: message = %q, want it to contain %q", method, msg, tt.wantMessage)
				}
				if exec.count() != 0 {
					t.Errorf("%s: an unauthenticated request reached the executor", method)
				}
				if body.n.Load() != 0 {
					t.Errorf("%s: %d bytes of an unauthenticated body were read", method, body.n.Load())
				}
				if l := logs.lines(t); len(l) != 1 || l[0]["status"] != 401.0 || l[0]["account"] != "" {
					t.Errorf("%s: log lines %v, want one with status 401 and no account", method, l)
				}
			}
		})
	}
	t.Run("no authenticator", func(t *testing.T) {
		exec := &fakeExec{}
		h := New(Config{Exec: exec})
		checkUnauthorized(t, post(h, `{"query":"{ hello }"}`, ""))
		if exec.count() != 0 {
			t.Errorf("a request reached the executor of a server without an authenticator")
		}
	})
	t.Run("the response follows Accept", func(t *testing.T) {
		h, _ := newTestHandler(t, Config{})
		for accept, want := range map[string]string{"": mediaJSON, mediaGraphQL: mediaGraphQL, "text/html": mediaJSON} {
			w := postAs(h, "", `{"query":"{ hello }"}`, accept)
			checkUnauthorized(t, w)
			if got := w.Header().Get("Content-Type"); got != want+"; charset=utf-8" {
				t.Errorf("Accept %q: Content-Type = %q, want %s", accept, got, want)
			}
		}
	})
}

func TestServerAuthenticatorFailures(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		wantStatus int
		wantCode   string
	}{
		{"database down", errors.New("dial tcp 10.0.0.5:5432: connection refused"), http.StatusInternalServerError, "INTERNAL"},
		{"timeout", registry.Wrap(context.DeadlineExceeded), http.StatusServiceUnavailable, "TIMEOUT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exec := &fakeExec{}
			h, logs := newTestHandler(t, Config{Exec: exec, Authenticate: func(context.Context, string) (*registry.Viewer, error) {
				return nil, tt.err
			}})
			w := post(h, `{"query":"{ hello }"}`, "")
			if w.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d", w.Code, tt.wantStatus)
			}
			if got := errorCode(t, w); got != tt.wantCode {
				t.Errorf("code = %q, want %q", got, tt.wantCode)
			}
			if strings.Contains(w.Body.String(), "10.0.0.5") || exec.count() != 0 {
				t.Errorf("body %s, executed %d times", w.Body, exec.count())
			}
			if tt.wantCode == "INTERNAL" {
				found := false
				for _, l := range logs.lines(t) {
					found = found || l["msg"] == "authenticate" && strings.Contains(l["err"].(string), "10.0.0.5")
				}
				if !found {
					t.Errorf("the log lacks the cause: %v", logs.lines(t))
				}
			}
		})
	}
}

func TestServerViewerReachesTheExecutor(t *testing.T) {
	var got *registry.Viewer
	exec := &fakeExec{result: func(ctx context.Context, req graph.Request) *graphql.Result {
		got = registry.ViewerFrom(ctx)
		return &graphql.Result{Data: map[string]interface{}{"hello": "world"}}
	}}
	h, logs := newTestHandler(t, Config{Exec: exec})
	w := postAs(h, secretaryToken, `{"query":"query Roster { hello }"}`, "")
	if w.Code != http.StatusOK {
		t.Fatalf("status = %d; body %s", w.Code, w.Body)
	}
	if got == nil {
		t.Fatal("the executor's context has no viewer")
	}
	if got.Name != "secretary" || got.Role != registry.RoleBranchSecretary || !got.InScope(8) || got.InScope(9) {
		t.Errorf("viewer = %v, scopes %v; want the secretary of 7 and 8", got, got.Scopes)
	}
	l := logs.lines(t)
	if len(l) != 1 || l[0]["account"] != "secretary" || l[0]["operation"] != "Roster" {
		t.Errorf("log lines %v, want one naming the account", l)
	}
}

func TestServerOpenPathsNeedNoToken(t *testing.T) {
	h, _ := newTestHandler(t, Config{Ping: func(context.Context) error { return nil }})
	for _, path := range []string{"/healthz", "/"} {
		for _, auth := range []string{"", "Bearer reg_nobody", "Basic eDp5"} {
			r := httptest.NewRequest(http.MethodGet, path, nil)
			if auth != "" {
				r.Header.Set("Authorization", auth)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != http.StatusOK {
				t.Errorf("GET %s with Authorization %q: status %d, want 200", path, auth, w.Code)
			}
		}
	}
}

func TestServerMetricsForAdministratorsOnly(t *testing.T) {
	tests := []struct {
		name, token string
		wantStatus  int
	}{
		{"anonymous", "", http.StatusUnauthorized},
		{"unknown token", "reg_nobody", http.StatusUnauthorized},
		{"reader", readerToken, http.StatusForbidden},
		{"branch secretary", secretaryToken, http.StatusForbidden},
		{"administrator", adminToken, http.StatusOK},
	}
	h, _ := newTestHandler(t, Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/metrics", nil)
			if tt.token != "" {
				bearer(r, tt.token)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", w.Code, tt.wantStatus, w.Body)
			}
			switch tt.wantStatus {
			case http.StatusOK:
				if !strings.Contains(w.Body.String(), "graphql_requests_total") {
					t.Errorf("metrics body %s", w.Body)
				}
			case http.StatusUnauthorized:
				checkUnauthorized(t, w)
			case http.StatusForbidden:
				if got := errorCode(t, w); got != "FORBIDDEN" {
					t.Errorf("code = %q, want FORBIDDEN", got)
				}
				if strings.Contains(w.Body.String(), "graphql_requests_total") {
					t.Errorf("a refused caller got the metrics")
				}
			}
		})
	}
}

func TestServerBodyLimitFollowsTheAccount(t *testing.T) {
	query := `{"query":"{ hello }"}`
	padded := func(n int) string { return query + strings.Repeat(" ", n-len(query)) }
	tests := []struct {
		name       string
		cfg        Config
		token      string
		size       int
		wantStatus int
		wantLimit  int64 // at most this much is read of a refused body
	}{
		{"reader, 100 KiB", Config{}, readerToken, 100 << 10, http.StatusRequestEntityTooLarge, 64 << 10},
		{"reader, 64 KiB", Config{}, readerToken, 64 << 10, http.StatusOK, 0},
		{"secretary, 100 KiB", Config{}, secretaryToken, 100 << 10, http.StatusOK, 0},
		{"administrator, 100 KiB", Config{}, adminToken, 100 << 10, http.StatusOK, 0},
		{"secretary, 8 MiB", Config{}, secretaryToken, 8 << 20, http.StatusOK, 0},
		{"secretary, 8 MiB and one byte", Config{}, secretaryToken, 8<<20 + 1, http.StatusRequestEntityTooLarge, 8 << 20},
		{"configured import limit", Config{MaxImportBodyBytes: 200 << 10}, secretaryToken, 200<<10 + 1, http.StatusRequestEntityTooLarge, 200 << 10},
		{"import limit below the body limit", Config{MaxBodyBytes: 100, MaxImportBodyBytes: 50}, secretaryToken, 100, http.StatusOK, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exec := &fakeExec{}
			tt.cfg.Exec = exec
			h, _ := newTestHandler(t, tt.cfg)
			body := &countingBody{r: strings.NewReader(padded(tt.size))}
			r := bearer(httptest.NewRequest(http.MethodPost, "/graphql", body), tt.token)
			r.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", w.Code, tt.wantStatus, w.Body)
			}
			if tt.wantStatus == http.StatusOK {
				if exec.count() != 1 {
					t.Errorf("executed %d times, want 1", exec.count())
				}
				return
			}
			if got := errorCode(t, w); got != "PAYLOAD_TOO_LARGE" {
				t.Errorf("code = %q, want PAYLOAD_TOO_LARGE", got)
			}
			// The limit was known before reading: reading stopped one
			// byte past it.
			if n := body.n.Load(); n > tt.wantLimit+1 {
				t.Errorf("read %d bytes of the body, want at most %d", n, tt.wantLimit+1)
			}
			if exec.count() != 0 {
				t.Errorf("an oversized request was executed")
			}
		})
	}
}

func TestServerGraphiQLHeaders(t *testing.T) {
	page := func(cfg Config) string {
		h, _ := newTestHandler(t, cfg)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
		if w.Code != http.StatusOK || w.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("status %d, Cache-Control %q", w.Code, w.Header().Get("Cache-Control"))
		}
		return w.Body.String()
	}
	t.Run("demo", func(t *testing.T) {
		body := page(Config{GraphiQLToken: "reg_demo123"})
		for _, want := range []string{`defaultHeaders: "{\n  \"Authorization\": \"Bearer reg_demo123\"\n}"`, "demo mode", "shouldPersistHeaders: false"} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q:\n%s", want, body)
			}
		}
	})
	t.Run("no token", func(t *testing.T) {
		body := page(Config{})
		for _, want := range []string{`defaultHeaders: "",`, `# Every request needs an API token.`, `{\"Authorization\": \"Bearer reg_...\"}`, "registry token create"} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q:\n%s", want, body)
			}
		}
		if strings.Contains(body, "Bearer reg_demo") {
			t.Errorf("the page carries a token")
		}
	})
	t.Run("a token cannot close the script", func(t *testing.T) {
		body := page(Config{GraphiQLToken: "</script><script>alert(1)</script>"})
		if n := strings.Count(body, "</script>"); n != 4 {
			t.Errorf("%d </script> tags, want the page's 4:\n%s", n, body)
		}
	})
}

// TestServerAuthenticatesWithTheRegistry runs the real authenticator:
// tokens made by the registry open /graphql and /metrics by role, and a
// revoked token stops working at once when nothing is cached.
func TestServerAuthenticatesWithTheRegistry(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d)
		sys := registry.System("test")
		reader, err := s.CreateToken(ctx, sys, registry.TokenRequest{Account: "alice", Role: registry.RoleReader})
		if err != nil {
			t.Fatal(err)
		}
		admin, err := s.CreateToken(ctx, sys, registry.TokenRequest{Account: "root", Role: registry.RoleAdmin})
		if err != nil {
			t.Fatal(err)
		}
		var viewers []string
		exec := &fakeExec{result: func(ctx context.Context, req graph.Request) *graphql.Result {
			viewers = append(viewers, registry.ViewerFrom(ctx).String())
			return &graphql.Result{Data: map[string]interface{}{"hello": "world"}}
		}}
		h, _ := newTestHandler(t, Config{Exec: exec, Authenticate: registry.NewAuthenticator(s, 0).Authenticate})
		metrics := func(token string) int {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, bearer(httptest.NewRequest(http.MethodGet, "/metrics", nil), token))
			return w.Code
		}
		const q = `{"query":"{ hello }"}`

		if w := postAs(h, reader.Secret, q, ""); w.Code != http.StatusOK {
			t.Fatalf("reader: status %d; body %s", w.Code, w.Body)
		}
		if w := postAs(h, admin.Secret, q, ""); w.Code != http.StatusOK {
			t.Fatalf("admin: status %d; body %s", w.Code, w.Body)
		}
		if diff := cmp.Diff([]string{"alice (READER)", "root (ADMIN)"}, viewers); diff != "" {
			t.Errorf("viewers mismatch (-want +got):\n%s", diff)
		}
		if got := [2]int{metrics(reader.Secret), metrics(admin.Secret)}; got != [2]int{http.StatusForbidden, http.StatusOK} {
			t.Errorf("/metrics for reader, admin = %v, want 403, 200", got)
		}
		checkUnauthorized(t, postAs(h, reader.Secret+"x", q, ""))

		if _, err := s.RevokeTokens(ctx, sys, "", reader.Secret); err != nil {
			t.Fatal(err)
		}
		w := postAs(h, reader.Secret, q, "")
		checkUnauthorized(t, w)
		if msg := decode(t, w).Errors[0].Message; !strings.Contains(msg, "revoked") {
			t.Errorf("message = %q, want it to say the token is revoked", msg)
		}
		if w := postAs(h, admin.Secret, q, ""); w.Code != http.StatusOK {
			t.Errorf("revoking alice's token refused root: %d", w.Code)
		}
		if exec.count() != 2+1 {
			t.Errorf("executed %d times, want 3", exec.count())
		}
	})
}

// TestServerAcceptsVoterTokens runs the real authenticator with a
// participant's voter token: it reaches the executor as that voter, and
// a new token replaces the old one at once.
func TestServerAcceptsVoterTokens(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d)
		c := s.Client
		o := c.Organization.Create().SetKind("COUNCIL").SetName("Council").SetRules(rules.Rules{}).SaveX(ctx)
		tm := c.Term.Create().SetOrganizationID(o.ID).SetOrdinal(1).SetStatus("ACTIVE").
			SetStartsOn(registry.Day(2025, 1, 1)).SetEndsOn(registry.Day(2030, 1, 1)).SaveX(ctx)
		po := c.Post.Create().SetOrganizationID(o.ID).SetTitle("Member").SetRank(9).SetSeats(1).SaveX(ctx)
		p := c.Person.Create().SetName("Voter").SaveX(ctx)
		c.Appointment.Create().SetPersonID(p.ID).SetPostID(po.ID).SetTermID(tm.ID).SetStartsOn(tm.StartsOn).SetObtainedBy("ELECTED").SaveX(ctx)
		sys := registry.System("test")
		m, err := s.CreateMeeting(ctx, sys, registry.MeetingInput{TermID: tm.ID, Title: "Meeting", HeldOn: registry.Day(2026, 1, 5)})
		if err != nil {
			t.Fatal(err)
		}
		part := c.Participant.Query().OnlyX(ctx)
		old, err := s.IssueVoterToken(ctx, sys, part.ID)
		if err != nil {
			t.Fatal(err)
		}
		var viewers []string
		exec := &fakeExec{result: func(ctx context.Context, req graph.Request) *graphql.Result {
			viewers = append(viewers, registry.ViewerFrom(ctx).String())
			return &graphql.Result{Data: map[string]interface{}{"hello": "world"}}
		}}
		h, _ := newTestHandler(t, Config{Exec: exec, Authenticate: registry.NewAuthenticator(s, time.Minute).Authenticate})
		const q = `{"query":"{ hello }"}`
		if w := postAs(h, old, q, ""); w.Code != http.StatusOK {
			t.Fatalf("voter: status %d; body %s", w.Code, w.Body)
		}
		if want := fmt.Sprintf("voter:%d (VOTER)", part.ID); len(viewers) != 1 || viewers[0] != want {
			t.Fatalf("viewers %v, want %s of meeting %d", viewers, want, m.ID)
		}
		if _, err := s.IssueVoterToken(ctx, sys, part.ID); err != nil {
			t.Fatal(err)
		}
		checkUnauthorized(t, postAs(h, old, q, ""))
	})
}
