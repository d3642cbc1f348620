package program

import (
	"strings"

	"github.com/naftiko/naftiko/spec"
)

// Names knows which names a capability binds and which prefixes name
// inputs, and classifies template placeholders accordingly (SPEC.md §5.2).
type Names struct {
	vars     map[string]bool
	bindNS   map[string]bool
	prefixes map[string]bool
}

func newNames(c *spec.Capability) *Names {
	n := &Names{vars: map[string]bool{}, bindNS: map[string]bool{}, prefixes: map[string]bool{"tools": true, "rest": true}}
	for _, b := range c.Binds {
		if b == nil {
			continue
		}
		n.bindNS[b.Namespace] = true
		for _, k := range b.Keys {
			n.vars[k.Var] = true
		}
	}
	for _, x := range c.Exposes {
		if x.Namespace != "" {
			n.prefixes[x.Namespace] = true
		}
	}
	return n
}

// Bound reports whether a bind declares the variable.
func (n *Names) Bound(name string) bool { return n.vars[name] }

// BindNamespace reports whether ns is env or a bind's namespace: ns.VAR
// then names a bound variable.
func (n *Names) BindNamespace(ns string) bool { return ns == "env" || n.bindNS[ns] }

// InputPrefix reports whether pre.x names the input x: tools, rest, an
// exposes namespace, or own (the namespace of the element or adapter the
// template belongs to).
func (n *Names) InputPrefix(pre, own string) bool {
	return n.prefixes[pre] || (pre == own && own != "")
}

// ElementPrefix reports whether pre.x names the input x of an exposed
// element of the adapter own (SPEC.md §11.2): tools, rest or own. Unlike
// InputPrefix, another adapter's namespace is not an input prefix there.
func (n *Names) ElementPrefix(pre, own string) bool {
	return pre == "tools" || pre == "rest" || (pre == own && own != "")
}

// Kind is what a placeholder name designates.
type Kind int

// The kinds of placeholder names.
const (
	// Input is a caller input named as is.
	KindInput Kind = iota
	// PrefixedInput is tools.x, rest.x or NAMESPACE.x: the input x.
	KindPrefixedInput
	// NSVar is env.VAR or BINDNS.VAR: a namespaced bound variable.
	KindNSVar
	// Var is a bound variable named as is.
	KindVar
)

// Ref is a classified placeholder name.
type Ref struct {
	Kind Kind
	// Prefix is the part before the first dot (PrefixedInput, NSVar).
	Prefix string
	// Name is the input or variable name (after the prefix).
	Name string
}

// Classify splits a placeholder name by the rules of SPEC.md §5.2, own
// being the namespace whose prefix also names inputs. A name matching no
// rule is an Input (an implicit one when nothing declares it).
func (n *Names) Classify(name, own string) Ref {
	if pre, rest, ok := strings.Cut(name, "."); ok && pre != "" {
		if n.InputPrefix(pre, own) {
			return Ref{Kind: KindPrefixedInput, Prefix: pre, Name: rest}
		}
		if n.BindNamespace(pre) {
			return Ref{Kind: KindNSVar, Prefix: pre, Name: rest}
		}
	}
	if n.vars[name] {
		return Ref{Kind: KindVar, Name: name}
	}
	return Ref{Kind: KindInput, Name: name}
}
