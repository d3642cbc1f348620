package engine

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/naftiko/naftiko/binder"
)

// Dump writes the request as --dry-run prints it: the request line, the
// headers sorted by name, a blank line and the body. Secrets are masked.
func (p *Prepared) Dump(w io.Writer) error {
	var b strings.Builder
	b.WriteString(p.Method)
	b.WriteByte(' ')
	b.WriteString(p.e.maskURL(p.URL))
	b.WriteByte('\n')
	p.e.writeHeaders(&b, p.Header, "")
	switch {
	case p.BodyFile != "":
		fmt.Fprintf(&b, "\n<body streamed from %s>\n", p.BodyFile)
	case p.streamBody() != nil:
		b.WriteByte('\n')
		b.WriteString(p.e.red.Redact(p.x.stream.preview()))
	case len(p.Body) > 0:
		b.WriteByte('\n')
		b.WriteString(p.e.red.Redact(string(p.Body)))
		if !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte('\n')
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Curl writes an equivalent curl command. Secrets read from environment
// variables appear as "$VAR" references, other secrets as ****. A query
// parameter holding such a secret is written as --url-query 'name='"$VAR"
// (curl 7.87 or later), so that curl percent-encodes the value as the
// request did.
func (p *Prepared) Curl(w io.Writer) error {
	var b strings.Builder
	b.WriteString("curl")
	if p.Method != http.MethodGet {
		b.WriteString(" -X " + p.Method)
	}
	u, queries := p.curlURL()
	b.WriteString(" " + p.word(u))
	for _, q := range queries {
		b.WriteString(" \\\n  --url-query " + p.word(q))
	}
	switch a := p.sendAuth().(type) {
	case *digestAuth:
		b.WriteString(" \\\n  --digest -u " + p.word(a.user+":"+a.pass))
	case *awsAuth:
		b.WriteString(" \\\n  --aws-sigv4 " + shellQuote("aws:amz:"+a.region+":"+a.service) + " -u " + p.word(a.accessKey+":"+a.secret))
		if a.token != "" {
			b.WriteString(" \\\n  -H " + p.word("X-Amz-Security-Token: "+a.token))
		}
	}
	for _, k := range sortedKeys(p.Header) {
		if p.streamBody() != nil && k == "Content-Type" {
			continue // curl writes its own multipart boundary
		}
		for _, v := range p.Header[k] {
			b.WriteString(" \\\n  -H " + p.word(k+": "+v))
		}
	}
	switch {
	case p.streamBody() != nil:
		for _, part := range p.x.stream.parts {
			b.WriteString(" \\\n  " + p.curlPart(part))
		}
	case p.BodyFile != "":
		b.WriteString(" \\\n  --data-binary " + shellQuote("@"+p.BodyFile))
	case len(p.Body) > 0:
		b.WriteString(" \\\n  --data-binary " + p.word(string(p.Body)))
	}
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

// curlURL returns the URL as --curl writes it, without the query
// parameters whose value holds a secret read from an environment variable,
// and those parameters as name=value with the value decoded: a "$VAR"
// reference inside the URL would reach curl unencoded.
func (p *Prepared) curlURL() (string, []string) {
	raw := p.e.shapeMaskURL(p.URL, p.envSecret)
	head, query, ok := strings.Cut(raw, "?")
	if !ok || len(p.envRefs) == 0 {
		return raw, nil
	}
	var kept, moved []string
	for _, pair := range strings.Split(query, "&") {
		k, v, _ := strings.Cut(pair, "=")
		if d, err := url.QueryUnescape(v); err == nil && slices.ContainsFunc(p.envRefs, func(r envRef) bool {
			return strings.Contains(d, r.secret)
		}) {
			moved = append(moved, k+"="+d)
			continue
		}
		kept = append(kept, pair)
	}
	if len(kept) > 0 {
		head += "?" + strings.Join(kept, "&")
	}
	return head, moved
}

// EnvVars lists the environment variables whose values Curl writes as
// "$VAR" references, in the order the request used them.
func (p *Prepared) EnvVars() []string {
	out := make([]string, 0, len(p.envRefs))
	for _, r := range p.envRefs {
		out = append(out, r.key)
	}
	return out
}

// envSecret reports whether v is a secret --curl writes as a "$VAR"
// reference.
func (p *Prepared) envSecret(v string) bool {
	for _, r := range p.envRefs {
		if r.secret == v {
			return true
		}
	}
	return false
}

// word quotes s for a POSIX shell, replacing secrets read from environment
// variables by "$VAR" references and masking every other secret.
func (p *Prepared) word(s string) string {
	var out strings.Builder
	for s != "" {
		at, ref := -1, envRef{}
		for _, r := range p.envRefs {
			if i := strings.Index(s, r.secret); i >= 0 && (at < 0 || i < at || i == at && len(r.secret) > len(ref.secret)) {
				at, ref = i, r
			}
		}
		if at < 0 {
			out.WriteString(shellQuote(p.e.red.Redact(s)))
			break
		}
		if at > 0 {
			out.WriteString(shellQuote(p.e.red.Redact(s[:at])))
		}
		out.WriteString(`"$` + ref.key + `"`)
		s = s[at+len(ref.secret):]
	}
	if out.Len() == 0 {
		return "''"
	}
	return out.String()
}

// curlPart writes a multipart part as a curl option: --form-string for
// text (curl would read a value starting with @ or < as a file), -F with
// @path for a file.
func (p *Prepared) curlPart(part formPart) string {
	if part.file == "" && !part.hasFilename && part.contentType == "" {
		return "--form-string " + p.word(part.name+"="+part.value)
	}
	q := func(s string) string {
		if strings.ContainsAny(s, ";,\"") {
			return quoteParam(s)
		}
		return s
	}
	spec := part.name + "="
	if part.file != "" {
		spec += "@" + q(part.file)
	} else {
		spec += q(part.value) // a text part with a file name or type
	}
	if part.hasFilename {
		spec += ";filename=" + q(part.filename)
	}
	if ct := part.header().Get("Content-Type"); ct != "" {
		spec += ";type=" + q(ct)
	}
	return "-F " + p.word(spec)
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func sortedKeys(h http.Header) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// writeHeaders writes headers sorted by name, sensitive ones masked whole
// and the rest redacted.
func (e *Engine) writeHeaders(b *strings.Builder, h http.Header, prefix string) {
	for _, k := range sortedKeys(h) {
		for _, v := range h[k] {
			b.WriteString(prefix)
			b.WriteString(k)
			b.WriteString(": ")
			if binder.SensitiveHeader(k) {
				b.WriteString(binder.Mask)
			} else {
				b.WriteString(e.red.Redact(v))
			}
			b.WriteByte('\n')
		}
	}
}

func (e *Engine) traceRequest(pr *Prepared, req *http.Request) {
	if e.trace == nil {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "> %s %s\n", req.Method, e.maskURL(req.URL.String()))
	e.writeHeaders(&b, req.Header, "> ")
	e.traceMu.Lock()
	defer e.traceMu.Unlock()
	io.WriteString(e.trace, b.String())
}

func (e *Engine) traceResponse(resp *http.Response) {
	if e.trace == nil {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "< %s %s\n", resp.Proto, resp.Status)
	e.writeHeaders(&b, resp.Header, "< ")
	e.traceMu.Lock()
	defer e.traceMu.Unlock()
	io.WriteString(e.trace, b.String())
}
