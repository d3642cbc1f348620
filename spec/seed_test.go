package spec

import (
	"slices"
	"testing"
)

// seedFile is the seed capability exactly as published.
const seedFile = "../testdata/seed/clerk-organization-memberships.yaml"

func TestSeed(t *testing.T) {
	c, err := LoadFile(seedFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Diagnostics) != 0 {
		t.Errorf("diagnostics: %v", diagStrings(c.Diagnostics))
	}
	if c.Root != "naftiko" || c.Version != "1.0.0-alpha2" || c.Info.Label != "Clerk Backend Api — Organization Memberships" {
		t.Errorf("root %q version %q label %q", c.Root, c.Version, c.Info.Label)
	}
	if len(c.Binds) != 1 || c.Binds[0].Namespace != "env" || c.Binds[0].Location != "" ||
		!slices.Equal(c.Binds[0].Keys, []BindKey{{Var: "CLERK_SECRET_KEY", Key: "CLERK_SECRET_KEY", Pos: Pos{seedFile, 13, 5}}}) {
		t.Errorf("binds = %+v", c.Binds[0])
	}
	if len(c.Exposes) != 0 || len(c.Aggregates) != 0 || len(c.Consumes) != 1 {
		t.Fatalf("exposes %d aggregates %d consumes %d", len(c.Exposes), len(c.Aggregates), len(c.Consumes))
	}
	a := c.Consumes[0]
	if a.Namespace != "clerk-backend-api-organization-memberships" || a.Type != "http" || a.BaseURI.Src != "https://api.clerk.com/v1" ||
		!a.BaseURI.IsLiteral() || a.Auth != nil || a.Shadowed || a.Pos != (Pos{seedFile, 16, 5}) {
		t.Errorf("adapter = %+v", a)
	}

	type opWant struct{ name, method, path string }
	want := []opWant{
		{"CreateOrganizationMembership", "POST", "/organizations/{organization_id}/memberships"},
		{"ListOrganizationMemberships", "GET", "/organizations/{organization_id}/memberships"},
		{"UpdateOrganizationMembership", "PATCH", "/organizations/{organization_id}/memberships/{user_id}"},
		{"DeleteOrganizationMembership", "DELETE", "/organizations/{organization_id}/memberships/{user_id}"},
		{"UpdateOrganizationMembershipMetadata", "PATCH", "/organizations/{organization_id}/memberships/{user_id}/metadata"},
		{"InstanceGetOrganizationMemberships", "GET", "/organization_memberships"},
	}
	ops := c.Operations()
	var got []opWant
	for _, o := range ops {
		got = append(got, opWant{o.Op.Name, o.Op.Method, o.FullPath()})
		if o.Op.OutputRawFormat != "json" || len(o.Op.OutputParameters) != 1 || o.Op.OutputParameters[0].Name != "result" ||
			!o.Op.OutputParameters[0].Path.IsRoot() || o.Op.Body != nil || len(o.Op.Errors) != 0 {
			t.Errorf("%s: outputs %+v", o.Op.Name, o.Op.OutputParameters)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("operations:\n got %v\nwant %v", got, want)
	}
	if p := ops[0].Resource.PathTmpl.Parts; len(p) != 3 || p[1].Name != "organization_id" || !p[1].Single {
		t.Errorf("path template = %+v", p)
	}

	// CreateOrganizationMembership: a path parameter and the body.
	create := ops[0].Op.InputParameters
	if len(create) != 2 || *create[0] != (Param{Name: "organization_id", In: "path", Type: "string", Required: true,
		Description: "The ID of the organization where the new membership will be created", Pos: Pos{seedFile, 33, 11}}) ||
		create[1].Name != "body" || create[1].In != "body" || create[1].Type != "object" || !create[1].Required {
		t.Errorf("create params = %+v %+v", create[0], create[1])
	}

	// ListOrganizationMemberships: 17 parameters, all but the path one optional queries.
	list := ops[1].Op.InputParameters
	var names []string
	for i, p := range list {
		names = append(names, p.Name)
		if i > 0 && (p.In != "query" || p.Required) {
			t.Errorf("%s: in %q required %v", p.Name, p.In, p.Required)
		}
	}
	if !slices.Equal(names, []string{"organization_id", "order_by", "user_id", "email_address", "phone_number", "username",
		"web3_wallet", "role", "query", "email_address_query", "phone_number_query", "username_query", "name_query",
		"last_active_at_before", "last_active_at_after", "created_at_before", "created_at_after"}) {
		t.Errorf("list params = %v", names)
	}
	if list[2].Type != "array" || list[13].Type != "integer" ||
		list[1].Description != "Sorts organizations memberships by phone_number, email_address, created_at, first_name, last_name or username.\nBy prepending one of those values with + or -, we can choose to sort in ascending (ASC) o" {
		t.Errorf("list param details: %q %q %q", list[2].Type, list[13].Type, list[1].Description)
	}

	inst := ops[5].Op.InputParameters
	if len(inst) != 1 || inst[0].Name != "order_by" || inst[0].In != "query" {
		t.Errorf("instance params = %+v", inst)
	}
}
