package binder

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// MinSecretLen is the length below which a secret is masked only where it
// is a whole value (Redactor.IsSecret, Redactor.Mask), never as a
// substring: masking every "ab" in a text would garble it and tell a
// reader the secret anyway.
const MinSecretLen = 4

// Redactor masks registered secrets in text. It is safe for concurrent use
// and its zero value is ready to use. Registering is rare and reading is
// frequent, so every Add publishes a new immutable snapshot that Redact
// reads without locking.
type Redactor struct {
	mu   sync.Mutex // serialises Add
	snap atomic.Pointer[redactorSnap]
}

type redactorSnap struct {
	added map[string]struct{} // values passed to Add
	exact map[string]struct{} // added values and their encoded forms
	subs  map[string]struct{} // the members of pats
	pats  []string            // substring patterns, longest first
}

// Add registers secret: the value itself and its percent-encoded
// (url.QueryEscape and url.PathEscape), base64 (standard, padded) and
// JSON-escaped forms. A value shorter than MinSecretLen is registered for
// IsSecret and Mask only. The empty string is ignored.
func (r *Redactor) Add(secret string) {
	if secret == "" {
		return
	}
	if s := r.snap.Load(); s != nil {
		if _, ok := s.added[secret]; ok {
			return
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	old := r.snap.Load()
	if old == nil {
		old = &redactorSnap{}
	}
	if _, ok := old.added[secret]; ok {
		return
	}
	forms := encodedForms(secret)
	next := &redactorSnap{
		added: cloneSet(old.added, 1),
		exact: cloneSet(old.exact, len(forms)),
		subs:  cloneSet(old.subs, len(forms)),
		pats:  slices.Clone(old.pats),
	}
	next.added[secret] = struct{}{}
	for _, f := range forms {
		next.exact[f] = struct{}{}
		if _, ok := next.subs[f]; !ok && len(secret) >= MinSecretLen && len(f) >= MinSecretLen {
			next.subs[f] = struct{}{}
			next.pats = append(next.pats, f)
		}
	}
	slices.SortFunc(next.pats, func(a, b string) int {
		if c := cmp.Compare(len(b), len(a)); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	r.snap.Store(next)
}

// encodedForms returns s and the distinct encodings of s a secret can
// appear under in a URL, a header or a JSON body.
func encodedForms(s string) []string {
	forms := []string{s, url.QueryEscape(s), url.PathEscape(s), base64.StdEncoding.EncodeToString([]byte(s))}
	if j, err := json.Marshal(s); err == nil {
		forms = append(forms, string(j[1:len(j)-1]))
	}
	slices.Sort(forms)
	return slices.Compact(forms)
}

func cloneSet(m map[string]struct{}, extra int) map[string]struct{} {
	out := make(map[string]struct{}, len(m)+extra)
	for k := range m {
		out[k] = struct{}{}
	}
	return out
}

// IsSecret reports whether s is exactly a registered secret or one of its
// encoded forms, short secrets included.
func (r *Redactor) IsSecret(s string) bool {
	snap := r.snap.Load()
	if snap == nil {
		return false
	}
	_, ok := snap.exact[s]
	return ok
}

// Mask returns Mask when value is exactly a registered secret (short ones
// included) and Redact(value) otherwise. Use it for whole values such as
// header and query values.
func (r *Redactor) Mask(value string) string {
	if r.IsSecret(value) {
		return Mask
	}
	return r.Redact(value)
}

// Redact returns s with every occurrence of every registered secret (and
// encoded form) of at least MinSecretLen bytes replaced by Mask. Where
// occurrences overlap, as when one secret contains another or two
// secrets straddle, the whole covered stretch becomes one Mask, so the
// longest secret always wins and no part of any secret is left showing.
// Without secrets, or when none occurs, s is returned as is without
// allocating.
func (r *Redactor) Redact(s string) string {
	snap := r.snap.Load()
	if snap == nil || len(snap.pats) == 0 {
		return s
	}
	pats := snap.pats
	// Patterns are sorted longest first: skip those longer than s.
	first, _ := slices.BinarySearchFunc(pats, len(s), func(p string, n int) int {
		return cmp.Compare(n, len(p))
	})
	var spans [][2]int
	for _, p := range pats[first:] {
		from := 0
		for {
			i := strings.Index(s[from:], p)
			if i < 0 {
				break
			}
			start := from + i
			spans = append(spans, [2]int{start, start + len(p)})
			from = start + 1
		}
	}
	if spans == nil {
		return s
	}
	slices.SortFunc(spans, func(a, b [2]int) int {
		if c := cmp.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return cmp.Compare(b[1], a[1])
	})
	var b strings.Builder
	b.Grow(len(s))
	last := 0 // end of the text already written or masked
	for i := 0; i < len(spans); {
		start, end := spans[i][0], spans[i][1]
		for i++; i < len(spans) && spans[i][0] < end; i++ {
			end = max(end, spans[i][1])
		}
		b.WriteString(s[last:start])
		b.WriteString(Mask)
		last = end
	}
	b.WriteString(s[last:])
	return b.String()
}

// SensitiveHeader reports whether a header of this name carries a
// credential and is masked whole (SPEC.md §13.3): Authorization,
// Proxy-Authorization, Cookie, Set-Cookie, or any name containing token,
// secret, password, api-key, api_key or apikey, ignoring case.
func SensitiveHeader(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "authorization", "proxy-authorization", "cookie", "set-cookie":
		return true
	}
	for _, w := range [...]string{"token", "secret", "password", "api-key", "api_key", "apikey"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}
