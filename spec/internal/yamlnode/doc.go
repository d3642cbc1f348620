// Package yamlnode holds the read-only helpers over raw YAML nodes that the
// loader (package spec) and the schema validation (package spec/schema)
// share, so that both read a document the same way: aliases resolved,
// merge keys applied, tags resolved as the loader resolves them.
//
// It imports only the standard library and go.yaml.in/yaml/v3.
package yamlnode
