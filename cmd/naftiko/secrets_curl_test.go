package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// findCurl returns the path of a curl that knows --url-query (7.87 or
// later), or "" when there is none. Under CI (NAFTIKO_REQUIRE_CURL, set by
// .ci/run, which installs it) a missing curl fails the test.
func findCurl(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("curl")
	if err == nil {
		out, _ := exec.Command(path, "--version").Output()
		m := regexp.MustCompile(`^curl (\d+)\.(\d+)`).FindSubmatch(out)
		if m != nil {
			major, _ := strconv.Atoi(string(m[1]))
			minor, _ := strconv.Atoi(string(m[2]))
			if major > 7 || major == 7 && minor >= 87 {
				return path
			}
		}
	}
	if os.Getenv("NAFTIKO_REQUIRE_CURL") != "" {
		t.Fatalf("NAFTIKO_REQUIRE_CURL is set but no curl 7.87 or later is installed (%v)", err)
	}
	t.Skip("no curl 7.87 or later")
	return ""
}

// The command --curl prints, pasted into a shell, sends what naftiko sends:
// secrets in the query (any character), in a header and in the body, read
// from the environment or from --env-file, reach the upstream unchanged,
// and the printed text holds none of them.
func TestCurlPastes(t *testing.T) {
	curl := findCurl(t)
	var mu sync.Mutex
	var got []string
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body bytes.Buffer
		body.ReadFrom(r.Body)
		mu.Lock()
		got = append(got, fmt.Sprintf("%s %s q=%q api_key=%q X-Tok=%q body=%s", r.Method, r.URL.Path,
			r.URL.Query()["q"], r.URL.Query()["api_key"], r.Header.Values("X-Tok"), body.String()))
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer up.Close()
	dir := t.TempDir()
	file := write(t, dir, "cap.yaml", `naftiko: 1.0.0-alpha2
info: {label: P}
binds:
- namespace: env
  keys: {KEY: KEY, TOK: TOK}
capability:
  consumes:
  - type: http
    namespace: p
    baseUri: `+up.URL+`
    authentication: {type: apikey, key: api_key, value: '{{KEY}}', placement: query}
    resources:
    - name: r
      path: /r
      operations:
      - name: Post
        method: POST
        inputParameters:
        - {name: q, in: query}
        - {name: X-Tok, in: header, value: 'tok {{TOK}}'}
        body:
          type: json
          data: {k: '{{KEY}}', q: '{{q}}'}
`)
	key, tok := "k3y a+b&c=d/e%20f~é?#", "t0k3n-sentinel"
	write(t, dir, "s.env", "KEY='"+key+"'\nTOK="+tok+"\n")
	for _, src := range []string{"env", "env-file"} {
		t.Run(src, func(t *testing.T) {
			args := []string{"run", file, "Post", "--param", "q=x y+z"}
			env := os.Environ()
			if src == "env" {
				t.Setenv("KEY", key)
				t.Setenv("TOK", tok)
				env = append(env, "KEY="+key, "TOK="+tok)
			} else {
				os.Unsetenv("KEY")
				os.Unsetenv("TOK")
				args = append(args, "--env-file", "s.env")
			}
			got = nil
			run := func(extra ...string) string {
				t.Helper()
				var out, errb bytes.Buffer
				wd, _ := os.Getwd()
				if err := os.Chdir(dir); err != nil {
					t.Fatal(err)
				}
				code := Main(context.Background(), append(args, extra...), strings.NewReader(""), &out, &errb)
				os.Chdir(wd)
				if code != 0 {
					t.Fatalf("exit %d: %s", code, errb.String())
				}
				return out.String()
			}
			run()
			printed := run("--curl")
			for _, s := range []string{key, tok, "t0k3n"} {
				if strings.Contains(printed, s) {
					t.Errorf("--curl prints %q:\n%s", s, printed)
				}
			}
			sh := exec.Command("sh", "-c", printed)
			sh.Dir = dir
			sh.Env = append(env, "PATH="+filepath.Dir(curl)+string(os.PathListSeparator)+os.Getenv("PATH"))
			if out, err := sh.CombinedOutput(); err != nil {
				t.Fatalf("the pasted command failed: %v\n%s\n%s", err, printed, out)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(got) != 2 || got[0] != got[1] {
				t.Errorf("naftiko and the pasted curl sent different requests:\nnaftiko %s\ncurl    %s\n%s", got[0], got[len(got)-1], printed)
			}
			want := fmt.Sprintf(`POST /r q=["x y+z"] api_key=[%q] X-Tok=["tok t0k3n-sentinel"] body={"k":%q,"q":"x y+z"}`, key, key)
			if len(got) > 0 && got[0] != want {
				t.Errorf("naftiko sent  %s\nwant          %s", got[0], want)
			}
		})
	}
}
