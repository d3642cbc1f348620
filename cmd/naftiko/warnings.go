package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/naftiko/naftiko/spec"
)

// printWarnings writes the load warnings that concern a call of src on
// stderr (SPEC.md §2.2): those of the document root and of the called
// adapter, resource and operation; with all, every warning and element
// error of the document. Info diagnostics are never printed.
func (a *app) printWarnings(c *spec.Capability, src spec.OpRef, all bool) {
	color := a.colorOn(a.stderr)
	for _, d := range callWarnings(c, src, all) {
		line := d.String()
		if color {
			line = strings.Replace(line, ": warning: ", ": "+paint(true, sgrYellow, "warning")+": ", 1)
		}
		fmt.Fprintln(a.stderr, line)
	}
}

// warnPrefix is "naftiko: warning: ", the word coloured when color is on.
func warnPrefix(color bool) string {
	return "naftiko: " + paint(color, sgrYellow, "warning") + ": "
}

// warnf prints a warning of the command line on stderr:
// "naftiko: warning: MESSAGE", coloured on a terminal like every warning.
func (a *app) warnf(format string, args ...any) {
	fmt.Fprintf(a.stderr, warnPrefix(a.colorOn(a.stderr))+format+"\n", args...)
}

// callWarnings selects the diagnostics printed by printWarnings.
//
// An element's diagnostics are recognised by position: every adapter,
// resource, operation, exposes adapter, aggregate and binding starts a
// region of its file that extends to the start of the next one. A
// diagnostic belongs to the region it falls in; the part of the root file
// before the first region, and the bindings, are the document root.
func callWarnings(c *spec.Capability, src spec.OpRef, all bool) []spec.Diagnostic {
	var out []spec.Diagnostic
	if all {
		for _, d := range c.Diagnostics {
			if d.Severity != spec.SeverityInfo {
				out = append(out, d)
			}
		}
		return out
	}
	starts := regionStarts(c)
	used := map[spec.Pos]bool{}
	for _, p := range usedPositions(src) {
		used[regionKey(p)] = true
	}
	// Bindings belong to the document root wherever they are written.
	for _, b := range c.Binds {
		used[regionKey(b.Pos)] = true
	}
	for _, d := range c.Diagnostics {
		if d.Severity != spec.SeverityWarning {
			continue
		}
		owner, ok := regionOf(starts[d.Pos.File], d.Pos.Line)
		switch {
		case !ok:
			// Before every region: the document root, when in the root file.
			if d.Pos.File == c.File || d.Pos.File == "" {
				out = append(out, d)
			}
		case used[spec.Pos{File: d.Pos.File, Line: owner}]:
			out = append(out, d)
		}
	}
	return out
}

// usedPositions lists the positions of the elements a call of src uses.
func usedPositions(src spec.OpRef) []spec.Pos {
	var ps []spec.Pos
	if src.Adapter != nil {
		ps = append(ps, src.Adapter.Pos)
	}
	if src.Resource != nil {
		ps = append(ps, src.Resource.Pos)
	}
	if src.Op != nil {
		ps = append(ps, src.Op.Pos)
	}
	return ps
}

// regionKey reduces a position to the key of the region it starts.
func regionKey(p spec.Pos) spec.Pos { return spec.Pos{File: p.File, Line: p.Line} }

// regionStarts returns, per file, the sorted first lines of every element
// that starts a region.
func regionStarts(c *spec.Capability) map[string][]int {
	m := map[string][]int{}
	add := func(p spec.Pos) {
		if !p.IsZero() {
			m[p.File] = append(m[p.File], p.Line)
		}
	}
	for _, a := range c.Consumes {
		add(a.Pos)
		for _, r := range a.Resources {
			add(r.Pos)
			for _, o := range r.Operations {
				add(o.Pos)
			}
		}
	}
	for _, x := range c.Exposes {
		add(x.Pos)
	}
	for _, g := range c.Aggregates {
		add(g.Pos)
	}
	for _, b := range c.Binds {
		add(b.Pos)
	}
	for f, ls := range m {
		slices.Sort(ls)
		m[f] = slices.Compact(ls)
	}
	return m
}

// regionOf returns the start of the region containing line: the greatest
// start not after it. ok is false when line precedes every region.
func regionOf(starts []int, line int) (start int, ok bool) {
	i, found := slices.BinarySearch(starts, line)
	if found {
		return line, true
	}
	if i == 0 {
		return 0, false
	}
	return starts[i-1], true
}
