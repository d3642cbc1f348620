package serve

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/naftiko/naftiko/engine"
	"github.com/naftiko/naftiko/spec"
)

// notifier tells the MCP client what one tool call does while it runs:
// notifications/message at the client's log level (every upstream
// attempt, retry and redirect, and the end of the call) and, when the
// request carries a progress token, notifications/progress (one step per
// finished attempt). Everything it sends comes from the engine's
// CallTrace, whose URLs and errors are already redacted; the server's
// redactor runs over each text once more.
type notifier struct {
	s     *Server
	ctx   context.Context
	ss    *mcp.ServerSession
	tool  string
	token any

	mu       sync.Mutex
	progress float64
}

// newNotifier returns the notifier of a tool call, or nil when the call
// has no session to notify (a direct handler call).
func (s *Server) newNotifier(ctx context.Context, req *mcp.CallToolRequest, tool string) *notifier {
	if req == nil || req.Session == nil {
		return nil
	}
	n := &notifier{s: s, ctx: ctx, ss: req.Session, tool: tool}
	if req.Params != nil {
		n.token = req.Params.GetProgressToken()
	}
	return n
}

// trace attaches the notifier's hooks to ctx.
func (n *notifier) trace(ctx context.Context) context.Context {
	if n == nil {
		return ctx
	}
	return engine.WithCallTrace(ctx, &engine.CallTrace{
		AttemptStart: func(a engine.AttemptStart) {
			n.log(mcp.LoggingLevel("info"), fmt.Sprintf("%s %s (attempt %d of %d)", a.Method, a.URL, a.Attempt, a.Attempts),
				map[string]any{"operation": a.Operation, "attempt": a.Attempt})
		},
		AttemptDone: func(d engine.AttemptDone) {
			level, msg := mcp.LoggingLevel("info"), fmt.Sprintf("%s %s: %d %s in %s", d.Method, d.URL, d.Status, http.StatusText(d.Status), roundDuration(d.Duration))
			if d.Err != nil {
				level, msg = "warning", fmt.Sprintf("%s %s failed in %s: %v", d.Method, d.URL, roundDuration(d.Duration), d.Err)
			}
			fields := map[string]any{"operation": d.Operation, "attempt": d.Attempt}
			if d.Status != 0 {
				fields["status"] = d.Status
			}
			n.log(level, msg, fields)
			n.step(msg)
		},
		Retry: func(r engine.Retry) {
			n.log("warning", fmt.Sprintf("retrying %s in %s (attempt %d of %d): %s", r.Operation, roundDuration(r.Wait), r.Attempt, r.Attempts, r.Reason),
				map[string]any{"operation": r.Operation, "attempt": r.Attempt})
		},
		RedirectHop: func(h engine.RedirectHop) {
			n.log("info", fmt.Sprintf("%d redirect from %s to %s", h.Status, h.From, h.To), map[string]any{"operation": h.Operation, "status": h.Status})
		},
	})
}

// started announces the call.
func (n *notifier) started() {
	if n == nil {
		return
	}
	n.log("info", "tool "+n.tool+" started", nil)
	n.notifyProgress("tool "+n.tool+" started", false)
}

// finished announces the end of the call: its outcome and duration.
func (n *notifier) finished(err error, d time.Duration) {
	if n == nil {
		return
	}
	msg := fmt.Sprintf("tool %s finished in %s", n.tool, roundDuration(d))
	level := mcp.LoggingLevel("info")
	if err != nil {
		level, msg = "error", fmt.Sprintf("tool %s failed in %s: %s", n.tool, roundDuration(d), spec.AsError(err).Error())
	}
	n.log(level, msg, nil)
	n.mu.Lock()
	n.progress++
	n.mu.Unlock()
	n.notifyProgress(msg, true)
}

// log sends one notifications/message; the SDK drops it below the
// client's level.
func (n *notifier) log(level mcp.LoggingLevel, msg string, fields map[string]any) {
	data := map[string]any{"message": n.s.redact(msg), "tool": n.tool}
	for k, v := range fields {
		data[k] = v
	}
	// A client that went away is no reason to fail the call.
	_ = n.ss.Log(n.ctx, &mcp.LoggingMessageParams{Level: level, Logger: "naftiko", Data: data})
}

// step counts one finished unit of work and reports it.
func (n *notifier) step(msg string) {
	n.mu.Lock()
	n.progress++
	n.mu.Unlock()
	n.notifyProgress(msg, false)
}

// notifyProgress sends notifications/progress when the client asked for
// it; the last one carries total = progress.
func (n *notifier) notifyProgress(msg string, last bool) {
	if n.token == nil {
		return
	}
	n.mu.Lock()
	p := &mcp.ProgressNotificationParams{ProgressToken: n.token, Progress: n.progress, Message: n.s.redact(msg)}
	if last {
		p.Total = n.progress
	}
	n.mu.Unlock()
	_ = n.ss.NotifyProgress(n.ctx, p)
}

// roundDuration rounds d for a message: microseconds below a
// millisecond, milliseconds below a second.
func roundDuration(d time.Duration) time.Duration {
	switch {
	case d < time.Millisecond:
		return d.Round(time.Microsecond)
	case d < time.Second:
		return d.Round(time.Millisecond)
	}
	return d.Round(10 * time.Millisecond)
}

// defaultLogLevel sets a new session's log level to info once it is
// initialized. The go-sdk sends no notifications/message until the client
// calls logging/setLevel; the specification lets the server choose what to
// send until then, and info is what the SDK itself uses for sessionless
// requests. A client's logging/setLevel replaces it.
func defaultLogLevel(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		res, err := next(ctx, method, req)
		if err == nil && method == "initialize" {
			if ss, ok := req.GetSession().(*mcp.ServerSession); ok {
				_, _ = next(ctx, "logging/setLevel", &mcp.ServerRequest[*mcp.SetLoggingLevelParams]{Session: ss, Params: &mcp.SetLoggingLevelParams{Level: "info"}})
			}
		}
		return res, err
	}
}
