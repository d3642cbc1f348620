package binder

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strconv"
)

// Mask is the text shown in place of every secret.
const Mask = "****"

// Value is a resolved value that knows whether it is a secret. A secret
// Value prints as Mask through String, every fmt verb, JSON and text
// encoding and log/slog; Reveal alone returns its text. The zero Value is
// an empty non-secret.
type Value struct {
	text   string
	secret bool
}

// Secret returns a secret Value holding v.
func Secret(v string) Value { return Value{text: v, secret: true} }

// Plain returns a non-secret Value holding v.
func Plain(v string) Value { return Value{text: v} }

// Reveal returns the value's real text. Use it only to put the value on
// the wire, never to print or log it.
func (v Value) Reveal() string { return v.text }

// IsSecret reports whether the value is a secret.
func (v Value) IsSecret() bool { return v.secret }

// String returns Mask for a secret and the text otherwise.
func (v Value) String() string {
	if v.secret {
		return Mask
	}
	return v.text
}

// GoString implements fmt.GoStringer: binder.Secret("****") for a secret,
// binder.Plain("text") otherwise.
func (v Value) GoString() string {
	if v.secret {
		return `binder.Secret("` + Mask + `")`
	}
	return "binder.Plain(" + strconv.Quote(v.text) + ")"
}

// Format implements fmt.Formatter so that no verb, flag or width can show
// a secret: %#v prints GoString, every other verb formats String.
func (v Value) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, v.GoString())
		return
	}
	_, _ = fmt.Fprintf(f, fmt.FormatString(f, verb), v.String())
}

// MarshalJSON encodes the value as a JSON string of String.
func (v Value) MarshalJSON() ([]byte, error) { return json.Marshal(v.String()) }

// MarshalText returns String as bytes.
func (v Value) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// LogValue implements slog.LogValuer: a secret is logged as Mask.
func (v Value) LogValue() slog.Value { return slog.StringValue(v.String()) }
