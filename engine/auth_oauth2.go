package engine

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/naftiko/naftiko/spec"
)

// OAuth2 client credentials (SPEC.md §7.5). Tokens are cached per
// (tokenEndpoint, clientId, scopes, audience, resource) until 30 s before
// they expire; concurrent callers share one token request; a 401 from the
// API drops the token and the request is resent once with a new one.

// tokenSkew is how long before its expiry a token stops being used.
const tokenSkew = 30 * time.Second

// maxTokenResponse caps the bytes read from a token endpoint.
const maxTokenResponse = 1 << 20

type tokenKey struct {
	endpoint, clientID, scopes, audience, resource string
}

type oauth2Auth struct {
	key    tokenKey
	scopes []string
	secret string
}

// oauth2Config renders and checks the fields of an oauth2 block.
func (e *Engine) oauth2Config(a *spec.Auth, render, plain func(*spec.Template) (string, error)) (*oauth2Auth, error) {
	o := &oauth2Auth{}
	var err error
	if o.key.endpoint, err = field(a, "tokenEndpoint", plain); err != nil {
		return nil, err
	}
	if o.key.endpoint == "" {
		return nil, &spec.Error{Kind: spec.KindSpec, Pos: a.Pos, Msg: "oauth2 authentication needs a `tokenEndpoint` (the client credentials token URL); nothing was sent",
			Hint: "authorizationServerUri is not used on the consumed side"}
	}
	if u, perr := url.Parse(o.key.endpoint); perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &spec.Error{Kind: spec.KindSpec, Pos: a.Pos, Msg: "oauth2 tokenEndpoint " + quote(o.key.endpoint) + " is not an absolute http or https URL"}
	}
	if o.key.clientID, err = field(a, "clientId", render); err != nil {
		return nil, err
	}
	if o.secret, err = field(a, "clientSecret", render); err != nil {
		return nil, err
	}
	if o.key.audience, err = field(a, "audience", plain); err != nil {
		return nil, err
	}
	if o.key.resource, err = field(a, "resource", plain); err != nil {
		return nil, err
	}
	o.scopes = a.Scopes
	o.key.scopes = strings.Join(a.Scopes, " ")
	return o, nil
}

func (o *oauth2Auth) do(ctx context.Context, e *Engine, pr *Prepared) (*http.Response, error) {
	tok, err := e.tokens.get(ctx, e, o, "")
	if err != nil {
		return nil, err
	}
	resp, err := e.send1(ctx, pr, bearer(tok))
	if err != nil || resp.StatusCode != http.StatusUnauthorized || !sameOrigin(resp, pr) {
		return resp, err
	}
	drain(resp)
	tok, err = e.tokens.get(ctx, e, o, tok)
	if err != nil {
		return nil, err
	}
	return e.send1(ctx, pr, bearer(tok))
}

func bearer(tok string) func(*http.Request) error {
	return func(req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+tok)
		return nil
	}
}

// tokenCache holds the access tokens of an engine.
type tokenCache struct {
	mu sync.Mutex
	m  map[tokenKey]*tokenSlot
}

type tokenSlot struct {
	token   string
	expires time.Time // zero: until a 401
	// fetching is closed when the token request in flight ends.
	fetching chan struct{}
	// err is the outcome of the last token request.
	err error
}

// get returns a valid token for o, fetching one when there is none, or
// when the cached one is stale (the token a 401 answered). Callers that
// arrive while a token request is in flight wait for it.
func (c *tokenCache) get(ctx context.Context, e *Engine, o *oauth2Auth, stale string) (string, error) {
	for {
		c.mu.Lock()
		if c.m == nil {
			c.m = map[tokenKey]*tokenSlot{}
		}
		slot := c.m[o.key]
		if slot == nil {
			slot = &tokenSlot{}
			c.m[o.key] = slot
		}
		if slot.token != "" && slot.token != stale && (slot.expires.IsZero() || e.now().Before(slot.expires)) {
			tok := slot.token
			c.mu.Unlock()
			return tok, nil
		}
		if ch := slot.fetching; ch != nil {
			c.mu.Unlock()
			select {
			case <-ch:
			case <-ctx.Done():
				return "", transportError(ctx.Err(), ctx)
			}
			c.mu.Lock()
			err := slot.err
			fresh := slot.token != "" && slot.token != stale
			c.mu.Unlock()
			if !fresh && err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
				return "", err
			}
			continue
		}
		ch := make(chan struct{})
		slot.fetching = ch
		if slot.token == stale {
			slot.token = ""
		}
		c.mu.Unlock()

		tok, exp, err := e.fetchToken(ctx, o)

		c.mu.Lock()
		slot.fetching = nil
		slot.err = err
		if err == nil {
			slot.token, slot.expires = tok, exp
		}
		close(ch)
		c.mu.Unlock()
		return tok, err
	}
}

// fetchToken makes the token request through
// golang.org/x/oauth2/clientcredentials: POST tokenEndpoint with
// grant_type=client_credentials (and scope, audience, resource when set),
// the client authenticated with HTTP Basic (its id and secret
// form-encoded first, RFC 6749 §2.3.1). The request goes through the
// engine's client (redirect policy, client span) by way of tokenTransport,
// which adds the verbose trace, Accept and User-Agent, and refuses an
// answer declared larger than 1 MiB.
func (e *Engine) fetchToken(ctx context.Context, o *oauth2Auth) (string, time.Time, error) {
	ep := o.key.endpoint
	params := url.Values{}
	if o.key.audience != "" {
		params.Set("audience", o.key.audience)
	}
	if o.key.resource != "" {
		params.Set("resource", o.key.resource)
	}
	cfg := clientcredentials.Config{
		ClientID:       o.key.clientID,
		ClientSecret:   o.secret,
		TokenURL:       ep,
		Scopes:         o.scopes,
		EndpointParams: params,
		// SPEC.md §7.5: the capability's oauth2 block authenticates the
		// client with HTTP Basic; never the library's auto-detection,
		// which would resend the secret in the form after a refusal.
		AuthStyle: oauth2.AuthStyleInHeader,
	}
	e.red.Add(base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(o.key.clientID) + ":" + url.QueryEscape(o.secret))))
	tt := &tokenTransport{e: e, base: e.client.Transport}
	if tt.base == nil {
		tt.base = http.DefaultTransport
	}
	client := *e.client
	client.Transport = tt
	tok, err := cfg.Token(context.WithValue(ctx, oauth2.HTTPClient, &client))
	if err != nil || tt.readErr != nil {
		return "", time.Time{}, e.tokenError(ctx, ep, tt, err)
	}
	bad := func(why string) error {
		return &spec.Error{Kind: spec.KindUpstream, Msg: "oauth2 token response from " + ep + " " + why}
	}
	e.red.Add(tok.AccessToken)
	if tok.TokenType != "" && !strings.EqualFold(tok.TokenType, "bearer") {
		return "", time.Time{}, bad("has token_type " + quote(tok.TokenType) + "; naftiko sends only Bearer tokens")
	}
	var exp time.Time
	if raw := tok.Extra("expires_in"); raw != nil {
		secs, text, ok := seconds(raw)
		if !ok {
			return "", time.Time{}, bad("has an invalid expires_in " + quote(text))
		}
		if text != "" {
			exp = e.now().Add(time.Duration(secs*float64(time.Second)) - tokenSkew)
		}
	}
	return tok.AccessToken, exp, nil
}

// seconds reads an expires_in value as the library left it: a JSON
// number, a string (some servers quote it; form answers) or null. text is
// "" when there is no value.
func seconds(raw any) (secs float64, text string, ok bool) {
	switch v := raw.(type) {
	case float64:
		return v, strconv.FormatFloat(v, 'f', -1, 64), v >= 0
	case int64:
		return float64(v), strconv.FormatInt(v, 10), v >= 0
	case string:
		if v == "" {
			return 0, "", true
		}
		secs, err := strconv.ParseFloat(v, 64)
		return secs, v, err == nil && secs >= 0
	}
	return 0, "", true
}

// tokenError words a failed token request.
func (e *Engine) tokenError(ctx context.Context, ep string, tt *tokenTransport, err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil {
		status := re.Response.StatusCode
		se := &spec.Error{Kind: spec.KindUpstream, Status: status, Header: re.Response.Header,
			Msg:  fmt.Sprintf("oauth2 token request to %s answered %d %s", ep, status, http.StatusText(status)),
			Hint: "check the client id and secret bound for this adapter, and its scopes"}
		if re.ErrorCode != "" {
			se.Msg += ": " + re.ErrorCode
			if re.ErrorDescription != "" {
				se.Msg += " (" + re.ErrorDescription + ")"
			}
		}
		return se
	}
	if tt.readErr != nil {
		err = tt.readErr
	}
	var ue *url.Error
	if errors.As(err, &ue) || tt.readErr != nil {
		te := transportError(err, ctx)
		if errors.Is(err, errTooLarge) {
			te.Msg = "the answer exceeds 1 MiB"
		}
		te.Msg = "oauth2 token request to " + ep + ": " + te.Msg
		return te
	}
	why := strings.TrimPrefix(err.Error(), "oauth2: ")
	switch detail := strings.TrimPrefix(why, "cannot parse json: "); {
	case strings.Contains(why, "missing access_token"):
		why = "has no access_token"
	case strings.HasPrefix(detail, "invalid character") || strings.HasPrefix(detail, "unexpected end of JSON"):
		why = "is not a JSON object"
	default:
		why = "is not a usable token answer: " + detail
	}
	return &spec.Error{Kind: spec.KindUpstream, Msg: "oauth2 token response from " + ep + " " + why}
}

// tokenTransport is the transport of one token request: it writes the
// verbose trace of each request and answer, asks for JSON under the
// engine's User-Agent, and keeps what the library flattens into text: an
// error reading the body, and an answer longer than 1 MiB (the library
// stops reading there; declared lengths are refused before reading).
type tokenTransport struct {
	e       *Engine
	base    http.RoundTripper
	readErr error
}

// RoundTrip implements http.RoundTripper.
func (t *tokenTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	out := req.Clone(req.Context())
	if out.Header.Get("Accept") == "" {
		out.Header.Set("Accept", ctJSON)
	}
	out.Header.Set("User-Agent", t.e.userAgent)
	t.e.traceRequest(nil, out)
	resp, err := t.base.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	t.e.traceResponse(resp)
	if resp.ContentLength > maxTokenResponse {
		resp.Body.Close()
		return nil, errTooLarge
	}
	resp.Body = &tokenBody{ReadCloser: resp.Body, t: t}
	return resp, nil
}

// tokenBody records a failed read, and on Close whether bytes remain
// after the first MiB.
type tokenBody struct {
	io.ReadCloser
	t   *tokenTransport
	n   int64
	eof bool
}

func (b *tokenBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n += int64(n)
	switch {
	case err == io.EOF:
		b.eof = true
	case err != nil:
		b.t.readErr = err
	}
	return n, err
}

func (b *tokenBody) Close() error {
	if !b.eof && b.n >= maxTokenResponse && b.t.readErr == nil {
		var one [1]byte
		if k, _ := io.ReadFull(b.ReadCloser, one[:]); k > 0 {
			b.t.readErr = errTooLarge
		}
	}
	return b.ReadCloser.Close()
}
