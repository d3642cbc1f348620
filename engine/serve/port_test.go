package serve

import (
	"context"
	"net"
	"testing"
	"time"
)

const portDoc = `naftiko: 1.0.0-alpha2
capability:
  consumes:
  - {type: http, namespace: up, baseUri: https://x.test, resources: [{name: r, path: /r, operations: [{name: get}]}]}
  exposes:
  - type: rest
    namespace: api
    port: 1
    resources:
    - {path: /r, name: r, operations: [{method: GET, call: up.get}]}
  - type: control
    namespace: ctl
`

// TestWithPort: a port per namespace replaces the document's (1, which
// cannot be bound here) and supplies a missing one; 0 picks a free port
// that Addr reports. A namespace the document does not serve over HTTP,
// and a port with MCP alone, are usage errors.
func TestWithPort(t *testing.T) {
	s, err := New(parse(t, portDoc), WithPort("api", 0), WithPort("ctl", 0))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Shutdown(ctx)
	}()
	for _, ns := range []string{"api", "ctl"} {
		_, port, err := net.SplitHostPort(s.Addr(ns))
		if err != nil || port == "0" || port == "1" {
			t.Errorf("%s listens on %q", ns, s.Addr(ns))
		}
	}

	for _, tc := range []struct {
		opts []Option
		want string
	}{
		{[]Option{WithPort("apo", 0)}, "usage: no adapter served over HTTP has namespace `apo` (did you mean `api` or `ctl`?)"},
		{[]Option{WithPort("api", 0), WithMCPHTTP("127.0.0.1:0")}, "usage: a port per namespace applies to the document's adapters, not to MCP alone on stdio or at an address"},
		{[]Option{WithPort("api", 70000)}, "usage: port 70000 for namespace api is outside 0–65535"},
	} {
		_, err := New(parse(t, portDoc), tc.opts...)
		if err == nil || err.Error() != tc.want {
			t.Errorf("got %v\nwant %s", err, tc.want)
		}
	}
}
