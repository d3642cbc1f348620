package engine

import (
	"context"
	"net/http"
	"testing"

	"github.com/naftiko/naftiko/spec"
)

// TestRedirectLoopIsNotRetried: a redirect loop stops after maxRedirects
// hops with a transport error that says so, and the GET is not retried
// (a retry would loop again), although retries are allowed.
func TestRedirectLoopIsNotRetried(t *testing.T) {
	c := loadFile(t, clerkFile)
	u := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Path, http.StatusFound)
	})
	e := newEngine(t, c, u, WithLookup(env(clerkEnv)), WithRetries(2))
	var attempts, hops int
	var last RedirectHop
	ctx := WithCallTrace(context.Background(), &CallTrace{
		AttemptStart: func(AttemptStart) { attempts++ },
		RedirectHop: func(h RedirectHop) {
			if hops++; h.Stopped != (hops == 10) {
				t.Errorf("hop %d: Stopped = %v", hops, h.Stopped)
			}
			last = h
		},
	})
	_, err := e.Call(ctx, "InstanceGetOrganizationMemberships", nil)
	se := wantErr(t, err, KindTransport, "transport: InstanceGetOrganizationMemberships: request failed: stopped after 10 redirects")
	if se.Hint != "the upstream redirects in a loop or through too many hops" || se.Remedy != spec.RemedyHops {
		t.Errorf("hint = %q", se.Hint)
	}
	if len(u.requests()) != 10 || attempts != 1 || hops != 10 {
		t.Errorf("%d requests, %d attempts, %d hops; want 10 requests answered by a redirect, 1 attempt, 9 hops followed and the 10th reported stopped", len(u.requests()), attempts, hops)
	}
	if last.Hop != 10 || last.Status != 302 || last.To != u.URL+"/organization_memberships" || last.Operation != "InstanceGetOrganizationMemberships" {
		t.Errorf("last hop %+v", last)
	}
}
