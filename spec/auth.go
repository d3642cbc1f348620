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

// auth normalises an authentication block into an Auth (SPEC.md §7,
// §2.4 #13–19).
func (l *loader) auth(n *yaml.Node, quiet bool) *Auth {
	d := l.optMapping(n, "authentication")
	if d == nil {
		return nil
	}
	r := &authReader{l: l, d: d, quiet: quiet, a: &Auth{Pos: l.at(d)}, fs: allFields(d)}
	if !quiet {
		l.unknownFields(r.fs, "`authentication`")
	}
	r.typeV = r.fs.get("type")
	a := r.a
	raw := ""
	if r.typeV != nil {
		raw = strings.TrimSpace(l.str(r.typeV, "type"))
	}
	a.Type = strings.ToLower(raw)
	if raw != a.Type {
		r.dialect(r.typeV, fmt.Sprintf("authentication type `%s` is read as `%s`", raw, a.Type))
	}
	known := r.byType(raw)
	if known != nil && !quiet {
		l.unknownFields(r.fs.outside(known), "`authentication` of type "+a.Type)
	}
	return a
}

// authReader reads the fields of one authentication block.
type authReader struct {
	l     *loader
	d     *yaml.Node
	quiet bool
	a     *Auth
	typeV *yaml.Node
	// fs holds every field of the block; the type decides which are known.
	fs fieldSet
}

func (r *authReader) field(name string) *field {
	if name == "type" {
		return nil
	}
	return r.fs.find(name)
}

func (r *authReader) get(name string) *yaml.Node {
	if f := r.field(name); f != nil {
		return f.val
	}
	return nil
}

func (r *authReader) tmpl(name string) *Template {
	if v := r.get(name); v != nil {
		return r.l.template(v, name, TextTemplate)
	}
	return nil
}

func (r *authReader) dialect(v *yaml.Node, msg string) {
	if !r.quiet {
		r.l.info(v, "dialect", msg)
	}
}

// byType reads the fields of the block's type and returns the fields that
// type knows (nil for an unsupported type).
func (r *authReader) byType(raw string) []string {
	a, l := r.a, r.l
	switch a.Type {
	case "bearer":
		a.Token = r.tmpl("token")
		return vocab.FieldsAuthBearer
	case "basic", "digest":
		a.Username, a.Password = r.tmpl("username"), r.tmpl("password")
		return vocab.FieldsAuthBasic
	case "apikey":
		l.apiKey(a, r.d, r.field, r.dialect)
		return vocab.FieldsAuthAPIKey
	case "header":
		r.header()
		return vocab.FieldsAuthHeader
	case "query":
		r.dialect(r.typeV, "authentication `type: query` sends query credentials")
		a.Placement = "query"
		l.queryCreds(a, r.d, r.get)
		return vocab.FieldsAuthQuery
	case "oauth2":
		r.templates("tokenEndpoint", "clientId", "clientSecret", "audience", "resource", "authorizationServerUri")
		a.Scopes = l.scopes(r.get("scopes"))
		return vocab.FieldsAuthOAuth2
	case "aws-sig-v4":
		r.templates("accessKeyId", "secretAccessKey", "sessionToken", "region", "service")
		if t := r.tmpl("secretKey"); t != nil && a.Fields["secretAccessKey"] == nil {
			a.setField("secretAccessKey", t)
		}
		return vocab.FieldsAuthAWS
	}
	r.unsupported(raw)
	return nil
}

// templates reads the named fields as templates into Auth.Fields.
func (r *authReader) templates(names ...string) {
	for _, f := range names {
		if t := r.tmpl(f); t != nil {
			r.a.setField(f, t)
		}
	}
}

// header reads `type: header`: one header credential.
func (r *authReader) header() {
	r.dialect(r.typeV, "authentication `type: header` sends one header credential")
	name := r.get("header")
	if name == nil {
		name = r.get("name")
	}
	a := r.a
	a.Placement = "header"
	a.Credentials = append(a.Credentials, Credential{Placement: "header", Key: r.l.str(name, "header"), Value: r.l.valueTmpl(r.get("value"), r.d)})
	if a.Credentials[0].Key == "" && !r.quiet {
		r.l.warn(r.d, "required-field", "header authentication has no `header` name", "")
	}
}

// unsupported keeps every scalar field of an unsupported type, for
// messages and hints, and warns.
func (r *authReader) unsupported(raw string) {
	for _, f := range r.fs.list {
		if v := deref(f.val); v.Kind == yaml.ScalarNode && f.name != "type" {
			r.a.setField(f.name, r.l.template(v, f.name, TextTemplate))
		}
	}
	if r.quiet {
		return
	}
	what := fmt.Sprintf("authentication type `%s` is not supported", raw)
	if raw == "" {
		what = "authentication has no `type`"
	}
	at := r.typeV
	if at == nil {
		at = r.d
	}
	r.l.warn(at, "auth-unsupported", what+"; calls fail before anything is sent",
		"supply credentials by hand with -H 'Authorization: …'")
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
func (l *loader) apiKey(a *Auth, d *yaml.Node, field func(string) *field, dialect func(*yaml.Node, string)) {
	keyV, valueV, placeV := apiKeyFields(field, dialect)
	var headersK, headersV *yaml.Node
	if f := field("headers"); f != nil {
		headersK, headersV = f.key, f.val
	}
	if keyV != nil || valueV != nil || headersV == nil {
		l.apiKeyCredential(a, d, keyV, valueV, placeV)
	}
	if headersV != nil {
		l.apiKeyHeaders(a, headersK, headersV, dialect)
	}
}

// apiKeyCredential adds the one key/value credential of an apikey block.
func (l *loader) apiKeyCredential(a *Auth, d, keyV, valueV, placeV *yaml.Node) {
	placement := "header"
	if placeV != nil {
		if p := l.keyword(placeV, "placement"); p != "" {
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

// apiKeyHeaders adds the credentials of an apikey `headers` block: a list
// of {name, value} or a mapping of header names to values.
func (l *loader) apiKeyHeaders(a *Auth, headersK, headersV *yaml.Node, dialect func(*yaml.Node, string)) {
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
	for _, hd := range l.headers(h) {
		a.Credentials = append(a.Credentials, Credential{Placement: "header", Key: hd.Name, Value: hd.Value})
	}
}

// apiKeyFields finds the key (name), value and placement nodes of an
// apikey block among its dialect spellings (SPEC.md §2.4).
func apiKeyFields(field func(string) *field, dialect func(*yaml.Node, string)) (keyV, valueV, placeV *yaml.Node) {
	get := func(name string) *yaml.Node {
		if f := field(name); f != nil {
			return f.val
		}
		return nil
	}
	keyV, valueV, placeV = get("key"), get("value"), get("placement")
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
	return keyV, valueV, placeV
}

// fieldsAPIKeyHeader are the fields of an apikey `headers` list entry.
var fieldsAPIKeyHeader = []string{"key", "name", "value"}

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
		fs := fieldsOf(e, fieldsAPIKeyHeader)
		var nameV *yaml.Node
		if f := fs.last("key", "name"); f != nil {
			nameV = f.val
		}
		valV := fs.get("value")
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
			name, valueV := l.nameValue(e, "a query credential", vocab.FieldsQuery)
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
