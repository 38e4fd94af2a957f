package registry

import (
	"context"
	"errors"
	"fmt"

	"github.com/societyregistry/registry/ent"
)

// Kind classifies an [Error] for clients; each kind has one API code.
type Kind int

// The kinds of error, and the extensions.code each is sent with.
const (
	Internal        Kind = iota // INTERNAL: no detail leaves the server
	Invalid                     // BAD_USER_INPUT
	NotFound                    // NOT_FOUND
	Conflict                    // CONFLICT
	Forbidden                   // FORBIDDEN
	Unauthenticated             // UNAUTHENTICATED
	RuleViolation               // RULE_VIOLATION
	TooComplex                  // QUERY_TOO_COMPLEX
	Timeout                     // TIMEOUT
	AlreadyVoted                // ALREADY_VOTED
	VoteClosed                  // VOTE_CLOSED
)

var codes = [...]string{
	Internal:        "INTERNAL",
	Invalid:         "BAD_USER_INPUT",
	NotFound:        "NOT_FOUND",
	Conflict:        "CONFLICT",
	Forbidden:       "FORBIDDEN",
	Unauthenticated: "UNAUTHENTICATED",
	RuleViolation:   "RULE_VIOLATION",
	TooComplex:      "QUERY_TOO_COMPLEX",
	Timeout:         "TIMEOUT",
	AlreadyVoted:    "ALREADY_VOTED",
	VoteClosed:      "VOTE_CLOSED",
}

// Code is the extensions.code clients see for the kind.
func (k Kind) Code() string { return codes[k] }

// Error is the one error type that crosses the API boundary: a kind, a
// message safe to show a client, the input field at fault, and the cause,
// which is logged and never sent.
type Error struct {
	Kind    Kind
	Message string
	Field   string
	// Rule names the rule the input broke: a validation tag (required,
	// max, email), or a society rule (seats, termLimit).
	Rule string
	// Problems lists every fault when there is more than one: each
	// field of an input, or each line of an imported file.
	Problems []Problem
	Err      error
}

// Problem is one fault of an input: the line of a file it is on (0 when
// the input is no file), the field, the rule broken, and a message.
type Problem struct {
	Line    int    `json:"line,omitempty"`
	Field   string `json:"field,omitempty"`
	Rule    string `json:"rule,omitempty"`
	Message string `json:"message"`
}

// Violation builds a RULE_VIOLATION of the society's rule on field.
func Violation(field, rule, format string, args ...any) *Error {
	return &Error{Kind: RuleViolation, Field: field, Rule: rule, Message: fmt.Sprintf(format, args...)}
}

// E builds an Error of kind k for field with a formatted message.
func E(k Kind, field, format string, args ...any) *Error {
	return &Error{Kind: k, Field: field, Message: fmt.Sprintf(format, args...)}
}

func (e *Error) Error() string {
	if e.Message == "" {
		return "registry: " + e.Kind.Code()
	}
	return e.Message
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is matches another *Error of the same kind, so callers can write
// errors.Is(err, &registry.Error{Kind: registry.NotFound}).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Kind == e.Kind && t.Message == "" && t.Field == ""
}

// Extensions is what graphql-go writes into the error's "extensions".
func (e *Error) Extensions() map[string]interface{} {
	m := map[string]interface{}{"code": e.Kind.Code()}
	if e.Field != "" {
		m["field"] = e.Field
	}
	if e.Rule != "" {
		m["rule"] = e.Rule
	}
	if len(e.Problems) > 0 {
		ps := make([]interface{}, len(e.Problems))
		for i, p := range e.Problems {
			q := map[string]interface{}{"message": p.Message}
			if p.Line > 0 {
				q["line"] = p.Line
			}
			if p.Field != "" {
				q["field"] = p.Field
			}
			if p.Rule != "" {
				q["rule"] = p.Rule
			}
			ps[i] = q
		}
		m["problems"] = ps
	}
	return m
}

// KindOf returns the kind of the outermost *Error in err's chain, mapping
// ent's errors to kinds on the way; anything else is Internal.
func KindOf(err error) Kind {
	var e *Error
	switch {
	case err == nil:
		return Internal
	case errors.As(err, &e):
		return e.Kind
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return Timeout
	case ent.IsNotFound(err):
		return NotFound
	case ent.IsConstraintError(err):
		return Conflict
	case ent.IsValidationError(err):
		return Invalid
	}
	return Internal
}

// Wrap turns any error into an *Error: an *Error in the chain is kept, an
// ent error becomes its kind, anything else becomes Internal with the
// cause kept for the log.
func Wrap(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	switch k := KindOf(err); k {
	case Timeout:
		return &Error{Kind: k, Message: "the request took too long and was stopped", Err: err}
	case NotFound:
		return &Error{Kind: k, Message: "not found", Err: err}
	case Conflict:
		return &Error{Kind: k, Message: "conflicts with stored data", Err: err}
	case Invalid:
		var ve *ent.ValidationError
		field := ""
		if errors.As(err, &ve) {
			field = ve.Name
		}
		return &Error{Kind: k, Field: field, Message: err.Error(), Err: err}
	}
	return &Error{Kind: Internal, Message: "internal error", Err: err}
}
