package vocab

import (
	"slices"
	"strings"
)

// Accepted versions per root key (SPEC.md §1.2). The last one of each list
// is the version whose rules apply to unknown values.
var (
	// NaftikoVersions are the versions of the naftiko root key.
	NaftikoVersions = []string{"1.0.0-alpha1", "1.0.0-alpha2", "1.0.0-alpha3"}
	// IkanosVersions are the versions of the ikanos root key.
	IkanosVersions = []string{"1.0.0-alpha3", "1.0.0-alpha4", "1.0.0-beta1", "1.0.0-beta2", "1.0.0-beta3",
		"1.0.0-beta4", "1.0.0-beta5"}
)

// Known fields of each object, including the dialect fields of SPEC.md
// §2.4, which are recognised rather than unknown. The loaders dispatch on
// keys with switch statements; these tables feed did-you-mean hints and
// spec/schema's recognition of dialect fields (and package spec's tests
// check that the tables and the loaders agree). The tables of the exposes
// side are package spec's own.
var (
	FieldsRoot = []string{"naftiko", "ikanos", "info", "binds", "capability", "consumes", "exposes", "aggregates",
		"import", "imports", "servers", "tools"}
	FieldsCapability = []string{"consumes", "exposes", "binds", "aggregates", "imports", "description",
		"workflow", "orchestration", "tools"}
	FieldsInfo = []string{"label", "description", "tags", "created", "modified", "stakeholders",
		"title", "name", "display", "version", "dates", "personas", "contact", "related"}
	FieldsBind    = []string{"namespace", "description", "location", "keys"}
	FieldsAdapter = []string{"type", "namespace", "description", "baseUri", "inputParameters", "authentication",
		"auth", "resources", "headers", "label", "display", "maxBinarySize", "tunnel", "ref"}
	FieldsImport   = []string{"import", "location", "as", "from", "description", "name", "namespace"}
	FieldsResource = []string{"name", "label", "display", "description", "path", "inputParameters", "operations",
		"headers", "tags"}
	FieldsOperation = []string{"name", "id", "label", "display", "description", "method", "path", "inputParameters",
		"outputRawFormat", "outputSchema", "outputParameters", "body", "authentication", "auth", "headers",
		"maxBinarySize", "tags", "mappings", "outputMediaType"}
	FieldsParam  = []string{"name", "in", "value", "type", "required", "description", "default"}
	FieldsOutput = []string{"name", "type", "value", "description"}
	FieldsBody   = []string{"type", "data"}
	FieldsHeader = []string{"name", "value"}
	FieldsQuery  = []string{"name", "value"}

	FieldsAuthBearer = []string{"type", "token"}
	FieldsAuthBasic  = []string{"type", "username", "password"}
	FieldsAuthAPIKey = []string{"type", "key", "value", "placement", "in", "name", "header", "token", "headers"}
	FieldsAuthHeader = []string{"type", "header", "name", "value"}
	FieldsAuthQuery  = []string{"type", "parameters", "name", "key", "value"}
	FieldsAuthOAuth2 = []string{"type", "tokenEndpoint", "clientId", "clientSecret", "scopes", "audience", "resource",
		"authorizationServerUri", "tokenValidation"}
	FieldsAuthAWS = []string{"type", "accessKeyId", "secretKey", "secretAccessKey", "sessionToken", "region", "service"}
)

// Suggest returns the one best candidate for a misspelt field name: the
// first of Near(name, candidates, 2, 0), or "".
func Suggest(name string, candidates []string) string {
	if s := Near(name, candidates, 2, 0); len(s) > 0 {
		return s[0]
	}
	return ""
}

// Distance returns the edit distance between a and b counted in runes, or
// limit as soon as the distance is known to reach limit (limit ≤ 0: no
// limit).
func Distance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if limit <= 0 {
		limit = len(ra) + len(rb) + 1
	}
	if d := len(ra) - len(rb); d >= limit || -d >= limit {
		return limit
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
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
	return min(prev[len(rb)], limit)
}

// Near returns up to three candidates close to name, in candidate order
// within each step: equal ignoring case first, then within edit distance
// 1, 2, … maxDist (Distance, ignoring case), then, when minSub > 0 and
// name has at least minSub bytes, those containing name or contained in
// it. It is naftiko's one did-you-mean: of field names (Suggest), of
// references (operations, parameters, namespaces).
func Near(name string, candidates []string, maxDist, minSub int) []string {
	var out []string
	add := func(c string) {
		if len(out) < 3 && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	lower := strings.ToLower(name)
	lc := make([]string, len(candidates))
	dist := make([]int, len(candidates))
	for i, c := range candidates {
		lc[i] = strings.ToLower(c)
		dist[i] = Distance(lower, lc[i], maxDist+1)
	}
	for d := 0; d <= maxDist; d++ {
		for i, c := range candidates {
			if dist[i] == d {
				add(c)
			}
		}
	}
	if minSub > 0 && len(lower) >= minSub {
		for i, c := range candidates {
			if strings.Contains(lc[i], lower) || strings.Contains(lower, lc[i]) {
				add(c)
			}
		}
	}
	return out
}
