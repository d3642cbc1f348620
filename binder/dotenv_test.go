package binder

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/naftiko/naftiko/spec"
)

func TestParseDotenv(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    map[string]string
		wantErr string
	}{
		{name: "empty", in: "", want: map[string]string{}},
		{name: "simple", in: "A=1\nB=two\n", want: map[string]string{"A": "1", "B": "two"}},
		{name: "blank lines and comments", in: "\n# comment\n   # indented comment\n\nA=1\n\n", want: map[string]string{"A": "1"}},
		{name: "export prefix", in: "export A=1\nexport\tB=2\nexport=3", want: map[string]string{"A": "1", "B": "2", "export": "3"}},
		{name: "equals in value", in: "URL=https://x.test/?a=b&c=d\nB64=YWJj==", want: map[string]string{"URL": "https://x.test/?a=b&c=d", "B64": "YWJj=="}},
		{name: "double quotes", in: `A="hello world"`, want: map[string]string{"A": "hello world"}},
		{name: "single quotes", in: `A='it "is" $HOME'`, want: map[string]string{"A": `it "is" $HOME`}},
		{name: "quoted hash and comment", in: `A="a # b" # note`, want: map[string]string{"A": "a # b"}},
		{name: "no interpolation", in: "A=1\nB=${A}$A\nC=\"$A\\n\"", want: map[string]string{"A": "1", "B": "${A}$A", "C": `$A\n`}},
		{name: "inline comment", in: "A=value # comment\nB=val#ue\nC= # only comment", want: map[string]string{"A": "value", "B": "val#ue", "C": ""}},
		{name: "empty values", in: "A=\nB=''\nC=\"\"", want: map[string]string{"A": "", "B": "", "C": ""}},
		{name: "spaces around", in: "  A  =  spaced value  \t", want: map[string]string{"A": "spaced value"}},
		{name: "crlf and bom", in: "\ufeffA=1\r\nB='2'\r\n", want: map[string]string{"A": "1", "B": "2"}},
		{name: "later wins", in: "A=1\nA=2", want: map[string]string{"A": "2"}},
		{name: "dotted and dashed keys", in: "a.b-c_D9=x", want: map[string]string{"a.b-c_D9": "x"}},
		{name: "no equals", in: "A=1\n\nsk_live_abcdef\n", wantErr: "line 3: expected KEY=VALUE"},
		{name: "bare export", in: "export A", wantErr: "line 1: expected KEY=VALUE"},
		{name: "empty key", in: "=x", wantErr: "line 1: invalid key: use letters, digits, _, . and -"},
		{name: "space in key", in: "# c\nMY KEY=x", wantErr: "line 2: invalid key: use letters, digits, _, . and -"},
		{name: "unterminated quote", in: "A=\"abc", wantErr: "line 1: unterminated quoted value (values span one line)"},
		{name: "text after quote", in: "A='abc'def", wantErr: "line 1: unexpected text after the closing quote"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDotenv(strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "sk_live") {
					t.Errorf("error quotes the line: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestEnvFiles(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "a.env", "A=from-a\nB=from-a\n")
	b := writeFile(t, dir, "b.env", "B=from-b\nEMPTY=\n")
	env := map[string]string{"A": "from-env", "C": "from-env"}
	fallback := func(k string) (string, bool) { v, ok := env[k]; return v, ok }

	look, err := EnvFiles(context.Background(), []string{a, b}, fallback)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		key, want string
		ok        bool
	}{
		{"A", "from-a", true},
		{"B", "from-b", true},
		{"C", "from-env", true},
		{"EMPTY", "", true},
		{"D", "", false},
	} {
		if got, ok := look(tt.key); got != tt.want || ok != tt.ok {
			t.Errorf("lookup(%s) = %q, %t; want %q, %t", tt.key, got, ok, tt.want, tt.ok)
		}
	}

	missing := filepath.Join(dir, "nope.env")
	_, err = EnvFiles(context.Background(), []string{a, missing}, fallback)
	var se *spec.Error
	if !errors.As(err, &se) || se.Kind != spec.KindUsage {
		t.Fatalf("missing file: err = %#v, want a usage *spec.Error", err)
	}
	if want := "--env-file " + missing + ": no such file"; se.Msg != want {
		t.Errorf("Msg = %q, want %q", se.Msg, want)
	}

	bad := writeFile(t, dir, "bad.env", "OK=1\nTOKEN sk_live_abcdef\n")
	_, err = EnvFiles(context.Background(), []string{bad}, fallback)
	if !errors.As(err, &se) || se.Kind != spec.KindUsage {
		t.Fatalf("bad file: err = %#v, want a usage *spec.Error", err)
	}
	if want := "--env-file " + bad + ": line 2: expected KEY=VALUE"; se.Msg != want {
		t.Errorf("Msg = %q, want %q", se.Msg, want)
	}

	t.Setenv("NAFTIKO_BINDER_TEST", "os")
	look, err = EnvFiles(context.Background(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := look("NAFTIKO_BINDER_TEST"); v != "os" || !ok {
		t.Errorf("nil fallback: lookup = %q, %t; want os.LookupEnv", v, ok)
	}
}
