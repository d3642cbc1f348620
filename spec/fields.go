package spec

import (
	"fmt"
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/naftiko/naftiko/spec/internal/vocab"
)

// The known-field tables of the document's objects (the dialect fields of
// SPEC.md §2.4 included) are vocab.Fields*, shared with spec/schema; the
// tables of the exposes side are in expose.go.

// field is one known key of a mapping and its value.
type field struct {
	name     string
	key, val *yaml.Node
}

// fieldSet holds the known keys of a mapping in document order, and its
// unknown keys until they are reported.
type fieldSet struct {
	list    []field
	unknown []*yaml.Node
	known   [][]string
}

// find returns the last field named k (a repeated key is a fatal
// duplicate-key error; the last one is read, as YAML decoders do).
func (f fieldSet) find(k string) *field {
	for i := len(f.list) - 1; i >= 0; i-- {
		if f.list[i].name == k {
			return &f.list[i]
		}
	}
	return nil
}

func (f fieldSet) has(k string) bool { return f.find(k) != nil }

func (f fieldSet) get(k string) *yaml.Node {
	if x := f.find(k); x != nil {
		return x.val
	}
	return nil
}

func (f fieldSet) keyNode(k string) *yaml.Node {
	if x := f.find(k); x != nil {
		return x.key
	}
	return nil
}

// first returns the first of the fields named in names, in document order,
// or nil.
func (f fieldSet) first(names ...string) *field {
	for i := range f.list {
		if slices.Contains(names, f.list[i].name) {
			return &f.list[i]
		}
	}
	return nil
}

// last returns the last of the fields named in names, in document order,
// or nil.
func (f fieldSet) last(names ...string) *field {
	for i := len(f.list) - 1; i >= 0; i-- {
		if slices.Contains(names, f.list[i].name) {
			return &f.list[i]
		}
	}
	return nil
}

// outside returns the fields of f outside known as the unknown keys of a
// set that knows known.
func (f fieldSet) outside(known []string) fieldSet {
	out := fieldSet{known: [][]string{known}}
	for _, x := range f.list {
		if !slices.Contains(known, x.name) {
			out.unknown = append(out.unknown, x.key)
		}
	}
	return out
}

// allFields reads every key of mapping d as known but those that are not
// text, for a mapping whose known keys depend on one of its fields.
func allFields(d *yaml.Node) fieldSet { return readFields(d, nil, func(string) bool { return true }) }

// namedKeys returns the pairs of a mapping keyed by name (headers, with
// values) whose key is non-empty text; any other key is a wrong-kind
// element error msg.
func (l *loader) namedKeys(d *yaml.Node, msg string) []field {
	ps := pairs(d)
	out := make([]field, 0, len(ps)/2)
	for i := 0; i+1 < len(ps); i += 2 {
		if k, ok := keyText(ps[i]); ok && k != "" {
			out = append(out, field{k, ps[i], ps[i+1]})
		} else {
			l.elemError(ps[i], "wrong-kind", msg, "")
		}
	}
	return out
}

// optBool reads optional boolean field k of fs: nil when it is absent or
// not a boolean (l.boolean).
func (l *loader) optBool(fs fieldSet, k string) *bool {
	if v := fs.get(k); v != nil {
		if b, ok := l.boolean(v, k); ok {
			return &b
		}
	}
	return nil
}

// text reads field k of fs as text ("" when absent; l.str).
func (l *loader) text(fs fieldSet, k string) string { return l.str(fs.get(k), k) }

// named reads the fields of element d, list entry it, and its name into
// name (l.itemName; what names the element in its problems), then reports
// its unknown fields as fields of where and the name: "MCP tool `get`".
func (l *loader) named(it item, d *yaml.Node, name *string, where, what string, known ...[]string) fieldSet {
	fs := fieldsOf(d, known...)
	*name = l.itemName(it, fs.get("name"), what)
	l.unknownFields(fs, where+quoteName(*name))
	return fs
}

// fields reads the keys of mapping d. Keys outside known (the union of
// the lists) are reported as unknown fields of where.
func (l *loader) fields(d *yaml.Node, where string, known ...[]string) fieldSet {
	fs := fieldsOf(d, known...)
	l.unknownFields(fs, where)
	return fs
}

// fieldsOf reads the keys of mapping d against known (the union of the
// lists) without reporting the unknown ones: an element whose name is read
// from its fields reports them with l.unknownFields once it is known.
func fieldsOf(d *yaml.Node, known ...[]string) fieldSet {
	return readFields(d, known, func(k string) bool { return isKnown(k, known) })
}

// readFields reads the keys of mapping d: those that are text and that
// known accepts into the list, the others into unknown.
func readFields(d *yaml.Node, lists [][]string, known func(string) bool) fieldSet {
	ps := pairs(d)
	fs := fieldSet{list: make([]field, 0, len(ps)/2), known: lists}
	for i := 0; i+1 < len(ps); i += 2 {
		if k, ok := keyText(ps[i]); ok && known(k) {
			fs.list = append(fs.list, field{k, ps[i], ps[i+1]})
		} else {
			fs.unknown = append(fs.unknown, ps[i])
		}
	}
	return fs
}

func isKnown(k string, known [][]string) bool {
	for _, list := range known {
		if slices.Contains(list, k) {
			return true
		}
	}
	return false
}

// nameValue reads a {name, value} entry (a header, a query credential): its
// name as text and its value node.
func (l *loader) nameValue(d *yaml.Node, where string, known []string) (string, *yaml.Node) {
	fs := l.fields(d, where, known)
	return l.text(fs, "name"), fs.get("value")
}

// unknownFields reports the unknown keys of fs as unknown fields of where.
func (l *loader) unknownFields(fs fieldSet, where string) {
	if len(fs.unknown) == 0 {
		return
	}
	all := slices.Concat(fs.known...)
	for _, k := range fs.unknown {
		l.unknownField(k, where, all)
	}
}

// unknownField reports an unknown key with a did-you-mean hint taken from
// known.
func (l *loader) unknownField(k *yaml.Node, where string, known []string) {
	name, ok := keyText(k)
	if !ok {
		l.warn(k, "unknown-field", fmt.Sprintf("a %s key is not allowed in %s; it is ignored", kindName(k), where), "")
		return
	}
	hint := ""
	if s := suggest(name, known); s != "" {
		hint = "did you mean `" + s + "`?"
	}
	l.warn(k, "unknown-field", fmt.Sprintf("unknown field `%s` in %s", name, where), hint)
}

// suggest returns the one best candidate for a misspelt name, or ""
// (vocab.Suggest).
func suggest(name string, candidates []string) string { return vocab.Suggest(name, candidates) }

// levenshtein returns the edit distance between a and b (in runes), or
// limit as soon as the distance is known to reach limit (vocab.Distance).
func levenshtein(a, b string, limit int) int { return vocab.Distance(a, b, limit) }
