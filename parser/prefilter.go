package parser

import "bytes"

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
var (
	needleOde     = []byte("ode")
	needleODE     = []byte("ODE")
	needleTatus   = []byte("tatus")
	needleTATUS   = []byte("TATUS")
	needleHTTP    = []byte("HTTP/")
	maxKeyLookBak = 40 // bytes walked back from a needle to find the key's start
)

// interesting reports whether b may hold an envelope. Each needle is found by
// IndexByte on its rarest byte ('d' of "ode", 'u' of "tatus"): bytes.Index
// anchors on the first byte, and 'o' and 't' are so frequent in log text that
// it spends its time in false hits.
func interesting(b []byte) bool {
	return scanNeedle(b, 'd', 1, needleOde) || scanNeedle(b, 'u', 3, needleTatus) ||
		scanNeedle(b, 'H', 0, needleHTTP) || scanNeedle(b, 'D', 1, needleODE) ||
		scanNeedle(b, 'U', 3, needleTATUS)
}

// scanNeedle finds needle, whose byte at offset off is anchor, and checks each hit.
func scanNeedle(b []byte, anchor byte, off int, needle []byte) bool {
	for i := off; i < len(b); {
		k := bytes.IndexByte(b[i:], anchor)
		if k < 0 {
			return false
		}
		at := i + k - off
		i += k + 1
		end := at + len(needle)
		if end > len(b) || string(b[at:end]) != string(needle) {
			continue
		}
		if anchor == 'H' {
			if accessStatusAt(b, end) {
				return true
			}
		} else if keyAt(b, end) {
			return true
		}
	}
	return false
}

// keyAt checks a key that ends at end: its kind, a separator, a plausible value.
func keyAt(b []byte, end int) bool {
	if end < len(b) && isKeyByte(b[end]) {
		return false // "codec", "encoded", "status_text": the word goes on
	}
	start := end
	for start > 0 && end-start < maxKeyLookBak && isKeyByte(b[start-1]) {
		start--
	}
	kind := classifyKey(b[start:end])
	if kind != kErr && kind != kCode && kind != kStatus {
		return false
	}
	j := skipQuoteBlank(b, end)
	if j >= len(b) || (b[j] != ':' && b[j] != '=') {
		return false
	}
	if b[j] == '=' && j+1 < len(b) && b[j+1] == '=' {
		return false // a comparison
	}
	j++
	if j < len(b) && b[j] == '>' {
		j++ // Ruby's =>
	}
	j = skipQuoteBlank(b, j)
	if j >= len(b) {
		return false
	}
	v := b[j]
	switch kind {
	case kErr:
		return !isDigit(v) && class[v] == clWord
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
		case '"', '\'', '\\', ' ', '\t':
			j++
		default:
			return j
		}
	}
	return j
}

func isKeyByte(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		c == '_' || c == '-' || c == '.'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
