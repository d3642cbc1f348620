package engine

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/naftiko/naftiko/spec"
)

// AWS Signature Version 4 (SPEC.md §7.7), computed from the published
// algorithm: a canonical request (method, canonical URI, sorted query,
// signed headers, payload hash), a string to sign, a signing key derived
// from the secret, date, region and service, and the Authorization and
// X-Amz-Date headers (X-Amz-Security-Token with a session token,
// X-Amz-Content-Sha256 for S3). Each attempt is signed afresh, so a resent
// request carries its own date.

type awsAuth struct {
	accessKey, secret, token, region, service string
}

// awsConfig renders and checks the fields of an aws-sig-v4 block.
func awsConfig(a *spec.Auth, render, plain func(*spec.Template) (string, error)) (*awsAuth, error) {
	w := &awsAuth{}
	for _, f := range []struct {
		name             string
		dst              *string
		required, secret bool
	}{
		{"accessKeyId", &w.accessKey, true, true},
		{"secretAccessKey", &w.secret, true, true},
		{"sessionToken", &w.token, false, true},
		{"region", &w.region, true, false},
		{"service", &w.service, true, false},
	} {
		r := plain
		if f.secret {
			r = render
		}
		v, err := field(a, f.name, r)
		if err != nil {
			return nil, err
		}
		if v == "" && f.required {
			name := f.name
			if name == "secretAccessKey" {
				name = "secretAccessKey` (or `secretKey"
			}
			return nil, &spec.Error{Kind: spec.KindSpec, Pos: a.Pos,
				Msg: "aws-sig-v4 authentication needs `" + name + "`; nothing was sent"}
		}
		*f.dst = v
	}
	return w, nil
}

func (w *awsAuth) do(ctx context.Context, e *Engine, pr *Prepared) (*http.Response, error) {
	sum, err := pr.payloadHash()
	if err != nil {
		return nil, err
	}
	return e.send1(ctx, pr, func(req *http.Request) error {
		w.sign(req, sum, e.now())
		return nil
	})
}

// unsignedHeaders are never signed: they are set or changed on the way
// (User-Agent by proxies, the others by the transport).
var unsignedHeaders = map[string]bool{
	"authorization": true, "user-agent": true, "x-amzn-trace-id": true, "expect": true,
	"transfer-encoding": true, "connection": true, "content-length": true,
}

// sign sets the SigV4 headers of req for payload hash sum at time t.
func (w *awsAuth) sign(req *http.Request, sum string, t time.Time) {
	amzDate := t.UTC().Format("20060102T150405Z")
	date := amzDate[:8]
	req.Header.Del("Authorization")
	req.Header.Set("X-Amz-Date", amzDate)
	if w.token != "" {
		req.Header.Set("X-Amz-Security-Token", w.token)
	}
	if w.service == "s3" {
		req.Header.Set("X-Amz-Content-Sha256", sum)
	}
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	creq, signed := canonicalRequest(req.Method, req.URL, host, req.Header, sum, w.service == "s3")
	scope := date + "/" + w.region + "/" + w.service + "/aws4_request"
	sts := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hexSHA256([]byte(creq))
	key := hmacSHA256([]byte("AWS4"+w.secret), date)
	key = hmacSHA256(key, w.region)
	key = hmacSHA256(key, w.service)
	key = hmacSHA256(key, "aws4_request")
	sig := hex.EncodeToString(hmacSHA256(key, sts))
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+w.accessKey+"/"+scope+", SignedHeaders="+signed+", Signature="+sig)
}

// canonicalRequest builds the SigV4 canonical request and the signed
// header list.
func canonicalRequest(method string, u *url.URL, host string, h http.Header, sum string, s3 bool) (string, string) {
	var b strings.Builder
	b.WriteString(method)
	b.WriteByte('\n')
	b.WriteString(canonicalURI(u.EscapedPath(), s3))
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(u.RawQuery))
	b.WriteByte('\n')
	names := []string{"host"}
	values := map[string]string{"host": host}
	for k, vs := range h {
		lk := strings.ToLower(k)
		if unsignedHeaders[lk] || lk == "host" {
			continue
		}
		parts := make([]string, len(vs))
		for i, v := range vs {
			parts[i] = strings.Join(strings.Fields(v), " ")
		}
		if _, ok := values[lk]; !ok {
			names = append(names, lk)
			values[lk] = strings.Join(parts, ",")
		} else {
			values[lk] += "," + strings.Join(parts, ",")
		}
	}
	sort.Strings(names)
	for _, n := range names {
		b.WriteString(n)
		b.WriteByte(':')
		b.WriteString(values[n])
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	signed := strings.Join(names, ";")
	b.WriteString(signed)
	b.WriteByte('\n')
	b.WriteString(sum)
	return b.String(), signed
}

// canonicalURI encodes each segment of the path as sent: once more for
// every service but S3 (whose segments are encoded exactly once).
func canonicalURI(escaped string, s3 bool) string {
	if escaped == "" {
		return "/"
	}
	segs := strings.Split(escaped, "/")
	for i, s := range segs {
		raw, err := url.PathUnescape(s)
		if err != nil {
			raw = s
		}
		if s3 {
			segs[i] = awsEscape(raw)
		} else {
			segs[i] = awsEscape(awsEscape(raw))
		}
	}
	return strings.Join(segs, "/")
}

// canonicalQuery sorts the query pairs by encoded name, then value.
func canonicalQuery(raw string) string {
	if raw == "" {
		return ""
	}
	type pair struct{ k, v string }
	var ps []pair
	for _, p := range strings.Split(raw, "&") {
		if p == "" {
			continue
		}
		k, v, _ := strings.Cut(p, "=")
		if d, err := url.PathUnescape(k); err == nil {
			k = d
		}
		if d, err := url.PathUnescape(v); err == nil {
			v = d
		}
		ps = append(ps, pair{awsEscape(k), awsEscape(v)})
	}
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].k != ps[j].k {
			return ps[i].k < ps[j].k
		}
		return ps[i].v < ps[j].v
	})
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.k + "=" + p.v
	}
	return strings.Join(parts, "&")
}

// awsEscape percent-encodes everything but the unreserved characters, as
// SigV4 requires.
func awsEscape(s string) string { return escape(s, unreserved) }

func hexSHA256(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// payloadHash returns the hex SHA-256 of the request body, reading a
// streamed body once (never holding it in memory).
func (pr *Prepared) payloadHash() (string, error) {
	x := pr.ext()
	if x.payloadSum != "" {
		return x.payloadSum, nil
	}
	switch {
	case pr.BodyFile == "" && pr.streamBody() == nil:
		x.payloadSum = hexSHA256(pr.Body)
	default:
		rc, _, err := pr.openBody()
		if err != nil {
			return "", err
		}
		h := sha256.New()
		_, err = io.Copy(h, rc)
		rc.Close()
		if err != nil {
			return "", &spec.Error{Kind: spec.KindRequest, Msg: "cannot read the request body to sign it: " + err.Error()}
		}
		x.payloadSum = hex.EncodeToString(h.Sum(nil))
	}
	return x.payloadSum, nil
}
