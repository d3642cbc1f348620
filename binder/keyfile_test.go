package binder

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/naftiko/naftiko/spec"
)

// resolveAll binds every key of want from location and checks the values.
func resolveAll(t *testing.T, dir, location string, want map[string]string) {
	t.Helper()
	bd := &spec.Bind{Namespace: "secrets", Location: location}
	for k := range want {
		bd.Keys = append(bd.Keys, spec.BindKey{Var: k, Key: k})
	}
	b := New([]*spec.Bind{bd}, dir)
	for k, w := range want {
		v, err := b.Var(context.Background(), k)
		if err != nil {
			t.Errorf("%s: %v", k, err)
			continue
		}
		if v.Reveal() != w || !v.IsSecret() {
			t.Errorf("%s = %q, want %q", k, v.Reveal(), w)
		}
	}
}

func TestKeyFileFormats(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "secrets.env", "# keys\nexport NOTION_TOKEN='secret_abc=def'\nPORT=8080\n")
	writeFile(t, dir, ".env", "DOT=dot-env\n")
	writeFile(t, dir, "secrets.yaml", `
NOTION_TOKEN: secret_yaml
QUOTED: "0123"
INT: 0x1F
FLOAT: 1.50
BIG: 123456789012345678901234567890
BOOL: true
YES: yes
DATE: 2024-01-02
EMPTY: ""
BLOCK: |
  line one
  line two
NESTED:
  b: 1
  a: [x, 2, 0x10, 1.0, .5, false, null, "<&>", 2024-01-02]
  c: {d: e}
LIST: [1, two]
base: &base {user: u, pass: p}
MERGED:
  <<: *base
  pass: override
ALIAS: *base
`)
	writeFile(t, dir, "secrets.yml", "YML: from-yml\n")
	writeFile(t, dir, "secrets.json", `{
  "NOTION_TOKEN": "secret_json",
  "NUM": 1.50e+3,
  "NEG": -7,
  "BOOL": false,
  "ESCAPED": "a\"b\u0041",
  "NESTED": {"z": 1, "a": [true, null, "<&>"], "m": {}}
}`)
	writeFile(t, dir, "secrets.conf", `{"CONF": "json by default"}`)

	t.Run("dotenv", func(t *testing.T) {
		resolveAll(t, dir, "file://./secrets.env", map[string]string{"NOTION_TOKEN": "secret_abc=def", "PORT": "8080"})
		resolveAll(t, dir, "file://.env", map[string]string{"DOT": "dot-env"})
	})
	t.Run("yaml", func(t *testing.T) {
		resolveAll(t, dir, "file://./secrets.yaml", map[string]string{
			"NOTION_TOKEN": "secret_yaml",
			"QUOTED":       "0123",
			"INT":          "0x1F",
			"FLOAT":        "1.50",
			"BIG":          "123456789012345678901234567890",
			"BOOL":         "true",
			"YES":          "yes",
			"DATE":         "2024-01-02",
			"EMPTY":        "",
			"BLOCK":        "line one\nline two\n",
			"NESTED":       `{"b":1,"a":["x",2,16,1.0,0.5,false,null,"<&>","2024-01-02"],"c":{"d":"e"}}`,
			"LIST":         `[1,"two"]`,
			"MERGED":       `{"user":"u","pass":"override"}`,
			"ALIAS":        `{"user":"u","pass":"p"}`,
		})
		resolveAll(t, dir, "file://secrets.yml", map[string]string{"YML": "from-yml"})
	})
	t.Run("json", func(t *testing.T) {
		resolveAll(t, dir, "file://./secrets.json", map[string]string{
			"NOTION_TOKEN": "secret_json",
			"NUM":          "1.50e+3",
			"NEG":          "-7",
			"BOOL":         "false",
			"ESCAPED":      `a"bA`,
			"NESTED":       `{"z":1,"a":[true,null,"<&>"],"m":{}}`,
		})
		resolveAll(t, dir, "file://secrets.conf", map[string]string{"CONF": "json by default"})
	})
}

func TestKeyFilePaths(t *testing.T) {
	dir := t.TempDir()
	abs := writeFile(t, dir, "sub/keys.env", "K=v\n")
	tests := []struct{ name, location string }{
		{"dot slash", "file://./sub/keys.env"},
		{"slash dot slash", "file:///./sub/keys.env"},
		{"bare relative", "file://sub/keys.env"},
		{"parent", "file://../" + filepath.Base(dir) + "/sub/keys.env"},
		{"absolute", "file://" + filepath.ToSlash(abs)},
		{"scheme case", "FILE://./sub/keys.env"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resolveAll(t, dir, tt.location, map[string]string{"K": "v"})
		})
	}
	// Relative paths resolve against dir, never the working directory.
	wd, _ := os.Getwd()
	if wd != dir {
		b := New([]*spec.Bind{{Namespace: "s", Location: "file://./sub/keys.env", Keys: []spec.BindKey{{Var: "K", Key: "K"}}}}, wd)
		if _, err := b.Var(context.Background(), "K"); err == nil {
			t.Error("resolved against the wrong directory")
		}
	}
}

func TestKeyFileErrors(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "secrets.yaml", "OTHER: x\nNULL: ~\n")
	writeFile(t, dir, "list.yaml", "- a\n- b\n")
	writeFile(t, dir, "list.json", `["a"]`)
	writeFile(t, dir, "broken.json", "{\n  \"A\": 1,\n  \"B\" 2\n}")
	writeFile(t, dir, "broken.yaml", "A: [1, 2\n")
	writeFile(t, dir, "empty.yaml", "")
	ctx := context.Background()
	const formatHint = "the format follows the file name: .env → dotenv, .yaml/.yml → YAML, anything else → JSON; the root must be a mapping"

	tests := []struct {
		location, key string
		msg, hint     string
	}{
		{"file://./secrets.yaml", "NOTION_TOKEN",
			"key `NOTION_TOKEN` not found in ./secrets.yaml (binds namespace `secrets`)",
			"add a top-level key NOTION_TOKEN to " + filepath.Join(dir, "secrets.yaml")},
		{"file://./secrets.yaml", "NULL",
			"key `NULL` in ./secrets.yaml (binds namespace `secrets`) is null",
			"give key NULL a value in " + filepath.Join(dir, "secrets.yaml")},
		{"file://./empty.yaml", "A",
			"key `A` not found in ./empty.yaml (binds namespace `secrets`)", "-"},
		{"file://./missing.env", "A",
			"cannot read key file ./missing.env (binds namespace `secrets`): no such file or directory",
			"it was looked for at " + filepath.Join(dir, "missing.env") + "; relative locations resolve against the capability file's directory"},
		{"file://./list.yaml", "A",
			"cannot parse key file ./list.yaml as YAML (binds namespace `secrets`): the root must be a YAML mapping", formatHint},
		{"file://./list.json", "A",
			"cannot parse key file ./list.json as JSON (binds namespace `secrets`): the root must be a JSON object", formatHint},
		{"file://./broken.json", "A",
			"cannot parse key file ./broken.json as JSON (binds namespace `secrets`): line 3, column 7: invalid JSON", formatHint},
		{"file://./broken.yaml", "A",
			"cannot parse key file ./broken.yaml as YAML (binds namespace `secrets`): line 1: did not find expected ',' or ']'", formatHint},
	}
	for _, tt := range tests {
		t.Run(tt.location+"#"+tt.key, func(t *testing.T) {
			b := New([]*spec.Bind{{Namespace: "secrets", Location: tt.location, Keys: []spec.BindKey{{Var: tt.key, Key: tt.key}}}}, dir)
			_, err := b.Var(ctx, tt.key)
			bindingError(t, err, tt.msg, tt.hint)
		})
	}
}

func TestKeyFileReadOnce(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "keys.env", "A=first-a\nB=first-b\nC=unused-c\n")
	b := New([]*spec.Bind{
		{Namespace: "one", Location: "file://keys.env", Keys: []spec.BindKey{{Var: "A", Key: "A"}}},
		{Namespace: "two", Location: "file://./keys.env", Keys: []spec.BindKey{{Var: "B", Key: "B"}}},
	}, dir)
	if v, err := b.Var(context.Background(), "A"); err != nil || v.Reveal() != "first-a" {
		t.Fatalf("A = %q, %v", v.Reveal(), err)
	}
	// Changing or removing the file no longer matters: it was read once.
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if v, err := b.Var(context.Background(), "B"); err != nil || v.Reveal() != "first-b" {
		t.Errorf("B = %q, %v", v.Reveal(), err)
	}
	// Resolved values are registered with the redactor; unbound ones are not.
	red := b.Redactor()
	if !red.IsSecret("first-a") || !red.IsSecret("first-b") || red.IsSecret("unused-c") {
		t.Error("redactor registration")
	}
	var se *spec.Error
	if _, err := b.Var(context.Background(), "C"); !errors.As(err, &se) || se.Kind != spec.KindBinding {
		t.Errorf("C: %v", err)
	}
}
