package binder

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

const testSecret = "sk_live_9f8e7d6c5b4a"

func TestValueBasics(t *testing.T) {
	s := Secret(testSecret)
	if !s.IsSecret() || s.Reveal() != testSecret || s.String() != Mask {
		t.Errorf("Secret: IsSecret=%t Reveal ok=%t String=%q", s.IsSecret(), s.Reveal() == testSecret, s.String())
	}
	p := Plain("hello")
	if p.IsSecret() || p.Reveal() != "hello" || p.String() != "hello" {
		t.Errorf("Plain: IsSecret=%t Reveal=%q String=%q", p.IsSecret(), p.Reveal(), p.String())
	}
	var zero Value
	if zero.IsSecret() || zero.Reveal() != "" {
		t.Errorf("zero Value: IsSecret=%t Reveal=%q", zero.IsSecret(), zero.Reveal())
	}
}

func TestValueFormat(t *testing.T) {
	s, p := Secret(testSecret), Plain("hello")
	type holder struct {
		V Value
		P *Value
	}
	tests := []struct {
		format string
		arg    any
		want   string
	}{
		{"%v", s, "****"},
		{"%s", s, "****"},
		{"%q", s, `"****"`},
		{"%+v", s, "****"},
		{"%#v", s, `binder.Secret("****")`},
		{"%x", s, "2a2a2a2a"},
		{"%6s|", s, "  ****|"},
		{"%-6v|", s, "****  |"},
		{"%.2s", s, "**"},
		{"%v", p, "hello"},
		{"%q", p, `"hello"`},
		{"%#v", p, `binder.Plain("hello")`},
		{"%+v", holder{V: s, P: &s}, "{V:**** P:****}"},
		{"%v", []Value{s, p}, "[**** hello]"},
		{"%v", map[string]Value{"k": s}, "map[k:****]"},
	}
	for _, tt := range tests {
		got := fmt.Sprintf(tt.format, tt.arg)
		if got != tt.want {
			t.Errorf("Sprintf(%q) = %q, want %q", tt.format, got, tt.want)
		}
	}
	// Verbs whose output depends on addresses: only check that nothing leaks.
	for _, f := range []string{"%#v", "%d", "%X", "%T %v"} {
		if got := fmt.Sprintf(f, holder{V: s, P: &s}); strings.Contains(got, testSecret) {
			t.Errorf("Sprintf(%q) leaks the secret: %s", f, got)
		}
	}
	if got := fmt.Sprint(s) + fmt.Sprintln(s) + errors.New(fmt.Sprint(s)).Error(); strings.Contains(got, testSecret) {
		t.Errorf("Sprint leaks the secret: %s", got)
	}
	if got := fmt.Errorf("token %v: %w", s, errors.New("x")).Error(); got != "token ****: x" {
		t.Errorf("Errorf = %q", got)
	}
}

func TestValueJSONAndText(t *testing.T) {
	got, err := json.Marshal(map[string]any{"s": Secret(testSecret), "p": Plain("a<b"), "list": []Value{Secret(testSecret)}})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"list":["****"],"p":"a\u003cb","s":"****"}`; string(got) != want {
		t.Errorf("json.Marshal = %s, want %s", got, want)
	}
	txt, err := Secret(testSecret).MarshalText()
	if err != nil || string(txt) != Mask {
		t.Errorf("MarshalText = %q, %v", txt, err)
	}
	// As a map key, encoding/json uses MarshalText.
	got, err = json.Marshal(map[Value]int{Secret(testSecret): 1})
	if err != nil || string(got) != `{"****":1}` {
		t.Errorf("json.Marshal(map key) = %s, %v", got, err)
	}
}

func TestValueSlog(t *testing.T) {
	for name, h := range map[string]func(*bytes.Buffer) slog.Handler{
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		var buf bytes.Buffer
		log := slog.New(h(&buf))
		s := Secret(testSecret)
		log.Info("resolved", "value", s, slog.Any("any", s), slog.Group("g", "v", s))
		log.With("with", s).Info("again")
		out := buf.String()
		if strings.Contains(out, testSecret) {
			t.Errorf("%s handler leaks the secret: %s", name, out)
		}
		if strings.Count(out, Mask) != 4 {
			t.Errorf("%s handler: want 4 masks in %s", name, out)
		}
	}
}
