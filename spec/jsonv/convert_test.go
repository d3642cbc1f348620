package jsonv

import (
	"encoding/json"
	"fmt"
	"testing"
)

func TestConvert(t *testing.T) {
	tests := []struct {
		typ  string
		in   any
		want string // %T:%v of the value, then |text
		err  string
	}{
		{"integer", " 42 ", "int64:42|42", ""},
		{"integer", "ten", "", `expected integer, got "ten"`},
		{"integer", 3.0, "int64:3|", ""},
		{"integer", 1e20, "", "expected integer, got 1e+20"},
		{"integer", json.Number("7"), "int64:7|7", ""},
		{"integer", []any{int64(5)}, "int64:5|", ""},
		{"integer", []any{1, 2}, "", "expected integer, got an array"},
		{"number", "1.50", "float64:1.5|1.50", ""},
		{"number", "12345678901234567890", "json.Number:12345678901234567890|12345678901234567890", ""},
		{"number", "1,5", "", `expected number, got "1,5"`},
		{"number", "0x10", "", `expected number, got "0x10"`},
		{"number", "NaN", "", `expected number, got "NaN"`},
		{"boolean", "TRUE", "bool:true|", ""},
		{"boolean", "yes", "", `expected true or false, got "yes"`},
		{"array", `["a",1]`, "[]interface {}:[a 1]|", ""},
		{"array", "a,b", "[]interface {}:[a,b]|", ""},
		{"array", `[1,`, "", "expected a JSON array: unexpected end of input"},
		{"object", `{"a":1}`, `map[string]interface {}:map[a:1]|{"a":1}`, ""},
		{"object", `{"a":`, "", "expected a JSON object: unexpected end of input"},
		{"object", `null`, "", "expected a JSON object: got null"},
		{"object", []any{}, "", "expected a JSON object, got an array"},
		{"string", int64(42), "string:42|42", ""},
		{"string", map[string]any{"a": "<b>"}, `string:{"a":"<b>"}|{"a":"<b>"}`, ""},
		{"", []any{"a", "b"}, "[]interface {}:[a b]|", ""},
		{"uuid", "x", "string:x|x", ""},
		{"integer", nil, "<nil>:<nil>|", ""},
	}
	for _, tt := range tests {
		v, text, err := Convert(tt.typ, tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("Convert(%q, %#v) error = %v, want %q", tt.typ, tt.in, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Convert(%q, %#v): %v", tt.typ, tt.in, err)
			continue
		}
		if got := fmt.Sprintf("%T:%v|%s", v, v, text); got != tt.want {
			t.Errorf("Convert(%q, %#v) = %s, want %s", tt.typ, tt.in, got, tt.want)
		}
	}
}
