package parser

import (
	"encoding/binary"
	"math/bits"
)

// The pre-filter proves that a record holds no envelope. Every key the tokenizer
// acts on contains "ode" (code, error_code, subCode, status_code, response_code)
// or "tatus" (status, http_status), or the record is a text access line
// (`"GET /x HTTP/1.1" 200`); bytes.Index finds those needles with SIMD. A hit is
// then checked cheaply — is it the end of a key whose normalised name matters,
// followed by a separator and a plausible value? — which rejects node, mode,
// decode, "code":"ABC", "status":"ok", "error_code=" documentation and the like.
//
// The pre-filter must accept everything the tokenizer could turn into an
// envelope (it is a necessary condition), so its checks are looser than the
// tokenizer's: quotes, backslashes (escaped JSON at any level) and blanks between
// key, separator and value are skipped.
// maxKeyLookBack bounds the bytes walked back from a needle to find the key's start.
const maxKeyLookBack = 40

// interesting reports whether b may hold an envelope. One SWAR pass over 16
// bytes at a time flags the anchor bytes 'd'/'D' (of "ode"), 'u'/'U' (of
// "tatus") and 'H' (of "HTTP/"); each flagged byte is checked against its
// neighbours, and only a full needle goes on to keyAt. Rare anchors matter: an
// IndexByte loop per needle (or bytes.Index, which anchors on the frequent 'o'
// and 't') spends its time restarting on false hits, and five passes cost five
// times the memory traffic.
func interesting(b []byte) bool {
	const (
		lo  = 0x0101010101010101
		hi  = 0x8080808080808080
		low = 0x2020202020202020 // ASCII lowercase bit
		d   = 'd' * lo
		u   = 'u' * lo
		h   = 'H' * lo
	)
	i := 0
	for ; i+16 <= len(b); i += 16 {
		w0 := binary.LittleEndian.Uint64(b[i:])
		w1 := binary.LittleEndian.Uint64(b[i+8:])
		a0, a1 := w0|low, w1|low
		x0, y0, z0 := a0^d, a0^u, w0^h
		x1, y1, z1 := a1^d, a1^u, w1^h
		// (x-lo)&^x has the high bit set in every zero byte of x (and possibly
		// in a byte above one): a superset of the matches, checked below.
		m0 := ((x0 - lo) &^ x0) | ((y0 - lo) &^ y0) | ((z0 - lo) &^ z0)
		m1 := ((x1 - lo) &^ x1) | ((y1 - lo) &^ y1) | ((z1 - lo) &^ z1)
		if (m0|m1)&hi == 0 {
			continue
		}
		for m := m0 & hi; m != 0; m &= m - 1 {
			if anchorAt(b, i+bits.TrailingZeros64(m)>>3) {
				return true
			}
		}
		for m := m1 & hi; m != 0; m &= m - 1 {
			if anchorAt(b, i+8+bits.TrailingZeros64(m)>>3) {
				return true
			}
		}
	}
	if i < len(b) && len(b) >= 16 {
		// The tail: one more SWAR block, overlapping bytes already checked
		// (checking a byte twice is harmless).
		return interestingBlock(b, len(b)-16)
	}
	for ; i < len(b); i++ {
		if c := b[i] | 0x20; (c == 'd' || c == 'u' || b[i] == 'H') && anchorAt(b, i) {
			return true
		}
	}
	return false
}

// interestingBlock is interesting's loop body for the 16 bytes at i.
func interestingBlock(b []byte, i int) bool {
	const (
		lo  = 0x0101010101010101
		hi  = 0x8080808080808080
		low = 0x2020202020202020
		d   = 'd' * lo
		u   = 'u' * lo
		h   = 'H' * lo
	)
	w0 := binary.LittleEndian.Uint64(b[i:])
	w1 := binary.LittleEndian.Uint64(b[i+8:])
	a0, a1 := w0|low, w1|low
	x0, y0, z0 := a0^d, a0^u, w0^h
	x1, y1, z1 := a1^d, a1^u, w1^h
	m0 := ((x0 - lo) &^ x0) | ((y0 - lo) &^ y0) | ((z0 - lo) &^ z0)
	m1 := ((x1 - lo) &^ x1) | ((y1 - lo) &^ y1) | ((z1 - lo) &^ z1)
	for m := m0 & hi; m != 0; m &= m - 1 {
		if anchorAt(b, i+bits.TrailingZeros64(m)>>3) {
			return true
		}
	}
	for m := m1 & hi; m != 0; m &= m - 1 {
		if anchorAt(b, i+8+bits.TrailingZeros64(m)>>3) {
			return true
		}
	}
	return false
}

// anchorAt checks the needle around a flagged byte at i.
func anchorAt(b []byte, i int) bool {
	if i == 0 || i+1 >= len(b) {
		return false
	}
	// Every key of interest ends in "code" or "status" (error_code, subCode,
	// status_code, response_code...): node, mode and episode stop here.
	switch b[i] | 0x20 {
	case 'd': // "code", any case
		return i >= 2 && b[i-1]|0x20 == 'o' && b[i+1]|0x20 == 'e' && b[i-2]|0x20 == 'c' && keyAt(b, i+2)
	case 'u': // "status", any case
		return i >= 4 && b[i+1]|0x20 == 's' && b[i-1]|0x20 == 't' && b[i-2]|0x20 == 'a' &&
			b[i-3]|0x20 == 't' && b[i-4]|0x20 == 's' && keyAt(b, i+2)
	}
	return b[i] == 'H' && i+5 <= len(b) && string(b[i:i+5]) == "HTTP/" && accessStatusAt(b, i+5)
}

// keyAt checks a key that ends at end: its kind, a separator, a plausible value.
func keyAt(b []byte, end int) bool {
	if end < len(b) && isKeyByte(b[end]) {
		return false // "codec", "encoded", "status_text": the word goes on
	}
	j := skipQuoteBlank(b, end)
	if j >= len(b) || (b[j] != ':' && b[j] != '=') {
		return false // "decode payload": no separator, no key
	}
	start := end
	for start > 0 && end-start < maxKeyLookBack && isKeyByte(b[start-1]) {
		start--
	}
	if start > 0 && b[start-1] == '\\' && uQuote(b, start-1) > 0 {
		start += 5 // \u0022code: the key follows an escaped quote
	}
	kind := classifyKey(b[start:end])
	if kind != kErr && kind != kCode && kind != kStatus {
		return false
	}
	sep := b[j]
	blankBefore := j > end && (b[j-1] == ' ' || b[j-1] == '\t')
	if sep == '=' && j+1 < len(b) && b[j+1] == '=' {
		return false // a comparison
	}
	j++
	if j < len(b) && b[j] == '>' {
		j++ // Ruby's =>
	}
	if sep == '=' && !blankBefore {
		// logfmt: "error_code= and" has no value (the tokenizer agrees).
		for j < len(b) && (b[j] == '"' || b[j] == '\'' || b[j] == '\\') {
			j++
		}
	} else {
		j = skipQuoteBlank(b, j)
	}
	if j >= len(b) {
		return false
	}
	v := b[j]
	switch kind {
	case kErr:
		return (!isDigit(v) && class[v] == clWord) || v == '[' // ["…"]: a header's values
	case kCode:
		return v == '0' // alone, a code matters only as a success (0)
	default: // kStatus
		return v >= '1' && v <= '5'
	}
}

// accessStatusAt checks `HTTP/1.1" 200` (quote possibly escaped) after "HTTP/".
func accessStatusAt(b []byte, i int) bool {
	for i < len(b) && (isDigit(b[i]) || b[i] == '.') {
		i++
	}
	for i < len(b) && b[i] == '\\' {
		i++
	}
	if i >= len(b) || b[i] != '"' {
		return false
	}
	i++
	for i < len(b) && b[i] == ' ' {
		i++
	}
	return i+3 <= len(b) && b[i] >= '1' && b[i] <= '5' && isDigit(b[i+1]) && isDigit(b[i+2]) &&
		(i+3 == len(b) || !isDigit(b[i+3]))
}

func skipQuoteBlank(b []byte, j int) int {
	for j < len(b) {
		switch b[j] {
		case '\\':
			j += 1 + uQuote(b, j)
		case '"', '\'', ' ', '\t':
			j++
		default:
			return j
		}
	}
	return j
}

// uQuote returns 5 if a \u0022 or \u0027 (an escaped quote) starts at the
// backslash at j, else 0.
func uQuote(b []byte, j int) int {
	if j+6 <= len(b) && b[j+1] == 'u' && b[j+2] == '0' && b[j+3] == '0' && b[j+4] == '2' &&
		(b[j+5] == '2' || b[j+5] == '7') {
		return 5
	}
	return 0
}

func isKeyByte(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		c == '_' || c == '-' || c == '.'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
