// Package graph is the registry's GraphQL API, built code-first with
// graphql-go: the types with their fields and resolvers (one file per
// entity), Relay node IDs and cursor connections, the root query, the
// safe execution pipeline and the SDL printer. Every related row is read
// through the per-request loaders of graph/loader.
package graph

import (
	"context"
	"fmt"

	"github.com/graphql-go/graphql"

	"github.com/societyregistry/registry/graph/loader"
	"github.com/societyregistry/registry/registry"
)

// Deps is what the schema's resolvers need.
type Deps struct {
	Store *registry.Store
	Clock registry.Clock
	// Loader tunes the per-request loaders.
	Loader loader.Options
}

// builder holds the types while the schema is being built.
type builder struct {
	deps           Deps
	enums          enums
	date, dateTime *graphql.Scalar
	node           *graphql.Interface
	pageInfoType   *graphql.Object
	objects        map[string]*graphql.Object
	connections    map[string]*graphql.Object
	// successionTypes are built on first use (see succession.go).
	successionTypes *successionTypes
	// meetingTypes are built on first use (see meeting.go).
	meetingTypes *meetingTypes
	// electionTypes are built on first use (see election.go).
	electionTypes *electionTypes
}

// NewSchema builds the GraphQL schema.
func NewSchema(deps Deps) (graphql.Schema, error) {
	b := &builder{deps: deps, enums: newEnums(), objects: map[string]*graphql.Object{}, connections: map[string]*graphql.Object{}}
	b.date, b.dateTime = newScalars()
	b.node = b.nodeInterface()
	b.pageInfoType = b.pageInfo()
	// Objects refer to each other through field thunks, so all are
	// declared before any field is read.
	for name, def := range map[string]objectDef{
		"Person":       b.personType,
		"Institution":  b.institutionType,
		"Membership":   b.membershipType,
		"StatusChange": b.statusChangeType,
		"Organization": b.organizationType,
		"Term":         b.termType,
		"Post":         b.postType,
		"Appointment":  b.appointmentType,
		"AuditEvent":   b.auditEventType,
		"Assembly":     b.assemblyType,
		"Constituency": b.constituencyType,
		"Participant":  b.participantType,
		"Meeting":      b.meetingType,
		"Motion":       b.motionType,
		"Election":     b.electionType,
		"Candidate":    b.candidateType,
		"Round":        b.roundType,
	} {
		b.objects[name] = def()
	}
	for name, what := range map[string]string{
		"Person": "person", "Institution": "institution", "StatusChange": "status change",
		"Organization": "organization", "Term": "term", "Post": "post", "Appointment": "appointment",
		"AuditEvent": "audit event",
	} {
		b.connections[name] = b.connectionType(b.objects[name], what)
	}
	types := []graphql.Type{}
	for _, o := range b.objects {
		types = append(types, o)
	}
	query := b.queryType()
	for name, f := range b.moreQueryFields() {
		query.AddFieldConfig(name, f)
	}
	mutation := b.mutationType()
	for name, f := range b.moreMutationFields() {
		mutation.AddFieldConfig(name, f)
	}
	s, err := graphql.NewSchema(graphql.SchemaConfig{Query: query, Mutation: mutation, Types: types})
	if err != nil {
		return s, fmt.Errorf("graph: build schema: %w", err)
	}
	return s, nil
}

type objectDef func() *graphql.Object

// moreQueryFields are the root query's fields beyond those of
// queryType: who is asking, the audit trail, roster export,
// succession, and a ballot found by its receipt.
func (b *builder) moreQueryFields() graphql.Fields {
	return graphql.Fields{
		"viewer":           b.viewerField(),
		"auditEvents":      b.auditEventsField(),
		"exportRoster":     b.exportRosterField(),
		"successionReport": b.successionReportField(),
		"successionsDue":   b.successionsDueField(),
		"ballotReceipt":    b.ballotReceiptField(),
		"ballots":          b.ballotsField(),
	}
}

// Service executes requests against the schema, each with fresh loaders.
type Service struct {
	Schema graphql.Schema
	deps   Deps
	exec   *Executor
}

// New builds the schema and its executor. A query's result holds
// [*Object] values, its fields in selection order, where an [Executor] of
// its own would hold maps.
func New(deps Deps, lim Limits) (*Service, error) {
	s, err := NewSchema(deps)
	if err != nil {
		return nil, err
	}
	exec := NewExecutor(s, lim)
	exec.ordered = true
	return &Service{Schema: s, deps: deps, exec: exec}, nil
}

// WithLoaders returns ctx carrying fresh loaders for one request, which
// read what the viewer in ctx may see (nothing, without one).
func (s *Service) WithLoaders(ctx context.Context) context.Context {
	l := loader.New(s.deps.Store.Client, s.deps.Store.Dialect, registry.ViewerFrom(ctx), s.deps.Clock.Today(), s.deps.Loader)
	return loader.NewContext(ctx, l)
}

// Execute runs one request with its own loaders, for the viewer that ctx
// carries (see [registry.WithViewer]). A request without one is refused
// with a single UNAUTHENTICATED error before anything else is done.
func (s *Service) Execute(ctx context.Context, req Request) *graphql.Result {
	if registry.ViewerFrom(ctx) == nil {
		return refuse(refusal(registry.Unauthenticated, nil, "the registry answers signed-in accounts only: send an API token"))
	}
	return s.exec.Execute(s.WithLoaders(ctx), req)
}

// today is the society's current day, the default of every as-of.
func (b *builder) today() string { return loader.FormatDay(b.deps.Clock.Today()) }

// field is a plain field read synchronously from the source row.
func field(t graphql.Output, description string, get func(interface{}) interface{}) *graphql.Field {
	return &graphql.Field{Type: t, Description: description,
		Resolve: func(p graphql.ResolveParams) (interface{}, error) { return get(p.Source), nil }}
}

var (
	nonNullString = graphql.NewNonNull(graphql.String)
	nonNullInt    = graphql.NewNonNull(graphql.Int)
	nonNullBool   = graphql.NewNonNull(graphql.Boolean)
)

func nonNull(t graphql.Output) graphql.Output { return graphql.NewNonNull(t) }
