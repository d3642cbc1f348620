package engine

import (
	"os/exec"
	"strings"
	"testing"
)

// TestOnlyTheOTelAPI checks that the engine and the server depend on the
// OpenTelemetry API only: the SDK, its exporters, gRPC and protobuf are
// linked by the programs that build a pipeline (engine/telemetry, the
// CLI), never forced on those who embed the engine.
func TestOnlyTheOTelAPI(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".", "./serve").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if strings.HasPrefix(p, "go.opentelemetry.io/otel/sdk") || strings.HasPrefix(p, "go.opentelemetry.io/otel/exporters") ||
			strings.HasPrefix(p, "google.golang.org/grpc") || strings.HasPrefix(p, "google.golang.org/protobuf") {
			t.Errorf("engine or engine/serve depends on %s", p)
		}
	}
}
