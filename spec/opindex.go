package spec

import "strings"

// OpIndex is naftiko's one index of consumed-operation references: each
// spelling op, namespace.op and namespace.resource.op of a callable
// operation (neither it nor its adapter shadowed) maps to the operations
// it matches, in declaration order. The loader resolves document `call`s
// with it and spec/program resolves caller references with it.
type OpIndex struct {
	c     *Capability
	byRef map[string][]OpRef
	// names are the spellings in first-seen order.
	names []string
	// ops are the callable operations in declaration order.
	ops []OpRef
}

// NewOpIndex indexes the consumed operations of c.
func NewOpIndex(c *Capability) *OpIndex {
	x := &OpIndex{c: c, byRef: map[string][]OpRef{}}
	for _, r := range c.Operations() {
		if r.Adapter.Shadowed || r.Op.Shadowed {
			continue
		}
		x.ops = append(x.ops, r)
		for _, s := range r.Spellings() {
			if len(x.byRef[s]) == 0 {
				x.names = append(x.names, s)
			}
			x.byRef[s] = append(x.byRef[s], r)
		}
	}
	return x
}

// Spellings returns op, namespace.op and namespace.resource.op.
func (r OpRef) Spellings() [3]string {
	ns, op := r.Adapter.Namespace, r.Op.Name
	return [3]string{op, ns + "." + op, ns + "." + r.Resource.Name + "." + op}
}

// FullRef returns namespace.resource.op.
func (r OpRef) FullRef() string { return r.Spellings()[2] }

// FullRefs returns the full references of rs, in order: the operations an
// ambiguous reference matches, as its messages list them.
func FullRefs(rs []OpRef) []string {
	full := make([]string, len(rs))
	for i, r := range rs {
		full[i] = r.FullRef()
	}
	return full
}

// Match returns the callable operations ref names, in declaration order:
// more than one when ref is ambiguous. The slice is the index's.
func (x *OpIndex) Match(ref string) []OpRef { return x.byRef[ref] }

// Ops returns the callable operations in declaration order. The slice is
// the index's.
func (x *OpIndex) Ops() []OpRef { return x.ops }

// Shortest returns the shortest spelling of r that names it alone, else
// its full reference.
func (x *OpIndex) Shortest(r OpRef) string {
	s := r.Spellings()
	for _, v := range s {
		if len(x.byRef[v]) == 1 {
			return v
		}
	}
	return s[2]
}

// Broken returns the first element error of the first unshadowed adapter
// that failed to load and whose namespace prefixes ref: what explains why
// ref cannot be resolved.
func (x *OpIndex) Broken(ref string) (Diagnostic, bool) {
	for _, a := range x.c.Consumes {
		if len(a.Errors) > 0 && !a.Shadowed && strings.HasPrefix(ref, a.Namespace+".") {
			return a.Errors[0], true
		}
	}
	return Diagnostic{}, false
}

// Suggest returns the spelling closest to a reference that names nothing
// (vocab's did-you-mean over every spelling; failing that, over the last
// segment, kept qualified when ref's prefix then names an operation), or "".
func (x *OpIndex) Suggest(ref string) string {
	if s := suggest(ref, x.names); s != "" {
		return s
	}
	i := strings.LastIndexByte(ref, '.')
	if i <= 0 {
		return ""
	}
	s := suggest(ref[i+1:], x.names)
	if s == "" {
		return ""
	}
	if full := ref[:i] + "." + s; len(x.byRef[full]) > 0 {
		return full
	}
	return s
}
