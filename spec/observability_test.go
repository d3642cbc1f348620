package spec

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

func TestObservabilityFixtures(t *testing.T) {
	dir, _ := filepath.Abs("../../shared/reference/fixtures/observability")
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		if os.Getenv("CI") != "" {
			t.Fatalf("the reference fixtures are missing at %s (CI provides ../shared/reference)", dir)
		}
		t.Skipf("no reference fixtures at %s", dir)
	}
	for _, tc := range []struct {
		file string
		want string
	}{
		{"observability-capability.yaml", "disabled=false sampling=0.5 propagation=b3 endpoint=http://collector.local:4317"},
		{"observability-disabled.yaml", "disabled=true sampling=<nil> propagation= endpoint="},
	} {
		c, err := LoadFile(filepath.Join(dir, tc.file))
		if err != nil {
			t.Fatal(err)
		}
		o := c.Exposes[0].Observability
		if o == nil {
			t.Fatalf("%s: no observability", tc.file)
		}
		s := "<nil>"
		if o.Sampling != nil {
			s = strconv.FormatFloat(*o.Sampling, 'g', -1, 64)
		}
		got := "disabled=" + strconv.FormatBool(o.Disabled) + " sampling=" + s + " propagation=" + o.Propagation + " endpoint=" + o.Endpoint
		if got != tc.want {
			t.Errorf("%s: %s, want %s", tc.file, got, tc.want)
		}
	}
}

func TestObservabilityBadSampling(t *testing.T) {
	c, err := Parse([]byte(`naftiko: 1.0.0-alpha2
capability:
  exposes:
  - type: control
    port: 9090
    observability: {traces: {sampling: 2}}
`), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	x := c.Exposes[0]
	if x.Observability == nil || x.Observability.Sampling != nil || len(x.Errors) != 1 || x.Errors[0].Message != "`sampling` must be a number from 0 to 1, not \"2\"" {
		t.Errorf("observability %+v, errors %v", x.Observability, x.Errors)
	}
}
