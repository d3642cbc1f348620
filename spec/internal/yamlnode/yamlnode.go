package yamlnode

import (
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Resolved short tags of scalars and merge keys.
const (
	TagNull  = "!!null"
	TagBool  = "!!bool"
	TagInt   = "!!int"
	TagFloat = "!!float"
	TagStr   = "!!str"
	TagMerge = "!!merge"
)

// Deref follows an alias to the node it names.
func Deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// Tag returns the node's resolved short tag.
func Tag(n *yaml.Node) string {
	if n.Tag != "" && n.Tag != "!" {
		return n.Tag
	}
	return n.ShortTag()
}

// IsNull reports whether n is absent or a null scalar.
func IsNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && Tag(n) == TagNull)
}

// IsMergeKey reports whether mapping key k is a merge key (<<).
func IsMergeKey(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Tag == TagMerge
}

// IsQuoted reports whether scalar n is written in single or double quotes.
func IsQuoted(n *yaml.Node) bool {
	return n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0
}

// KeyText returns the text of a mapping key; ok is false for keys that are
// not scalars.
func KeyText(k *yaml.Node) (string, bool) {
	k = Deref(k)
	if k == nil || k.Kind != yaml.ScalarNode {
		return "", false
	}
	return k.Value, true
}

// KindName names a node's kind for messages: mapping, list, string, number,
// boolean, null.
func KindName(n *yaml.Node) string {
	n = Deref(n)
	if n == nil {
		return "nothing"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		switch Tag(n) {
		case TagNull:
			return "null"
		case TagBool:
			return "boolean"
		case TagInt, TagFloat:
			return "number"
		}
		return "string"
	case yaml.AliasNode:
		return "alias"
	}
	return "document"
}

// Pairs returns the key/value nodes of mapping n with merge keys resolved:
// merged entries take the place of the << key, explicit keys override
// merged ones, and earlier merge sources win over later ones. Without a
// merge key it returns n.Content itself (no allocation).
func Pairs(n *yaml.Node) []*yaml.Node {
	ct := n.Content
	merge := false
	for i := 0; i+1 < len(ct); i += 2 {
		if IsMergeKey(ct[i]) {
			merge = true
			break
		}
	}
	if !merge {
		return ct
	}
	explicit := make(map[string]bool, len(ct)/2)
	for i := 0; i+1 < len(ct); i += 2 {
		if !IsMergeKey(ct[i]) {
			if t, ok := KeyText(ct[i]); ok {
				explicit[t] = true
			}
		}
	}
	seen := make(map[string]bool, len(ct)/2)
	out := make([]*yaml.Node, 0, len(ct))
	for i := 0; i+1 < len(ct); i += 2 {
		k, v := ct[i], ct[i+1]
		if !IsMergeKey(k) {
			out = append(out, k, v)
			if t, ok := KeyText(k); ok {
				seen[t] = true
			}
			continue
		}
		src := Deref(v)
		var srcs []*yaml.Node
		switch src.Kind {
		case yaml.MappingNode:
			srcs = []*yaml.Node{src}
		case yaml.SequenceNode:
			srcs = src.Content
		}
		for _, s := range srcs {
			s = Deref(s)
			if s.Kind != yaml.MappingNode {
				continue
			}
			sp := Pairs(s)
			for j := 0; j+1 < len(sp); j += 2 {
				t, ok := KeyText(sp[j])
				if ok && (explicit[t] || seen[t]) {
					continue
				}
				if ok {
					seen[t] = true
				}
				out = append(out, sp[j], sp[j+1])
			}
		}
	}
	return out
}

// Field returns the value of field name in mapping n (aliases resolved),
// or nil.
func Field(n *yaml.Node, name string) *yaml.Node {
	n = Deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	ps := Pairs(n)
	var v *yaml.Node
	for i := 0; i+1 < len(ps); i += 2 {
		if k, ok := KeyText(ps[i]); ok && k == name {
			v = ps[i+1]
		}
	}
	return Deref(v)
}

// Scalar returns a scalar's text, "" for null and collections.
func Scalar(v *yaml.Node) string {
	v = Deref(v)
	if v == nil || v.Kind != yaml.ScalarNode || (IsNull(v) && !IsQuoted(v)) {
		return ""
	}
	return v.Value
}

// IsJSONNumber reports whether s is a number exactly as JSON writes them
// (no sign but '-', no leading zeros, no spaces). It is the one JSON-number
// syntax check of the module (spec.IsJSONNumber re-exports it).
func IsJSONNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		i = digits(s, i)
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		if i = digits(s, i+1); s[i-1] == '.' {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := i
		if i = digits(s, i); i == j {
			return false
		}
	}
	return i == len(s)
}

// digits returns the index after the run of ASCII digits starting at i.
func digits(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// NumberText returns the JSON text of a YAML number, or ok=false when it
// has none (.inf, .nan).
func NumberText(n *yaml.Node) (string, bool) {
	v := n.Value
	if IsJSONNumber(v) {
		return v, true
	}
	if Tag(n) == TagInt {
		if i, err := strconv.ParseInt(v, 0, 64); err == nil {
			return strconv.FormatInt(i, 10), true
		}
		if u, err := strconv.ParseUint(v, 0, 64); err == nil {
			return strconv.FormatUint(u, 10), true
		}
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(v, "_", ""), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return "", false
	}
	return strconv.FormatFloat(f, 'g', -1, 64), true
}

// KeyNode returns the key node of field name in mapping n (the last one
// when merge keys repeat it), or nil.
func KeyNode(n *yaml.Node, name string) *yaml.Node {
	n = Deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	ps := Pairs(n)
	var found *yaml.Node
	for i := 0; i+1 < len(ps); i += 2 {
		if k, ok := KeyText(ps[i]); ok && k == name {
			found = ps[i]
		}
	}
	return found
}
