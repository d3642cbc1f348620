package jsonv

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Convert converts a caller value to a declared parameter type (SPEC.md
// §6.3): strings (command line, REST query) are parsed, JSON-typed values
// keep their type when it fits, a one-element list stands for its element.
// text is the caller's own spelling when the value came from text and must
// render exactly as given (a query value "1.50" stays "1.50"); "" otherwise.
// A nil value converts to nil. Unknown types are advisory: the value is
// kept as given.
func Convert(typ string, in any) (v any, text string, err error) {
	if x, ok := in.([]any); ok {
		switch {
		case typ == "object":
			return nil, "", fmt.Errorf("expected a JSON object, got an array")
		case typ == "array" || typ == "" || !known(typ):
			return x, "", nil
		case len(x) == 1:
			return Convert(typ, x[0])
		}
		return nil, "", fmt.Errorf("expected %s, got an array", typ)
	}
	if in == nil {
		return nil, "", nil
	}
	switch typ {
	case "", "string":
		return toString(in)
	case "integer":
		return toInteger(in)
	case "number":
		return toNumber(in)
	case "boolean":
		return toBoolean(in)
	case "array":
		return toArray(in)
	case "object":
		return toObject(in)
	}
	if s, ok := in.(string); ok {
		return s, s, nil
	}
	return in, "", nil
}

func toString(in any) (any, string, error) {
	if s, ok := in.(string); ok {
		return s, s, nil
	}
	s, err := Render(in)
	if err != nil {
		return nil, "", err
	}
	return s, s, nil
}

func toInteger(in any) (any, string, error) {
	switch x := in.(type) {
	case string:
		t := strings.TrimSpace(x)
		n, err := strconv.ParseInt(t, 10, 64)
		if err != nil {
			return nil, "", fmt.Errorf("expected integer, got %q", x)
		}
		return n, t, nil
	case int:
		return int64(x), "", nil
	case int32:
		return int64(x), "", nil
	case int64:
		return x, "", nil
	case float64:
		if x != math.Trunc(x) || math.IsInf(x, 0) || math.Abs(x) > 1<<53 {
			return nil, "", fmt.Errorf("expected integer, got %v", x)
		}
		return int64(x), "", nil
	case json.Number:
		n, err := strconv.ParseInt(x.String(), 10, 64)
		if err != nil {
			return nil, "", fmt.Errorf("expected integer, got %s", x)
		}
		return n, x.String(), nil
	}
	return nil, "", fmt.Errorf("expected integer, got %s", Describe(in))
}

func toNumber(in any) (any, string, error) {
	switch x := in.(type) {
	case string:
		t := strings.TrimSpace(x)
		f, err := strconv.ParseFloat(t, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || strings.ContainsAny(t, "xXpP_") {
			return nil, "", fmt.Errorf("expected number, got %q", x)
		}
		return Number(t), t, nil
	case int:
		return int64(x), "", nil
	case int64:
		return x, "", nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, "", fmt.Errorf("expected number, got %v", x)
		}
		return x, "", nil
	case float32:
		return float64(x), "", nil
	case json.Number:
		return x, x.String(), nil
	}
	return nil, "", fmt.Errorf("expected number, got %s", Describe(in))
}

func toBoolean(in any) (any, string, error) {
	switch x := in.(type) {
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true":
			return true, "", nil
		case "false":
			return false, "", nil
		}
		return nil, "", fmt.Errorf("expected true or false, got %q", x)
	case bool:
		return x, "", nil
	}
	return nil, "", fmt.Errorf("expected true or false, got %s", Describe(in))
}

func toArray(in any) (any, string, error) {
	if x, ok := in.(string); ok && strings.HasPrefix(strings.TrimSpace(x), "[") {
		var items []any
		if err := DecodeTyped([]byte(x), &items); err != nil {
			return nil, "", fmt.Errorf("expected a JSON array: %s", ErrText(err))
		}
		return items, "", nil
	}
	return []any{in}, "", nil
}

func toObject(in any) (any, string, error) {
	switch x := in.(type) {
	case string:
		var obj map[string]any
		if err := DecodeTyped([]byte(x), &obj); err != nil || obj == nil {
			if err == nil {
				err = fmt.Errorf("got null")
			}
			return nil, "", fmt.Errorf("expected a JSON object: %s", ErrText(err))
		}
		return obj, x, nil
	case []byte:
		return toObject(string(x))
	case map[string]any:
		return x, "", nil
	case *Object:
		return x, "", nil
	}
	return nil, "", fmt.Errorf("expected a JSON object, got %s", Describe(in))
}

// known reports whether typ is a type Convert checks.
func known(typ string) bool {
	switch typ {
	case "", "string", "integer", "number", "boolean", "array", "object":
		return true
	}
	return false
}

// ErrText words a JSON decoding error for users: "unexpected end of
// input" for a truncated value, without the "json: " prefix.
func ErrText(err error) string {
	s := err.Error()
	if s == "unexpected EOF" {
		return "unexpected end of input"
	}
	return strings.TrimPrefix(s, "json: ")
}
