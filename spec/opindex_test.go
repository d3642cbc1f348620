package spec

import (
	"slices"
	"testing"
)

func TestOpIndex(t *testing.T) {
	op := func(name string) *Operation { return &Operation{Name: name} }
	gh := &Adapter{Namespace: "gh", Resources: []*Resource{
		{Name: "repos", Operations: []*Operation{op("list"), op("get")}},
		{Name: "issues", Operations: []*Operation{op("list")}},
	}}
	jira := &Adapter{Namespace: "jira", Resources: []*Resource{{Name: "issues", Operations: []*Operation{op("search")}}}}
	broken := &Adapter{Namespace: "bad", Errors: []Diagnostic{{Rule: "x", Message: "bad baseUri"}}}
	shadow := &Adapter{Namespace: "gh", Shadowed: true, Errors: []Diagnostic{{Message: "shadowed"}},
		Resources: []*Resource{{Name: "r", Operations: []*Operation{op("delete")}}}}
	x := NewOpIndex(&Capability{Consumes: []*Adapter{gh, jira, broken, shadow}})

	var got []string
	for _, r := range x.Ops() {
		got = append(got, r.FullRef()+"="+x.Shortest(r))
	}
	want := []string{"gh.repos.list=gh.repos.list", "gh.repos.get=get", "gh.issues.list=gh.issues.list", "jira.issues.search=search"}
	if !slices.Equal(got, want) {
		t.Fatalf("Ops/Shortest = %q, want %q", got, want)
	}
	var amb []string
	for _, r := range x.Match("gh.list") {
		amb = append(amb, r.FullRef())
	}
	if !slices.Equal(amb, []string{"gh.repos.list", "gh.issues.list"}) {
		t.Errorf("Match(gh.list) = %q", amb)
	}
	if m := x.Match("gh.r.delete"); len(m) != 0 {
		t.Errorf("a shadowed adapter's operation resolved: %v", m)
	}
	for ref, want := range map[string]string{"serch": "search", "jira.issues.serch": "jira.issues.search", "gh.nope.gett": "get", "zzzzzz": ""} {
		if s := x.Suggest(ref); s != want {
			t.Errorf("Suggest(%q) = %q, want %q", ref, s, want)
		}
	}
	if d, ok := x.Broken("bad.op"); !ok || d.Message != "bad baseUri" {
		t.Errorf("Broken(bad.op) = %v, %v", d, ok)
	}
	if d, ok := x.Broken("gh.nothing"); ok {
		t.Errorf("Broken(gh.nothing) = %v from a shadowed adapter", d)
	}
}
