package spec

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/naftiko/naftiko/spec/internal/vocab"
)

// authPair loads `authentication`, or its dialect spelling `auth`
// (SPEC.md §2.4 #13); both together are an element error. quiet suppresses
// the diagnostics that only concern consumed authentication (used for
// exposes, whose inbound authentication is checked when serving).
func (l *loader) authPair(authentication, authK, auth *yaml.Node, quiet bool) *Auth {
	if auth == nil {
		if authentication == nil {
			return nil
		}
		return l.auth(authentication, quiet)
	}
	if authentication != nil {
		l.elemError(authK, "auth-duplicate", "both `authentication` and `auth` are given", "keep only `authentication`")
		return l.auth(authentication, quiet)
	}
	if !quiet {
		l.info(authK, "dialect", "`auth` is read as `authentication`")
	}
	return l.auth(auth, quiet)
}

// authField is one scalar field of an authentication block.
type authField struct {
	key, val *yaml.Node
	name     string
}

// auth normalises an authentication block into an Auth (SPEC.md §7,
// §2.4 #13–19).
func (l *loader) auth(n *yaml.Node, quiet bool) *Auth {
	d := deref(n)
	if d == nil || isNull(d) {
		return nil
	}
	if d.Kind != yaml.MappingNode {
		l.elemError(n, "wrong-kind", fmt.Sprintf("`authentication` must be a mapping, not a %s", kindName(d)), "")
		return nil
	}
	a := &Auth{Pos: l.at(d)}
	ps := pairs(d)
	fields := make([]authField, 0, len(ps)/2)
	var typeV *yaml.Node
	for i := 0; i+1 < len(ps); i += 2 {
		key, ok := keyText(ps[i])
		if !ok {
			if !quiet {
				l.unknownField(ps[i], "`authentication`", nil)
			}
			continue
		}
		if key == "type" {
			typeV = ps[i+1]
			continue
		}
		fields = append(fields, authField{ps[i], ps[i+1], key})
	}
	field := func(name string) *authField {
		for i := range fields {
			if fields[i].name == name {
				return &fields[i]
			}
		}
		return nil
	}
	get := func(name string) *yaml.Node {
		if f := field(name); f != nil {
			return f.val
		}
		return nil
	}
	tmpl := func(name string) *Template {
		if v := get(name); v != nil {
			return l.template(v, name, TextTemplate)
		}
		return nil
	}
	dialect := func(v *yaml.Node, msg string) {
		if !quiet {
			l.info(v, "dialect", msg)
		}
	}

	raw := ""
	if typeV != nil {
		raw = strings.TrimSpace(l.str(typeV, "type"))
	}
	a.Type = strings.ToLower(raw)
	if raw != a.Type {
		dialect(typeV, fmt.Sprintf("authentication type `%s` is read as `%s`", raw, a.Type))
	}
	var known []string
	switch a.Type {
	case "bearer":
		known = vocab.FieldsAuthBearer
		a.Token = tmpl("token")
	case "basic", "digest":
		known = vocab.FieldsAuthBasic
		a.Username, a.Password = tmpl("username"), tmpl("password")
	case "apikey":
		known = vocab.FieldsAuthAPIKey
		l.apiKey(a, d, field, dialect)
	case "header":
		known = vocab.FieldsAuthHeader
		dialect(typeV, "authentication `type: header` sends one header credential")
		name := get("header")
		if name == nil {
			name = get("name")
		}
		a.Placement = "header"
		a.Credentials = append(a.Credentials, Credential{Placement: "header", Key: l.str(name, "header"), Value: l.valueTmpl(get("value"), d)})
		if a.Credentials[0].Key == "" && !quiet {
			l.warn(d, "required-field", "header authentication has no `header` name", "")
		}
	case "query":
		known = vocab.FieldsAuthQuery
		dialect(typeV, "authentication `type: query` sends query credentials")
		a.Placement = "query"
		l.queryCreds(a, d, get)
	case "oauth2":
		known = vocab.FieldsAuthOAuth2
		for _, f := range []string{"tokenEndpoint", "clientId", "clientSecret", "audience", "resource", "authorizationServerUri"} {
			if t := tmpl(f); t != nil {
				a.setField(f, t)
			}
		}
		a.Scopes = l.scopes(get("scopes"))
	case "aws-sig-v4":
		known = vocab.FieldsAuthAWS
		for _, f := range []string{"accessKeyId", "secretAccessKey", "sessionToken", "region", "service"} {
			if t := tmpl(f); t != nil {
				a.setField(f, t)
			}
		}
		if t := tmpl("secretKey"); t != nil && a.Fields["secretAccessKey"] == nil {
			a.setField("secretAccessKey", t)
		}
	default:
		// Unsupported: keep every scalar field, for messages and hints.
		for _, f := range fields {
			if v := deref(f.val); v.Kind == yaml.ScalarNode {
				a.setField(f.name, l.template(v, f.name, TextTemplate))
			}
		}
		if !quiet {
			what := fmt.Sprintf("authentication type `%s` is not supported", raw)
			if raw == "" {
				what = "authentication has no `type`"
			}
			at := typeV
			if at == nil {
				at = d
			}
			l.warn(at, "auth-unsupported", what+"; calls fail before anything is sent",
				"supply credentials by hand with -H 'Authorization: …'")
		}
	}
	if known != nil && !quiet {
		for _, f := range fields {
			if !contains(known, f.name) {
				l.unknownField(f.key, "`authentication` of type "+a.Type, known)
			}
		}
	}
	return a
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (a *Auth) setField(name string, t *Template) {
	if a.Fields == nil {
		a.Fields = make(map[string]*Template, 4)
	}
	a.Fields[name] = t
}

// valueTmpl parses v as a template; a missing v gives an empty template.
func (l *loader) valueTmpl(v, parent *yaml.Node) *Template {
	if v == nil {
		return &Template{Pos: l.at(parent)}
	}
	return l.template(v, "value", TextTemplate)
}

// apiKey reads the apikey forms: {key, value, placement}, {in, name, value}
// (#15), {header, token} (#16) and a headers map (#17).
func (l *loader) apiKey(a *Auth, d *yaml.Node, field func(string) *authField, dialect func(*yaml.Node, string)) {
	get := func(name string) *yaml.Node {
		if f := field(name); f != nil {
			return f.val
		}
		return nil
	}
	keyV, valueV, placeV := get("key"), get("value"), get("placement")
	if f := field("header"); f != nil && keyV != nil && valueV == nil {
		// {header: NAME, key: '{{VAR}}'}: the header names the key and
		// `key` holds the value (apyhub).
		dialect(f.key, "apikey `header` is read as the header name and `key` as its value")
		keyV, valueV = f.val, keyV
	}
	if keyV == nil {
		if f := field("name"); f != nil {
			keyV = f.val
			dialect(f.key, "apikey `name` is read as `key`")
		} else if f := field("header"); f != nil {
			keyV = f.val
			if placeV == nil && get("in") == nil {
				dialect(f.key, "apikey `header` is read as `key` with `placement: header`")
			}
		}
	}
	if valueV == nil {
		if f := field("token"); f != nil {
			valueV = f.val
			dialect(f.key, "apikey `token` is read as `value`")
		}
	}
	if placeV == nil {
		if f := field("in"); f != nil {
			placeV = f.val
			dialect(f.key, "apikey `in` is read as `placement`")
		}
	}
	var headersK, headersV *yaml.Node
	if f := field("headers"); f != nil {
		headersK, headersV = f.key, f.val
	}
	if keyV != nil || valueV != nil || headersV == nil {
		placement := "header"
		if placeV != nil {
			if p := strings.ToLower(strings.TrimSpace(l.str(placeV, "placement"))); p != "" {
				placement = p
			}
			if placement != "header" && placement != "query" {
				l.warn(placeV, "auth-unsupported", fmt.Sprintf("apikey placement `%s` is not supported; use header or query", placement), "")
			}
		}
		key := l.str(keyV, "key")
		if key == "" {
			l.warn(d, "required-field", "apikey authentication has no `key` (the header or query parameter name)", "")
		}
		a.Placement = placement
		a.Credentials = append(a.Credentials, Credential{Placement: placement, Key: key, Value: l.valueTmpl(valueV, d)})
	}
	if headersV != nil {
		h := deref(headersV)
		if h.Kind == yaml.SequenceNode {
			l.apiKeyHeaderList(a, headersK, h, dialect)
			return
		}
		if h.Kind != yaml.MappingNode {
			l.elemError(headersV, "wrong-kind", fmt.Sprintf("apikey `headers` must be a mapping, not a %s", kindName(h)), "")
			return
		}
		dialect(headersK, "apikey `headers` sends one header credential per entry")
		if a.Placement == "" {
			a.Placement = "header"
		}
		ps := pairs(h)
		for i := 0; i+1 < len(ps); i += 2 {
			name, ok := keyText(ps[i])
			if !ok || name == "" {
				l.elemError(ps[i], "wrong-kind", "a header name must be a non-empty string", "")
				continue
			}
			a.Credentials = append(a.Credentials, Credential{Placement: "header", Key: name,
				Value: l.template(ps[i+1], name, TextTemplate)})
		}
	}
}

// apiKeyHeaderList reads apikey `headers` written as a list of
// {key, value} (or {name, value}) entries.
func (l *loader) apiKeyHeaderList(a *Auth, headersK, h *yaml.Node, dialect func(*yaml.Node, string)) {
	dialect(headersK, "apikey `headers` list sends one header credential per {key, value} entry")
	if a.Placement == "" {
		a.Placement = "header"
	}
	for _, it := range h.Content {
		e := deref(it)
		if e == nil || e.Kind != yaml.MappingNode {
			l.elemError(it, "wrong-kind", "an apikey `headers` entry must be a mapping {key, value}", "")
			continue
		}
		var nameV, valV *yaml.Node
		ps := pairs(e)
		for i := 0; i+1 < len(ps); i += 2 {
			switch k, _ := keyText(ps[i]); k {
			case "key", "name":
				nameV = ps[i+1]
			case "value":
				valV = ps[i+1]
			}
		}
		name := l.str(nameV, "key")
		if name == "" || valV == nil {
			l.elemError(it, "required-field", "an apikey `headers` entry needs a `key` (the header name) and a `value`", "")
			continue
		}
		a.Credentials = append(a.Credentials, Credential{Placement: "header", Key: name, Value: l.template(valV, name, TextTemplate)})
	}
}

// queryCreds reads `type: query` credentials: parameters: [{name, value}],
// or a single {name, value}.
func (l *loader) queryCreds(a *Auth, d *yaml.Node, get func(string) *yaml.Node) {
	if pv := get("parameters"); pv != nil {
		p := deref(pv)
		if p.Kind != yaml.SequenceNode {
			l.elemError(pv, "wrong-kind", fmt.Sprintf("query authentication `parameters` must be a list, not a %s", kindName(p)), "")
			return
		}
		for _, it := range p.Content {
			e := deref(it)
			if e.Kind != yaml.MappingNode {
				l.elemError(it, "wrong-kind", fmt.Sprintf("a query credential must be a mapping, not a %s", kindName(e)), "")
				continue
			}
			var name string
			var valueV *yaml.Node
			ps := pairs(e)
			for i := 0; i+1 < len(ps); i += 2 {
				switch key, _ := keyText(ps[i]); key {
				case "name":
					name = l.str(ps[i+1], "name")
				case "value":
					valueV = ps[i+1]
				default:
					l.unknownField(ps[i], "a query credential", vocab.FieldsQuery)
				}
			}
			if name == "" {
				l.warn(e, "required-field", "a query credential has no `name`", "")
				continue
			}
			a.Credentials = append(a.Credentials, Credential{Placement: "query", Key: name, Value: l.valueTmpl(valueV, e)})
		}
		return
	}
	name := get("name")
	if name == nil {
		name = get("key")
	}
	if name == nil {
		l.warn(d, "required-field", "query authentication has no `parameters`", "")
		return
	}
	a.Credentials = append(a.Credentials, Credential{Placement: "query", Key: l.str(name, "name"), Value: l.valueTmpl(get("value"), d)})
}

// scopes reads OAuth2 scopes: a list, or one space-separated string.
func (l *loader) scopes(v *yaml.Node) []string {
	d := deref(v)
	if d == nil || isNull(d) {
		return nil
	}
	if d.Kind == yaml.ScalarNode {
		return strings.Fields(d.Value)
	}
	if d.Kind != yaml.SequenceNode {
		l.elemError(v, "wrong-kind", fmt.Sprintf("`scopes` must be a list, not a %s", kindName(d)), "")
		return nil
	}
	out := make([]string, 0, len(d.Content))
	for _, it := range d.Content {
		if s := l.str(it, "scopes"); s != "" {
			out = append(out, s)
		}
	}
	return out
}
