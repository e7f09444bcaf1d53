// Package containerlog reads the files container runtimes write an
// application's standard output and error into, and gives back the lines the
// application wrote: the CRI format of containerd and CRI-O
// (/var/log/pods/…/0.log: "2026-11-24T10:00:00.123456789Z stdout F text") and
// Docker's json-file driver (/var/lib/docker/containers/…-json.log:
// {"log":"text\n","stream":"stdout","time":"…"}). Both split a long line into
// partial pieces (the CRI tag P, a json-file "log" without its newline); a
// Decoder joins them again, per stream, within a byte bound.
package containerlog

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"unicode/utf8"
)

// Format is how the lines of a file wrap what the application wrote.
type Format uint8

const (
	// Raw lines are the application's own.
	Raw Format = iota
	// CRI is the Container Runtime Interface log format (Kubernetes).
	CRI
	// Docker is Docker's json-file logging driver.
	Docker
)

var formatNames = [...]string{Raw: "raw", CRI: "cri", Docker: "docker"}

func (f Format) String() string {
	if int(f) < len(formatNames) {
		return formatNames[f]
	}
	return fmt.Sprintf("Format(%d)", uint8(f))
}

// ParseFormat returns the Format named s ("" is Raw).
func ParseFormat(s string) (Format, error) {
	if s == "" {
		return Raw, nil
	}
	for f, n := range formatNames {
		if s == n {
			return Format(f), nil
		}
	}
	return Raw, fmt.Errorf("unknown log format %q (want raw, cri or docker)", s)
}

// Formats lists the names ParseFormat accepts.
func Formats() []string { return formatNames[:] }

// Decoder unwraps the lines of one file. Not safe for concurrent use.
type Decoder struct {
	format   Format
	maxBytes int
	// OnOverflow, if set, is told of a line whose pieces add up to more than
	// the byte bound: it is dropped (the rest of its pieces are skipped).
	OnOverflow func()
	held       [2]held // per stream: stdout, stderr
	mismatched uint64
	scratch    []byte
}

// held is a stream's partial line.
type held struct {
	buf      []byte
	start    int64 // file offset of its first piece
	on       bool  // pieces are held
	skipping bool  // an overflowed line: drop pieces up to its last
}

// NewDecoder returns a Decoder of format for lines of at most maxBytes once
// joined.
func NewDecoder(format Format, maxBytes int) *Decoder {
	return &Decoder{format: format, maxBytes: maxBytes}
}

// Format is the format d reads.
func (d *Decoder) Format() Format { return d.format }

// Mismatched is how many lines were not in d's format; Add passed them on
// as they are.
func (d *Decoder) Mismatched() uint64 { return d.mismatched }

// Add reads one line of the file (without its newline) that starts at file
// offset start. Each application line it completes goes to emit, with the
// offset of the file line its first piece was on; content is only valid
// during the call. A line not in the format goes to emit unchanged, and Add
// returns false.
func (d *Decoder) Add(line []byte, start int64, emit func(content []byte, start int64)) bool {
	var (
		content     []byte
		stream      int
		partial, ok bool
	)
	switch d.format {
	case CRI:
		content, stream, partial, ok = cri(line)
	case Docker:
		d.scratch, stream, partial, ok = docker(line, d.scratch[:0])
		content = d.scratch
	default:
		emit(line, start)
		return true
	}
	if !ok {
		d.mismatched++
		emit(line, start)
		return false
	}
	h := &d.held[stream]
	switch {
	case h.skipping:
		if !partial {
			h.skipping = false
		}
	case partial:
		if !h.on {
			h.on, h.start, h.buf = true, start, h.buf[:0]
		}
		if len(h.buf)+len(content) > d.maxBytes {
			d.overflow(h)
			h.skipping = true
			return true
		}
		h.buf = append(h.buf, content...)
	case h.on:
		if len(h.buf)+len(content) > d.maxBytes {
			d.overflow(h)
			return true
		}
		h.buf = append(h.buf, content...)
		h.on = false
		emit(h.buf, h.start)
		d.trim(h)
	default:
		emit(content, start)
	}
	return true
}

func (d *Decoder) overflow(h *held) {
	h.on = false
	d.trim(h)
	if d.OnOverflow != nil {
		d.OnOverflow()
	}
}

// trim lets a buffer grown by one long line go.
func (d *Decoder) trim(h *held) {
	if cap(h.buf) > 64<<10 {
		h.buf = nil
	}
}

// MinDockerRecordBytes is the least record bound a Docker input needs: the
// json-file driver writes pieces of at most 16 KiB of text, which JSON
// escaping may grow up to six times (\u0000 for a control byte). With a
// bound at least this large no piece is too long to be read; Skip cannot
// tell a Docker piece's stream, which is written after its text.
const MinDockerRecordBytes = 128 << 10

// Skip is told of a line of the file too long to be read, by its first
// bytes. The application's line it is a piece of is dropped: a CRI piece
// tagged P makes the rest of that line skipped up to its last piece, one
// tagged F ends it. Skip reports whether the caller should count a dropped
// line: not for a further piece of a line already dropped (and counted).
func (d *Decoder) Skip(prefix []byte) (count bool) {
	if d.format != CRI {
		return true
	}
	_, stream, partial, ok := cri(prefix)
	if !ok {
		return true
	}
	h := &d.held[stream]
	count = !h.skipping
	h.on = false
	d.trim(h)
	h.skipping = partial
	return count
}

// Pending reports whether partial pieces are held.
func (d *Decoder) Pending() bool { return d.held[0].on || d.held[1].on }

// PendingStart is the file offset of the oldest held piece, or -1: a reader
// that resumes from there reads every piece of the held lines again.
func (d *Decoder) PendingStart() int64 {
	s := int64(-1)
	for i := range d.held {
		if h := &d.held[i]; h.on && (s < 0 || h.start < s) {
			s = h.start
		}
	}
	return s
}

// Flush hands out the held pieces as complete lines (nothing will complete
// them: the file ended, was truncated or left), the oldest first.
func (d *Decoder) Flush(emit func(content []byte, start int64)) {
	a, b := &d.held[0], &d.held[1]
	if b.on && (!a.on || b.start < a.start) {
		a, b = b, a
	}
	for _, h := range []*held{a, b} {
		if h.on {
			h.on = false
			emit(h.buf, h.start)
			d.trim(h)
		}
		h.skipping = false
	}
}

// Reset drops what is held: the reader resumes from PendingStart.
func (d *Decoder) Reset() {
	for i := range d.held {
		d.held[i] = held{}
	}
}

// cri splits a CRI line: "<RFC 3339 time> <stdout|stderr> <P|F>[:more tags] <content>".
func cri(line []byte) (content []byte, stream int, partial, ok bool) {
	sp := bytes.IndexByte(line, ' ')
	if sp < 20 || !criTime(line[:sp]) {
		return nil, 0, false, false
	}
	rest := line[sp+1:]
	switch {
	case bytes.HasPrefix(rest, []byte("stdout ")):
	case bytes.HasPrefix(rest, []byte("stderr ")):
		stream = 1
	default:
		return nil, 0, false, false
	}
	rest = rest[7:]
	if len(rest) == 0 || (rest[0] != 'P' && rest[0] != 'F') {
		return nil, 0, false, false
	}
	partial = rest[0] == 'P'
	tag := bytes.IndexByte(rest, ' ')
	if tag < 0 {
		tag = len(rest) // an empty line: "… stdout F"
	}
	if tag > 1 && rest[1] != ':' {
		return nil, 0, false, false
	}
	if tag < len(rest) {
		tag++
	}
	return rest[tag:], stream, partial, true
}

// criTime checks the shape of an RFC 3339 time: 2026-11-24T10:00:00….
func criTime(t []byte) bool {
	if len(t) < 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':' {
		return false
	}
	for _, i := range [...]int{0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18} {
		if t[i] < '0' || t[i] > '9' {
			return false
		}
	}
	return true
}

var (
	dockerLog    = []byte(`{"log":"`)
	dockerStderr = []byte(`"stream":"stderr"`)
	dockerStdout = []byte(`"stream":"stdout"`)
)

// docker decodes a json-file line, {"log":"…","stream":"…",…,"time":"…"},
// appending the log string's content to dst. A content that does not end in
// a newline is a piece of a longer line (the driver splits at 16 KiB).
func docker(line, dst []byte) (content []byte, stream int, partial, ok bool) {
	if !bytes.HasPrefix(line, dockerLog) {
		return dst, 0, false, false
	}
	i := len(dockerLog)
	end := stringEnd(line, i)
	if end < 0 {
		return dst, 0, false, false
	}
	rest := line[end+1:]
	switch {
	case bytes.Contains(rest, dockerStdout):
	case bytes.Contains(rest, dockerStderr):
		stream = 1
	default:
		return dst, 0, false, false
	}
	if len(rest) == 0 || rest[len(rest)-1] != '}' {
		return dst, 0, false, false
	}
	dst = unescape(dst, line[i:end])
	if n := len(dst); n > 0 && dst[n-1] == '\n' {
		dst = dst[:n-1]
		if n := len(dst); n > 0 && dst[n-1] == '\r' {
			dst = dst[:n-1]
		}
		return dst, stream, false, true
	}
	return dst, stream, true, true
}

// stringEnd returns the index of the quote ending the JSON string whose
// content starts at i, or -1: the first quote after an even number of
// backslashes.
func stringEnd(b []byte, i int) int {
	for j := i; ; {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return -1
		}
		q := j + k
		p := q - 1
		for p >= i && b[p] == '\\' {
			p--
		}
		if (q-1-p)%2 == 0 {
			return q
		}
		j = q + 1
	}
}

// unescape appends the JSON string content s with its escapes resolved. A
// broken escape is kept as written.
func unescape(dst, s []byte) []byte {
	for len(s) > 0 {
		k := bytes.IndexByte(s, '\\')
		if k < 0 || k+1 >= len(s) {
			return append(dst, s...)
		}
		dst = append(dst, s[:k]...)
		c := s[k+1]
		s = s[k+2:]
		switch c {
		case 'n':
			dst = append(dst, '\n')
		case 't':
			dst = append(dst, '\t')
		case 'r':
			dst = append(dst, '\r')
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'u':
			r, ok := hex4(s)
			if !ok {
				dst = append(dst, '\\', 'u')
				continue
			}
			s = s[4:]
			if r >= 0xD800 && r < 0xDC00 && len(s) >= 6 && s[0] == '\\' && s[1] == 'u' {
				if lo, ok := hex4(s[2:]); ok && lo >= 0xDC00 && lo < 0xE000 {
					r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
					s = s[6:]
				}
			}
			dst = utf8.AppendRune(dst, r)
		default: // " \ / and anything else: the character itself
			dst = append(dst, c)
		}
	}
	return dst
}

// hex4 reads the four hex digits of a \u escape.
func hex4(s []byte) (rune, bool) {
	var v [2]byte
	if len(s) < 4 {
		return 0, false
	}
	if _, err := hex.Decode(v[:], s[:4]); err != nil {
		return 0, false
	}
	return rune(v[0])<<8 | rune(v[1]), true
}
