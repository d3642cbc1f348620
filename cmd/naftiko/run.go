package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/naftiko/naftiko/binder"
	"github.com/naftiko/naftiko/engine"
	"github.com/naftiko/naftiko/engine/telemetry"
	"github.com/naftiko/naftiko/spec"
	"github.com/naftiko/naftiko/spec/program"
)

// runFlags holds the flags of "naftiko run".
type runFlags struct {
	params   []string
	body     string
	headers  []string
	baseURIs []string
	envFiles []string
	dryRun   bool
	curl     bool
	strict   bool
	verbose  bool
	output   string
	timeout  time.Duration
	retries  int
	maxResp  byteSize
}

const runLong = `Call one consumed operation of a capability and print its result on stdout.

OPERATION is the operation's name (ListOrganizationMemberships), or
NAMESPACE.NAME or NAMESPACE.RESOURCE.NAME when the name alone is ambiguous;
"naftiko ops FILE" lists them. "naftiko run FILE OPERATION --help" lists the
operation's inputs.

Input values:
  --param NAME=VALUE     one input; repeat it for arrays (--param id=a --param id=b).
                         The value is split at the first "=" and never at commas.
  --param NAME=@path     read the value from a file.
  --param NAME=-         read the value from stdin (also NAME=@-).
  --param NAME=@@text    a value starting with "@" (here "@text").
  --body @file|-|text    send exactly this request body instead of building one.
Values are converted by the input's declared type (integer, number, boolean,
array, object); an object or array may be given as JSON text. stdin can feed
only one of them.

Headers, addresses and secrets:
  -H 'Name: value'       add a header over every other source; the value is a
                         template, so -H 'Authorization: Bearer {{CLERK_SECRET_KEY}}'
                         uses a bound secret. -H 'Name:' removes a header.
  --base-uri URL         send to URL instead of every adapter's baseUri;
  --base-uri NS=URL      or only for the adapter of namespace NS.
  --env-file PATH        read variables from a dotenv file before the environment
                         (repeatable; later files win).
Secrets are read only when a call needs them and are printed as ****.

Output:
  The result is printed as JSON (indented on a terminal, compact otherwise),
  as YAML with -o yaml, or as the response body exactly as received with -o raw.
  --dry-run prints the request instead of sending it; --curl prints it as a
  curl command. -v prints the request and response headers on stderr.

Exit status:
  0 success; 1 network, output or internal error; 2 usage, document, binding or
  request error; 4 the upstream answered 4xx; 5 the upstream answered 5xx;
  130 interrupted. On a 4xx or 5xx answer, the error body is printed on stdout
  and a one-line summary on stderr.`

const runExample = `  # Call an operation; repeat --param for an array input.
  naftiko run capabilities/clerk/organization-memberships.yaml ListOrganizationMemberships \
      --param organization_id=org_2RwC6 --param user_id=user_a --param user_id=user_b \
      --param order_by=+created_at

  # See the inputs of the operation.
  naftiko run capabilities/clerk/organization-memberships.yaml ListOrganizationMemberships --help

  # Print the request instead of sending it.
  naftiko run capabilities/clerk/organization-memberships.yaml ListOrganizationMemberships \
      --param organization_id=org_2RwC6 --dry-run

  # Send a JSON body read from a file, with the secret from a dotenv file.
  naftiko run capabilities/clerk/organization-memberships.yaml CreateOrganizationMembership \
      --param organization_id=org_2RwC6 --param body=@membership.json --env-file .env

  # Call a local mock of the API and print the result as YAML.
  naftiko run capabilities/clerk/organization-memberships.yaml ListOrganizationMemberships \
      --param organization_id=org_2RwC6 --base-uri http://localhost:8080 -o yaml`

// newRunCmd builds "naftiko run".
func (a *app) newRunCmd() *cobra.Command {
	f := &runFlags{maxResp: byteSize(engine.DefaultMaxResponseSize)}
	cmd := &cobra.Command{
		Use:               "run FILE OPERATION [--param NAME=VALUE]...",
		Short:             "Call one operation of a capability and print its result",
		Long:              runLong,
		Example:           runExample,
		Args:              runArgs,
		ValidArgsFunction: a.completeRunArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.run(cmd.Context(), cmd, args, f)
		},
	}
	fl := cmd.Flags()
	fl.SortFlags = false
	fl.StringArrayVarP(&f.params, "param", "p", nil, "input `NAME=VALUE` (repeatable; VALUE may be @path, - for stdin, or @@text for a literal @)")
	fl.StringVar(&f.body, "body", "", "send `BODY` as the request body: @path, - for stdin, or the text itself")
	fl.StringArrayVarP(&f.headers, "header", "H", nil, "extra header `'Name: value'` (repeatable; value is a {{VAR}} template; 'Name:' removes it)")
	fl.StringArrayVar(&f.baseURIs, "base-uri", nil, "replace the baseUri: `URL` for every adapter or NAMESPACE=URL for one (repeatable)")
	fl.StringArrayVar(&f.envFiles, "env-file", nil, "read environment variables from a dotenv `PATH` first (repeatable; later files win)")
	fl.StringVarP(&f.output, "output", "o", "json", "print the result as `FORMAT`: json, yaml, or raw (the body as received)")
	fl.BoolVar(&f.dryRun, "dry-run", false, "print the request that would be sent and send nothing")
	fl.BoolVar(&f.curl, "curl", false, "print the request as a curl command and send nothing")
	fl.BoolVar(&f.strict, "strict", false, "fail instead of warning when a --param value would not be sent (a path input missing from the path)")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "print request and response headers and every load warning on stderr")
	fl.DurationVar(&f.timeout, "timeout", engine.DefaultTimeout, "time allowed to each attempt, a `DURATION` such as 500ms, 30s or 2m")
	fl.IntVar(&f.retries, "retries", engine.DefaultRetries, "retry a GET or HEAD up to `N` times after a network error or a 429, 502, 503 or 504")
	fl.Var(&f.maxResp, "max-response-size", "largest response body read, a `SIZE` in bytes such as 1048576 or 64MiB")

	_ = cmd.RegisterFlagCompletionFunc("param", a.completeParam)
	_ = cmd.RegisterFlagCompletionFunc("body", a.completeBody)
	_ = cmd.RegisterFlagCompletionFunc("base-uri", a.completeBaseURI)
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(outputFormats, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("header", cobra.NoFileCompletions)
	_ = cmd.RegisterFlagCompletionFunc("timeout", cobra.NoFileCompletions)
	_ = cmd.RegisterFlagCompletionFunc("retries", cobra.NoFileCompletions)
	_ = cmd.RegisterFlagCompletionFunc("max-response-size", cobra.NoFileCompletions)

	defaultHelp := cmd.HelpFunc()
	cmd.SetHelpFunc(func(c *cobra.Command, args []string) {
		a.runHelp(c, defaultHelp)
	})
	return cmd
}

// runArgs checks the positional arguments of "naftiko run".
func runArgs(cmd *cobra.Command, args []string) error {
	switch {
	case len(args) == 0:
		return &spec.Error{Kind: spec.KindUsage,
			Msg:  "run needs a capability FILE and an OPERATION",
			Hint: "naftiko run FILE OPERATION [--param NAME=VALUE]...; list the operations with 'naftiko ops FILE'"}
	case len(args) == 1:
		return &spec.Error{Kind: spec.KindUsage,
			Msg:  "run needs the OPERATION to call after " + args[0],
			Hint: "list the operations with 'naftiko ops " + args[0] + "'"}
	case len(args) > 2:
		return &spec.Error{Kind: spec.KindUsage,
			Msg:  fmt.Sprintf("unexpected argument %q after the operation", args[2]),
			Hint: "pass inputs as --param NAME=VALUE"}
	}
	return nil
}

// run implements "naftiko run FILE OPERATION".
func (a *app) run(ctx context.Context, cmd *cobra.Command, args []string, f *runFlags) error {
	file, ref := args[0], args[1]

	// Flag checks that need no file come first.
	if err := checkRunFlags(f); err != nil {
		return err
	}
	opts, envSet, err := a.runEngineOptions(ctx, f)
	if err != nil {
		return err
	}
	raw, err := splitParams(f.params)
	if err != nil {
		return err
	}

	c, err := a.load(ctx, file)
	if err != nil {
		return err
	}
	var tr *telemetry.Tracing
	if !f.dryRun && !f.curl {
		if tr, err = startTracing(ctx, c, false); err != nil {
			return err
		}
		if tr != nil {
			defer flush(tr)
			opts = append(opts, engine.WithTracerProvider(tr.Provider), engine.WithPropagator(tr.Propagator))
		}
	}
	e, err := engine.New(c, opts...)
	if err != nil {
		return err
	}
	op, err := e.Resolve(ref)
	if err != nil {
		return err
	}
	a.printWarnings(c, op.Source, f.verbose)
	if f.verbose {
		a.printLint(e.Program())
	}
	given := make([]string, 0, len(raw))
	for _, p := range raw {
		given = append(given, p.name)
	}
	if err := a.checkCallerInputs(op, cmd.Flags().Changed("body"), given, f.strict); err != nil {
		return err
	}

	// Values are read only once the operation is known, so that a mistyped
	// operation does not wait for stdin.
	params, err := a.readParams(ctx, raw, op.Multipart)
	if err != nil {
		return err
	}
	callOpts, err := a.runCallOptions(ctx, cmd, f, op)
	if err != nil {
		return err
	}

	if f.dryRun || f.curl {
		return a.printRequest(ctx, e, op, ref, params, callOpts, f, envSet)
	}

	if tr != nil {
		var end func(error)
		ctx, end = runSpan(ctx, tr, op)
		defer func() { end(err) }()
	}
	if f.verbose {
		ctx = engine.WithCallTrace(ctx, a.hopTrace())
	}
	start := time.Now()
	res, err := e.CallOp(ctx, op, params, callOpts...)
	a.printStatus(res, err, time.Since(start))
	if err != nil {
		err = asTyped(err, op, ref)
		var se *spec.Error
		if errors.As(err, &se) && se.Kind == spec.KindUpstream {
			a.writeErrorBody(se, f.output)
		}
		return err
	}
	return a.writeResult(res, f.output)
}

// printRequest prints the request a call would send (--dry-run, --curl)
// and sends nothing.
func (a *app) printRequest(ctx context.Context, e *engine.Engine, op *engine.Operation, ref string, params map[string]any,
	callOpts []engine.CallOption, f *runFlags, envSet *binder.EnvFileSet) error {
	p, err := e.Prepare(ctx, op, params, callOpts...)
	if err != nil {
		return asTyped(err, op, ref)
	}
	if !f.curl {
		if err := p.Dump(a.stdout); err != nil {
			return outputError(err)
		}
		return nil
	}
	a.curlPreamble(p, envSet, f.envFiles)
	var b strings.Builder
	if err := p.Curl(&b); err != nil {
		return outputError(err)
	}
	if _, err := io.WriteString(a.stdout, b.String()); err != nil {
		return outputError(err)
	}
	if strings.Contains(b.String(), binder.Mask) {
		a.warnf("--curl: %s stands for a secret the command cannot read from the environment "+
			"(from a key file, a provider or --base-uri, or percent-encoded in the path); put it in before running the command", binder.Mask)
	}
	return nil
}

// checkRunFlags checks the flags of run that need no file.
func checkRunFlags(f *runFlags) error {
	if err := checkOutputFormat(f.output); err != nil {
		return err
	}
	if f.dryRun && f.curl {
		e := usageErrorf("--dry-run and --curl cannot be used together")
		e.Hint = "--dry-run prints the request as HTTP, --curl as a curl command; pick one"
		return e
	}
	if f.timeout <= 0 {
		return usageErrorf("--timeout %s: must be positive", f.timeout)
	}
	if f.retries < 0 {
		return usageErrorf("--retries %d: must be 0 or more", f.retries)
	}
	return nil
}

// runEngineOptions turns the flags of run into engine options; envSet is
// the --env-file set, nil without one.
func (a *app) runEngineOptions(ctx context.Context, f *runFlags) (opts []engine.Option, envSet *binder.EnvFileSet, err error) {
	opts = []engine.Option{
		engine.WithTimeout(f.timeout),
		engine.WithRetries(f.retries),
		engine.WithMaxResponseSize(int64(f.maxResp)),
		engine.WithUserAgent("naftiko/" + versionString()),
	}
	err = eachUpstreamFlag(f.headers, f.baseURIs,
		func(name, value string) { opts = append(opts, engine.WithHeader(name, value)) },
		func(ns, uri string) { opts = append(opts, engine.WithBaseURI(ns, uri)) })
	if err != nil {
		return nil, nil, err
	}
	if len(f.envFiles) > 0 {
		set, err := binder.LoadEnvFiles(ctx, f.envFiles, os.LookupEnv)
		if err != nil {
			return nil, nil, envFileError(err)
		}
		envSet = set
		opts = append(opts, engine.WithLookup(set.Lookup))
	}
	for scheme, p := range a.providers {
		opts = append(opts, engine.WithBindProvider(scheme, p))
	}
	if f.verbose {
		opts = append(opts, engine.WithTrace(a.stderr), engine.WithLogger(verboseLogger(a.stderr)))
	} else {
		opts = append(opts, engine.WithLogger(warnLogger(a.stderr, a.colorOn(a.stderr))))
	}
	return opts, envSet, nil
}

// rawParam is one --param NAME=VALUE as written.
type rawParam struct{ name, value string }

// splitParams splits the --param flags, in order.
func splitParams(flags []string) ([]rawParam, error) {
	var raw []rawParam
	for _, p := range flags {
		name, value, err := splitParam(p)
		if err != nil {
			return nil, err
		}
		raw = append(raw, rawParam{name, value})
	}
	return raw, nil
}

// readParams reads the values of the --param flags (files, stdin; file
// parts of a multipart body stay references); a repeated name makes a
// list.
func (a *app) readParams(ctx context.Context, raw []rawParam, parts map[string]bool) (map[string]any, error) {
	params := map[string]any{}
	for _, p := range raw {
		var v string
		var err error
		if parts[p.name] {
			v, err = a.partValue(ctx, p.name, p.value)
		} else {
			v, err = a.paramValue(ctx, p.name, p.value)
		}
		if err != nil {
			return nil, err
		}
		switch prev := params[p.name].(type) {
		case nil:
			params[p.name] = v
		case string:
			params[p.name] = []string{prev, v}
		case []string:
			params[p.name] = append(prev, v)
		}
	}
	return params, nil
}

// runCallOptions turns --body and the operation's file parts into call
// options.
func (a *app) runCallOptions(ctx context.Context, cmd *cobra.Command, f *runFlags, op *engine.Operation) ([]engine.CallOption, error) {
	var callOpts []engine.CallOption
	if len(op.Multipart) > 0 {
		callOpts = append(callOpts, engine.WithFileParts())
	}
	if cmd.Flags().Changed("body") {
		o, err := a.bodyOption(ctx, f.body)
		if err != nil {
			return nil, err
		}
		callOpts = append(callOpts, o)
	}
	return callOpts, nil
}

// asTyped words an error of a call of op with the reference as the user
// typed it, rather than the operation's shortest reference.
func asTyped(err error, op *engine.Operation, ref string) error {
	if se := spec.AsError(err); se.Ref == op.Ref {
		se.Ref = ref
		return se
	}
	return err
}

// checkCallerInputs refuses a call whose body the caller must supply
// (SPEC.md §6.8: a body with neither data nor in: body inputs) when
// --body is missing, and reports values that would not be sent: an
// in: path input whose placeholder is in no path of the operation is a
// warning, an error under --strict.
func (a *app) checkCallerInputs(op *engine.Operation, hasBody bool, given []string, strict bool) error {
	if t := op.CallerBody; t != "" && !hasBody {
		e := usageErrorf("%s sends a %s body that the file does not describe, and --body is missing", op.Ref, t)
		e.Hint = "supply it with --body @file, --body - or --body TEXT; see naftiko run FILE " + op.Ref + " --help"
		return e
	}
	seen := map[string]bool{}
	for _, name := range given {
		if seen[name] {
			continue
		}
		seen[name] = true
		for _, in := range op.Inputs {
			if in.Name != name || !in.Unsent {
				continue
			}
			msg := fmt.Sprintf("--param %s: the path %s has no {%s} placeholder, so the value is not sent", name, op.Path, name)
			if strict {
				e := usageErrorf("%s", msg)
				e.Hint = "the file declares " + name + " as a path input without using it; drop the --param or fix the path"
				return e
			}
			a.warnf("%s: %s", op.Ref, msg)
		}
	}
	return nil
}

// printLint prints the lint warnings of the document (SPEC.md §3), for -v.
func (a *app) printLint(p *program.Program) {
	for _, d := range p.Lint() {
		if d.Severity == spec.SeverityWarning {
			fmt.Fprintln(a.stderr, d.String())
		}
	}
}

// paramValue reads the value of --param name=value, following @path, -
// and @@ (SPEC.md §6.4).
func (a *app) paramValue(ctx context.Context, name, value string) (string, error) {
	flag := "--param " + name + "=" + value
	switch kind, text := classifyValue(value); kind {
	case fromStdin:
		b, err := a.stdin.read(ctx, flag)
		return string(b), err
	case fromFile:
		return readValueFile(ctx, flag, text)
	default:
		return text, nil
	}
}

// eachUpstreamFlag parses the -H and --base-uri flags shared by run and
// serve, calling header and baseURI for each, in order.
func eachUpstreamFlag(headers, baseURIs []string, header, baseURI func(a, b string)) error {
	for _, h := range headers {
		name, value, err := splitHeader(h)
		if err != nil {
			return err
		}
		header(name, value)
	}
	for _, b := range baseURIs {
		ns, uri, err := parseBaseURI(b)
		if err != nil {
			return err
		}
		baseURI(ns, uri)
	}
	return nil
}

// partValue reads the value of --param name=value for a multipart part:
// @path stays a file reference (checked to exist), streamed by the engine
// as a file part; other forms are read as for any parameter.
func (a *app) partValue(ctx context.Context, name, value string) (string, error) {
	kind, text := classifyValue(value)
	if kind != fromFile {
		return a.paramValue(ctx, name, value)
	}
	flag := "--param " + name + "=" + value
	fi, err := os.Stat(text)
	if err != nil {
		return "", usageErrorf("%s: %v", flag, unwrapPathError(err))
	}
	if fi.IsDir() {
		return "", usageErrorf("%s: %s is a directory", flag, text)
	}
	return "@" + text, nil
}

// bodyOption turns --body into a call option: @path streams the file,
// - reads stdin, anything else is the body text.
func (a *app) bodyOption(ctx context.Context, value string) (engine.CallOption, error) {
	flag := "--body " + value
	switch kind, text := classifyValue(value); kind {
	case fromStdin:
		b, err := a.stdin.read(ctx, flag)
		if err != nil {
			return nil, err
		}
		return engine.WithRawBody(b), nil
	case fromFile:
		if text == "" {
			return nil, usageErrorf("%s: no file name after @", flag)
		}
		fi, err := os.Stat(text)
		if err != nil {
			return nil, usageErrorf("%s: %v", flag, unwrapPathError(err))
		}
		if fi.IsDir() {
			return nil, usageErrorf("%s: %s is a directory", flag, text)
		}
		if !fi.Mode().IsRegular() {
			// A pipe (<(command), a FIFO) or a device is read once, now,
			// as long as ctx lasts: it could be neither reopened for a
			// retry nor opened later without waiting for its writer.
			text, err := readValueFile(ctx, flag, text)
			if err != nil {
				return nil, err
			}
			return engine.WithRawBody([]byte(text)), nil
		}
		return engine.WithBodyFile(text), nil
	default:
		return engine.WithRawBody([]byte(text)), nil
	}
}

// envFileError makes a failure to read --env-file files a usage error.
func envFileError(err error) error {
	var se *spec.Error
	if errors.As(err, &se) {
		if se.Kind == spec.KindInternal {
			se.Kind = spec.KindUsage
		}
		return se
	}
	return usageErrorf("--env-file: %v", unwrapPathError(err))
}

// verboseLogger logs the engine's messages on w without timestamps, so that
// -v output is stable. It stops at Info: the engine's one Debug record, a
// retry, is what hopTrace already prints as "* retry N of M …".
func verboseLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{
		Level: slog.LevelInfo,
		ReplaceAttr: func(groups []string, at slog.Attr) slog.Attr {
			if len(groups) == 0 && at.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return at
		},
	}))
}

// curlPreamble writes, before a --curl command, the lines that give its
// "$VAR" references the values that came from --env-file files: the
// command sources those files (". ./secrets.env"), so it works when pasted
// into a POSIX shell in the same directory, and no secret is printed. A
// value the shell would read differently from naftiko (quotes, $, spaces,
// backslashes) is reported on stderr.
func (a *app) curlPreamble(p *engine.Prepared, set *binder.EnvFileSet, files []string) {
	if set == nil {
		return
	}
	used := map[string][]string{}
	for _, k := range p.EnvVars() {
		if f := set.File(k); f != "" {
			used[f] = append(used[f], k)
			if v, _ := set.Lookup(k); strings.ContainsAny(v, " \t\n\"'$`\\;&|<>()*?[]#!{}~") {
				a.warnf("--curl: the value of %s in %s holds characters a shell reads differently; write it in single quotes in the file", k, f)
			}
		}
	}
	seen := map[string]bool{}
	for _, f := range files {
		if len(used[f]) == 0 || seen[f] {
			continue
		}
		seen[f] = true
		src := f
		if !strings.Contains(src, "/") {
			src = "./" + src
		}
		fmt.Fprintf(a.stdout, ". %s  # sets %s\n", shellWord(src), strings.Join(used[f], ", "))
	}
}

// shellWord quotes s for a POSIX shell when it needs quoting.
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-+:@%=,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// warnLogger prints the engine's warnings on w as "naftiko: warning:
// OPERATION: message" lines ("warning" coloured when color is on), and
// nothing below warning level.
func warnLogger(w io.Writer, color bool) *slog.Logger {
	return slog.New(warnHandler{w: w, prefix: warnPrefix(color)})
}

type warnHandler struct {
	w      io.Writer
	prefix string
	attrs  []slog.Attr
}

func (h warnHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }

func (h warnHandler) Handle(_ context.Context, r slog.Record) error {
	op := ""
	each := func(at slog.Attr) bool {
		if at.Key == "operation" {
			op = at.Value.String() + ": "
		}
		return true
	}
	for _, at := range h.attrs {
		each(at)
	}
	r.Attrs(each)
	_, err := fmt.Fprintf(h.w, "%s%s%s\n", h.prefix, op, r.Message)
	return err
}

func (h warnHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return warnHandler{w: h.w, prefix: h.prefix, attrs: append(slices.Clip(h.attrs), as...)}
}

func (h warnHandler) WithGroup(string) slog.Handler { return h }
