package decode

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
)

// decodeHTML extracts the tables of an HTML document (SPEC.md §9.1):
// {"tables": [table, …]}, each table a list of row objects. Without a
// selector every <table> counts, nested ones included; with one, a matched
// table counts and a matched non-table element contributes the tables
// inside it, each table once, in document order.
//
// Header: the th cells of the first thead row, else the th cells of the
// first row, else the td cells of the first row. Rows: those of tbody
// sections (all rows when there is none), skipping rows that contain th
// and the row used as header. A cell is its text with whitespace collapsed
// and trimmed, typed (typedScalar); missing cells are "", extra ones are
// dropped. Tables whose headers are all blank are dropped.
//
// golang.org/x/net/html parses the document as browsers do (implicit
// tbody, unclosed cells), so real-world pages give the tables a reader
// sees.
func decodeHTML(body []byte, sel *selector) (any, error) {
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	var tables []*html.Node
	if sel == nil {
		tables = findAll(doc, "table", nil)
	} else {
		want := map[*html.Node]bool{}
		for _, n := range sel.selectAll(doc) {
			if n.Data == "table" {
				want[n] = true
				continue
			}
			for _, t := range findAll(n, "table", nil) {
				want[t] = true
			}
		}
		if len(want) > 0 {
			tables = findAll(doc, "table", want)
		}
	}
	out := make([]any, 0, len(tables))
	for _, t := range tables {
		if rows, ok := htmlTable(t); ok {
			out = append(out, rows)
		}
	}
	return map[string]any{"tables": out}, nil
}

// findAll returns the elements named tag under root (root excluded), in
// document order; with keep, only those in it.
func findAll(root *html.Node, tag string, keep map[*html.Node]bool) []*html.Node {
	var out []*html.Node
	stack := []*html.Node{}
	for c := root.LastChild; c != nil; c = c.PrevSibling {
		stack = append(stack, c)
	}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Type == html.ElementNode && n.Data == tag && (keep == nil || keep[n]) {
			out = append(out, n)
		}
		for c := n.LastChild; c != nil; c = c.PrevSibling {
			stack = append(stack, c)
		}
	}
	return out
}

// tableRow is one tr of a table and the section it belongs to.
type tableRow struct {
	n       *html.Node
	section string // thead, tbody, tfoot, or "" for a tr directly in table
}

// htmlTable converts one table; ok is false when its headers are all
// blank.
func htmlTable(t *html.Node) ([]any, bool) {
	var rows []tableRow
	for c := t.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		switch c.Data {
		case "tr":
			rows = append(rows, tableRow{n: c})
		case "thead", "tbody", "tfoot":
			for r := c.FirstChild; r != nil; r = r.NextSibling {
				if r.Type == html.ElementNode && r.Data == "tr" {
					rows = append(rows, tableRow{n: r, section: c.Data})
				}
			}
		}
	}
	if len(rows) == 0 {
		return nil, false
	}
	var headerRow *html.Node
	var header []string
	for _, r := range rows {
		if r.section == "thead" {
			if h := cells(r.n, "th"); len(h) > 0 {
				headerRow, header = r.n, h
			}
			break
		}
	}
	if headerRow == nil {
		first := rows[0].n
		headerRow = first
		if header = cells(first, "th"); len(header) == 0 {
			header = cells(first, "td")
		}
	}
	names, ok := tableHeader(header)
	if !ok {
		return nil, false
	}
	hasBody := false
	for _, r := range rows {
		if r.section == "tbody" {
			hasBody = true
			break
		}
	}
	out := []any{}
	for _, r := range rows {
		if r.n == headerRow || hasBody && r.section != "tbody" || len(cells(r.n, "th")) > 0 {
			continue
		}
		out = append(out, rowObject(names, cells(r.n, "")))
	}
	return out, true
}

// cells returns the text of a row's cells of one kind (td or th), or of
// both when kind is "".
func cells(tr *html.Node, kind string) []string {
	var out []string
	for c := tr.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || (c.Data != "td" && c.Data != "th") || (kind != "" && c.Data != kind) {
			continue
		}
		out = append(out, nodeText(c))
	}
	return out
}

// nodeText returns the text of n's descendants with whitespace collapsed
// and trimmed; <br> counts as a space, script and style are skipped.
func nodeText(n *html.Node) string {
	var b strings.Builder
	stack := []*html.Node{}
	for c := n.LastChild; c != nil; c = c.PrevSibling {
		stack = append(stack, c)
	}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch c.Type {
		case html.TextNode:
			b.WriteString(c.Data)
			continue
		case html.ElementNode:
			switch c.Data {
			case "script", "style", "template":
				continue
			case "br":
				b.WriteByte(' ')
				continue
			}
		default:
			continue
		}
		for k := c.LastChild; k != nil; k = k.PrevSibling {
			stack = append(stack, k)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
