package binder

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/naftiko/naftiko/spec"
)

// bind builds a binding; keys alternate variable name and provider key.
func bind(ns, location string, keys ...string) *spec.Bind {
	b := &spec.Bind{Namespace: ns, Location: location}
	for i := 0; i+1 < len(keys); i += 2 {
		b.Keys = append(b.Keys, spec.BindKey{Var: keys[i], Key: keys[i+1]})
	}
	return b
}

// countingLookup is a LookupFunc over env that counts calls per key.
type countingLookup struct {
	env   map[string]string
	mu    sync.Mutex
	calls map[string]int
}

func newLookup(kv ...string) *countingLookup {
	l := &countingLookup{env: map[string]string{}, calls: map[string]int{}}
	for i := 0; i+1 < len(kv); i += 2 {
		l.env[kv[i]] = kv[i+1]
	}
	return l
}

func (l *countingLookup) Lookup(key string) (string, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls[key]++
	v, ok := l.env[key]
	return v, ok
}

func (l *countingLookup) count(key string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.calls[key]
}

// bindingError asserts that err is a *spec.Error of kind KindBinding with
// the given message and, when hint is not "-", hint.
func bindingError(t *testing.T, err error, msg, hint string) {
	t.Helper()
	var se *spec.Error
	if !errors.As(err, &se) {
		t.Fatalf("err = %v (%T), want *spec.Error", err, err)
	}
	if se.Kind != spec.KindBinding {
		t.Errorf("Kind = %v, want binding", se.Kind)
	}
	if se.Msg != msg {
		t.Errorf("Msg = %q\nwant  %q", se.Msg, msg)
	}
	if hint != "-" && se.Hint != hint {
		t.Errorf("Hint = %q\nwant   %q", se.Hint, hint)
	}
}

// unsetError checks the error of an unset variable: no hint of its own, the
// provider key to set and the key-file remedy, for each caller to word.
func unsetError(t *testing.T, err error, msg, key string) {
	t.Helper()
	bindingError(t, err, msg, "")
	se := spec.AsError(err)
	if strings.Join(se.Env, ",") != key || se.Remedy != spec.RemedyKeyFile {
		t.Errorf("Env = %q, Remedy = %d, want [%s] and the key-file remedy", se.Env, se.Remedy, key)
	}
}

func TestVarFromEnvironment(t *testing.T) {
	ctx := context.Background()
	l := newLookup("CLERK_SECRET_KEY", "sk_test_abcdef", "EMPTY", "", "PROVIDER_KEY", "pk_value_123")
	b := New([]*spec.Bind{
		bind("env", "", "CLERK_SECRET_KEY", "CLERK_SECRET_KEY", "EMPTY", "EMPTY", "RENAMED", "PROVIDER_KEY"),
	}, "", WithLookup(l.Lookup))

	v, err := b.Var(ctx, "CLERK_SECRET_KEY")
	if err != nil || v.Reveal() != "sk_test_abcdef" || !v.IsSecret() {
		t.Fatalf("Var = %v (%q), %v", v, v.Reveal(), err)
	}
	if got := b.Redactor().Redact("Bearer sk_test_abcdef"); got != "Bearer ****" {
		t.Errorf("resolved value not registered: %q", got)
	}
	// An empty value is a value.
	if v, err := b.Var(ctx, "EMPTY"); err != nil || v.Reveal() != "" || !v.IsSecret() {
		t.Errorf("EMPTY = %#v, %v", v, err)
	}
	// The provider key, not the variable name, is looked up.
	if v, err := b.Var(ctx, "RENAMED"); err != nil || v.Reveal() != "pk_value_123" {
		t.Errorf("RENAMED = %q, %v", v.Reveal(), err)
	}
	if l.count("RENAMED") != 0 {
		t.Error("the variable name was looked up instead of the provider key")
	}
}

func TestVarUnsetEnvironment(t *testing.T) {
	ctx := context.Background()
	b := New([]*spec.Bind{
		bind("env", "", "CLERK_SECRET_KEY", "CLERK_SECRET_KEY"),
		bind("creds", "", "TOKEN", "GITHUB_TOKEN"),
	}, "", WithLookup(newLookup().Lookup))

	_, err := b.Var(ctx, "CLERK_SECRET_KEY")
	unsetError(t, err, `variable CLERK_SECRET_KEY (binds namespace "env") is not set`, "CLERK_SECRET_KEY")
	_, err = b.Var(ctx, "TOKEN")
	unsetError(t, err, `variable TOKEN (binds namespace "creds", key GITHUB_TOKEN) is not set`, "GITHUB_TOKEN")
	_, err = b.Var(ctx, "NOPE")
	bindingError(t, err, "variable NOPE is not declared by any binding", "-")
}

func TestLazy(t *testing.T) {
	l := newLookup("A", "value-a")
	b := New([]*spec.Bind{
		bind("env", "", "A", "A", "B", "B"),
		bind("files", "file://./missing.json", "C", "C"),
		bind("vault", "vault://kv/app", "D", "D"),
	}, t.TempDir(), WithLookup(l.Lookup))
	if len(l.calls) != 0 {
		t.Fatalf("New looked up %v", l.calls)
	}
	// A variable that resolves works even though every other one fails.
	if v, err := b.Var(context.Background(), "A"); err != nil || v.Reveal() != "value-a" {
		t.Fatalf("A = %q, %v", v.Reveal(), err)
	}
	if l.count("B") != 0 {
		t.Error("B was looked up before being asked for")
	}
}

func TestLaterBindingWins(t *testing.T) {
	ctx := context.Background()
	l := newLookup("FIRST_KEY", "first-value", "SECOND_KEY", "second-value")
	b := New([]*spec.Bind{
		bind("one", "", "TOKEN", "FIRST_KEY", "OTHER", "FIRST_KEY"),
		bind("two", "", "TOKEN", "SECOND_KEY"),
	}, "", WithLookup(l.Lookup))

	if v, _ := b.Var(ctx, "TOKEN"); v.Reveal() != "second-value" {
		t.Errorf("Var(TOKEN) = %q, want the later binding's", v.Reveal())
	}
	// The earlier binding stays reachable through its namespace.
	if v, _ := b.NSVar(ctx, "one", "TOKEN"); v.Reveal() != "first-value" {
		t.Errorf("NSVar(one, TOKEN) = %q", v.Reveal())
	}
	if v, _ := b.NSVar(ctx, "two", "TOKEN"); v.Reveal() != "second-value" {
		t.Errorf("NSVar(two, TOKEN) = %q", v.Reveal())
	}
	want := []Variable{
		{Name: "TOKEN", Key: "SECOND_KEY", Namespace: "two"},
		{Name: "OTHER", Key: "FIRST_KEY", Namespace: "one"},
	}
	if got := b.Variables(); !slices.Equal(got, want) {
		t.Errorf("Variables = %+v, want %+v", got, want)
	}
	if !b.Has("TOKEN") || !b.Has("OTHER") || b.Has("NOPE") {
		t.Error("Has")
	}
	if !b.HasNamespace("one") || b.HasNamespace("env") {
		t.Error("HasNamespace")
	}
	if !b.Declares("one", "OTHER") || b.Declares("two", "OTHER") || b.Declares("nope", "TOKEN") {
		t.Error("Declares")
	}
}

func TestNSVar(t *testing.T) {
	ctx := context.Background()
	l := newLookup("HOME_DIR", "/home/me", "BOUND_KEY", "bound-value", "SHADOWED", "from-env")
	b := New([]*spec.Bind{
		bind("env", "", "SHADOWED", "BOUND_KEY"),
		bind("creds", "", "TOKEN", "BOUND_KEY"),
	}, "", WithLookup(l.Lookup))

	// env.VAR falls back to the environment when no env binding declares VAR.
	v, err := b.NSVar(ctx, "env", "HOME_DIR")
	if err != nil || v.Reveal() != "/home/me" || !v.IsSecret() {
		t.Fatalf("NSVar(env, HOME_DIR) = %q, %v", v.Reveal(), err)
	}
	if b.Redactor().Redact("cd /home/me") != "cd ****" {
		t.Error("env fallback value not registered with the redactor")
	}
	// A binding named env that declares VAR wins over the environment.
	if v, _ := b.NSVar(ctx, "env", "SHADOWED"); v.Reveal() != "bound-value" {
		t.Errorf("NSVar(env, SHADOWED) = %q, want the binding's", v.Reveal())
	}
	if v, _ := b.NSVar(ctx, "creds", "TOKEN"); v.Reveal() != "bound-value" {
		t.Errorf("NSVar(creds, TOKEN) = %q", v.Reveal())
	}
	if v, ok := b.Env("HOME_DIR"); !ok || v.Reveal() != "/home/me" || !v.IsSecret() {
		t.Errorf("Env(HOME_DIR) = %q, %t", v.Reveal(), ok)
	}
	if _, ok := b.Env("UNSET"); ok {
		t.Error("Env(UNSET) found")
	}

	_, err = b.NSVar(ctx, "env", "UNSET")
	unsetError(t, err, "environment variable UNSET is not set", "UNSET")
	_, err = b.NSVar(ctx, "creds", "OTHER")
	bindingError(t, err, `variable OTHER is not declared by binds namespace "creds"`, "-")
	_, err = b.NSVar(ctx, "nope", "TOKEN")
	bindingError(t, err, "variable nope.TOKEN is not declared by any binding", "-")
	// {{creds.HOME_DIR}} never reads the environment.
	if _, err := b.NSVar(ctx, "creds", "HOME_DIR"); err == nil {
		t.Error("NSVar(creds, HOME_DIR) read the environment")
	}
}

func TestMissingProvider(t *testing.T) {
	b := New([]*spec.Bind{bind("secrets", "vault://kv/data/app", "TOKEN", "token")}, "")
	_, err := b.Var(context.Background(), "TOKEN")
	bindingError(t, err,
		"binds namespace `secrets` uses location `vault://kv/data/app`; naftiko has no provider for scheme `vault`: register one through the Go API, or use `file://` or the environment",
		"")
}

func TestNotAURI(t *testing.T) {
	b := New([]*spec.Bind{bind("secrets", "./secrets.env", "TOKEN", "token")}, "")
	_, err := b.Var(context.Background(), "TOKEN")
	bindingError(t, err,
		"binds namespace `secrets` uses location `./secrets.env`, which is not a URI",
		"write location: file://./secrets.env for a key file, or leave location out for the environment")
}

// fakeProvider serves keys of one location, counting calls.
type fakeProvider struct {
	values map[string]string
	delay  time.Duration
	fail   atomic.Int32 // fail this many calls first
	calls  atomic.Int32
	mu     sync.Mutex
	seen   []string
}

func (p *fakeProvider) Lookup(ctx context.Context, location, key string) (string, bool, error) {
	p.calls.Add(1)
	p.mu.Lock()
	p.seen = append(p.seen, location+"#"+key)
	p.mu.Unlock()
	if p.delay > 0 {
		select {
		case <-time.After(p.delay):
		case <-ctx.Done():
			return "", false, ctx.Err()
		}
	}
	if p.fail.Add(-1) >= 0 {
		return "", false, errors.New("vault sealed")
	}
	v, ok := p.values[key]
	return v, ok, nil
}

func TestProvider(t *testing.T) {
	ctx := context.Background()
	p := &fakeProvider{values: map[string]string{"api/token": "vault-secret-value"}}
	b := New([]*spec.Bind{bind("secrets", "Vault://kv/app", "TOKEN", "api/token", "GONE", "api/gone")}, "",
		WithProvider("vault", p))

	v, err := b.Var(ctx, "TOKEN")
	if err != nil || v.Reveal() != "vault-secret-value" || !v.IsSecret() {
		t.Fatalf("Var(TOKEN) = %q, %v", v.Reveal(), err)
	}
	if p.seen[0] != "Vault://kv/app#api/token" {
		t.Errorf("provider saw %q", p.seen[0])
	}
	if got := b.Redactor().Redact("x vault-secret-value"); got != "x ****" {
		t.Errorf("Redact = %q", got)
	}
	_, err = b.Var(ctx, "GONE")
	bindingError(t, err, "key `api/gone` not found at Vault://kv/app (binds namespace `secrets`)", "-")

	// A failing provider is a binding error; the failure is not cached.
	p2 := &fakeProvider{values: map[string]string{"k": "value-after-retry"}}
	p2.fail.Store(1)
	b = New([]*spec.Bind{bind("secrets", "vault://kv/app", "K", "k")}, "", WithProvider("vault://", p2))
	_, err = b.Var(ctx, "K")
	bindingError(t, err, "looking up key `k` at vault://kv/app (binds namespace `secrets`) failed: vault sealed", "-")
	if v, err := b.Var(ctx, "K"); err != nil || v.Reveal() != "value-after-retry" {
		t.Errorf("retry: %q, %v", v.Reveal(), err)
	}
	if v, err := b.Var(ctx, "K"); err != nil || v.Reveal() != "value-after-retry" || p2.calls.Load() != 2 {
		t.Errorf("cached: %q, %v, %d calls", v.Reveal(), err, p2.calls.Load())
	}
}

func TestProviderCancelled(t *testing.T) {
	p := &fakeProvider{values: map[string]string{"k": "value"}, delay: time.Hour}
	b := New([]*spec.Bind{bind("secrets", "vault://kv/app", "K", "k")}, "", WithProvider("vault", p))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err := b.Var(ctx, "K")
	var se *spec.Error
	if !errors.As(err, &se) || se.Kind != spec.KindTransport || !se.Timeout || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %#v", err)
	}
	if want := `resolving variable K (binds namespace "secrets"): context deadline exceeded`; se.Msg != want {
		t.Errorf("Msg = %q", se.Msg)
	}
}

func TestResolveOnceConcurrently(t *testing.T) {
	l := newLookup("ENV_KEY", "env-value-1")
	p := &fakeProvider{values: map[string]string{"pk": "provider-value"}, delay: 20 * time.Millisecond}
	dir := t.TempDir()
	writeFile(t, dir, "keys.json", `{"F1": "file-value-1", "F2": "file-value-2"}`)
	b := New([]*spec.Bind{
		bind("env", "", "E", "ENV_KEY"),
		bind("vault", "vault://x", "P", "pk"),
		bind("files", "file://keys.json", "F1", "F1", "F2", "F2"),
	}, dir, WithLookup(l.Lookup), WithProvider("vault", p))

	want := map[string]string{"E": "env-value-1", "P": "provider-value", "F1": "file-value-1", "F2": "file-value-2"}
	var wg sync.WaitGroup
	errs := make(chan error, 50*4*2)
	for range 50 {
		for name, w := range want {
			wg.Add(2)
			go func() {
				defer wg.Done()
				if v, err := b.Var(context.Background(), name); err != nil || v.Reveal() != w {
					errs <- fmt.Errorf("Var(%s) = %q, %v", name, v.Reveal(), err)
				}
			}()
			go func() {
				defer wg.Done()
				ns := map[string]string{"E": "env", "P": "vault", "F1": "files", "F2": "files"}[name]
				if v, err := b.NSVar(context.Background(), ns, name); err != nil || v.Reveal() != w {
					errs <- fmt.Errorf("NSVar(%s, %s) = %q, %v", ns, name, v.Reveal(), err)
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := l.count("ENV_KEY"); n != 1 {
		t.Errorf("lookup called %d times, want 1", n)
	}
	if n := p.calls.Load(); n != 1 {
		t.Errorf("provider called %d times, want 1", n)
	}
	red := b.Redactor().Redact("env-value-1 provider-value file-value-1 file-value-2")
	if red != "**** **** **** ****" {
		t.Errorf("Redact = %q", red)
	}
}

func TestWaiterContext(t *testing.T) {
	p := &fakeProvider{values: map[string]string{"k": "slow-value"}, delay: 200 * time.Millisecond}
	b := New([]*spec.Bind{bind("v", "vault://x", "K", "k")}, "", WithProvider("vault", p))
	done := make(chan error, 1)
	go func() {
		_, err := b.Var(context.Background(), "K")
		done <- err
	}()
	for p.calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	// A second caller waiting for the same resolution gives up with its
	// own context, leaving the first one alone.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := b.Var(ctx, "K"); !errors.Is(err, context.Canceled) {
		t.Errorf("waiter err = %v", err)
	}
	if err := <-done; err != nil {
		t.Errorf("first caller: %v", err)
	}
	if v, err := b.Var(context.Background(), "K"); err != nil || v.Reveal() != "slow-value" || p.calls.Load() != 1 {
		t.Errorf("after: %q, %v, %d calls", v.Reveal(), err, p.calls.Load())
	}
}

func TestWithRedactor(t *testing.T) {
	var shared Redactor
	shared.Add("already-known")
	b := New([]*spec.Bind{bind("env", "", "A", "A")}, "",
		WithLookup(newLookup("A", "new-secret-a").Lookup), WithRedactor(&shared))
	if b.Redactor() != &shared {
		t.Fatal("Redactor is not the one given")
	}
	if _, err := b.Var(context.Background(), "A"); err != nil {
		t.Fatal(err)
	}
	if got := shared.Redact("already-known new-secret-a"); got != "**** ****" {
		t.Errorf("Redact = %q", got)
	}
}

func TestErrorsNeverHoldValues(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "bad.json", `{"A": "sk_live_leaky" "B": 1}`)
	writeFile(t, dir, "bad.env", "A=ok\nsk_live_leaky\n")
	writeFile(t, dir, "bad.yaml", "A: sk_live_leaky\n  B: [\n")
	b := New([]*spec.Bind{
		bind("j", "file://bad.json", "JA", "A"),
		bind("e", "file://bad.env", "EA", "A"),
		bind("y", "file://bad.yaml", "YA", "A"),
	}, dir)
	for _, name := range []string{"JA", "EA", "YA"} {
		_, err := b.Var(context.Background(), name)
		var se *spec.Error
		if !errors.As(err, &se) || se.Kind != spec.KindBinding {
			t.Fatalf("%s: err = %v", name, err)
		}
		if strings.Contains(se.Msg+se.Hint+se.Error(), "leaky") {
			t.Errorf("%s: error holds a value: %s / %s", name, se.Msg, se.Hint)
		}
	}
}
