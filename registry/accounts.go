package registry

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/account"
	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/ent/participant"
	"github.com/societyregistry/registry/ent/token"
)

// accountName is what an account may be called (ent/schema/account.go
// holds the same rule for the database).
var accountName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)

// TokenPrefix starts every API token, so a leaked one is easy to find
// in logs and code.
const TokenPrefix = "reg_"

// TokenRequest asks for a new API token for an account, creating the
// account when it is new.
type TokenRequest struct {
	Account string
	Role    Role
	// Scopes are the organizations a BRANCH_SECRETARY keeps; other roles
	// take none.
	Scopes []int
	Label  string
}

// NewToken is a token just made: the secret, shown once, and its row.
type NewToken struct {
	Secret  string
	Token   *ent.Token
	Account *ent.Account
	// Created says the account was made for this token.
	Created bool
}

// CreateToken makes a 256-bit API token for r.Account and stores only
// its SHA-256. A new account takes r's role and scopes; an existing one
// must already have them (a token never changes what its account may
// do).
func (s *Store) CreateToken(ctx context.Context, v *Viewer, r TokenRequest) (*NewToken, error) {
	if err := v.Authorize(ManageAccounts); err != nil {
		return nil, err
	}
	switch {
	case !accountName.MatchString(r.Account):
		return nil, &Error{Kind: Invalid, Field: "account", Rule: "accountName",
			Message: fmt.Sprintf("account name %q: 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit", r.Account)}
	case !r.Role.Valid():
		return nil, E(Invalid, "role", "role must be one of ADMIN, SECRETARIAT, BRANCH_SECRETARY, READER, not %q", r.Role)
	case r.Role == RoleBranchSecretary && len(r.Scopes) == 0:
		return nil, E(Invalid, "scope", "a BRANCH_SECRETARY needs at least one organization in scope")
	case r.Role != RoleBranchSecretary && len(r.Scopes) > 0:
		return nil, E(Invalid, "scope", "only a BRANCH_SECRETARY is scoped to organizations, not a %s", r.Role)
	}
	scopes := slices.Clone(r.Scopes)
	slices.Sort(scopes)
	scopes = slices.Compact(scopes)
	secret, err := newSecret()
	if err != nil {
		return nil, err
	}
	out := &NewToken{Secret: secret}
	err = s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		if n, err := tx.Organization.Query().Where(organization.IDIn(scopes...)).Count(ctx); err != nil {
			return err
		} else if n != len(scopes) {
			return E(NotFound, "scope", "scope names an organization that does not exist")
		}
		acct, err := tx.Account.Query().Where(account.Name(r.Account)).WithScopes().Only(ctx)
		switch {
		case ent.IsNotFound(err):
			acct, err = tx.Account.Create().SetName(r.Account).SetRole(account.Role(r.Role)).AddScopeIDs(scopes...).Save(ctx)
			if err != nil {
				return fieldError(err, "account")
			}
			out.Created = true
			if err := rec.Change("account.create", nil, acct); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			have := make([]int, len(acct.Edges.Scopes))
			for i, o := range acct.Edges.Scopes {
				have[i] = o.ID
			}
			slices.Sort(have)
			if Role(acct.Role) != r.Role || !slices.Equal(have, scopes) {
				return E(Conflict, "role", "account %q exists with role %s and scopes %v; a token takes its account's role and scopes", acct.Name, acct.Role, have)
			}
			if acct.Disabled {
				return E(RuleViolation, "account", "account %q is disabled", acct.Name)
			}
		}
		out.Account = acct
		out.Token, err = tx.Token.Create().SetAccountID(acct.ID).SetHash(HashToken(secret)).
			SetHint(secret[:len(TokenPrefix)+6]).SetLabel(r.Label).Save(ctx)
		if err != nil {
			return fieldError(err, "label")
		}
		return rec.Change("token.create", nil, out.Token)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// fieldError names field in an ent validation error.
func fieldError(err error, field string) error {
	e := Wrap(err)
	if e.Kind == Invalid {
		e.Field = field
	}
	return e
}

// RevokeTokens revokes the token whose secret or hint is given, or, with
// only an account, every live token of that account. It returns how many
// it revoked; none is NOT_FOUND.
func (s *Store) RevokeTokens(ctx context.Context, v *Viewer, accountName, secretOrHint string) (int, error) {
	if err := v.Authorize(ManageAccounts); err != nil {
		return 0, err
	}
	if accountName == "" && secretOrHint == "" {
		return 0, E(Invalid, "token", "name a token or an account")
	}
	n := 0
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		q := tx.Token.Query().Where(token.RevokedAtIsNil())
		if accountName != "" {
			q.Where(token.HasAccountWith(account.Name(accountName)))
		}
		switch {
		case len(secretOrHint) > 16:
			q.Where(token.Hash(HashToken(secretOrHint)))
		case secretOrHint != "":
			q.Where(token.Hint(secretOrHint))
		}
		toks, err := q.All(ctx)
		if err != nil {
			return err
		}
		if len(toks) == 0 {
			return E(NotFound, "token", "no live token matches")
		}
		if secretOrHint != "" && len(toks) > 1 {
			return E(Conflict, "token", "%d tokens share hint %q: give the whole token", len(toks), secretOrHint)
		}
		now := time.Now()
		for _, t := range toks {
			after, err := tx.Token.UpdateOne(t).SetRevokedAt(now).Save(ctx)
			if err != nil {
				return err
			}
			if err := rec.Change("token.revoke", t, after); err != nil {
				return err
			}
		}
		n = len(toks)
		return nil
	})
	return n, err
}

// HashToken returns the hex SHA-256 of a token, the only form stored.
func HashToken(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

func newSecret() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return TokenPrefix + base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// Authenticator turns bearer tokens into viewers. Verified tokens are
// kept in memory for TTL, so a busy client costs no statement per
// request; Forget clears them (revocation from this process), and a token
// revoked elsewhere stops working within TTL.
type Authenticator struct {
	store *Store
	ttl   time.Duration
	now   func() time.Time

	mu    sync.Mutex
	cache map[string]cachedViewer
}

type cachedViewer struct {
	v       *Viewer
	expires time.Time
}

// NewAuthenticator returns an Authenticator over s caching for ttl (0:
// no cache).
func NewAuthenticator(s *Store, ttl time.Duration) *Authenticator {
	return &Authenticator{store: s, ttl: ttl, now: time.Now, cache: map[string]cachedViewer{}}
}

// maxCached bounds the cache; past it the cache starts over.
const maxCached = 10000

// Authenticate returns the viewer of an API token, a voter token or a
// ballot code (with [BallotCodePrefix]), or UNAUTHENTICATED.
func (a *Authenticator) Authenticate(ctx context.Context, secret string) (*Viewer, error) {
	if code, ok := strings.CutPrefix(secret, BallotCodePrefix); ok {
		return a.store.ballotCodeViewer(ctx, code)
	}
	voter := strings.HasPrefix(secret, VoterTokenPrefix)
	if !strings.HasPrefix(secret, TokenPrefix) && !voter {
		return nil, E(Unauthenticated, "", "the API token is not one this registry issues")
	}
	hash := HashToken(secret)
	now := a.now()
	a.mu.Lock()
	c, ok := a.cache[hash]
	a.mu.Unlock()
	if ok && now.Before(c.expires) {
		return c.v, nil
	}
	if voter {
		// Voter tokens are not cached: a new one replaces the old at once.
		p, err := a.store.Client.Participant.Query().Where(participant.VoterTokenHash(hash)).Only(ctx)
		if ent.IsNotFound(err) {
			return nil, E(Unauthenticated, "", "the voter token is unknown or replaced")
		}
		if err != nil {
			return nil, Wrap(err)
		}
		return VoterViewer(p.ID), nil
	}
	t, err := a.store.Client.Token.Query().
		Where(token.Hash(hash), token.RevokedAtIsNil(), token.HasAccountWith(account.Disabled(false))).
		WithAccount(func(q *ent.AccountQuery) {
			q.WithScopes(func(q *ent.OrganizationQuery) { q.Select(organization.FieldID) })
		}).
		Only(ctx)
	if ent.IsNotFound(err) {
		return nil, E(Unauthenticated, "", "the API token is unknown or revoked")
	}
	if err != nil {
		return nil, Wrap(err)
	}
	v, err := a.store.viewerOf(ctx, t.Edges.Account)
	if err != nil {
		return nil, err
	}
	if a.ttl > 0 {
		a.mu.Lock()
		if len(a.cache) >= maxCached {
			a.cache = map[string]cachedViewer{}
		}
		a.cache[hash] = cachedViewer{v: v, expires: now.Add(a.ttl)}
		a.mu.Unlock()
	}
	return v, nil
}

// Forget empties the cache of verified tokens.
func (a *Authenticator) Forget() {
	a.mu.Lock()
	a.cache = map[string]cachedViewer{}
	a.mu.Unlock()
}

// ViewerOf returns the viewer of the named account (for tools and tests
// that act as an account without a token).
func (s *Store) ViewerOf(ctx context.Context, name string) (*Viewer, error) {
	acct, err := s.Client.Account.Query().Where(account.Name(name)).
		WithScopes(func(q *ent.OrganizationQuery) { q.Select(organization.FieldID) }).Only(ctx)
	if err != nil {
		return nil, Wrap(err)
	}
	return s.viewerOf(ctx, acct)
}

// viewerOf builds the viewer of an account loaded with its scopes.
func (s *Store) viewerOf(ctx context.Context, acct *ent.Account) (*Viewer, error) {
	scopes := make([]int, len(acct.Edges.Scopes))
	for i, o := range acct.Edges.Scopes {
		scopes[i] = o.ID
	}
	var reach []int
	if len(scopes) > 0 {
		orgs, err := s.Client.Organization.Query().Select(organization.FieldID, organization.FieldParentID).All(ctx)
		if err != nil {
			return nil, Wrap(err)
		}
		parents := make(map[int]int, len(orgs))
		for _, o := range orgs {
			parents[o.ID] = orZero(o.ParentID)
		}
		reach = ScopeReach(scopes, parents)
	}
	return NewViewer(acct.ID, acct.Name, Role(acct.Role), scopes, reach), nil
}

func orZero(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}
