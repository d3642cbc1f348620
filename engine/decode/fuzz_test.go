package decode

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/naftiko/naftiko/spec/jsonv"
)

// The decoders get bodies from the network: whatever the bytes, they must
// return a JSON-typed tree or an error, never panic, never hang. Seeds
// live in testdata/fuzz/<Target>/.

// checkTree fails unless v is made only of the types JSONPath and the
// encoders are fed, and encodes as JSON.
func checkTree(t *testing.T, v any) {
	t.Helper()
	var walk func(v any, depth int) error
	walk = func(v any, depth int) error {
		if depth > 20000 {
			return fmt.Errorf("tree deeper than 20000")
		}
		switch x := v.(type) {
		case nil, string, bool, int64, float64, json.Number:
		case map[string]any:
			for _, it := range x {
				if err := walk(it, depth+1); err != nil {
					return err
				}
			}
		case []any:
			for _, it := range x {
				if err := walk(it, depth+1); err != nil {
					return err
				}
			}
		default:
			return fmt.Errorf("value of type %T in the tree", v)
		}
		return nil
	}
	if err := walk(v, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := jsonv.Marshal(v); err != nil {
		t.Fatalf("tree does not encode: %v", err)
	}
}

func FuzzDecodeXML(f *testing.F) {
	f.Add([]byte(`<a x="1"><b>2</b><b>3</b><c/></a>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if v, err := decodeXML(body); err == nil {
			checkTree(t, v)
		}
	})
}

func FuzzDecodeYAML(f *testing.F) {
	f.Add([]byte("a: &x [1, 2]\nb: *x\n<<: {c: 3}\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		if v, err := decodeYAML(body); err == nil {
			checkTree(t, v)
		}
	})
}

func FuzzDecodeDelimited(f *testing.F) {
	f.Add([]byte("a,b\n1,\"x\"\"y\"\n"), byte(','))
	f.Fuzz(func(t *testing.T, body []byte, sep byte) {
		r := []rune{',', '\t', '|'}[int(sep)%3]
		v, err := decodeDelimited(body, r)
		if err != nil {
			return
		}
		checkTree(t, v)
		rows, ok := v.([]any)
		if !ok {
			t.Fatalf("not a list: %T", v)
		}
		for _, row := range rows {
			if _, ok := row.(map[string]any); !ok {
				t.Fatalf("row is %T", row)
			}
		}
	})
}

func FuzzDecodeHTML(f *testing.F) {
	f.Add([]byte(`<table id=t><tr><th>a</th></tr><tr><td>1</td></tr></table>`), "#t")
	f.Fuzz(func(t *testing.T, body []byte, sel string) {
		var s *selector
		if sel != "" {
			var err error
			if s, err = compileSelector(sel); err != nil {
				return
			}
		}
		v, err := decodeHTML(body, s)
		if err != nil {
			t.Fatalf("html never fails to parse: %v", err)
		}
		checkTree(t, v)
	})
}

func FuzzSelector(f *testing.F) {
	f.Add("div#main > table.data:nth-of-type(2n+1), [data-x='y' i]")
	f.Fuzz(func(t *testing.T, src string) {
		s, err := compileSelector(src)
		if err != nil {
			return
		}
		if len(s.list) == 0 || s.parts == 0 {
			t.Fatalf("%q compiled to nothing", src)
		}
	})
}

func FuzzDecodeMarkdown(f *testing.F) {
	f.Add([]byte("---\na: 1\n---\n# H\n| a |\n|---|\n| 1 |\n- x\n  - y\n"), "H")
	f.Fuzz(func(t *testing.T, body []byte, heading string) {
		v, err := decodeMarkdown(body, heading)
		if err != nil {
			t.Fatalf("markdown never fails: %v", err)
		}
		checkTree(t, v)
	})
}
