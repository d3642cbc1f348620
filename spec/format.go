package spec

import "strings"

// Format is one response format naftiko decodes: its outputRawFormat name,
// the Accept header a request for it sends, and the media types of a
// Content-Type that name it (SPEC.md §9.1). Formats is the one table of
// formats; the loader, the compile stage and the decoders read it.
type Format struct {
	Name   string
	Accept string
	// Media are the Content-Type media types naming the format; Suffix is
	// the structured-syntax suffix (+json) that also does.
	Media  []string
	Suffix string
}

// Formats lists the outputRawFormat values naftiko decodes, in
// documentation order.
var Formats = []Format{
	{Name: "json", Accept: "application/json", Media: []string{"application/json"}, Suffix: "+json"},
	{Name: "xml", Accept: "application/xml", Media: []string{"application/xml", "text/xml"}, Suffix: "+xml"},
	{Name: "yaml", Accept: "application/yaml", Media: []string{"application/yaml", "application/x-yaml"}, Suffix: "+yaml"},
	{Name: "csv", Accept: "text/csv", Media: []string{"text/csv"}},
	{Name: "tsv", Accept: "text/tab-separated-values", Media: []string{"text/tab-separated-values"}},
	{Name: "psv", Accept: "text/plain"},
	{Name: "html", Accept: "text/html"},
	{Name: "markdown", Accept: "text/markdown"},
	{Name: "text", Accept: "text/plain"},
	{Name: "binary", Accept: "*/*"},
}

// FormatNames lists the names of Formats.
func FormatNames() []string {
	out := make([]string, len(Formats))
	for i, f := range Formats {
		out[i] = f.Name
	}
	return out
}

// FormatAccept returns the Accept header for an outputRawFormat ("" is
// json); */* for a format naftiko does not know.
func FormatAccept(name string) string {
	name = strings.ToLower(name)
	if name == "" {
		name = "json"
	}
	for _, f := range Formats {
		if f.Name == name {
			if name == "binary" {
				return "*/*"
			}
			return f.Accept
		}
	}
	return "*/*"
}

// ContentFormat returns the format a Content-Type names by its media type
// or suffix (json, xml, yaml, csv or tsv), or "" for any other. It does
// not allocate for the common lower-case values.
func ContentFormat(ct string) string {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	mt := strings.TrimSpace(ct)
	if mt == "" {
		return ""
	}
	if !isLower(mt) {
		mt = strings.ToLower(mt)
	}
	for _, f := range Formats {
		for _, m := range f.Media {
			if m == mt {
				return f.Name
			}
		}
	}
	for _, f := range Formats {
		if f.Suffix != "" && strings.HasSuffix(mt, f.Suffix) {
			return f.Name
		}
	}
	return ""
}

func isLower(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' {
			return false
		}
	}
	return true
}
