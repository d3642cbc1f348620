package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/validate")

// Goldens with a --format json or --strict variant besides the text one.
var (
	jsonGoldens   = []string{"call-unresolved", "clean", "template-unknown-variable"}
	strictGoldens = []string{"schema-dialect", "schema-unknown-field"}
)

// TestValidateGolden runs "naftiko validate" on every testdata/validate/*.yaml
// and compares stdout with NAME.out (text), NAME.json.out (--format json)
// and NAME.strict.out (--strict). Run with -update to rewrite them.
func TestValidateGolden(t *testing.T) {
	t.Chdir("../../testdata/validate")
	files, err := filepath.Glob("*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(f, ".yaml")
		variants := map[string][]string{name + ".out": {"validate", f}}
		if slices.Contains(jsonGoldens, name) {
			variants[name+".json.out"] = []string{"validate", "--format", "json", f}
		}
		if slices.Contains(strictGoldens, name) {
			variants[name+".strict.out"] = []string{"validate", "--strict", f}
		}
		for golden, args := range variants {
			t.Run(golden, func(t *testing.T) {
				var stdout, stderr bytes.Buffer
				code := Main(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
				checkValidateRun(t, args, code, stdout.Bytes(), stderr.String())
				if *update {
					if err := os.WriteFile(golden, stdout.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./cmd/naftiko -run TestValidateGolden -update)", err)
				}
				if !bytes.Equal(stdout.Bytes(), want) {
					t.Errorf("naftiko %s: stdout differs from %s\n--- got\n%s--- want\n%s", strings.Join(args, " "), golden, stdout.Bytes(), want)
				}
			})
		}
	}
	// Every golden file belongs to an input.
	outs, _ := filepath.Glob("*.out")
	for _, o := range outs {
		base, _, _ := strings.Cut(o, ".")
		if _, err := os.Stat(base + ".yaml"); err != nil {
			t.Errorf("%s has no input %s.yaml", o, base)
		}
	}
}

// checkValidateRun checks what does not need a golden file: the exit
// status agrees with the severities printed, and the summary line counts
// them.
func checkValidateRun(t *testing.T, args []string, code int, stdout []byte, stderr string) {
	t.Helper()
	var errs, warns int
	if slices.Contains(args, "json") {
		var ds []jsonDiagnostic
		if err := json.Unmarshal(stdout, &ds); err != nil {
			t.Fatalf("--format json output is not a JSON array: %v\n%s", err, stdout)
		}
		for _, d := range ds {
			switch d.Severity {
			case "error":
				errs++
			case "warning":
				warns++
			default:
				t.Errorf("severity %q in %+v", d.Severity, d)
			}
		}
	} else {
		for _, line := range strings.Split(strings.TrimSuffix(string(stdout), "\n"), "\n") {
			switch {
			case line == "":
			case strings.Contains(line, ": error: "):
				errs++
			case strings.Contains(line, ": warning: "):
				warns++
			default:
				t.Errorf("unexpected line %q", line)
			}
		}
	}
	want := 0
	if errs > 0 {
		want = 1
	}
	if code != want {
		t.Errorf("exit status %d with %d errors, want %d", code, errs, want)
	}
	if s := validateSummary(errs, warns, 1) + "\n"; stderr != s {
		t.Errorf("stderr %q, want %q", stderr, s)
	}
}

func TestValidateSummary(t *testing.T) {
	for _, c := range []struct {
		errs, warns, files int
		want               string
	}{
		{0, 0, 1, "0 errors, 0 warnings in 1 file"},
		{1, 1, 2, "1 error, 1 warning in 2 files"},
		{2, 3, 1, "2 errors, 3 warnings in 1 file"},
	} {
		if got := validateSummary(c.errs, c.warns, c.files); got != c.want {
			t.Errorf("validateSummary(%d, %d, %d) = %q, want %q", c.errs, c.warns, c.files, got, c.want)
		}
	}
}

const cmdCorpusDir = "../../../shared/corpus"

// TestCorpusOpsAndValidate runs "naftiko ops" and "naftiko validate" on
// every corpus file: ops must succeed and list operations, validate must
// finish with status 0 or 1 and print only well-formed diagnostics.
func TestCorpusOpsAndValidate(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(cmdCorpusDir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Skipf("no corpus at %s", cmdCorpusDir)
	}
	for _, f := range files {
		var stdout, stderr bytes.Buffer
		if code := Main(context.Background(), []string{"ops", f}, nil, &stdout, &stderr); code != 0 {
			t.Errorf("naftiko ops %s: exit status %d\n%s", f, code, stderr.String())
		}
		stdout.Reset()
		stderr.Reset()
		code := Main(context.Background(), []string{"validate", f}, nil, &stdout, &stderr)
		if code != 0 && code != 1 {
			t.Errorf("naftiko validate %s: exit status %d\n%s", f, code, stderr.String())
		}
		for _, line := range strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n") {
			if line != "" && !strings.HasPrefix(line, f+":") {
				t.Errorf("naftiko validate %s: line %q", f, line)
				break
			}
		}
	}
}
