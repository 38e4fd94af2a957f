package seed

import (
	"github.com/societyregistry/registry/ent/institution"
	"github.com/societyregistry/registry/ent/membership"
)

// ---------------------------------------------------------- institutions

var demoInstitutions = []struct {
	name string
	kind institution.Kind
}{
	{"Lakeside First People's Hospital", institution.KindHOSPITAL},
	{"Lakeside Second People's Hospital", institution.KindHOSPITAL},
	{"Lakeside Third People's Hospital", institution.KindHOSPITAL},
	{"Lakeside High-Tech Zone Central Hospital", institution.KindHOSPITAL},
	{"Lakeside Children's Hospital", institution.KindHOSPITAL},
	{"Lakeside Maternal and Child Health Hospital", institution.KindHOSPITAL},
	{"Lakeside Cancer Hospital", institution.KindHOSPITAL},
	{"Lakeside Cardiovascular Hospital", institution.KindHOSPITAL},
	{"Lakeside Hospital of Traditional Chinese Medicine", institution.KindHOSPITAL},
	{"Lakeside Rehabilitation Hospital", institution.KindHOSPITAL},
	{"Lakeside Eastbank District Hospital", institution.KindHOSPITAL},
	{"Lakeside Westgate District Hospital", institution.KindHOSPITAL},
	{"Software Park Community Health Center", institution.KindHOSPITAL},
	{"Innovation Valley Community Health Center", institution.KindHOSPITAL},
	{"Lakeside Stomatological Hospital", institution.KindHOSPITAL},
	{"Lakeside Eye Hospital", institution.KindHOSPITAL},
	{"Lakeside Mental Health Center", institution.KindHOSPITAL},
	{"Lakeside Medical University Affiliated Hospital", institution.KindHOSPITAL},
	{"Lakeside Medical University", institution.KindUNIVERSITY},
	{"Lakeside University School of Medicine", institution.KindUNIVERSITY},
	{"Lakeside Institute of Technology", institution.KindUNIVERSITY},
	{"Lakeside Nursing College", institution.KindUNIVERSITY},
	{"Lakeside Vocational College of Health Sciences", institution.KindUNIVERSITY},
	{"Lakeside University of Traditional Chinese Medicine", institution.KindUNIVERSITY},
	{"Lakeside Institute of Biomedical Engineering", institution.KindINSTITUTE},
	{"Lakeside Institute of Clinical Pharmacology", institution.KindINSTITUTE},
	{"High-Tech Zone Health Data Research Institute", institution.KindINSTITUTE},
	{"Lakeside Center for Disease Control and Prevention", institution.KindGOVERNMENT},
	{"Bluefin Medical Devices Co., Ltd.", institution.KindCOMPANY},
	{"Cedarpeak Biopharmaceuticals Co., Ltd.", institution.KindCOMPANY},
	{"Harborlight Diagnostics Co., Ltd.", institution.KindCOMPANY},
	{"Silverstream Imaging Technology Co., Ltd.", institution.KindCOMPANY},
	{"Jadeleaf Pharmaceutical Co., Ltd.", institution.KindCOMPANY},
	{"Windmere Health Information Co., Ltd.", institution.KindCOMPANY},
	{"Quietwater Rehabilitation Equipment Co., Ltd.", institution.KindCOMPANY},
	{"Sunridge Laboratory Services Co., Ltd.", institution.KindCOMPANY},
	{"Greenlake Medical Logistics Co., Ltd.", institution.KindCOMPANY},
	{"Ninefold Gene Technology Co., Ltd.", institution.KindCOMPANY},
	{"Brightmoor Health Management Co., Ltd.", institution.KindCOMPANY},
	{"Kestrel Surgical Robotics Co., Ltd.", institution.KindCOMPANY},
}

func (d *demo) makeInstitutions() {
	for i, in := range demoInstitutions {
		n := i + 1
		u := &demoInstitution{name: in.name, kind: in.kind, status: membership.StatusACTIVE}
		switch {
		case n <= 20:
			u.joined = day(2015, 6, 1) // founding unit members
		case n <= 38:
			u.joined = day(2016, 1, 15).AddDate(0, 0, (n-21)*120)
		case n == 39:
			u.joined, u.status = day(2026, 9, 1), membership.StatusAPPLICANT
		default:
			u.joined, u.status = day(2026, 10, 15), membership.StatusAPPLICANT
		}
		if u.status == membership.StatusAPPLICANT {
			u.moves = []demoMove{{to: membership.StatusAPPLICANT, on: u.joined, reason: "application received"}}
		} else {
			u.moves = []demoMove{
				{to: membership.StatusAPPLICANT, on: u.joined.AddDate(0, 0, -30), reason: "application received"},
				{from: membership.StatusAPPLICANT, to: membership.StatusACTIVE, on: u.joined, reason: "admitted"},
			}
		}
		switch n {
		case 31:
			u.status = membership.StatusSUSPENDED
			u.moves = append(u.moves, demoMove{membership.StatusACTIVE, membership.StatusSUSPENDED, day(2025, 3, 1), "membership dues unpaid"})
		case 36:
			u.status, u.left = membership.StatusLAPSED, day(2024, 12, 31)
			u.moves = append(u.moves, demoMove{membership.StatusACTIVE, membership.StatusLAPSED, u.left, "not renewed"})
		}
		d.insts = append(d.insts, u)
	}
}
