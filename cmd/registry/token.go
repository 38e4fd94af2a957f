package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/account"
	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/ent/token"
	"github.com/societyregistry/registry/graph"
	"github.com/societyregistry/registry/registry"
)

// tokenCmd makes, revokes and lists API tokens.
func tokenCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	what, args := word(args)
	switch what {
	case "create":
		return tokenCreate(ctx, args, stdout, stderr)
	case "revoke":
		return tokenRevoke(ctx, args, stdout, stderr)
	case "list":
		return tokenList(ctx, args, stdout, stderr)
	}
	return fmt.Errorf("usage: registry token create|revoke|list [flags]; \"registry token create -help\" lists its flags")
}

// stringList is a flag that may be given more than once.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// tokenCreate makes a token, and its account when the account is new.
// The token goes alone to stdout, so that a script can capture it; what
// was made goes to stderr.
func tokenCreate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlags("token create", stderr)
	var (
		req    registry.TokenRequest
		role   string
		scopes stringList
	)
	fs.StringVar(&req.Account, "account", "", "the account's name; a new name makes the account")
	fs.StringVar(&role, "role", "", "the account's role: ADMIN, SECRETARIAT, BRANCH_SECRETARY or READER")
	fs.Var(&scopes, "scope", "an organization a BRANCH_SECRETARY keeps, with its sub-organizations:\n"+
		"its number or its global ID; repeat for more than one")
	fs.StringVar(&req.Label, "label", "", "what the token is for, shown by token list")
	if err := parse(fs, args); err != nil {
		return err
	}
	if req.Account == "" {
		return registry.E(registry.Invalid, "account", "name the account: -account NAME")
	}
	if role == "" {
		return registry.E(registry.Invalid, "role", "give the account's role: -role ADMIN|SECRETARIAT|BRANCH_SECRETARY|READER")
	}
	req.Role = registry.Role(strings.ToUpper(role))
	var err error
	if req.Scopes, err = organizationIDs(scopes); err != nil {
		return err
	}
	s, err := registry.Open(ctx, c.db, registry.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	t, err := s.CreateToken(ctx, cli(), req)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, t.Secret)

	what := fmt.Sprintf("account %q", t.Account.Name)
	if t.Created {
		what = "new " + what
	}
	names, err := organizationNames(ctx, s, req.Scopes)
	if err != nil {
		return err
	}
	scope := ""
	if len(names) > 0 {
		scope = " of " + strings.Join(names, ", ")
	}
	label := ""
	if t.Token.Label != "" {
		label = fmt.Sprintf(" (%q)", t.Token.Label)
	}
	fmt.Fprintf(stderr, "made token %s%s for %s, %s%s; it is shown only this once\n",
		t.Token.Hint, label, what, t.Account.Role, scope)
	return nil
}

// organizationIDs reads -scope values: an organization's number, or its
// global ID as the API shows it.
func organizationIDs(values []string) ([]int, error) {
	var ids []int
	for _, v := range values {
		v = strings.TrimSpace(v)
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			ids = append(ids, n)
			continue
		}
		typ, id, err := graph.ParseGlobalID(v)
		if err != nil || typ != "Organization" {
			return nil, registry.E(registry.Invalid, "scope", "-scope %q is neither an organization's number nor an Organization's global ID", v)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// organizationNames names organizations "Name (id)", in the order of ids.
func organizationNames(ctx context.Context, s *registry.Store, ids []int) ([]string, error) {
	orgs, err := s.Client.Organization.Query().Where(organization.IDIn(ids...)).All(ctx)
	if err != nil {
		return nil, err
	}
	name := map[int]string{}
	for _, o := range orgs {
		name[o.ID] = o.Name
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = fmt.Sprintf("%s (%d)", name[id], id)
	}
	return out, nil
}

// tokenRevoke revokes one token, named by itself or its hint, or every
// live token of an account.
func tokenRevoke(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlags("token revoke", stderr)
	var accountName, secret string
	fs.StringVar(&accountName, "account", "", "revoke every live token of this account (with -token: that token, of this account)")
	fs.StringVar(&secret, "token", "", "revoke this token: the token itself, or its hint as token list shows it")
	if err := parse(fs, args); err != nil {
		return err
	}
	if accountName == "" && secret == "" {
		return registry.E(registry.Invalid, "token", "name a token or an account: -token TOKEN_OR_HINT or -account NAME")
	}
	s, err := registry.Open(ctx, c.db, registry.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := s.RevokeTokens(ctx, cli(), accountName, secret)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "revoked %s; a running server refuses %s within its token cache time (-token-cache-ttl)\n",
		plural(n, "token"), map[bool]string{true: "it", false: "them"}[n == 1])
	return nil
}

// tokenList lists the tokens, by account, oldest first.
func tokenList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlags("token list", stderr)
	var accountName string
	fs.StringVar(&accountName, "account", "", "list only this account's tokens")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := registry.Open(ctx, c.db, registry.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	q := s.Client.Token.Query().WithAccount(func(q *ent.AccountQuery) {
		q.WithScopes(func(q *ent.OrganizationQuery) { q.Order(ent.Asc(organization.FieldID)) })
	})
	if accountName != "" {
		q.Where(token.HasAccountWith(account.Name(accountName)))
	}
	toks, err := q.All(ctx)
	if err != nil {
		return err
	}
	slices.SortFunc(toks, func(a, b *ent.Token) int {
		if c := strings.Compare(a.Edges.Account.Name, b.Edges.Account.Name); c != 0 {
			return c
		}
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return a.ID - b.ID
	})
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ACCOUNT\tROLE\tSCOPES\tTOKEN\tLABEL\tCREATED\tREVOKED")
	for _, t := range toks {
		a := t.Edges.Account
		var scopes []string
		for _, o := range a.Edges.Scopes {
			scopes = append(scopes, fmt.Sprintf("%s (%d)", o.Name, o.ID))
		}
		role := string(a.Role)
		if a.Disabled {
			role += " (disabled)"
		}
		revoked := "-"
		if t.RevokedAt != nil {
			revoked = stamp(*t.RevokedAt)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.Name, role, orDash(strings.Join(scopes, "; ")),
			t.Hint, orDash(t.Label), stamp(t.CreatedAt), revoked)
	}
	tw.Flush()
	if len(toks) == 0 {
		fmt.Fprintln(stderr, "no tokens")
	}
	return nil
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05Z") }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// plural is "1 token", "2 tokens".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
