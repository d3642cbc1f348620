package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/naftiko/naftiko/engine"
	"github.com/naftiko/naftiko/spec"
)

const slowCapability = `naftiko: 1.0.0-alpha2
info:
  label: Slow
capability:
  consumes:
  - type: http
    namespace: slow
    baseUri: https://api.slow.test
    resources:
    - name: slow
      path: /slow
      operations:
      - name: Slow
        method: GET
`

// TestInterrupt checks that a call cancelled by a signal exits 130.
func TestInterrupt(t *testing.T) {
	arrived := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	defer srv.Close()
	file := filepath.Join(t.TempDir(), "slow.yaml")
	if err := os.WriteFile(file, []byte(slowCapability), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		select {
		case <-arrived:
		case <-time.After(10 * time.Second):
		}
		cancel()
	}()
	var stdout, stderr bytes.Buffer
	start := time.Now()
	code := Main(ctx, []string{"run", file, "Slow", "--base-uri", srv.URL}, strings.NewReader(""), &stdout, &stderr)
	if code != exitInterrupted {
		t.Errorf("exit status %d, want %d; stderr:\n%s", code, exitInterrupted, stderr.String())
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("cancellation took %v", d)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout = %q, want nothing", stdout.String())
	}
	if !strings.HasPrefix(stderr.String(), "naftiko: ") {
		t.Errorf("stderr = %q, want a naftiko: summary", stderr.String())
	}
}

func TestWriteValue(t *testing.T) {
	v := map[string]any{
		"html":  "<a href='x'>&</a>",
		"big":   json.Number("12345678901234567890123"),
		"list":  []any{int64(1), 2.5, true, nil},
		"empty": map[string]any{},
	}
	for _, tc := range []struct {
		format string
		indent bool
		want   string
	}{
		{"json", false, `{"big":12345678901234567890123,"empty":{},"html":"<a href='x'>&</a>","list":[1,2.5,true,null]}` + "\n"},
		{"json", true, "{\n  \"big\": 12345678901234567890123,\n  \"empty\": {},\n  \"html\": \"<a href='x'>&</a>\",\n  \"list\": [\n    1,\n    2.5,\n    true,\n    null\n  ]\n}\n"},
		{"yaml", false, "big: 12345678901234567890123\nempty: {}\nhtml: <a href='x'>&</a>\nlist:\n  - 1\n  - 2.5\n  - true\n  - null\n"},
	} {
		var b bytes.Buffer
		if err := writeValue(&b, v, tc.format, tc.indent); err != nil {
			t.Fatalf("%s: %v", tc.format, err)
		}
		if b.String() != tc.want {
			t.Errorf("writeValue(%s, indent=%v) =\n%s\nwant\n%s", tc.format, tc.indent, b.String(), tc.want)
		}
	}
	// Strings that YAML would read as something else stay strings.
	var b bytes.Buffer
	if err := writeValue(&b, []any{"true", "42", "+created_at", "null", ""}, "yaml", false); err != nil {
		t.Fatal(err)
	}
	if want := "- \"true\"\n- \"42\"\n- +created_at\n- \"null\"\n- \"\"\n"; b.String() != want {
		t.Errorf("yaml strings =\n%s\nwant\n%s", b.String(), want)
	}
}

func TestWriteOps(t *testing.T) {
	ops := []*engine.Operation{
		{Ref: "ListOrganizationMemberships", Method: "GET", Path: "/organizations/{organization_id}/memberships", Description: "List\nmore"},
		{Ref: "Delete", Method: "DELETE", Path: "/x"},
	}
	var b bytes.Buffer
	if err := writeOps(&b, ops, true); err != nil {
		t.Fatal(err)
	}
	want := "ListOrganizationMemberships  GET     /organizations/{organization_id}/memberships  List\n" +
		"Delete                       DELETE  /x\n"
	if b.String() != want {
		t.Errorf("aligned ops =\n%q\nwant\n%q", b.String(), want)
	}
	b.Reset()
	if err := writeOps(&b, ops, false); err != nil {
		t.Fatal(err)
	}
	want = "ListOrganizationMemberships\tGET\t/organizations/{organization_id}/memberships\tList\nDelete\tDELETE\t/x\t\n"
	if b.String() != want {
		t.Errorf("piped ops =\n%q\nwant\n%q", b.String(), want)
	}
}

func TestCallWarnings(t *testing.T) {
	pos := func(line int) spec.Pos { return spec.Pos{File: "c.yaml", Line: line, Col: 1} }
	warn := func(line int, msg string) spec.Diagnostic {
		return spec.Diagnostic{Pos: pos(line), Severity: spec.SeverityWarning, Rule: "r", Message: msg}
	}
	opA := &spec.Operation{Name: "A", Pos: pos(20)}
	opB := &spec.Operation{Name: "B", Pos: pos(30)}
	res := &spec.Resource{Name: "r", Pos: pos(15), Operations: []*spec.Operation{opA, opB}}
	ad := &spec.Adapter{Namespace: "n", Pos: pos(10), Resources: []*spec.Resource{res}}
	other := &spec.Adapter{Namespace: "m", Pos: pos(40)}
	c := &spec.Capability{
		File:     "c.yaml",
		Consumes: []*spec.Adapter{ad, other},
		Binds:    []*spec.Bind{{Namespace: "env", Pos: pos(50)}},
		Diagnostics: []spec.Diagnostic{
			warn(1, "whole document"),
			warn(3, "root"),
			warn(12, "adapter"),
			warn(16, "resource"),
			warn(25, "op A"),
			warn(31, "op B"),
			warn(41, "other adapter"),
			warn(51, "bind"),
			{Pos: pos(22), Severity: spec.SeverityInfo, Message: "info in A"},
			{Pos: pos(33), Severity: spec.SeverityError, Message: "error in B"},
			{Pos: spec.Pos{File: "imported.yaml", Line: 2}, Severity: spec.SeverityWarning, Message: "elsewhere"},
		},
	}
	msgs := func(ds []spec.Diagnostic) string {
		var s []string
		for _, d := range ds {
			s = append(s, d.Message)
		}
		return strings.Join(s, ", ")
	}
	src := spec.OpRef{Adapter: ad, Resource: res, Op: opA}
	if got, want := msgs(callWarnings(c, src, false)), "whole document, root, adapter, resource, op A, bind"; got != want {
		t.Errorf("warnings of A = %s; want %s", got, want)
	}
	if got, want := msgs(callWarnings(c, src, true)), "whole document, root, adapter, resource, op A, op B, other adapter, bind, error in B, elsewhere"; got != want {
		t.Errorf("verbose warnings = %s; want %s", got, want)
	}
}
