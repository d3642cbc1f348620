package spec

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Pos is a position in a source file. Line and Col are 1-based; Col counts
// Unicode code points. The zero Pos means "no position".
type Pos struct {
	File string
	Line int
	Col  int
}

// String formats the position as file:line:col.
func (p Pos) String() string {
	if p.File == "" && p.Line == 0 {
		return ""
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// IsZero reports whether p carries no position.
func (p Pos) IsZero() bool { return p.Line == 0 }

// Severity grades a diagnostic.
type Severity int

// Severities, from the most to the least severe. A fatal diagnostic stops
// loading; an error is confined to one element (raised when it is used).
const (
	SeverityFatal Severity = iota
	SeverityError
	SeverityWarning
	SeverityInfo
)

// String returns the severity as printed: fatal errors print as "error".
func (s Severity) String() string {
	switch s {
	case SeverityFatal, SeverityError:
		return "error"
	case SeverityWarning:
		return "warning"
	default:
		return "info"
	}
}

// Diagnostic is one positioned message about a document.
type Diagnostic struct {
	Pos      Pos
	Severity Severity
	// Rule is a stable identifier such as "unknown-field".
	Rule string
	// Message says what is wrong (the summary).
	Message string
	// Hint adds how to fix it ("did you mean `method`?"), or is empty.
	Hint string
}

// String formats the diagnostic like a compiler:
// file:line:col: severity: message (hint) [rule].
func (d Diagnostic) String() string {
	var b strings.Builder
	if s := d.Pos.String(); s != "" {
		b.WriteString(s)
		b.WriteString(": ")
	}
	b.WriteString(d.Severity.String())
	b.WriteString(": ")
	b.WriteString(d.Message)
	if d.Hint != "" {
		b.WriteString(" (")
		b.WriteString(d.Hint)
		b.WriteString(")")
	}
	if d.Rule != "" {
		b.WriteString(" [")
		b.WriteString(d.Rule)
		b.WriteString("]")
	}
	return b.String()
}

// SortDiagnostics orders diagnostics by file, line, column, rule and
// message, so the same input always prints the same bytes.
func SortDiagnostics(ds []Diagnostic) {
	slices.SortStableFunc(ds, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.Pos.File, b.Pos.File),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col),
			cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.Message, b.Message),
		)
	})
}
