package serve_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/naftiko/naftiko/engine/serve"
	"github.com/naftiko/naftiko/spec"
)

// A capability that consumes one operation and exposes it as a REST route
// and as an MCP tool. The upstream here is a local stand-in.
func Example() {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"login":%q,"id":42}`, strings.TrimPrefix(r.URL.Path, "/users/"))
	}))
	defer api.Close()

	c, err := spec.Parse([]byte(`naftiko: 1.0.0-alpha2
info: {label: Users}
capability:
  consumes:
  - type: http
    namespace: github
    baseUri: `+api.URL+`
    resources:
    - name: users
      path: /users/{username}
      operations:
      - {name: get-user, method: GET}
  exposes:
  - type: rest
    namespace: users-rest
    port: 0
    resources:
    - path: /profiles/{name}
      operations:
      - method: GET
        call: github.get-user
        with: {username: rest.name}
        outputParameters:
        - {name: login, type: string, mapping: $.login}
        - {name: id, type: string, mapping: $.id}
  - type: mcp
    namespace: users-mcp
    port: 0
    tools:
    - name: get-user
      description: Get a GitHub user.
      call: github.get-user
      with: {username: tools.login}
`), "users.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := serve.New(c)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	if err := s.Start(ctx); err != nil {
		fmt.Println(err)
		return
	}
	defer s.Shutdown(ctx)

	// REST: GET /profiles/octocat.
	res, err := http.Get("http://" + s.Addr("users-rest") + "/profiles/octocat")
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	fmt.Print(res.StatusCode, " ", string(body))

	// MCP over streamable HTTP: call the tool.
	tr := &mcp.StreamableClientTransport{Endpoint: "http://" + s.Addr("users-mcp") + "/mcp"}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "example", Version: "1"}, nil).Connect(ctx, tr, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cs.Close()
	out, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "get-user", Arguments: map[string]any{"login": "octocat"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out.Content[0].(*mcp.TextContent).Text)
	// Output:
	// 200 {"login":"octocat","id":"42"}
	// {"id":42,"login":"octocat"}
}
