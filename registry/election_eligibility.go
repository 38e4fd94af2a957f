package registry

import (
	"context"
	"strings"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/organization"
)

// eligibility makes the succession report's checks that bear on one
// person standing for post p of term t, as if they held it from the
// term's first day, so that a nomination and a succession apply the
// articles alike: an ACTIVE membership (asked of every candidate, in any
// organization); for a leadership post, the consecutive-term and the age
// limits; for the standing council, drawn from the council. The standing
// council's size is the succession's to check, once its roster is whole.
func eligibility(ctx context.Context, c *ent.Client, t *ent.Term, p *ent.Post, who *ent.Person) ([]Check, error) {
	o, err := c.Organization.Get(ctx, t.OrganizationID)
	if err != nil {
		return nil, err
	}
	rep := &SuccessionReport{Term: t, Organization: o, Rules: RulesOf(o), On: t.StartsOn}
	a := &ent.Appointment{PersonID: who.ID, PostID: p.ID, TermID: t.ID, StartsOn: t.StartsOn}
	a.Edges.Person, a.Edges.Post = who, p
	proposed := []*ent.Appointment{a}
	active, err := activeMembers(ctx, c, proposed)
	if err != nil {
		return nil, err
	}
	checks := []Check{active}
	if p.Leadership {
		byOrdinal, err := rep.terms(ctx, c)
		if err != nil {
			return nil, err
		}
		limit, err := rep.consecutive(ctx, c, byOrdinal, proposed)
		if err != nil {
			return nil, err
		}
		checks = append(checks, limit, rep.age(proposed))
	}
	if o.Kind == organization.KindSTANDING_COUNCIL {
		chs, err := rep.standing(ctx, c, proposed)
		if err != nil {
			return nil, err
		}
		for _, ch := range chs {
			if ch.Name == CheckDrawnFromCouncil {
				checks = append(checks, ch)
			}
		}
	}
	return checks, nil
}

// ineligible returns the first failing check as a RULE_VIOLATION of
// field, named by the check's rule, or nil when every check passes.
func ineligible(checks []Check, field string) error {
	for _, c := range checks {
		if c.Passed {
			continue
		}
		msg := c.Text
		if len(c.Faults) > 0 {
			msg = c.Faults[0].Message
		}
		return Violation(field, c.Name, "not eligible: %s", msg)
	}
	return nil
}

// eligibilityText is the record of the checks a candidate passed, one
// per line.
func eligibilityText(checks []Check) string {
	lines := make([]string, len(checks))
	for i, c := range checks {
		lines[i] = c.Name + ": " + c.Text
	}
	return strings.Join(lines, "\n")
}
