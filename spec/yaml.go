package spec

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/naftiko/naftiko/spec/internal/yamlnode"
)

// Loader limits (SPEC.md §2.1; project decisions).
const (
	// MaxFileSize is the largest document (and imported file) the loader
	// reads: 32 MiB.
	MaxFileSize = 32 << 20
	// MaxDepth is the deepest nesting of mappings and lists accepted.
	MaxDepth = 256
	// MaxAliasNodes caps the number of nodes that aliases may expand to
	// ("billion laughs").
	MaxAliasNodes = 100_000
)

// The YAML node helpers are shared with spec/schema (package yamlnode);
// the loader calls them by these short names.
const (
	tagNull  = yamlnode.TagNull
	tagBool  = yamlnode.TagBool
	tagInt   = yamlnode.TagInt
	tagFloat = yamlnode.TagFloat
	tagStr   = yamlnode.TagStr
)

// deref follows an alias to the node it names.
func deref(n *yaml.Node) *yaml.Node { return yamlnode.Deref(n) }

// tagOf returns the node's resolved short tag.
func tagOf(n *yaml.Node) string { return yamlnode.Tag(n) }

// isNull reports whether n is absent or a null scalar.
func isNull(n *yaml.Node) bool { return yamlnode.IsNull(n) }

// isMergeKey reports whether mapping key k is a merge key (<<).
func isMergeKey(k *yaml.Node) bool { return yamlnode.IsMergeKey(k) }

// isQuoted reports whether scalar n is written in single or double quotes.
func isQuoted(n *yaml.Node) bool { return yamlnode.IsQuoted(n) }

// keyText returns the text of a mapping key; ok is false for keys that are
// not scalars.
func keyText(k *yaml.Node) (string, bool) { return yamlnode.KeyText(k) }

// kindName names a node's kind for messages: mapping, list, string, number,
// boolean, null.
func kindName(n *yaml.Node) string { return yamlnode.KindName(n) }

// pairs returns the key/value nodes of mapping n with merge keys resolved
// (see yamlnode.Pairs).
func pairs(n *yaml.Node) []*yaml.Node { return yamlnode.Pairs(n) }

// numberText returns the JSON text of a YAML number, or ok=false when it
// has none (.inf, .nan).
func numberText(n *yaml.Node) (string, bool) { return yamlnode.NumberText(n) }

// ---------------------------------------------------------------------------
// Structural checks: nesting depth, duplicate keys, aliases, merge keys.

type shape struct {
	size, height int
	done         bool
}

// checker walks the logical tree once before conversion. It reports
// duplicate keys, nesting beyond MaxDepth, alias cycles, alias expansion
// beyond MaxAliasNodes and malformed merge keys as fatal diagnostics.
type checker struct {
	l        *loader
	memo     map[*yaml.Node]*shape
	expanded int
	stop     bool
}

func (l *loader) checkTree(root *yaml.Node) {
	c := &checker{l: l}
	c.walk(root, 1)
}

// walk returns the logical size (node count) and height (collection levels)
// of n. depth is the level n has if it is a collection.
func (c *checker) walk(n *yaml.Node, depth int) (size, height int) {
	if c.stop || n == nil {
		return 1, 0
	}
	if n.Kind == yaml.AliasNode {
		t := n.Alias
		if t == nil {
			c.l.fatal(n, "yaml-alias", fmt.Sprintf("unknown alias *%s", n.Value), "")
			return 1, 0
		}
		s := c.memo[t]
		if s == nil || !s.done {
			c.l.fatal(n, "yaml-alias", fmt.Sprintf("alias *%s refers to a node that contains it", n.Value), "")
			c.stop = true
			return 1, 0
		}
		c.expanded += s.size
		if c.expanded > MaxAliasNodes {
			c.l.fatal(n, "yaml-alias", fmt.Sprintf("aliases expand to more than %d nodes", MaxAliasNodes),
				"anchors and aliases this large are refused to prevent a \"billion laughs\" attack")
			c.stop = true
			return 1, 0
		}
		if depth-1+s.height > MaxDepth {
			c.l.fatal(n, "depth-limit", fmt.Sprintf("alias *%s nests deeper than %d levels", n.Value, MaxDepth), "")
			c.stop = true
		}
		return s.size, s.height
	}
	var s *shape
	if n.Anchor != "" {
		if c.memo == nil {
			c.memo = make(map[*yaml.Node]*shape)
		}
		s = &shape{}
		c.memo[n] = s
	}
	size = 1
	switch n.Kind {
	case yaml.DocumentNode:
		for _, ch := range n.Content {
			cs, ch := c.walk(ch, depth)
			size += cs
			height = max(height, ch)
		}
	case yaml.SequenceNode, yaml.MappingNode:
		if depth > MaxDepth {
			c.l.fatal(n, "depth-limit", fmt.Sprintf("the document nests deeper than %d levels", MaxDepth), "")
			c.stop = true
			return 1, 1
		}
		if n.Kind == yaml.MappingNode {
			c.checkKeys(n)
		}
		for _, ch := range n.Content {
			cs, chh := c.walk(ch, depth+1)
			size += cs
			height = max(height, chh)
		}
		height++
	}
	if s != nil {
		s.size, s.height, s.done = size, height, true
	}
	return size, height
}

// checkKeys reports duplicate keys (at the second one) and merge keys
// whose value is not a mapping or a list of mappings.
func (c *checker) checkKeys(n *yaml.Node) {
	ct := n.Content
	var seen map[string]*yaml.Node
	if len(ct) > 32 {
		seen = make(map[string]*yaml.Node, len(ct)/2)
	}
	for i := 0; i+1 < len(ct); i += 2 {
		k := ct[i]
		if isMergeKey(k) {
			c.checkMerge(ct[i+1])
			continue
		}
		t, ok := keyText(k)
		if !ok {
			continue
		}
		var first *yaml.Node
		if seen != nil {
			first = seen[t]
			if first == nil {
				seen[t] = k
			}
		} else {
			for j := 0; j < i; j += 2 {
				if isMergeKey(ct[j]) {
					continue
				}
				if u, ok := keyText(ct[j]); ok && u == t {
					first = ct[j]
					break
				}
			}
		}
		if first != nil {
			c.l.fatal(k, "duplicate-key", fmt.Sprintf("duplicate key `%s`: first defined on line %d", t, deref(first).Line), "")
		}
	}
}

func (c *checker) checkMerge(v *yaml.Node) {
	d := deref(v)
	switch d.Kind {
	case yaml.MappingNode:
		return
	case yaml.SequenceNode:
		for _, it := range d.Content {
			if deref(it).Kind != yaml.MappingNode {
				c.l.fatal(it, "merge-key", "a merge key (<<) list must contain only mappings, not a "+kindName(it), "")
			}
		}
		return
	}
	c.l.fatal(v, "merge-key", "a merge key (<<) needs a mapping or a list of mappings, not a "+kindName(v), "")
}

// ---------------------------------------------------------------------------
// Positions inside scalars.

// line returns the text of 1-based line n of the source, without its line
// break, or "" when out of range.
func (l *loader) line(n int) []byte {
	if l.lines == nil {
		l.lines = append(make([]int, 0, 1+len(l.src)/40), 0)
		for i, b := range l.src {
			if b == '\n' {
				l.lines = append(l.lines, i+1)
			}
		}
	}
	if n < 1 || n > len(l.lines) {
		return nil
	}
	start := l.lines[n-1]
	end := len(l.src)
	if n < len(l.lines) {
		end = l.lines[n] - 1
	}
	if end > start && l.src[end-1] == '\r' {
		end--
	}
	if end < start {
		return nil
	}
	return l.src[start:end]
}

// valueStart returns the position of the first character of scalar n's
// value, and whether offsets inside the value map exactly onto source
// columns: true for single-line plain scalars and single-line quoted
// scalars without escapes (SPEC.md §2.1).
func (l *loader) valueStart(n *yaml.Node) (Pos, bool) {
	p := l.at(n)
	if n.Kind != yaml.ScalarNode || n.Style&(yaml.TaggedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return p, false
	}
	ln := l.line(n.Line)
	// Scalars are mostly visited in document order: resume the column scan
	// from the previous one on the same line, so that long single-line
	// documents stay linear.
	off, c := 0, 1
	if l.colLine == n.Line && l.colCol <= n.Column {
		off, c = l.colOff, l.colCol
	}
	for ; c < n.Column; c++ {
		if off >= len(ln) {
			return p, false
		}
		_, w := utf8.DecodeRune(ln[off:])
		off += w
	}
	l.colLine, l.colCol, l.colOff = n.Line, c, off
	rest := ln[off:]
	v := n.Value
	var q byte
	switch {
	case n.Style&yaml.SingleQuotedStyle != 0:
		q = '\''
	case n.Style&yaml.DoubleQuotedStyle != 0:
		q = '"'
		if strings.IndexByte(v, '\\') >= 0 {
			return p, false
		}
	}
	if q == 0 {
		if len(rest) >= len(v) && string(rest[:len(v)]) == v {
			return p, true
		}
		return p, false
	}
	if strings.IndexByte(v, q) >= 0 || len(rest) < len(v)+2 || rest[0] != q || rest[len(v)+1] != q ||
		string(rest[1:len(v)+1]) != v {
		return p, false
	}
	p.Col++
	return p, true
}

// offsetPos returns the position of byte offset off inside scalar n's
// value: exact where SPEC.md §2.1 allows, else the scalar's own position.
func (l *loader) offsetPos(n *yaml.Node, off int) Pos {
	p, exact := l.valueStart(n)
	if !exact {
		return l.at(n)
	}
	if off > len(n.Value) {
		off = len(n.Value)
	}
	p.Col += utf8.RuneCountInString(n.Value[:off])
	return p
}

// ---------------------------------------------------------------------------
// Typed scalars.

// str reads a scalar as text, whatever its tag; null reads as "". A
// collection is an element error and reads as "".
func (l *loader) str(n *yaml.Node, field string) string {
	n = deref(n)
	if n == nil {
		return ""
	}
	if n.Kind != yaml.ScalarNode {
		l.elemError(n, "wrong-kind", fmt.Sprintf("`%s` must be a string, not a %s", field, kindName(n)), "")
		return ""
	}
	if tagOf(n) == tagNull && !isQuoted(n) {
		return ""
	}
	return n.Value
}

// optMapping returns the mapping of an optional field: nil when it is
// absent or null, and nil after an element error when it is not a mapping.
func (l *loader) optMapping(n *yaml.Node, field string) *yaml.Node {
	return l.optional(n, field, yaml.MappingNode, false)
}

// optional returns the value of an optional field of kind k: nil when it is
// absent or null, and nil after a wrong-kind diagnostic (fatal, else an
// element error) when it is of another kind.
func (l *loader) optional(n *yaml.Node, field string, k yaml.Kind, fatal bool) *yaml.Node {
	d := deref(n)
	if d == nil || isNull(d) {
		return nil
	}
	if d.Kind == k {
		return d
	}
	want := "a mapping"
	if k == yaml.SequenceNode {
		want = "a list"
	}
	msg := fmt.Sprintf("`%s` must be %s, not a %s", field, want, kindName(d))
	if fatal {
		l.fatal(n, "wrong-kind", msg, "")
	} else {
		l.elemError(n, "wrong-kind", msg, "")
	}
	return nil
}

// keyword reads a scalar as a keyword: text trimmed and lower-cased.
func (l *loader) keyword(n *yaml.Node, field string) string {
	return strings.ToLower(strings.TrimSpace(l.str(n, field)))
}

// boolean reads true/false in any case. A quoted one is accepted with a
// warning; anything else is an element error. ok is false when the value
// was not usable.
func (l *loader) boolean(n *yaml.Node, field string) (v, ok bool) {
	n = deref(n)
	if n == nil || isNull(n) {
		return false, false
	}
	if n.Kind == yaml.ScalarNode {
		switch {
		case strings.EqualFold(n.Value, "true"):
			v = true
		case strings.EqualFold(n.Value, "false"):
		default:
			l.elemError(n, "scalar-type", fmt.Sprintf("`%s` must be true or false, not %q", field, n.Value), "")
			return false, false
		}
		if isQuoted(n) || (n.Style&yaml.TaggedStyle != 0 && tagOf(n) == tagStr) {
			l.warn(n, "quoted-scalar", fmt.Sprintf("`%s` is the string %q; the boolean %s is used", field, n.Value, strconv.FormatBool(v)),
				"write it without quotes")
		}
		return v, true
	}
	l.elemError(n, "scalar-type", fmt.Sprintf("`%s` must be true or false, not a %s", field, kindName(n)), "")
	return false, false
}

// integer reads a decimal integer. A quoted one is accepted with a
// warning; anything else is an element error.
func (l *loader) integer(n *yaml.Node, field string) (int64, bool) {
	n = deref(n)
	if n == nil || isNull(n) {
		return 0, false
	}
	if n.Kind == yaml.ScalarNode {
		v, err := strconv.ParseInt(strings.TrimSpace(n.Value), 10, 64)
		if err != nil {
			if tagOf(n) == tagInt && !isQuoted(n) {
				v, err = strconv.ParseInt(n.Value, 0, 64)
			}
		}
		if err == nil {
			if isQuoted(n) {
				l.warn(n, "quoted-scalar", fmt.Sprintf("`%s` is the string %q; the number %d is used", field, n.Value, v),
					"write it without quotes")
			}
			return v, true
		}
		l.elemError(n, "scalar-type", fmt.Sprintf("`%s` must be an integer, not %q", field, n.Value), "")
		return 0, false
	}
	l.elemError(n, "scalar-type", fmt.Sprintf("`%s` must be an integer, not a %s", field, kindName(n)), "")
	return 0, false
}
