package jsonv

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/naftiko/naftiko/spec"
)

func TestObject(t *testing.T) {
	o := &Object{}
	o.Set("b", "<&>")
	o.Set("a", 1)
	o.Set("b", []any{int64(2), nil})
	if v, ok := o.Get("b"); !ok || !reflect.DeepEqual(v, []any{int64(2), nil}) {
		t.Errorf("Get(b) = %v, %v", v, ok)
	}
	if _, ok := o.Get("c"); ok {
		t.Error("Get(c) found a missing key")
	}
	b, err := Marshal(map[string]any{"o": o})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"o":{"b":[2,null],"a":1}}`; got != want {
		t.Errorf("Marshal = %s, want %s", got, want)
	}
}

func TestMarshalNoHTMLEscape(t *testing.T) {
	b, err := Marshal(map[string]any{"k": "<a href='x'>&</a>"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"k":"<a href='x'>&</a>"}`; got != want {
		t.Errorf("Marshal = %s, want %s", got, want)
	}
}

func TestRender(t *testing.T) {
	for _, c := range []struct {
		in   any
		want string
	}{
		{"a<b", "a<b"},
		{nil, ""},
		{true, "true"},
		{7, "7"},
		{int64(-42), "-42"},
		{json.Number("1.50"), "1.50"},
		{float64(3), "3"},
		{1e20, "100000000000000000000"},
		{1e21, "1e+21"},
		{0.5, "0.5"},
		{1e-7, "1e-7"},
		{map[string]any{"x": "<"}, `{"x":"<"}`},
		{[]any{int64(1), "a"}, `[1,"a"]`},
	} {
		got, err := Render(c.in)
		if err != nil || got != c.want {
			t.Errorf("Render(%#v) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	if _, err := Render(func() {}); err == nil {
		t.Error("Render(func) did not fail")
	}
	if got := Text(json.Number("x")); got != "x" {
		t.Errorf("Text = %q", got)
	}
}

func TestDescribe(t *testing.T) {
	for _, c := range []struct {
		in   any
		want string
	}{
		{"x", `"x"`},
		{map[string]any{}, "an object"},
		{&Object{}, "an object"},
		{[]any{}, "an array"},
		{nil, "null"},
		{false, "false"},
		{int64(3), "3"},
		{1.5, "1.5"},
	} {
		if got := Describe(c.in); got != c.want {
			t.Errorf("Describe(%#v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestNumber(t *testing.T) {
	for _, c := range []struct {
		in   string
		want any
	}{
		{"42", int64(42)},
		{"-3.5", -3.5},
		{"1e3", 1000.0},
		{"123456789012345", int64(123456789012345)},
		{"9223372036854775808", json.Number("9223372036854775808")},
		{"0.1234567890123456789", json.Number("0.1234567890123456789")},
		{"123456789012345.0", json.Number("123456789012345.0")},
		{"12345678901234.0", 12345678901234.0},
		{"1e400", "1e400"},
		{"abc", "abc"},
	} {
		if got := Number(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Number(%q) = %#v, want %#v", c.in, got, c.want)
		}
	}
}

func TestDecode(t *testing.T) {
	var v any
	if err := Decode([]byte(` {"a":1.50} `), &v); err != nil {
		t.Fatal(err)
	}
	if want := map[string]any{"a": json.Number("1.50")}; !reflect.DeepEqual(v, want) {
		t.Errorf("Decode = %#v", v)
	}
	for _, bad := range []string{`{} }`, `{} ]`, `1 2`, `[1],`, `{"a":`, ``} {
		if err := Decode([]byte(bad), &v); err == nil {
			t.Errorf("Decode(%q) accepted", bad)
		}
	}
}

func TestDecodeTyped(t *testing.T) {
	var v any
	if err := DecodeTyped([]byte(`[1, 2.5, 12345678901234567890, 1e400, {"x": [3]}]`), &v); err != nil {
		t.Fatal(err)
	}
	want := []any{int64(1), 2.5, json.Number("12345678901234567890"), json.Number("1e400"), map[string]any{"x": []any{int64(3)}}}
	if !reflect.DeepEqual(v, want) {
		t.Errorf("DecodeTyped = %#v", v)
	}
	var m map[string]any
	if err := DecodeTyped([]byte(`{"n": 7}`), &m); err != nil || m["n"] != int64(7) {
		t.Errorf("DecodeTyped map = %#v, %v", m, err)
	}
	var l []any
	if err := DecodeTyped([]byte(`[7]`), &l); err != nil || l[0] != int64(7) {
		t.Errorf("DecodeTyped list = %#v, %v", l, err)
	}
	if got := Normalize(json.Number("8")); got != int64(8) {
		t.Errorf("Normalize(8) = %#v", got)
	}
}

func TestConst(t *testing.T) {
	d := &spec.Data{Kind: spec.DataMap, Keys: []string{"z", "a"}, Vals: []*spec.Data{
		{Kind: spec.DataNumber, Text: "1.5"},
		{Kind: spec.DataList, Items: []*spec.Data{
			{Kind: spec.DataBool, Text: "true"},
			{Kind: spec.DataString, Text: "s"},
			{Kind: spec.DataNull},
		}},
	}}
	want := map[string]any{"z": 1.5, "a": []any{true, "s", nil}}
	if got := Const(d, false); !reflect.DeepEqual(got, want) {
		t.Errorf("Const = %#v", got)
	}
	b, err := Marshal(Const(d, true))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(b); got != `{"z":1.5,"a":[true,"s",null]}` {
		t.Errorf("Const ordered = %s", got)
	}
}

func TestCoerce(t *testing.T) {
	obj := map[string]any{}
	for _, c := range []struct {
		typ  string
		in   any
		want any
		ok   bool
	}{
		{"string", int64(42), "42", true},
		{"string", 1e-7, "1e-7", true},
		{"String", true, "true", true},
		{"integer", "42", int64(42), true},
		{"integer", "007", "007", true},
		{"integer", "1.5", "1.5", true},
		{"number", "1.5", 1.5, true},
		{"number", "1.50", "1.50", true},
		{"number", "1e3", "1e3", true},
		{"number", "0.0000001", "0.0000001", true},
		{"boolean", "true", true, true},
		{"boolean", "True", "True", true},
		{"array", "x", []any{"x"}, true},
		{"array", nil, nil, true},
		{"array", []any{"x"}, []any{"x"}, true},
		{"object", "x", "x", false},
		{"object", obj, obj, true},
		{"string", obj, obj, false},
		{"mystery", "x", "x", true},
	} {
		got, ok := Coerce(c.typ, c.in)
		if !reflect.DeepEqual(got, c.want) || ok != c.ok {
			t.Errorf("Coerce(%s, %#v) = %#v, %v; want %#v, %v", c.typ, c.in, got, ok, c.want, c.ok)
		}
	}
}
