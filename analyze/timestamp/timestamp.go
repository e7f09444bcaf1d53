// Package timestamp finds the event time written inside a log record.
//
// The one idea: given the bytes of one record that is already known to carry
// an envelope, return the time the application wrote into it. The exporter
// never needs this (it uses the wall clock); the offline analyzer does, to put
// replayed records on a timeline. Because it only runs on the few records
// that carry an envelope, it favours clarity and strictness over raw speed,
// but it still parses digits by hand instead of trying a list of
// time.Parse layouts, which keeps it allocation-free and predictable.
//
// Recognised shapes, tried in this order:
//
//  1. A leading timestamp, optionally inside "[" "]": ISO 8601 / RFC 3339
//     (2026-11-24T10:00:00Z, 2026-11-24T10:00:00.123+08:00), the same with a
//     space instead of "T", and Python logging's comma fraction
//     (2026-11-24 10:00:00,123).
//  2. A JSON field "time", "ts", "timestamp" or "@timestamp" (the first one
//     found), whose value is an ISO 8601 string or an epoch number (seconds,
//     milliseconds, microseconds or nanoseconds, told apart by magnitude;
//     a fraction is allowed; the number may be quoted).
//  3. A logfmt field time=, ts= or timestamp= with the same value forms.
//  4. An nginx/Apache access-log time anywhere in the record:
//     [24/Nov/2026:10:00:00 +0000].
//
// A time without a zone (Python logging, "2026-11-24 10:00:00") is read in
// the Extractor's location, UTC unless told otherwise.
package timestamp

import (
	"bytes"
	"time"
)

// Extractor reads event times from records. The zero value reads zone-less
// times as UTC. It holds no per-record state and is safe for concurrent use.
type Extractor struct {
	// Location applies to times written without a zone. nil means UTC.
	Location *time.Location
}

// Shape names the form a time was found in; the analyzer reports how many
// records used each shape, which tells a reader whether the timeline comes
// from where they think it does.
type Shape uint8

// The shapes Extract recognises. None means no time was found.
const (
	None Shape = iota
	Leading
	JSONField
	LogfmtField
	AccessLog
)

// String returns the stable name of a shape, used in reports.
func (s Shape) String() string {
	switch s {
	case Leading:
		return "leading"
	case JSONField:
		return "json_field"
	case LogfmtField:
		return "logfmt_field"
	case AccessLog:
		return "access_log"
	default:
		return "none"
	}
}

// Epoch magnitude windows. A bare number is only taken as a time when it
// falls in one of these, so small integers in a "ts" field (a sequence
// number, a duration) are not mistaken for 1970.
const (
	minEpochSeconds = 1e9  // 2001-09-09
	maxEpochSeconds = 1e11 // year 5138
	minEpochMillis  = 1e12
	maxEpochMillis  = 1e14
	minEpochMicros  = 1e15
	maxEpochMicros  = 1e17
	minEpochNanos   = 1e18
)

// Extract returns the event time written in record and the shape it was
// found in; ok is false when the record carries no recognisable time.
func (e Extractor) Extract(record []byte) (t time.Time, shape Shape, ok bool) {
	loc := e.Location
	if loc == nil {
		loc = time.UTC
	}
	if t, ok := leading(record, loc); ok {
		return t, Leading, true
	}
	if t, ok := jsonField(record, loc); ok {
		return t, JSONField, true
	}
	if t, ok := logfmtField(record, loc); ok {
		return t, LogfmtField, true
	}
	if t, ok := accessLog(record); ok {
		return t, AccessLog, true
	}
	return time.Time{}, None, false
}

// leading parses an ISO 8601 time at the start of the record, after optional
// blanks and an optional "[".
func leading(b []byte, loc *time.Location) (time.Time, bool) {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	if i < len(b) && b[i] == '[' {
		i++
	}
	t, _, ok := parseISO(b[i:], loc)
	return t, ok
}

var jsonKeys = [][]byte{[]byte(`"time"`), []byte(`"ts"`), []byte(`"timestamp"`), []byte(`"@timestamp"`)}

// jsonField finds the known time keys used as JSON keys (followed by
// optional blanks and ":") and parses the value of the earliest one that
// holds a time; a key whose value is not a time (a nested object, a
// duration) does not hide a later one that is.
func jsonField(b []byte, loc *time.Location) (time.Time, bool) {
	if bytes.IndexByte(b, '{') < 0 {
		return time.Time{}, false
	}
	var cands [4]struct {
		pos int
		val []byte
	}
	n := 0
	for _, k := range jsonKeys {
		off := 0
		for {
			j := bytes.Index(b[off:], k)
			if j < 0 {
				break
			}
			j += off
			off = j + len(k)
			v := skipBlanks(b[off:])
			if len(v) == 0 || v[0] != ':' {
				continue // the key text appeared as a value or inside a string
			}
			cands[n].pos, cands[n].val = j, skipBlanks(v[1:])
			n++
			break
		}
	}
	// Insertion sort of at most four candidates by position.
	for i := 1; i < n; i++ {
		for j := i; j > 0 && cands[j].pos < cands[j-1].pos; j-- {
			cands[j], cands[j-1] = cands[j-1], cands[j]
		}
	}
	for i := 0; i < n; i++ {
		if t, ok := parseValue(cands[i].val, loc); ok {
			return t, true
		}
	}
	return time.Time{}, false
}

var logfmtKeys = [][]byte{[]byte("time="), []byte("ts="), []byte("timestamp=")}

// logfmtField finds key=value pairs whose key starts at a word boundary.
func logfmtField(b []byte, loc *time.Location) (time.Time, bool) {
	for _, k := range logfmtKeys {
		off := 0
		for {
			j := bytes.Index(b[off:], k)
			if j < 0 {
				break
			}
			j += off
			off = j + len(k)
			if j > 0 && !isBoundary(b[j-1]) {
				continue // e.g. "runtime=" or "starts="
			}
			if t, ok := parseValue(b[off:], loc); ok {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

func isBoundary(c byte) bool {
	return c == ' ' || c == '\t' || c == ',' || c == ';' || c == '[' || c == '(' || c == '|'
}

// parseValue reads a quoted or bare ISO 8601 time or epoch number.
func parseValue(v []byte, loc *time.Location) (time.Time, bool) {
	if len(v) > 0 && v[0] == '"' {
		v = v[1:]
		if end := bytes.IndexByte(v, '"'); end >= 0 {
			v = v[:end]
		}
	}
	if t, _, ok := parseISO(v, loc); ok {
		return t, true
	}
	return parseEpoch(v)
}

// parseEpoch reads digits with an optional fraction and decides the unit by
// magnitude.
func parseEpoch(v []byte) (time.Time, bool) {
	var whole int64
	i := 0
	for i < len(v) && isDigit(v[i]) {
		if i >= 19 {
			return time.Time{}, false // would overflow int64
		}
		whole = whole*10 + int64(v[i]-'0')
		i++
	}
	if i == 0 {
		return time.Time{}, false
	}
	var fracNanos int64
	if i < len(v) && v[i] == '.' {
		i++
		scale := int64(100_000_000)
		for i < len(v) && isDigit(v[i]) {
			fracNanos += int64(v[i]-'0') * scale
			scale /= 10
			i++
		}
	}
	if i < len(v) && !isValueEnd(v[i]) {
		return time.Time{}, false // "1764000000abc" is not a number
	}
	f := float64(whole)
	switch {
	case f >= minEpochSeconds && f < maxEpochSeconds:
		return time.Unix(whole, fracNanos).UTC(), true
	case f >= minEpochMillis && f < maxEpochMillis:
		return time.UnixMilli(whole).Add(time.Duration(fracNanos / 1000)).UTC(), true
	case f >= minEpochMicros && f < maxEpochMicros:
		return time.UnixMicro(whole).UTC(), true
	case f >= minEpochNanos:
		return time.Unix(0, whole).UTC(), true
	}
	return time.Time{}, false
}

func isValueEnd(c byte) bool {
	return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"'
}

// parseISO parses YYYY-MM-DD[T ]HH:MM:SS[(.|,)frac][Z|±HH:MM|±HHMM|±HH]
// at the start of b and returns the time and the number of bytes used.
func parseISO(b []byte, loc *time.Location) (time.Time, int, bool) {
	if len(b) < 19 || b[4] != '-' || b[7] != '-' || (b[10] != 'T' && b[10] != ' ') ||
		b[13] != ':' || b[16] != ':' {
		return time.Time{}, 0, false
	}
	year, ok1 := digits(b[0:4])
	month, ok2 := digits(b[5:7])
	day, ok3 := digits(b[8:10])
	hour, ok4 := digits(b[11:13])
	minute, ok5 := digits(b[14:16])
	sec, ok6 := digits(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) {
		return time.Time{}, 0, false
	}
	i := 19
	nanos := 0
	if i < len(b) && (b[i] == '.' || b[i] == ',') && i+1 < len(b) && isDigit(b[i+1]) {
		i++
		scale := 100_000_000
		for i < len(b) && isDigit(b[i]) {
			nanos += int(b[i]-'0') * scale
			scale /= 10
			i++
		}
	}
	zone := loc
	if i < len(b) {
		switch b[i] {
		case 'Z', 'z':
			zone = time.UTC
			i++
		case '+', '-':
			if off, n, ok := parseOffset(b[i:]); ok {
				zone = time.FixedZone("", off)
				i += n
			}
		}
	}
	if month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || sec > 60 {
		return time.Time{}, 0, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nanos, zone)
	if t.Day() != day && sec != 60 {
		return time.Time{}, 0, false // 2026-02-30 normalised into March
	}
	return t.UTC(), i, true
}

// parseOffset reads ±HH:MM, ±HHMM or ±HH and returns seconds east of UTC.
func parseOffset(b []byte) (int, int, bool) {
	sign := 1
	if b[0] == '-' {
		sign = -1
	}
	b = b[1:]
	if len(b) < 2 {
		return 0, 0, false
	}
	hh, ok := digits(b[:2])
	if !ok || hh > 23 {
		return 0, 0, false
	}
	mm, n := 0, 3
	switch {
	case len(b) >= 5 && b[2] == ':':
		v, ok := digits(b[3:5])
		if !ok {
			return 0, 0, false
		}
		mm, n = v, 6
	case len(b) >= 4 && isDigit(b[2]) && isDigit(b[3]):
		mm, _ = digits(b[2:4])
		n = 5
	}
	if mm > 59 {
		return 0, 0, false
	}
	return sign * (hh*3600 + mm*60), n, true
}

var months = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// accessLog finds the common log format time "[02/Jan/2006:15:04:05 -0700]".
func accessLog(b []byte) (time.Time, bool) {
	off := 0
	for {
		j := bytes.IndexByte(b[off:], '[')
		if j < 0 {
			return time.Time{}, false
		}
		j += off
		off = j + 1
		if t, ok := parseCLF(b[j+1:]); ok {
			return t, true
		}
	}
}

func parseCLF(b []byte) (time.Time, bool) {
	// 24/Nov/2026:10:00:00 +0000]
	if len(b) < 27 || b[2] != '/' || b[6] != '/' || b[11] != ':' || b[14] != ':' || b[17] != ':' ||
		b[20] != ' ' || b[26] != ']' {
		return time.Time{}, false
	}
	day, ok1 := digits(b[0:2])
	year, ok2 := digits(b[7:11])
	hour, ok3 := digits(b[12:14])
	minute, ok4 := digits(b[15:17])
	sec, ok5 := digits(b[18:20])
	if !(ok1 && ok2 && ok3 && ok4 && ok5) || (b[21] != '+' && b[21] != '-') {
		return time.Time{}, false
	}
	month := 0
	for k, m := range months {
		if string(b[3:6]) == m {
			month = k + 1
			break
		}
	}
	off, n, ok := parseOffset(b[21:26])
	if month == 0 || !ok || n != 5 || day < 1 || day > 31 || hour > 23 || minute > 59 || sec > 60 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.FixedZone("", off))
	if t.Day() != day && sec != 60 {
		return time.Time{}, false
	}
	return t.UTC(), true
}

func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if !isDigit(c) {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func skipBlanks(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\n' || b[0] == '\r') {
		b = b[1:]
	}
	return b
}
