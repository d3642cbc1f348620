package binder

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/naftiko/naftiko/spec"
)

// keyFile is the parsed content of a key file (SPEC.md §4.2).
type keyFile struct {
	values map[string]string
	nulls  map[string]bool // keys present with a null value
}

// keyFileError says why a key file could not be used. Its reason never
// holds a value from the file.
type keyFileError struct {
	read   bool // the file could not be read (else: could not be parsed)
	format string
	reason string
	err    error
}

// keyFileFormat picks the format of a key file by its name.
func keyFileFormat(path string) string {
	base := strings.ToLower(filepath.Base(path))
	switch {
	case base == ".env" || strings.HasSuffix(base, ".env"):
		return "dotenv"
	case strings.HasSuffix(base, ".yaml") || strings.HasSuffix(base, ".yml"):
		return "YAML"
	default:
		return "JSON"
	}
}

// readKeyFile reads and parses the key file at path. Only regular files
// are read: a named pipe with no writer would block every resolution (and
// every message masked with the file's secrets) for ever.
func readKeyFile(path string) (*keyFile, *keyFileError) {
	format := keyFileFormat(path)
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return nil, &keyFileError{read: true, format: format, reason: "it is " + spec.FileKind(st.Mode()) + ", not a regular file"}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &keyFileError{read: true, format: format, reason: pathErrReason(err), err: err}
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	kf := &keyFile{values: map[string]string{}, nulls: map[string]bool{}}
	if len(bytes.TrimSpace(data)) == 0 {
		return kf, nil
	}
	switch format {
	case "dotenv":
		err = parseDotenvKeyFile(data, kf)
	case "YAML":
		err = parseYAMLKeyFile(data, kf)
	default:
		err = parseJSONKeyFile(data, kf)
	}
	if err != nil {
		return nil, &keyFileError{format: format, reason: err.Error()}
	}
	return kf, nil
}

func parseDotenvKeyFile(data []byte, kf *keyFile) error {
	m, err := ParseDotenv(bytes.NewReader(data))
	if err != nil {
		return err
	}
	kf.values = m
	return nil
}

// parseJSONKeyFile keeps every top-level value as written: strings are
// unquoted, numbers and booleans kept verbatim, objects and arrays
// compacted.
func parseJSONKeyFile(data []byte, kf *keyFile) error {
	if trimmed := bytes.TrimLeft(data, " \t\r\n"); trimmed[0] != '{' {
		if json.Valid(data) {
			return errors.New("the root must be a JSON object")
		}
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line, col := lineCol(data, int(se.Offset))
			return fmt.Errorf("line %d, column %d: invalid JSON", line, col)
		}
		return errors.New("invalid JSON")
	}
	for k, v := range raw {
		switch v[0] {
		case '"':
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				return errors.New("invalid JSON string")
			}
			kf.values[k] = s
		case '{', '[':
			var b bytes.Buffer
			if err := json.Compact(&b, v); err != nil {
				return errors.New("invalid JSON")
			}
			kf.values[k] = b.String()
		case 'n':
			kf.nulls[k] = true
		default:
			kf.values[k] = string(v)
		}
	}
	return nil
}

// lineCol converts a byte offset just past an error into a 1-based line
// and column.
func lineCol(data []byte, off int) (line, col int) {
	off = min(max(off-1, 0), len(data))
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = off - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// maxYAMLValue caps the JSON text one YAML value may expand to through
// aliases ("billion laughs").
const maxYAMLValue = 1 << 20

// parseYAMLKeyFile reads the first YAML document through yaml.Node so that
// scalars keep the text they were written with.
func parseYAMLKeyFile(data []byte, kf *keyFile) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return errors.New(strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil
	}
	root := deref(doc.Content[0])
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		return nil
	}
	if root.Kind != yaml.MappingNode {
		return errors.New("the root must be a YAML mapping")
	}
	pairs, err := yamlPairs(root, 0)
	if err != nil {
		return err
	}
	for _, p := range pairs {
		v := deref(p.val)
		if v.Kind == yaml.ScalarNode {
			if v.ShortTag() == "!!null" {
				kf.nulls[p.key] = true
			} else {
				kf.values[p.key] = v.Value
			}
			continue
		}
		var b bytes.Buffer
		if err := yamlJSON(&b, v, 0); err != nil {
			return fmt.Errorf("key %s: %w", p.key, err)
		}
		kf.values[p.key] = b.String()
	}
	return nil
}

func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

type yamlPair struct {
	key string
	val *yaml.Node
}

// yamlPairs lists a mapping's entries in order. A repeated key keeps its
// first position and takes its last value; merge keys (<<) contribute the
// entries the mapping does not set itself, earlier merged mappings first.
func yamlPairs(m *yaml.Node, depth int) ([]yamlPair, error) {
	if depth > 64 {
		return nil, errors.New("nesting too deep")
	}
	explicit := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if !isMerge(m.Content[i]) {
			explicit[yamlKey(m.Content[i])] = true
		}
	}
	var out []yamlPair
	at := map[string]int{}
	set := func(k string, v *yaml.Node, override bool) {
		if i, ok := at[k]; ok {
			if override {
				out[i].val = v
			}
			return
		}
		at[k] = len(out)
		out = append(out, yamlPair{k, v})
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if !isMerge(k) {
			set(yamlKey(k), v, true)
			continue
		}
		srcs := []*yaml.Node{deref(v)}
		if srcs[0].Kind == yaml.SequenceNode {
			srcs = srcs[0].Content
		}
		for _, src := range srcs {
			src = deref(src)
			if src.Kind != yaml.MappingNode {
				return nil, fmt.Errorf("line %d: a merge key (<<) needs a mapping", src.Line)
			}
			merged, err := yamlPairs(src, depth+1)
			if err != nil {
				return nil, err
			}
			for _, p := range merged {
				if !explicit[p.key] {
					set(p.key, p.val, false)
				}
			}
		}
	}
	return out, nil
}

func isMerge(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Value == "<<" && k.ShortTag() == "!!merge"
}

// yamlKey is a mapping key as text: a scalar as written, anything else as
// compact JSON.
func yamlKey(k *yaml.Node) string {
	k = deref(k)
	if k.Kind == yaml.ScalarNode {
		return k.Value
	}
	var b bytes.Buffer
	if yamlJSON(&b, k, 0) != nil {
		return k.Value
	}
	return b.String()
}

// yamlJSON writes n as compact JSON, mappings keeping their order.
func yamlJSON(b *bytes.Buffer, n *yaml.Node, depth int) error {
	if depth > 64 {
		return errors.New("nesting too deep")
	}
	if b.Len() > maxYAMLValue {
		return errors.New("value too large")
	}
	n = deref(n)
	switch n.Kind {
	case yaml.MappingNode:
		pairs, err := yamlPairs(n, depth+1)
		if err != nil {
			return err
		}
		b.WriteByte('{')
		for i, p := range pairs {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, p.key)
			b.WriteByte(':')
			if err := yamlJSON(b, p.val, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := yamlJSON(b, c, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case yaml.ScalarNode:
		b.WriteString(yamlScalarJSON(n))
	default:
		return fmt.Errorf("line %d: unsupported YAML node", n.Line)
	}
	return nil
}

// yamlScalarJSON renders a scalar as a JSON value, keeping numbers as
// written when JSON allows it.
func yamlScalarJSON(n *yaml.Node) string {
	v := n.Value
	switch n.ShortTag() {
	case "!!null":
		return "null"
	case "!!bool":
		return strconv.FormatBool(strings.EqualFold(v, "true"))
	case "!!int":
		if spec.IsJSONNumber(v) {
			return v
		}
		if i, ok := new(big.Int).SetString(strings.ReplaceAll(v, "_", ""), 0); ok {
			return i.String()
		}
	case "!!float":
		if spec.IsJSONNumber(v) {
			return v
		}
		if f, err := strconv.ParseFloat(strings.ReplaceAll(v, "_", ""), 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			j, _ := json.Marshal(f)
			return string(j)
		}
	}
	var b bytes.Buffer
	writeJSONString(&b, v)
	return b.String()
}

// writeJSONString writes s as a JSON string without HTML escaping.
func writeJSONString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	b.Truncate(b.Len() - 1) // Encode's newline
}
