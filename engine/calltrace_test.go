package engine

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

const traceDoc = `naftiko: 1.0.0-alpha2
binds:
- namespace: env
  keys: {KEY: API_KEY}
capability:
  consumes:
  - type: http
    namespace: a
    baseUri: https://a.example.com
    authentication: {type: apikey, key: api_key, value: '{{KEY}}', placement: query}
    resources:
    - {name: r, path: /r, operations: [{name: get, inputParameters: [{name: q, in: query}]}, {name: post, method: POST}]}
`

// recorder turns every hook call into one line.
type recorder struct {
	mu    sync.Mutex
	lines []string
	durs  []time.Duration
}

func (r *recorder) add(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, fmt.Sprintf(format, args...))
}

func (r *recorder) trace(prefix string) *CallTrace {
	return &CallTrace{
		AttemptStart: func(s AttemptStart) {
			r.add("%sstart %s %d/%d %s %s", prefix, s.Operation, s.Attempt, s.Attempts, s.Method, s.URL)
		},
		AttemptDone: func(d AttemptDone) {
			r.add("%sdone %s %d/%d %s %s status=%d err=%v", prefix, d.Operation, d.Attempt, d.Attempts, d.Method, d.URL, d.Status, d.Err)
			r.mu.Lock()
			r.durs = append(r.durs, d.Duration)
			r.mu.Unlock()
		},
		Retry: func(x Retry) {
			r.add("%sretry %s %d/%d status=%d reason=%q wait=%s", prefix, x.Operation, x.Attempt, x.Attempts, x.Status, x.Reason, x.Wait)
		},
		RedirectHop: func(h RedirectHop) {
			r.add("%shop %s #%d %d %s -> %s", prefix, h.Operation, h.Hop, h.Status, h.From, h.To)
		},
	}
}

func (r *recorder) text() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.lines, "\n")
}

func TestCallTraceAttemptsRetriesAndRedirects(t *testing.T) {
	c := parse(t, traceDoc)
	vars := env(map[string]string{"API_KEY": "sekret-key-1"})
	n := 0
	u := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/r":
			// The redirect echoes the key: it must not reach the hooks.
			http.Redirect(w, r, "/moved?"+r.URL.RawQuery, http.StatusFound)
		case "/moved":
			n++
			if n == 1 {
				w.Header().Set("Retry-After", "2")
				jsonAnswer(503, `{"echo":"sekret-key-1"}`)(w, r)
				return
			}
			jsonAnswer(200, `{}`)(w, r)
		}
	})
	e := newEngine(t, c, u, WithLookup(vars))
	var rec recorder
	ctx := WithCallTrace(context.Background(), rec.trace(""))
	if _, err := e.Call(ctx, "get", map[string]any{"q": "x y"}); err != nil {
		t.Fatal(err)
	}
	want := strings.ReplaceAll(`start get 1/3 GET URL/r?q=x%20y&api_key=****
hop get #1 302 URL/r?q=x%20y&api_key=**** -> URL/moved?q=x%20y&api_key=****
done get 1/3 GET URL/r?q=x%20y&api_key=**** status=503 err=upstream: get: upstream answered 503 Service Unavailable
retry get 2/3 status=503 reason="503 Service Unavailable" wait=2s
start get 2/3 GET URL/r?q=x%20y&api_key=****
hop get #1 302 URL/r?q=x%20y&api_key=**** -> URL/moved?q=x%20y&api_key=****
done get 2/3 GET URL/r?q=x%20y&api_key=**** status=200 err=<nil>`, "URL", u.URL)
	if got := rec.text(); got != want {
		t.Errorf("hooks:\n%s\nwant:\n%s", got, want)
	}
	for i, d := range rec.durs {
		if d <= 0 {
			t.Errorf("attempt %d: duration %v", i+1, d)
		}
	}
}

func TestCallTraceNetworkErrorAndErrorsAreSafe(t *testing.T) {
	c := parse(t, traceDoc)
	vars := env(map[string]string{"API_KEY": "sekret-key-1"})
	t.Run("network error retried with backoff", func(t *testing.T) {
		u := newUpstream(t, jsonAnswer(200, `{}`))
		e := newEngine(t, c, u, WithLookup(vars), WithRetries(1))
		e.jitter = func(n time.Duration) time.Duration { return n }
		u.Close()
		var rec recorder
		_, err := e.Call(WithCallTrace(context.Background(), rec.trace("")), "get", nil)
		if err == nil {
			t.Fatal("no error")
		}
		host := strings.TrimPrefix(u.URL, "http://")
		reason := "request failed: dial tcp " + host + ": connect: connection refused"
		want := strings.ReplaceAll(`start get 1/2 GET URL/r?api_key=****
done get 1/2 GET URL/r?api_key=**** status=0 err=transport: get: REASON
retry get 2/2 status=0 reason="REASON" wait=500ms
start get 2/2 GET URL/r?api_key=****
done get 2/2 GET URL/r?api_key=**** status=0 err=transport: get: REASON`, "URL", u.URL)
		want = strings.ReplaceAll(want, "REASON", reason)
		if got := rec.text(); got != want {
			t.Errorf("hooks:\n%s\nwant:\n%s", got, want)
		}
	})
	t.Run("POST: one attempt, upstream error without body or header", func(t *testing.T) {
		u := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Echo", r.URL.Query().Get("api_key"))
			jsonAnswer(503, `{"echo":"`+r.URL.Query().Get("api_key")+`"}`)(w, r)
		})
		e := newEngine(t, c, u, WithLookup(vars))
		var errs []error
		ctx := WithCallTrace(context.Background(), &CallTrace{AttemptDone: func(d AttemptDone) { errs = append(errs, d.Err) }})
		if _, err := e.Call(ctx, "post", nil); err == nil {
			t.Fatal("no error")
		}
		if len(errs) != 1 {
			t.Fatalf("%d attempts reported", len(errs))
		}
		se := errs[0].(interface{ Error() string })
		if se.Error() != "upstream: post: upstream answered 503 Service Unavailable" {
			t.Errorf("err = %q", se.Error())
		}
		got := errs[0].(*Error)
		if got.Status != 503 || got.Header != nil || got.Body != nil || got.Raw != nil || got.Err != nil {
			t.Errorf("err carries %d %v %v %q %v", got.Status, got.Header, got.Body, got.Raw, got.Err)
		}
	})
}

func TestCallTraceComposesAndURLsLoseUserinfo(t *testing.T) {
	c := parse(t, traceDoc)
	u := newUpstream(t, jsonAnswer(200, `{}`))
	e := newEngine(t, c, u, WithLookup(env(map[string]string{"API_KEY": "sekret-key-1"})), WithBaseURI("", strings.Replace(u.URL, "http://", "http://ann:pw@", 1)))
	var rec recorder
	ctx := WithCallTrace(context.Background(), rec.trace("outer "))
	ctx = WithCallTrace(ctx, &CallTrace{AttemptStart: func(s AttemptStart) { rec.add("inner start %s", s.URL) }})
	ctx = WithCallTrace(ctx, nil)
	if _, err := e.Call(ctx, "get", nil); err != nil {
		t.Fatal(err)
	}
	want := strings.ReplaceAll(`inner start URL/r?api_key=****
outer start get 1/3 GET URL/r?api_key=****
outer done get 1/3 GET URL/r?api_key=**** status=200 err=<nil>`, "URL", u.URL)
	if got := rec.text(); got != want {
		t.Errorf("hooks:\n%s\nwant:\n%s", got, want)
	}
	if CallTraceFrom(context.Background()) != nil {
		t.Error("CallTraceFrom of an empty context is not nil")
	}
}
