package binder_test

import (
	"context"
	"fmt"

	"github.com/naftiko/naftiko/binder"
	"github.com/naftiko/naftiko/spec"
)

func Example() {
	binds := []*spec.Bind{{
		Namespace: "env",
		Keys:      []spec.BindKey{{Var: "CLERK_SECRET_KEY", Key: "CLERK_SECRET_KEY"}},
	}}
	env := map[string]string{"CLERK_SECRET_KEY": "sk_test_4eC39HqLyjWDarjtT1zdp7dc"}
	b := binder.New(binds, ".", binder.WithLookup(func(k string) (string, bool) {
		v, ok := env[k]
		return v, ok
	}))

	v, err := b.Var(context.Background(), "CLERK_SECRET_KEY")
	if err != nil {
		fmt.Println(err)
		return
	}
	header := "Bearer " + v.Reveal() // for the wire only
	fmt.Println(v, len(v.Reveal()))
	fmt.Printf("%q %#v\n", v, v)
	fmt.Println(b.Redactor().Redact("Authorization: " + header))

	_, err = b.NSVar(context.Background(), "env", "MISSING_TOKEN")
	fmt.Println(err)
	// Output:
	// **** 32
	// "****" binder.Secret("****")
	// Authorization: Bearer ****
	// binding: environment variable MISSING_TOKEN is not set
}
