package parser

import "bytes"

// journalctl -o json (and -o json-pretty, -o json-sse) writes a field whose
// value is no valid UTF-8 or holds control bytes — a message with colour
// codes, or with CR LF line ends — as an array of its byte values:
//
//	{"__REALTIME_TIMESTAMP":"…","_SYSTEMD_UNIT":"api.service","MESSAGE":[27,91,51,49,109,…]}
//
// The MESSAGE array of such an export is decoded and read as the message
// string's content would be: as a record of its own inside the export's.

// maxJournalMessage bounds the bytes a MESSAGE array is decoded into (the
// journal's own default line maximum is 48 KiB).
const maxJournalMessage = 64 << 10

var journalMessageKey = []byte(`"MESSAGE"`)

// journalStart is the first look for a journal export record: "{", then the
// quote and underscore of its first key ({"__CURSOR"…), or the line break of
// json-pretty. Inlined.
func journalStart(b []byte) bool {
	return len(b) > 2 && b[0] == '{' && (b[2] == '_' || b[1] == '\n')
}

// journalMessage returns the index of the "[" of the MESSAGE array of a journal
// export record b (journalStart, and its first key starts "__", as journalctl
// writes __CURSOR or __REALTIME_TIMESTAMP first), or -1.
//
//go:noinline
func journalMessage(b []byte) int {
	if !journalStart(b) {
		return -1
	}
	if i := skipBlank(b, 1); i+3 > len(b) || string(b[i:i+3]) != `"__` {
		return -1
	}
	k := bytes.Index(b, journalMessageKey)
	if k < 0 {
		return -1
	}
	j := skipBlank(b, k+len(journalMessageKey))
	if j >= len(b) || b[j] != ':' {
		return -1
	}
	if j = skipBlank(b, j+1); j >= len(b) || b[j] != '[' {
		return -1
	}
	return j
}

// appendByteArray appends to dst the bytes of the JSON array of byte values
// (integers 0-255, blanks allowed) opening at b[i], and returns the index after
// its "]". ok is false, and dst unchanged, for anything else: another value, a
// number out of range, an array cut by the end of the text or longer than
// maxJournalMessage.
func appendByteArray(dst, b []byte, i int) (out []byte, next int, ok bool) {
	n0 := len(dst)
	j := skipBlank(b, i+1)
	if j < len(b) && b[j] == ']' {
		return dst, j + 1, true
	}
	for j < len(b) {
		v, d := 0, j
		for j < len(b) && isDigit(b[j]) && j-d < 3 {
			v = v*10 + int(b[j]-'0')
			j++
		}
		if j == d || v > 255 || len(dst)-n0 >= maxJournalMessage {
			return dst[:n0], i, false
		}
		dst = append(dst, byte(v))
		if j = skipBlank(b, j); j >= len(b) {
			break
		}
		switch b[j] {
		case ',':
			j = skipBlank(b, j+1)
			continue
		case ']':
			return dst, j + 1, true
		}
		break
	}
	return dst[:n0], i, false
}

// journalBytes reads the array at b[i], the value of a key (key), if it is
// the MESSAGE byte array of a journal export record (b, at level 0, as
// journalMessage finds it, so that the pre-filter and the tokenizer agree): as
// the content of a string, a record nested in the record's frame. It returns
// the index after the array, or 0 if it is none (the tokenizer then reads it
// as any array).
//
//go:noinline
func (p *Parser) journalBytes(b, key []byte, i, lvl int) int {
	if lvl != 0 || string(key) != "MESSAGE" {
		return 0
	}
	if p.journal == 0 {
		p.journal = 2 + journalMessage(b) // once per record: a record of many MESSAGE keys stays linear
	}
	if p.journal-2 != i {
		return 0
	}
	msg, next, ok := appendByteArray(p.scratch[lvl+1][:0], b, i)
	if !ok {
		return 0
	}
	p.scratch[lvl+1] = msg
	if len(msg) >= minNested && bytes.ContainsAny(msg, ":=") && interesting(msg) && !p.tooDeep(lvl, msg) {
		p.scanNested(msg, lvl+1)
	}
	return next
}
