package serve

import (
	"testing"

	"github.com/naftiko/naftiko/spec"
	"github.com/naftiko/naftiko/spec/program"
)

// TestOrderedObject: declared properties first, in declaration order, then
// the other members in their own order; a declared property the object
// lacks is not added.
func TestOrderedObject(t *testing.T) {
	props := []*program.Output{{Output: &spec.Output{Name: "b"}}, {Output: &spec.Output{Name: "z"}}, {Output: &spec.Output{Name: "a"}}}
	o := orderedObject(props, []string{"a", "c", "b", "d"}, []any{1, 2, 3, 4})
	b, _ := o.MarshalJSON()
	if string(b) != `{"b":3,"a":1,"c":2,"d":4}` {
		t.Errorf("got %s", b)
	}
}
