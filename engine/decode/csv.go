package decode

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
)

// decodeDelimited converts CSV (sep ','), TSV ('\t') or PSV ('|') into a
// list of row objects (SPEC.md §9.1): RFC 4180 quoting; the first row is
// the header (an empty header becomes column_N, a repeated one gets _2,
// _3…); each following row maps header → typed cell, short rows getting ""
// and extra cells dropped; blank lines are skipped; a header alone gives
// an empty list.
func decodeDelimited(body []byte, sep rune) (any, error) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	r := csv.NewReader(bytes.NewReader(body))
	r.Comma = sep
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	rows := []any{}
	var header []string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if header == nil {
			header = headerNames(append([]string(nil), rec...))
			continue
		}
		rows = append(rows, rowObject(header, rec))
	}
	return rows, nil
}
