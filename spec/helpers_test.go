package spec

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// load parses src as "t.yaml" and fails the test on a fatal error.
func load(t *testing.T, src string) *Capability {
	t.Helper()
	c, err := Parse([]byte(src), "t.yaml")
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			t.Fatalf("Parse: %v\n%s", err, strings.Join(diagStrings(e.Diagnostics), "\n"))
		}
		t.Fatalf("Parse: %v", err)
	}
	return c
}

// loadErr parses src as "t.yaml" and returns its fatal error.
func loadErr(t *testing.T, src string) *Error {
	t.Helper()
	c, err := Parse([]byte(src), "t.yaml")
	if err == nil {
		t.Fatalf("Parse succeeded, want an error; diagnostics:\n%s", strings.Join(diagStrings(c.Diagnostics), "\n"))
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T %v is not an *Error", err, err)
	}
	if c != nil {
		t.Errorf("Parse returned a capability with its error")
	}
	return e
}

func diagStrings(ds []Diagnostic) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.String()
	}
	return out
}

// checkDiags compares the diagnostics with want, line by line.
func checkDiags(t *testing.T, got []Diagnostic, want []string) {
	t.Helper()
	gs := diagStrings(got)
	if strings.Join(gs, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n got:\n  %s\nwant:\n  %s", strings.Join(gs, "\n  "), strings.Join(want, "\n  "))
	}
}

// opDoc wraps operations (written at an indentation of 6 spaces) in a
// minimal capability. The first line of ops is line 11.
func opDoc(ops string) string {
	return `naftiko: 1.0.0-alpha2
capability:
  consumes:
  - type: http
    namespace: ns
    baseUri: https://api.test
    resources:
    - name: r
      path: /r
      operations:
` + ops
}

// adapterDoc wraps consumes adapters (written at an indentation of 2
// spaces) in a minimal capability. The first line of adapters is line 4.
func adapterDoc(adapters string) string {
	return "naftiko: 1.0.0-alpha2\ncapability:\n  consumes:\n" + adapters
}

// firstOp returns the first operation of c.
func firstOp(t *testing.T, c *Capability) *Operation {
	t.Helper()
	ops := c.Operations()
	if len(ops) == 0 {
		t.Fatal("no operation loaded")
	}
	return ops[0].Op
}

// tmplString renders a template's parts for comparison: literals as is,
// placeholders as {{name@line:col}} or {name@line:col}.
func tmplString(t *Template) string {
	if t == nil {
		return "<nil>"
	}
	var b strings.Builder
	for _, p := range t.Parts {
		if p.Name == "" {
			b.WriteString(p.Lit)
			continue
		}
		open, close := "{{", "}}"
		if p.Single {
			open, close = "{", "}"
		}
		b.WriteString(open + p.Name + "@" + strings.TrimPrefix(p.Pos.String(), "t.yaml:") + close)
	}
	return b.String()
}

func fmtSscanf(s string, l, c *int) (int, error) { return fmt.Sscanf(s, "%d:%d", l, c) }
