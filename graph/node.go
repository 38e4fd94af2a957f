package graph

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/graphql-go/graphql"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/graph/loader"
	"github.com/societyregistry/registry/registry"
)

// GlobalID returns the opaque global ID of the row id of a GraphQL type.
func GlobalID(typeName string, id int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(typeName + ":" + strconv.Itoa(id)))
}

// ParseGlobalID reads a global ID back into its type and row id.
func ParseGlobalID(gid string) (typeName string, id int, err error) {
	b, derr := base64.RawURLEncoding.DecodeString(gid)
	name, num, ok := strings.Cut(string(b), ":")
	if derr == nil && ok {
		if n, cerr := strconv.Atoi(num); cerr == nil && n > 0 {
			return name, n, nil
		}
	}
	return "", 0, registry.E(registry.Invalid, "id", "%q is not an ID issued by this API", gid)
}

// idOf parses a global ID that must name a row of typeName; field names
// the argument for the error.
func idOf(gid, typeName, field string) (int, error) {
	name, id, err := ParseGlobalID(gid)
	if err != nil {
		e := registry.Wrap(err)
		e.Field = field
		return 0, e
	}
	if name != typeName {
		return 0, registry.E(registry.Invalid, field, "ID %q names a %s, not a %s", gid, name, typeName)
	}
	return id, nil
}

// typeOf names the GraphQL type of a row.
func typeOf(v interface{}) string {
	switch v.(type) {
	case *ent.Person:
		return "Person"
	case *ent.Institution:
		return "Institution"
	case *ent.Membership:
		return "Membership"
	case *ent.Organization:
		return "Organization"
	case *ent.Term:
		return "Term"
	case *ent.Post:
		return "Post"
	case *ent.Appointment:
		return "Appointment"
	case *ent.AuditEvent:
		return "AuditEvent"
	case *ent.Assembly:
		return "Assembly"
	case *ent.Constituency:
		return "Constituency"
	case *ent.Participant:
		return "Participant"
	case *ent.Meeting:
		return "Meeting"
	case *ent.Motion:
		return "Motion"
	case *ent.Election:
		return "Election"
	case *ent.Candidate:
		return "Candidate"
	case *ent.Round:
		return "Round"
	}
	return ""
}

// loadNode starts loading the row a global ID names; unknown types and
// rows resolve to null, as Relay expects of node(id).
func loadNode(p graphql.ResolveParams, gid string) (func() (interface{}, error), error) {
	name, id, err := ParseGlobalID(gid)
	if err != nil {
		return nil, err
	}
	l := loader.FromContext(p.Context)
	ctx := p.Context
	switch name {
	case "Person":
		return thunk(l.Person.Load(ctx, id)), nil
	case "Institution":
		return thunk(l.Institution.Load(ctx, id)), nil
	case "Membership":
		return thunk(l.Membership.Load(ctx, id)), nil
	case "Organization":
		return thunk(l.Organization.Load(ctx, id)), nil
	case "Term":
		return thunk(l.Term.Load(ctx, id)), nil
	case "Post":
		return thunk(l.Post.Load(ctx, id)), nil
	case "Appointment":
		return thunk(l.Appointment.Load(ctx, id)), nil
	case "AuditEvent":
		return thunk(l.AuditEvent.Load(ctx, id)), nil
	case "Assembly":
		return thunk(l.Meetings.Assembly.Load(ctx, id)), nil
	case "Constituency":
		return thunk(l.Meetings.Constituency.Load(ctx, id)), nil
	case "Participant":
		return thunk(l.Meetings.Participant.Load(ctx, id)), nil
	case "Meeting":
		return thunk(l.Meetings.Meeting.Load(ctx, id)), nil
	case "Motion":
		return thunk(l.Meetings.Motion.Load(ctx, id)), nil
	case "Election":
		return thunk(l.Elections.Election.Load(ctx, id)), nil
	case "Candidate":
		return thunk(l.Elections.Candidate.Load(ctx, id)), nil
	case "Round":
		return thunk(l.Elections.Round.Load(ctx, id)), nil
	}
	return func() (interface{}, error) { return nil, nil }, nil
}

func (b *builder) nodeInterface() *graphql.Interface {
	return graphql.NewInterface(graphql.InterfaceConfig{
		Name:        "Node",
		Description: "An object with a global ID, fetchable with node(id).",
		Fields: graphql.Fields{
			"id": &graphql.Field{Type: graphql.NewNonNull(graphql.ID), Description: "The object's opaque global ID."},
		},
		ResolveType: func(p graphql.ResolveTypeParams) *graphql.Object {
			return b.objects[typeOf(p.Value)]
		},
	})
}

// idField is the id field of a Node type.
func idField(typeName string, id func(interface{}) int) *graphql.Field {
	return &graphql.Field{
		Type:        graphql.NewNonNull(graphql.ID),
		Description: "The object's opaque global ID.",
		Resolve: func(p graphql.ResolveParams) (interface{}, error) {
			return GlobalID(typeName, id(p.Source)), nil
		},
	}
}
