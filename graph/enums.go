package graph

import (
	"github.com/graphql-go/graphql"

	"github.com/societyregistry/registry/ent/appointment"
	"github.com/societyregistry/registry/ent/institution"
	"github.com/societyregistry/registry/ent/membership"
	"github.com/societyregistry/registry/ent/organization"
	entperson "github.com/societyregistry/registry/ent/person"
	"github.com/societyregistry/registry/ent/term"
	"github.com/societyregistry/registry/registry/rules"
)

func newEnum(name, description string, values []string, goValue func(string) interface{}, docs map[string]string) *graphql.Enum {
	vals := graphql.EnumValueConfigMap{}
	for _, v := range values {
		d := docs[v]
		if d == "" {
			d = v
		}
		vals[v] = &graphql.EnumValueConfig{Value: goValue(v), Description: d}
	}
	return graphql.NewEnum(graphql.EnumConfig{Name: name, Description: description, Values: vals})
}

type enums struct {
	organizationKind, termStatus, membershipStatus, membershipKind, gender,
	institutionKind, obtainedBy, endReason, base *graphql.Enum
}

func newEnums() enums {
	var e enums
	e.organizationKind = newEnum("OrganizationKind", "What an organization is.",
		strs(organization.KindASSOCIATION, organization.KindCOUNCIL, organization.KindSTANDING_COUNCIL, organization.KindACADEMIC_BRANCH, organization.KindSPECIAL_COMMITTEE, organization.KindSECRETARIAT_DEPARTMENT),
		func(s string) interface{} { return organization.Kind(s) }, map[string]string{
			"ASSOCIATION":            "The society itself.",
			"COUNCIL":                "The council, elected by the member representative assembly.",
			"STANDING_COUNCIL":       "The standing council, elected by the council from its members.",
			"ACADEMIC_BRANCH":        "An academic branch (专科分会).",
			"SPECIAL_COMMITTEE":      "A special committee (专业委员会).",
			"SECRETARIAT_DEPARTMENT": "A department of the secretariat.",
		})
	e.termStatus = newEnum("TermStatus", "Where a term stands: planned, then active, then ended.",
		strs(term.StatusPLANNED, term.StatusACTIVE, term.StatusENDED),
		func(s string) interface{} { return term.Status(s) }, map[string]string{
			"PLANNED": "Prepared for a succession, not yet begun.",
			"ACTIVE":  "In office; at most one per organization.",
			"ENDED":   "Closed; its history is kept.",
		})
	e.membershipStatus = newEnum("MembershipStatus", "The standing of a membership.",
		strs(membership.StatusAPPLICANT, membership.StatusACTIVE, membership.StatusSUSPENDED, membership.StatusLAPSED, membership.StatusEXPELLED, membership.StatusDECEASED),
		func(s string) interface{} { return membership.Status(s) }, map[string]string{
			"APPLICANT": "Applied, not yet admitted.",
			"ACTIVE":    "A member in good standing.",
			"SUSPENDED": "Rights suspended for a while.",
			"LAPSED":    "Resigned, retired or not renewed; may be readmitted.",
			"EXPELLED":  "Expelled; final.",
			"DECEASED":  "Deceased; final.",
		})
	e.membershipKind = newEnum("MembershipKind", "Whether a member is a person or an institution.",
		strs(membership.KindINDIVIDUAL, membership.KindUNIT),
		func(s string) interface{} { return membership.Kind(s) }, map[string]string{
			"INDIVIDUAL": "An individual member: a doctor, nurse, researcher.",
			"UNIT":       "A unit member: a hospital, university or company.",
		})
	e.gender = newEnum("Gender", "A person's gender, as recorded.",
		strs(entperson.GenderMALE, entperson.GenderFEMALE, entperson.GenderUNDISCLOSED),
		func(s string) interface{} { return entperson.Gender(s) }, nil)
	e.institutionKind = newEnum("InstitutionKind", "What an institution is.",
		strs(institution.KindHOSPITAL, institution.KindUNIVERSITY, institution.KindINSTITUTE, institution.KindCOMPANY, institution.KindGOVERNMENT, institution.KindOTHER),
		func(s string) interface{} { return institution.Kind(s) }, nil)
	e.obtainedBy = newEnum("ObtainedBy", "How an appointment was obtained.",
		strs(appointment.ObtainedByELECTED, appointment.ObtainedByAPPOINTED, appointment.ObtainedByCARRIED_OVER, appointment.ObtainedByEX_OFFICIO),
		func(s string) interface{} { return appointment.ObtainedBy(s) }, map[string]string{
			"ELECTED":      "Elected by ballot.",
			"APPOINTED":    "Appointed or nominated.",
			"CARRIED_OVER": "Carried over from an earlier term or record.",
			"EX_OFFICIO":   "Held by virtue of another office.",
		})
	e.endReason = newEnum("EndReason", "Why an appointment ended.",
		strs(appointment.EndReasonTERM_ENDED, appointment.EndReasonRESIGNED, appointment.EndReasonREMOVED, appointment.EndReasonDECEASED, appointment.EndReasonOTHER),
		func(s string) interface{} { return appointment.EndReason(s) }, nil)
	bases := make([]string, len(rules.Bases))
	for i, b := range rules.Bases {
		bases[i] = string(b)
	}
	e.base = newEnum("ThresholdBase", "What a threshold or quorum is a share of.", bases,
		func(s string) interface{} { return rules.Base(s) }, map[string]string{
			"ENTITLED": "The voters snapshotted when the vote or round opened.",
			"PRESENT":  "Of those, the ones checked in at that moment.",
			"CAST":     "Yes + no + abstain.",
			"RETURNED": "Ballots returned (elections).",
			"VALID":    "Valid ballots (elections).",
		})
	return e
}

func strs[T ~string](vs ...T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

func membershipKind(s string) membership.Kind     { return membership.Kind(s) }
func membershipStatus(s string) membership.Status { return membership.Status(s) }
