package tailer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// A W3C extended log (IIS, CloudFront) names its fields in a "#Fields:"
// directive near the top of the file; its data lines have none of their own
// (parser.W3C). A follower resuming such a file at a saved offset, or at its
// end, has not read the directive: w3cFieldsBefore finds the last one before
// the offset.

var w3cDirective = []byte("\n#Fields:")

// w3cFieldsBefore returns the last "#Fields:" directive line of fh that starts
// before off, or nil: none, or fh is no W3C extended log (its first byte is
// not the '#' of a directive). It reads backwards from off, a window at a
// time, so the common case — the directive a few lines or a rotation ago —
// costs one read.
func w3cFieldsBefore(fh file, off int64) ([]byte, error) {
	if off <= 0 {
		return nil, nil
	}
	var first [1]byte
	if _, err := fh.ReadAt(first[:], 0); err != nil {
		return nil, ignoreEOF(err)
	}
	if first[0] != '#' {
		return nil, nil
	}
	const window = 64 << 10
	buf := make([]byte, window+len(w3cDirective))
	start := int64(-1)
	for end := off; end > 0 && start < 0; end -= window {
		from := max(0, end-window)
		// Overlap the next window by the directive's length less one byte, so
		// that one spanning the boundary is found; a directive must start
		// (its '#') before off.
		to := min(end+int64(len(w3cDirective))-1, off+int64(len(w3cDirective))-2)
		n, err := fh.ReadAt(buf[:to-from], from)
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("read W3C directive: %w", err)
		}
		chunk := buf[:n]
		if i := bytes.LastIndex(chunk, w3cDirective); i >= 0 {
			start = from + int64(i) + 1
		} else if from == 0 && bytes.HasPrefix(chunk, w3cDirective[1:]) {
			start = 0
		}
	}
	if start < 0 {
		return nil, nil
	}
	line := make([]byte, window)
	n, err := fh.ReadAt(line, start)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read W3C directive: %w", err)
	}
	line = line[:n]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	return bytes.TrimSuffix(line, []byte("\r")), nil
}

func ignoreEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return nil
	}
	return err
}
