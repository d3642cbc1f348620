package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/naftiko/naftiko/binder"
	"github.com/naftiko/naftiko/engine"
	"github.com/naftiko/naftiko/spec"
	"github.com/naftiko/naftiko/spec/program"
)

// Defaults of a Server.
const (
	// DefaultMaxResult caps the text of an MCP tool result (256 KiB).
	DefaultMaxResult = 256 << 10
	// DefaultShutdownTimeout bounds the graceful drain on shutdown.
	DefaultShutdownTimeout = 10 * time.Second
	// DefaultAddress is the bind address of every adapter unless the
	// document or WithAddress says otherwise.
	DefaultAddress = "127.0.0.1"
	// maxRequestBody caps REST request bodies (10 MiB).
	maxRequestBody = 10 << 20
)

// Option configures a Server.
type Option func(*config)

type config struct {
	engineOpts []engine.Option
	client     *http.Client
	logger     *slog.Logger
	writes     bool
	maxResult  int
	address    string
	ports      map[string]int
	mcpStdio   bool
	mcpHTTP    string
	stdin      io.Reader
	stdout     io.Writer
	lookup     func(string) (string, bool)
	baseURIs   map[string]string
	headers    [][2]string
	timeout    time.Duration
	version    string
	shutdown   time.Duration
	tp         trace.TracerProvider
	propagator propagation.TextMapPropagator
	// mcpPageSize is the page size of the MCP list methods (0: the SDK default).
	mcpPageSize int
	// mcpOrigins are the browser origins allowed besides the server's own.
	mcpOrigins []string
	// mcpNoFastPath sends every MCP HTTP request through the go-sdk (tests
	// compare both paths).
	mcpNoFastPath bool
}

// WithEngineOptions passes options to the engine that calls the consumed
// operations (trace, logger, retries, bind providers…). Prefer the serve
// options of the same name where one exists: the server needs to know
// base URIs, headers, the environment lookup and the timeout itself.
func WithEngineOptions(opts ...engine.Option) Option {
	return func(c *config) { c.engineOpts = append(c.engineOpts, opts...) }
}

// WithHTTPClient sets the one client every upstream request goes through.
// The server wraps its transport to record metrics. By default it builds a
// client with connection pooling and the proxy settings of the
// environment.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) { c.client = hc }
}

// WithLogger sets the structured logger (default: discard). Logs never go
// to the MCP stdio stream.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// WithWrites makes generated MCP tools of every method, not only GET and
// HEAD (SPEC.md §11.3).
func WithWrites(on bool) Option {
	return func(c *config) { c.writes = on }
}

// WithMaxResult caps the text of an MCP tool result in bytes (default 256
// KiB); a larger result is truncated with a marker line.
func WithMaxResult(n int) Option {
	return func(c *config) { c.maxResult = n }
}

// WithAddress binds every adapter to addr (a host, such as 0.0.0.0)
// instead of the document's address or 127.0.0.1.
func WithAddress(addr string) Option {
	return func(c *config) { c.address = addr }
}

// WithPort serves the HTTP adapter of namespace ns (REST, MCP, skill or
// control) on port instead of the document's; 0 lets the system pick a
// free port, which the "serving" log line and Addr report. A namespace
// the document does not expose fails New.
func WithPort(ns string, port int) Option {
	return func(c *config) {
		if c.ports == nil {
			c.ports = map[string]int{}
		}
		c.ports[ns] = port
	}
}

// WithStdio sets the streams of an MCP adapter whose transport is stdio,
// and of WithMCPStdio: in carries requests, out carries protocol frames
// only.
func WithStdio(in io.Reader, out io.Writer) Option {
	return func(c *config) { c.stdin, c.stdout = in, out }
}

// WithMCPStdio serves only MCP, on the WithStdio streams: the tools of the
// document's first MCP adapter, or tools generated from its consumed
// operations when it has none. No other adapter is started.
func WithMCPStdio() Option {
	return func(c *config) { c.mcpStdio = true }
}

// WithMCPHTTP serves only MCP, over streamable HTTP at addr (":9090" means
// 127.0.0.1:9090), like WithMCPStdio otherwise.
func WithMCPHTTP(addr string) Option {
	return func(c *config) { c.mcpHTTP = addr }
}

// WithLookup sets how environment keys resolve for the engine and for the
// server's own templates (inbound authentication, `with` values, forward).
// The default is os.LookupEnv.
func WithLookup(f func(key string) (string, bool)) Option {
	return func(c *config) { c.lookup = f }
}

// WithBaseURI replaces the baseUri of the consumes adapter namespace
// ("" = every adapter), for calls and forwards.
func WithBaseURI(namespace, uri string) Option {
	return func(c *config) {
		if c.baseURIs == nil {
			c.baseURIs = map[string]string{}
		}
		c.baseURIs[namespace] = uri
	}
}

// WithHeader adds a header to every upstream request (a {{VAR}} template;
// an empty value removes the header).
func WithHeader(name, value string) Option {
	return func(c *config) { c.headers = append(c.headers, [2]string{name, value}) }
}

// WithTimeout sets the time allowed to each upstream attempt (default 30s).
func WithTimeout(d time.Duration) Option {
	return func(c *config) { c.timeout = d }
}

// WithRetries sets how often a GET or HEAD is retried (default 2).
func WithRetries(n int) Option {
	return func(c *config) { c.engineOpts = append(c.engineOpts, engine.WithRetries(n)) }
}

// WithVersion sets the version reported as MCP serverInfo.version, in
// /status and in the User-Agent (default "dev").
func WithVersion(v string) Option {
	return func(c *config) { c.version = v }
}

// WithShutdownTimeout bounds the graceful drain of Run (default 10s).
func WithShutdownTimeout(d time.Duration) Option {
	return func(c *config) { c.shutdown = d }
}

// Server serves the exposes adapters of one capability: REST, MCP (stdio
// or streamable HTTP) and control. Build it with New; start it with Run,
// or with Start and Shutdown. It is safe for concurrent use.
type Server struct {
	cap    *spec.Capability
	eng    *engine.Engine
	prog   *program.Program
	binds  *binder.Binder
	client *http.Client
	log    *slog.Logger
	m      *metrics
	cfg    config
	// sdkLog is the MCP SDK's logger: warnings and errors only unless
	// debug logging is on.
	sdkLog  *slog.Logger
	started time.Time
	// tracer is nil when tracing is off.
	tracer     trace.Tracer
	propagator propagation.TextMapPropagator

	units []*unit
	// adapterErrs are adapter errors found while building: Start fails.
	adapterErrs []error

	mu      sync.Mutex
	running bool
	wg      sync.WaitGroup
	errc    chan error
	stdioCh chan struct{}
	cancel  context.CancelFunc
}

// unit is one served adapter: an HTTP listener, or the stdio MCP loop.
type unit struct {
	typ, ns string
	host    string
	port    int
	auth    *spec.Auth
	handler http.Handler
	mcp     *mcp.Server
	stdio   bool

	ln    net.Listener
	srv   *http.Server
	state string
}

// New builds a server for c. Element errors of the document leave their
// tool or route out (logged); adapter errors (an invalid port, a port used
// twice) are returned by Start. New fails only for unusable options.
func New(c *spec.Capability, opts ...Option) (*Server, error) {
	if c == nil {
		return nil, spec.Errorf(spec.KindUsage, "serve.New: nil capability")
	}
	cfg := config{maxResult: DefaultMaxResult, version: "dev", shutdown: DefaultShutdownTimeout, timeout: engine.DefaultTimeout}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.maxResult <= 0 {
		cfg.maxResult = DefaultMaxResult
	}
	s := &Server{cap: c, cfg: cfg, m: newMetrics(), log: cfg.logger}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.sdkLog = s.log
	if !s.log.Enabled(context.Background(), slog.LevelDebug) {
		// The SDK logs every session at Info; keep its warnings only.
		s.sdkLog = slog.New(minLevel{s.log.Handler(), slog.LevelWarn})
	}
	s.client = s.newClient(cfg.client)
	eopts := []engine.Option{
		engine.WithHTTPClient(s.client),
		engine.WithTimeout(cfg.timeout),
		engine.WithUserAgent("naftiko/" + cfg.version),
	}
	if cfg.lookup != nil {
		eopts = append(eopts, engine.WithLookup(cfg.lookup))
	}
	for ns, u := range cfg.baseURIs {
		eopts = append(eopts, engine.WithBaseURI(ns, u))
	}
	if err := checkPorts(c, &cfg); err != nil {
		return nil, err
	}
	for _, h := range cfg.headers {
		eopts = append(eopts, engine.WithHeader(h[0], h[1]))
	}
	eopts = append(eopts, s.tracingOptions()...)
	eopts = append(eopts, cfg.engineOpts...)
	s.prog = program.Compile(c)
	e, err := engine.NewProgram(s.prog, eopts...)
	if err != nil {
		return nil, err
	}
	s.eng = e
	// One binder, the engine's, with every provider registered through
	// WithEngineOptions: `with` values, tool arguments, steps, inbound
	// authentication and consumed authentication resolve alike.
	s.binds = e.Binder()
	s.build()
	return s, nil
}

// checkPorts refuses a WithPort that names no HTTP adapter of the
// document, or that comes with WithMCPStdio or WithMCPHTTP (which serve
// no adapter of the document on its own port).
func checkPorts(c *spec.Capability, cfg *config) error {
	if len(cfg.ports) == 0 {
		return nil
	}
	if cfg.mcpStdio || cfg.mcpHTTP != "" {
		return &spec.Error{Kind: spec.KindUsage, Msg: "a port per namespace applies to the document's adapters, not to MCP alone on stdio or at an address"}
	}
	var names []string
	for _, x := range c.Exposes {
		if x.OverHTTP() {
			names = append(names, x.Namespace)
		}
	}
	for _, ns := range slices.Sorted(maps.Keys(cfg.ports)) {
		if p := cfg.ports[ns]; p < 0 || p > 65535 {
			return spec.Errorf(spec.KindUsage, "port %d for namespace %s is outside 0–65535", p, ns)
		}
		if !slices.Contains(names, ns) {
			hint := "adapters: " + strings.Join(names, ", ")
			if len(names) == 0 {
				hint = "the capability exposes no adapter over HTTP"
			}
			return &spec.Error{Kind: spec.KindUsage,
				Msg:  "no adapter served over HTTP has namespace `" + ns + "`" + program.DidYouMean(program.Suggest(ns, names, 3)),
				Hint: hint}
		}
	}
	return nil
}

// newClient returns the shared client, its transport instrumented.
func (s *Server) newClient(hc *http.Client) *http.Client {
	var base http.RoundTripper
	out := &http.Client{}
	if hc != nil {
		*out = *hc
		base = hc.Transport
	}
	if base == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConns = 256
		t.MaxIdleConnsPerHost = 64
		base = t
	}
	out.Transport = &clientTransport{base: base, m: s.m}
	return out
}

// Engine returns the engine that calls the consumed operations.
func (s *Server) Engine() *engine.Engine { return s.eng }

// build creates the units to serve, following the mode.
func (s *Server) build() {
	label := s.cap.Info.Label
	s.m.capabilityLive.WithLabelValues(label).Set(0)
	var firstMCP *spec.Expose
	for _, x := range s.cap.Exposes {
		if x.Type == "mcp" && len(x.Errors) == 0 {
			firstMCP = x
			break
		}
	}
	if s.cfg.mcpStdio || s.cfg.mcpHTTP != "" {
		s.buildMCPOnly(firstMCP)
		return
	}
	stdioSeen := false
	for _, x := range s.cap.Exposes {
		if len(x.Errors) > 0 {
			for _, d := range x.Errors {
				s.adapterErrs = append(s.adapterErrs, &spec.Error{Kind: spec.KindSpec, Pos: d.Pos,
					Msg: fmt.Sprintf("%s adapter %s: %s (%s)", x.Type, x.Namespace, d.Message, d.Pos)})
			}
			continue
		}
		u := &unit{typ: x.Type, ns: x.Namespace, host: s.bindHost(x.Address), port: x.Port, auth: x.Auth}
		port, override := s.cfg.ports[x.Namespace]
		if override {
			u.port = port
		}
		switch x.Type {
		case "mcp":
			m := s.newMCP(x)
			s.traceMCP(m.srv)
			u.mcp = m.srv
			if !x.OverHTTP() {
				if stdioSeen {
					s.adapterErrs = append(s.adapterErrs, &spec.Error{Kind: spec.KindSpec, Pos: x.Pos,
						Msg: fmt.Sprintf("mcp adapter %s: only one stdio MCP adapter can run", x.Namespace)})
					continue
				}
				stdioSeen = true
				u.stdio, u.auth = true, nil
			} else {
				u.handler = s.mcpHTTPHandler(m)
			}
		default:
			if u.handler = s.httpAdapter(x); u.handler == nil {
				s.log.Warn("adapter type is not served", "type", x.Type, "namespace", x.Namespace)
				continue
			}
		}
		if !u.stdio && !override && x.Port == 0 && !hasPortKey(x) {
			s.adapterErrs = append(s.adapterErrs, &spec.Error{Kind: spec.KindSpec, Pos: x.Pos,
				Msg:  fmt.Sprintf("%s adapter %s has no `port`", x.Type, x.Namespace),
				Hint: "add `port: 8080` (or 0 to pick a free one)"})
			continue
		}
		s.units = append(s.units, u)
	}
	s.checkPortClash()
}

// buildMCPOnly builds the one unit of --mcp-stdio or --mcp-http: the
// document's first MCP adapter, else the generated tools.
func (s *Server) buildMCPOnly(firstMCP *spec.Expose) {
	var srv *mcpAdapter
	if firstMCP != nil {
		srv = s.newMCP(firstMCP)
	} else {
		srv = s.generatedMCP()
	}
	s.traceMCP(srv.srv)
	u := &unit{typ: "mcp", ns: srv.ns, mcp: srv.srv, auth: nil}
	if firstMCP != nil {
		u.auth = firstMCP.Auth
	}
	if s.cfg.mcpStdio {
		u.stdio, u.auth = true, nil
	} else {
		host, port, err := splitAddr(s.cfg.mcpHTTP)
		if err != nil {
			s.adapterErrs = append(s.adapterErrs, err)
		}
		u.host, u.port = host, port
		u.handler = s.mcpHTTPHandler(srv)
	}
	s.units = append(s.units, u)
}

// checkPortClash reports two units on one fixed port.
func (s *Server) checkPortClash() {
	seen := map[int]*unit{}
	for _, u := range s.units {
		if u.stdio || u.port == 0 {
			continue
		}
		if prev := seen[u.port]; prev != nil {
			s.adapterErrs = append(s.adapterErrs, &spec.Error{Kind: spec.KindSpec,
				Msg: fmt.Sprintf("%s adapter %s and %s adapter %s both use port %d", prev.typ, prev.ns, u.typ, u.ns, u.port)})
		}
		seen[u.port] = u
	}
}

// httpAdapter returns the handler of a rest, control or skill adapter; nil
// for other types.
func (s *Server) httpAdapter(x *spec.Expose) http.Handler {
	switch x.Type {
	case "rest":
		return s.traceHTTP("rest", s.newREST(x))
	case "control":
		return s.newControl(x)
	case "skill":
		return s.newSkill(x)
	}
	return nil
}

// hasPortKey reports whether the adapter wrote a port (port: 0 picks a
// free one).
func hasPortKey(x *spec.Expose) bool {
	if x.Node == nil {
		return false
	}
	for i := 0; i+1 < len(x.Node.Content); i += 2 {
		if x.Node.Content[i].Value == "port" {
			return true
		}
	}
	return false
}

func (s *Server) bindHost(docAddr string) string {
	switch {
	case s.cfg.address != "":
		return s.cfg.address
	case docAddr != "":
		return docAddr
	}
	return DefaultAddress
}

// splitAddr reads an --mcp-http address: HOST:PORT, or :PORT for
// 127.0.0.1.
func splitAddr(addr string) (string, int, error) {
	if !strings.Contains(addr, ":") {
		addr = ":" + addr
	}
	host, p, err := net.SplitHostPort(addr)
	n, perr := strconv.Atoi(p)
	if err != nil || perr != nil || n < 0 || n > 65535 {
		return "", 0, &spec.Error{Kind: spec.KindUsage, Msg: fmt.Sprintf("MCP address %q is not HOST:PORT", addr),
			Hint: "for example --mcp-http 127.0.0.1:9090 or --mcp-http :9090"}
	}
	if host == "" {
		host = DefaultAddress
	}
	return host, n, nil
}

// Start resolves inbound authentication, binds every adapter's listener
// and starts serving in the background. It fails, having started
// nothing, on any adapter error: servers fail closed. ctx bounds the
// stdio MCP loop and every request's lifetime.
func (s *Server) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running {
		return spec.Errorf(spec.KindUsage, "serve: the server is already started")
	}
	if len(s.adapterErrs) > 0 {
		return joinErrors(s.adapterErrs)
	}
	if len(s.units) == 0 {
		return &spec.Error{Kind: spec.KindUsage, Msg: "the capability declares no servable exposes adapter",
			Hint: "serve its consumed operations as MCP tools with --mcp-stdio or --mcp-http 127.0.0.1:9090"}
	}
	var errs []error
	for _, u := range s.units {
		if u.stdio {
			if s.cfg.stdin == nil || s.cfg.stdout == nil {
				errs = append(errs, spec.Errorf(spec.KindUsage, "mcp adapter %s uses stdio, but no streams were given", u.ns))
			}
			continue
		}
		if u.handler == nil {
			continue
		}
		ia, err := s.newInboundAuth(ctx, u.ns, u.auth)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		u.handler = ia.wrap(u.handler, s.refusedSpan(u.typ))
	}
	if len(errs) > 0 {
		return joinErrors(errs)
	}
	for _, u := range s.units {
		if u.stdio || u.handler == nil {
			continue
		}
		ln, err := net.Listen("tcp", net.JoinHostPort(u.host, strconv.Itoa(u.port)))
		if err != nil {
			for _, v := range s.units {
				if v.ln != nil {
					v.ln.Close()
					v.ln = nil
				}
			}
			return &spec.Error{Kind: spec.KindSpec, Msg: fmt.Sprintf("%s adapter %s: cannot listen: %v", u.typ, u.ns, err), Err: err}
		}
		u.ln = ln
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.cancel = cancel
	s.errc = make(chan error, len(s.units))
	s.started = time.Now()
	for _, u := range s.units {
		if u.stdio {
			s.stdioCh = make(chan struct{})
			u.state = "UP"
			s.wg.Add(1)
			go func(u *unit) {
				defer s.wg.Done()
				defer close(s.stdioCh)
				err := u.mcp.Run(runCtx, stdioTransport(readCloser(s.cfg.stdin), s.cfg.stdout))
				if err != nil && runCtx.Err() == nil && !errors.Is(err, io.EOF) {
					s.log.Error("mcp stdio session ended", "error", err)
					// A transport error is a failure: Run returns it, the
					// CLI exits non-zero.
					s.errc <- fmt.Errorf("mcp stdio: %w", err)
				}
			}(u)
			continue
		}
		if u.ln == nil {
			continue
		}
		u.srv = &http.Server{
			Handler:           u.handler,
			ReadHeaderTimeout: 30 * time.Second,
			BaseContext:       func(net.Listener) context.Context { return runCtx },
			ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		}
		u.state = "UP"
		s.log.Info("serving", "type", u.typ, "namespace", u.ns, "address", u.ln.Addr().String())
		s.wg.Add(1)
		go func(u *unit) {
			defer s.wg.Done()
			if err := u.srv.Serve(u.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				s.errc <- fmt.Errorf("%s adapter %s: %w", u.typ, u.ns, err)
			}
		}(u)
	}
	s.running = true
	s.m.capabilityLive.WithLabelValues(s.cap.Info.Label).Set(1)
	return nil
}

// Addr returns the address an adapter listens on ("host:port"), or "" when
// it is not listening. namespace "" names the first HTTP adapter.
func (s *Server) Addr(namespace string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.units {
		if u.ln != nil && (namespace == "" || u.ns == namespace) {
			return u.ln.Addr().String()
		}
	}
	return ""
}

// Handler returns the HTTP handler of an adapter (REST, MCP over HTTP or
// control), inbound authentication included once started; nil when the
// namespace names no HTTP adapter.
func (s *Server) Handler(namespace string) http.Handler {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.units {
		if u.handler != nil && u.ns == namespace {
			return u.handler
		}
	}
	return nil
}

// MCPServer returns the MCP server of an adapter ("" for the first one,
// or the generated tools), for clients connected in memory; nil when there
// is none.
func (s *Server) MCPServer(namespace string) *mcp.Server {
	for _, u := range s.units {
		if u.mcp != nil && (namespace == "" || u.ns == namespace) {
			return u.mcp
		}
	}
	return nil
}

// Shutdown stops every adapter: listeners close at once, in-flight
// requests finish until ctx is done, then connections are closed. MCP
// sessions are closed so that streams end.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	if !s.running {
		s.mu.Unlock()
		return nil
	}
	s.running = false
	units := s.units
	s.mu.Unlock()
	s.m.capabilityLive.WithLabelValues(s.cap.Info.Label).Set(0)
	var wg sync.WaitGroup
	var firstErr error
	var emu sync.Mutex
	for _, u := range units {
		if u.srv == nil {
			continue
		}
		wg.Add(1)
		go func(u *unit) {
			defer wg.Done()
			if u.mcp != nil {
				for ss := range u.mcp.Sessions() {
					ss.Close()
				}
			}
			if err := u.srv.Shutdown(ctx); err != nil {
				u.srv.Close()
				emu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				emu.Unlock()
			}
			s.mu.Lock()
			u.state = "DOWN"
			s.mu.Unlock()
		}(u)
	}
	wg.Wait()
	s.cancel()
	s.client.CloseIdleConnections()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		// The stdio loop may be blocked reading a stream that cannot be
		// interrupted; the process is about to exit.
	}
	return firstErr
}

// Run starts the server and serves until ctx is cancelled (SIGINT or
// SIGTERM in the CLI), a listener fails, or, when serving only MCP on
// stdio, the client closes the stream; then it shuts down gracefully
// within the shutdown timeout (10s).
func (s *Server) Run(ctx context.Context) error {
	if err := s.Start(ctx); err != nil {
		return err
	}
	var runErr error
	var stdioDone <-chan struct{}
	if s.cfg.mcpStdio {
		stdioDone = s.stdioCh
	}
	select {
	case <-ctx.Done():
	case runErr = <-s.errc:
	case <-stdioDone:
		select {
		case runErr = <-s.errc: // the stdio session failed
		default:
		}
	}
	s.log.Info("shutting down", "drain", s.cfg.shutdown.String())
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.shutdown)
	defer cancel()
	if err := s.Shutdown(sctx); err != nil && runErr == nil {
		s.log.Warn("shutdown did not drain in time", "error", err)
	}
	if runErr != nil {
		return &spec.Error{Kind: spec.KindInternal, Msg: runErr.Error(), Err: runErr}
	}
	return nil
}

func joinErrors(errs []error) error {
	if len(errs) == 1 {
		return errs[0]
	}
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return &spec.Error{Kind: spec.KindSpec, Msg: strings.Join(msgs, "; "), Err: errors.Join(errs...)}
}

// readCloser returns r as an io.ReadCloser; closing a non-closer is a
// no-op, and os.Stdin is never closed.
func readCloser(r io.Reader) io.ReadCloser {
	if rc, ok := r.(io.ReadCloser); ok && r != io.Reader(os.Stdin) {
		return rc
	}
	return io.NopCloser(r)
}

type writeCloser struct{ io.Writer }

// minLevel drops records below a level.
type minLevel struct {
	slog.Handler
	min slog.Level
}

// Enabled implements slog.Handler.
func (h minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

// WithAttrs implements slog.Handler.
func (h minLevel) WithAttrs(as []slog.Attr) slog.Handler {
	return minLevel{h.Handler.WithAttrs(as), h.min}
}

// WithGroup implements slog.Handler.
func (h minLevel) WithGroup(name string) slog.Handler {
	return minLevel{h.Handler.WithGroup(name), h.min}
}

// Close does nothing: the stream belongs to the caller.
func (writeCloser) Close() error { return nil }
