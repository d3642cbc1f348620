package spec

import "github.com/naftiko/naftiko/spec/internal/yamlnode"

// IsJSONNumber reports whether s is a number exactly as JSON writes them:
// the one check the loader, the binder's key files and the engine's YAML
// decoder share.
func IsJSONNumber(s string) bool { return yamlnode.IsJSONNumber(s) }
