package jsonv

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/naftiko/naftiko/spec"
)

// Object is a JSON object that keeps its keys in insertion order. Keys
// and Vals run in parallel; append to both, or use Set.
type Object struct {
	Keys []string
	Vals []any
}

// Set sets k to v, replacing an existing value in place or appending k.
func (o *Object) Set(k string, v any) {
	for i, x := range o.Keys {
		if x == k {
			o.Vals[i] = v
			return
		}
	}
	o.Keys = append(o.Keys, k)
	o.Vals = append(o.Vals, v)
}

// Get returns the value of k.
func (o *Object) Get(k string) (any, bool) {
	for i, x := range o.Keys {
		if x == k {
			return o.Vals[i], true
		}
	}
	return nil, false
}

// MarshalJSON writes the object with its keys in order, without HTML
// escaping.
func (o *Object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	// put encodes one key or value; Encode ends each with a newline, which
	// is cut.
	put := func(v any) error {
		if err := enc.Encode(v); err != nil {
			return err
		}
		b.Truncate(b.Len() - 1)
		return nil
	}
	b.WriteByte('{')
	for i, k := range o.Keys {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := put(k); err != nil {
			return nil, err
		}
		b.WriteByte(':')
		if err := put(o.Vals[i]); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Marshal encodes v as compact JSON without HTML escaping.
func Marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// Render renders a JSON-like value as text (SPEC.md §5.4): strings as is,
// null as "", numbers as encoding/json writes them (integral floats below
// 1e21 without exponent), maps and lists as compact JSON without HTML
// escaping.
func Render(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case nil:
		return "", nil
	case bool:
		return strconv.FormatBool(x), nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case json.Number:
		return x.String(), nil
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e21 {
			return strconv.FormatFloat(x, 'f', -1, 64), nil
		}
		b, err := json.Marshal(x)
		return string(b), err
	default:
		b, err := Marshal(x)
		if err != nil {
			return "", err
		}
		return string(b), nil
	}
}

// Text is Render for messages and templates that cannot fail: a value
// that cannot be encoded is written with fmt.
func Text(v any) string {
	s, err := Render(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return s
}

// Describe names a value for error messages: strings quoted, objects and
// arrays by kind, null as null, other scalars rendered.
func Describe(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case map[string]any, *Object:
		return "an object"
	case []any:
		return "an array"
	case nil:
		return "null"
	}
	return Text(v)
}

var errTrailing = errors.New("unexpected data after the JSON value")

// Decode decodes exactly one JSON value into v, numbers kept exact as
// json.Number, and rejects anything but white space after it.
func Decode(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		return err
	}
	if _, err := d.Token(); err != io.EOF {
		return errTrailing
	}
	return nil
}

// DecodeTyped is Decode followed by Normalize, for v of type *any,
// *map[string]any or *[]any: numbers become int64, float64 or (when
// either would lose precision) json.Number.
func DecodeTyped(data []byte, v any) error {
	if err := Decode(data, v); err != nil {
		return err
	}
	switch x := v.(type) {
	case *any:
		*x = Normalize(*x)
	case *map[string]any:
		Normalize(*x)
	case *[]any:
		Normalize(*x)
	}
	return nil
}

// Number converts number text (SPEC.md §9.1): int64 when integral and in
// range, else float64 when it has at most 15 significant digits, else
// json.Number (exact text kept). Text that is not a finite number is
// returned unchanged, as a string.
func Number(s string) any {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return s
	}
	if sigDigits(s) <= 15 {
		if f == math.Trunc(f) && math.Abs(f) < 1<<63 && !strings.ContainsAny(s, ".eE") {
			return int64(f)
		}
		return f
	}
	return json.Number(s)
}

func sigDigits(s string) int {
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		s = s[:i]
	}
	n, started := 0, false
	trailing := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			continue
		}
		if c == '0' && !started {
			continue
		}
		started = true
		n++
		if c == '0' {
			trailing++
		} else {
			trailing = 0
		}
	}
	if !strings.Contains(s, ".") {
		n -= trailing
	}
	return n
}

// Normalize replaces json.Number leaves by what Number gives, in place;
// a number out of float64 range stays a json.Number. It returns the
// (possibly replaced) value.
func Normalize(v any) any {
	switch x := v.(type) {
	case json.Number:
		n := Number(string(x))
		if _, isText := n.(string); isText {
			return x
		}
		return n
	case map[string]any:
		for k, it := range x {
			switch it.(type) {
			case json.Number, map[string]any, []any:
				x[k] = Normalize(it)
			}
		}
	case []any:
		for i, it := range x {
			switch it.(type) {
			case json.Number, map[string]any, []any:
				x[i] = Normalize(it)
			}
		}
	}
	return v
}

// Const converts constant data to a JSON-like value. Maps become
// map[string]any, or *Object (declaration order kept) when ordered.
func Const(d *spec.Data, ordered bool) any {
	switch d.Kind {
	case spec.DataString:
		return d.Text
	case spec.DataNumber:
		return Number(d.Text)
	case spec.DataBool:
		return strings.EqualFold(d.Text, "true")
	case spec.DataMap:
		if ordered {
			o := &Object{Keys: make([]string, 0, len(d.Keys)), Vals: make([]any, 0, len(d.Keys))}
			for i, k := range d.Keys {
				o.Set(k, Const(d.Vals[i], true))
			}
			return o
		}
		m := make(map[string]any, len(d.Keys))
		for i, k := range d.Keys {
			m[k] = Const(d.Vals[i], false)
		}
		return m
	case spec.DataList:
		l := make([]any, len(d.Items))
		for i, it := range d.Items {
			l[i] = Const(it, ordered)
		}
		return l
	}
	return nil
}

// Coerce applies an advisory output type (SPEC.md §9.4): lossless scalar
// conversions only (the canonical text of the converted value equals the
// original), a single non-null value wrapped where an array is declared.
// ok is false when an object or array is declared and the value is not
// one, or a scalar is declared and the value is an object or array: the
// value is then returned unchanged (type never makes a call fail).
func Coerce(typ string, v any) (out any, ok bool) {
	if v == nil {
		return nil, true
	}
	var isMap bool
	switch v.(type) {
	case map[string]any, *Object:
		isMap = true
	}
	_, isList := v.([]any)
	switch typ = strings.ToLower(typ); typ {
	case "string":
		switch x := v.(type) {
		case int64, int, float64, json.Number, bool:
			s, _ := Render(x)
			return s, true
		}
	case "integer", "number":
		if s, isStr := v.(string); isStr {
			n := Number(s)
			if t, _ := Render(n); t == s {
				_, isInt := n.(int64)
				_, isFloat := n.(float64)
				if isInt || isFloat && typ == "number" {
					return n, true
				}
			}
		}
	case "boolean":
		if s, isStr := v.(string); isStr && (s == "true" || s == "false") {
			return s == "true", true
		}
	case "array":
		if !isList {
			return []any{v}, true
		}
		return v, true
	case "object":
		return v, isMap
	default:
		return v, true
	}
	return v, !isMap && !isList
}
