package engine

import (
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/naftiko/naftiko/binder"
	"github.com/naftiko/naftiko/spec"
)

// Defaults of an Engine.
const (
	DefaultTimeout         = 30 * time.Second
	DefaultRetries         = 2
	DefaultMaxResponseSize = 64 << 20
	maxRedirects           = 10
)

// Engine calls the consumed operations of one capability. Build it with
// New; it is safe for concurrent use.
type Engine struct {
	cap       *spec.Capability
	client    *http.Client
	baseURIs  map[string]string
	lookup    binder.LookupFunc
	providers map[string]binder.Provider
	timeout   time.Duration
	retries   int
	maxResp   int64
	headers   []extraHeader
	logger    *slog.Logger
	trace     io.Writer
	traceMu   sync.Mutex
	userAgent string

	binds *binder.Binder
	red   *binder.Redactor
	// envKeys maps "namespace.VAR" and "VAR" of environment-located
	// bindings to the environment key they read (for --curl).
	envKeys map[string]string

	plans    []*plan
	byRef    map[string][]*plan
	ops      []*Operation
	prefixes map[string]bool

	// digest remembers Digest challenges; tokens caches OAuth2 tokens.
	digest digestCache
	tokens tokenCache
	// now is the clock (token expiry, SigV4 dates); replaced in tests.
	now func() time.Time

	// sleep waits d or until ctx is done; jitter returns a random duration
	// in [0, n]. Both are replaced in tests.
	sleep  func(ctx context.Context, d time.Duration) error
	jitter func(n time.Duration) time.Duration
}

// Option configures an Engine.
type Option func(*Engine)

// WithHTTPClient sets the client every request goes through. The engine
// never changes it; it uses a shallow copy whose redirect policy also strips
// credentials on cross-host redirects.
func WithHTTPClient(c *http.Client) Option {
	return func(e *Engine) {
		if c != nil {
			e.client = c
		}
	}
}

// WithBaseURI replaces the baseUri of the adapter with that namespace, or
// of every adapter when namespace is "". A namespace-specific value wins
// over the all-adapters one.
func WithBaseURI(namespace, uri string) Option {
	return func(e *Engine) { e.baseURIs[namespace] = uri }
}

// WithLookup sets how environment keys resolve (bindings without location,
// {{env.VAR}}, in: environment parameters). The default is os.LookupEnv.
func WithLookup(f func(key string) (string, bool)) Option {
	return func(e *Engine) {
		if f != nil {
			e.lookup = f
		}
	}
}

// WithBindProvider registers a provider for bind locations of a scheme
// such as "vault".
func WithBindProvider(scheme string, p binder.Provider) Option {
	return func(e *Engine) { e.providers[scheme] = p }
}

// WithTimeout sets the time allowed to each attempt (default 30s).
func WithTimeout(d time.Duration) Option {
	return func(e *Engine) { e.timeout = d }
}

// WithRetries sets how many times a GET or HEAD is retried after a network
// error or a 429, 502, 503 or 504 answer (default 2).
func WithRetries(n int) Option {
	return func(e *Engine) { e.retries = max(n, 0) }
}

// WithMaxResponseSize caps the bytes read from a response (default 64 MiB).
func WithMaxResponseSize(n int64) Option {
	return func(e *Engine) { e.maxResp = n }
}

// WithHeader adds a header to every request, over every other source. The
// value is a template rendered like any other ({{VAR}} from the binds). An
// empty value removes the header from the request.
func WithHeader(name, value string) Option {
	return func(e *Engine) {
		t, _ := spec.ParseTemplate(value, spec.Pos{}, false, spec.TextTemplate)
		e.headers = append(e.headers, extraHeader{name: http.CanonicalHeaderKey(strings.TrimSpace(name)), raw: name, value: t, remove: value == ""})
	}
}

// WithLogger sets the structured logger (default: discard).
func WithLogger(l *slog.Logger) Option {
	return func(e *Engine) {
		if l != nil {
			e.logger = l
		}
	}
}

// WithTrace writes every request line and header and every response status
// line and header to w, secrets masked as ****.
func WithTrace(w io.Writer) Option {
	return func(e *Engine) { e.trace = w }
}

// WithUserAgent sets the User-Agent header sent by default
// ("naftiko/dev").
func WithUserAgent(ua string) Option {
	return func(e *Engine) { e.userAgent = ua }
}

type extraHeader struct {
	name   string
	raw    string
	value  *spec.Template
	remove bool
}

// New builds an engine for c. It fails only for unusable options (an
// unknown namespace in WithBaseURI, a bad header name); problems of the
// document are reported when the element concerned is called.
func New(c *spec.Capability, opts ...Option) (*Engine, error) {
	if c == nil {
		return nil, spec.Errorf(spec.KindUsage, "engine.New: nil capability")
	}
	e := &Engine{
		cap:       c,
		client:    http.DefaultClient,
		baseURIs:  map[string]string{},
		providers: map[string]binder.Provider{},
		timeout:   DefaultTimeout,
		retries:   DefaultRetries,
		maxResp:   DefaultMaxResponseSize,
		logger:    slog.New(slog.DiscardHandler),
		userAgent: "naftiko/dev",
		sleep:     sleepCtx,
		now:       time.Now,
		jitter:    func(n time.Duration) time.Duration { return time.Duration(rand.Int64N(int64(n) + 1)) },
		prefixes:  map[string]bool{"tools": true, "rest": true},
	}
	for _, o := range opts {
		if o != nil {
			o(e)
		}
	}
	e.red = &binder.Redactor{}
	bopts := []binder.Option{binder.WithRedactor(e.red)}
	if e.lookup != nil {
		bopts = append(bopts, binder.WithLookup(e.lookup))
	}
	for s, p := range e.providers {
		bopts = append(bopts, binder.WithProvider(s, p))
	}
	e.binds = binder.New(c.Binds, c.Dir, bopts...)
	e.envKeys = map[string]string{}
	for _, v := range e.binds.Variables() {
		key := ""
		if v.Location == "" {
			key = v.Key
		}
		e.envKeys[v.Name] = key
		e.envKeys[v.Namespace+"."+v.Name] = key
	}
	if e.lookup == nil {
		e.lookup = os.LookupEnv
	}
	for _, x := range c.Exposes {
		if x.Namespace != "" {
			e.prefixes[x.Namespace] = true
		}
	}
	if err := e.checkOptions(); err != nil {
		return nil, err
	}
	e.client = e.wrapClient(e.client)
	e.index()
	return e, nil
}

func (e *Engine) checkOptions() error {
	var names []string
	known := map[string]bool{}
	for _, a := range e.cap.Consumes {
		if !known[a.Namespace] {
			known[a.Namespace] = true
			names = append(names, a.Namespace)
		}
	}
	for ns := range e.baseURIs {
		if ns != "" && !known[ns] {
			return &spec.Error{Kind: spec.KindUsage,
				Msg:  "--base-uri names namespace `" + ns + "`, which the capability does not consume" + didYouMean(suggest(ns, names, 3)),
				Hint: "namespaces: " + strings.Join(names, ", ")}
		}
	}
	for _, h := range e.headers {
		if !validHeaderName(h.name) {
			return &spec.Error{Kind: spec.KindUsage, Msg: "invalid header name " + quote(h.raw)}
		}
	}
	return nil
}

// index builds the call plans and the reference table.
func (e *Engine) index() {
	e.byRef = map[string][]*plan{}
	for _, r := range e.cap.Operations() {
		p := e.newPlan(r)
		e.plans = append(e.plans, p)
		if r.Adapter.Shadowed || r.Op.Shadowed {
			continue
		}
		for _, s := range p.spellings() {
			e.byRef[s] = append(e.byRef[s], p)
		}
	}
	for _, p := range e.plans {
		if p.ref.Adapter.Shadowed || p.ref.Op.Shadowed {
			continue
		}
		p.public.Ref = e.shortest(p)
		e.ops = append(e.ops, p.public)
	}
}

func (p *plan) spellings() []string {
	ns, res, op := p.ref.Adapter.Namespace, p.ref.Resource.Name, p.ref.Op.Name
	return []string{op, ns + "." + op, ns + "." + res + "." + op}
}

func (e *Engine) shortest(p *plan) string {
	s := p.spellings()
	for _, x := range s {
		if len(e.byRef[x]) == 1 {
			return x
		}
	}
	return s[2]
}

// Operations lists every callable operation in declaration order.
func (e *Engine) Operations() []*Operation { return slices.Clone(e.ops) }

// Resolve finds the operation a reference names: op, namespace.op or
// namespace.resource.op. Unknown and ambiguous references are usage
// errors with suggestions.
func (e *Engine) Resolve(ref string) (*Operation, error) {
	p, err := e.resolve(ref)
	if err != nil {
		return nil, err
	}
	return p.public, nil
}

func (e *Engine) resolve(ref string) (*plan, error) {
	cands := e.byRef[ref]
	switch len(cands) {
	case 1:
		return cands[0], nil
	case 0:
		for _, a := range e.cap.Consumes {
			if len(a.Errors) > 0 && !a.Shadowed && strings.HasPrefix(ref, a.Namespace+".") {
				d := a.Errors[0]
				return nil, &spec.Error{Kind: spec.KindSpec, Ref: ref, Pos: d.Pos, Msg: d.Message, Hint: d.Hint}
			}
		}
		all := make([]string, 0, len(e.ops))
		for _, o := range e.ops {
			all = append(all, o.Ref)
		}
		msg := "unknown operation `" + ref + "`"
		if len(e.ops) == 0 {
			return nil, &spec.Error{Kind: spec.KindUsage, Ref: ref, Msg: msg + ": the capability consumes no operation"}
		}
		return nil, &spec.Error{Kind: spec.KindUsage, Ref: ref, Msg: msg + didYouMean(suggest(ref, all, 3)),
			Hint: "naftiko ops FILE lists the operations"}
	default:
		full := make([]string, len(cands))
		for i, p := range cands {
			full[i] = p.spellings()[2]
		}
		return nil, &spec.Error{Kind: spec.KindUsage, Ref: ref,
			Msg:  "ambiguous: `" + ref + "` matches " + strings.Join(full, ", "),
			Hint: "name one of them in full"}
	}
}

// Redact masks every secret the engine has seen in s.
// Local bound values (environment, key files) are read first, so that a
// text quoting one before any call needed it is masked too.
func (e *Engine) Redact(s string) string {
	e.binds.Preload(context.Background())
	return e.red.Redact(s)
}

// Capability returns the capability the engine was built from.
func (e *Engine) Capability() *spec.Capability { return e.cap }

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
