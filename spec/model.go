package spec

import (
	"regexp"

	"go.yaml.in/yaml/v3"
)

// Capability is a loaded document in naftiko's one internal model
// (SPEC.md §1.3): every accepted spelling is normalised while loading, and
// every element keeps the position it was written at.
type Capability struct {
	// File is the name the document was loaded under.
	File string
	// Dir is the directory relative locations resolve against.
	Dir string
	// Root is "naftiko" or "ikanos"; Version its value as written.
	Root    string
	Version string

	Info Info
	// Description is capability.description, kept as documentation.
	Description string
	Binds       []*Bind
	Consumes    []*Adapter
	Exposes     []*Expose
	Aggregates  []*Aggregate

	// Diagnostics holds every warning, info and element error of the load,
	// sorted by position.
	Diagnostics []Diagnostic
}

// Info describes the capability.
type Info struct {
	// Label is info.label, else info.title, else info.name, else the file's
	// base name.
	Label       string
	Description string
	Pos         Pos
}

// Bind declares variables bound to a value source (SPEC.md §4).
type Bind struct {
	Namespace   string
	Description string
	// Location is empty for the process environment, else a URI such as
	// file://./secrets.env or vault://….
	Location string
	Keys     []BindKey
	Pos      Pos
}

// BindKey maps a variable name (used in templates) to a provider key.
type BindKey struct {
	Var string
	Key string
	Pos Pos
}

// Adapter is one consumes entry: an upstream HTTP API.
type Adapter struct {
	Type        string // always "http" once loaded
	Namespace   string
	Description string
	// BaseURI is the baseUri template (URL mode); nil when empty.
	BaseURI *Template
	// Headers are adapter-level request headers, in order.
	Headers []*Header
	// Auth is the adapter's authentication, or nil.
	Auth            *Auth
	InputParameters []*Param
	Resources       []*Resource
	// MaxResponseSize overrides the response-size cap (ikanos maxBinarySize);
	// 0 means the engine's default.
	MaxResponseSize int64
	// Shadowed is set when an earlier adapter has the same namespace: it is
	// never a call candidate (SPEC.md §2.4 #41).
	Shadowed bool
	// ImportedFrom is the location of the file the adapter was imported from.
	ImportedFrom string
	// Errors are element errors raised when any operation of the adapter is
	// called (an import that was not found, both auth and authentication).
	Errors []Diagnostic
	Pos    Pos
}

// Resource groups operations under a path.
type Resource struct {
	Name string
	// Label is the resource's label (ikanos display), documentation only.
	Label       string
	Description string
	// Path is the resource path as written (a leading / added).
	Path            string
	PathTmpl        *Template
	Headers         []*Header
	InputParameters []*Param
	Operations      []*Operation
	Pos             Pos
}

// Operation is one HTTP method on a resource: what `naftiko run` calls.
type Operation struct {
	Name string
	// Label is the operation's label (ikanos display), documentation only.
	Label       string
	Description string
	// Method is upper-cased; GET when absent.
	Method string
	// Path is the operation-level path, appended to the resource's.
	Path     string
	PathTmpl *Template
	Headers  []*Header

	InputParameters  []*Param
	OutputParameters []*Output
	// OutputRawFormat is lower-cased; "json" when absent.
	OutputRawFormat string
	OutputSchema    string
	Body            *Body
	// Auth overrides the adapter's authentication when set.
	Auth            *Auth
	MaxResponseSize int64
	// Shadowed is set on the second operation of one name in a resource.
	Shadowed bool
	// Errors are element errors raised when the operation is called.
	Errors []Diagnostic
	Pos    Pos
}

// Header is a named header whose value is a template.
type Header struct {
	Name  string
	Value *Template
	Pos   Pos
}

// Param is a consumed input parameter.
type Param struct {
	Name string
	// In is path, query, header, cookie, body or environment.
	In          string
	Type        string // string, integer, number, boolean, array, object; "" = string
	Description string
	Required    bool
	// Value makes the parameter computed rather than caller-supplied.
	Value   *Data
	Default *Data
	Pos     Pos
	// Implicit marks parameters synthesised from undeclared placeholders.
	Implicit bool
}

// Output is an output parameter: a JSONPath projection of the response.
type Output struct {
	Name string
	Type string
	// Path is the compiled `value` (consumes) or `mapping` (exposes)
	// JSONPath; nil when it did not compile (see the operation's Errors).
	Path *Path
	// Const is a constant value (exposes), or nil.
	Const *Data
	// Template is a static value or template (exposes `value`), or nil.
	Template   *Template
	Properties []*Output
	Items      *Output
	MaxLength  int
	Pos        Pos
}

// Body is an operation's request body (`body:`).
type Body struct {
	// Type is "" for a raw string body, else json, text, xml, sparql,
	// formUrlEncoded, multipartForm or binary (dialect names normalised).
	Type string
	// Data is the body data; nil when absent.
	Data *Data
	Pos  Pos
}

// Auth is an authentication block, normalised (SPEC.md §7, §2.4 #13–19).
type Auth struct {
	// Type is lower-cased: bearer, apikey, basic, digest, oauth2,
	// aws-sig-v4, or an unsupported name.
	Type string
	// Token is the bearer token.
	Token *Template
	// Username and Password are for basic and digest.
	Username *Template
	Password *Template
	// Placement is "header" or "query" for apikey credentials.
	Placement string
	// Credentials are the apikey/header/query pairs, in order.
	Credentials []Credential
	// Fields holds every other templated field by name (oauth2 clientId,
	// clientSecret, tokenEndpoint, audience, resource; aws-sig-v4
	// accessKeyId, secretAccessKey, sessionToken, region, service).
	Fields map[string]*Template
	Scopes []string
	Pos    Pos
}

// Credential is one apikey-style name/value pair.
type Credential struct {
	// Placement is "header" or "query".
	Placement string
	Key       string
	Value     *Template
}

// Expose is an exposes adapter (rest, mcp, skill, control). Serving reads
// its raw node; the common fields are decoded here.
type Expose struct {
	Type        string
	Namespace   string
	Description string
	Address     string
	Port        int
	Transport   string
	Auth        *Auth
	Node        *yaml.Node
	// Errors are adapter errors (an invalid port): the adapter is not
	// served.
	Errors []Diagnostic
	Pos    Pos

	// Label is the adapter's label (ikanos display), documentation only.
	Label string
	// InputParameters are REST adapter-level inputs, inherited by every
	// resource and operation.
	InputParameters []*ExposedParam
	// Resources are the routes of a REST adapter (type rest).
	Resources []*RestResource
	// Tools, MCPResources and Prompts are what an MCP adapter (type mcp)
	// declares.
	Tools        []*Tool
	MCPResources []*MCPResource
	Prompts      []*Prompt
	// Skills are the catalogue of a skill adapter (type skill).
	Skills []*Skill
	// Management configures a control adapter (type control); nil when
	// absent.
	Management *Management
	// Observability holds a control adapter's tracing settings; nil when
	// absent.
	Observability *Observability
}

// OverHTTP reports whether the adapter is served over HTTP on a port of
// its own: every adapter but an MCP adapter on stdio.
func (x *Expose) OverHTTP() bool { return x.Type != "mcp" || x.Transport != "stdio" }

// Aggregate is a named group of reusable functions (alpha2 and later).
type Aggregate struct {
	Label     string
	Namespace string
	Node      *yaml.Node
	Pos       Pos

	// Description documents the aggregate.
	Description string
	// Functions are the aggregate's functions (ikanos flows), in order.
	Functions []*Function
}

// ExposedParam is an input of an exposed element: a REST adapter,
// resource or operation, an MCP tool, an aggregate function (SPEC.md
// §11.2, §11.3).
type ExposedParam struct {
	Name string
	// In is path, query, header, cookie or body for REST inputs; "" for
	// MCP tool and function inputs, and for REST inputs before serving
	// decides (SPEC.md §2.4 #36).
	In          string
	Label       string
	Description string
	// Type is lower-cased: string, integer, number, boolean, array or
	// object; "" means string.
	Type string
	// Required is the `required` value; RequiredSet tells whether it was
	// written (MCP tool inputs default to required, REST inputs to
	// optional, path inputs are always required).
	Required    bool
	RequiredSet bool
	// Pattern is a regular expression string inputs must match (compiled:
	// PatternRe; nil when absent or invalid, an element error).
	Pattern   string
	PatternRe *regexp.Regexp
	// Value is a static value, which wins over the request; nil when absent.
	Value *Data
	// Path is a JSONPath into the JSON request body (a `value` starting
	// with `$`, or `mapping`); nil when absent.
	Path *Path
	Pos  Pos
}

// WithValue is one entry of a `with` map: the target parameter Name and
// the Value to give it. String leaves of Value are templates; serving
// reads the forms tools.x, rest.x, NAMESPACE.x, $this.X.Y, env.VAR and
// literals (SPEC.md §11.2).
type WithValue struct {
	Name  string
	Value *Data
	Pos   Pos
}

// Behavior is what an exposed element does when it is used: one consumed
// call, an orchestration of steps, a reference to an aggregate function,
// or (none of them, with static outputs) a mock (SPEC.md §11.2, §12).
type Behavior struct {
	// Call is the `call` reference as written; Target the consumed
	// operation it resolves to (nil when absent or unresolved). A call that
	// names an aggregate function resolves to CallFunction instead.
	Call         string
	CallPos      Pos
	Target       *OpRef
	CallFunction *Function
	With         []*WithValue
	// Steps and Mappings describe an orchestration (SPEC.md §12).
	Steps    []*Step
	Mappings []*Mapping
	// Ref names an aggregate function (namespace.function); Function is
	// the function it resolves to.
	Ref      string
	RefPos   Pos
	Function *Function
	// OutputParameters shape the result (SPEC.md §9.3).
	OutputParameters []*Output
	// Errors are element errors: the element can never run, and serving
	// leaves it out (SPEC.md §2.2).
	Errors []Diagnostic
}

// Mode returns how the behaviour runs: "ref", "call", "steps", "mock", or
// "" when it has nothing to run.
func (b *Behavior) Mode() string {
	switch {
	case b.Ref != "":
		return "ref"
	case b.Call != "":
		return "call"
	case len(b.Steps) > 0:
		return "steps"
	}
	for _, o := range b.OutputParameters {
		if o.Template != nil || o.Const != nil {
			return "mock"
		}
	}
	return ""
}

// Step is one step of an orchestration (SPEC.md §12.1).
type Step struct {
	// Type is lower-cased: call, lookup, script, or what was written.
	Type string
	Name string
	// Call, CallPos, Target and With describe a call step.
	Call    string
	CallPos Pos
	Target  *OpRef
	With    []*WithValue
	// Index, Match, LookupValue and Fields describe a lookup step.
	// LookupPath is set when lookupValue is a $.step reference or a $this
	// form (LookupThis); otherwise LookupTmpl holds the template.
	Index      string
	Match      string
	LookupPath *Path
	LookupThis string
	LookupTmpl *Template
	Fields     []string
	Pos        Pos
}

// Mapping is one entry of an orchestration's `mappings` (SPEC.md §12.3):
// TargetName (dots create nested objects) receives the value that Value
// refers to: a JSONPath over the step context (Path) or a $this form
// (This, without the "$this." prefix).
type Mapping struct {
	TargetName string
	Value      string
	Path       *Path
	This       string
	Pos        Pos
}

// Hints are MCP tool annotations; nil means unset.
type Hints struct {
	ReadOnly    *bool
	Destructive *bool
	Idempotent  *bool
	OpenWorld   *bool
}

// Semantics are the behavioural flags of an aggregate function (SPEC.md
// §12.5); nil means unset.
type Semantics struct {
	Safe       *bool
	Idempotent *bool
	Cacheable  *bool
}

// RestResource is one route of a REST adapter.
type RestResource struct {
	Name        string
	Label       string
	Description string
	// Path is the route as written ({x} or {{x}} placeholders), with a
	// leading / added.
	Path            string
	InputParameters []*ExposedParam
	Operations      []*RestOperation
	// Forward, when set, passes requests through to a consumes adapter.
	Forward *Forward
	Pos     Pos
}

// RestOperation is one method of a REST route.
type RestOperation struct {
	Name        string
	Label       string
	Description string
	// Method is upper-cased; GET when absent.
	Method string
	// Path is an operation-level path appended to the resource's (rare).
	Path            string
	InputParameters []*ExposedParam
	Behavior
	Pos Pos
}

// Forward passes requests of a REST route through to a consumes adapter
// (SPEC.md §11.2).
type Forward struct {
	TargetNamespace string
	// Target is the consumes adapter named by TargetNamespace; nil when
	// unresolved (an element error of the resource's Errors).
	Target         *Adapter
	TrustedHeaders []string
	Errors         []Diagnostic
	Pos            Pos
}

// Tool is an MCP tool (SPEC.md §11.3).
type Tool struct {
	Name        string
	Label       string
	Description string
	// InputParameters are the declared arguments; `with` references add
	// implicit ones when serving.
	InputParameters []*ExposedParam
	Hints           Hints
	Behavior
	Pos Pos
}

// MCPResource is an MCP resource: static (Location, a file:// directory)
// or dynamic (a behaviour).
type MCPResource struct {
	Name        string
	Label       string
	Description string
	// URI is the resource URI: a prefix for static resources, exact or
	// with {param} placeholders for dynamic ones.
	URI      string
	MIMEType string
	Location string
	Behavior
	Pos Pos
}

// Prompt is an MCP prompt: inline template messages or a Location file.
type Prompt struct {
	Name        string
	Label       string
	Description string
	Arguments   []*PromptArgument
	Messages    []*PromptMessage
	Location    string
	Errors      []Diagnostic
	Pos         Pos
}

// PromptArgument is an argument of an MCP prompt.
type PromptArgument struct {
	Name        string
	Label       string
	Description string
	Required    bool
	Pos         Pos
}

// PromptMessage is one message of an inline prompt template.
type PromptMessage struct {
	// Role is user or assistant.
	Role    string
	Content string
	Pos     Pos
}

// Observability is a control adapter's `observability` section: the
// tracing settings of SPEC.md §13.1. The OTEL_* environment variables win
// over it.
type Observability struct {
	// Disabled is `enabled: false`: no traces whatever the environment.
	Disabled bool
	// Sampling is traces.sampling, the share of traces kept (0 to 1); nil
	// when absent.
	Sampling *float64
	// Propagation is traces.propagation: w3c (default) or b3.
	Propagation string
	// Endpoint is exporters.otlp.endpoint, the collector's URL.
	Endpoint string
	Pos      Pos
}

// Management configures the control adapter's optional endpoints.
type Management struct {
	// Info enables GET /status.
	Info bool
	Pos  Pos
}

// Function is an aggregate function (SPEC.md §12.4), reached through
// `ref: aggregate-namespace.function`.
type Function struct {
	Name        string
	Label       string
	Description string
	Semantics   Semantics
	// InputParameters are the function's declared inputs.
	InputParameters []*ExposedParam
	Behavior
	// Aggregate is the aggregate the function belongs to.
	Aggregate *Aggregate
	Pos       Pos
}

// DataKind is the kind of a Data node.
type DataKind int

// Data kinds.
const (
	DataNull DataKind = iota
	DataString
	DataNumber
	DataBool
	DataMap
	DataList
)

// Data is structured YAML data whose string leaves are templates: a body's
// data, a parameter value, a constant.
type Data struct {
	Kind DataKind
	// Text is a scalar's source text (numbers, booleans, strings).
	Text string
	// Tmpl is a string leaf's template; nil where templates do not apply
	// (a parameter's default).
	Tmpl *Template
	// Keys and Vals are a map's entries, in document order.
	Keys []string
	Vals []*Data
	// Items are a list's elements.
	Items []*Data
	Pos   Pos
}

// Operations returns every operation with its adapter and resource, in
// declaration order.
func (c *Capability) Operations() []OpRef {
	var out []OpRef
	for _, a := range c.Consumes {
		for _, r := range a.Resources {
			for _, o := range r.Operations {
				out = append(out, OpRef{Adapter: a, Resource: r, Op: o})
			}
		}
	}
	return out
}

// OpRef locates an operation in its adapter and resource.
type OpRef struct {
	Adapter  *Adapter
	Resource *Resource
	Op       *Operation
}

// FullPath returns the resource path joined with the operation path, as
// written (unrendered).
func (r OpRef) FullPath() string {
	return JoinPath(r.Resource.Path, r.Op.Path)
}

// URLUses reports whether the adapter's baseUri, the resource path or the
// operation path has a placeholder named name: whether an `in: path` value
// of that name reaches the request.
func (r OpRef) URLUses(name string) bool {
	var ts []*Template
	if r.Adapter != nil {
		ts = append(ts, r.Adapter.BaseURI)
	}
	if r.Resource != nil {
		ts = append(ts, r.Resource.PathTmpl)
	}
	if r.Op != nil {
		ts = append(ts, r.Op.PathTmpl)
	}
	return hasPlaceholder(name, ts)
}

// JoinPath joins URL path parts with exactly one "/" at each join. A
// resource path of "/" followed by a non-empty part contributes nothing; a
// trailing "/" written in the last non-empty part is kept.
func JoinPath(parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out == "" || out == "/" {
			if p[0] != '/' {
				p = "/" + p
			}
			out = p
			continue
		}
		for len(out) > 0 && out[len(out)-1] == '/' {
			out = out[:len(out)-1]
		}
		for len(p) > 0 && p[0] == '/' {
			p = p[1:]
		}
		if p == "" {
			out += "/"
			continue
		}
		out += "/" + p
	}
	return out
}
