package vocab

import "strings"

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

// Suggest returns the candidate that equals name case-insensitively, else
// the closest one within Levenshtein distance 2, else "".
func Suggest(name string, candidates []string) string {
	for _, c := range candidates {
		if strings.EqualFold(c, name) {
			return c
		}
	}
	best, bestD := "", 3
	for _, c := range candidates {
		if d := Levenshtein(name, c, bestD); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// Levenshtein returns the edit distance between a and b (in bytes), or a
// value ≥ limit as soon as the distance is known to reach limit.
func Levenshtein(a, b string, limit int) int {
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

// Distance returns the edit distance between a and b counted in runes,
// without a limit.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) == 0 {
		return len(rb)
	}
	if len(rb) == 0 {
		return len(ra)
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Near returns up to three candidates close to name: equal ignoring case
// first, then within edit distance 1…maxDist (Distance, ignoring case),
// then those containing name or contained in it when name has at least
// minSub bytes. It is the one did-you-mean of references (operations,
// parameters, namespaces); Suggest is the one of field names.
func Near(name string, candidates []string, maxDist, minSub int) []string {
	var out []string
	add := func(c string) {
		if len(out) >= 3 {
			return
		}
		for _, o := range out {
			if o == c {
				return
			}
		}
		out = append(out, c)
	}
	lower := strings.ToLower(name)
	for _, c := range candidates {
		if strings.ToLower(c) == lower {
			add(c)
		}
	}
	for d := 1; d <= maxDist; d++ {
		for _, c := range candidates {
			if Distance(lower, strings.ToLower(c)) == d {
				add(c)
			}
		}
	}
	if len(lower) >= max(minSub, 1) {
		for _, c := range candidates {
			lc := strings.ToLower(c)
			if strings.Contains(lc, lower) || strings.Contains(lower, lc) {
				add(c)
			}
		}
	}
	return out
}
