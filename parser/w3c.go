package parser

import "bytes"

// W3C reads the W3C extended log format, whose data lines carry their fields
// by position only — IIS, IIS with Application Request Routing in front of an
// API, CloudFront's standard logs. A directive names the fields of the data
// lines after it:
//
//	#Fields: date time cs-method cs-uri-stem sc-status time-taken X-Error-Code
//	2026-11-24 03:12:55 POST /gate/lab/api/secondme/chat/stream 401 212 oauth2.token.expired
//
// Record turns such a data line into its fields named, the keys the parser
// reads in any key=value line (sc-status is an access status, X-Error-Code a
// header's error code, cs-method and cs-uri-stem the request):
//
//	date=2026-11-24 time=03:12:55 cs-method=POST cs-uri-stem=/gate/… sc-status=401 time-taken=212 X-Error-Code=oauth2.token.expired
//
// One W3C per file, fed every line of it in order (the zero value is ready);
// a file without a "#Fields:" directive passes through untouched. A W3C is
// not safe for concurrent use.
type W3C struct {
	names [][]byte // the fields of the last "#Fields:" directive; nil before one
	date  int      // the index of a "date" field a "time" field follows, or -1
	buf   []byte   // Record's result

	fields [][]byte // the fields of a line read without a directive (positional)
}

// w3cFields starts the directive that names the fields.
var w3cFields = []byte("#Fields:")

// Record returns the record to parse for line: a data line under a
// "#Fields:" directive as name=value pairs, any other line as it is (a
// directive, which also sets the names, a line whose field count is not the
// directive's, or every line of a file with no directive). The result is
// valid until the next call.
func (w *W3C) Record(line []byte) []byte {
	if len(line) == 0 {
		return line
	}
	if line[0] == '#' {
		if bytes.HasPrefix(line, w3cFields) {
			w.setFields(line[len(w3cFields):])
		}
		return line
	}
	data := line
	if data[len(data)-1] == '\r' {
		data = data[:len(data)-1] // CRLF: IIS writes it
	}
	if w.names == nil {
		// An IIS line read by position starts "2026-11-24 02:35:10 ": most
		// other lines are given up at their length and two bytes.
		if len(data) >= minIISLine && data[10] == ' ' && data[19] == ' ' {
			if named, ok := w.positional(data); ok {
				return named
			}
		}
		return line
	}
	if named, ok := w.named(data); ok {
		return named
	}
	return line
}

// Reset forgets the directive: the file was truncated or replaced.
func (w *W3C) Reset() { w.names = nil }

// Fields reports whether a "#Fields:" directive names the data lines.
func (w *W3C) Fields() bool { return w.names != nil }

func (w *W3C) setFields(list []byte) {
	w.names = w.names[:0]
	for _, f := range bytes.Fields(list) {
		w.names = append(w.names, bytes.Clone(f))
	}
	if len(w.names) == 0 {
		w.names = nil
	}
	w.date = -1
	for i := 0; i+1 < len(w.names); i++ {
		if string(w.names[i]) == "date" && string(w.names[i+1]) == "time" {
			w.date = i
			break
		}
	}
}

// named writes line's fields as name=value pairs, or reports false if their
// number is not the directive's. Fields are separated by tabs (CloudFront)
// if the line has any, else by blanks (IIS, whose values carry a blank as
// '+'). A value holding a blank, a quote or a backslash is
// quoted, its quotes and backslashes escaped.
func (w *W3C) named(line []byte) ([]byte, bool) {
	sep := byte(' ')
	if bytes.IndexByte(line, '\t') >= 0 {
		sep = '\t'
	}
	b := w.buf[:0]
	var date []byte          // the value of a date field to write with its time
	rest, more := line, true // more: a value is left (a tab-separated one may be empty)
	for i, name := range w.names {
		if sep == ' ' {
			rest = bytes.TrimLeft(rest, " ")
			more = len(rest) > 0
		}
		if !more {
			w.buf = b
			return nil, false // fewer values than names: no line of this directive
		}
		v := rest
		if j := bytes.IndexByte(rest, sep); j >= 0 {
			v, rest = rest[:j], rest[j+1:]
		} else {
			rest, more = nil, false
		}
		if i == w.date && w3cDate(v) && w3cTime(rest, sep) {
			date = v // written with the time that follows it
			continue
		}
		if len(b) > 0 {
			b = append(b, ' ')
		}
		b = append(b, name...)
		b = append(b, '=')
		if date != nil {
			// One RFC 3339 time (W3C logs are in UTC), which the analyzer
			// reads as the record's time.
			b = append(append(append(b, date...), 'T'), v...)
			b, date = append(b, 'Z'), nil
			continue
		}
		b = appendW3CValue(b, v)
	}
	if sep == ' ' {
		more = len(bytes.TrimLeft(rest, " ")) > 0
	}
	w.buf = b
	return b, !more // more: more values than names
}

func appendW3CValue(b, v []byte) []byte {
	if !bytes.ContainsAny(v, " \"\\") {
		return append(b, v...)
	}
	b = append(b, '"')
	for _, c := range v {
		if c == '"' || c == '\\' {
			b = append(b, '\\')
		}
		b = append(b, c)
	}
	return append(b, '"')
}

// w3cDate reports whether v is a date as W3C logs write it: 2026-11-24.
func w3cDate(v []byte) bool {
	return len(v) == 10 && v[4] == '-' && v[7] == '-' && allDigits(v[:4]) && allDigits(v[5:7]) && allDigits(v[8:])
}

// w3cTime reports whether the values rest (separated by sep) start with a
// time as W3C logs write it: 03:12:55, or with a fraction, 03:12:55.123.
func w3cTime(rest []byte, sep byte) bool {
	if sep == ' ' {
		rest = bytes.TrimLeft(rest, " ")
	}
	if len(rest) < 8 || rest[2] != ':' || rest[5] != ':' || !allDigits(rest[:2]) || !allDigits(rest[3:5]) || !allDigits(rest[6:8]) {
		return false
	}
	v := rest[8:]
	if len(v) > 0 && v[0] == '.' {
		v = v[1:]
		n := 0
		for n < len(v) && isDigit(v[n]) {
			n++
		}
		if n == 0 {
			return false
		}
		v = v[n:]
	}
	return len(v) == 0 || v[0] == sep
}
