package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/naftiko/naftiko/binder"
	"github.com/naftiko/naftiko/engine"
	"github.com/naftiko/naftiko/engine/serve"
	"github.com/naftiko/naftiko/spec"
)

// serveFlags holds the flags of "naftiko serve".
type serveFlags struct {
	mcpStdio  bool
	mcpHTTP   string
	writes    bool
	maxResult byteSize
	address   string
	ports     []string
	headers   []string
	baseURIs  []string
	envFiles  []string
	verbose   bool
	timeout   time.Duration
	retries   int
	origins   []string
}

const serveLong = `Serve the exposes adapters of a capability: REST APIs, MCP servers for AI
agents (streamable HTTP or stdio), skill catalogs (GET /skills, /skills/NAME
and their files) and the control adapter (/health/live, /health/ready,
/metrics), each on the address and port the document declares (--port
NAMESPACE=PORT moves one; 0 picks a free port, logged at start).

  --mcp-stdio            serve only MCP, on stdin/stdout (for an agent that
                         starts naftiko itself); logs go to stderr.
  --mcp-http ADDR        serve only MCP, over streamable HTTP at ADDR
                         (":9090" means 127.0.0.1:9090), on /mcp and /.
With either flag, the tools are those of the document's first MCP adapter, or,
when it has none, one tool per consumed GET or HEAD operation (every method
with --writes).

Every adapter binds to 127.0.0.1 unless the document says otherwise or
--address is given: a served capability spends the credentials it binds.
Inbound authentication declared on an adapter (bearer, apikey, basic) is
enforced. SIGINT or SIGTERM stops the server after in-flight requests finish
(at most 10 seconds).

Upstream calls share the flags of "naftiko run": --base-uri, --env-file,
-H, --timeout, --retries, -v.`

const serveExample = `  # An MCP server on stdio for an agent (tools generated from the operations).
  naftiko serve capabilities/clerk/organization-memberships.yaml --mcp-stdio

  # The same over streamable HTTP, write operations included.
  naftiko serve capabilities/clerk/organization-memberships.yaml --mcp-http 127.0.0.1:9090 --writes

  # Every adapter the document declares (REST, MCP, control), against a local mock.
  naftiko serve capability.yaml --base-uri http://localhost:8080 --env-file .env`

// newServeCmd builds "naftiko serve".
func (a *app) newServeCmd() *cobra.Command {
	f := &serveFlags{maxResult: byteSize(serve.DefaultMaxResult)}
	cmd := &cobra.Command{
		Use:     "serve FILE [--mcp-stdio | --mcp-http ADDR]",
		Short:   "Serve a capability as REST APIs and MCP servers",
		Long:    serveLong,
		Example: serveExample,
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case len(args) == 0:
				return &spec.Error{Kind: spec.KindUsage, Msg: "serve needs a capability FILE",
					Hint: "naftiko serve FILE [--mcp-stdio | --mcp-http ADDR]"}
			case len(args) > 1:
				return &spec.Error{Kind: spec.KindUsage, Msg: fmt.Sprintf("unexpected argument %q after the file", args[1])}
			}
			return nil
		},
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return []string{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.serve(cmd.Context(), args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.SortFlags = false
	fl.BoolVar(&f.mcpStdio, "mcp-stdio", false, "serve only MCP, on stdin/stdout")
	fl.StringVar(&f.mcpHTTP, "mcp-http", "", "serve only MCP, over streamable HTTP at `ADDR` (host:port or :port)")
	fl.BoolVar(&f.writes, "writes", false, "generate MCP tools for every method, not only GET and HEAD")
	fl.Var(&f.maxResult, "mcp-max-result", "truncate MCP tool results longer than `SIZE`")
	fl.StringArrayVar(&f.origins, "mcp-allow-origin", nil, "let browser pages on `ORIGIN` (scheme://host[:port], or *) call MCP over HTTP (repeatable; default: the server's own origin only)")
	fl.StringVar(&f.address, "address", "", "bind every adapter to `HOST` (default: the document's address, else 127.0.0.1)")
	fl.StringArrayVar(&f.ports, "port", nil, "serve the adapter of a namespace on another port: `NAMESPACE=PORT`, 0 for a free one (repeatable)")
	fl.StringArrayVar(&f.baseURIs, "base-uri", nil, "replace the baseUri: `URL` for every adapter or NAMESPACE=URL for one (repeatable)")
	fl.StringArrayVar(&f.envFiles, "env-file", nil, "read environment variables from a dotenv `PATH` first (repeatable; later files win)")
	fl.StringArrayVarP(&f.headers, "header", "H", nil, "add a header `'Name: value'` to every upstream request (value is a {{VAR}} template)")
	fl.DurationVar(&f.timeout, "timeout", engine.DefaultTimeout, "time allowed to each upstream attempt, a `DURATION` such as 500ms or 30s")
	fl.IntVar(&f.retries, "retries", engine.DefaultRetries, "retry a GET or HEAD up to `N` times after a network error or a 429, 502, 503 or 504")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "log every request and upstream exchange, and every load warning, on stderr")
	_ = cmd.RegisterFlagCompletionFunc("base-uri", a.completeBaseURI)
	_ = cmd.RegisterFlagCompletionFunc("port", a.completePort)
	for _, n := range []string{"mcp-http", "mcp-max-result", "mcp-allow-origin", "address", "header", "timeout", "retries"} {
		_ = cmd.RegisterFlagCompletionFunc(n, cobra.NoFileCompletions)
	}
	return cmd
}

// serve implements "naftiko serve FILE".
func (a *app) serve(ctx context.Context, file string, f *serveFlags) error {
	if f.mcpStdio && f.mcpHTTP != "" {
		return usageErrorf("--mcp-stdio and --mcp-http cannot be used together")
	}
	if f.timeout <= 0 {
		return usageErrorf("--timeout %s: must be positive", f.timeout)
	}
	if f.retries < 0 {
		return usageErrorf("--retries %d: must be 0 or more", f.retries)
	}
	if file == "-" && f.mcpStdio {
		return usageErrorf("--mcp-stdio reads requests from stdin; the capability cannot be read from stdin too")
	}
	level := slog.LevelInfo
	if f.verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: level}))
	opts := []serve.Option{
		serve.WithLogger(logger),
		serve.WithVersion(versionString()),
		serve.WithTimeout(f.timeout),
		serve.WithRetries(f.retries),
		serve.WithWrites(f.writes),
		serve.WithMaxResult(int(f.maxResult)),
		serve.WithAddress(f.address),
		serve.WithMCPAllowedOrigins(f.origins...),
	}
	if len(f.ports) > 0 && (f.mcpStdio || f.mcpHTTP != "") {
		e := usageErrorf("--port applies to the document's adapters, not to --mcp-stdio or --mcp-http")
		e.Hint = "--mcp-http takes MCP's address itself: --mcp-http 127.0.0.1:9090"
		return e
	}
	for _, p := range f.ports {
		ns, port, err := parsePortFlag(p)
		if err != nil {
			return err
		}
		opts = append(opts, serve.WithPort(ns, port))
	}
	err := eachUpstreamFlag(f.headers, f.baseURIs,
		func(name, value string) { opts = append(opts, serve.WithHeader(name, value)) },
		func(ns, uri string) { opts = append(opts, serve.WithBaseURI(ns, uri)) })
	if err != nil {
		return err
	}
	if len(f.envFiles) > 0 {
		lookup, err := binder.EnvFiles(ctx, f.envFiles, os.LookupEnv)
		if err != nil {
			return envFileError(err)
		}
		opts = append(opts, serve.WithLookup(lookup))
	}
	for scheme, p := range a.providers {
		opts = append(opts, serve.WithEngineOptions(engine.WithBindProvider(scheme, p)))
	}
	if f.verbose {
		opts = append(opts, serve.WithEngineOptions(engine.WithTrace(a.stderr), engine.WithLogger(logger)))
	}
	switch {
	case f.mcpStdio:
		opts = append(opts, serve.WithMCPStdio())
	case f.mcpHTTP != "":
		opts = append(opts, serve.WithMCPHTTP(f.mcpHTTP))
	}
	opts = append(opts, serve.WithStdio(a.stdin.r, a.stdout))

	c, err := a.load(ctx, file)
	if err != nil {
		return err
	}
	if f.verbose {
		a.printWarnings(c, spec.OpRef{}, true)
	}
	tr, err := startTracing(ctx, c, true)
	if err != nil {
		return err
	}
	if tr != nil {
		defer flush(tr)
		opts = append(opts, serve.WithTracerProvider(tr.Provider), serve.WithPropagator(tr.Propagator))
	}
	s, err := serve.New(c, opts...)
	if err != nil {
		return err
	}
	return s.Run(ctx)
}

// parsePortFlag reads a --port value, NAMESPACE=PORT.
func parsePortFlag(v string) (string, int, error) {
	ns, p, ok := strings.Cut(v, "=")
	n, err := strconv.Atoi(strings.TrimSpace(p))
	if !ok || strings.TrimSpace(ns) == "" || err != nil || n < 0 || n > 65535 {
		e := usageErrorf("--port %q: want NAMESPACE=PORT, a port from 0 to 65535", v)
		e.Hint = "--port shipyard-tools=3101 serves that adapter on 3101; --port shipyard-tools=0 on a free port, logged at start"
		return "", 0, e
	}
	return strings.TrimSpace(ns), n, nil
}
