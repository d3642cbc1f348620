package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The promise of SPEC.md §13.3, as a property: with sentinel secrets bound
// through every source (environment, --env-file, key file) and used by
// every static and dynamic authentication kind (digest included), an upstream that echoes
// every header and the query into its answers, and every CLI path (run
// with each -o, -v, --dry-run, --curl, upstream errors in every body
// format; validate; ops), no sentinel appears in any form: raw, base64,
// percent-encoded or JSON-escaped. Successful results are data (README
// "Security") and are the only output not checked.
func TestSecretsNeverPrinted(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/digest/") {
			if !strings.HasPrefix(r.Header.Get("Authorization"), "Digest ") {
				w.Header().Set("WWW-Authenticate", `Digest realm="r", nonce="n1", qop="auth", algorithm=MD5`)
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			r.URL.Path = strings.TrimPrefix(r.URL.Path, "/digest")
		}
		switch {
		case r.URL.Path == "/token":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"access_token":"`+sentinels["oauth2-access"]+`","token_type":"Bearer","expires_in":3600}`)
		case strings.HasPrefix(r.URL.Path, "/echo/"):
			n, format, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/echo/"), "/")
			code := 200
			fmt.Sscan(n, &code)
			writeEcho(w, r, code, format)
		default:
			http.NotFound(w, r)
		}
	}))
	defer up.Close()

	auths := map[string]string{
		"bearer":        "{type: bearer, token: '{{S1}}'}",
		"basic":         "{type: basic, username: '{{S1}}', password: '{{S2}}'}",
		"apikey-header": "{type: apikey, key: X-Api-Key, value: '{{S1}}'}",
		"apikey-query":  "{type: apikey, key: api_key, value: '{{S1}}', placement: query}",
		"header-cookie": "{type: apikey, key: Cookie, value: 'session={{S1}}'}",
		"oauth2":        "{type: oauth2, tokenEndpoint: '" + up.URL + "/token', clientId: '{{S1}}', clientSecret: '{{S2}}'}",
		"digest":        "{type: digest, username: '{{S1}}', password: '{{S2}}'}",
		"sigv4":         "{type: aws-sig-v4, accessKeyId: '{{S1}}', secretAccessKey: '{{S2}}', region: us-east-1, service: execute-api}",
	}
	sources := []string{"env", "env-file", "key-file"}
	runs, checks := 0, 0
	for kind, auth := range auths {
		for _, src := range sources {
			dir := t.TempDir()
			s1, s2 := sentinels["s1"], sentinels["s2"]
			bind := "- namespace: env\n  keys: {S1: S1, S2: S2}\n"
			var extra []string
			switch src {
			case "env":
				t.Setenv("S1", s1)
				t.Setenv("S2", s2)
			case "env-file":
				t.Setenv("S1", "")
				t.Setenv("S2", "")
				os.Unsetenv("S1")
				os.Unsetenv("S2")
				write(t, dir, "s.env", "S1='"+s1+"'\nS2='"+s2+"'\n")
				extra = []string{"--env-file", filepath.Join(dir, "s.env")}
			case "key-file":
				os.Unsetenv("S1")
				os.Unsetenv("S2")
				bind = "- namespace: keys\n  location: file://./keys.json\n  keys: {S1: S1, S2: S2}\n"
				kj, _ := json.Marshal(map[string]string{"S1": s1, "S2": s2})
				write(t, dir, "keys.json", string(kj))
			}
			baseURI := up.URL
			if kind == "digest" {
				baseURI += "/digest" // answers a Digest challenge first
			}
			file := write(t, dir, "cap.yaml", "naftiko: 1.0.0-alpha2\ninfo: {label: P}\nbinds:\n"+bind+
				"capability:\n  consumes:\n  - type: http\n    namespace: p\n    baseUri: "+baseURI+"\n    authentication: "+auth+
				"\n    resources:\n    - name: echo\n      path: /echo/{{code}}/{{fmt}}\n      operations:\n      - name: Echo\n        method: GET\n")
			call := func(data bool, args ...string) {
				t.Helper()
				var out, errb bytes.Buffer
				code := Main(context.Background(), args, strings.NewReader(""), &out, &errb)
				runs++
				where := fmt.Sprintf("%s/%s %q (exit %d)", kind, src, args, code)
				if !data {
					checks += assertNoSentinel(t, where+" stdout", out.String())
				}
				checks += assertNoSentinel(t, where+" stderr", errb.String())
			}
			base := append([]string{"run", file, "Echo"}, extra...)
			for _, mode := range [][]string{{"--dry-run"}, {"--curl"}, {"-v"}} {
				call(mode[0] == "-v", append(append(base, "--param", "code=200", "--param", "fmt=json"), mode...)...)
			}
			for _, code := range []string{"401", "500"} {
				for _, f := range []string{"json", "yaml", "xml", "text", "html"} {
					for _, o := range []string{"json", "yaml", "raw"} {
						call(false, append(base, "--param", "code="+code, "--param", "fmt="+f, "-o", o, "--retries", "0")...)
					}
				}
			}
			call(false, append(base, "--param", "code=500", "--param", "fmt=json", "-v", "--retries", "0")...)
			call(false, append(base, "--param", "code=ten", "--param", "fmt="+s1)...) // a usage error quoting a secret
			call(false, "validate", file)
			call(false, "ops", file)
		}
	}
	t.Logf("%d runs, %d outputs checked, %d forms per sentinel", runs, checks, len(forms(sentinels["s1"])))
}

// sentinels hold characters that every encoding changes.
var sentinels = map[string]string{
	"s1":            "Sntl1+a/b=c&d~e",
	"s2":            "Sntl2 p@ss\"w'rd",
	"oauth2-access": "Sntl3.acc+tok/en",
}

// forms returns the forms a secret may be printed in.
func forms(s string) []string {
	j, _ := json.Marshal(s)
	return []string{s, base64.StdEncoding.EncodeToString([]byte(s)), url.QueryEscape(s), url.PathEscape(s), string(j[1 : len(j)-1])}
}

func assertNoSentinel(t *testing.T, where, text string) int {
	t.Helper()
	for name, s := range sentinels {
		for _, f := range forms(s) {
			if strings.Contains(text, f) {
				t.Errorf("%s: sentinel %s printed as %q:\n%s", where, name, f, text)
				return 1
			}
		}
	}
	// The Basic credential of the two sentinels.
	if b := base64.StdEncoding.EncodeToString([]byte(sentinels["s1"] + ":" + sentinels["s2"])); strings.Contains(text, b) {
		t.Errorf("%s: Basic credential printed:\n%s", where, text)
	}
	return 1
}

func write(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
