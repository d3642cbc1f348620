package spec

import (
	"strings"
	"testing"
)

// A UTF-16 or UTF-32 file is reported as such, not as "root is a string".
func TestParseUTFByteOrderMark(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"utf16le", []byte("\xff\xfen\x00a\x00:\x00"), "the file is UTF-16LE (little-endian) text (it starts with a byte-order mark); naftiko reads UTF-8"},
		{"utf16be", []byte("\xfe\xff\x00n\x00a"), "the file is UTF-16BE (big-endian) text (it starts with a byte-order mark); naftiko reads UTF-8"},
		{"utf32le", []byte("\xff\xfe\x00\x00n\x00\x00\x00"), "the file is UTF-32LE (little-endian) text (it starts with a byte-order mark); naftiko reads UTF-8"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.data, "u.yaml")
		se := AsError(err)
		if err == nil || se.Kind != KindSpec || len(se.Diagnostics) != 1 || se.Diagnostics[0].Message != tt.want ||
			se.Diagnostics[0].Rule != "encoding" || !strings.HasPrefix(se.Diagnostics[0].Hint, "convert it, e.g. iconv -f UTF-") {
			t.Errorf("%s: %v %+v", tt.name, err, se.Diagnostics)
		}
	}
}
