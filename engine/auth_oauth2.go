package engine

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

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

// fetchToken makes the token request: POST tokenEndpoint with
// grant_type=client_credentials (and scope, audience, resource when set),
// the client authenticated with HTTP Basic.
func (e *Engine) fetchToken(ctx context.Context, o *oauth2Auth) (string, time.Time, error) {
	fields := []formField{{"grant_type", "client_credentials"}}
	if o.key.scopes != "" {
		fields = append(fields, formField{"scope", o.key.scopes})
	}
	if o.key.audience != "" {
		fields = append(fields, formField{"audience", o.key.audience})
	}
	if o.key.resource != "" {
		fields = append(fields, formField{"resource", o.key.resource})
	}
	form := string(encodeForm(fields))
	ep := o.key.endpoint
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep, strings.NewReader(form))
	if err != nil {
		return "", time.Time{}, &spec.Error{Kind: spec.KindRequest, Msg: "oauth2 token request to " + ep + ": " + err.Error()}
	}
	cred := base64.StdEncoding.EncodeToString([]byte(o.key.clientID + ":" + o.secret))
	e.red.Add(cred)
	req.Header.Set("Authorization", "Basic "+cred)
	req.Header.Set("Content-Type", ctForm)
	req.Header.Set("Accept", ctJSON)
	req.Header.Set("User-Agent", e.userAgent)
	e.traceRequest(nil, req)
	resp, err := e.client.Do(req)
	if err != nil {
		te := transportError(err, ctx)
		te.Msg = "oauth2 token request to " + ep + ": " + te.Msg
		return "", time.Time{}, te
	}
	defer resp.Body.Close()
	e.traceResponse(resp)
	body, err := readCapped(resp.Body, maxTokenResponse, resp.ContentLength)
	if err != nil {
		te := transportError(err, ctx)
		if errors.Is(err, errTooLarge) {
			te.Msg = "the answer exceeds 1 MiB"
		}
		te.Msg = "oauth2 token request to " + ep + ": " + te.Msg
		return "", time.Time{}, te
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		se := &spec.Error{Kind: spec.KindUpstream, Status: resp.StatusCode, Header: resp.Header,
			Msg:  fmt.Sprintf("oauth2 token request to %s answered %d %s", ep, resp.StatusCode, http.StatusText(resp.StatusCode)),
			Hint: "check the client id and secret bound for this adapter, and its scopes"}
		var oe struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		if json.Unmarshal(body, &oe) == nil && oe.Error != "" {
			se.Msg += ": " + oe.Error
			if oe.Description != "" {
				se.Msg += " (" + oe.Description + ")"
			}
		}
		return "", time.Time{}, se
	}
	var tr struct {
		AccessToken string          `json:"access_token"`
		TokenType   string          `json:"token_type"`
		ExpiresIn   json.RawMessage `json:"expires_in"`
	}
	bad := func(why string) error {
		return &spec.Error{Kind: spec.KindUpstream, Msg: "oauth2 token response from " + ep + " " + why}
	}
	if err := json.Unmarshal(body, &tr); err != nil {
		return "", time.Time{}, bad("is not a JSON object")
	}
	if tr.AccessToken == "" {
		return "", time.Time{}, bad("has no access_token")
	}
	e.red.Add(tr.AccessToken)
	if tr.TokenType != "" && !strings.EqualFold(tr.TokenType, "bearer") {
		return "", time.Time{}, bad("has token_type " + quote(tr.TokenType) + "; naftiko sends only Bearer tokens")
	}
	var exp time.Time
	if raw := strings.Trim(string(tr.ExpiresIn), `"`); raw != "" && raw != "null" {
		secs, err := strconv.ParseFloat(raw, 64)
		if err != nil || secs < 0 {
			return "", time.Time{}, bad("has an invalid expires_in " + quote(raw))
		}
		exp = e.now().Add(time.Duration(secs*float64(time.Second)) - tokenSkew)
	}
	return tr.AccessToken, exp, nil
}
