package spec

// Rule describes a diagnostic rule id.
type Rule struct {
	// ID is the stable identifier printed as [id].
	ID string
	// Summary says in one line what the rule reports.
	Summary string
}

// Rules lists every rule id the loader emits, for documentation. Fatal
// rules stop loading; the others are warnings, infos or element errors.
var Rules = []Rule{
	// Fatal: the document cannot be modelled.
	{"read-error", "the file cannot be read"},
	{"size-limit", "the file is larger than 32 MiB"},
	{"yaml-syntax", "the YAML is malformed"},
	{"duplicate-key", "a mapping repeats a key (reported at the second; names the line of the first)"},
	{"yaml-alias", "an alias is unknown, refers to a node containing it, or aliases expand to more than 100,000 nodes"},
	{"merge-key", "a merge key (<<) is not given a mapping or a list of mappings"},
	{"depth-limit", "mappings and lists nest deeper than 256 levels"},
	{"not-naftiko", "the document is empty, its root is not a mapping, or it has no naftiko/ikanos version key"},
	{"version-key", "both naftiko and ikanos version keys, or a version that is not a scalar"},
	{"wrong-kind", "a structure (or, as an element error, a scalar field) has the wrong YAML kind"},

	// Warnings, infos and element errors.
	{"multi-document", "the file holds several YAML documents; only the first is read"},
	{"unknown-version", "the version value is unknown; the latest known rules apply"},
	{"unknown-field", "a field the object does not define (with a did-you-mean hint)"},
	{"dialect", "a real-world spelling was recognised and normalised (SPEC.md §2.4)"},
	{"ignored-field", "an alpha1 or hand-written construct that naftiko ignores (servers, tools, workflow, …)"},
	{"unsupported-feature", "an ikanos feature naftiko does not implement (tunnel, ttlMs, mcp consumes, binds imports)"},
	{"required-field", "a field the element needs is missing or empty"},
	{"scalar-type", "a number or boolean field holds something else (element error)"},
	{"quoted-scalar", "a quoted number or boolean where a number or boolean is expected"},
	{"name-mismatch", "an entry of a map-keyed list has a name that differs from its key (element error)"},
	{"consumes-skipped", "a consumes entry that is not an http adapter is skipped"},
	{"namespace-unique", "a consumes namespace repeats an earlier one; the first wins"},
	{"import-not-found", "an imported file or namespace does not exist (calls into it fail)"},
	{"import-failed", "an imported file cannot be loaded"},
	{"import-invalid", "an import entry has no usable location or namespace"},
	{"import-transitive", "an imported file imports again; only one level is followed"},
	{"baseuri-empty", "a consumes adapter has no baseUri; calls need --base-uri"},
	{"baseuri-trailing-slash", "a baseUri ends with / (removed)"},
	{"baseuri-not-absolute", "a baseUri is not an absolute http or https URL"},
	{"baseuri-example", "a baseUri points at example.com"},
	{"consumed-path-query", "a consumed path contains a query string (kept)"},
	{"method-unknown", "a method outside GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS"},
	{"method-invalid", "a method that is not an HTTP method name: letters and hyphens (element error)"},
	{"encoding", "a UTF-16 or UTF-32 file (byte-order mark): naftiko reads UTF-8 (fatal)"},
	{"operation-name-missing", "an operation has neither name nor id; it is named <method>-<resource>"},
	{"duplicate-operation-name", "two operations share a name in one namespace"},
	{"param-name-empty", "an input parameter without a name is dropped"},
	{"param-in-missing", "an input parameter has no `in`; path or query is chosen"},
	{"param-in-unknown", "an input parameter's `in` is not a known location"},
	{"output-jsonpath-invalid", "an output JSONPath does not parse (element error)"},
	{"output-unnamed", "one of several outputs has no name; it is named outputN"},
	{"output-format-unsupported", "an outputRawFormat naftiko cannot decode"},
	{"body-type-unknown", "a body type naftiko does not know"},
	{"template-section", "a template uses a Mustache section or partial (element error)"},
	{"template-unclosed", "a {{ without }} is kept as literal text"},
	{"auth-unsupported", "an authentication type or placement naftiko cannot perform"},
	{"auth-duplicate", "both auth and authentication are given (element error)"},
	{"expose-unsupported", "an exposes adapter of a type naftiko cannot serve is skipped"},
	{"port-invalid", "an exposes port outside 1–65535 (adapter error)"},
	{"mcp-stdio-port", "a port on a stdio MCP adapter (ignored)"},
	{"mcp-stdio-auth", "authentication on a stdio MCP adapter (ignored)"},
	{"skill-tool-invalid", "a skill tool with both or neither of `from` and `instruction`, an `instruction` without the skill's `location`, or a `from` naming no rest or mcp adapter (adapter error)"},

	// Exposes, steps and aggregates (serve).
	{"call-unresolved", "a call, ref, step call or forward target names nothing (element error, with a did-you-mean hint)"},
	{"call-ambiguous", "a call in the document matches several operations; the first declaration is called"},
	{"steps-and-call", "an element declares both steps and call, or ref with either (element error)"},
	{"step-invalid", "a step of an unknown type, or a lookup whose index names no earlier step (element error)"},
	{"pattern-invalid", "an exposed input's pattern is not a valid regular expression (element error)"},
	{"duplicate-function", "two functions of one aggregate share a name (element error)"},
	{"duplicate-tool", "two tools of one MCP adapter share a name; the later is not served (element error)"},
	{"mcp-tool-name-length", "a tool name longer than 64 characters (many MCP clients reject it)"},
}
