package engine

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/naftiko/naftiko/engine/internal/jsonv"
)

// value is a typed caller value. text keeps the caller's own spelling when
// the value came from a string, so it renders exactly as given.
type value struct {
	v    any
	text string
	raw  bool // text is the canonical rendering
}

// convert turns a caller value into the parameter's type (SPEC.md §6.3).
func convert(p *param, in any) (value, error) {
	typ := p.typ
	switch x := in.(type) {
	case []string:
		if typ == "array" || typ == "any" && len(x) > 1 {
			items := make([]any, len(x))
			for i, s := range x {
				items[i] = s
			}
			return value{v: items}, nil
		}
		if len(x) == 1 {
			return convert(p, x[0])
		}
		return value{}, fmt.Errorf("given %d times; only array parameters take several values", len(x))
	case []any:
		if typ == "array" || typ == "" || typ == "any" || typ == "object" {
			if typ == "object" {
				return value{}, fmt.Errorf("expected a JSON object, got an array")
			}
			return value{v: x}, nil
		}
		if len(x) == 1 {
			return convert(p, x[0])
		}
		return value{}, fmt.Errorf("expected %s, got an array", typ)
	}
	switch typ {
	case "", "string":
		switch x := in.(type) {
		case string:
			return value{v: x, text: x, raw: true}, nil
		case nil:
			return value{}, nil
		default:
			s, err := jsonv.Render(x)
			if err != nil {
				return value{}, err
			}
			return value{v: s, text: s, raw: true}, nil
		}
	case "integer":
		switch x := in.(type) {
		case string:
			t := strings.TrimSpace(x)
			n, err := strconv.ParseInt(t, 10, 64)
			if err != nil {
				return value{}, fmt.Errorf("expected integer, got %q", x)
			}
			return value{v: n, text: t, raw: true}, nil
		case int:
			return value{v: int64(x)}, nil
		case int32:
			return value{v: int64(x)}, nil
		case int64:
			return value{v: x}, nil
		case float64:
			if x != math.Trunc(x) || math.IsInf(x, 0) || math.Abs(x) > 1<<53 {
				return value{}, fmt.Errorf("expected integer, got %v", x)
			}
			return value{v: int64(x)}, nil
		case json.Number:
			n, err := strconv.ParseInt(x.String(), 10, 64)
			if err != nil {
				return value{}, fmt.Errorf("expected integer, got %s", x)
			}
			return value{v: n, text: x.String(), raw: true}, nil
		}
		return value{}, fmt.Errorf("expected integer, got %s", jsonv.Describe(in))
	case "number":
		switch x := in.(type) {
		case string:
			t := strings.TrimSpace(x)
			f, err := strconv.ParseFloat(t, 64)
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || strings.ContainsAny(t, "xXpP_") {
				return value{}, fmt.Errorf("expected number, got %q", x)
			}
			return value{v: f, text: t, raw: true}, nil
		case int:
			return value{v: int64(x)}, nil
		case int64:
			return value{v: x}, nil
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return value{}, fmt.Errorf("expected number, got %v", x)
			}
			return value{v: x}, nil
		case float32:
			return value{v: float64(x)}, nil
		case json.Number:
			return value{v: x, text: x.String(), raw: true}, nil
		}
		return value{}, fmt.Errorf("expected number, got %s", jsonv.Describe(in))
	case "boolean":
		switch x := in.(type) {
		case string:
			switch strings.ToLower(strings.TrimSpace(x)) {
			case "true":
				return value{v: true}, nil
			case "false":
				return value{v: false}, nil
			}
			return value{}, fmt.Errorf("expected true or false, got %q", x)
		case bool:
			return value{v: x}, nil
		}
		return value{}, fmt.Errorf("expected true or false, got %s", jsonv.Describe(in))
	case "array":
		switch x := in.(type) {
		case string:
			if strings.HasPrefix(strings.TrimSpace(x), "[") {
				var items []any
				if err := jsonv.Decode([]byte(x), &items); err != nil {
					return value{}, fmt.Errorf("expected a JSON array: %v", jsonErr(err))
				}
				return value{v: items}, nil
			}
			return value{v: []any{x}}, nil
		case nil:
			return value{}, nil
		default:
			return value{v: []any{x}}, nil
		}
	case "object":
		switch x := in.(type) {
		case string:
			var obj map[string]any
			if err := jsonv.Decode([]byte(x), &obj); err != nil || obj == nil {
				if err == nil {
					err = fmt.Errorf("got null")
				}
				return value{}, fmt.Errorf("expected a JSON object: %v", jsonErr(err))
			}
			return value{v: obj, text: x, raw: true}, nil
		case []byte:
			return convert(p, string(x))
		case map[string]any:
			return value{v: x}, nil
		case nil:
			return value{}, nil
		}
		return value{}, fmt.Errorf("expected a JSON object, got %s", jsonv.Describe(in))
	default:
		// Unknown types are advisory: keep the value as given.
		if s, ok := in.(string); ok {
			return value{v: s, text: s, raw: true}, nil
		}
		return value{v: in}, nil
	}
}

func jsonErr(err error) string {
	s := err.Error()
	if s == "unexpected EOF" {
		return "unexpected end of input"
	}
	return strings.TrimPrefix(s, "json: ")
}

// render turns a value into text (SPEC.md §5.4).
func (v value) render() (string, error) {
	if v.raw {
		return v.text, nil
	}
	return jsonv.Render(v.v)
}
