package engine_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/naftiko/naftiko/engine"
	"github.com/naftiko/naftiko/spec"
)

// A capability is loaded once, an engine is built over it, and operations
// are called by name with typed or string parameters.
func Example() {
	// A stand-in for api.clerk.com.
	clerk := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println(r.Method, r.URL.RequestURI())
		fmt.Println("Authorization:", r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"data":[{"id":"orgmem_1","role":"org:admin"}],"total_count":1}`)
	}))
	defer clerk.Close()

	c, err := spec.LoadFile("../capabilities/clerk/organization-memberships.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	e, err := engine.New(c,
		engine.WithHTTPClient(clerk.Client()),
		engine.WithBaseURI("", clerk.URL),
		engine.WithLookup(func(key string) (string, bool) {
			if key == "CLERK_SECRET_KEY" {
				return "sk_test_123", true
			}
			return os.LookupEnv(key)
		}),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := e.Call(context.Background(), "ListOrganizationMemberships", map[string]any{
		"organization_id": "org_2RwC6",
		"user_id":         []string{"user_a", "user_b"},
		"order_by":        "+created_at",
		"limit":           10,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Status, res.Outputs["result"].(map[string]any)["total_count"])
	// Output:
	// GET /organizations/org_2RwC6/memberships?order_by=%2Bcreated_at&user_id=user_a&user_id=user_b&limit=10
	// Authorization: Bearer sk_test_123
	// 200 1
}

// Errors carry a Kind that maps to exit codes and HTTP statuses.
func ExampleError() {
	c, _ := spec.LoadFile("../capabilities/clerk/organization-memberships.yaml")
	e, _ := engine.New(c)
	_, err := e.Call(context.Background(), "ListOrganizationMemberships", map[string]any{"organization_id": "o", "limt": "5"})
	if se, ok := err.(*engine.Error); ok {
		fmt.Println(se.Kind, se.ExitCode(), se.HTTPStatus())
		fmt.Println(se)
	}
	// Output:
	// usage 2 400
	// usage: ListOrganizationMemberships: unknown parameter `limt` for clerk-backend-api-organization-memberships.organizations-organization-id-memberships.ListOrganizationMemberships (did you mean `limit`?)
}
