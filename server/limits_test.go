package server

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/gqlerrors"

	"github.com/societyregistry/registry/graph"
	"github.com/societyregistry/registry/registry"
)

func TestServerLogsTheCauseOfInternalRegistryErrors(t *testing.T) {
	exec := &fakeExec{result: func(context.Context, graph.Request) *graphql.Result {
		cause := &registry.Error{Kind: registry.Internal, Message: "internal error", Err: errors.New("disk full at /var/lib/registry")}
		fe := gqlerrors.FormatError(gqlerrors.NewErrorWithPath(cause.Message, nil, "", nil, nil, []interface{}{"hello"}, cause))
		return &graphql.Result{Data: map[string]interface{}{"hello": nil}, Errors: []gqlerrors.FormattedError{fe}}
	}}
	h, logs := newTestHandler(t, Config{Exec: exec})
	w := post(h, `{"query":"{ hello }"}`, "")
	if strings.Contains(w.Body.String(), "disk") {
		t.Errorf("the response leaks the cause: %s", w.Body)
	}
	res := decode(t, w)
	if len(res.Errors) != 1 || res.Errors[0].Extensions["code"] != "INTERNAL" {
		t.Fatalf("errors = %+v, want one INTERNAL", res.Errors)
	}
	found := false
	for _, l := range logs.lines(t) {
		if l["msg"] == "graphql error" && l["request_id"] == w.Header().Get("X-Request-Id") && strings.Contains(l["err"].(string), "disk full") {
			found = true
		}
	}
	if !found {
		t.Errorf("the log has no line with the cause: %v", logs.lines(t))
	}
}

// TestServerTimeout runs a resolver that waits for its context: the
// request's timeout stops it, and the answer says TIMEOUT, not INTERNAL.
func TestServerTimeout(t *testing.T) {
	exec := graph.NewExecutor(newToySchema(t), graph.Limits{})
	h, logs := newTestHandler(t, Config{Exec: exec, Timeout: 20 * time.Millisecond})
	for _, media := range []string{mediaGraphQL, mediaJSON} {
		w := post(h, `{"query":"{ alpha slow }"}`, media)
		if w.Code != http.StatusOK {
			t.Errorf("%s: status = %d, want 200; body %s", media, w.Code, w.Body)
		}
		res := decode(t, w)
		if len(res.Errors) != 1 || res.Errors[0].Extensions["code"] != "TIMEOUT" {
			t.Errorf("%s: errors = %+v, want one TIMEOUT; body %s", media, res.Errors, w.Body)
		}
	}
	for _, l := range logs.lines(t) {
		if l["msg"] == "graphql error" {
			t.Errorf("a timeout was logged as an internal error: %v", l)
		}
	}
}

// TestServerTimeoutDefault gives the executor a context that ends
// within the default five seconds, and the configured time otherwise.
func TestServerTimeoutDefault(t *testing.T) {
	for _, c := range []struct {
		timeout, want time.Duration
	}{{0, 5 * time.Second}, {time.Minute, time.Minute}} {
		var left time.Duration
		exec := &fakeExec{result: func(ctx context.Context, _ graph.Request) *graphql.Result {
			deadline, ok := ctx.Deadline()
			if !ok {
				t.Error("the executor's context has no deadline")
			}
			left = time.Until(deadline)
			return &graphql.Result{Data: map[string]interface{}{"hello": "world"}}
		}}
		h, _ := newTestHandler(t, Config{Exec: exec, Timeout: c.timeout})
		if w := post(h, `{"query":"{ hello }"}`, ""); w.Code != http.StatusOK {
			t.Fatalf("status %d", w.Code)
		}
		if left <= 0 || left > c.want {
			t.Errorf("Timeout %v: the context had %v left, want at most %v", c.timeout, left, c.want)
		}
	}
}

// TestServerCyclicFragmentsThousandTimes sends the cyclic fragment query
// that overflows graphql-go's validator, 1,000 times through the handler
// and the real executor: every one refused, the process alive.
func TestServerCyclicFragmentsThousandTimes(t *testing.T) {
	h, _ := newTestHandler(t, Config{Exec: graph.NewExecutor(newToySchema(t), graph.Limits{}), RateLimit: RateLimit{Off: true}})
	const body = `{"query":"{ item { ...A } } fragment A on Item { child { ...B } } fragment B on Item { ...A }"}`
	for i := range 1000 {
		w := post(h, body, mediaGraphQL)
		if w.Code != http.StatusBadRequest {
			t.Fatalf("request %d: status %d; body %s", i, w.Code, w.Body)
		}
		if got := errorCode(t, w); got != "BAD_USER_INPUT" {
			t.Fatalf("request %d: code %q", i, got)
		}
	}
	if w := post(h, `{"query":"{ alpha }"}`, mediaGraphQL); w.Code != http.StatusOK {
		t.Errorf("after them, a plain query: status %d", w.Code)
	}
}
