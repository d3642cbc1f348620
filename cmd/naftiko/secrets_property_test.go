package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/naftiko/naftiko/binder"
)

// The promise of SPEC.md §13.3, as a property: with sentinel secrets bound
// through every source (environment, --env-file, key file, a bind provider
// registered by a program embedding the command) and used by
// every static and dynamic authentication kind (digest included), an upstream that echoes
// every header and the query into its answers, and every CLI path (run
// with each -o, -v, --dry-run, --curl, upstream errors in every body
// format; validate; ops), no sentinel appears in any form: raw, base64,
// percent-encoded or JSON-escaped. Successful results are data (README
// "Security") and are the only output not checked.
func TestSecretsNeverPrinted(t *testing.T) {
	up, sent := secretsUpstream(t)
	runs, checks := 0, 0
	forEachSecretsCase(t, up.URL, func(sc secretsCase) {
		kind, src, dir, extra, provs := sc.kind, sc.src, sc.dir, sc.extra, sc.provs
		file := write(t, dir, "cap.yaml", "naftiko: 1.0.0-alpha2\ninfo: {label: P}\nbinds:\n"+sc.binds+
			"capability:\n  consumes:\n"+sc.consumes)
		// call runs the command line and checks its outputs (stdout
		// only when it is not data) and its exit status, so that every
		// path is the one it is meant to be.
		call := func(want int, data bool, args ...string) {
			t.Helper()
			var out, errb bytes.Buffer
			a := &app{stdin: &stdinOnce{r: strings.NewReader("")}, stdout: &out, stderr: &errb, providers: provs}
			code := a.main(context.Background(), args)
			runs++
			where := fmt.Sprintf("%s/%s %q (exit %d)", kind, src, args, code)
			if want >= 0 && code != want {
				t.Errorf("%s: exit %d, want %d:\n%s", where, code, want, errb.String())
			}
			if !data {
				checks += assertNoSentinel(t, where+" stdout", out.String())
			}
			checks += assertNoSentinel(t, where+" stderr", errb.String())
		}
		base := append([]string{"run", file, "Echo"}, extra...)
		for _, mode := range [][]string{{"--dry-run"}, {"--curl"}, {"-v"}} {
			call(0, mode[0] == "-v", append(append(base, "--param", "code=200", "--param", "fmt=json"), mode...)...)
		}
		for _, code := range []string{"401", "500"} {
			for _, f := range []string{"json", "yaml", "xml", "text", "html"} {
				for _, o := range []string{"json", "yaml", "raw"} {
					call(int(code[0]-'0'), false, append(base, "--param", "code="+code, "--param", "fmt="+f, "-o", o, "--retries", "0")...)
				}
			}
		}
		call(5, false, append(base, "--param", "code=500", "--param", "fmt=json", "-v", "--retries", "0")...)
		call(2, false, append(base, "--param", "code=500", "--param", "fmt=json", "--param", "nope="+sentinels["s1"])...) // a usage error quoting a secret
		call(0, false, "validate", file)
		call(0, false, "ops", file)
		if !sent.sawAndReset() {
			t.Errorf("%s/%s: the upstream never received the sentinel: the property would hold vacuously", kind, src)
		}
	})
	t.Logf("%d runs, %d outputs checked, %d forms per sentinel", runs, checks, len(forms(sentinels["s1"])))
}

// secretsUpstream fakes an API that echoes every header and the query
// into its answers (/echo/CODE/FORMAT), answers a Digest challenge first
// under /digest/, and issues the sentinel OAuth2 access token at /token.
// The log records what it received.
func secretsUpstream(t *testing.T) (*httptest.Server, *sentLog) {
	sent := &sentLog{}
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent.add(r)
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
	t.Cleanup(up.Close)
	return up, sent
}

// secretsCase is one authentication kind with the sentinels bound from
// one source.
type secretsCase struct {
	kind, src string
	dir       string // a fresh directory, holding the key or env file
	binds     string // the items of the binds: section
	consumes  string // the items of consumes: namespace p, operation Echo on /echo/{{code}}/{{fmt}}
	extra     []string
	provs     map[string]binder.Provider
}

// forEachSecretsCase calls f for every authentication kind (static and
// dynamic, digest included) with the sentinels bound from every source:
// the environment, --env-file (extra holds the flag), a key file, a bind
// provider (provs).
func forEachSecretsCase(t *testing.T, upURL string, f func(secretsCase)) {
	auths := map[string]string{
		"bearer":        "{type: bearer, token: '{{S1}}'}",
		"basic":         "{type: basic, username: '{{S1}}', password: '{{S2}}'}",
		"apikey-header": "{type: apikey, key: X-Api-Key, value: '{{S1}}'}",
		"apikey-query":  "{type: apikey, key: api_key, value: '{{S1}}', placement: query}",
		"header-cookie": "{type: apikey, key: Cookie, value: 'session={{S1}}'}",
		"oauth2":        "{type: oauth2, tokenEndpoint: '" + upURL + "/token', clientId: '{{S1}}', clientSecret: '{{S2}}'}",
		"digest":        "{type: digest, username: '{{S1}}', password: '{{S2}}'}",
		"sigv4":         "{type: aws-sig-v4, accessKeyId: '{{S1}}', secretAccessKey: '{{S2}}', region: us-east-1, service: execute-api}",
	}
	for _, kind := range slices.Sorted(maps.Keys(auths)) {
		for _, src := range []string{"env", "env-file", "key-file", "provider"} {
			sc := secretsCase{kind: kind, src: src, dir: t.TempDir(), binds: "- namespace: env\n  keys: {S1: S1, S2: S2}\n"}
			s1, s2 := sentinels["s1"], sentinels["s2"]
			t.Setenv("S1", "")
			t.Setenv("S2", "")
			os.Unsetenv("S1")
			os.Unsetenv("S2")
			switch src {
			case "env":
				os.Setenv("S1", s1)
				os.Setenv("S2", s2)
			case "env-file":
				// S2 holds both quotes: unquoted, it is read verbatim.
				write(t, sc.dir, "s.env", "S1='"+s1+"'\nS2="+s2+"\n")
				sc.extra = []string{"--env-file", filepath.Join(sc.dir, "s.env")}
			case "key-file":
				sc.binds = "- namespace: keys\n  location: file://./keys.json\n  keys: {S1: S1, S2: S2}\n"
				kj, _ := json.Marshal(map[string]string{"S1": s1, "S2": s2})
				write(t, sc.dir, "keys.json", string(kj))
			case "provider":
				sc.binds = "- namespace: vault\n  location: vault://kv/app\n  keys: {S1: s1, S2: s2}\n"
				sc.provs = map[string]binder.Provider{"vault": vaultProvider{"s1": s1, "s2": s2}}
			}
			baseURI := upURL
			if kind == "digest" {
				baseURI += "/digest" // answers a Digest challenge first
			}
			sc.consumes = "  - type: http\n    namespace: p\n    baseUri: " + baseURI + "\n    authentication: " + auths[kind] +
				"\n    resources:\n    - name: echo\n      path: /echo/{{code}}/{{fmt}}\n      operations:\n      - name: Echo\n        method: GET\n"
			f(sc)
		}
	}
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

// sentLog records the requests an upstream received.
type sentLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *sentLog) add(r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(&l.b, "%s %s\n%v\n%s\n", r.Method, r.URL.RequestURI(), r.Header, body)
}

// sawAndReset reports whether a sentinel (or the Basic credential) was
// received in any form since the last call.
func (l *sentLog) sawAndReset() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	text := l.b.String()
	l.b.Reset()
	for _, s := range sentinels {
		for _, f := range forms(s) {
			if strings.Contains(text, f) {
				return true
			}
		}
	}
	return strings.Contains(text, base64.StdEncoding.EncodeToString([]byte(sentinels["s1"]+":"+sentinels["s2"])))
}

// vaultProvider is a bind provider for vault://kv/app, as a program
// embedding naftiko registers one.
type vaultProvider map[string]string

func (v vaultProvider) Lookup(_ context.Context, location, key string) (string, bool, error) {
	if location != "vault://kv/app" {
		return "", false, nil
	}
	s, ok := v[key]
	return s, ok, nil
}

func write(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
