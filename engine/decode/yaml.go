package decode

import (
	"bytes"
	"errors"
	"io"
	"math"

	"github.com/naftiko/naftiko/spec"
	"github.com/naftiko/naftiko/spec/jsonv"
	"go.yaml.in/yaml/v3"
)

// decodeYAML converts the first document of a YAML body into a tree
// (SPEC.md §9.1): scalars keep their YAML type (numbers as JSON numbers
// would be, booleans, null), timestamps stay strings as written, keys are
// stringified, anchors, aliases and merge keys are resolved with the
// loader's expansion cap. A body with no document (comments only) is null.
func decodeYAML(body []byte) (any, error) {
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(body)).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, err
	}
	c := &yamlConv{}
	n := &doc
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return nil, nil
		}
		n = n.Content[0]
	}
	return c.value(n, 0)
}

// yamlConv converts yaml.Node trees, counting nodes reached through
// aliases.
type yamlConv struct {
	expanded int
}

var errYAMLAliases = errors.New("yaml: aliases expand to too many nodes")

const maxYAMLDepth = 10_000

func (c *yamlConv) value(n *yaml.Node, depth int) (any, error) {
	if depth > maxYAMLDepth {
		return nil, errors.New("yaml: the document is nested too deeply")
	}
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, nil
		}
		c.expanded++
		if c.expanded > spec.MaxAliasNodes {
			return nil, errYAMLAliases
		}
		return c.value(n.Alias, depth+1)
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return c.value(n.Content[0], depth+1)
	case yaml.ScalarNode:
		return yamlScalar(n), nil
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, it := range n.Content {
			v, err := c.value(it, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		var merges []*yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
				merges = append(merges, v)
				continue
			}
			key, err := c.key(k, depth)
			if err != nil {
				return nil, err
			}
			val, err := c.value(v, depth+1)
			if err != nil {
				return nil, err
			}
			out[key] = val
		}
		// Merged entries never override explicit keys; earlier sources win
		// over later ones.
		for _, m := range merges {
			if err := c.merge(out, m, depth); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return nil, nil
}

// merge adds the entries of a merge source (a mapping, an alias to one, or
// a list of them) that out does not have yet.
func (c *yamlConv) merge(out map[string]any, src *yaml.Node, depth int) error {
	v, err := c.value(src, depth+1)
	if err != nil {
		return err
	}
	add := func(v any) {
		if m, ok := v.(map[string]any); ok {
			for k, x := range m {
				if _, set := out[k]; !set {
					out[k] = x
				}
			}
		}
	}
	if list, ok := v.([]any); ok {
		for _, it := range list {
			add(it)
		}
		return nil
	}
	add(v)
	return nil
}

// key stringifies a mapping key: a scalar's text as written, anything else
// as compact JSON.
func (c *yamlConv) key(k *yaml.Node, depth int) (string, error) {
	for k.Kind == yaml.AliasNode && k.Alias != nil {
		k = k.Alias
	}
	if k.Kind == yaml.ScalarNode {
		return k.Value, nil
	}
	v, err := c.value(k, depth+1)
	if err != nil {
		return "", err
	}
	s, err := jsonv.Render(v)
	if err != nil {
		return "", err
	}
	return s, nil
}

// yamlScalar converts a scalar by its resolved tag.
func yamlScalar(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err == nil {
			return b
		}
		return n.Value
	case "!!int", "!!float":
		if spec.IsJSONNumber(n.Value) {
			return jsonv.Number(n.Value)
		}
		var i int64
		if err := n.Decode(&i); err == nil {
			return i
		}
		var f float64
		if err := n.Decode(&f); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return f
		}
		return n.Value
	}
	// !!str, !!timestamp, !!binary and custom tags: the text as written.
	return n.Value
}
