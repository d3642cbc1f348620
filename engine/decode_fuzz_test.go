package engine

import "testing"

// FuzzDecode drives the format dispatcher: any format, any Content-Type,
// any body.
func FuzzDecode(f *testing.F) {
	f.Add("json", "application/xml", []byte(`<a>1</a>`))
	e, err := New(parse(f, formatDoc))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, format, ct string, body []byte) {
		v, err := e.decode(nil, format, ct, body)
		if err != nil {
			return
		}
		// The decoders' fuzzers (engine/decode) check each tree's
		// types; here the tree the dispatcher picks must encode.
		if _, err := marshalJSON(v); err != nil {
			t.Fatalf("tree does not encode: %v", err)
		}
	})
}

func FuzzParseChallenges(f *testing.F) {
	f.Add(`Digest realm="r", nonce="n", qop="auth,auth-int", algorithm=SHA-256, Basic realm="x"`)
	f.Fuzz(func(t *testing.T, h string) {
		parseChallenges([]string{h})
		parseDigestChallenge([]string{h})
	})
}
