package enginetest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Microcks is an http.Handler serving OpenAPI documents the way Microcks
// does: under /rest/<info.title>/<info.version>, each operation answers
// with the response example whose name is the dispatch key built from the
// request (URI_PARTS "/name=value", URI_PARAMS "?name=value", SCRIPT's
// constant name), falling back as x-microcks-operation says; an operation
// without a dispatcher answers with its only example. A 204 answers the
// keys its x-microcks-refs lists. "{{ request.body/x }}" in an example is
// replaced by that field of the JSON request body. Every request is
// recorded. Serve it with httptest.NewServer.
type Microcks struct {
	ops []*operation

	mu   sync.Mutex
	reqs []Request
}

// Request is a request Microcks received.
type Request struct {
	Method, Path, Query string
	Header              http.Header
	Body                string
}

type operation struct {
	method   string
	route    *regexp.Regexp
	params   []string
	dispatch string // URI_PARTS, URI_PARAMS, SCRIPT or ""
	rules    string // the parameter names (URI_*) or the script's result
	fallback string
	answers  []answer
}

type answer struct {
	status  int
	ctype   string
	example string // "" for a response without content
	refs    []string
	value   any
}

// NewMicrocks loads the OpenAPI documents (YAML or JSON) at files.
func NewMicrocks(files ...string) (*Microcks, error) {
	m := &Microcks{}
	for _, f := range files {
		if err := m.load(f); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
	}
	return m, nil
}

// Requests returns the requests received so far, in order.
func (m *Microcks) Requests() []Request {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Request(nil), m.reqs...)
}

func (m *Microcks) load(file string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var doc struct {
		Info  struct{ Title, Version string }
		Paths map[string]map[string]yaml.Node
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return err
	}
	prefix := "/rest/" + doc.Info.Title + "/" + doc.Info.Version
	paths := make([]string, 0, len(doc.Paths))
	for p := range doc.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		for method, node := range doc.Paths[p] {
			op, err := parseOperation(prefix+p, strings.ToUpper(method), &node)
			if err != nil {
				return fmt.Errorf("%s %s: %v", method, p, err)
			}
			m.ops = append(m.ops, op)
		}
	}
	return nil
}

var placeholder = regexp.MustCompile(`\{([^}/]+)\}`)

func parseOperation(path, method string, node *yaml.Node) (*operation, error) {
	var raw struct {
		X struct {
			Dispatcher      string `yaml:"dispatcher"`
			DispatcherRules string `yaml:"dispatcherRules"`
		} `yaml:"x-microcks-operation"`
		Responses map[string]struct {
			Refs    []string `yaml:"x-microcks-refs"`
			Content map[string]struct {
				Examples map[string]struct {
					Value any `yaml:"value"`
				} `yaml:"examples"`
			} `yaml:"content"`
		} `yaml:"responses"`
	}
	if err := node.Decode(&raw); err != nil {
		return nil, err
	}
	op := &operation{method: method, dispatch: raw.X.Dispatcher, rules: raw.X.DispatcherRules}
	if op.dispatch == "FALLBACK" {
		var fb struct{ Dispatcher, DispatcherRules, Fallback string }
		if err := json.Unmarshal([]byte(op.rules), &fb); err != nil {
			return nil, err
		}
		op.dispatch, op.rules, op.fallback = fb.Dispatcher, fb.DispatcherRules, fb.Fallback
	}
	if op.dispatch == "SCRIPT" {
		// The tutorial's scripts return a constant: "return 'created'".
		if i, j := strings.Index(op.rules, "'"), strings.LastIndex(op.rules, "'"); i >= 0 && j > i {
			op.rules = op.rules[i+1 : j]
		}
	}
	var re strings.Builder
	re.WriteString("^")
	last := 0
	for _, loc := range placeholder.FindAllStringSubmatchIndex(path, -1) {
		re.WriteString(regexp.QuoteMeta(path[last:loc[0]]))
		re.WriteString("([^/]+)")
		op.params = append(op.params, path[loc[2]:loc[3]])
		last = loc[1]
	}
	re.WriteString(regexp.QuoteMeta(path[last:]) + "/?$")
	op.route = regexp.MustCompile(re.String())
	for code, r := range raw.Responses {
		var status int
		fmt.Sscanf(code, "%d", &status)
		if len(r.Content) == 0 {
			op.answers = append(op.answers, answer{status: status, refs: r.Refs})
		}
		for ctype, c := range r.Content {
			for name, ex := range c.Examples {
				op.answers = append(op.answers, answer{status: status, ctype: ctype, example: name, value: ex.Value})
			}
		}
	}
	sort.Slice(op.answers, func(i, j int) bool { return op.answers[i].status < op.answers[j].status })
	return op, nil
}

func (m *Microcks) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	m.mu.Lock()
	m.reqs = append(m.reqs, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: string(body)})
	m.mu.Unlock()
	for _, op := range m.ops {
		if op.method != r.Method {
			continue
		}
		sub := op.route.FindStringSubmatch(r.URL.Path)
		if sub == nil {
			continue
		}
		key := op.key(r, sub[1:])
		a := op.find(key)
		if a == nil && op.fallback != "" {
			a = op.find(op.fallback)
		}
		if a == nil && op.dispatch == "" && len(op.answers) > 0 {
			a = &op.answers[0]
		}
		if a == nil {
			http.Error(w, fmt.Sprintf("no example named %q", key), http.StatusBadRequest)
			return
		}
		a.write(w, body)
		return
	}
	http.NotFound(w, r)
}

func (op *operation) key(r *http.Request, values []string) string {
	var b strings.Builder
	switch op.dispatch {
	case "URI_PARTS":
		for _, name := range strings.Split(op.rules, "&&") {
			name = strings.TrimSpace(name)
			for i, p := range op.params {
				if p == name {
					fmt.Fprintf(&b, "/%s=%s", name, values[i])
				}
			}
		}
	case "URI_PARAMS":
		q := r.URL.Query()
		for _, name := range strings.Split(op.rules, "&&") {
			name = strings.TrimSpace(name)
			if v := q.Get(name); v != "" {
				if b.Len() == 0 {
					b.WriteString("?")
				} else {
					b.WriteString("&")
				}
				fmt.Fprintf(&b, "%s=%s", name, v)
			}
		}
	case "SCRIPT":
		b.WriteString(op.rules)
	}
	return b.String()
}

func (op *operation) find(key string) *answer {
	if key == "" {
		return nil
	}
	for i, a := range op.answers {
		if a.example == key {
			return &op.answers[i]
		}
		for _, ref := range a.refs {
			if ref == key {
				return &op.answers[i]
			}
		}
	}
	return nil
}

var requestBodyExpr = regexp.MustCompile(`\{\{\s*request\.body/([^} ]+)\s*\}\}`)

func (a *answer) write(w http.ResponseWriter, reqBody []byte) {
	if a.ctype == "" {
		w.WriteHeader(a.status)
		return
	}
	var out []byte
	if s, ok := a.value.(string); ok && !strings.Contains(a.ctype, "json") {
		out = []byte(s)
	} else {
		out, _ = json.Marshal(a.value)
	}
	if requestBodyExpr.Match(out) {
		var req map[string]any
		_ = json.Unmarshal(reqBody, &req)
		out = requestBodyExpr.ReplaceAllFunc(out, func(s []byte) []byte {
			field := requestBodyExpr.FindSubmatch(s)[1]
			v, _ := req[string(field)].(string)
			e, _ := json.Marshal(v)
			return e[1 : len(e)-1]
		})
	}
	w.Header().Set("Content-Type", a.ctype)
	w.WriteHeader(a.status)
	w.Write(out)
}
