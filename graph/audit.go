package graph

import (
	"time"

	"github.com/graphql-go/graphql"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/graph/loader"
	"github.com/societyregistry/registry/registry"
)

// nodeTypes are the entities of the audit trail that are also Node types
// of the API: an event about one of them names it by global ID.
var nodeTypes = map[string]bool{
	"Person": true, "Institution": true, "Membership": true, "Organization": true,
	"Term": true, "Post": true, "Appointment": true,
}

func (b *builder) auditEventType() *graphql.Object {
	src := func(v interface{}) *ent.AuditEvent { return v.(*ent.AuditEvent) }
	text := func(s *string) interface{} {
		if s == nil {
			return nil
		}
		return *s
	}
	return graphql.NewObject(graphql.ObjectConfig{
		Name: "AuditEvent",
		Description: "One change in the audit trail, which every mutation appends to in its own transaction. " +
			"Events form a hash chain: each holds the hash of the one before. Readable by ADMIN and SECRETARIAT.",
		Interfaces: []*graphql.Interface{b.node},
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			return graphql.Fields{
				"id": idField("AuditEvent", func(v interface{}) int { return src(v).ID }),
				"seq": field(nonNullInt, "The event's position in the chain, from 1.",
					func(v interface{}) interface{} { return src(v).Seq }),
				"at": field(nonNull(b.dateTime), "When the change was committed.",
					func(v interface{}) interface{} { return src(v).At }),
				"actor": field(nonNullString, "Who made the change: the account's name, or cli:USER for the command line.",
					func(v interface{}) interface{} { return src(v).Actor }),
				"action": field(nonNullString, "What was done, such as person.create or appointment.end.",
					func(v interface{}) interface{} { return src(v).Action }),
				"entity": field(nonNullString, "The kind of row changed, such as Person, Appointment or StatusChange.",
					func(v interface{}) interface{} { return src(v).Entity }),
				"entityId": field(graphql.ID, "The global ID of the changed object when the API serves objects of its kind (node(id) finds it); null otherwise.",
					func(v interface{}) interface{} {
						e := src(v)
						if !nodeTypes[e.Entity] {
							return nil
						}
						return GlobalID(e.Entity, e.EntityID)
					}),
				"before": field(graphql.String, "The row before the change as canonical JSON text (sorted keys); null for a row created.",
					func(v interface{}) interface{} { return text(src(v).Before) }),
				"after": field(graphql.String, "The row after the change as canonical JSON text (sorted keys); null for a row removed.",
					func(v interface{}) interface{} { return text(src(v).After) }),
				"prevHash": field(nonNullString, "The hash of the event before this one; empty for the first.",
					func(v interface{}) interface{} { return src(v).PrevHash }),
				"hash": field(nonNullString, "The SHA-256, in hex, of this event's canonical encoding, which includes prevHash.",
					func(v interface{}) interface{} { return src(v).Hash }),
			}
		}),
	})
}

// auditEventsField is the audit trail as a connection.
func (b *builder) auditEventsField() *graphql.Field {
	return &graphql.Field{
		// Nullable, like membershipStatistics: a dashboard that asks for
		// the trail beside other things keeps the rest of its answer.
		Type: b.connections["AuditEvent"],
		Description: "The audit trail, newest first, narrowed by the arguments given (all of them hold). " +
			"Null with FORBIDDEN for callers other than ADMIN and SECRETARIAT.",
		Args: withPaging(graphql.FieldConfigArgument{
			"entity":   {Type: graphql.String, Description: "Only changes to rows of this kind, as recorded: Person, Membership, StatusChange, Appointment, Account, Token, ..."},
			"entityId": {Type: graphql.ID, Description: "Only changes to the object with this global ID."},
			"actor":    {Type: graphql.String, Description: "Only changes made by this account (its name), or cli:USER for the command line."},
			"since":    {Type: b.dateTime, Description: "Only changes made at or after this instant."},
			"until":    {Type: b.dateTime, Description: "Only changes made before this instant."},
		}),
		Resolve: func(p graphql.ResolveParams) (interface{}, error) {
			l := loader.FromContext(p.Context)
			// Refused before the arguments are read: a caller who may not
			// read the trail learns nothing from it.
			if err := l.ReadAudit(); err != nil {
				return nil, apiError(err)
			}
			f := loader.AuditFilter{Entity: strArg(p, "entity"), Actor: strArg(p, "actor")}
			if gid := strArg(p, "entityId"); gid != "" {
				name, id, err := ParseGlobalID(gid)
				if err != nil {
					e := registry.Wrap(err)
					e.Field = "entityId"
					return nil, e
				}
				if f.Entity != "" && f.Entity != name {
					return nil, registry.E(registry.Invalid, "entityId", "entityId names a %s, but entity asks for %s", name, f.Entity)
				}
				f.Entity, f.EntityID = name, id
			}
			for _, a := range []struct {
				name string
				dst  **time.Time
			}{{"since", &f.Since}, {"until", &f.Until}} {
				if v, ok := p.Args[a.name].(time.Time); ok {
					*a.dst = &v
				}
			}
			return topList(p, func(pa loader.PageArgs) (*loader.Page[*ent.AuditEvent], error) {
				return l.AuditEvents(p.Context, f, pa)
			}, func() (int, error) { return l.CountAuditEvents(p.Context, f) })
		},
	}
}
