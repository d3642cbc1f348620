package engine

import (
	"strings"

	"github.com/naftiko/naftiko/engine/decode"
	"github.com/naftiko/naftiko/spec"
	"github.com/naftiko/naftiko/spec/program"
)

// plan is a compiled operation (program.Op) with what only the engine
// compiles: the response decoder's outputSchema.
type plan struct {
	*program.Op
	// schema is the compiled outputSchema (html selector, markdown
	// heading), or nil.
	schema *decode.Schema
	// errs are the operation's element errors plus an invalid outputSchema.
	errs []spec.Diagnostic
}

// param is one merged parameter of an operation.
type param = program.Param

// newPlan compiles what the engine adds to an operation of the program.
func newPlan(op *program.Op) *plan {
	p := &plan{Op: op, errs: op.Errs}
	so := op.Source.Op
	src := strings.TrimSpace(so.OutputSchema)
	if src == "" {
		return p
	}
	schema, err := decode.CompileSchema(strings.ToLower(so.OutputRawFormat), src)
	if err != nil {
		p.errs = append(append([]spec.Diagnostic(nil), p.errs...), spec.Diagnostic{Pos: so.Pos, Severity: spec.SeverityError, Rule: "output-schema-invalid",
			Message: "outputSchema " + quote(src) + " is not a valid CSS selector: " + err.Error(),
			Hint:    "use type, #id, .class, [attr], [attr=value], descendant and > combinators, :nth-of-type(n) and , lists"})
	}
	p.schema = schema
	return p
}
