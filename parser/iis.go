package parser

import (
	"bytes"

	"github.com/secondme/secondme_error_exporter/catalog"
)

// An IIS log line can come without the "#Fields:" directive that names its
// fields: a file whose header went with an earlier file, a follower that
// started at a file's end after the header's rotation, a line copied into
// another log. IIS writes the fields it is configured to log in one fixed
// order whatever it selects —
//
//	date time s-sitename s-computername s-ip cs-method cs-uri-stem cs-uri-query
//	s-port cs-username c-ip cs-version cs(User-Agent) cs(Cookie) cs(Referer)
//	cs-host sc-status sc-substatus sc-win32-status sc-bytes cs-bytes time-taken
//
// then its custom fields (a logged response header) —, and HTTP.sys's error
// log (HTTPERR) writes
//
//	date time c-ip c-port s-ip s-port cs-version cs-method cs-uri streamid
//	sc-status s-siteid s-reason s-queuename
//
// so either is read by position without a directive (W3C.positional): the
// line starts with the date and time ("2026-11-24 02:35:10 ", no fraction),
// holds no quote, tab or brace, and names a method and a path among its first
// fields. In IIS's order the status is the first of three numbers in a row
// after the path (sc-status sc-substatus sc-win32-status), and an error code
// of a module the embedded catalog knows among the fields after them is the
// error-code header's (a host, which fits the grammar, comes before the
// status); in HTTPERR's the version precedes the method, and the status
// follows the path (and the stream id) before the site id and the reason.

// maxIISFields bounds the fields of a line read by position: IIS logs at most
// 21 standard fields and a few custom ones.
const maxIISFields = 40

// minIISLine is the shortest line read by position: a date, a time, a
// method, a path and a status with its two numbers.
const minIISLine = len("2026-11-24 02:35:10 GET / 200 0 0")

// positional writes line, an IIS or HTTPERR line read without a directive,
// as the named fields the parser reads (time, cs-method, cs-uri-stem,
// sc-status, X-Error-Code), or reports false if line is neither.
func (w *W3C) positional(line []byte) ([]byte, bool) {
	if len(line) < minIISLine || !w3cDate(line[:10]) || line[10] != ' ' || !iisClock(line[11:19]) || line[19] != ' ' {
		return nil, false
	}
	// The method, and the path after it: the first field to start with a
	// slash. s-sitename, s-computername and s-ip may precede the method, or
	// HTTPERR's c-ip, c-port, s-ip, s-port and cs-version. An application's
	// line that starts with a date is mostly given up here, read fast.
	k := 0 // the blank before the path, from line[20:]
	for {
		j := bytes.IndexByte(line[20+k+1:], '/')
		if j < 0 {
			return nil, false
		}
		if k += j + 1; line[20+k-1] == ' ' {
			k--
			break
		}
	}
	ms := 20 + bytes.LastIndexByte(line[20:20+k], ' ') + 1
	m := fieldCount(line[20:ms]) // the fields before the method
	if !methodToken(line[ms:20+k]) || m > 5 ||
		bytes.IndexByte(line, '"') >= 0 || bytes.IndexByte(line, '\t') >= 0 || bytes.IndexByte(line, '{') >= 0 {
		return nil, false
	}
	field := w.fields[:0]
	for f, i := nextField(line, 20); len(f) > 0; f, i = nextField(line, i) {
		if len(field) == maxIISFields {
			w.fields = field
			return nil, false
		}
		field = append(field, f)
	}
	w.fields = field
	n := len(field)
	status, code := 0, []byte(nil)
	if m > 0 && bytes.HasPrefix(field[m-1], []byte("HTTP/")) {
		// HTTPERR: the status after the path, or after the path and the
		// stream id, then the site id and the reason.
		for k := m + 2; k <= m+3 && k+2 < n; k++ {
			if s := statusField(field[k]); s > 0 && (dashField(field[k+1]) || digitsField(field[k+1], 10)) && reasonField(field[k+2]) {
				status = s
				break
			}
		}
	} else {
		for k := m + 2; k+2 < n; k++ {
			if s := statusField(field[k]); s > 0 && digitsField(field[k+1], 3) && digitsField(field[k+2], 10) {
				status = s
				cat := catalog.Default()
				for _, f := range field[k+3 : n] {
					if catalogCode(cat, f) {
						code = f
						break
					}
				}
				break
			}
		}
	}
	if status == 0 {
		return nil, false
	}
	path := field[m+1]
	if q := bytes.IndexByte(path, '?'); q >= 0 {
		path = path[:q] // HTTPERR's cs-uri: a query is not read
	}
	b := append(w.buf[:0], "time="...)
	b = append(append(append(b, line[:10]...), 'T'), line[11:19]...)
	b = append(append(b, "Z cs-method="...), field[m]...)
	b = appendW3CValue(append(b, " cs-uri-stem="...), path)
	b = append(b, " sc-status="...)
	b = append(b, byte('0'+status/100), byte('0'+status/10%10), byte('0'+status%10))
	if code != nil {
		b = append(append(b, " X-Error-Code="...), code...)
	}
	w.buf = b
	return b, true
}

// iisClock reports whether v is a time as IIS writes it: 02:35:10.
func iisClock(v []byte) bool {
	return len(v) == 8 && v[2] == ':' && v[5] == ':' && allDigits(v[:2]) && allDigits(v[3:5]) && allDigits(v[6:])
}

// methodToken reports whether f is an HTTP method: 3 to 10 capital letters
// (GET, POST, PROPFIND...).
func methodToken(f []byte) bool {
	if len(f) < 3 || len(f) > 10 {
		return false
	}
	for _, c := range f {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

// statusField returns f as an HTTP status (three digits, 100 to 599), else 0.
func statusField(f []byte) int {
	if len(f) != 3 {
		return 0
	}
	status, _ := statusAt(f, 0)
	return status
}

// digitsField reports whether f is a number of 1 to max digits.
func digitsField(f []byte, max int) bool { return len(f) >= 1 && len(f) <= max && allDigits(f) }

func dashField(f []byte) bool { return len(f) == 1 && f[0] == '-' }

// reasonField reports whether f is an HTTPERR reason: BadRequest,
// Timer_ConnectionIdle, Connection_Abandoned_By_ReqQueue...
func reasonField(f []byte) bool {
	if len(f) == 0 || f[0] < 'A' || f[0] > 'Z' {
		return false
	}
	for _, c := range f {
		if (c < 'A' || c > 'Z') && (c < 'a' || c > 'z') && !isDigit(c) && c != '_' {
			return false
		}
	}
	return true
}

// nextField returns the blank-separated field of b at or after i (empty at
// the end) and the index after it.
func nextField(b []byte, i int) ([]byte, int) {
	for i < len(b) && b[i] == ' ' {
		i++
	}
	s := i
	for i < len(b) && b[i] != ' ' {
		i++
	}
	return b[s:i], i
}

// fieldCount counts the blank-separated fields of b.
func fieldCount(b []byte) int {
	n := 0
	for f, i := nextField(b, 0); len(f) > 0; f, i = nextField(b, i) {
		n++
	}
	return n
}
