package spec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/naftiko/naftiko/spec/internal/vocab"
)

// The accepted versions per root key are vocab.NaftikoVersions and
// vocab.IkanosVersions (SPEC.md §1.2).

// LoadFile reads the capability document at path and loads it with Parse.
// Files larger than MaxFileSize are refused.
func LoadFile(path string) (*Capability, error) {
	data, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(data, path)
}

// ReadFile reads the capability document at path the way LoadFile does:
// files larger than MaxFileSize are refused. When the file cannot be read,
// the error is a KindSpec *Error holding one fatal diagnostic at path:1:1,
// of rule read-error or size-limit.
func ReadFile(path string) ([]byte, error) {
	data, err := readFile(path)
	if err != nil {
		d := Diagnostic{Pos: Pos{File: path, Line: 1, Col: 1}, Severity: SeverityFatal, Rule: "read-error", Message: err.Error()}
		if errors.Is(err, errTooLarge) {
			d.Rule = "size-limit"
		}
		return nil, &Error{Kind: KindSpec, Msg: d.Message, Pos: d.Pos, Diagnostics: []Diagnostic{d}, Err: err}
	}
	return data, nil
}

var errTooLarge = fmt.Errorf("file is larger than the %d MiB limit", MaxFileSize>>20)

// utfBOM names the encoding of a UTF-16 or UTF-32 byte-order mark at the
// start of data; "" when there is none (a UTF-8 BOM is accepted).
func utfBOM(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE, 0, 0}):
		return "UTF-32LE (little-endian)"
	case bytes.HasPrefix(data, []byte{0, 0, 0xFE, 0xFF}):
		return "UTF-32BE (big-endian)"
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return "UTF-16LE (little-endian)"
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return "UTF-16BE (big-endian)"
	}
	return ""
}

// readFile reads at most MaxFileSize bytes of path. Only regular files
// are read: opening a named pipe with no writer would block forever, so
// pipes, devices, sockets and directories are refused (a document from a
// pipe is read from standard input, "-").
func readFile(path string) ([]byte, error) {
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return nil, fmt.Errorf("cannot read %s: it is %s, not a regular file (to read a document from a pipe, pass - and redirect it to standard input)", path, FileKind(st.Mode()))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, unwrapPathError(err))
	}
	defer f.Close()
	var buf bytes.Buffer
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		if st.Size() > MaxFileSize {
			return nil, fmt.Errorf("%s: %w", path, errTooLarge)
		}
		buf.Grow(int(st.Size()) + 1)
	}
	if _, err := buf.ReadFrom(io.LimitReader(f, MaxFileSize+1)); err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, unwrapPathError(err))
	}
	if buf.Len() > MaxFileSize {
		return nil, fmt.Errorf("%s: %w", path, errTooLarge)
	}
	return buf.Bytes(), nil
}

// FileKind names the kind of a non-regular file ("a named pipe (FIFO)").
func FileKind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Parse loads a capability document from data. name is the file name used
// in diagnostics ("" means standard input, reported as "<stdin>"); the
// locations of imported files resolve against its directory (the working
// directory for standard input). Parse reads no environment and performs
// no network access; it reads only imported files.
//
// On success the error is nil and every warning, info and element error is
// in the capability's Diagnostics, sorted by position. When the document
// cannot be modelled, Parse returns a nil capability and a KindSpec *Error
// whose message is the first fatal diagnostic and whose Diagnostics hold
// every diagnostic found.
func Parse(data []byte, name string) (*Capability, error) {
	c, _, err := ParseWithNode(data, name)
	return c, err
}

// ParseWithNode is Parse that also returns the YAML root node of the
// document (the content of its first YAML document, aliases unresolved),
// for tools that look at the document as written, such as the schema
// validation of package spec/schema. The node is returned whenever the
// YAML could be decoded, also when the document cannot be modelled (err is
// then a KindSpec *Error); it is nil when the YAML is malformed and on an
// internal error. It must not be modified:
// the capability's Expose.Node and Aggregate.Node are parts of it.
func ParseWithNode(data []byte, name string) (c *Capability, root *yaml.Node, err error) {
	file := name
	if file == "" {
		file = "<stdin>"
	}
	defer func() {
		if r := recover(); r != nil {
			c, root = nil, nil
			err = &Error{Kind: KindInternal, Msg: fmt.Sprintf("loading %s: internal error: %v", file, r),
				Pos: Pos{File: file, Line: 1, Col: 1}}
		}
	}()
	dir := "."
	if file != "<stdin>" {
		dir = filepath.Dir(file)
	}
	l := &loader{file: file, dir: dir, src: data}
	c, err = l.result(l.load())
	return c, l.root, err
}

// loader holds the state of one load.
type loader struct {
	file  string
	dir   string
	src   []byte
	lines []int
	// colLine, colCol and colOff cache the last column-to-offset
	// conversion of valueStart.
	colLine, colCol, colOff int

	diags  []Diagnostic
	fatals int
	// sink receives element errors besides diags: the Errors of the
	// element being loaded.
	sink *[]Diagnostic

	ikanos bool
	// nested is set while loading an imported file: its imports are not
	// followed, and a missing version key is tolerated.
	nested  bool
	imports map[string]*importedFile
	// mapFormSeen avoids repeating the info about ikanos map-keyed lists.
	mapFormSeen bool
	// bindVars holds the bound variable names declared so far.
	bindVars map[string]bool
	// root is the document's root node once decoded (for validation).
	root *yaml.Node
}

func (l *loader) result(c *Capability) (*Capability, error) {
	SortDiagnostics(l.diags)
	if l.fatals > 0 || c == nil {
		e := &Error{Kind: KindSpec, Diagnostics: l.diags}
		for _, d := range l.diags {
			if d.Severity == SeverityFatal {
				e.Msg, e.Hint, e.Pos = d.Message, d.Hint, d.Pos
				break
			}
		}
		if e.Msg == "" {
			e.Msg = "not a naftiko capability document"
			e.Pos = Pos{File: l.file, Line: 1, Col: 1}
		}
		return nil, e
	}
	c.Diagnostics = l.diags
	return c, nil
}

// ---------------------------------------------------------------------------
// Diagnostics.

// at returns the position of n, or 1:1 for whole-document problems.
func (l *loader) at(n *yaml.Node) Pos {
	if n == nil || n.Line == 0 {
		return Pos{File: l.file, Line: 1, Col: 1}
	}
	return Pos{File: l.file, Line: n.Line, Col: n.Column}
}

func (l *loader) report(p Pos, sev Severity, rule, msg, hint string) {
	if sev == SeverityFatal {
		l.fatals++
	}
	l.diags = append(l.diags, Diagnostic{Pos: p, Severity: sev, Rule: rule, Message: msg, Hint: hint})
}

func (l *loader) fatal(n *yaml.Node, rule, msg, hint string) {
	l.report(l.at(n), SeverityFatal, rule, msg, hint)
}

func (l *loader) warn(n *yaml.Node, rule, msg, hint string) {
	l.report(l.at(n), SeverityWarning, rule, msg, hint)
}

func (l *loader) info(n *yaml.Node, rule, msg string) {
	l.report(l.at(n), SeverityInfo, rule, msg, "")
}

// elemError reports an element error: in the load's diagnostics and in the
// Errors of the element being loaded.
func (l *loader) elemError(n *yaml.Node, rule, msg, hint string) {
	l.elemErrorAt(l.at(n), rule, msg, hint)
}

func (l *loader) elemErrorAt(p Pos, rule, msg, hint string) {
	d := Diagnostic{Pos: p, Severity: SeverityError, Rule: rule, Message: msg, Hint: hint}
	l.diags = append(l.diags, d)
	if l.sink != nil {
		*l.sink = append(*l.sink, d)
	}
}

// setSink makes s the element-error sink and returns the previous one.
func (l *loader) setSink(s *[]Diagnostic) *[]Diagnostic {
	prev := l.sink
	l.sink = s
	return prev
}

// ---------------------------------------------------------------------------
// Document.

// decode parses the first YAML document and returns its root node.
func (l *loader) decode() *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(l.src))
	var doc yaml.Node
	if err := safeDecode(dec, &doc); err != nil {
		if err == io.EOF {
			l.fatal(nil, "not-naftiko", "the document is empty: not a naftiko capability document",
				"a capability starts with a version key such as `naftiko: 1.0.0-alpha2`")
			return nil
		}
		l.yamlError(err)
		return nil
	}
	var extra yaml.Node
	if err := safeDecode(dec, &extra); err != io.EOF {
		p := Pos{File: l.file, Line: extra.Line, Col: 1}
		if err != nil {
			p.Line, _ = yamlErrorLine(err)
		}
		if p.Line == 0 {
			p.Line = 1
		}
		l.report(p, SeverityWarning, "multi-document", "the file holds more than one YAML document; only the first is read", "")
	}
	if doc.Kind == yaml.DocumentNode {
		if len(doc.Content) == 0 {
			return nil
		}
		return doc.Content[0]
	}
	return &doc
}

// safeDecode decodes one document, turning a panic of the YAML library
// into an error.
func safeDecode(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: the YAML parser failed: %v", r)
		}
	}()
	return dec.Decode(n)
}

// yamlParserProblems are the problems the YAML library reports as parser
// (not scanner) errors: it gives their line 0-based.
var yamlParserProblems = []string{
	"did not find expected ',' or ']'", "did not find expected ',' or '}'", "did not find expected '-' indicator",
	"did not find expected <document start>", "did not find expected key", "did not find expected node content",
	"found duplicate %TAG directive", "found duplicate %YAML directive", "found incompatible YAML document",
	"found undefined tag handle",
}

// yamlErrorLine extracts the 1-based line of a yaml error ("yaml: line 3:
// …"; 0 when it has none) and the message without its prefixes.
func yamlErrorLine(err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.Index(rest, ": "); i > 0 {
			if n, err := strconv.Atoi(rest[:i]); err == nil {
				line, msg = n, rest[i+2:]
			}
		}
	}
	for _, p := range yamlParserProblems {
		if msg == p {
			line++
			break
		}
	}
	return line, msg
}

func (l *loader) yamlError(err error) {
	line, msg := yamlErrorLine(err)
	if line < 1 {
		line = 1
	}
	l.report(Pos{File: l.file, Line: line, Col: 1}, SeverityFatal, "yaml-syntax", "YAML syntax error: "+msg, "")
}

// load runs the whole load and returns the capability, or nil when a fatal
// diagnostic was reported.
func (l *loader) load() *Capability {
	if len(l.src) > MaxFileSize {
		l.fatal(nil, "size-limit", fmt.Sprintf("the file is larger than the %d MiB limit", MaxFileSize>>20), "")
		return nil
	}
	if enc := utfBOM(l.src); enc != "" {
		l.fatal(nil, "encoding", "the file is "+enc+" text (it starts with a byte-order mark); naftiko reads UTF-8",
			"convert it, e.g. iconv -f "+strings.ToUpper(strings.Fields(enc)[0])+" -t UTF-8 FILE > FILE.utf8")
		return nil
	}
	root := l.decode()
	l.root = root
	if root == nil {
		if l.fatals == 0 {
			l.fatal(nil, "not-naftiko", "the document is empty: not a naftiko capability document",
				"a capability starts with a version key such as `naftiko: 1.0.0-alpha2`")
		}
		return nil
	}
	l.checkTree(root)
	if l.fatals > 0 {
		return nil
	}
	root = deref(root)
	if root.Kind != yaml.MappingNode {
		if isNull(root) {
			l.fatal(nil, "not-naftiko", "the document is empty: not a naftiko capability document",
				"a capability starts with a version key such as `naftiko: 1.0.0-alpha2`")
		} else {
			l.fatal(root, "not-naftiko", fmt.Sprintf("the document root is a %s, not a mapping: not a naftiko capability document", kindName(root)), "")
		}
		return nil
	}
	return l.document(root)
}

// documentVersion reads the version key (naftiko or ikanos); false when
// the document cannot be read (both keys, or neither at the top level).
func (l *loader) documentVersion(c *Capability, naftikoK, naftikoV, ikanosK, ikanosV *yaml.Node) bool {
	switch {
	case naftikoK != nil && ikanosK != nil:
		second := ikanosK
		if ikanosK.Line < naftikoK.Line || (ikanosK.Line == naftikoK.Line && ikanosK.Column < naftikoK.Column) {
			second = naftikoK
		}
		l.fatal(second, "version-key", "the document has both a `naftiko` and an `ikanos` version key", "keep one of them")
		return false
	case naftikoK != nil:
		c.Root = "naftiko"
		c.Version = l.version(naftikoK, naftikoV, vocab.NaftikoVersions)
	case ikanosK != nil:
		c.Root = "ikanos"
		l.ikanos = true
		c.Version = l.version(ikanosK, ikanosV, vocab.IkanosVersions)
	case !l.nested:
		l.fatal(nil, "not-naftiko", "not a naftiko capability document: it has neither a `naftiko` nor an `ikanos` version key",
			"a capability starts with a version key such as `naftiko: 1.0.0-alpha2`")
		return false
	}
	return true
}

// capSection holds the lists of the `capability` section.
type capSection struct{ consumes, imports, exposes, aggregates *yaml.Node }

// capability reads the `capability` section: its binds into c, its lists
// into the result; false on a fatal error.
func (l *loader) capability(c *Capability, capV *yaml.Node) (cs capSection, ok bool) {
	cv := deref(capV)
	if cv.Kind != yaml.MappingNode {
		l.fatal(capV, "wrong-kind", fmt.Sprintf("`capability` must be a mapping, not a %s", kindName(cv)), "")
		return capSection{}, false
	}
	fs := l.fields(cv, "`capability`", vocab.FieldsCapability)
	cs = capSection{consumes: fs.get("consumes"), imports: fs.get("imports"), exposes: fs.get("exposes"),
		aggregates: fs.get("aggregates")}
	if k := fs.keyNode("imports"); k != nil {
		l.info(k, "dialect", "`capability.imports` imports every consumes adapter of each listed file")
	}
	if f := fs.find("description"); f != nil {
		c.Description = l.str(f.val, "description")
		l.warn(f.key, "ignored-field", "`capability.description` is not part of the schema; it is kept as documentation only", "")
	}
	for _, name := range []string{"workflow", "orchestration", "tools"} {
		if k := fs.keyNode(name); k != nil {
			l.warn(k, "ignored-field", fmt.Sprintf("`capability.%s` is not supported and is ignored", name), "")
		}
	}
	c.Binds = append(c.Binds, l.binds(fs.get("binds"))...)
	return cs, true
}

func (l *loader) document(root *yaml.Node) *Capability {
	fs := l.fields(root, "the document root", vocab.FieldsRoot)
	for _, name := range []string{"servers", "tools"} {
		if k := fs.keyNode(name); k != nil {
			l.warn(k, "ignored-field", fmt.Sprintf("alpha1 root `%s` is not supported and is ignored", name), "")
		}
	}
	consumesK, consumesV, capV := fs.keyNode("consumes"), fs.get("consumes"), fs.get("capability")

	c := &Capability{File: l.file, Dir: l.dir}
	if !l.documentVersion(c, fs.keyNode("naftiko"), fs.get("naftiko"), fs.keyNode("ikanos"), fs.get("ikanos")) || l.fatals > 0 {
		return nil
	}

	c.Info = l.loadInfo(fs.get("info"))
	c.Binds = l.binds(fs.get("binds"))

	var cs capSection
	if capV != nil && !isNull(deref(capV)) {
		var ok bool
		if cs, ok = l.capability(c, capV); !ok {
			return nil
		}
		if consumesV != nil {
			l.info(consumesK, "dialect", "root `consumes` next to `capability` is merged into the capability's consumes")
		}
	}
	capConsumes, capImports, capExposes, capAgg := cs.consumes, cs.imports, cs.exposes, cs.aggregates

	c.Consumes = l.consumesList(capConsumes)
	c.Consumes = append(c.Consumes, l.importList(capImports)...)
	c.Consumes = append(c.Consumes, l.consumesList(consumesV)...)
	for _, f := range fs.list {
		if f.name == "import" || f.name == "imports" {
			l.info(f.key, "dialect", fmt.Sprintf("root `%s` imports the consumes adapters of each listed file", f.name))
			c.Consumes = append(c.Consumes, l.importList(f.val)...)
		}
	}
	l.markShadowed(c.Consumes)

	c.Exposes = l.exposesList(capExposes)
	c.Exposes = append(c.Exposes, l.exposesList(fs.get("exposes"))...)
	c.Aggregates = l.aggregates(capAgg)
	c.Aggregates = append(c.Aggregates, l.aggregates(fs.get("aggregates"))...)
	if !l.nested {
		// An imported file's exposes and aggregates are linked against
		// the document that imports them.
		l.linkExposes(c)
	}
	if l.fatals > 0 {
		return nil
	}
	return c
}

// version reads a version value and warns about unknown ones.
func (l *loader) version(k, v *yaml.Node, known []string) string {
	d := deref(v)
	root, _ := keyText(k)
	if d != nil && d.Kind != yaml.ScalarNode {
		l.fatal(v, "version-key", fmt.Sprintf("the `%s` version must be a scalar, not a %s", root, kindName(d)), "")
		return ""
	}
	s := ""
	if d != nil && !(isNull(d) && !isQuoted(d)) {
		s = d.Value
	}
	for _, x := range known {
		if s == x {
			return s
		}
	}
	at := v
	if isNull(d) && d.Line == 0 {
		at = k
	}
	l.warn(at, "unknown-version", fmt.Sprintf("unknown %s version %q; the rules of %s are applied", root, s, known[len(known)-1]),
		"accepted versions: "+strings.Join(known, ", "))
	return s
}

func (l *loader) loadInfo(n *yaml.Node) Info {
	base := filepath.Base(l.file)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	d := deref(n)
	info := Info{Label: base, Pos: l.at(d)}
	if d == nil || isNull(d) {
		return info
	}
	if d.Kind != yaml.MappingNode {
		l.fatal(n, "wrong-kind", fmt.Sprintf("`info` must be a mapping, not a %s", kindName(d)), "")
		return info
	}
	fs := l.fields(d, "`info`", vocab.FieldsInfo)
	info.Description = l.text(fs, "description")
	// tags, created, modified and stakeholders are documentation only.
	for _, f := range fs.list {
		switch f.name {
		case "version", "dates", "personas", "contact", "related":
			l.info(f.key, "dialect", fmt.Sprintf("`info.%s` is not part of the schema; it is ignored", f.name))
		}
	}
	for _, field := range []string{"label", "display", "title", "name"} {
		v := fs.get(field)
		if v == nil {
			continue
		}
		if s := l.str(v, field); s != "" {
			info.Label = s
			if field != "label" && !(field == "display" && l.ikanos) {
				l.info(v, "dialect", fmt.Sprintf("`info.%s` is read as the label", field))
			}
			break
		}
	}
	return info
}

// binds loads a binds list: mappings, or (dialect) strings naming
// environment variables.
func (l *loader) binds(n *yaml.Node) []*Bind {
	seq := l.sequence(n, "binds")
	out := make([]*Bind, 0, len(seq))
	for _, it := range seq {
		e := deref(it)
		switch e.Kind {
		case yaml.ScalarNode:
			s := l.str(e, "binds")
			if s == "" {
				l.warn(e, "required-field", "an empty binds entry is ignored", "")
				continue
			}
			l.info(e, "dialect", fmt.Sprintf("binds entry %q is read as the environment variable %s (namespace env)", s, s))
			out = append(out, &Bind{Namespace: "env", Keys: []BindKey{{Var: s, Key: s, Pos: l.at(e)}}, Pos: l.at(e)})
			l.bindVar(e, s)
		case yaml.MappingNode:
			if b := l.bind(e); b != nil {
				out = append(out, b)
			}
		default:
			l.fatal(it, "wrong-kind", fmt.Sprintf("a binds entry must be a mapping, not a %s", kindName(e)), "")
		}
	}
	return out
}

// bindImportKeys mark a binds import, which is not supported.
var bindImportKeys = []string{"from", "import"}

func (l *loader) bind(d *yaml.Node) *Bind {
	b := &Bind{Pos: l.at(d)}
	if f := fieldsOf(d, bindImportKeys).first(bindImportKeys...); f != nil {
		l.warn(f.key, "unsupported-feature", "binds imports are not supported; the entry is ignored", "")
		return nil
	}
	fs := l.fields(d, "a binds entry", vocab.FieldsBind)
	b.Namespace, b.Description, b.Location = l.text(fs, "namespace"), l.text(fs, "description"), l.text(fs, "location")
	keysV := fs.get("keys")
	if b.Namespace == "" {
		l.warn(d, "required-field", "binds entry has no `namespace`", "")
	}
	kv := deref(keysV)
	switch {
	case kv == nil || isNull(kv):
		l.warn(d, "required-field", fmt.Sprintf("binds entry %q declares no `keys`", b.Namespace), "")
	case kv.Kind == yaml.MappingNode:
		kps := pairs(kv)
		b.Keys = make([]BindKey, 0, len(kps)/2)
		for i := 0; i+1 < len(kps); i += 2 {
			name, ok := keyText(kps[i])
			if !ok || name == "" {
				l.warn(kps[i], "required-field", "a binds key must be a non-empty variable name", "")
				continue
			}
			key := l.str(kps[i+1], name)
			if key == "" {
				key = name
			}
			b.Keys = append(b.Keys, BindKey{Var: name, Key: key, Pos: l.at(kps[i])})
			l.bindVar(kps[i], name)
		}
	case kv.Kind == yaml.SequenceNode:
		l.info(kv, "dialect", "`keys` written as a list binds each variable to the provider key of the same name")
		for _, it := range kv.Content {
			if s := l.str(it, "keys"); s != "" {
				b.Keys = append(b.Keys, BindKey{Var: s, Key: s, Pos: l.at(deref(it))})
				l.bindVar(deref(it), s)
			}
		}
	default:
		l.fatal(keysV, "wrong-kind", fmt.Sprintf("`keys` must be a mapping, not a %s", kindName(kv)), "")
	}
	return b
}

// markShadowed marks adapters whose namespace repeats an earlier one.
func (l *loader) markShadowed(as []*Adapter) {
	if len(as) < 2 {
		return
	}
	seen := make(map[string]*Adapter, len(as))
	for _, a := range as {
		if a.Namespace == "" {
			continue
		}
		first := seen[a.Namespace]
		if first == nil {
			seen[a.Namespace] = a
			continue
		}
		a.Shadowed = true
		l.report(a.Pos, SeverityWarning, "namespace-unique",
			fmt.Sprintf("namespace `%s` is declared again (first at %s); calls use the first declaration", a.Namespace, first.Pos),
			"rename one of the adapters")
	}
}

// bindVar records a bound variable name and checks its pattern.
func (l *loader) bindVar(at *yaml.Node, name string) {
	if l.bindVars == nil {
		l.bindVars = make(map[string]bool)
	}
	l.bindVars[name] = true
	l.checkName(at, name, bindVarName)
}
