package schema_test

import (
	"fmt"

	"github.com/naftiko/naftiko/spec"
	"github.com/naftiko/naftiko/spec/schema"
)

func ExampleValidateBytes() {
	src := `naftiko: 1.0.0-alpha2
info: {label: Users, description: Read users.}
capability:
  consumes:
  - type: http
    namespace: users-api
    baseUri: https://api.users.test
    resources:
    - name: users
      path: /users/{id}
      operations:
      - {name: get-user, method: GET}
`
	for _, d := range schema.ValidateBytes([]byte(src), "users.yaml", schema.ValidateOptions{}) {
		if d.Severity != spec.SeverityInfo {
			fmt.Println(d)
		}
	}
	// Output:
	// users.yaml:10:20: warning: path placeholder `id` has no `in: path` parameter; it is an implicit required string (declare it with `in: path`) [path-param-undeclared]
}
