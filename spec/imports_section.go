package spec

import (
	"cmp"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// Imports of exposes adapters and aggregates (ikanos): an entry
// {import: NAMESPACE, from: FILE, as?: ALIAS} stands for the entry of that
// namespace in the `exposes` (or `aggregates`) of FILE, renamed ALIAS. The
// imported entries are linked against this document: their calls name its
// consumed operations.

// isImportEntry reports whether a list entry is an import entry.
func isImportEntry(d *yaml.Node) bool { return len(fieldsOf(d, importMarkKeys).list) > 0 }

var (
	// importMarkKeys mark an import entry.
	importMarkKeys = []string{"from", "import"}
	// fieldsSectionImport are the fields of an exposes or aggregates import
	// entry.
	fieldsSectionImport = []string{"import", "from", "location", "as", "description"}
)

// sectionImport reads an import entry of section ("exposes" or
// "aggregates") and opens its file: f is nil (after a warning) when
// nothing can be imported.
func (l *loader) sectionImport(d *yaml.Node, section string) (f *importedFile, ns, local string, at *yaml.Node) {
	ns, loc, as, at := l.importFields(d, fieldsSectionImport)
	if at == nil {
		at = d
	}
	local = cmp.Or(as, ns)
	switch {
	case l.nested:
		l.warn(d, "import-transitive", "imports inside an imported file are not followed", "")
		return nil, "", "", at
	case loc == "" || ns == "":
		l.warn(d, "import-invalid", fmt.Sprintf("an %s import entry needs `import` (the namespace) and `from` (the file)", section), "")
		return nil, "", "", at
	}
	if _, ok := l.importPath(loc); !ok {
		l.warn(at, "import-invalid", fmt.Sprintf("import location %q is not a file path or file:// URI", loc), "")
		return nil, "", "", at
	}
	f = l.openImport(loc)
	switch {
	case f.missing:
		l.warn(at, "import-not-found", fmt.Sprintf("imported file %s was not found", loc), "")
		return nil, "", "", at
	case f.failure != "":
		l.warn(at, "import-failed", fmt.Sprintf("imported file %s could not be loaded: %s", loc, f.failure), "")
		return nil, "", "", at
	}
	return f, ns, local, at
}

// notImported warns that the file has no entry ns in section.
func (l *loader) notImported(at *yaml.Node, section, loc string, n int, ns string) {
	if n == 0 {
		l.warn(at, "import-not-found", fmt.Sprintf("%s has no %s entries", loc, section), "")
		return
	}
	l.warn(at, "import-not-found", fmt.Sprintf("%s declares no %s entry with namespace `%s`", loc, section, ns), "")
}

// importExpose imports one exposes adapter.
func (l *loader) importExpose(d *yaml.Node) *Expose {
	return importSection(l, d, "exposes", func(f *importedFile) []*Expose { return f.exposes },
		func(x *Expose) *string { return &x.Namespace })
}

// importAggregate imports one aggregate.
func (l *loader) importAggregate(d *yaml.Node) *Aggregate {
	return importSection(l, d, "aggregates", func(f *importedFile) []*Aggregate { return f.aggregates },
		func(ag *Aggregate) *string { return &ag.Namespace })
}

// importSection imports the entry of an import entry d from the section
// of its file (entries), renamed: a copy whose namespace (ns) is the alias.
func importSection[T any](l *loader, d *yaml.Node, section string, entries func(*importedFile) []*T, ns func(*T) *string) *T {
	f, want, local, at := l.sectionImport(d, section)
	if f == nil {
		return nil
	}
	list := entries(f)
	for _, x := range list {
		if *ns(x) == want {
			cp := *x
			*ns(&cp) = local
			return &cp
		}
	}
	l.notImported(at, section, l.str(at, "from"), len(list), want)
	return nil
}

// sectionList loads an exposes or aggregates list: each entry a mapping,
// loaded by imp when it is an import entry, else by one.
func sectionList[T any](l *loader, n *yaml.Node, section, what string, imp, one func(*yaml.Node) *T) []*T {
	seq := l.sequence(n, section)
	out := make([]*T, 0, len(seq))
	for _, it := range seq {
		e := deref(it)
		if e.Kind != yaml.MappingNode {
			l.fatal(it, "wrong-kind", fmt.Sprintf("%s must be a mapping, not a %s", what, kindName(e)), "")
			continue
		}
		load := one
		if isImportEntry(e) {
			load = imp
		}
		if x := load(e); x != nil {
			out = append(out, x)
		}
	}
	return out
}
