package serve

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// catalog keeps an MCP server's tools, resources, resource templates and
// prompts in the order the author declared them. The SDK lists its
// features sorted by name; catalog answers the four list methods itself
// (a receiving middleware), in declaration order, with cursors of its own.
type catalog struct {
	pageSize  int
	tools     ordered[*mcp.Tool]
	resources ordered[*mcp.Resource]
	templates ordered[*mcp.ResourceTemplate]
	prompts   ordered[*mcp.Prompt]
	// values are the completions of arguments, by "prompt:NAME" or
	// "resource:URI" and argument name.
	values map[string]map[string][]string
	// handlers are the tool handlers by name, for the HTTP fast path.
	handlers map[string]mcp.ToolHandler
	// patterns are the compiled URI templates of templates, by template,
	// for resources/subscribe (none for a file tree's {+path}).
	patterns map[string]*uriPattern
}

// ordered is a list of features in insertion order; adding a feature
// whose key is already listed replaces it in place (the SDK replaces it
// too).
type ordered[T any] struct {
	items []T
	keys  []string
}

func (o *ordered[T]) add(key string, v T) {
	for i, k := range o.keys {
		if k == key {
			o.items[i] = v
			return
		}
	}
	o.items = append(o.items, v)
	o.keys = append(o.keys, key)
}

// cursorPrefix marks naftiko's cursors: a cursor is the base64url of
// the prefix and the key of the last item of the previous page.
const cursorPrefix = "naftiko/after:"

// page returns the items after cursor, at most size, and the cursor of
// the next page ("" at the end). A cursor naming no listed item is
// invalid params (the specification's answer to a bad cursor).
func (o *ordered[T]) page(cursor string, size int) ([]T, string, error) {
	start := 0
	if cursor != "" {
		raw, err := base64.RawURLEncoding.DecodeString(cursor)
		key, ok := strings.CutPrefix(string(raw), cursorPrefix)
		if err != nil || !ok {
			return nil, "", &jsonrpc.Error{Code: jsonrpc.CodeInvalidParams, Message: "invalid cursor"}
		}
		start = -1
		for i, k := range o.keys {
			if k == key {
				start = i + 1
				break
			}
		}
		if start < 0 {
			return nil, "", &jsonrpc.Error{Code: jsonrpc.CodeInvalidParams, Message: "invalid cursor: the list has changed"}
		}
	}
	end := min(start+size, len(o.items))
	out := make([]T, 0, end-start)
	out = append(out, o.items[start:end]...)
	next := ""
	if end < len(o.items) {
		next = base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + o.keys[end-1]))
	}
	return out, next, nil
}

func newCatalogSized(pageSize int) *catalog {
	if pageSize <= 0 {
		pageSize = mcp.DefaultPageSize
	}
	return &catalog{pageSize: pageSize}
}

// addTool registers a tool with the SDK and lists it.
func (c *catalog) addTool(srv *mcp.Server, t *mcp.Tool, h mcp.ToolHandler) error {
	if err := safely(func() { srv.AddTool(t, h) }); err != nil {
		return err
	}
	c.tools.add(t.Name, t)
	if c.handlers == nil {
		c.handlers = map[string]mcp.ToolHandler{}
	}
	c.handlers[t.Name] = h
	return nil
}

// addResource registers a resource with the SDK and lists it.
func (c *catalog) addResource(srv *mcp.Server, r *mcp.Resource, h mcp.ResourceHandler) error {
	if err := safely(func() { srv.AddResource(r, h) }); err != nil {
		return err
	}
	c.resources.add(r.URI, r)
	return nil
}

// addTemplate registers a resource template with the SDK and lists it,
// with pat, the template as its handler compiled it (nil for a file
// tree's {+path}, which serves matches by prefix).
func (c *catalog) addTemplate(srv *mcp.Server, t *mcp.ResourceTemplate, pat *uriPattern, h mcp.ResourceHandler) error {
	if err := safely(func() { srv.AddResourceTemplate(t, h) }); err != nil {
		return err
	}
	c.templates.add(t.URITemplate, t)
	if pat != nil {
		if c.patterns == nil {
			c.patterns = map[string]*uriPattern{}
		}
		c.patterns[t.URITemplate] = pat
	}
	return nil
}

// addPrompt registers a prompt with the SDK and lists it.
func (c *catalog) addPrompt(srv *mcp.Server, p *mcp.Prompt, h mcp.PromptHandler) error {
	if err := safely(func() { srv.AddPrompt(p, h) }); err != nil {
		return err
	}
	c.prompts.add(p.Name, p)
	return nil
}

// cursorOf reads a list request's cursor.
func cursorOf(req mcp.Request) string {
	switch r := req.(type) {
	case *mcp.ListToolsRequest:
		if r.Params != nil {
			return r.Params.Cursor
		}
	case *mcp.ListResourcesRequest:
		if r.Params != nil {
			return r.Params.Cursor
		}
	case *mcp.ListResourceTemplatesRequest:
		if r.Params != nil {
			return r.Params.Cursor
		}
	case *mcp.ListPromptsRequest:
		if r.Params != nil {
			return r.Params.Cursor
		}
	}
	return ""
}

// listCacheable is the cache hint of the list results, the go-sdk's
// default: stale at once (ttlMs 0), cacheable by anyone. 2026-07-28
// clients require cacheScope to be "public" or "private" (the
// Inspector 2 rejects a list without it).
var listCacheable = mcp.Cacheable{TTLMs: 0, CacheScope: "public"}

// middleware answers the list methods in declaration order; every other
// method goes to the SDK.
func (c *catalog) middleware(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		var (
			res mcp.Result
			err error
		)
		cur := cursorOf(req)
		switch method {
		case "tools/list":
			r := &mcp.ListToolsResult{Cacheable: listCacheable}
			r.Tools, r.NextCursor, err = c.tools.page(cur, c.pageSize)
			res = r
		case "resources/list":
			r := &mcp.ListResourcesResult{Cacheable: listCacheable}
			r.Resources, r.NextCursor, err = c.resources.page(cur, c.pageSize)
			res = r
		case "resources/templates/list":
			r := &mcp.ListResourceTemplatesResult{Cacheable: listCacheable}
			r.ResourceTemplates, r.NextCursor, err = c.templates.page(cur, c.pageSize)
			res = r
		case "prompts/list":
			r := &mcp.ListPromptsResult{Cacheable: listCacheable}
			r.Prompts, r.NextCursor, err = c.prompts.page(cur, c.pageSize)
			res = r
		default:
			return next(ctx, method, req)
		}
		if err != nil {
			return nil, err
		}
		return res, nil
	}
}

// newCatalog starts the catalog of an MCP server; install it once the
// server exists.
func (s *Server) newCatalog() *catalog { return newCatalogSized(s.cfg.mcpPageSize) }

// install answers srv's list methods from the catalog and sets the
// default log level of its sessions.
func (c *catalog) install(srv *mcp.Server) {
	srv.AddReceivingMiddleware(c.middleware, defaultLogLevel)
}

// maxCompletions is the most values one completion/complete answer holds
// (the specification's cap).
const maxCompletions = 100

// completable records the values an argument of a prompt ("prompt:NAME")
// or resource template ("resource:URI") can take.
func (c *catalog) completable(ref, arg string, values []string) {
	if c.values == nil {
		c.values = map[string]map[string][]string{}
	}
	if c.values[ref] == nil {
		c.values[ref] = map[string][]string{}
	}
	c.values[ref][arg] = values
}

// complete answers completion/complete: the recorded values of the
// argument that start with what the client typed, in order, at most 100.
// An unknown prompt or template is invalid params; an argument with no
// recorded values completes to nothing.
func (c *catalog) complete(_ context.Context, req *mcp.CompleteRequest) (*mcp.CompleteResult, error) {
	p := req.Params
	if p == nil || p.Ref == nil {
		return nil, &jsonrpc.Error{Code: jsonrpc.CodeInvalidParams, Message: "completion/complete needs a ref"}
	}
	var key string
	switch p.Ref.Type {
	case "ref/prompt":
		if !slices.Contains(c.prompts.keys, p.Ref.Name) {
			return nil, &jsonrpc.Error{Code: jsonrpc.CodeInvalidParams, Message: fmt.Sprintf("unknown prompt %q", p.Ref.Name)}
		}
		key = "prompt:" + p.Ref.Name
	case "ref/resource":
		if !slices.Contains(c.templates.keys, p.Ref.URI) {
			return nil, &jsonrpc.Error{Code: jsonrpc.CodeInvalidParams, Message: fmt.Sprintf("unknown resource template %q", p.Ref.URI)}
		}
		key = "resource:" + p.Ref.URI
	default:
		return nil, &jsonrpc.Error{Code: jsonrpc.CodeInvalidParams, Message: fmt.Sprintf("unknown reference type %q", p.Ref.Type)}
	}
	res := &mcp.CompleteResult{Completion: mcp.CompletionResultDetails{Values: []string{}}}
	for _, v := range c.values[key][p.Argument.Name] {
		if !strings.HasPrefix(v, p.Argument.Value) {
			continue
		}
		res.Completion.Total++
		if len(res.Completion.Values) < maxCompletions {
			res.Completion.Values = append(res.Completion.Values, v)
		}
	}
	res.Completion.HasMore = res.Completion.Total > len(res.Completion.Values)
	return res, nil
}

// subscribe accepts a resources/subscribe of a resource the server
// serves (a listed URI, or one a template matches); any other URI is
// "resource not found". naftiko learns of no change upstream, so it
// never sends notifications/resources/updated: a subscription only
// records interest (the go-sdk keeps it until resources/unsubscribe or
// the end of the session).
func (c *catalog) subscribe(_ context.Context, req *mcp.SubscribeRequest) error {
	if req.Params == nil || !c.serves(req.Params.URI) {
		uri := ""
		if req.Params != nil {
			uri = req.Params.URI
		}
		return mcp.ResourceNotFoundError(uri)
	}
	return nil
}

// unsubscribe accepts any resources/unsubscribe.
func (c *catalog) unsubscribe(context.Context, *mcp.UnsubscribeRequest) error { return nil }

// serves reports whether uri names a resource of the catalog.
func (c *catalog) serves(uri string) bool {
	if slices.Contains(c.resources.keys, uri) {
		return true
	}
	for _, tmpl := range c.templates.keys {
		if prefix, ok := strings.CutSuffix(tmpl, "{+path}"); ok {
			if rest, ok := strings.CutPrefix(uri, prefix); ok && rest != "" {
				return true
			}
			continue
		}
		if p := c.patterns[tmpl]; p != nil {
			if _, ok := p.match(uri); ok {
				return true
			}
		}
	}
	return false
}
