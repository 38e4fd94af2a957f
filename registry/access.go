package registry

// Authorization lives here, in the registry layer, and nowhere else: one
// table says which role may do what, and with what reach (nothing, the
// organizations an account is scoped to, or everything). The GraphQL
// resolvers and the loaders ask this table through a *Viewer; the
// mutations in this package check it before they write.
//
// Why not ent privacy policies: the API's lists are read by hand-written,
// windowed SQL in graph/loader (one statement per page, whatever the
// number of parents), which ent's query policies never see, and a scope
// has to be a SQL filter there anyway so that totals and cursors agree
// with the rows shown. A policy that covered ent queries only would leave
// those paths to a second mechanism; a single table consulted by both
// keeps the rule in one place.

import (
	"context"
	"fmt"
	"slices"
)

// Role is an account's role.
type Role string

// The account roles.
const (
	RoleAdmin           Role = "ADMIN"            // everything, accounts included
	RoleSecretariat     Role = "SECRETARIAT"      // all rosters and memberships, no accounts
	RoleBranchSecretary Role = "BRANCH_SECRETARY" // the rosters of the organizations in scope
	RoleReader          Role = "READER"           // reads all but private contact data
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleSecretariat, RoleBranchSecretary, RoleReader}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Action is something a viewer asks to do.
type Action int

// The actions the policy decides.
const (
	// ReadDirectory reads people, institutions and memberships, without
	// private contact data.
	ReadDirectory Action = iota
	// ReadStatistics reads membership statistics.
	ReadStatistics
	// ReadOrganization reads an organization with its terms, posts and
	// roster, and exports its roster.
	ReadOrganization
	// ReadPrivate reads a person's phone, email and identity number.
	// Scoped: the person sits in an organization in scope (see
	// [Viewer.Reach]).
	ReadPrivate
	// ReadAudit reads the audit trail.
	ReadAudit
	// EditMembers creates people, admits members and changes membership
	// status.
	EditMembers
	// EditPerson updates a person's details. Scoped like ReadPrivate.
	EditPerson
	// EditRoster appoints, ends and updates appointments, and imports
	// rosters, in an organization.
	EditRoster
	// ManageAccounts creates accounts and tokens and revokes tokens.
	ManageAccounts
	// ApproveSuccession completes a term's succession and records a
	// deferral of one: a branch prepares its next term (EditRoster), the
	// secretariat approves it.
	ApproveSuccession
	// OverrideRules completes a succession although a blocking rule
	// check fails, giving a reason that the audit trail keeps.
	OverrideRules
	// ConveneMeetings creates assemblies and meetings, apportions and
	// fills an assembly's seats, grants clerks and puts motions, in an
	// organization.
	ConveneMeetings
	// ClerkMeetings confirms credentials, checks participants in and out,
	// issues voter tokens, opens and closes votes and enters votes shown
	// by hand, in an organization's meetings. A CLERK grant on a meeting
	// or assembly gives the same there (see [Store.MayClerk]).
	ClerkMeetings
	// ManageElections creates elections, nominates and withdraws
	// candidates, grants tellers, and opens and closes rounds. Entering
	// ballots is for the election's tellers, whatever their account's
	// role (see tellerOf).
	ManageElections
	// CertifyElections certifies an election's result into appointments;
	// the election's chief teller may too.
	CertifyElections
	numActions
)

var actionNames = [numActions]string{
	ReadDirectory:     "read the member directory",
	ReadStatistics:    "read membership statistics",
	ReadOrganization:  "read this organization",
	ReadPrivate:       "read private contact data",
	ReadAudit:         "read the audit trail",
	EditMembers:       "create people or change memberships",
	EditPerson:        "update this person",
	EditRoster:        "change this organization's roster",
	ManageAccounts:    "manage accounts and tokens",
	ApproveSuccession: "approve a succession or its deferral",
	OverrideRules:     "override the rules' checks of a succession",
	ConveneMeetings:   "convene meetings and assemblies and put motions",
	ClerkMeetings:     "keep a meeting's attendance and votes",
	ManageElections:   "manage elections",
	CertifyElections:  "certify an election's result",
}

func (a Action) String() string { return actionNames[a] }

// Reach is how far a role may take an action.
type Reach int

// The reaches.
const (
	Nowhere  Reach = iota // never
	InScope               // in the organizations the account is scoped to, and their sub-organizations
	Anywhere              // always
)

// policy is the whole of who may do what.
var policy = map[Role][numActions]Reach{
	RoleAdmin: {
		ReadDirectory: Anywhere, ReadStatistics: Anywhere, ReadOrganization: Anywhere, ReadPrivate: Anywhere,
		ReadAudit: Anywhere, EditMembers: Anywhere, EditPerson: Anywhere, EditRoster: Anywhere, ManageAccounts: Anywhere,
		ApproveSuccession: Anywhere, OverrideRules: Anywhere, ConveneMeetings: Anywhere, ClerkMeetings: Anywhere,
		ManageElections: Anywhere, CertifyElections: Anywhere,
	},
	RoleSecretariat: {
		ReadDirectory: Anywhere, ReadStatistics: Anywhere, ReadOrganization: Anywhere, ReadPrivate: Anywhere,
		ReadAudit: Anywhere, EditMembers: Anywhere, EditPerson: Anywhere, EditRoster: Anywhere,
		// The secretariat approves successions; only an administrator
		// sets the articles' checks aside.
		ApproveSuccession: Anywhere, OverrideRules: Nowhere, ConveneMeetings: Anywhere, ClerkMeetings: Anywhere,
		// The secretariat runs elections; the result is certified by an
		// administrator or the election's chief teller.
		ManageElections: Anywhere, CertifyElections: Nowhere,
	},
	RoleBranchSecretary: {
		ReadDirectory: Anywhere, ReadOrganization: InScope, ReadPrivate: InScope,
		EditPerson: InScope, EditRoster: InScope,
		// A branch prepares and edits its next term (EditRoster); it does
		// not approve it. It holds its own meetings.
		ApproveSuccession: Nowhere, OverrideRules: Nowhere, ConveneMeetings: InScope, ClerkMeetings: InScope,
	},
	RoleReader: {
		ReadDirectory: Anywhere, ReadStatistics: Anywhere, ReadOrganization: Anywhere,
		ApproveSuccession: Nowhere, OverrideRules: Nowhere,
	},
}

// Viewer is who is asking: an authenticated account, or the command line.
type Viewer struct {
	// AccountID is the account's row; 0 for the command line.
	AccountID int
	// Name is the account's name, the actor in the audit trail.
	Name string
	Role Role
	// Scopes are the organizations the account is scoped to.
	Scopes []int
	// Participant is set for a voter: the participant whose voter token
	// was presented. A voter has no account and no role; it may cast its
	// own votes and nothing else.
	Participant int
	// BallotCode is set for a voter who presented a ballot code as the
	// credential: it casts that one ballot and nothing else, and names
	// nobody.
	BallotCode string
	// orgs are the scopes with all their sub-organizations.
	orgs map[int]bool
}

// RoleVoter is the Role of a voter's viewer: not an account role, so the
// policy gives it nothing.
const RoleVoter Role = "VOTER"

// VoterViewer is the viewer of a participant's voter token, named
// voter:<participant id> in the audit trail.
func VoterViewer(participant int) *Viewer {
	return &Viewer{Name: fmt.Sprintf("voter:%d", participant), Role: RoleVoter, Participant: participant, orgs: map[int]bool{}}
}

// NewViewer builds a viewer; reach lists the organizations in scope,
// sub-organizations included (see [ScopeReach]).
func NewViewer(accountID int, name string, role Role, scopes, reach []int) *Viewer {
	v := &Viewer{AccountID: accountID, Name: name, Role: role, Scopes: slices.Clone(scopes), orgs: map[int]bool{}}
	for _, id := range reach {
		v.orgs[id] = true
	}
	return v
}

// System is the viewer of the command line, run by the operating-system
// user: an administrator, recorded as cli:user in the audit trail.
func System(user string) *Viewer {
	if user == "" {
		user = "unknown"
	}
	return &Viewer{Name: "cli:" + user, Role: RoleAdmin, orgs: map[int]bool{}}
}

// Reach says how far v may take action a, and, when the reach is InScope,
// which organizations it covers (sorted). A nil viewer reaches nowhere.
func (v *Viewer) Reach(a Action) (Reach, []int) {
	if v == nil {
		return Nowhere, nil
	}
	r := policy[v.Role][a]
	if r != InScope {
		return r, nil
	}
	ids := make([]int, 0, len(v.orgs))
	for id := range v.orgs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return r, ids
}

// Can reports whether v may take action a at all: anywhere, or in at
// least one organization.
func (v *Viewer) Can(a Action) bool {
	r, ids := v.Reach(a)
	return r == Anywhere || (r == InScope && len(ids) > 0)
}

// Authorize returns nil when v may take action a everywhere, and an
// UNAUTHENTICATED or FORBIDDEN error otherwise. Scoped actions need
// [Viewer.AuthorizeIn].
func (v *Viewer) Authorize(a Action) error {
	if v == nil {
		return unauthenticated()
	}
	if r, _ := v.Reach(a); r == Anywhere {
		return nil
	}
	return v.forbidden(a, "")
}

// AuthorizeIn returns nil when v may take action a in organization org;
// field names the input that chose the organization, for the error.
func (v *Viewer) AuthorizeIn(a Action, org int, field string) error {
	if v == nil {
		return unauthenticated()
	}
	switch r, _ := v.Reach(a); {
	case r == Anywhere, r == InScope && v.orgs[org]:
		return nil
	}
	return v.forbidden(a, field)
}

// InScope reports whether org is one of v's organizations (scopes and
// their sub-organizations).
func (v *Viewer) InScope(org int) bool { return v != nil && v.orgs[org] }

func (v *Viewer) forbidden(a Action, field string) error {
	return E(Forbidden, field, "account %q (%s) may not %s", v.Name, v.Role, a)
}

// forbiddenOrAnonymous refuses action a: UNAUTHENTICATED for a nil
// viewer, FORBIDDEN otherwise.
func (v *Viewer) forbiddenOrAnonymous(a Action, field string) error {
	if v == nil {
		return unauthenticated()
	}
	return v.forbidden(a, field)
}

func unauthenticated() error {
	return E(Unauthenticated, "", "send an API token: Authorization: Bearer <token>")
}

type viewerKey struct{}

// WithViewer returns ctx carrying v.
func WithViewer(ctx context.Context, v *Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

// ViewerFrom returns the viewer ctx carries, or nil for an anonymous
// caller.
func ViewerFrom(ctx context.Context) *Viewer {
	v, _ := ctx.Value(viewerKey{}).(*Viewer)
	return v
}

// ScopeReach returns scopes with all their sub-organizations, given every
// organization's parent (id → parent id, 0 for none).
func ScopeReach(scopes []int, parents map[int]int) []int {
	children := map[int][]int{}
	for id, p := range parents {
		children[p] = append(children[p], id)
	}
	seen := map[int]bool{}
	queue := slices.Clone(scopes)
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if seen[id] {
			continue
		}
		seen[id] = true
		queue = append(queue, children[id]...)
	}
	out := make([]int, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// String names the viewer for logs.
func (v *Viewer) String() string {
	if v == nil {
		return "anonymous"
	}
	return fmt.Sprintf("%s (%s)", v.Name, v.Role)
}
