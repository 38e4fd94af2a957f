package registry_test

import (
	"testing"
	"time"

	"github.com/societyregistry/registry/registry"
)

type sampleInput struct {
	Name     string     `json:"name" validate:"required,max=4"`
	Email    string     `json:"email" validate:"omitempty,email"`
	Phone    string     `json:"phone" validate:"omitempty,phone"`
	StartsOn time.Time  `json:"startsOn"`
	EndsOn   *time.Time `json:"endsOn" validate:"omitempty,gtfield=StartsOn"`
}

func TestValidateNamesFieldAndRule(t *testing.T) {
	start := registry.Day(2026, 1, 1)
	before := registry.Day(2025, 12, 31)
	ok := sampleInput{Name: "张三丰", Email: "a@b.cn", Phone: "+86 138-0013-8000", StartsOn: start}
	if err := registry.Validate(ok); err != nil {
		t.Fatalf("valid input refused: %v", err)
	}
	err := registry.Validate(sampleInput{Name: "欧阳司马青", Email: "nope", Phone: "12", StartsOn: start, EndsOn: &before})
	e := registry.Wrap(err)
	if e.Kind != registry.Invalid || e.Field != "name" || e.Rule != "max" || e.Message != "name must be at most 4 characters (and 3 more)" {
		t.Fatalf("got %v %q %q %q", e.Kind.Code(), e.Field, e.Rule, e.Message)
	}
	want := map[string]string{"name": "max", "email": "email", "phone": "phone", "endsOn": "dateOrder"}
	if len(e.Problems) != len(want) {
		t.Fatalf("problems %+v, want %d", e.Problems, len(want))
	}
	for _, p := range e.Problems {
		if want[p.Field] != p.Rule {
			t.Errorf("problem %+v: want rule %q", p, want[p.Field])
		}
	}
	if ext := e.Extensions(); ext["code"] != "BAD_USER_INPUT" || ext["rule"] != "max" || len(ext["problems"].([]interface{})) != 4 {
		t.Fatalf("extensions %v", ext)
	}
}
