package engine

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/naftiko/naftiko/spec"
)

// wire is one request as the fake upstream received it.
type wire struct {
	Method string
	Path   string // escaped path as sent
	Query  string // raw query as sent
	Header http.Header
	Body   string
}

// upstream is a fake API that records every request and answers with the
// function given.
type upstream struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []wire
}

func newUpstream(t testing.TB, answer func(w http.ResponseWriter, r *http.Request)) *upstream {
	t.Helper()
	u := &upstream{}
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		u.mu.Lock()
		u.reqs = append(u.reqs, wire{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: string(b)})
		u.mu.Unlock()
		answer(w, r)
	}))
	t.Cleanup(u.Close)
	return u
}

func (u *upstream) requests() []wire {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]wire(nil), u.reqs...)
}

func (u *upstream) only(t *testing.T) wire {
	t.Helper()
	r := u.requests()
	if len(r) != 1 {
		t.Fatalf("upstream got %d requests, want 1", len(r))
	}
	return r[0]
}

func jsonAnswer(status int, body string) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

func parse(t testing.TB, doc string) *spec.Capability {
	t.Helper()
	c, err := spec.Parse([]byte(doc), "test.yaml")
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return c
}

func loadFile(t testing.TB, path string) *spec.Capability {
	t.Helper()
	c, err := spec.LoadFile(path)
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	return c
}

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

func newEngine(t testing.TB, c *spec.Capability, u *upstream, opts ...Option) *Engine {
	t.Helper()
	base := []Option{WithHTTPClient(u.Client()), WithBaseURI("", u.URL), WithLookup(env(nil)), WithUserAgent("naftiko/test")}
	e, err := New(c, append(base, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	e.sleep = func(ctx context.Context, d time.Duration) error { return ctx.Err() }
	return e
}

// mustResolve resolves ref or fails the test.
func mustResolve(t testing.TB, e *Engine, ref string) *Operation {
	t.Helper()
	op, err := e.Resolve(ref)
	if err != nil {
		t.Fatal(err)
	}
	return op
}

// wantErr checks an error's kind and exact message.
func wantErr(t *testing.T, err error, kind spec.Kind, msg string) *spec.Error {
	t.Helper()
	var se *spec.Error
	if !errors.As(err, &se) {
		t.Fatalf("error = %v (%T), want *spec.Error", err, err)
	}
	if se.Kind != kind || se.Error() != msg {
		t.Fatalf("error = %s %q\nwant   %s %q", se.Kind, se.Error(), kind, msg)
	}
	return se
}

const clerkFile = "../capabilities/clerk/organization-memberships.yaml"

var clerkEnv = map[string]string{"CLERK_SECRET_KEY": "sk_test_a&b<c>"}

func TestClerkOperationsOnTheWire(t *testing.T) {
	tests := []struct {
		name   string
		op     string
		params map[string]any
		want   wire
	}{{
		name: "list with repeated array values and a plus sign",
		op:   "ListOrganizationMemberships",
		params: map[string]any{"organization_id": "org_2RwC6", "user_id": []string{"user_a", "user_b"},
			"order_by": "+created_at", "limit": "10", "offset": "20"},
		want: wire{Method: "GET", Path: "/organizations/org_2RwC6/memberships",
			Query: "order_by=%2Bcreated_at&user_id=user_a&user_id=user_b&limit=10&offset=20"},
	}, {
		name:   "create sends the body parameter byte for byte",
		op:     "CreateOrganizationMembership",
		params: map[string]any{"organization_id": "org_1", "body": `{"user_id":"user_a", "role":"org:member"}`},
		want: wire{Method: "POST", Path: "/organizations/org_1/memberships",
			Body: `{"user_id":"user_a", "role":"org:member"}`},
	}, {
		name:   "update",
		op:     "UpdateOrganizationMembership",
		params: map[string]any{"organization_id": "o", "user_id": "u", "body": map[string]any{"role": "org:admin"}},
		want:   wire{Method: "PATCH", Path: "/organizations/o/memberships/u", Body: `{"role":"org:admin"}`},
	}, {
		name:   "delete escapes path values as one segment",
		op:     "DeleteOrganizationMembership",
		params: map[string]any{"organization_id": "../x?y#z", "user_id": "a b/c"},
		want:   wire{Method: "DELETE", Path: "/organizations/..%2Fx%3Fy%23z/memberships/a%20b%2Fc"},
	}, {
		name:   "metadata",
		op:     "UpdateOrganizationMembershipMetadata",
		params: map[string]any{"organization_id": "o", "user_id": "u", "body": `{"public_metadata":{"a":1}}`},
		want:   wire{Method: "PATCH", Path: "/organizations/o/memberships/u/metadata", Body: `{"public_metadata":{"a":1}}`},
	}, {
		name:   "instance list with integer parameters",
		op:     "InstanceGetOrganizationMemberships",
		params: map[string]any{"order_by": "-created_at", "limit": int64(5), "offset": 0},
		want:   wire{Method: "GET", Path: "/organization_memberships", Query: "order_by=-created_at&limit=5&offset=0"},
	}}
	c := loadFile(t, clerkFile)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := newUpstream(t, jsonAnswer(200, `{"data":[{"id":"orgmem_1"}],"total_count":1}`))
			e := newEngine(t, c, u, WithLookup(env(clerkEnv)))
			res, err := e.Call(context.Background(), tt.op, tt.params)
			if err != nil {
				t.Fatal(err)
			}
			got := u.only(t)
			if got.Method != tt.want.Method || got.Path != tt.want.Path || got.Query != tt.want.Query || got.Body != tt.want.Body {
				t.Errorf("wire = %s %s ? %s body %q\nwant   %s %s ? %s body %q",
					got.Method, got.Path, got.Query, got.Body, tt.want.Method, tt.want.Path, tt.want.Query, tt.want.Body)
			}
			wantHeaders := map[string]string{
				"Authorization": "Bearer sk_test_a&b<c>",
				"Accept":        "application/json",
				"User-Agent":    "naftiko/test",
			}
			if tt.want.Body != "" {
				wantHeaders["Content-Type"] = "application/json"
			}
			for k, v := range wantHeaders {
				if g := got.Header.Get(k); g != v {
					t.Errorf("header %s = %q, want %q", k, g, v)
				}
			}
			if tt.want.Body == "" && got.Header.Get("Content-Type") != "" {
				t.Errorf("Content-Type %q sent without a body", got.Header.Get("Content-Type"))
			}
			if res.Status != 200 {
				t.Errorf("status = %d", res.Status)
			}
			m, ok := res.Value.(map[string]any)
			if !ok || m["total_count"] != int64(1) {
				t.Errorf("value = %#v", res.Value)
			}
			if _, ok := res.Outputs["result"]; !ok || len(res.Outputs) != 1 {
				t.Errorf("outputs = %#v", res.Outputs)
			}
		})
	}
}

func TestSeedAsPublishedRunsWithHeader(t *testing.T) {
	c := loadFile(t, "../testdata/seed/clerk-organization-memberships.yaml")
	u := newUpstream(t, jsonAnswer(200, `{"data":[],"total_count":0}`))
	e := newEngine(t, c, u, WithLookup(env(clerkEnv)), WithHeader("Authorization", "Bearer {{CLERK_SECRET_KEY}}"))
	if _, err := e.Call(context.Background(), "ListOrganizationMemberships", map[string]any{"organization_id": "org_1"}); err != nil {
		t.Fatal(err)
	}
	if got := u.only(t).Header.Get("Authorization"); got != "Bearer sk_test_a&b<c>" {
		t.Errorf("Authorization = %q", got)
	}
}

func TestSeedWithoutCredentialsHints(t *testing.T) {
	c := loadFile(t, "../testdata/seed/clerk-organization-memberships.yaml")
	u := newUpstream(t, jsonAnswer(401, `{"errors":[{"code":"authorization_invalid"}]}`))
	e := newEngine(t, c, u)
	_, err := e.Call(context.Background(), "ListOrganizationMemberships", map[string]any{"organization_id": "org_1"})
	se := wantErr(t, err, KindUpstream, "upstream: ListOrganizationMemberships: upstream answered 401 Unauthorized")
	want := `namespace clerk-backend-api-organization-memberships has no authentication block, so no credentials were sent. The capability binds CLERK_SECRET_KEY (namespace "env").
Retry with -H 'Authorization: Bearer {{CLERK_SECRET_KEY}}', or add
authentication: {type: bearer, token: '{{CLERK_SECRET_KEY}}'} to the consumes entry.`
	if se.Hint != want {
		t.Errorf("hint = %q\nwant %q", se.Hint, want)
	}
	if se.ExitCode() != 4 || se.Status != 401 {
		t.Errorf("exit %d status %d", se.ExitCode(), se.Status)
	}
	if m, ok := se.Body.(map[string]any); !ok || m["errors"] == nil {
		t.Errorf("body = %#v", se.Body)
	}
	if h := u.only(t).Header.Get("Authorization"); h != "" {
		t.Errorf("Authorization sent: %q", h)
	}
}

func TestUsageErrorsSendNothing(t *testing.T) {
	c := loadFile(t, clerkFile)
	tests := []struct {
		name   string
		op     string
		params map[string]any
		kind   spec.Kind
		msg    string
		hint   string
	}{
		{"unknown operation", "ListOrganizationMembership", nil, KindUsage,
			"usage: ListOrganizationMembership: unknown operation `ListOrganizationMembership` (did you mean `ListOrganizationMemberships`?)", "naftiko ops FILE lists the operations"},
		{"unknown parameter", "ListOrganizationMemberships", map[string]any{"organization_id": "o", "usr_id": "x"}, KindUsage,
			"usage: ListOrganizationMemberships: unknown parameter `usr_id` for clerk-backend-api-organization-memberships.organizations-organization-id-memberships.ListOrganizationMemberships (did you mean `user_id`?)", ""},
		{"missing required", "UpdateOrganizationMembership", map[string]any{"user_id": "u"}, KindUsage,
			"usage: UpdateOrganizationMembership: missing required parameters `organization_id`, `body`", ""},
		{"bad integer", "ListOrganizationMemberships", map[string]any{"organization_id": "o", "limit": "ten"}, KindUsage,
			`usage: ListOrganizationMemberships: parameter limit: expected integer, got "ten"`, ""},
		{"bad object", "CreateOrganizationMembership", map[string]any{"organization_id": "o", "body": `{"a":`}, KindUsage,
			"usage: CreateOrganizationMembership: parameter body: expected a JSON object: unexpected end of input", ""},
		{"empty path value", "DeleteOrganizationMembership", map[string]any{"organization_id": "..", "user_id": "u"}, KindRequest,
			`request: DeleteOrganizationMembership: path parameter value ".." is not a valid path segment`, ""},
		{"missing secret", "InstanceGetOrganizationMemberships", nil, KindBinding,
			`binding: InstanceGetOrganizationMemberships: variable CLERK_SECRET_KEY (binds namespace "env") is not set`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := newUpstream(t, jsonAnswer(200, `{}`))
			lookup := env(clerkEnv)
			if tt.kind == KindBinding {
				lookup = env(nil)
			}
			e := newEngine(t, c, u, WithLookup(lookup))
			_, err := e.Call(context.Background(), tt.op, tt.params)
			se := wantErr(t, err, tt.kind, tt.msg)
			if tt.name == "missing required" && (se.Hint != "" || strings.Join(se.Inputs, ",") != "organization_id,body") {
				t.Errorf("hint %q, inputs %q: want no hint (the caller words it) and the inputs", se.Hint, se.Inputs)
			}
			if tt.name == "missing secret" && (se.Hint != "" || strings.Join(se.Env, ",") != "CLERK_SECRET_KEY" || se.Remedy != spec.RemedyKeyFile) {
				t.Errorf("hint %q, env %q, remedy %d: want no hint (the caller words it), the variable and the key-file remedy", se.Hint, se.Env, se.Remedy)
			}
			if tt.hint != "" && se.Hint != tt.hint {
				t.Errorf("hint = %q, want %q", se.Hint, tt.hint)
			}
			if se.ExitCode() != 2 {
				t.Errorf("exit code %d, want 2", se.ExitCode())
			}
			if n := len(u.requests()); n != 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
}

func TestHeaderInjectionRejected(t *testing.T) {
	c := parse(t, `naftiko: 1.0.0-alpha2
capability:
  consumes:
  - type: http
    namespace: api
    baseUri: https://api.example.com
    resources:
    - name: r
      path: /r
      operations:
      - name: get
        inputParameters:
        - {name: X-Trace, in: header}
`)
	u := newUpstream(t, jsonAnswer(200, `{}`))
	e := newEngine(t, c, u)
	_, err := e.Call(context.Background(), "get", map[string]any{"X-Trace": "a\r\nEvil: 1"})
	wantErr(t, err, KindRequest, "request: get: header X-Trace contains a CR, LF or NUL character; nothing was sent")
	if len(u.requests()) != 0 {
		t.Fatal("request sent")
	}
}

const echoDoc = `naftiko: 1.0.0-alpha2
binds:
- namespace: env
  keys: {API_TOKEN: API_TOKEN}
capability:
  consumes:
  - type: http
    namespace: shop
    baseUri: https://shop.example.com/api/
    headers:
      X-Client: naftiko
    inputParameters:
    - {name: tenant, in: header, value: acme}
    resources:
    - name: items
      path: items/{id}
      inputParameters:
      - {name: id, in: path, type: string}
      operations:
      - name: getItem
        method: get
        path: /details
        inputParameters:
        - {name: fields, in: query, type: array}
        - {name: verbose, in: query, type: boolean}
        - {name: session, in: cookie}
        - {name: theme, in: cookie}
        outputParameters:
        - {name: name, type: string, value: $.item.name}
        - {name: price, type: number, value: $.item.price}
        - {name: tags, type: array, value: '$.item.tags[*]'}
      - name: addItem
        method: POST
        path: /
        inputParameters:
        - {name: name, in: body, required: true}
        - {name: qty, in: body, type: integer}
        - {name: note, in: body}
      - name: templated
        method: PUT
        body:
          type: json
          data:
            sku: '{{id}}'
            amount: '{{tools.amount}}'
            label: 'item {{id}}'
            secret: '{{API_TOKEN}}'
            gift: '{{gift}}'
`

func TestMergedParametersHeadersCookiesAndOutputs(t *testing.T) {
	c := parse(t, echoDoc)
	u := newUpstream(t, jsonAnswer(200, `{"item":{"name":"Lamp","price":12.5,"tags":["a","b"]}}`))
	e := newEngine(t, c, u, WithBaseURI("", u.URL+"/api/"), WithHeader("X-Extra", "1"))
	res, err := e.Call(context.Background(), "getItem", map[string]any{
		"id": "42", "fields": `["a","b c"]`, "verbose": "TRUE", "session": "s 1;x", "theme": "dark"})
	if err != nil {
		t.Fatal(err)
	}
	got := u.only(t)
	if got.Path != "/api/items/42/details" || got.Query != "fields=a&fields=b%20c&verbose=true" {
		t.Errorf("wire = %s ? %s", got.Path, got.Query)
	}
	for k, v := range map[string]string{"Tenant": "acme", "X-Client": "naftiko", "X-Extra": "1", "Cookie": "session=s%201%3Bx; theme=dark"} {
		if g := got.Header.Get(k); g != v {
			t.Errorf("header %s = %q, want %q", k, g, v)
		}
	}
	want := map[string]any{"name": "Lamp", "price": 12.5, "tags": []any{"a", "b"}}
	if !equalJSON(res.Value, want) {
		t.Errorf("value = %#v", res.Value)
	}
}

func TestBodyFromParametersAndTemplates(t *testing.T) {
	c := parse(t, echoDoc)
	t.Run("in body fields in declaration order", func(t *testing.T) {
		u := newUpstream(t, jsonAnswer(201, `{"ok":true}`))
		e := newEngine(t, c, u)
		res, err := e.Call(context.Background(), "addItem", map[string]any{"id": "7", "note": `say "hi" <b>`, "name": "Lamp", "qty": "3"})
		if err != nil {
			t.Fatal(err)
		}
		got := u.only(t)
		if got.Method != "POST" || got.Path != "/items/7/" || got.Body != `{"name":"Lamp","qty":3,"note":"say \"hi\" <b>"}` {
			t.Errorf("wire = %s %s %s", got.Method, got.Path, got.Body)
		}
		if res.Status != 201 {
			t.Errorf("status %d", res.Status)
		}
	})
	t.Run("templated data keeps types and omits absent optional leaves", func(t *testing.T) {
		u := newUpstream(t, jsonAnswer(200, `{}`))
		e := newEngine(t, c, u, WithLookup(env(map[string]string{"API_TOKEN": "tok"})))
		_, err := e.Call(context.Background(), "templated", map[string]any{"id": "9", "amount": 3.5})
		if err != nil {
			t.Fatal(err)
		}
		got := u.only(t)
		if got.Body != `{"sku":"9","amount":3.5,"label":"item 9","secret":"tok"}` {
			t.Errorf("body = %s", got.Body)
		}
		op, _ := e.Resolve("templated")
		var names []string
		for _, in := range op.Inputs {
			names = append(names, in.Name+":"+in.In+":"+map[bool]string{true: "required", false: "optional"}[in.Required])
		}
		if strings.Join(names, " ") != "id:path:required amount:template:optional gift:template:optional" {
			t.Errorf("inputs = %v", names)
		}
	})
}

func equalJSON(a, b any) bool {
	x, _ := marshalJSON(a)
	y, _ := marshalJSON(b)
	return string(x) == string(y)
}

func TestRetries(t *testing.T) {
	c := loadFile(t, clerkFile)
	t.Run("GET retried on 503 then succeeds", func(t *testing.T) {
		n := 0
		u := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
			n++
			if n < 3 {
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(503)
				return
			}
			jsonAnswer(200, `{"total_count":0}`)(w, r)
		})
		e := newEngine(t, c, u, WithLookup(env(clerkEnv)))
		if _, err := e.Call(context.Background(), "InstanceGetOrganizationMemberships", nil); err != nil {
			t.Fatal(err)
		}
		if len(u.requests()) != 3 {
			t.Errorf("%d attempts, want 3", len(u.requests()))
		}
	})
	t.Run("GET gives up after the retries", func(t *testing.T) {
		u := newUpstream(t, jsonAnswer(502, `{"error":"bad gateway"}`))
		e := newEngine(t, c, u, WithLookup(env(clerkEnv)), WithRetries(1))
		_, err := e.Call(context.Background(), "InstanceGetOrganizationMemberships", nil)
		se := wantErr(t, err, KindUpstream, "upstream: InstanceGetOrganizationMemberships: upstream answered 502 Bad Gateway (after 2 attempts)")
		if se.ExitCode() != 5 {
			t.Errorf("exit %d", se.ExitCode())
		}
	})
	t.Run("POST is never retried", func(t *testing.T) {
		u := newUpstream(t, jsonAnswer(503, `{}`))
		e := newEngine(t, c, u, WithLookup(env(clerkEnv)))
		_, err := e.Call(context.Background(), "CreateOrganizationMembership", map[string]any{"organization_id": "o", "body": "{}"})
		wantErr(t, err, KindUpstream, "upstream: CreateOrganizationMembership: upstream answered 503 Service Unavailable")
		if len(u.requests()) != 1 {
			t.Errorf("%d attempts", len(u.requests()))
		}
	})
	t.Run("500 is not retried", func(t *testing.T) {
		u := newUpstream(t, jsonAnswer(500, `{}`))
		e := newEngine(t, c, u, WithLookup(env(clerkEnv)))
		_, err := e.Call(context.Background(), "InstanceGetOrganizationMemberships", nil)
		wantErr(t, err, KindUpstream, "upstream: InstanceGetOrganizationMemberships: upstream answered 500 Internal Server Error")
		if len(u.requests()) != 1 {
			t.Errorf("%d attempts", len(u.requests()))
		}
	})
}

func TestRetryAfter(t *testing.T) {
	for in, want := range map[string]time.Duration{"": -1, "3": 3 * time.Second, "600": 60 * time.Second, "x": -1, "-1": -1} {
		if got := retryAfter(in); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", in, got, want)
		}
	}
	date := time.Now().Add(5 * time.Second).UTC().Format(http.TimeFormat)
	if got := retryAfter(date); got <= 3*time.Second || got > 5*time.Second {
		t.Errorf("retryAfter(date) = %v", got)
	}
}

func TestResponseProblems(t *testing.T) {
	c := loadFile(t, clerkFile)
	t.Run("HTML instead of JSON", func(t *testing.T) {
		u := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<html>login sk_test_a&b<c></html>")
		})
		e := newEngine(t, c, u, WithLookup(env(clerkEnv)))
		_, err := e.Call(context.Background(), "InstanceGetOrganizationMemberships", nil)
		wantErr(t, err, KindOutput, `output: InstanceGetOrganizationMemberships: the response body is not valid json (Content-Type: text/html): invalid character '<' looking for beginning of value; it begins "<html>login ****</html>"`)
	})
	t.Run("over the size cap", func(t *testing.T) {
		u := newUpstream(t, jsonAnswer(200, `{"data":"`+strings.Repeat("x", 2000)+`"}`))
		e := newEngine(t, c, u, WithLookup(env(clerkEnv)), WithMaxResponseSize(1024))
		_, err := e.Call(context.Background(), "InstanceGetOrganizationMemberships", nil)
		wantErr(t, err, KindTransport, "transport: InstanceGetOrganizationMemberships: response from clerk-backend-api-organization-memberships.InstanceGetOrganizationMemberships exceeds the 1 KiB limit")
	})
	t.Run("empty 204 is null", func(t *testing.T) {
		u := newUpstream(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })
		e := newEngine(t, c, u, WithLookup(env(clerkEnv)))
		res, err := e.Call(context.Background(), "DeleteOrganizationMembership", map[string]any{"organization_id": "o", "user_id": "u"})
		if err != nil || res.Value != nil || res.Status != 204 {
			t.Fatalf("res %#v err %v", res, err)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		u := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(2 * time.Second):
			}
		})
		e := newEngine(t, c, u, WithLookup(env(clerkEnv)), WithTimeout(50*time.Millisecond), WithRetries(0))
		_, err := e.Call(context.Background(), "InstanceGetOrganizationMemberships", nil)
		se := wantErr(t, err, KindTransport, "transport: InstanceGetOrganizationMemberships: timed out after 50ms waiting for the upstream")
		if !se.Timeout || se.HTTPStatus() != 504 {
			t.Errorf("timeout flag %v status %d", se.Timeout, se.HTTPStatus())
		}
	})
	t.Run("numbers keep their precision", func(t *testing.T) {
		u := newUpstream(t, jsonAnswer(200, `{"a":12345678901234567890,"b":1.5,"c":7,"d":0.1234567890123456789}`))
		e := newEngine(t, c, u, WithLookup(env(clerkEnv)))
		res, err := e.Call(context.Background(), "InstanceGetOrganizationMemberships", nil)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := marshalJSON(res.Value)
		if string(b) != `{"a":12345678901234567890,"b":1.5,"c":7,"d":0.1234567890123456789}` {
			t.Errorf("value = %s", b)
		}
	})
}

func TestDryRunRedactsSecrets(t *testing.T) {
	c := loadFile(t, clerkFile)
	e, err := New(c, WithLookup(env(clerkEnv)), WithUserAgent("naftiko/test"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.Prepare(context.Background(), mustResolve(t, e, "CreateOrganizationMembership"), map[string]any{"organization_id": "org_1", "body": `{"role":"org:member","echo":"sk_test_a&b<c>"}`})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	p.Dump(&b)
	want := `POST https://api.clerk.com/v1/organizations/org_1/memberships
Accept: application/json
Authorization: ****
Content-Type: application/json
User-Agent: naftiko/test

{"role":"org:member","echo":"****"}
`
	if b.String() != want {
		t.Errorf("dump:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	p.Curl(&b)
	wantCurl := `curl -X POST 'https://api.clerk.com/v1/organizations/org_1/memberships' \
  -H 'Accept: application/json' \
  -H 'Authorization: Bearer '"$CLERK_SECRET_KEY" \
  -H 'Content-Type: application/json' \
  -H 'User-Agent: naftiko/test' \
  --data-binary '{"role":"org:member","echo":"'"$CLERK_SECRET_KEY"'"}'
`
	if b.String() != wantCurl {
		t.Errorf("curl:\n%s\nwant:\n%s", b.String(), wantCurl)
	}
}

func TestBaseURIOptions(t *testing.T) {
	c := loadFile(t, clerkFile)
	_, err := New(c, WithBaseURI("clerk-backend-api-organization-membership", "http://x"))
	wantErr(t, err, KindUsage, "usage: --base-uri names namespace `clerk-backend-api-organization-membership`, which the capability does not consume (did you mean `clerk-backend-api-organization-memberships`?)")

	empty := parse(t, `naftiko: 1.0.0-alpha2
capability:
  consumes:
  - {type: http, namespace: n, baseUri: '', resources: [{name: r, path: /r, operations: [{name: op}]}]}
`)
	e, err := New(empty)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Call(context.Background(), "op", nil)
	if se := wantErr(t, err, KindSpec, "spec: op: namespace n has no baseUri"); se.Namespace != "n" || se.Remedy != spec.RemedyBaseURI || se.Hint != "" {
		t.Errorf("namespace %q, remedy %v, hint %q: the caller words the remedy", se.Namespace, se.Remedy, se.Hint)
	}
}

func TestAuthSchemes(t *testing.T) {
	doc := `naftiko: 1.0.0-alpha2
binds:
- namespace: env
  keys: {USER: API_USER, PASS: API_PASS, KEY: API_KEY}
capability:
  consumes:
  - type: http
    namespace: a
    baseUri: https://a.example.com
    authentication: {type: basic, username: '{{USER}}', password: '{{PASS}}'}
    resources: [{name: r, path: /r, operations: [{name: basic}]}]
  - type: http
    namespace: b
    baseUri: https://b.example.com
    authentication: {type: apikey, key: api_key, value: '{{KEY}}', placement: query}
    resources: [{name: r, path: /r, operations: [{name: query, inputParameters: [{name: q, in: query}]}]}]
  - type: http
    namespace: c
    baseUri: https://c.example.com
    authentication: {type: apikey, in: header, name: X-API-Key, value: '{{KEY}}'}
    resources: [{name: r, path: /r, operations: [{name: header}]}]
  - type: http
    namespace: d
    baseUri: https://d.example.com
    authentication: {type: oauth1, consumerKey: x}
    resources: [{name: r, path: /r, operations: [{name: unsupported}]}]
`
	c := parse(t, doc)
	vars := env(map[string]string{"API_USER": "ann", "API_PASS": "p@ss w+rd", "API_KEY": "k+y/=&"})
	t.Run("basic", func(t *testing.T) {
		u := newUpstream(t, jsonAnswer(200, `{}`))
		e := newEngine(t, c, u, WithLookup(vars))
		if _, err := e.Call(context.Background(), "basic", nil); err != nil {
			t.Fatal(err)
		}
		if got := u.only(t).Header.Get("Authorization"); got != "Basic YW5uOnBAc3MgdytyZA==" {
			t.Errorf("Authorization = %q", got)
		}
	})
	t.Run("apikey in query is encoded after parameters", func(t *testing.T) {
		u := newUpstream(t, jsonAnswer(200, `{}`))
		e := newEngine(t, c, u, WithLookup(vars))
		if _, err := e.Call(context.Background(), "query", map[string]any{"q": "a b"}); err != nil {
			t.Fatal(err)
		}
		if got := u.only(t).Query; got != "q=a%20b&api_key=k%2By%2F%3D%26" {
			t.Errorf("query = %q", got)
		}
	})
	t.Run("apikey in header, dialect form", func(t *testing.T) {
		u := newUpstream(t, jsonAnswer(200, `{}`))
		e := newEngine(t, c, u, WithLookup(vars))
		if _, err := e.Call(context.Background(), "header", nil); err != nil {
			t.Fatal(err)
		}
		if got := u.only(t).Header.Get("X-API-Key"); got != "k+y/=&" {
			t.Errorf("X-API-Key = %q", got)
		}
	})
	t.Run("unsupported type sends nothing", func(t *testing.T) {
		u := newUpstream(t, jsonAnswer(200, `{}`))
		e := newEngine(t, c, u, WithLookup(vars))
		_, err := e.Call(context.Background(), "unsupported", nil)
		wantErr(t, err, KindSpec, "spec: unsupported: authentication type `oauth1` is not supported by this version of naftiko; nothing was sent")
		if len(u.requests()) != 0 {
			t.Fatal("request sent")
		}
	})
}

func TestAmbiguousReference(t *testing.T) {
	c := parse(t, `naftiko: 1.0.0-alpha2
capability:
  consumes:
  - type: http
    namespace: gh
    baseUri: https://api.github.com
    resources:
    - {name: repos, path: /repos, operations: [{name: get}]}
    - {name: branches, path: /branches, operations: [{name: get}]}
`)
	e, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Resolve("get")
	wantErr(t, err, KindUsage, "usage: get: ambiguous: `get` matches gh.repos.get, gh.branches.get")
	op, err := e.Resolve("gh.branches.get")
	if err != nil || op.Path != "/branches" {
		t.Fatalf("op %v err %v", op, err)
	}
	var refs []string
	for _, o := range e.Operations() {
		refs = append(refs, o.Ref)
	}
	if strings.Join(refs, " ") != "gh.repos.get gh.branches.get" {
		t.Errorf("refs = %v", refs)
	}
}

func TestBodyFileIsStreamed(t *testing.T) {
	c := loadFile(t, clerkFile)
	dir := t.TempDir()
	path := filepath.Join(dir, "member.json")
	os.WriteFile(path, []byte(`{"user_id":"u"}`), 0o600)
	u := newUpstream(t, jsonAnswer(200, `{}`))
	e := newEngine(t, c, u, WithLookup(env(clerkEnv)))
	_, err := e.Call(context.Background(), "CreateOrganizationMembership", map[string]any{"organization_id": "o", "body": "{}"}, WithBodyFile(path))
	if err != nil {
		t.Fatal(err)
	}
	if got := u.only(t); got.Body != `{"user_id":"u"}` || got.Header.Get("Content-Type") != "application/json" {
		t.Errorf("wire %+v", got)
	}
}

func TestCallIntoMissingImport(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cap.yaml")
	os.WriteFile(path, []byte(`naftiko: 1.0.0-alpha2
capability:
  consumes:
  - import: shop
    location: ./shared/shop.yaml
`), 0o600)
	c := loadFile(t, path)
	e, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Call(context.Background(), "shop.listItems", nil)
	wantErr(t, err, KindSpec, "spec: shop.listItems: namespace shop is imported from ./shared/shop.yaml, which was not found")
}
