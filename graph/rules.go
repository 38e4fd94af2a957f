package graph

import (
	"github.com/graphql-go/graphql"

	"github.com/societyregistry/registry/registry/rules"
)

func (b *builder) rulesType() *graphql.Object {
	if t := b.objects["Rules"]; t != nil {
		return t
	}
	fraction := graphql.NewObject(graphql.ObjectConfig{
		Name:        "Fraction",
		Description: "An exact ratio of two integers; rules never use floating point.",
		Fields: graphql.Fields{
			"numerator": field(nonNullInt, "The numerator.", func(v interface{}) interface{} { return int(v.(rules.Fraction).Num) }),
			"denominator": field(nonNullInt, "The denominator, positive.",
				func(v interface{}) interface{} { return int(v.(rules.Fraction).Den) }),
			"text": field(nonNullString, "The fraction written as 2/3.", func(v interface{}) interface{} { return v.(rules.Fraction).String() }),
		},
	})
	threshold := graphql.NewObject(graphql.ObjectConfig{
		Name:        "Threshold",
		Description: "A share of a base that a count must reach: at least the fraction, or more than it when strict.",
		Fields: graphql.Fields{
			"fraction": field(nonNull(fraction), "The share.", func(v interface{}) interface{} { return v.(*rules.Threshold).Fraction }),
			"base":     field(nonNull(b.enums.base), "What it is a share of.", func(v interface{}) interface{} { return v.(*rules.Threshold).Base }),
			"strict":   field(nonNullBool, "More than the share (true) or at least it (false).", func(v interface{}) interface{} { return v.(*rules.Threshold).Strict }),
			"text":     field(nonNullString, "The threshold in words: at least 2/3 of PRESENT.", func(v interface{}) interface{} { return v.(*rules.Threshold).String() }),
		},
	})
	b.objects["Threshold"], b.objects["Fraction"] = threshold, fraction
	motionRuleType := graphql.NewObject(graphql.ObjectConfig{
		Name:        "MotionRule",
		Description: "What a kind of motion needs to pass.",
		Fields: graphql.Fields{
			"kind":      field(nonNullString, "The motion kind: ORDINARY, ARTICLES_AMENDMENT, DISMISSAL, BUDGET, or one the rules add.", func(v interface{}) interface{} { return v.(motionRule).kind }),
			"threshold": field(nonNull(threshold), "What it needs.", func(v interface{}) interface{} { t := v.(motionRule).threshold; return &t }),
		},
	})
	optFraction := func(f *rules.Fraction) interface{} {
		if f == nil {
			return nil
		}
		return *f
	}
	src := func(v interface{}) rules.Rules { return v.(rules.Rules) }
	t := graphql.NewObject(graphql.ObjectConfig{
		Name:        "Rules",
		Description: "An organization's rules from its articles of association. Each has the articles' usual default.",
		Fields: graphql.Fields{
			"termYears": field(nonNullInt, "Length of a term of office, in years (default 5).",
				func(v interface{}) interface{} { return src(v).TermYears }),
			"quorum": field(nonNull(threshold), "Who must be present for a meeting to decide (default: at least 2/3 of the entitled).",
				func(v interface{}) interface{} { return src(v).Quorum }),
			"resolution": field(nonNull(threshold), "What an ordinary motion needs to pass.",
				func(v interface{}) interface{} { return src(v).Resolution }),
			"articlesAmendment": field(nonNull(threshold), "What a motion amending the articles needs (default: at least 2/3 of those present).",
				func(v interface{}) interface{} { return src(v).ArticlesAmendment }),
			"election": field(nonNull(threshold), "What a candidate needs to be elected (default: more than 1/2 of ballots returned).",
				func(v interface{}) interface{} { return src(v).Election }),
			"motions": field(nonNull(graphql.NewList(nonNull(motionRuleType))), "Every kind of motion the rules know, with what it needs to pass: ORDINARY is resolution, ARTICLES_AMENDMENT is articlesAmendment.",
				func(v interface{}) interface{} {
					r := src(v)
					var out []interface{}
					for _, k := range r.MotionKinds() {
						t, _ := r.MotionThreshold(k)
						out = append(out, motionRule{kind: k, threshold: t})
					}
					return out
				}),
			"assemblyMinSeats": field(nonNullInt, "The fewest seats any constituency of the member representative assembly gets (default 1).",
				func(v interface{}) interface{} { return src(v).AssemblyMinSeats }),
			"contestMargin": field(nonNull(fraction), "The least share of the seats by which a contested election's candidates must outnumber them, "+
				"rounded up and at least one more (default 1/5).",
				func(v interface{}) interface{} { return optFraction(src(v).ContestMargin) }),
			"electionMaxRounds": field(nonNullInt, "The most rounds of ballots an election may hold for one post (default 3).",
				func(v interface{}) interface{} { return src(v).ElectionMaxRounds }),
			"consecutiveTermLimit": field(nonNullInt, "How many consecutive terms one person may hold a leadership post (default 2).",
				func(v interface{}) interface{} { return src(v).ConsecutiveTermLimit }),
			"leadershipAgeLimit": field(nonNullInt, "The oldest age, in whole years on a term's first day, for a leadership post (default 70).",
				func(v interface{}) interface{} { return src(v).LeadershipAgeLimit }),
			"standingCouncilMax": field(nonNull(fraction), "The largest share of the council the standing council may have (default 1/3).",
				func(v interface{}) interface{} { return optFraction(src(v).StandingCouncilMax) }),
			"minRenewal": field(fraction, "The least share of a new term's roster that must be new people; null when there is none.",
				func(v interface{}) interface{} { return optFraction(src(v).MinRenewal) }),
			"maxDeferralDays": field(nonNullInt, "The longest a succession may be deferred, in days (default 365).",
				func(v interface{}) interface{} { return src(v).MaxDeferralDays }),
			"individualNumberPattern": field(nonNullString, "How individual member numbers are written (default M%06d).",
				func(v interface{}) interface{} { return src(v).IndividualNumberPattern }),
			"unitNumberPattern": field(nonNullString, "How unit member numbers are written (default U%04d).",
				func(v interface{}) interface{} { return src(v).UnitNumberPattern }),
		},
	})
	b.objects["Rules"] = t
	return t
}

// motionRule is one kind of motion and what it needs.
type motionRule struct {
	kind      string
	threshold rules.Threshold
}
