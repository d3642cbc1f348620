package binder

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/naftiko/naftiko/spec"
)

// LookupFunc looks a key up in the process environment or a stand-in for
// it, such as EnvFiles. It has the signature of os.LookupEnv.
type LookupFunc func(key string) (string, bool)

// Provider resolves keys for bind locations of one scheme, such as
// vault://. Lookup returns ok == false when the location holds no such
// key, and an error when it could not tell. A Provider is called
// concurrently and at most once per bound variable that resolves.
type Provider interface {
	Lookup(ctx context.Context, location, key string) (value string, ok bool, err error)
}

// Option configures a Binder.
type Option func(*Binder)

// WithLookup sets how the environment is read (bindings without a
// location, env.VAR, Env). The default is os.LookupEnv; nil keeps it.
func WithLookup(f LookupFunc) Option {
	return func(b *Binder) {
		if f != nil {
			b.lookup = f
		}
	}
}

// WithProvider registers p for locations of the given scheme ("vault",
// matched ignoring case; a trailing "://" is ignored). A nil p removes the
// scheme's provider.
func WithProvider(scheme string, p Provider) Option {
	return func(b *Binder) {
		s := strings.ToLower(strings.TrimSuffix(scheme, "://"))
		if p == nil {
			delete(b.providers, s)
			return
		}
		b.providers[s] = p
	}
}

// WithRedactor sets the redactor every resolved value is registered with.
// By default a Binder has a new Redactor of its own.
func WithRedactor(r *Redactor) Option {
	return func(b *Binder) {
		if r != nil {
			b.red = r
		}
	}
}

// Variable describes one declared bound variable.
type Variable struct {
	// Name is the variable name templates use.
	Name string
	// Key is the provider key looked up in the source.
	Key string
	// Namespace is the declaring binding's namespace.
	Namespace string
	// Location is the binding's location as written; "" for the
	// environment.
	Location string
}

// binding is one declared variable and its cached resolution.
type binding struct {
	Variable

	mu     sync.Mutex
	ok     bool // val is resolved
	val    Value
	flight *flight // the resolution under way, if any
}

// flight is one resolution of a binding that concurrent callers share.
type flight struct {
	done chan struct{}
	val  Value
	err  error
}

type envResult struct {
	val Value
	ok  bool
}

// Binder resolves the variables declared by a document's binds (SPEC.md
// §4). Resolution is lazy and cached: nothing is read until a variable is
// asked for, each variable is resolved once (concurrent callers share the
// resolution; a failed one is retried on the next call), and each key file
// is read at most once. A Binder is safe for concurrent use.
type Binder struct {
	dir       string
	lookup    LookupFunc
	providers map[string]Provider
	red       *Redactor

	vars  map[string]*binding            // by name; the later declaration
	byNS  map[string]map[string]*binding // by namespace, then name
	order []*binding                     // for Variables

	filesMu sync.Mutex
	files   map[string]func() (*keyFile, *keyFileError)

	envMu sync.Mutex
	env   map[string]envResult
}

// New returns a Binder for binds. dir is the directory of the capability
// file, against which relative file:// locations resolve. New reads
// nothing.
func New(binds []*spec.Bind, dir string, opts ...Option) *Binder {
	b := &Binder{
		dir:       dir,
		lookup:    os.LookupEnv,
		providers: map[string]Provider{},
		vars:      map[string]*binding{},
		byNS:      map[string]map[string]*binding{},
		files:     map[string]func() (*keyFile, *keyFileError){},
		env:       map[string]envResult{},
	}
	for _, o := range opts {
		o(b)
	}
	if b.red == nil {
		b.red = new(Redactor)
	}
	pos := map[string]int{}
	for _, bd := range binds {
		if bd == nil {
			continue
		}
		ns := b.byNS[bd.Namespace]
		if ns == nil {
			ns = map[string]*binding{}
			b.byNS[bd.Namespace] = ns
		}
		for _, k := range bd.Keys {
			key := k.Key
			if key == "" {
				key = k.Var
			}
			v := &binding{Variable: Variable{Name: k.Var, Key: key, Namespace: bd.Namespace, Location: bd.Location}}
			b.vars[k.Var] = v
			ns[k.Var] = v
			if i, ok := pos[k.Var]; ok {
				b.order[i] = v
			} else {
				pos[k.Var] = len(b.order)
				b.order = append(b.order, v)
			}
		}
	}
	return b
}

// Redactor returns the redactor every resolved value is registered with.
func (b *Binder) Redactor() *Redactor { return b.red }

// Has reports whether some binding declares variable.
func (b *Binder) Has(variable string) bool {
	_, ok := b.vars[variable]
	return ok
}

// HasNamespace reports whether some binding has namespace ns.
func (b *Binder) HasNamespace(ns string) bool {
	_, ok := b.byNS[ns]
	return ok
}

// Source tells where the value of a placeholder comes from: a variable
// (VAR) or a namespaced one (ns.VAR) some binding declares, or an
// environment variable read through {{env.NAME}} (Key NAME, no
// Location). ok is false when nothing declares the name.
func (b *Binder) Source(name string) (v Variable, ok bool) {
	if d, found := b.vars[name]; found {
		return d.Variable, true
	}
	ns, variable, dotted := strings.Cut(name, ".")
	if !dotted {
		return Variable{}, false
	}
	if d, found := b.byNS[ns][variable]; found {
		return d.Variable, true
	}
	if ns == "env" {
		return Variable{Name: name, Key: variable, Namespace: "env"}, true
	}
	return Variable{}, false
}

// Declares reports whether a binding of namespace ns declares variable.
// It does not consider the env fallback of NSVar.
func (b *Binder) Declares(ns, variable string) bool {
	_, ok := b.byNS[ns][variable]
	return ok
}

// Variables returns the declared variables in document order. When two
// bindings declare one variable, the later declaration is listed, at the
// position of the first.
func (b *Binder) Variables() []Variable {
	out := make([]Variable, len(b.order))
	for i, v := range b.order {
		out[i] = v.Variable
	}
	return out
}

// Var resolves a bound variable by name ({{VAR}}); when two bindings
// declare it, the later one wins. The value is a secret, registered with
// the redactor. Errors are *spec.Error of kind KindBinding, except when ctx
// ends first.
func (b *Binder) Var(ctx context.Context, variable string) (Value, error) {
	v, ok := b.vars[variable]
	if !ok {
		return Value{}, &spec.Error{
			Kind: spec.KindBinding,
			Msg:  fmt.Sprintf("variable %s is not declared by any binding", variable),
			Hint: "declare it under binds",
		}
	}
	return b.get(ctx, v)
}

// NSVar resolves {{ns.VAR}}: the variable declared by the binding of
// namespace ns. For ns "env", when no binding named env declares it, the
// environment variable of that name is read through the lookup (SPEC.md
// §4.4). The value is a secret, registered with the redactor.
func (b *Binder) NSVar(ctx context.Context, ns, variable string) (Value, error) {
	if v, ok := b.byNS[ns][variable]; ok {
		return b.get(ctx, v)
	}
	if ns == "env" {
		if v, ok := b.Env(variable); ok {
			return v, nil
		}
		return Value{}, &spec.Error{
			Kind:   spec.KindBinding,
			Msg:    fmt.Sprintf("environment variable %s is not set", variable),
			Env:    []string{variable},
			Remedy: spec.RemedyKeyFile,
		}
	}
	msg := fmt.Sprintf("variable %s.%s is not declared by any binding", ns, variable)
	if b.HasNamespace(ns) {
		msg = fmt.Sprintf("variable %s is not declared by binds namespace %q", variable, ns)
	}
	return Value{}, &spec.Error{Kind: spec.KindBinding, Msg: msg, Hint: "declare it under binds"}
}

// Env reads the environment variable name through the lookup. A value
// found is a secret, registered with the redactor. Results are cached.
func (b *Binder) Env(name string) (Value, bool) {
	b.envMu.Lock()
	defer b.envMu.Unlock()
	if r, ok := b.env[name]; ok {
		return r.val, r.ok
	}
	s, ok := b.lookup(name)
	r := envResult{ok: ok}
	if ok {
		b.red.Add(s)
		r.val = Secret(s)
	}
	b.env[name] = r
	return r.val, r.ok
}

// Preload resolves, ignoring failures, every variable whose source is
// local (the environment or a key file), so that the redactor knows their
// values before a message that may quote one is printed: an argument
// equal to a secret, rejected before the secret was needed (SPEC.md
// §13.3). Provider-backed variables, which may need the network, are left
// to lazy resolution. Resolved values are cached as by Var.
func (b *Binder) Preload(ctx context.Context) {
	for _, v := range b.order {
		loc := strings.ToLower(v.Location)
		if loc == "" || strings.HasPrefix(loc, "file://") {
			_, _ = b.get(ctx, v)
		}
	}
}

// get returns v's cached value or resolves it, sharing one resolution
// among concurrent callers.
func (b *Binder) get(ctx context.Context, v *binding) (Value, error) {
	for {
		v.mu.Lock()
		if v.ok {
			val := v.val
			v.mu.Unlock()
			return val, nil
		}
		if f := v.flight; f != nil {
			v.mu.Unlock()
			select {
			case <-f.done:
			case <-ctx.Done():
				return Value{}, ctxError(ctx.Err(), v)
			}
			if f.err != nil && ctx.Err() == nil && isCtxErr(f.err) {
				continue // the resolving caller gave up; this one has not
			}
			return f.val, f.err
		}
		f := &flight{done: make(chan struct{})}
		v.flight = f
		v.mu.Unlock()
		b.fly(ctx, v, f)
		return f.val, f.err
	}
}

func (b *Binder) fly(ctx context.Context, v *binding, f *flight) {
	// Should resolve panic, waiters see this error rather than a value.
	f.err = &spec.Error{Kind: spec.KindInternal, Msg: fmt.Sprintf("resolving variable %s failed", v.Name)}
	defer func() {
		v.mu.Lock()
		if f.err == nil {
			v.val, v.ok = f.val, true
		}
		v.flight = nil
		v.mu.Unlock()
		close(f.done)
	}()
	f.val, f.err = b.resolve(ctx, v)
}

// resolve reads v from its source.
func (b *Binder) resolve(ctx context.Context, v *binding) (Value, error) {
	loc := v.Location
	if loc == "" {
		val, ok := b.Env(v.Key)
		if !ok {
			return Value{}, b.unsetEnv(v)
		}
		return val, nil
	}
	scheme, rest, ok := strings.Cut(loc, "://")
	if !ok || scheme == "" {
		return Value{}, &spec.Error{
			Kind: spec.KindBinding,
			Msg:  fmt.Sprintf("binds namespace `%s` uses location `%s`, which is not a URI", v.Namespace, loc),
			Hint: fmt.Sprintf("write location: file://%s for a key file, or leave location out for the environment", loc),
		}
	}
	scheme = strings.ToLower(scheme)
	if scheme == "file" {
		return b.fromFile(v, rest)
	}
	p, ok := b.providers[scheme]
	if !ok {
		return Value{}, &spec.Error{
			Kind: spec.KindBinding,
			Msg: fmt.Sprintf("binds namespace `%s` uses location `%s`; naftiko has no provider for scheme `%s`: "+
				"register one through the Go API, or use `file://` or the environment", v.Namespace, loc, scheme),
		}
	}
	s, found, err := p.Lookup(ctx, loc, v.Key)
	switch {
	case err != nil && isCtxErr(err):
		return Value{}, ctxError(err, v)
	case err != nil:
		return Value{}, &spec.Error{
			Kind: spec.KindBinding,
			Msg:  fmt.Sprintf("looking up key `%s` at %s (binds namespace `%s`) failed: %v", v.Key, loc, v.Namespace, err),
			Err:  err,
		}
	case !found:
		return Value{}, &spec.Error{
			Kind: spec.KindBinding,
			Msg:  fmt.Sprintf("key `%s` not found at %s (binds namespace `%s`)", v.Key, loc, v.Namespace),
		}
	}
	b.red.Add(s)
	return Secret(s), nil
}

func (b *Binder) unsetEnv(v *binding) error {
	msg := fmt.Sprintf("variable %s (binds namespace %q) is not set", v.Name, v.Namespace)
	if v.Key != v.Name {
		msg = fmt.Sprintf("variable %s (binds namespace %q, key %s) is not set", v.Name, v.Namespace, v.Key)
	}
	return &spec.Error{Kind: spec.KindBinding, Msg: msg, Env: []string{v.Key}, Remedy: spec.RemedyKeyFile}
}

// keyFilePath resolves the text after file:// (SPEC.md §4.2): "./…",
// "/./…" and any path not starting with "/" are relative to dir.
func (b *Binder) keyFilePath(p string) string {
	if strings.HasPrefix(p, "/./") {
		p = p[1:]
	}
	fp := filepath.FromSlash(p)
	if strings.HasPrefix(p, "/") || filepath.IsAbs(fp) {
		return filepath.Clean(fp)
	}
	return filepath.Join(b.dir, fp)
}

// fromFile resolves v from the key file written as p.
func (b *Binder) fromFile(v *binding, p string) (Value, error) {
	path := b.keyFilePath(p)
	b.filesMu.Lock()
	load, ok := b.files[path]
	if !ok {
		load = sync.OnceValues(func() (*keyFile, *keyFileError) { return readKeyFile(path) })
		b.files[path] = load
	}
	b.filesMu.Unlock()

	kf, ferr := load()
	if ferr != nil {
		e := &spec.Error{Kind: spec.KindBinding, Err: ferr.err}
		if ferr.read {
			e.Msg = fmt.Sprintf("cannot read key file %s (binds namespace `%s`): %s", p, v.Namespace, ferr.reason)
			e.Hint = fmt.Sprintf("it was looked for at %s; relative locations resolve against the capability file's directory", path)
		} else {
			e.Msg = fmt.Sprintf("cannot parse key file %s as %s (binds namespace `%s`): %s", p, ferr.format, v.Namespace, ferr.reason)
			e.Hint = "the format follows the file name: .env → dotenv, .yaml/.yml → YAML, anything else → JSON; the root must be a mapping"
		}
		return Value{}, e
	}
	s, ok := kf.values[v.Key]
	if !ok {
		e := &spec.Error{
			Kind: spec.KindBinding,
			Msg:  fmt.Sprintf("key `%s` not found in %s (binds namespace `%s`)", v.Key, p, v.Namespace),
			Hint: fmt.Sprintf("add a top-level key %s to %s", v.Key, path),
		}
		if kf.nulls[v.Key] {
			e.Msg = fmt.Sprintf("key `%s` in %s (binds namespace `%s`) is null", v.Key, p, v.Namespace)
			e.Hint = fmt.Sprintf("give key %s a value in %s", v.Key, path)
		}
		return Value{}, e
	}
	b.red.Add(s)
	return Secret(s), nil
}

func isCtxErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// ctxError reports a resolution abandoned because its context ended, as
// a transport error like any other cancellation (SPEC.md §10).
func ctxError(err error, v *binding) error {
	return &spec.Error{
		Kind:    spec.KindTransport,
		Msg:     fmt.Sprintf("resolving variable %s (binds namespace %q): %v", v.Name, v.Namespace, err),
		Timeout: errors.Is(err, context.DeadlineExceeded),
		Err:     err,
	}
}
