package graph_test

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/societyregistry/registry/graph"
	"github.com/societyregistry/registry/registry/storetest"
)

// TestRosterAgreesWithThePeer reads the benchmark's roster of branch 17
// and compares it, row by row, with the PostGraphile peer's saved answer
// over the same logical data (testdata/peer-response-branch-17.json): the
// same appointments in the same order, the same people, institutions and
// member numbers, and the same five newest appointments of each person.
func TestRosterAgreesWithThePeer(t *testing.T) {
	raw, err := os.ReadFile("testdata/peer-response-branch-17.json")
	if err != nil {
		t.Fatal(err)
	}
	var peer struct {
		Data struct {
			Org struct {
				Terms struct {
					Nodes []struct {
						Ordinal      int
						Appointments struct {
							Nodes []struct {
								ID     int
								Post   struct{ Title string } `json:"postByPostId"`
								Person struct {
									ID, Name, MemberNo string
									Institution        struct{ Name string } `json:"institutionByInstitutionId"`
									Appointments       struct {
										Nodes []struct {
											ID   int
											Post struct {
												Title string
												Org   struct{ Name string } `json:"organizationByOrganizationId"`
											} `json:"postByPostId"`
										}
									} `json:"appointmentsByPersonId"`
								} `json:"personByPersonId"`
							}
						} `json:"appointmentsByTermId"`
					}
				} `json:"termsByOrganizationId"`
			} `json:"organizationById"`
		}
	}
	// The peer's person ids are numbers; read them as text alike.
	var loose map[string]any
	_ = json.Unmarshal(raw, &loose)
	fixed, _ := json.Marshal(stringifyIDs(loose))
	if err := json.Unmarshal(fixed, &peer); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, a := range peer.Data.Org.Terms.Nodes[0].Appointments.Nodes {
		line := fmt.Sprintf("%d %s | %s %s %s %s |", a.ID, a.Post.Title, a.Person.ID, a.Person.Name, a.Person.MemberNo, a.Person.Institution.Name)
		for _, h := range a.Person.Appointments.Nodes {
			line += fmt.Sprintf(" %d %s@%s", h.ID, h.Post.Title, h.Post.Org.Name)
		}
		want = append(want, line)
	}
	if len(want) != 100 {
		t.Fatalf("the peer's answer has %d appointments, want 100", len(want))
	}

	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		svc := newService(t, scale.Open(t, d))
		data := ok(t, svc, readQuery(t, "branch-roster.graphql"), map[string]any{"id": graph.GlobalID("Organization", 17), "n": 100})
		var got []string
		for _, e := range edges(path(data, "node", "currentTerm", "appointments")) {
			n := path(e, "node")
			_, pid, err := graph.ParseGlobalID(path(n, "person", "id").(string))
			if err != nil {
				t.Fatal(err)
			}
			_, aid, _ := graph.ParseGlobalID(path(n, "id").(string))
			line := fmt.Sprintf("%d %s | %d %s %s %s |", aid, path(n, "post", "title"), pid, path(n, "person", "name"),
				path(n, "person", "memberNumber"), path(n, "person", "institution", "name"))
			for _, h := range edges(path(n, "person", "appointments")) {
				_, hid, _ := graph.ParseGlobalID(path(h, "node", "id").(string))
				line += fmt.Sprintf(" %d %s@%s", hid, path(h, "node", "post", "title"), path(h, "node", "post", "organization", "name"))
			}
			got = append(got, line)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("roster of branch 17 differs from the peer's (-peer +ours):\n%s", diff)
		}
	})
}

// stringifyIDs turns every numeric "id" of a person into text.
func stringifyIDs(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if k == "personByPersonId" {
				if m, ok := val.(map[string]any); ok {
					m["id"] = fmt.Sprint(m["id"])
				}
			}
			x[k] = stringifyIDs(val)
		}
	case []any:
		for i := range x {
			x[i] = stringifyIDs(x[i])
		}
	}
	return v
}
