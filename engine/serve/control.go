package serve

import (
	"context"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/naftiko/naftiko/spec"
	"github.com/naftiko/naftiko/spec/jsonv"
)

// newControl builds the handler of a control adapter (SPEC.md §11.5).
func (s *Server) newControl(x *spec.Expose) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health/live", func(w http.ResponseWriter, r *http.Request) {
		o := &jsonv.Object{}
		o.Set("status", "UP")
		writeJSON(w, http.StatusOK, o)
	})
	mux.HandleFunc("GET /health/ready", func(w http.ResponseWriter, r *http.Request) {
		status, body := s.readiness(r.Context())
		writeJSON(w, status, body)
	})
	mux.Handle("GET /metrics", s.m.handler())
	if x.Management != nil && x.Management.Info {
		mux.HandleFunc("GET /status", func(w http.ResponseWriter, r *http.Request) {
			capObj := &jsonv.Object{}
			capObj.Set("label", s.cap.Info.Label)
			capObj.Set("specVersion", s.cap.Version)
			eng := &jsonv.Object{}
			eng.Set("version", s.cfg.version)
			o := &jsonv.Object{}
			o.Set("capability", capObj)
			o.Set("engine", eng)
			o.Set("uptime", time.Since(s.started).Round(time.Second).String())
			o.Set("adapters", s.adapterStates())
			writeJSON(w, http.StatusOK, o)
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, errorBody("usage", "no control endpoint at "+r.URL.Path,
			"use /health/live, /health/ready or /metrics"))
	})
	return mux
}

func (s *Server) adapterStates() []any {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]any, 0, len(s.units))
	for _, u := range s.units {
		o := &jsonv.Object{}
		o.Set("type", u.typ)
		o.Set("namespace", u.ns)
		if u.ln != nil {
			if ta, ok := u.ln.Addr().(*net.TCPAddr); ok {
				o.Set("port", ta.Port)
			}
		}
		state := u.state
		if state == "" {
			state = "DOWN"
		}
		o.Set("state", state)
		out = append(out, o)
	}
	return out
}

// readiness reports 200 UP when every adapter is started and every bound
// variable a served element needs resolves; else 503 DEGRADED with the
// names (never the values) of the unbound variables.
func (s *Server) readiness(ctx context.Context) (int, any) {
	adapters := s.adapterStates()
	up := true
	for _, a := range adapters {
		if st, _ := a.(*jsonv.Object).Get("state"); st != "UP" {
			up = false
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var unbound []string
	for _, name := range s.neededVars() {
		var err error
		if ns, v, ok := strings.Cut(name, "."); ok {
			_, err = s.binds.NSVar(ctx, ns, v)
		} else {
			_, err = s.binds.Var(ctx, name)
		}
		if err != nil {
			unbound = append(unbound, name)
		}
	}
	o := &jsonv.Object{}
	status := http.StatusOK
	if up && len(unbound) == 0 {
		o.Set("status", "UP")
	} else {
		o.Set("status", "DEGRADED")
		status = http.StatusServiceUnavailable
	}
	o.Set("adapters", adapters)
	if len(unbound) > 0 {
		o.Set("unbound", unbound)
	}
	return status, o
}

// neededVars lists the bound variables that the consumes adapters of
// served elements reference in their authentication, baseUri and headers,
// and that inbound authentication references.
func (s *Server) neededVars() []string {
	var names []string
	add := func(t *spec.Template) {
		if t == nil {
			return
		}
		for _, n := range t.Names() {
			known := s.binds.Has(n)
			if ns, _, ok := strings.Cut(n, "."); ok && s.binds.HasNamespace(ns) {
				known = true
			}
			if known && !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	addAuth := func(a *spec.Auth) {
		if a == nil {
			return
		}
		add(a.Token)
		add(a.Username)
		add(a.Password)
		for _, c := range a.Credentials {
			add(c.Value)
		}
		for _, t := range a.Fields {
			add(t)
		}
	}
	for _, a := range s.cap.Consumes {
		if a.Shadowed {
			continue
		}
		addAuth(a.Auth)
		add(a.BaseURI)
		for _, h := range a.Headers {
			add(h.Value)
		}
	}
	for _, u := range s.units {
		addAuth(u.auth)
	}
	return names
}
