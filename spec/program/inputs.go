package program

import (
	"strings"

	"github.com/naftiko/naftiko/spec"
)

// InputRefs lists the caller inputs a `with` value of el references, as
// the compiled value classifies them (SPEC.md §11.2, §11.3): tools.x,
// rest.x, NAMESPACE.x and $this.NAMESPACE.x, and {{x}} placeholders that
// name neither a bound variable nor a step of el. MCP input schemas list
// them as the tool's implicit inputs.
func (p *Program) InputRefs(el *Element, d *spec.Data) []string {
	var out []string
	stepName := func(n string) bool {
		for _, st := range el.Behavior.Steps {
			if st.Name == n {
				return true
			}
		}
		return false
	}
	var walk func(v *Value)
	walk = func(v *Value) {
		switch v.Kind {
		case ValueMap, ValueList:
			for _, x := range v.Vals {
				walk(x)
			}
		case ValueInput:
			if v.Name != "" && !strings.ContainsAny(v.Name, " /:") {
				out = append(out, v.Name)
			}
		case ValueTemplate:
			for _, sl := range v.Slots {
				switch {
				case sl.Name == "":
				case sl.Ref != nil && sl.Ref.Kind == ValueInput:
					out = append(out, sl.Ref.Name)
				case sl.Ref == nil && !strings.Contains(sl.Name, ".") && !stepName(sl.Name):
					out = append(out, sl.Name)
				}
			}
		}
	}
	walk(p.CompileValue(d, Scope{Own: el.NS}))
	return out
}
