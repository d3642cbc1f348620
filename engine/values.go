package engine

import (
	"fmt"

	"github.com/naftiko/naftiko/spec/jsonv"
)

// value is a typed caller value. text keeps the caller's own spelling when
// the value came from a string, so it renders exactly as given.
type value struct {
	v    any
	text string
	raw  bool // text is the canonical rendering
}

// convert turns a caller value into the parameter's type (SPEC.md §6.3).
// Repeated command-line values ([]string) are an array's elements; the
// rest is jsonv.Convert.
func convert(p *param, in any) (value, error) {
	if x, ok := in.([]string); ok {
		if p.Type == "array" || p.Type == "any" && len(x) > 1 {
			items := make([]any, len(x))
			for i, s := range x {
				items[i] = s
			}
			return value{v: items}, nil
		}
		if len(x) != 1 {
			return value{}, fmt.Errorf("given %d times; only array parameters take several values", len(x))
		}
		in = x[0]
	}
	v, text, err := jsonv.Convert(p.Type, in)
	if err != nil {
		return value{}, err
	}
	return value{v: v, text: text, raw: text != ""}, nil
}

// render turns a value into text (SPEC.md §5.4).
func (v value) render() (string, error) {
	if v.raw {
		return v.text, nil
	}
	return jsonv.Render(v.v)
}
