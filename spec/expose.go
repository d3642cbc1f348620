package spec

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// exposesList loads exposes adapters. Their common fields are decoded;
// the rest is served from the raw node, so unknown fields are not
// reported here.
func (l *loader) exposesList(n *yaml.Node) []*Expose {
	d := deref(n)
	if d == nil || isNull(d) {
		return nil
	}
	if d.Kind != yaml.SequenceNode {
		l.fatal(n, "wrong-kind", fmt.Sprintf("`exposes` must be a list, not a %s", kindName(d)), "")
		return nil
	}
	out := make([]*Expose, 0, len(d.Content))
	for _, it := range d.Content {
		e := deref(it)
		if e.Kind != yaml.MappingNode {
			l.fatal(it, "wrong-kind", fmt.Sprintf("an exposes entry must be a mapping, not a %s", kindName(e)), "")
			continue
		}
		if x := l.expose(e); x != nil {
			out = append(out, x)
		}
	}
	return out
}

func (l *loader) expose(d *yaml.Node) *Expose {
	x := &Expose{Node: d, Pos: l.at(d)}
	defer l.setSink(l.setSink(&x.Errors))
	var typeV, portV, authV, authK, authenticationV, transportV *yaml.Node
	ps := pairs(d)
	for i := 0; i+1 < len(ps); i += 2 {
		k, v := ps[i], ps[i+1]
		switch key, _ := keyText(k); key {
		case "type":
			typeV = v
		case "namespace":
			x.Namespace = l.str(v, "namespace")
		case "description":
			x.Description = l.str(v, "description")
		case "address":
			x.Address = l.str(v, "address")
		case "port":
			portV = v
		case "transport":
			transportV = v
		case "authentication":
			authenticationV = v
		case "auth":
			authK, authV = k, v
		case "from", "import":
			l.warn(k, "unsupported-feature", "exposes imports are not supported; the entry is skipped", "")
			return nil
		case "ttlMs", "cacheScope":
			l.warn(k, "unsupported-feature", fmt.Sprintf("`%s` is not supported and is ignored", key), "")
		}
	}
	raw := strings.TrimSpace(l.str(typeV, "type"))
	x.Type = strings.ToLower(raw)
	switch x.Type {
	case "rest", "mcp", "skill", "control":
	default:
		at := typeV
		if at == nil {
			at = d
		}
		what := fmt.Sprintf("exposes adapter%s of type `%s` cannot be served; it is skipped", quoteName(x.Namespace), raw)
		if raw == "" {
			what = fmt.Sprintf("exposes adapter%s has no `type`; it is skipped", quoteName(x.Namespace))
		}
		l.warn(at, "expose-unsupported", what, "use rest, mcp, skill or control")
		return nil
	}
	if portV != nil {
		if p, ok := l.integer(portV, "port"); ok {
			if p < 0 || p > 65535 {
				l.elemError(portV, "port-invalid", fmt.Sprintf("port %d is outside 1–65535", p), "")
			} else {
				x.Port = int(p)
			}
		}
	}
	if transportV != nil {
		x.Transport = strings.ToLower(strings.TrimSpace(l.str(transportV, "transport")))
	}
	x.Auth = l.authPair(authenticationV, authK, authV, true)
	if x.Type == "mcp" {
		if x.Transport == "" {
			x.Transport = "http"
		}
		if x.Transport == "stdio" {
			if portV != nil {
				l.warn(portV, "mcp-stdio-port", fmt.Sprintf("MCP adapter%s uses stdio; its port is ignored", quoteName(x.Namespace)), "")
			}
			if x.Auth != nil {
				l.warn(cmpNode(authenticationV, authV), "mcp-stdio-auth",
					fmt.Sprintf("MCP adapter%s uses stdio; its authentication is ignored", quoteName(x.Namespace)), "")
			}
		}
	}
	return x
}

func cmpNode(a, b *yaml.Node) *yaml.Node {
	if a != nil {
		return a
	}
	return b
}

// aggregates loads aggregates; their functions are read from the raw node.
func (l *loader) aggregates(n *yaml.Node) []*Aggregate {
	d := deref(n)
	if d == nil || isNull(d) {
		return nil
	}
	if d.Kind != yaml.SequenceNode {
		l.fatal(n, "wrong-kind", fmt.Sprintf("`aggregates` must be a list, not a %s", kindName(d)), "")
		return nil
	}
	out := make([]*Aggregate, 0, len(d.Content))
	for _, it := range d.Content {
		e := deref(it)
		if e.Kind != yaml.MappingNode {
			l.fatal(it, "wrong-kind", fmt.Sprintf("an aggregate must be a mapping, not a %s", kindName(e)), "")
			continue
		}
		ag := &Aggregate{Node: e, Pos: l.at(e)}
		ps := pairs(e)
		for i := 0; i+1 < len(ps); i += 2 {
			switch key, _ := keyText(ps[i]); key {
			case "label":
				ag.Label = l.str(ps[i+1], "label")
			case "namespace":
				ag.Namespace = l.str(ps[i+1], "namespace")
			case "from", "import":
				l.warn(ps[i], "unsupported-feature", "aggregates imports are not supported; the entry is skipped", "")
				ag = nil
			}
			if ag == nil {
				break
			}
		}
		if ag != nil {
			out = append(out, ag)
		}
	}
	return out
}
