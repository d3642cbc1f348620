package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

var (
	buildOnce           sync.Once
	binNaftiko, binBare string
	buildErr            error
)

// buildBinaries builds naftiko and a do-nothing Go program once per test
// binary, so start-up can be compared with a bare Go binary's.
func buildBinaries(b *testing.B) (string, string) {
	b.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "naftiko-bench")
		if err != nil {
			buildErr = err
			return
		}
		gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
		binNaftiko = filepath.Join(dir, "naftiko")
		if out, err := exec.Command(gobin, "build", "-o", binNaftiko, ".").CombinedOutput(); err != nil {
			buildErr = &buildError{string(out)}
			return
		}
		bare := filepath.Join(dir, "bare")
		os.MkdirAll(bare, 0o755)
		os.WriteFile(filepath.Join(bare, "go.mod"), []byte("module bare\n\ngo 1.24\n"), 0o644)
		os.WriteFile(filepath.Join(bare, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644)
		binBare = filepath.Join(dir, "bare-bin")
		cmd := exec.Command(gobin, "build", "-o", binBare, ".")
		cmd.Dir = bare
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = &buildError{string(out)}
		}
	})
	if buildErr != nil {
		b.Fatal(buildErr)
	}
	return binNaftiko, binBare
}

type buildError struct{ out string }

func (e *buildError) Error() string { return "go build failed:\n" + e.out }

// BenchmarkStartupBare execs a Go program whose main does nothing: the
// floor for any Go CLI's start-up.
func BenchmarkStartupBare(b *testing.B) {
	_, bare := buildBinaries(b)
	for b.Loop() {
		if err := exec.Command(bare).Run(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStartupDryRun execs `naftiko run … --dry-run` on the Clerk
// capability: load, bind, build and print a request, send nothing.
func BenchmarkStartupDryRun(b *testing.B) {
	bin, _ := buildBinaries(b)
	args := []string{"run", "../../capabilities/clerk/organization-memberships.yaml", "ListOrganizationMemberships",
		"--param", "organization_id=org_2RwC6", "--param", "user_id=user_a", "--param", "user_id=user_b",
		"--param", "order_by=+created_at", "--dry-run"}
	for b.Loop() {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "CLERK_SECRET_KEY=sk_test_bench")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v: %s", err, out)
		}
	}
}
