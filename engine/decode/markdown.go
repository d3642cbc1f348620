package decode

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
)

// decodeMarkdown converts a markdown document into
//
//	{"frontMatter": {…}, "tables": [table, …], "lists": [[item, …], …],
//	 "sections": [{"heading", "level", "content"}, …]}
//
// (SPEC.md §9.1). Front matter is the YAML between a leading --- line and
// the next --- line ({} when there is none or it is not a mapping). Tables
// are GFM pipe tables, converted like HTML tables; a table ends at a blank
// line, a heading, a fence or a line without "|". Lists are every bullet
// (-, *, +) or ordered (1. or 1)) list, each the list of its items' trimmed
// text with inline markup kept; a nested list is a list of its own placed
// after its parent. Sections are the ATX headings, each with the text of
// the following non-table blocks up to the next heading, trimmed.
//
// heading, when set, keeps only what lies under the headings it names: it
// is compared as a prefix with the heading line ("## Results") when it
// starts with #, else with the heading text ("Results"); what lies under a
// heading runs to the next heading of the same or a higher level.
func decodeMarkdown(body []byte, heading string) (any, error) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	lines := strings.Split(string(body), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	front := map[string]any{}
	start := 0
	if len(lines) > 0 && strings.TrimRight(lines[0], " \t") == "---" {
		for j := 1; j < len(lines); j++ {
			if strings.TrimRight(lines[j], " \t") == "---" {
				if v, err := decodeYAML([]byte(strings.Join(lines[1:j], "\n"))); err == nil {
					if m, ok := v.(map[string]any); ok {
						front = m
					}
				}
				start = j + 1
				break
			}
		}
	}
	p := &mdParser{lines: lines}
	p.parse(start)

	keep := func(line int) bool { return true }
	if h := strings.TrimSpace(heading); h != "" {
		var ranges [][2]int
		for i, s := range p.sections {
			target := s.text
			if strings.HasPrefix(h, "#") {
				target = strings.TrimSpace(lines[s.line])
			}
			if !strings.HasPrefix(target, h) {
				continue
			}
			end := len(lines)
			for _, t := range p.sections[i+1:] {
				if t.level <= s.level {
					end = t.line
					break
				}
			}
			ranges = append(ranges, [2]int{s.line, end})
		}
		keep = func(line int) bool {
			for _, r := range ranges {
				if line >= r[0] && line < r[1] {
					return true
				}
			}
			return false
		}
	}
	tables := []any{}
	for _, t := range p.tables {
		if keep(t.line) {
			tables = append(tables, t.rows)
		}
	}
	slices.SortStableFunc(p.lists, func(a, b *mdList) int { return a.id - b.id })
	lists := []any{}
	for _, l := range p.lists {
		if keep(l.line) {
			items := make([]any, len(l.items))
			for i, it := range l.items {
				items[i] = it
			}
			lists = append(lists, items)
		}
	}
	sections := []any{}
	for _, s := range p.sections {
		if keep(s.line) {
			sections = append(sections, map[string]any{
				"heading": s.text,
				"level":   int64(s.level),
				"content": sectionContent(s.content),
			})
		}
	}
	return map[string]any{"frontMatter": front, "tables": tables, "lists": lists, "sections": sections}, nil
}

var blankRun = regexp.MustCompile(`\n[ \t]*\n(?:[ \t]*\n)+`)

func sectionContent(lines []string) string {
	s := strings.Join(lines, "\n")
	s = blankRun.ReplaceAllString(s, "\n\n")
	return strings.TrimSpace(s)
}

type mdSection struct {
	text    string
	level   int
	line    int
	content []string
}

type mdTable struct {
	line int
	rows []any
}

type mdList struct {
	id            int
	line          int
	indent        int // column of the marker
	contentIndent int // column of the item text
	ordered       bool
	marker        byte
	items         []string
}

type mdParser struct {
	lines    []string
	sections []*mdSection
	tables   []mdTable
	lists    []*mdList // finished lists
	open     []*mdList
	nextID   int
}

// table reads a GFM pipe table whose header row is line i; end is the
// index after its last row, ok false when line i starts no table.
func (p *mdParser) table(i int) (end int, ok bool) {
	line := p.lines[i]
	if !strings.Contains(line, "|") || i+1 >= len(p.lines) {
		return 0, false
	}
	hdr := splitRow(line)
	if len(hdr) == 0 || !isDelimiterRow(p.lines[i+1], len(hdr)) {
		return 0, false
	}
	p.closeLists(0)
	end = i + 2
	var body [][]string
	for ; end < len(p.lines); end++ {
		l := p.lines[end]
		if strings.TrimSpace(l) == "" || !strings.Contains(l, "|") || fenceOf(strings.TrimLeft(l, " ")) != "" {
			break
		}
		if _, _, ok := atxHeading(l); ok {
			break
		}
		body = append(body, splitRow(l))
	}
	if rows, ok := mdTableRows(hdr, body); ok {
		p.tables = append(p.tables, mdTable{line: i, rows: rows})
	}
	return end, true
}

// text handles a line of text: a continuation of the open list item it
// is indented under (or, lazily, of the last one), else a paragraph that
// closes the lists.
func (p *mdParser) text(line string, indent int, prevBlank bool) {
	n := len(p.open)
	if n == 0 {
		return
	}
	target := -1
	for k := n - 1; k >= 0; k-- {
		if indent >= p.open[k].contentIndent {
			target = k
			break
		}
	}
	if target < 0 && !prevBlank {
		target = n - 1 // lazy continuation
	}
	if target < 0 {
		p.closeLists(0)
		return
	}
	p.closeLists(target + 1)
	l := p.open[target]
	last := len(l.items) - 1
	if l.items[last] == "" {
		l.items[last] = strings.TrimSpace(line)
	} else {
		l.items[last] += " " + strings.TrimSpace(line)
	}
}

func (p *mdParser) content(line string) {
	if n := len(p.sections); n > 0 {
		s := p.sections[n-1]
		s.content = append(s.content, line)
	}
}

func (p *mdParser) closeLists(downTo int) {
	for len(p.open) > downTo {
		l := p.open[len(p.open)-1]
		p.open = p.open[:len(p.open)-1]
		p.lists = append(p.lists, l)
	}
}

func (p *mdParser) parse(start int) {
	var fence string
	prevBlank := true
	for i := start; i < len(p.lines); i++ {
		line := p.lines[i]
		if fence != "" {
			p.content(line)
			if t := strings.TrimSpace(line); strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" {
				fence = ""
			}
			continue
		}
		indent, rest := leadingIndent(line)
		blank := strings.TrimSpace(line) == ""
		if f := fenceOf(rest); f != "" && indent < 4 {
			p.closeLists(0)
			fence = f
			p.content(line)
			prevBlank = false
			continue
		}
		if level, text, ok := atxHeading(line); ok {
			p.closeLists(0)
			p.sections = append(p.sections, &mdSection{text: text, level: level, line: i})
			prevBlank = false
			continue
		}
		if !blank && indent < 4 {
			if end, ok := p.table(i); ok {
				i = end - 1
				prevBlank = false
				continue
			}
		}
		if blank {
			p.content(line)
			prevBlank = true
			continue
		}
		if isThematicBreak(line) {
			p.closeLists(0)
			p.content(line)
			prevBlank = false
			continue
		}
		if m, ok := listMarker(line); ok && (len(p.open) > 0 || indent < 4) {
			p.item(m, i)
			p.content(line)
			prevBlank = false
			continue
		}
		p.text(line, indent, prevBlank)
		p.content(line)
		prevBlank = false
	}
	p.closeLists(0)
}

// mdMarker is a list item's marker.
type mdMarker struct {
	indent, contentIndent int
	ordered               bool
	marker                byte
	text                  string
}

// item adds a list item, opening, nesting or closing lists as its
// indentation says.
func (p *mdParser) item(m mdMarker, line int) {
	for len(p.open) > 0 {
		top := p.open[len(p.open)-1]
		if m.indent >= top.contentIndent {
			break // nested under top's last item
		}
		if m.indent >= top.indent || len(p.open) == 1 && m.indent < top.indent {
			if top.ordered == m.ordered && top.marker == m.marker {
				top.items = append(top.items, m.text)
				return
			}
			p.closeLists(len(p.open) - 1)
			break
		}
		p.closeLists(len(p.open) - 1)
	}
	l := &mdList{id: p.nextID, line: line, indent: m.indent, contentIndent: m.contentIndent,
		ordered: m.ordered, marker: m.marker, items: []string{m.text}}
	p.nextID++
	p.open = append(p.open, l)
}

// leadingIndent returns the column of the first non-blank character (a tab
// advancing to the next multiple of 4) and the text from there.
func leadingIndent(line string) (int, string) {
	col := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case ' ':
			col++
		case '\t':
			col += 4 - col%4
		default:
			return col, line[i:]
		}
	}
	return col, ""
}

func listMarker(line string) (mdMarker, bool) {
	indent, rest := leadingIndent(line)
	if rest == "" {
		return mdMarker{}, false
	}
	m := mdMarker{indent: indent}
	n := 0
	switch c := rest[0]; {
	case c == '-' || c == '*' || c == '+':
		m.marker, n = c, 1
	case c >= '0' && c <= '9':
		for n < len(rest) && n < 10 && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if n > 9 || n >= len(rest) || (rest[n] != '.' && rest[n] != ')') {
			return mdMarker{}, false
		}
		m.ordered, m.marker = true, rest[n]
		n++
	default:
		return mdMarker{}, false
	}
	after := rest[n:]
	if after != "" && after[0] != ' ' && after[0] != '\t' {
		return mdMarker{}, false
	}
	text := strings.TrimLeft(after, " \t")
	pad := len(after) - len(text)
	if pad == 0 || pad > 4 || text == "" {
		pad = 1
	}
	m.contentIndent = indent + n + pad
	m.text = strings.TrimSpace(text)
	return m, true
}

var thematic = regexp.MustCompile(`^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$`)

func isThematicBreak(line string) bool { return thematic.MatchString(line) }

// fenceOf returns the fence that opens a fenced code block (``` or ~~~,
// three or more), or "".
func fenceOf(rest string) string {
	for _, c := range []byte{'`', '~'} {
		n := 0
		for n < len(rest) && rest[n] == c {
			n++
		}
		if n >= 3 {
			if c == '`' && strings.Contains(rest[n:], "`") {
				return ""
			}
			return rest[:n]
		}
	}
	return ""
}

// atxHeading recognises "# text" … "###### text", up to three spaces of
// indentation, with an optional closing sequence of #.
func atxHeading(line string) (int, string, bool) {
	indent, rest := leadingIndent(line)
	if indent > 3 || rest == "" || rest[0] != '#' {
		return 0, "", false
	}
	level := 0
	for level < len(rest) && rest[level] == '#' {
		level++
	}
	if level > 6 {
		return 0, "", false
	}
	text := rest[level:]
	if text != "" && text[0] != ' ' && text[0] != '\t' {
		return 0, "", false
	}
	text = strings.TrimSpace(text)
	if t := strings.TrimRight(text, "#"); t != text && (t == "" || strings.HasSuffix(t, " ") || strings.HasSuffix(t, "\t")) {
		text = strings.TrimSpace(t)
	}
	return level, text, true
}

// splitRow splits a pipe-table row into trimmed cells; "\|" is a literal
// pipe.
func splitRow(line string) []string {
	s := strings.TrimSpace(line)
	if strings.HasPrefix(s, "|") {
		s = s[1:]
	}
	if strings.HasSuffix(s, "|") && !strings.HasSuffix(s, `\|`) {
		s = s[:len(s)-1]
	}
	var cells []string
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == '|':
			b.WriteByte('|')
			i++
		case s[i] == '|':
			cells = append(cells, strings.TrimSpace(b.String()))
			b.Reset()
		default:
			b.WriteByte(s[i])
		}
	}
	return append(cells, strings.TrimSpace(b.String()))
}

// isDelimiterRow reports whether line is a table delimiter row (|---|:-:|)
// with n cells.
func isDelimiterRow(line string, n int) bool {
	if !strings.Contains(line, "-") {
		return false
	}
	cells := splitRow(line)
	if len(cells) != n {
		return false
	}
	for _, c := range cells {
		c = strings.TrimSuffix(strings.TrimPrefix(c, ":"), ":")
		if c == "" || strings.Trim(c, "-") != "" {
			return false
		}
	}
	return true
}

// mdTableRows converts a table as HTML tables are; ok is false when the
// headers are all blank.
func mdTableRows(header []string, body [][]string) ([]any, bool) {
	names, ok := tableHeader(header)
	if !ok {
		return nil, false
	}
	rows := make([]any, 0, len(body))
	for _, cells := range body {
		rows = append(rows, rowObject(names, cells))
	}
	return rows, true
}
