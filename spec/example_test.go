package spec_test

import (
	"fmt"

	"github.com/naftiko/naftiko/spec"
)

func ExampleParse() {
	src := []byte(`naftiko: 1.0.0-alpha2
info: {label: Users}
capability:
  consumes:
  - type: http
    namespace: users-api
    baseUri: https://api.test/v1/
    resources:
    - name: users
      path: /users/{id}
      operations:
      - name: getUser
        methd: GET
        inputParameters:
        - {name: id, in: path}
        headers: {Authorization: 'Bearer {{API_TOKEN}}'}
`)
	c, err := spec.Parse(src, "users.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, op := range c.Operations() {
		fmt.Println(op.Adapter.Namespace, op.Op.Name, op.Op.Method, op.Adapter.BaseURI.Src+op.FullPath())
		fmt.Println("header placeholder at", op.Op.Headers[0].Value.Parts[1].Pos)
	}
	for _, d := range c.Diagnostics {
		fmt.Println(d)
	}
	// Output:
	// users-api getUser GET https://api.test/v1/users/{id}
	// header placeholder at users.yaml:16:42
	// users.yaml:7:14: warning: baseUri "https://api.test/v1/" ends with `/`; the trailing slash is removed [baseuri-trailing-slash]
	// users.yaml:13:9: warning: unknown field `methd` in operation `getUser` (did you mean `method`?) [unknown-field]
}
