package engine

import (
	"fmt"
	"strings"
)

// suggest returns up to three candidates close to name: case-insensitive
// equality first, then Levenshtein distance ≤ maxDist, then substring.
func suggest(name string, candidates []string, maxDist int) []string {
	var out []string
	seen := map[string]bool{}
	add := func(c string) {
		if !seen[c] && len(out) < 3 {
			seen[c] = true
			out = append(out, c)
		}
	}
	lower := strings.ToLower(name)
	for _, c := range candidates {
		if strings.ToLower(c) == lower {
			add(c)
		}
	}
	for d := 1; d <= maxDist; d++ {
		for _, c := range candidates {
			if levenshtein(lower, strings.ToLower(c)) == d {
				add(c)
			}
		}
	}
	if lower != "" {
		for _, c := range candidates {
			lc := strings.ToLower(c)
			if strings.Contains(lc, lower) || strings.Contains(lower, lc) {
				add(c)
			}
		}
	}
	return out
}

// didYouMean formats suggestions as " (did you mean `a` or `b`?)".
func didYouMean(s []string) string {
	if len(s) == 0 {
		return ""
	}
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = "`" + v + "`"
	}
	return fmt.Sprintf(" (did you mean %s?)", strings.Join(q, " or "))
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) == 0 {
		return len(rb)
	}
	if len(rb) == 0 {
		return len(ra)
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
