package program_test

import (
	"testing"

	"github.com/naftiko/naftiko/spec"
	"github.com/naftiko/naftiko/spec/program"
)

// benchCompile compiles a loaded capability: every consumed operation
// and forward operation, then, as serving does, every exposed element
// (b.Run "elements"); "lint" compiles and lints it, as validate does.
func benchCompile(b *testing.B, path string) {
	c, err := spec.LoadFile(path)
	if err != nil {
		b.Skipf("%s: %v", path, err)
	}
	b.Run("operations", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			program.Compile(c)
		}
	})
	b.Run("elements", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			program.Compile(c).Element(&spec.Behavior{})
		}
	})
	b.Run("lint", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			program.Compile(c).Lint()
		}
	})
}

// BenchmarkCompileLargest compiles the largest corpus file (1,158
// operations).
func BenchmarkCompileLargest(b *testing.B) {
	benchCompile(b, "../../../shared/corpus/microsoft-graph__microsoft-graph-drives-driveitem.yaml")
}

// BenchmarkCompileTutorial compiles the tutorial's last step (MCP tools,
// REST operations and aggregate functions with steps and lookups).
func BenchmarkCompileTutorial(b *testing.B) {
	benchCompile(b, "../../../shared/reference/tutorial/step-11-shipyard-fleet-manifest.yml")
}
