package spec

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Known fields of each object, including the dialect fields of SPEC.md
// §2.4, which are recognised rather than unknown. The loaders dispatch on
// keys with switch statements; these tables only feed did-you-mean hints
// (and tests check that the two agree).
var (
	fieldsRoot = []string{"naftiko", "ikanos", "info", "binds", "capability", "consumes", "exposes", "aggregates",
		"import", "imports", "servers", "tools"}
	fieldsCapability = []string{"consumes", "exposes", "binds", "aggregates", "imports", "description",
		"workflow", "orchestration", "tools"}
	fieldsInfo = []string{"label", "description", "tags", "created", "modified", "stakeholders",
		"title", "name", "display", "version", "dates", "personas", "contact", "related"}
	fieldsBind    = []string{"namespace", "description", "location", "keys"}
	fieldsAdapter = []string{"type", "namespace", "description", "baseUri", "inputParameters", "authentication",
		"auth", "resources", "headers", "label", "display", "maxBinarySize", "tunnel", "ref"}
	fieldsImport   = []string{"import", "location", "as", "from", "description", "name", "namespace"}
	fieldsResource = []string{"name", "label", "display", "description", "path", "inputParameters", "operations",
		"headers", "tags"}
	fieldsOperation = []string{"name", "id", "label", "display", "description", "method", "path", "inputParameters",
		"outputRawFormat", "outputSchema", "outputParameters", "body", "authentication", "auth", "headers",
		"maxBinarySize", "tags", "mappings", "outputMediaType"}
	fieldsParam  = []string{"name", "in", "value", "type", "required", "description", "default"}
	fieldsOutput = []string{"name", "type", "value", "description"}
	fieldsBody   = []string{"type", "data"}
	fieldsHeader = []string{"name", "value"}
	fieldsQuery  = []string{"name", "value"}

	fieldsAuthBearer = []string{"type", "token"}
	fieldsAuthBasic  = []string{"type", "username", "password"}
	fieldsAuthAPIKey = []string{"type", "key", "value", "placement", "in", "name", "header", "token", "headers"}
	fieldsAuthHeader = []string{"type", "header", "name", "value"}
	fieldsAuthQuery  = []string{"type", "parameters", "name", "key", "value"}
	fieldsAuthOAuth2 = []string{"type", "tokenEndpoint", "clientId", "clientSecret", "scopes", "audience", "resource",
		"authorizationServerUri", "tokenValidation"}
	fieldsAuthAWS = []string{"type", "accessKeyId", "secretKey", "secretAccessKey", "sessionToken", "region", "service"}
)

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
// the closest one within Levenshtein distance 2, else "".
func suggest(name string, candidates []string) string {
	for _, c := range candidates {
		if strings.EqualFold(c, name) {
			return c
		}
	}
	best, bestD := "", 3
	for _, c := range candidates {
		if d := levenshtein(name, c, bestD); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// levenshtein returns the edit distance between a and b (in bytes), or a
// value ≥ limit as soon as the distance is known to reach limit.
func levenshtein(a, b string, limit int) int {
	if d := len(a) - len(b); d >= limit || -d >= limit {
		return limit
	}
	if len(a) > 64 || len(b) > 64 {
		return limit
	}
	var buf [2][65]int
	prev, cur := buf[0][:len(b)+1], buf[1][:len(b)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= limit {
			return limit
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
