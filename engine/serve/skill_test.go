package serve

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/naftiko/naftiko/engine/enginetest"
	"github.com/naftiko/naftiko/spec"
)

// The reference's skill fixture (fixtures/skill-capability.yaml), served
// as its SkillIntegrationTest serves it, with the skill's location moved
// to a temporary directory.
func TestSkillAdapterFixture(t *testing.T) {
	c, err := spec.LoadFile(filepath.Join(enginetest.ReferenceDir(t), "fixtures", "skill-capability.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "docs"), 0o755)
	os.WriteFile(filepath.Join(dir, "order-guide.md"), []byte("# Orders\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "docs", "overview.json"), []byte(`{"a":1}`), 0o644)
	os.Symlink("/etc/passwd", filepath.Join(dir, "escape.md"))
	var skillNS string
	for _, x := range c.Exposes {
		x.Port = 0
		if x.Type == "skill" {
			skillNS = x.Namespace
			x.Skills[0].Location = "file://" + dir
		}
	}
	s, err := New(c, WithAddress("127.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Shutdown(ctx)
	})
	base := "http://" + s.Addr(skillNS)

	status, catalog := httpJSON(t, http.MethodGet, base+"/skills", "")
	checkEq(t, status, 200, "GET /skills")
	checkEq(t, jsonOf(t, catalog), `{"count":2,"skills":[`+
		`{"description":"Tools for managing orders","name":"order-management","tools":["list-orders","order-guide"]},`+
		`{"description":"A purely descriptive skill with no tools","name":"onboarding-guide","tools":[]}]}`, "catalog")

	status, detail := httpJSON(t, http.MethodGet, base+"/skills/order-management", "")
	checkEq(t, status, 200, "GET /skills/order-management")
	checkEq(t, jsonOf(t, detail), `{"allowed-tools":"list-orders","argument-hint":"Use for order operations",`+
		`"description":"Tools for managing orders","name":"order-management","tools":[`+
		`{"description":"List all orders in the system","invocationRef":{"action":"list-orders","mode":"rest","targetNamespace":"orders-rest"},"name":"list-orders","type":"derived"},`+
		`{"description":"Guide for working with orders","instruction":"order-guide.md","name":"order-guide","type":"instruction"}]}`, "detail")

	status, detail = httpJSON(t, http.MethodGet, base+"/skills/onboarding-guide", "")
	checkEq(t, status, 200, "GET /skills/onboarding-guide")
	checkEq(t, jsonOf(t, path(detail, "tools")), `[]`, "a descriptive skill has an empty tools array")

	status, body := httpJSON(t, http.MethodGet, base+"/skills/unknown-skill", "")
	checkEq(t, status, 404, "unknown skill")
	checkEq(t, text(path(body, "error", "message")), "Skill not found: unknown-skill", "unknown skill message")

	status, contents := httpJSON(t, http.MethodGet, base+"/skills/order-management/contents", "")
	checkEq(t, status, 200, "contents")
	checkEq(t, jsonOf(t, contents), `{"files":[{"path":"docs/overview.json","size":7,"type":"application/json"},`+
		`{"path":"order-guide.md","size":9,"type":"text/markdown; charset=utf-8"}],"name":"order-management"}`, "contents")

	resp, err := http.Get(base + "/skills/order-management/contents/docs/overview.json")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	checkEq(t, resp.StatusCode, 200, "file status")
	checkEq(t, string(b), `{"a":1}`, "file body")
	checkEq(t, resp.Header.Get("Content-Type"), "application/json", "file type")

	for _, bad := range []string{"escape.md", "..%2F..%2Fetc%2Fpasswd", "docs", "missing.md"} {
		status, _ := httpJSON(t, http.MethodGet, base+"/skills/order-management/contents/"+bad, "")
		checkEq(t, status, 404, "unsafe or missing file "+bad)
	}
	status, _ = httpJSON(t, http.MethodGet, base+"/skills/onboarding-guide/contents", "")
	checkEq(t, status, 404, "contents of a skill without location")

	resp, err = http.Get(base + "/skills/order-management/download")
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	checkEq(t, resp.Header.Get("Content-Type"), "application/zip", "download type")
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	checkEq(t, jsonOf(t, names), `["docs/overview.json","order-guide.md"]`, "zip entries")

	req, _ := http.NewRequest(http.MethodPost, base+"/skills", nil)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	checkEq(t, resp.StatusCode, 405, "POST /skills")
}

// Skill tools are checked at load: exactly one of from and instruction,
// instructions need a location, and from names a rest or mcp adapter.
func TestSkillAdapterRefused(t *testing.T) {
	c, err := spec.Parse([]byte(`ikanos: "1.0.0-beta5"
capability:
  exposes:
  - type: skill
    port: 0
    namespace: sk
    skills:
      a:
        description: d
        tools:
          both: {description: d, from: {sourceNamespace: nope, action: x}, instruction: x.md}
          neither: {description: d}
          instr: {description: d, instruction: x.md}
          unknown: {description: d, from: {sourceNamespace: nope, action: x}}
`), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range c.Exposes[0].Errors {
		got = append(got, d.Message)
	}
	checkEq(t, jsonOf(t, got), jsonOf(t, []string{
		"skill tool `both` of skill `a` cannot define both `from` and `instruction`",
		"skill tool `neither` of skill `a` must define either `from` or `instruction`",
		"skill tool `instr` of skill `a` uses `instruction` but the skill has no `location`",
		"skill tool `both` of skill `a` references unknown namespace `nope`; expected one of: ",
		"skill tool `unknown` of skill `a` references unknown namespace `nope`; expected one of: ",
	}), "adapter errors")
	s, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Start(context.Background())
	if err == nil || !strings.Contains(err.Error(), "skill adapter sk: skill tool `both` of skill `a` cannot define both") {
		s.Shutdown(context.Background())
		t.Fatalf("Start = %v, want the adapter errors", err)
	}
}
