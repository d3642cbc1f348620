package binder

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"strings"

	"github.com/naftiko/naftiko/spec"
)

// ParseDotenv reads a dotenv file: KEY=VALUE lines; blank lines and lines
// starting with # are skipped; a line may start with "export "; the value
// is split from the key at the first =, so it may contain = itself. A
// value wholly enclosed in single or double quotes is taken verbatim
// between them (no escapes, no interpolation, one line); an unquoted value
// ends at a # preceded by a space or tab and is trimmed. A later line
// replaces an earlier line of the same key. Errors name the line by
// number and never quote its text, which may hold a secret.
func ParseDotenv(r io.Reader) (map[string]string, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	text := strings.TrimPrefix(string(data), "\ufeff")
	out := make(map[string]string)
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		if rest, ok := strings.CutPrefix(line, "export"); ok && rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
			line = strings.TrimLeft(rest, " \t")
		}
		key, raw, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("line %d: expected KEY=VALUE", i+1)
		}
		key = strings.TrimRight(key, " \t")
		if !validDotenvKey(key) {
			return nil, fmt.Errorf("line %d: invalid key: use letters, digits, _, . and -", i+1)
		}
		val, err := dotenvValue(raw)
		if err != nil {
			return nil, fmt.Errorf("line %d: %s", i+1, err)
		}
		out[key] = val
	}
	return out, nil
}

func validDotenvKey(k string) bool {
	if k == "" {
		return false
	}
	for _, c := range k {
		ok := c == '_' || c == '.' || c == '-' ||
			'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		if !ok {
			return false
		}
	}
	return true
}

// dotenvValue interprets the text after the = of a line whose surrounding
// white space is already trimmed on the right.
func dotenvValue(raw string) (string, error) {
	v := strings.TrimLeft(raw, " \t")
	if v != "" && (v[0] == '"' || v[0] == '\'') {
		end := strings.IndexByte(v[1:], v[0])
		if end < 0 {
			return "", errors.New("unterminated quoted value (values span one line)")
		}
		if rest := strings.TrimSpace(v[end+2:]); rest != "" && rest[0] != '#' {
			return "", errors.New("unexpected text after the closing quote")
		}
		return v[1 : end+1], nil
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] == '#' && i > 0 && (raw[i-1] == ' ' || raw[i-1] == '\t') {
			raw = raw[:i]
			break
		}
	}
	return strings.TrimSpace(raw), nil
}

// EnvFiles returns a LookupFunc that looks a key up in the dotenv files
// at paths, later files winning, and then through fallback (os.LookupEnv
// when nil). This is the CLI's --env-file (SPEC.md §4.2). Every file is
// read now, as long as ctx lasts (a pipe such as <(command) is read
// too); a file that is missing, unreadable or malformed is a *spec.Error
// of kind KindUsage naming it, one whose reading ctx interrupted of kind
// KindTransport, as any cancellation (SPEC.md §10).
func EnvFiles(ctx context.Context, paths []string, fallback LookupFunc) (LookupFunc, error) {
	set, err := LoadEnvFiles(ctx, paths, fallback)
	if err != nil {
		return nil, err
	}
	return set.Lookup, nil
}

// EnvFileSet is the content of the --env-file files, in front of a
// fallback lookup.
type EnvFileSet struct {
	entries  map[string]string
	from     map[string]string // key -> the file its value comes from
	fallback LookupFunc
}

// LoadEnvFiles reads the dotenv files at paths, later files winning, in
// front of fallback (os.LookupEnv when nil). Errors are as for EnvFiles.
func LoadEnvFiles(ctx context.Context, paths []string, fallback LookupFunc) (*EnvFileSet, error) {
	if fallback == nil {
		fallback = os.LookupEnv
	}
	s := &EnvFileSet{entries: map[string]string{}, from: map[string]string{}, fallback: fallback}
	for _, p := range paths {
		m, err := readEnvFile(ctx, p)
		if err != nil {
			return nil, err
		}
		maps.Copy(s.entries, m)
		for k := range m {
			s.from[k] = p
		}
	}
	return s, nil
}

// Lookup looks key up in the files, then through the fallback.
func (s *EnvFileSet) Lookup(key string) (string, bool) {
	if v, ok := s.entries[key]; ok {
		return v, true
	}
	return s.fallback(key)
}

// File returns the path of the file the value of key comes from, or ""
// when no file sets it.
func (s *EnvFileSet) File(key string) string { return s.from[key] }

func readEnvFile(ctx context.Context, path string) (map[string]string, error) {
	data, err := ReadFile(ctx, path)
	if err != nil {
		e := &spec.Error{Kind: spec.KindUsage, Err: err}
		if isCtxErr(err) {
			e.Kind, e.Msg = spec.KindTransport, fmt.Sprintf("--env-file %s: interrupted while reading", path)
			return nil, e
		}
		if errors.Is(err, fs.ErrNotExist) {
			e.Msg = fmt.Sprintf("--env-file %s: no such file", path)
			e.Hint = "check the path; it is relative to the working directory"
		} else {
			e.Msg = fmt.Sprintf("--env-file %s: cannot read: %s", path, pathErrReason(err))
		}
		return nil, e
	}
	m, err := ParseDotenv(bytes.NewReader(data))
	if err != nil {
		return nil, &spec.Error{
			Kind: spec.KindUsage,
			Msg:  fmt.Sprintf("--env-file %s: %s", path, pathErrReason(err)),
			Hint: "write one KEY=VALUE per line; # starts a comment",
			Err:  err,
		}
	}
	return m, nil
}

// pathErrReason returns the cause of a file-system error without the path
// it carries, which the caller names already.
func pathErrReason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
