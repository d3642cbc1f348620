package spec

import (
	"reflect"
	"testing"
)

// The dotted spellings the reference engine reads as member names, and the
// bracket forms that keep their RFC 9535 meaning.
func TestCompilePathDottedNames(t *testing.T) {
	tree := map[string]any{
		"get-ship":     map[string]any{"assignedCrew": []any{"C1", "C2"}, "imo_number": "IMO-1"},
		"resolve-crew": []any{map[string]any{"fullName": "Ada"}},
		"user details": map[string]any{"email": "a@b"},
		"@type":        "Ship",
		"$ref":         "#/x",
		"a:b":          1.0,
		"x/y":          2.0,
		"it's":         3.0,
		`back\slash`:   4.0,
		"0":            "zero",
		"list":         []any{map[string]any{"k-v": 1.0, "n": 1.0}, map[string]any{"k-v": 2.0, "n": 2.0}},
		"plain":        map[string]any{"b": "B"},
	}
	cases := []struct {
		src  string
		want any
	}{
		{"$.get-ship.assignedCrew", []any{"C1", "C2"}},
		{"$.get-ship.imo_number", "IMO-1"},
		{"$.resolve-crew", []any{map[string]any{"fullName": "Ada"}}},
		{"$.resolve-crew[0].fullName", "Ada"},
		{"get-ship.imo_number", "IMO-1"},
		{"$.user details.email", "a@b"},
		{"$.@type", "Ship"},
		{"$.$ref", "#/x"},
		{"$.a:b", 1.0},
		{"$.x/y", 2.0},
		{"$.it's", 3.0},
		{`$.back\slash`, 4.0},
		{"$.0", "zero"},
		{"$.list[*].k-v", []any{1.0, 2.0}},
		{"$..k-v", []any{1.0, 2.0}},
		{"$['get-ship']['imo_number']", "IMO-1"},
		{"$['plain'].b", "B"},
		{"$.plain.*", []any{"B"}},
		{"$.list[?(@.n == 2)].k-v", []any{2.0}},
		{"$.missing-key", nil},
	}
	for _, c := range cases {
		p, err := CompilePath(c.src, Pos{})
		if err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		if got := p.Get(tree); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.src, got, c.want)
		}
	}
}

func TestCompilePathRefusals(t *testing.T) {
	for _, src := range []string{"$.a[", "$['a'", "$[?(@.x ==]"} {
		if _, err := CompilePath(src, Pos{}); err == nil {
			t.Errorf("%s: compiled, want an error", src)
		}
	}
}

func TestDottedNamesRewrite(t *testing.T) {
	cases := map[string]string{
		"$.get-ship.assignedCrew":  "$['get-ship'].assignedCrew",
		"$.a.b[0].c":               "$.a.b[0].c",
		"$['a-b'].c-d":             "$['a-b']['c-d']",
		"$..x-y":                   "$..['x-y']",
		"$.it's":                   `$['it\'s']`,
		"$.a[?(@.b-c == 'x.y-z')]": "$.a[?(@.b-c == 'x.y-z')]",
		"$.items.length()":         "$.items.length()",
		"$.*":                      "$.*",
	}
	for in, want := range cases {
		if got := dottedNames(in); got != want {
			t.Errorf("dottedNames(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzCompilePath: any text compiles or is refused, never panics, and a
// compiled path evaluates on a JSON-typed tree; the dotted-name rewrite is
// idempotent.
func FuzzCompilePath(f *testing.F) {
	for _, s := range []string{"$.get-ship.assignedCrew", "$.a[?(@.b == 'x.y-z')]", "$..k-v", "$.it's", `$.a\b`,
		"$['a-b'].c", "get-ship.imo", "$.a.length()", "$.*", "$[0:2]", "$.", "@.x-y", "$.a[", "$.user details.email"} {
		f.Add(s)
	}
	tree := map[string]any{"get-ship": map[string]any{"a": []any{1.0, "x"}}, "k-v": 2.0}
	f.Fuzz(func(t *testing.T, src string) {
		once := dottedNames(src)
		if twice := dottedNames(once); twice != once {
			t.Fatalf("dottedNames not idempotent: %q -> %q -> %q", src, once, twice)
		}
		if p, err := CompilePath(src, Pos{}); err == nil {
			p.Get(tree)
		}
	})
}
