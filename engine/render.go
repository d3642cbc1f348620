package engine

import (
	"context"
	"strings"

	"github.com/naftiko/naftiko/binder"
	"github.com/naftiko/naftiko/spec"
	"github.com/naftiko/naftiko/spec/jsonv"
)

// scope resolves template placeholders during one call (SPEC.md §5.2).
type scope struct {
	ctx  context.Context
	e    *Engine
	p    *plan
	vals map[string]value
	// envRefs records secret values read from environment variables, for
	// --curl.
	envRefs []envRef
	// fragHeaders are the headers a path fragment asks for (buildURL).
	fragHeaders [][2]string
}

// where names the kind of template being rendered, for messages and for
// the rules that differ between them.
type where int

const (
	inGeneral where = iota
	inAuth          // authentication fields: names never become inputs
	inBaseURI       // baseUri: likewise
)

// lookup resolves a placeholder name. found is false when no rule matches.
func (s *scope) lookup(name string) (value, bool, error) {
	if v, ok := s.vals[name]; ok {
		return v, true, nil
	}
	if i := strings.IndexByte(name, '.'); i > 0 {
		pre, rest := name[:i], name[i+1:]
		if s.e.prog.Names.InputPrefix(pre, s.p.Namespace) {
			if v, ok := s.vals[rest]; ok {
				return v, true, nil
			}
			if _, ok := s.p.InputParams(rest); ok {
				return value{}, false, nil
			}
		}
		if s.e.prog.Names.BindNamespace(pre) {
			bv, err := s.e.binds.NSVar(s.ctx, pre, rest)
			if err != nil {
				return value{}, false, err
			}
			s.noteEnv(pre, rest, bv)
			return secretValue(bv), true, nil
		}
	}
	if s.e.prog.Names.Bound(name) {
		bv, err := s.e.binds.Var(s.ctx, name)
		if err != nil {
			return value{}, false, err
		}
		s.noteEnv("", name, bv)
		return secretValue(bv), true, nil
	}
	return value{}, false, nil
}

func secretValue(v binder.Value) value {
	t := v.Reveal()
	return value{v: t, text: t, raw: true}
}

// noteEnv remembers which environment variable a secret came from.
func (s *scope) noteEnv(ns, name string, v binder.Value) {
	k := name
	if ns != "" {
		k = ns + "." + name
	}
	key, declared := s.e.envKeys[k]
	if !declared && ns == "env" {
		key = name
	}
	if key == "" || v.Reveal() == "" {
		return
	}
	for _, r := range s.envRefs {
		if r.secret == v.Reveal() {
			return
		}
	}
	s.envRefs = append(s.envRefs, envRef{secret: v.Reveal(), key: key})
}

// envRef is a secret value and the environment variable it came from.
type envRef struct{ secret, key string }

// missing builds the error for a placeholder no rule resolves (§5.5).
func (s *scope) missing(part spec.Part, w where) error {
	name := part.Name
	at := ""
	if !part.Pos.IsZero() {
		at = " at " + part.Pos.String()
	}
	input := name
	if i := strings.IndexByte(name, '.'); i > 0 {
		if pre := name[:i]; s.e.prog.Names.InputPrefix(pre, s.p.Namespace) {
			input = name[i+1:]
		}
	}
	if _, ok := s.p.InputParams(input); ok {
		return &spec.Error{Kind: spec.KindUsage, Pos: part.Pos,
			Msg:    "parameter `" + input + "` is needed by the template" + at + " but was not supplied",
			Inputs: []string{input}}
	}
	for _, q := range s.p.Params {
		if q.Name == name && q.In == "environment" {
			return &spec.Error{Kind: spec.KindBinding, Pos: part.Pos,
				Msg: "environment variable " + name + " (an in: environment parameter, used by the template" + at + ") is not set",
				Env: []string{name}}
		}
	}
	return &spec.Error{Kind: spec.KindBinding, Pos: part.Pos,
		Msg:  "template" + at + " names `" + name + "`, which is neither a parameter nor a bound variable",
		Hint: "declare it under binds (e.g. keys: {" + name + ": " + name + "}) or pass it as a parameter"}
}

// text renders t; escape, when set, is applied to every substituted value.
func (s *scope) text(t *spec.Template, w where, escape func(string) string) (string, error) {
	if t == nil {
		return "", nil
	}
	return t.String(func(part spec.Part) (string, error) {
		v, ok, err := s.lookup(part.Name)
		if err != nil {
			return "", err
		}
		if !ok {
			return "", s.missing(part, w)
		}
		str, err := v.render()
		if err != nil {
			return "", &spec.Error{Kind: spec.KindRequest, Pos: part.Pos, Msg: "cannot render `" + part.Name + "`: " + err.Error()}
		}
		if escape != nil {
			str = escape(str)
		}
		return str, nil
	})
}

// whole resolves a template that is exactly one placeholder to its typed
// value; absent reports that nothing resolved it.
func (s *scope) whole(t *spec.Template) (v value, absent bool, err error) {
	part, _ := t.Whole()
	v, ok, err := s.lookup(part.Name)
	if err != nil {
		return value{}, false, err
	}
	return v, !ok, nil
}

// data renders structured data (SPEC.md §5.4): a string leaf that is
// exactly one placeholder takes the value with its JSON type; a leaf whose
// single placeholder is absent is left out (omit).
func (s *scope) data(d *spec.Data, leaf bool) (any, bool, error) {
	switch d.Kind {
	case spec.DataNull:
		return nil, false, nil
	case spec.DataBool:
		return strings.EqualFold(d.Text, "true"), false, nil
	case spec.DataNumber:
		return jsonv.Number(d.Text), false, nil
	case spec.DataString:
		if d.Tmpl == nil {
			return d.Text, false, nil
		}
		if _, ok := d.Tmpl.Whole(); ok && leaf {
			v, absent, err := s.whole(d.Tmpl)
			if err != nil {
				return nil, false, err
			}
			if absent || v.v == nil {
				part, _ := d.Tmpl.Whole()
				if s.requiredName(part.Name) {
					return nil, false, s.missing(part, inGeneral)
				}
				return nil, true, nil
			}
			return v.v, false, nil
		}
		str, err := s.text(d.Tmpl, inGeneral, nil)
		return str, false, err
	case spec.DataMap:
		m := &jsonv.Object{}
		for i, k := range d.Keys {
			v, omit, err := s.data(d.Vals[i], true)
			if err != nil {
				return nil, false, err
			}
			if !omit {
				m.Keys = append(m.Keys, k)
				m.Vals = append(m.Vals, v)
			}
		}
		return m, false, nil
	case spec.DataList:
		out := make([]any, 0, len(d.Items))
		for _, it := range d.Items {
			v, omit, err := s.data(it, true)
			if err != nil {
				return nil, false, err
			}
			if !omit {
				out = append(out, v)
			}
		}
		return out, false, nil
	}
	return nil, false, nil
}

// requiredName reports whether an absent placeholder names something that
// must be present: a required input, or anything that is not an input.
func (s *scope) requiredName(name string) bool {
	input := name
	if i := strings.IndexByte(name, '.'); i > 0 {
		if pre := name[:i]; s.e.prog.Names.InputPrefix(pre, s.p.Namespace) {
			input = name[i+1:]
		}
	}
	ps, ok := s.p.InputParams(input)
	if !ok {
		return true
	}
	for _, p := range ps {
		if p.Required {
			return true
		}
	}
	return false
}
