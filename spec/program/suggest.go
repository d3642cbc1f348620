package program

import (
	"fmt"
	"strings"

	"github.com/naftiko/naftiko/spec"
	"github.com/naftiko/naftiko/spec/internal/vocab"
)

// Suggest returns up to three candidates close to name: equal ignoring
// case first, then within Levenshtein distance 1…maxDist, then those
// containing name or contained in it. It is the one did-you-mean of
// naftiko's runtimes.
func Suggest(name string, candidates []string, maxDist int) []string {
	return vocab.Near(name, candidates, maxDist, 1)
}

// DidYouMean words suggestions as " (did you mean `a` or `b`?)", or "".
func DidYouMean(s []string) string {
	if len(s) == 0 {
		return ""
	}
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = "`" + v + "`"
	}
	return fmt.Sprintf(" (did you mean %s?)", strings.Join(q, " or "))
}

// FormatAccept returns the Accept header of an outputRawFormat, from the
// one format table (spec.Formats).
func FormatAccept(format string) string { return spec.FormatAccept(format) }
