package storetest_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/societyregistry/registry/ent/institution"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/storetest"
)

var fills = map[string]*atomic.Int64{}

func counting(name string) *storetest.Template {
	n := &atomic.Int64{}
	fills[name] = n
	return storetest.Prepare(name, func(ctx context.Context, s *registry.Store) error {
		n.Add(1)
		return s.Client.Institution.Create().SetName("Template Hospital").SetKind(institution.KindHOSPITAL).Exec(ctx)
	})
}

var hospital = counting("hospital")

func TestTemplateCopiesAreFilledOnceAndIndependent(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		ctx := context.Background()
		before := fills["hospital"].Load()
		a := hospital.Open(t, d)
		b := hospital.Open(t, d)
		if n := fills["hospital"].Load() - before; n > 1 {
			t.Errorf("fill ran %d times for two copies, want at most once", n)
		}
		if err := a.Client.Institution.Create().SetName("Only in A").SetKind(institution.KindCOMPANY).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		for name, s := range map[string]*registry.Store{"a": a, "b": b} {
			want := 1
			if name == "a" {
				want = 2
			}
			if got, err := s.Client.Institution.Query().Count(ctx); err != nil || got != want {
				t.Errorf("copy %s holds %d institutions (%v), want %d", name, got, err, want)
			}
		}
	})
}

func TestPrepareReturnsTheTemplateOfItsName(t *testing.T) {
	again := storetest.Prepare("hospital", nil)
	if again != hospital {
		t.Error("Prepare with a known name made a new template")
	}
}

func TestOpenGivesAnEmptyMigratedStore(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d)
		if n, err := s.Client.Institution.Query().Count(ctx); err != nil || n != 0 {
			t.Fatalf("fresh store holds %d institutions (%v), want 0", n, err)
		}
		if err := s.Client.Institution.Create().SetName("A").SetKind(institution.KindOTHER).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if n, err := storetest.Open(t, d).Client.Institution.Query().Count(ctx); err != nil || n != 0 {
			t.Errorf("a second fresh store holds %d institutions (%v), want 0", n, err)
		}
	})
}

func TestTemplateDSNOpensACopy(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		ctx := context.Background()
		s, err := registry.Open(ctx, hospital.DSN(t, d), registry.Options{MaxOpenConns: 2})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if n, err := s.Client.Institution.Query().Count(ctx); err != nil || n != 1 {
			t.Errorf("copy holds %d institutions (%v), want 1", n, err)
		}
	})
}

// recorder is a testing.TB that records Fatalf and Skipf instead of
// stopping the test.
type recorder struct {
	testing.TB
	fatal, skip string
}

func (r *recorder) Fatalf(format string, args ...any) { r.fatal = fmt.Sprintf(format, args...) }
func (r *recorder) Skipf(format string, args ...any)  { r.skip = fmt.Sprintf(format, args...) }

func TestPostgresURLSkipsLocallyAndFailsInCI(t *testing.T) {
	t.Setenv(storetest.EnvPostgres, "")
	for _, ci := range []string{"", "true"} {
		t.Setenv("CI", ci)
		r := &recorder{TB: t}
		storetest.PostgresURL(r)
		got := r.skip
		if ci == "true" {
			got = r.fatal
			if r.skip != "" {
				t.Errorf("CI=true: skipped (%q), want a failure", r.skip)
			}
		} else if r.fatal != "" {
			t.Errorf("CI unset: failed (%q), want a skip", r.fatal)
		}
		if !strings.Contains(got, storetest.EnvPostgres) {
			t.Errorf("CI=%q: message %q does not name %s", ci, got, storetest.EnvPostgres)
		}
	}
}
