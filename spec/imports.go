package spec

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/naftiko/naftiko/spec/internal/vocab"
)

// importedFile is an imported document, loaded at most once per load.
type importedFile struct {
	adapters []*Adapter
	// exposes and aggregates are the file's, loaded but not linked.
	exposes    []*Expose
	aggregates []*Aggregate
	missing    bool
	// failure says why the file could not be loaded ("" when it loaded).
	failure string
}

// importPath resolves an import location against the importing file's
// directory: a relative path or a file:// URI (SPEC.md §2.3). ok is false
// for other URI schemes.
func (l *loader) importPath(loc string) (string, bool) {
	if rest, ok := strings.CutPrefix(loc, "file://"); ok {
		loc = rest
		if strings.HasPrefix(loc, "/./") {
			loc = loc[1:]
		}
	} else if i := strings.Index(loc, "://"); i > 0 && !strings.ContainsAny(loc[:i], "/\\.") {
		return "", false
	}
	if loc == "" {
		return "", false
	}
	if filepath.IsAbs(loc) {
		return filepath.Clean(loc), true
	}
	return filepath.Join(l.dir, loc), true
}

// openImport loads the file at loc (once per load). Its diagnostics join
// the load's, fatal ones downgraded to errors.
func (l *loader) openImport(loc string) *importedFile {
	path, _ := l.importPath(loc)
	if f, ok := l.imports[path]; ok {
		return f
	}
	if l.imports == nil {
		l.imports = make(map[string]*importedFile)
	}
	f := &importedFile{}
	l.imports[path] = f
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		f.missing = true
		return f
	case err != nil:
		f.failure = unwrapPathError(err).Error()
		return f
	case !st.Mode().IsRegular():
		f.failure = "it is not a regular file"
		return f
	}
	data, err := readFile(path)
	if err != nil {
		f.failure = err.Error()
		return f
	}
	sub := &loader{file: path, dir: filepath.Dir(path), src: data, nested: true}
	c := sub.load()
	SortDiagnostics(sub.diags)
	for _, d := range sub.diags {
		if d.Severity == SeverityFatal {
			d.Severity = SeverityError
			if f.failure == "" {
				f.failure = d.Pos.String() + ": " + d.Message
			}
		}
		l.diags = append(l.diags, d)
	}
	if c != nil && sub.fatals == 0 {
		f.adapters, f.exposes, f.aggregates = c.Consumes, c.Exposes, c.Aggregates
	} else if f.failure == "" {
		f.failure = "it is not a naftiko document"
	}
	return f
}

// placeholder returns the adapter standing for an import that failed: it
// has no operations, and its Errors explain the failure to any call into
// its namespace.
func (l *loader) placeholder(at *yaml.Node, ns, loc, msg string) *Adapter {
	p := l.at(at)
	return &Adapter{Type: "http", Namespace: ns, ImportedFrom: loc, Pos: p,
		Errors: []Diagnostic{{Pos: p, Severity: SeverityError, Rule: "import-not-found", Message: msg}}}
}

// importOne imports the adapter ns of the file at loc under the name as
// (ns when empty).
func (l *loader) importOne(at, locV *yaml.Node, ns, loc, as string) []*Adapter {
	local := as
	if local == "" {
		local = ns
	}
	f := l.openImport(loc)
	switch {
	case f.missing:
		l.warn(locV, "import-not-found", fmt.Sprintf("imported file %s was not found", loc),
			fmt.Sprintf("calls into namespace `%s` fail", local))
		return []*Adapter{l.placeholder(at, local, loc,
			fmt.Sprintf("namespace %s is imported from %s, which was not found", local, loc))}
	case f.failure != "":
		l.warn(locV, "import-failed", fmt.Sprintf("imported file %s could not be loaded: %s", loc, f.failure), "")
		return []*Adapter{l.placeholder(at, local, loc,
			fmt.Sprintf("namespace %s is imported from %s, which could not be loaded: %s", local, loc, f.failure))}
	}
	for _, a := range f.adapters {
		if a.Namespace == ns && !a.Shadowed {
			cp := *a
			cp.Namespace, cp.ImportedFrom = local, loc
			return []*Adapter{&cp}
		}
	}
	if len(f.adapters) == 0 {
		l.warn(locV, "import-not-found", fmt.Sprintf("%s has no consumes entries", loc), "")
		return []*Adapter{l.placeholder(at, local, loc,
			fmt.Sprintf("namespace %s is imported from %s, which has no consumes entries", local, loc))}
	}
	l.warn(locV, "import-not-found", fmt.Sprintf("%s declares no consumes adapter `%s`", loc, ns), "")
	return []*Adapter{l.placeholder(at, local, loc,
		fmt.Sprintf("namespace %s is imported from %s, which does not declare it", local, loc))}
}

// importAll imports every consumes adapter of the file at loc.
func (l *loader) importAll(locV *yaml.Node, loc string) []*Adapter {
	f := l.openImport(loc)
	switch {
	case f.missing:
		l.warn(locV, "import-not-found", fmt.Sprintf("imported file %s was not found", loc), "")
		return nil
	case f.failure != "":
		l.warn(locV, "import-failed", fmt.Sprintf("imported file %s could not be loaded: %s", loc, f.failure), "")
		return nil
	}
	out := make([]*Adapter, 0, len(f.adapters))
	for _, a := range f.adapters {
		if a.Shadowed {
			continue
		}
		cp := *a
		cp.ImportedFrom = loc
		out = append(out, &cp)
	}
	return out
}

// importEntry loads a consumes import entry: {import, location, as} or
// ikanos {from, import, as}.
func (l *loader) importEntry(d *yaml.Node) []*Adapter {
	ns, loc, as, locV := l.importFields(d, vocab.FieldsImport)
	return l.importRef(d, locV, ns, loc, as)
}

// importFields reads the fields of an import entry (known: vocab.FieldsImport
// for consumes, fieldsSectionImport for exposes and aggregates): ns from
// `import`, else (consumes) `name` or `namespace`; the location from
// `location` or `from` (locV is its value, nil when absent); the alias.
func (l *loader) importFields(d *yaml.Node, known []string) (ns, loc, as string, locV *yaml.Node) {
	fs := l.fields(d, "an import entry", known)
	ns = l.text(fs, "import")
	for _, k := range []string{"name", "namespace"} {
		if v := fs.get(k); v != nil && ns == "" {
			ns = l.str(v, k)
		}
	}
	if f := fs.last("location", "from"); f != nil {
		loc, locV = l.str(f.val, f.name), f.val
	}
	as = l.text(fs, "as")
	return ns, loc, as, locV
}

func (l *loader) importRef(d, locV *yaml.Node, ns, loc, as string) []*Adapter {
	if l.nested {
		l.warn(d, "import-transitive", "imports inside an imported file are not followed", "")
		return nil
	}
	if locV == nil {
		locV = d
	}
	if loc == "" {
		l.warn(d, "import-invalid", "an import entry has no `location`", "")
		return nil
	}
	if _, ok := l.importPath(loc); !ok {
		l.warn(locV, "import-invalid", fmt.Sprintf("import location %q is not a file path or file:// URI", loc), "")
		if ns != "" {
			return []*Adapter{l.placeholder(d, cmp.Or(as, ns), loc,
				fmt.Sprintf("namespace %s is imported from %s, which naftiko cannot read", cmp.Or(as, ns), loc))}
		}
		return nil
	}
	if ns == "" {
		return l.importAll(locV, loc)
	}
	return l.importOne(d, locV, ns, loc, as)
}

// importList loads a root `import`/`imports` or `capability.imports` list:
// paths, or mappings {location, name?, as?}; a path imports every consumes
// adapter of its file.
func (l *loader) importList(n *yaml.Node) []*Adapter {
	d := deref(n)
	if d == nil || isNull(d) {
		return nil
	}
	var list []*yaml.Node
	switch d.Kind {
	case yaml.SequenceNode:
		list = d.Content
	case yaml.ScalarNode:
		list = []*yaml.Node{d}
	default:
		l.fatal(n, "wrong-kind", fmt.Sprintf("`imports` must be a list, not a %s", kindName(d)), "")
		return nil
	}
	var out []*Adapter
	for _, it := range list {
		e := deref(it)
		switch e.Kind {
		case yaml.ScalarNode:
			out = append(out, l.importRef(e, e, "", l.str(e, "imports"), "")...)
		case yaml.MappingNode:
			out = append(out, l.importEntry(e)...)
		default:
			l.fatal(it, "wrong-kind", fmt.Sprintf("an import must be a path or a mapping, not a %s", kindName(e)), "")
		}
	}
	return out
}
