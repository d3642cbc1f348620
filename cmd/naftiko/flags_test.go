package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/naftiko/naftiko/spec"
)

func isUsage(err error) bool {
	var se *spec.Error
	return errors.As(err, &se) && se.Kind == spec.KindUsage
}

func TestSplitParam(t *testing.T) {
	for _, tc := range []struct {
		in, name, value string
		bad             bool
	}{
		{in: "user_id=a", name: "user_id", value: "a"},
		{in: "q=a,b", name: "q", value: "a,b"},
		{in: "b=x=y", name: "b", value: "x=y"},
		{in: "empty=", name: "empty", value: ""},
		{in: "order_by=+created_at", name: "order_by", value: "+created_at"},
		{in: "body=@file.json", name: "body", value: "@file.json"},
		{in: "noequals", bad: true},
		{in: "=value", bad: true},
		{in: " =value", bad: true},
	} {
		name, value, err := splitParam(tc.in)
		if tc.bad {
			if !isUsage(err) {
				t.Errorf("splitParam(%q): err = %v, want a usage error", tc.in, err)
			}
			continue
		}
		if err != nil || name != tc.name || value != tc.value {
			t.Errorf("splitParam(%q) = %q, %q, %v; want %q, %q", tc.in, name, value, err, tc.name, tc.value)
		}
	}
}

func TestSplitHeader(t *testing.T) {
	for _, tc := range []struct {
		in, name, value string
		bad             bool
	}{
		{in: "X-Trace: abc", name: "X-Trace", value: "abc"},
		{in: "X-Trace:abc", name: "X-Trace", value: "abc"},
		{in: "  X-Trace  :   a b  ", name: "X-Trace", value: "a b"},
		{in: "Authorization: Bearer {{TOKEN}}", name: "Authorization", value: "Bearer {{TOKEN}}"},
		{in: "X-Time: 12:30", name: "X-Time", value: "12:30"},
		{in: "Accept:", name: "Accept", value: ""},
		{in: "Accept:   ", name: "Accept", value: ""},
		{in: "NoColon", bad: true},
		{in: ": value", bad: true},
	} {
		name, value, err := splitHeader(tc.in)
		if tc.bad {
			if !isUsage(err) {
				t.Errorf("splitHeader(%q): err = %v, want a usage error", tc.in, err)
			}
			continue
		}
		if err != nil || name != tc.name || value != tc.value {
			t.Errorf("splitHeader(%q) = %q, %q, %v; want %q, %q", tc.in, name, value, err, tc.name, tc.value)
		}
	}
}

func TestParseBaseURI(t *testing.T) {
	for _, tc := range []struct {
		in, ns, uri string
		bad         bool
	}{
		{in: "http://localhost:8080", uri: "http://localhost:8080"},
		{in: "https://api.example.org/v1?x=1", uri: "https://api.example.org/v1?x=1"},
		{in: "HTTPS://API.EXAMPLE.ORG", uri: "HTTPS://API.EXAMPLE.ORG"},
		{in: "clerk=http://localhost:8080", ns: "clerk", uri: "http://localhost:8080"},
		{in: "a.b=http://h/x=y", ns: "a.b", uri: "http://h/x=y"},
		{in: "localhost:8080", bad: true},
		{in: "=http://h", bad: true},
	} {
		ns, uri, err := parseBaseURI(tc.in)
		if tc.bad {
			if !isUsage(err) {
				t.Errorf("parseBaseURI(%q): err = %v, want a usage error", tc.in, err)
			}
			continue
		}
		if err != nil || ns != tc.ns || uri != tc.uri {
			t.Errorf("parseBaseURI(%q) = %q, %q, %v; want %q, %q", tc.in, ns, uri, err, tc.ns, tc.uri)
		}
	}
}

func TestClassifyValue(t *testing.T) {
	for _, tc := range []struct {
		in   string
		kind sourceKind
		text string
	}{
		{"plain", fromLiteral, "plain"},
		{"", fromLiteral, ""},
		{"-", fromStdin, ""},
		{"@-", fromStdin, ""},
		{"--", fromLiteral, "--"},
		{"@body.json", fromFile, "body.json"},
		{"@@handle", fromLiteral, "@handle"},
		{"@@", fromLiteral, "@"},
		{"a@b", fromLiteral, "a@b"},
	} {
		kind, text := classifyValue(tc.in)
		if kind != tc.kind || text != tc.text {
			t.Errorf("classifyValue(%q) = %v, %q; want %v, %q", tc.in, kind, text, tc.kind, tc.text)
		}
	}
}

func TestStdinOnce(t *testing.T) {
	s := &stdinOnce{r: strings.NewReader("data")}
	b, err := s.read(context.Background(), "--param a=-")
	if err != nil || string(b) != "data" {
		t.Fatalf("first read = %q, %v", b, err)
	}
	_, err = s.read(context.Background(), "--body -")
	if !isUsage(err) || !strings.Contains(err.Error(), "--param a=-") || !strings.Contains(err.Error(), "--body -") {
		t.Fatalf("second read: err = %v, want a usage error naming both consumers", err)
	}
}

func TestReadValueFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "v.txt")
	if err := os.WriteFile(p, []byte("line\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if v, err := readValueFile(context.Background(), "--param x=@"+p, p); err != nil || v != "line\n" {
		t.Errorf("readValueFile = %q, %v; want the exact content", v, err)
	}
	missing := filepath.Join(dir, "missing.txt")
	_, err := readValueFile(context.Background(), "--param x=@"+missing, missing)
	if !isUsage(err) || !strings.Contains(err.Error(), "missing.txt") {
		t.Errorf("missing file: err = %v, want a usage error naming the file", err)
	}
	if _, err := readValueFile(context.Background(), "--param x=@", ""); !isUsage(err) {
		t.Errorf("empty path: err = %v, want a usage error", err)
	}
}

func TestByteSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		bad  bool
	}{
		{in: "1048576", want: 1 << 20},
		{in: "64MiB", want: 64 << 20},
		{in: "512KiB", want: 512 << 10},
		{in: "1GiB", want: 1 << 30},
		{in: "10MB", want: 10_000_000},
		{in: "2M", want: 2 << 20},
		{in: "100B", want: 100},
		{in: "0", bad: true},
		{in: "-1", bad: true},
		{in: "ten", bad: true},
		{in: "99999999999GiB", bad: true},
	} {
		var b byteSize
		err := b.Set(tc.in)
		if tc.bad {
			if err == nil {
				t.Errorf("Set(%q) = nil, want an error", tc.in)
			}
			continue
		}
		if err != nil || int64(b) != tc.want {
			t.Errorf("Set(%q) = %d, %v; want %d", tc.in, b, err, tc.want)
		}
	}
	b := byteSize(64 << 20)
	if b.String() != "64MiB" {
		t.Errorf("String() = %q, want 64MiB", b.String())
	}
}

func TestCheckOutputFormat(t *testing.T) {
	for _, f := range []string{"json", "yaml", "raw"} {
		if err := checkOutputFormat(f); err != nil {
			t.Errorf("checkOutputFormat(%q) = %v", f, err)
		}
	}
	if err := checkOutputFormat("xml"); !isUsage(err) {
		t.Errorf("checkOutputFormat(xml) = %v, want a usage error", err)
	}
}
