package registry

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"github.com/go-playground/validator/v10"
)

// The shape of every input is declared with go-playground/validator
// tags on the input structs; Validate checks it before anything reaches
// the database. Field names in errors are the inputs' json names, which
// are the API's names. Beside the validator's own rules:
//
//	phone    digits with spaces, dashes, dots or parentheses, an optional
//	         leading +, 5 to 20 digits in all
//	memberno a member number: letters and digits, 1 to 32
var validate = newValidator()

var (
	phonePattern    = regexp.MustCompile(`^\+?[0-9][0-9 ().-]{3,28}[0-9]$`)
	memberNoPattern = regexp.MustCompile(`^[A-Za-z0-9-]{1,32}$`)
)

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		if name == "" {
			return f.Name
		}
		return name
	})
	must(v.RegisterValidation("phone", func(fl validator.FieldLevel) bool {
		s := fl.Field().String()
		digits := 0
		for _, r := range s {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		return phonePattern.MatchString(s) && digits >= 5 && digits <= 20
	}))
	must(v.RegisterValidation("memberno", func(fl validator.FieldLevel) bool {
		return memberNoPattern.MatchString(fl.Field().String())
	}))
	return v
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// Validate checks an input struct against its validate tags. It returns
// nil, or a BAD_USER_INPUT error naming the first field at fault and
// the rule it broke, with every fault in Problems.
func Validate(in any) error {
	err := validate.Struct(in)
	if err == nil {
		return nil
	}
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		return &Error{Kind: Internal, Message: "internal error", Err: err}
	}
	probs := make([]Problem, len(ves))
	for i, fe := range ves {
		probs[i] = Problem{Field: fieldPath(fe), Rule: RuleName(fe.Tag()), Message: ruleMessage(fe)}
	}
	first := probs[0]
	msg := first.Message
	if len(probs) > 1 {
		msg = fmt.Sprintf("%s (and %d more)", msg, len(probs)-1)
	}
	return &Error{Kind: Invalid, Field: first.Field, Rule: first.Rule, Message: msg, Problems: probs}
}

// ruleNames turns the validator's tags into the rule names the API
// shows; a tag not listed is its own name (required, max, email, phone).
var ruleNames = map[string]string{
	"gtfield": "dateOrder", "gtefield": "dateOrder", "ltfield": "dateOrder", "ltefield": "dateOrder",
	"excluded_with": "exclusive", "excluded_if": "exclusive",
	"required_if": "required", "required_without": "required",
	"oneof": "oneOf", "alphanum": "alphanumeric",
}

// RuleName is the API's name of a validation rule.
func RuleName(tag string) string {
	if n, ok := ruleNames[tag]; ok {
		return n
	}
	return tag
}

// fieldPath is the field's path below the input: "email", "dates.endsOn".
func fieldPath(fe validator.FieldError) string {
	ns := fe.Namespace()
	if _, rest, ok := strings.Cut(ns, "."); ok {
		return rest
	}
	return ns
}

// ruleMessage says in words what the rule asks of the field.
func ruleMessage(fe validator.FieldError) string {
	f, p := fieldPath(fe), fe.Param()
	switch fe.Tag() {
	case "required", "required_without", "required_if":
		return fmt.Sprintf("%s is required", f)
	case "max":
		if fe.Kind() == reflect.String {
			return fmt.Sprintf("%s must be at most %s characters", f, p)
		}
		return fmt.Sprintf("%s must be at most %s", f, p)
	case "min":
		if fe.Kind() == reflect.String {
			return fmt.Sprintf("%s must be at least %s characters", f, p)
		}
		return fmt.Sprintf("%s must be at least %s", f, p)
	case "email":
		return fmt.Sprintf("%s must be an email address", f)
	case "phone":
		return fmt.Sprintf("%s must be a phone number: digits with spaces or dashes, an optional leading +, 5 to 20 digits", f)
	case "memberno":
		return fmt.Sprintf("%s must be a member number: letters, digits and dashes, at most 32", f)
	case "oneof":
		return fmt.Sprintf("%s must be one of %s", f, strings.ReplaceAll(p, " ", ", "))
	case "gtfield", "gtefield", "ltfield", "ltefield":
		word := map[string]string{"gtfield": "after", "gtefield": "on or after", "ltfield": "before", "ltefield": "on or before"}[fe.Tag()]
		return fmt.Sprintf("%s must be %s %s", f, word, lowerFirst(p))
	case "excluded_with":
		return fmt.Sprintf("%s may not be given with %s", f, lowerFirst(p))
	}
	return fmt.Sprintf("%s breaks the rule %q", f, fe.Tag())
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
