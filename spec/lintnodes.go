package spec

import (
	"go.yaml.in/yaml/v3"

	"github.com/naftiko/naftiko/spec/internal/yamlnode"
)

// Small read-only helpers over raw YAML nodes, for the parts of a document
// that the model keeps as nodes (exposes adapters, aggregates). They
// resolve aliases and merge keys, and accept both the list form and the
// ikanos map-keyed form of named lists.

// lintField returns the value of field name in mapping n (aliases
// resolved), or nil.
func lintField(n *yaml.Node, name string) *yaml.Node { return yamlnode.Field(n, name) }

// lintString returns the text of scalar field name of n ("" when absent,
// null or not a scalar).
func lintString(n *yaml.Node, name string) string {
	return lintScalar(lintField(n, name))
}

// lintScalar returns a scalar's text, "" for null and collections.
func lintScalar(v *yaml.Node) string { return yamlnode.Scalar(v) }

// lintEntry is one entry of a named list.
type lintEntry struct {
	// key is the entry's key in the map-keyed form, else nil.
	key *yaml.Node
	// node is the entry's mapping.
	node *yaml.Node
	name string
}

// lintEntries returns the mapping entries of a list, or of a mapping keyed
// by name, in document order. Entries that are not mappings are skipped.
func lintEntries(n *yaml.Node) []lintEntry {
	n = deref(n)
	if n == nil {
		return nil
	}
	var out []lintEntry
	switch n.Kind {
	case yaml.SequenceNode:
		for _, c := range n.Content {
			if d := deref(c); d != nil && d.Kind == yaml.MappingNode {
				out = append(out, lintEntry{node: d, name: lintString(d, "name")})
			}
		}
	case yaml.MappingNode:
		ps := pairs(n)
		for i := 0; i+1 < len(ps); i += 2 {
			d := deref(ps[i+1])
			k, _ := keyText(ps[i])
			if d == nil || isNull(d) {
				d = &yaml.Node{Kind: yaml.MappingNode, Line: ps[i].Line, Column: ps[i].Column}
			}
			if d.Kind == yaml.MappingNode {
				out = append(out, lintEntry{key: ps[i], node: d, name: k})
			}
		}
	}
	return out
}

// pos returns the entry's position: its key in the map-keyed form, else
// its mapping.
func (e lintEntry) pos(file string) Pos {
	if e.key != nil {
		return lintPos(file, e.key)
	}
	return lintPos(file, e.node)
}

// lintPos returns the position of n in file (1:1 when n has none).
func lintPos(file string, n *yaml.Node) Pos {
	if n == nil || n.Line == 0 {
		return Pos{File: file, Line: 1, Col: 1}
	}
	return Pos{File: file, Line: n.Line, Col: n.Column}
}

// lintWalkStrings calls fn for every string scalar under n (values and keys of
// mappings excluded), each aliased node once per reference.
func lintWalkStrings(n *yaml.Node, fn func(key string, v *yaml.Node)) {
	var walk func(n *yaml.Node, key string, depth int)
	walk = func(n *yaml.Node, key string, depth int) {
		n = deref(n)
		if n == nil || depth > MaxDepth {
			return
		}
		switch n.Kind {
		case yaml.MappingNode:
			ps := pairs(n)
			for i := 0; i+1 < len(ps); i += 2 {
				k, _ := keyText(ps[i])
				walk(ps[i+1], k, depth+1)
			}
		case yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c, key, depth+1)
			}
		case yaml.ScalarNode:
			if tagOf(n) == tagStr || isQuoted(n) {
				fn(key, n)
			}
		}
	}
	walk(n, "", 0)
}
