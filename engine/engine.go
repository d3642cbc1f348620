package engine

import (
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/naftiko/naftiko/binder"
	"github.com/naftiko/naftiko/spec"
	"github.com/naftiko/naftiko/spec/program"
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
	// always holds the hooks of WithCallTraceAlways.
	always *CallTrace
	// tracer records client spans; nil when tracing is off.
	tracer     trace.Tracer
	propagator propagation.TextMapPropagator

	binds *binder.Binder
	red   *binder.Redactor
	// envKeys maps "namespace.VAR" and "VAR" of environment-located
	// bindings to the environment key they read (for --curl).
	envKeys map[string]string

	// prog is the compiled capability; plans add the engine's compiled
	// decoders to its operations.
	prog  *program.Program
	plans map[*program.Op]*plan
	// bases are the parsed --base-uri overrides by namespace ("" = all).
	bases map[string]*baseOverride

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
	if err := e.checkOptions(); err != nil {
		return nil, err
	}
	e.client = e.wrapClient(e.client)
	e.compile(c)
	return e, nil
}

// NewProgram is New for a capability already compiled (by
// program.Compile): servers and the CLI compile once and share the
// program.
func NewProgram(p *program.Program, opts ...Option) (*Engine, error) {
	if p == nil {
		return nil, spec.Errorf(spec.KindUsage, "engine.NewProgram: nil program")
	}
	return New(p.Cap, append(opts, withProgram(p))...)
}

func withProgram(p *program.Program) Option { return func(e *Engine) { e.prog = p } }

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
				Msg:  "--base-uri names namespace `" + ns + "`, which the capability does not consume" + program.DidYouMean(program.Suggest(ns, names, 3)),
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

// compile compiles the capability (unless a program was given), the
// engine's own part of each operation, and the --base-uri overrides.
func (e *Engine) compile(c *spec.Capability) {
	if e.prog == nil || e.prog.Cap != c {
		e.prog = program.Compile(c)
	}
	e.plans = make(map[*program.Op]*plan, len(e.prog.All))
	for _, op := range e.prog.All {
		e.plans[op] = newPlan(op)
	}
	for _, a := range c.Consumes {
		if op := e.prog.Forward(a.Namespace); op != nil {
			e.plans[op] = newPlan(op)
		}
	}
	e.bases = make(map[string]*baseOverride, len(e.baseURIs))
	for ns, uri := range e.baseURIs {
		t, _ := spec.ParseTemplate(strings.TrimRight(uri, "/"), spec.Pos{}, false, spec.URLTemplate)
		o := &baseOverride{tmpl: t}
		if t.IsLiteral() {
			o.url = program.ParseBase(t.Src)
		}
		e.bases[ns] = o
	}
}

// baseOverride is a --base-uri value, parsed once.
type baseOverride struct {
	tmpl *spec.Template
	url  *url.URL
}

// Binder returns the engine's binder: the bound variables with every
// provider registered with WithBindProvider, their secrets registered with
// the engine's redactor. Servers resolve their own templates with it.
func (e *Engine) Binder() *binder.Binder { return e.binds }

// Program returns the compiled capability the engine executes.
func (e *Engine) Program() *program.Program { return e.prog }

// Operations lists every callable operation in declaration order.
func (e *Engine) Operations() []*Operation { return slices.Clone(e.prog.Operations()) }

// Resolve finds the operation a reference names: op, namespace.op or
// namespace.resource.op. Unknown and ambiguous references are usage
// errors with suggestions.
func (e *Engine) Resolve(ref string) (*Operation, error) { return e.prog.Resolve(ref) }

// plan returns the engine's plan of an operation of its program, or the
// spec error of an operation whose element errors forbid calling it.
func (e *Engine) plan(op *Operation) (*plan, error) {
	p := e.plans[op]
	if p == nil {
		return nil, spec.Errorf(spec.KindUsage, "operation %s does not belong to this engine's capability", op.FullRef)
	}
	for _, d := range p.errs {
		if d.Severity <= spec.SeverityError {
			return nil, &spec.Error{Kind: spec.KindSpec, Pos: d.Pos, Msg: d.Message + atPos(d.Pos), Hint: d.Hint}
		}
	}
	return p, nil
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
