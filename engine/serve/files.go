package serve

import (
	"os"
	"path/filepath"
	"strings"
)

// safeFile resolves rel (slash-separated) under dir, a real directory path,
// with the rules of SPEC.md §11.3 for files served from a `location`: every
// segment matches [A-Za-z0-9._-]+ and is neither "." nor "..", the resolved
// real path stays under dir, and it is a regular file. ok is false
// otherwise.
func safeFile(dir, rel string) (path string, fi os.FileInfo, ok bool) {
	if rel == "" {
		return "", nil, false
	}
	for _, seg := range strings.Split(rel, "/") {
		if !safeSegment.MatchString(seg) || seg == "." || seg == ".." {
			return "", nil, false
		}
	}
	p, err := filepath.EvalSymlinks(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil || !strings.HasPrefix(p, dir+string(filepath.Separator)) {
		return "", nil, false
	}
	fi, err = os.Stat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return "", nil, false
	}
	return p, fi, true
}
