package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// What naftiko does differently on a terminal: colour (JSON and YAML
// syntax on stdout, error and warning prefixes on stderr) and the one-line status of
// a call on stderr. Colour is decided per stream: on when the stream is a
// terminal, off when it is piped or redirected, when NO_COLOR is set to
// anything but the empty string (https://no-color.org), when TERM is
// "dumb", and with --no-color. The status line needs only stderr to be a
// terminal; it goes to stderr so that stdout stays the result alone.

// ANSI SGR codes of the styles naftiko uses.
const (
	sgrBold    = "1"
	sgrDim     = "2"
	sgrRed     = "31"
	sgrGreen   = "32"
	sgrYellow  = "33"
	sgrBlue    = "34"
	sgrMagenta = "35"
	sgrCyan    = "36"
	sgrBoldRed = "1;31"
)

// colorOn reports whether text written to w may carry colour.
func (a *app) colorOn(w io.Writer) bool {
	if a.noColor || os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	return isTerminal(w)
}

// paint wraps s in the SGR style when on, else returns it unchanged.
func paint(on bool, style, s string) string {
	if !on || s == "" {
		return s
	}
	return "\x1b[" + style + "m" + s + "\x1b[0m"
}

// isTerminal reports whether w is a terminal (not a pipe, a file or
// /dev/null, which are character devices too).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && f != nil && isatty(f)
}

// colorJSON returns the JSON text b with ANSI colours: keys blue, strings
// green, numbers cyan, true and false yellow, null magenta. b must be
// valid JSON as encoding/json writes it; punctuation and white space are
// kept as they are, so removing the colour codes gives b back.
func colorJSON(b []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(b) + len(b)/2)
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '"':
			j := stringEnd(b, i)
			style := sgrGreen
			if isKey(b, j) {
				style = sgrBlue
			}
			out.WriteString(paint(true, style, string(b[i:j])))
			i = j
		case c == '-' || (c >= '0' && c <= '9'):
			j := i + 1
			for j < len(b) && strings.IndexByte("0123456789.eE+-", b[j]) >= 0 {
				j++
			}
			out.WriteString(paint(true, sgrCyan, string(b[i:j])))
			i = j
		case c == 't' || c == 'f' || c == 'n':
			j := i + 1
			for j < len(b) && b[j] >= 'a' && b[j] <= 'z' {
				j++
			}
			style := sgrYellow
			if c == 'n' {
				style = sgrMagenta
			}
			out.WriteString(paint(true, style, string(b[i:j])))
			i = j
		default:
			out.WriteByte(c)
			i++
		}
	}
	return out.Bytes()
}

// stringEnd returns the index just after the JSON string starting at b[i].
func stringEnd(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(b)
}

// isKey reports whether the string ending before b[j] is an object key:
// the next character that is not white space is a colon.
func isKey(b []byte, j int) bool {
	for ; j < len(b); j++ {
		switch b[j] {
		case ' ', '\t', '\n', '\r':
			continue
		case ':':
			return true
		}
		return false
	}
	return false
}

// statusLine is the one-line summary of an answer printed on a terminal:
// "200 OK · 143 ms · 2.1 KB", the status coloured by its class when color
// is set.
func statusLine(status int, d time.Duration, size int, color bool) string {
	style := sgrGreen
	switch {
	case status >= 500:
		style = sgrRed
	case status >= 400:
		style = sgrYellow
	case status >= 300:
		style = sgrCyan
	}
	st := paint(color, sgrBold+";"+style, statusText(status))
	rest := durationText(d) + " · " + sizeText(size)
	return st + paint(color, sgrDim, " · "+rest)
}

// durationText writes d as "143 ms" below ten seconds and "12.3 s" above.
func durationText(d time.Duration) string {
	if d < 10*time.Second {
		return fmt.Sprintf("%d ms", d.Round(time.Millisecond).Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// sizeText writes a body size in bytes, kilobytes or megabytes (powers of
// 1000): "512 B", "2.1 KB", "3.4 MB".
func sizeText(n int) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f KB", float64(n)/1000)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}

// statusText is "302 Found", or the number alone for a status without a
// standard text.
func statusText(status int) string {
	return strings.TrimSpace(fmt.Sprintf("%d %s", status, http.StatusText(status)))
}

// colorYAML returns the YAML text b, as writeValue writes it, with the
// colours of colorJSON: keys blue, strings green, numbers cyan, booleans
// yellow, null magenta. The tokens are found by parsing b again with the
// YAML library, whose nodes give each scalar's line, column, style and
// resolved tag; only the scalars' own text is wrapped, so removing the
// colour codes gives b back. Text the parser refuses is returned as is.
func colorYAML(b []byte) []byte {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return b
	}
	lines := strings.SplitAfter(string(b), "\n")
	// byLine[i] are the spans of lines[i], in document order.
	byLine := make([][]yamlSpan, len(lines))
	var walk func(n *yaml.Node, key bool)
	walk = func(n *yaml.Node, key bool) {
		switch n.Kind {
		case yaml.ScalarNode:
			for _, s := range scalarSpans(lines, n, key) {
				byLine[s.line] = append(byLine[s.line], s)
			}
		case yaml.MappingNode:
			for i, c := range n.Content {
				walk(c, i%2 == 0)
			}
		default:
			for _, c := range n.Content {
				walk(c, false)
			}
		}
	}
	walk(&doc, false)
	var out strings.Builder
	out.Grow(len(b) + len(b)/2)
	for li, line := range lines {
		at := 0
		for _, s := range byLine[li] {
			if s.from < at || s.to > len(line) {
				continue
			}
			out.WriteString(line[at:s.from])
			out.WriteString(paint(true, s.style, line[s.from:s.to]))
			at = s.to
		}
		out.WriteString(line[at:])
	}
	return []byte(out.String())
}

// yamlSpan is the byte range [from, to) of lines[line] that a scalar
// occupies, and its colour.
type yamlSpan struct {
	line, from, to int
	style          string
}

// scalarSpans locates scalar n in lines: a quoted or plain scalar on its
// line, a block scalar (| or >) on its indicator and content lines.
func scalarSpans(lines []string, n *yaml.Node, key bool) []yamlSpan {
	li := n.Line - 1
	if li < 0 || li >= len(lines) {
		return nil
	}
	line := strings.TrimRight(lines[li], "\n")
	from := runeOffset(line, n.Column-1)
	if from < 0 || from >= len(line) {
		return nil
	}
	style := scalarStyle(n, key)
	rest := line[from:]
	switch n.Style {
	case yaml.DoubleQuotedStyle:
		return []yamlSpan{{li, from, from + stringEnd([]byte(rest), 0), style}}
	case yaml.SingleQuotedStyle:
		for j := 1; j < len(rest); j++ {
			if rest[j] == '\'' {
				if j+1 < len(rest) && rest[j+1] == '\'' {
					j++
					continue
				}
				return []yamlSpan{{li, from, from + j + 1, style}}
			}
		}
		return nil
	case yaml.LiteralStyle, yaml.FoldedStyle:
		return blockSpans(lines, li, from, style)
	}
	end := len(rest)
	if key {
		if i := strings.Index(rest, ":"); i >= 0 {
			end = i
		}
	}
	return []yamlSpan{{li, from, from + len(strings.TrimRight(rest[:end], " ")), style}}
}

// blockSpans colours the indicator of a block scalar and its content
// lines: those after it indented deeper than the indicator's line.
func blockSpans(lines []string, li, from int, style string) []yamlSpan {
	spans := []yamlSpan{{li, from, len(strings.TrimRight(lines[li], "\n")), style}}
	parent := indentOf(lines[li])
	for j := li + 1; j < len(lines); j++ {
		l := strings.TrimRight(lines[j], "\n")
		if strings.TrimSpace(l) == "" {
			continue
		}
		ind := indentOf(l)
		if ind <= parent {
			break
		}
		spans = append(spans, yamlSpan{j, ind, len(l), style})
	}
	return spans
}

func indentOf(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }

// runeOffset is the byte offset of the n-th character of s (the YAML
// parser counts columns in characters); -1 past the end.
func runeOffset(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	if n == 0 {
		return len(s)
	}
	return -1
}

// scalarStyle is the colour of a scalar by its resolved tag.
func scalarStyle(n *yaml.Node, key bool) string {
	if key {
		return sgrBlue
	}
	switch n.ShortTag() {
	case "!!int", "!!float":
		return sgrCyan
	case "!!bool":
		return sgrYellow
	case "!!null":
		return sgrMagenta
	}
	return sgrGreen
}
