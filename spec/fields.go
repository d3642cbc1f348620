package spec

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/naftiko/naftiko/spec/internal/vocab"
)

// The known-field tables of the document's objects (the dialect fields of
// SPEC.md §2.4 included) are vocab.Fields*, shared with spec/schema; the
// tables of the exposes side are in expose.go.

// unknownField reports an unknown key with a did-you-mean hint taken from
// known.
func (l *loader) unknownField(k *yaml.Node, where string, known []string) {
	name, ok := keyText(k)
	if !ok {
		l.warn(k, "unknown-field", fmt.Sprintf("a %s key is not allowed in %s; it is ignored", kindName(k), where), "")
		return
	}
	hint := ""
	if s := suggest(name, known); s != "" {
		hint = "did you mean `" + s + "`?"
	}
	l.warn(k, "unknown-field", fmt.Sprintf("unknown field `%s` in %s", name, where), hint)
}

// suggest returns the candidate that equals name case-insensitively, else
// the closest one within Levenshtein distance 2, else "" (vocab.Suggest).
func suggest(name string, candidates []string) string { return vocab.Suggest(name, candidates) }

// levenshtein returns the edit distance between a and b (in bytes), or a
// value ≥ limit as soon as the distance is known to reach limit
// (vocab.Levenshtein).
func levenshtein(a, b string, limit int) int { return vocab.Levenshtein(a, b, limit) }
