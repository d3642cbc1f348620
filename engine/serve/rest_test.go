package serve

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const restDoc = `naftiko: 1.0.0-alpha2
info: {label: REST}
binds:
- namespace: env
  keys: {TOKEN: TOKEN}
capability:
  consumes:
  - type: http
    namespace: orgs
    baseUri: UPSTREAM
    authentication: {type: bearer, token: '{{TOKEN}}'}
    resources:
    - name: memberships
      path: /organizations/{organization_id}/memberships
      operations:
      - name: list
        method: GET
        inputParameters:
        - {name: limit, in: query, type: integer}
      - name: create
        method: POST
        inputParameters:
        - {name: body, in: body, type: object, required: true}
    - name: membership
      path: /organizations/{organization_id}/memberships/{user_id}
      operations:
      - {name: delete, method: DELETE}
  - type: http
    namespace: down
    baseUri: DOWN
    resources:
    - name: r
      path: /r
      operations:
      - {name: get, method: GET}
  exposes:
  - type: rest
    namespace: orgs-rest
    port: 0
    resources:
    - path: /orgs/{org}/members
      name: members
      operations:
      - method: GET
        name: list-members
        call: orgs.list
        with:
          organization_id: rest.org
        outputParameters:
        - type: array
          mapping: $.items[*].id
      - method: POST
        name: add-member
        call: orgs.create
        with:
          organization_id: rest.org
          body: rest.body
    - path: /orgs/{{org-id}}/members/{user}
      name: member
      operations:
      - method: DELETE
        call: orgs.delete
        with: {organization_id: rest.org-id, user_id: rest.user}
    - path: /typed
      name: typed
      inputParameters:
      - {name: limit, in: query, type: integer, required: true, description: Page size}
      - {name: code, in: header, type: string, pattern: '^[a-z]+$', description: Code}
      operations:
      - method: GET
        outputParameters:
        - {name: limit, type: integer, value: '{{limit}}'}
        - {name: code, type: string, value: 'code={{code}}'}
    - path: /raw/{org}
      name: raw
      operations:
      - method: GET
        call: orgs.list
        with: {organization_id: rest.org}
    - path: /down
      name: down
      operations:
      - {method: GET, call: down.get}
    - path: /proxy/{{path}}
      name: proxy
      forward:
        targetNamespace: orgs
        trustedHeaders: [X-Trusted]
`

func restServer(t *testing.T, up *upstream, opts ...Option) (*Server, http.Handler) {
	t.Helper()
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	src := strings.NewReplacer("UPSTREAM", up.URL, "DOWN", deadURL).Replace(restDoc)
	s, err := New(parse(t, src), append([]Option{WithLookup(env("TOKEN", "tok-1")), WithRetries(0)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler("orgs-rest")
	if h == nil {
		t.Fatal("no REST handler")
	}
	return s, h
}

// TestREST drives the REST adapter end to end: routes, methods, inputs,
// outputs, status pass-through and error mapping.
func TestREST(t *testing.T) {
	up := newUpstream(t)
	_, h := restServer(t, up, WithTimeout(100*time.Millisecond))
	for _, tc := range []struct {
		name, method, target, body string
		hdr                        []string
		status                     int
		want                       string
		wantHdr                    []string
	}{
		{"call with outputs", "GET", "/orgs/o1/members", "", nil, 200, `["m1","m2"]` + "\n", []string{"Content-Type", "application/json"}},
		{"trailing slash", "GET", "/orgs/o1/members/", "", nil, 200, `["m1","m2"]` + "\n", nil},
		{"HEAD falls back to GET", "HEAD", "/orgs/o1/members", "", nil, 200, "", nil},
		{"201 passes through", "POST", "/orgs/o1/members", `{"user_id":"u9"}`, []string{"Content-Type", "application/json"}, 201,
			`{"created":{"user_id":"u9"},"org":"o1"}` + "\n", nil},
		{"204 without body", "DELETE", "/orgs/o%2F1/members/u1", "", nil, 204, "", nil},
		{"405 with Allow", "PUT", "/orgs/o1/members", "", nil, 405,
			`{"error":{"kind":"usage","message":"method PUT is not allowed on /orgs/{org}/members","hint":"allowed: GET, HEAD, POST"}}` + "\n",
			[]string{"Allow", "GET, HEAD, POST"}},
		{"404", "GET", "/nowhere", "", nil, 404, `{"error":{"kind":"usage","message":"no route matches GET /nowhere"}}` + "\n", nil},
		{"typed inputs", "GET", "/typed?limit=7", "", []string{"Code", "abc"}, 200, `{"limit":7,"code":"code=abc"}` + "\n", nil},
		{"bad integer", "GET", "/typed?limit=ten", "", nil, 400,
			`{"error":{"kind":"usage","message":"input ` + "`limit`" + `: expected integer, got \"ten\""}}` + "\n", nil},
		{"pattern", "GET", "/typed?limit=1", "", []string{"Code", "ABC"}, 400,
			`{"error":{"kind":"usage","message":"input ` + "`code`" + `: \"ABC\" does not match the pattern ^[a-z]+$"}}` + "\n", nil},
		{"missing required", "GET", "/typed", "", nil, 400,
			`{"error":{"kind":"usage","message":"missing required input ` + "`limit`" + `"}}` + "\n", nil},
		{"bad JSON body", "POST", "/orgs/o1/members", `{"user_id":`, []string{"Content-Type", "application/json"}, 400,
			`{"error":{"kind":"usage","message":"the request body is not valid JSON: unexpected EOF"}}` + "\n", nil},
		{"upstream 404 passes through", "GET", "/raw/missing", "", nil, 404, `{"errors":[{"code":"not_found"}]}`,
			[]string{"Content-Type", "application/json"}},
		{"timeout is 504", "GET", "/raw/slow", "", nil, 504, "", nil},
		{"transport failure is 502", "GET", "/down", "", nil, 502, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body, res := do(t, h, tc.method, tc.target, tc.body, tc.hdr...)
			if status != tc.status {
				t.Fatalf("status %d, want %d; body %s", status, tc.status, body)
			}
			if tc.want != "" && body != tc.want {
				t.Errorf("body\n got %s\nwant %s", body, tc.want)
			}
			if tc.status >= 500 && !strings.HasPrefix(body, `{"error":{"kind":"transport","message":`) {
				t.Errorf("body %s", body)
			}
			for i := 0; i+1 < len(tc.wantHdr); i += 2 {
				if got := res.Header.Get(tc.wantHdr[i]); got != tc.wantHdr[i+1] {
					t.Errorf("%s = %q, want %q", tc.wantHdr[i], got, tc.wantHdr[i+1])
				}
			}
		})
	}
}

// TestForward passes requests through with trusted headers and the query
// string; the adapter's authentication replaces the caller's.
func TestForward(t *testing.T) {
	up := newUpstream(t)
	_, h := restServer(t, up)
	status, body, res := do(t, h, "PATCH", "/proxy/echo/a%2Fb?x=1&y=two", "payload",
		"X-Trusted", "yes", "X-Secret", "no", "Authorization", "Bearer caller", "Content-Type", "text/plain")
	want := `{"body":"payload","headers":{"Authorization":"Bearer tok-1","Content-Type":"text/plain","X-Trusted":"yes"},` +
		`"method":"PATCH","path":"/echo/a%2Fb","query":"x=1\u0026y=two"}` + "\n"
	if status != 200 || body != want {
		t.Errorf("forward: %d %s\nwant %s", status, body, want)
	}
	if res.Header.Get("ETag") != `"v1"` || res.Header.Get("X-Internal") != "" {
		t.Errorf("headers = %v", res.Header)
	}
}
