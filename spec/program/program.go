package program

import (
	"net/url"
	"strings"
	"sync"

	"github.com/naftiko/naftiko/spec"
)

// Program is a compiled capability: immutable once Compile returns, and
// safe for concurrent use.
type Program struct {
	// Cap is the capability the program was compiled from.
	Cap *spec.Capability
	// Names classifies template placeholders for this capability.
	Names *Names
	// All holds every consumed operation in declaration order, shadowed
	// ones included (they are never resolved).
	All []*Op
	// index is the one index of operation references (spec.OpIndex).
	index *spec.OpIndex
	// ops are the callable operations in declaration order.
	ops []*Op
	// bySource maps a document location to its operation.
	bySource map[spec.OpRef]*Op
	// forwards holds each consumed namespace's forward operation.
	forwards map[string]*Op
	// exposed are the exposed elements in document order, listed by the
	// first Element or Lint; byBehavior finds one by its behaviour. The
	// first Element compiles them all, once (lint reads only the list;
	// naftiko run needs neither).
	listOnce    sync.Once
	compileOnce sync.Once
	exposed     []*exposed
	byBehavior  map[*spec.Behavior]*exposed
}

// Op is one consumed operation, resolved.
type Op struct {
	// Ref is the shortest unambiguous reference: op, namespace.op or
	// namespace.resource.op.
	Ref       string
	Namespace string
	Resource  string
	Name      string
	Method    string
	// Path is the resource path joined with the operation path, unrendered.
	Path        string
	Description string
	// Inputs are the caller-visible inputs in declaration order.
	Inputs []Input
	// Source locates the operation in the loaded document.
	Source spec.OpRef

	// FullRef is namespace.resource.op.
	FullRef string
	// Auth is the operation's authentication (its own, else its adapter's).
	Auth *spec.Auth
	// Params in declaration order (adapter → resource → operation, a
	// redeclared parameter keeping the earlier position), then implicit
	// ones.
	Params []*Param
	// InputNames lists the caller-visible parameter names in order.
	InputNames []string
	// Headers are the merged headers (a later level replaces by name).
	Headers []*spec.Header
	// Errs are the adapter's and the operation's element errors.
	Errs []spec.Diagnostic
	// Accept is the Accept header of the outputRawFormat (FormatAccept).
	Accept string
	// HasAuthHeader is set when a declared header is Authorization.
	HasAuthHeader bool
	// Base is the parsed base URL when the baseUri has no placeholder and
	// is an absolute http(s) URL; nil otherwise.
	Base *url.URL
	// Body is the operation's body, or nil.
	Body *spec.Body
	// Multipart names the inputs that become parts of a multipart body
	// built from in: body inputs (--param NAME=@path streams them).
	Multipart map[string]bool
	// CallerBody is the body type of an operation that declares a body
	// with neither data nor in: body inputs, so the caller must supply it
	// (--body, WithRawBody); "" otherwise.
	CallerBody string

	inputs map[string][]*Param
	shadow bool
}

// Param is one merged parameter of an operation.
type Param struct {
	Name string
	// In is path, query, header, cookie, body, environment, or "" for a
	// template input.
	In          string
	Type        string
	Description string
	Required    bool
	// Value is set for computed parameters.
	Value    *spec.Data
	Implicit bool
	// Omittable is true for an implicit input every use of which is a
	// whole value that is left out when absent.
	Omittable bool
}

// Visible reports whether the caller supplies the parameter.
func (p *Param) Visible() bool { return p.Value == nil && p.In != "environment" }

// Input is one caller-visible input of an operation.
type Input struct {
	Name        string
	In          string
	Type        string
	Description string
	Required    bool
	// Unsent is set on an `in: path` input that no placeholder of the
	// operation's base URI or paths takes: a value given for it is not
	// sent.
	Unsent bool
}

// InputParams returns the merged parameters a caller input of that name
// feeds (several when one name is declared in several locations).
func (o *Op) InputParams(name string) ([]*Param, bool) {
	ps, ok := o.inputs[name]
	return ps, ok
}

// Spellings returns op, namespace.op and namespace.resource.op.
func (o *Op) Spellings() [3]string { return o.Source.Spellings() }

// Shadowed reports whether the operation or its adapter is shadowed by an
// earlier declaration of the same name: it is never resolved.
func (o *Op) Shadowed() bool { return o.shadow }

// Compile builds the program of c. It never fails: what cannot be resolved
// is kept as element errors, reported when the element is called or
// served.
func Compile(c *spec.Capability) *Program {
	p := &Program{Cap: c, Names: newNames(c), index: spec.NewOpIndex(c), bySource: map[spec.OpRef]*Op{}}
	for _, r := range c.Operations() {
		op := p.compileOp(r)
		p.All = append(p.All, op)
		p.bySource[r] = op
	}
	for _, r := range p.index.Ops() {
		op := p.bySource[r]
		op.Ref = p.index.Shortest(r)
		p.ops = append(p.ops, op)
	}
	p.compileForwards(c)
	return p
}

// Operations lists every callable operation in declaration order. The
// slice is the program's: do not modify it.
func (p *Program) Operations() []*Op { return p.ops }

// Lookup returns the operation a spec.OpRef designates, or nil.
func (p *Program) Lookup(r *spec.OpRef) *Op {
	if r == nil {
		return nil
	}
	return p.bySource[*r]
}

// Resolve finds the operation a reference names: op, namespace.op or
// namespace.resource.op. Unknown and ambiguous references are usage
// errors with suggestions; a reference into an adapter that failed to
// load is that adapter's spec error.
func (p *Program) Resolve(ref string) (*Op, error) {
	cands := p.index.Match(ref)
	switch len(cands) {
	case 1:
		return p.bySource[cands[0]], nil
	case 0:
		if d, ok := p.index.Broken(ref); ok {
			return nil, &spec.Error{Kind: spec.KindSpec, Ref: ref, Pos: d.Pos, Msg: d.Message, Hint: d.Hint}
		}
		msg := "unknown operation `" + ref + "`"
		if len(p.ops) == 0 {
			return nil, &spec.Error{Kind: spec.KindUsage, Ref: ref, Msg: msg + ": the capability consumes no operation"}
		}
		all := make([]string, 0, len(p.ops))
		for _, o := range p.ops {
			all = append(all, o.Ref)
		}
		return nil, &spec.Error{Kind: spec.KindUsage, Ref: ref, Msg: msg + DidYouMean(Suggest(ref, all, 3)),
			Hint: "naftiko ops FILE lists the operations"}
	default:
		return nil, &spec.Error{Kind: spec.KindUsage, Ref: ref,
			Msg:  "ambiguous: `" + ref + "` matches " + strings.Join(spec.FullRefs(cands), ", "),
			Hint: "name one of them in full"}
	}
}

// ParseBase parses an absolute http or https URL; nil when it is not one.
func ParseBase(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil
	}
	return u
}

// ParamsOf returns the merged parameters the caller input name feeds; nil
// when the operation has no such input.
func (o *Op) ParamsOf(name string) []*Param { return o.inputs[name] }
