package binder

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
)

func TestRedactForms(t *testing.T) {
	const secret = "p@ss w/rd+&é"
	var r Redactor
	r.Add(secret)
	tests := []struct{ name, in, want string }{
		{"plain", "password is " + secret + ".", "password is ****."},
		{"twice", secret + secret + " " + secret, "******** ****"},
		{"query-escaped", "?p=" + url.QueryEscape(secret) + "&x=1", "?p=****&x=1"},
		{"path-escaped", "/u/" + url.PathEscape(secret) + "/x", "/u/****/x"},
		{"base64", "Basic " + base64.StdEncoding.EncodeToString([]byte(secret)), "Basic ****"},
		{"json-escaped", `{"p":"` + strings.ReplaceAll(secret, "&", `\u0026`) + `"}`, `{"p":"****"}`},
		{"none", "nothing to see", "nothing to see"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		if got := r.Redact(tt.in); got != tt.want {
			t.Errorf("%s: Redact(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
	for _, f := range []string{secret, url.QueryEscape(secret), url.PathEscape(secret), base64.StdEncoding.EncodeToString([]byte(secret))} {
		if !r.IsSecret(f) {
			t.Errorf("IsSecret(%q) = false", f)
		}
	}
	if r.IsSecret("p@ss") || r.IsSecret("") {
		t.Error("IsSecret matches a part or the empty string")
	}
}

func TestRedactOverlap(t *testing.T) {
	var r Redactor
	r.Add("abcd")
	r.Add("abcdefgh")
	r.Add("ghijkl")
	tests := []struct{ in, want string }{
		{"x abcdefgh x", "x **** x"}, // the longer secret wins, no "efgh" left
		{"x abcd x abcdefgh", "x **** x ****"},
		{"xabcdefghijklx", "x****x"}, // straddling secrets: one mask, nothing left
		{"abcdabcd", "********"},     // adjacent occurrences
		{"ghijkabcd", "ghijk****"},
	}
	for _, tt := range tests {
		if got := r.Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRedactShortSecret(t *testing.T) {
	var r Redactor
	r.Add("abc")
	if got := r.Redact("abcdef abc"); got != "abcdef abc" {
		t.Errorf("Redact = %q: a short secret must not be masked as a substring", got)
	}
	if !r.IsSecret("abc") {
		t.Error("IsSecret(abc) = false")
	}
	if got := r.Mask("abc"); got != Mask {
		t.Errorf("Mask(abc) = %q, want %q", got, Mask)
	}
	if got := r.Mask("abcd"); got != "abcd" {
		t.Errorf("Mask(abcd) = %q", got)
	}
	// Encoded forms of a short secret are not substrings to mask either,
	// but a later, long secret equal to one of them is.
	if got := r.Redact("YWJj"); got != "YWJj" {
		t.Errorf("Redact(YWJj) = %q", got)
	}
	r.Add("YWJj")
	if got := r.Redact("xYWJjx"); got != "x****x" {
		t.Errorf("Redact(xYWJjx) = %q", got)
	}
}

func TestRedactZeroAndEmpty(t *testing.T) {
	var r Redactor
	if got := r.Redact("a b"); got != "a b" {
		t.Errorf("zero Redactor: %q", got)
	}
	if r.IsSecret("a") || r.Mask("a") != "a" {
		t.Error("zero Redactor knows a secret")
	}
	r.Add("")
	if got := r.Redact("a b"); got != "a b" {
		t.Errorf("after Add(\"\"): %q", got)
	}
	r.Add("secret-1")
	r.Add("secret-1")
	if got := r.Redact("secret-1"); got != Mask {
		t.Errorf("after double Add: %q", got)
	}
}

func TestRedactNoAllocWithoutMatch(t *testing.T) {
	var r Redactor
	for i := range 5 {
		r.Add(fmt.Sprintf("secret-value-%d", i))
	}
	line := strings.Repeat("GET /v1/users?limit=10 HTTP/1.1 ", 100)
	if n := testing.AllocsPerRun(100, func() { _ = r.Redact(line) }); n != 0 {
		t.Errorf("Redact without a match allocates %v times", n)
	}
}

func TestRedactConcurrent(t *testing.T) {
	var r Redactor
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			r.Add(fmt.Sprintf("concurrent-secret-%02d", i))
		}()
		go func() {
			defer wg.Done()
			_ = r.Redact("concurrent-secret-00 and concurrent-secret-19")
			_ = r.IsSecret("concurrent-secret-05")
		}()
	}
	wg.Wait()
	if got := r.Redact("concurrent-secret-00 and concurrent-secret-19"); got != "**** and ****" {
		t.Errorf("Redact = %q", got)
	}
}

func TestSensitiveHeader(t *testing.T) {
	for name, want := range map[string]bool{
		"Authorization":       true,
		"authorization":       true,
		"Proxy-Authorization": true,
		"Cookie":              true,
		"Set-Cookie":          true,
		"X-Auth-Token":        true,
		"X-Client-Secret":     true,
		"X-PASSWORD":          true,
		"X-Api-Key":           true,
		"x_api_key":           true,
		"ApiKey":              true,
		"Content-Type":        false,
		"Accept":              false,
		"X-Cookies-Enabled":   false,
		"X-Api":               false,
	} {
		if got := SensitiveHeader(name); got != want {
			t.Errorf("SensitiveHeader(%q) = %t, want %t", name, got, want)
		}
	}
}

// BenchmarkRedact redacts a 4 KiB line against five secrets (and their
// encoded forms), once with two secrets in it and once with none.
func BenchmarkRedact(b *testing.B) {
	var r Redactor
	secrets := []string{
		"sk_live_51HqLyjWDarjtT1zdp7dc",
		"ghp_16C7e42F292c6912E7710c838347Ae178B4a",
		"xoxb-2837-1234-abcdefghijkl",
		"AKIAIOSFODNN7EXAMPLE",
		"p@ssw0rd!with spaces",
	}
	for _, s := range secrets {
		r.Add(s)
	}
	filler := strings.Repeat("GET /v1/organizations/org_2abc/memberships?limit=10&offset=0 HTTP/1.1 accept: application/json ", 45)
	clean := filler[:4096]
	dirty := clean[:1000] + secrets[0] + clean[1000+len(secrets[0]):3000] + url.QueryEscape(secrets[4]) + clean[3000+len(url.QueryEscape(secrets[4])):]
	if len(dirty) != 4096 {
		b.Fatalf("line is %d bytes", len(dirty))
	}
	b.Run("match", func(b *testing.B) {
		b.SetBytes(int64(len(dirty)))
		for b.Loop() {
			_ = r.Redact(dirty)
		}
	})
	b.Run("nomatch", func(b *testing.B) {
		b.SetBytes(int64(len(clean)))
		for b.Loop() {
			_ = r.Redact(clean)
		}
	})
}
