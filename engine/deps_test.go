package engine

import (
	"os/exec"
	"strings"
	"testing"
)

// TestOnlyTheOTelAPI checks that the engine and the server depend on the
// OpenTelemetry API only: the SDK, its exporters and gRPC are linked by
// the programs that build a pipeline (engine/telemetry, the CLI), never
// forced on those who embed the engine. The engine does not link
// protobuf either (the server does, through the Prometheus client).
func TestOnlyTheOTelAPI(t *testing.T) {
	banned := []string{"go.opentelemetry.io/otel/sdk", "go.opentelemetry.io/otel/exporters", "google.golang.org/grpc"}
	for pkg, extra := range map[string][]string{".": {"google.golang.org/protobuf"}, "./serve": nil} {
		out, err := exec.Command("go", "list", "-deps", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		for _, p := range strings.Fields(string(out)) {
			for _, b := range append(banned, extra...) {
				if strings.HasPrefix(p, b) {
					t.Errorf("%s depends on %s", pkg, p)
				}
			}
		}
	}
}
