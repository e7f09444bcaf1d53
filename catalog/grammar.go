package catalog

import (
	"errors"
	"strings"
)

// MaxCodeLen is the longest valid error_code in bytes.
const MaxCodeLen = 128

// GeneralResource is the resource of two-segment codes (internal.error,
// connection.error, invalid.param), which have no middle segment.
const GeneralResource = "general"

// Sentinel errors of Validate. They are returned unwrapped so that the parser's hot
// path can call Validate without allocating.
var (
	ErrEmpty        = errors.New("empty error code")
	ErrTooLong      = errors.New("error code longer than 128 bytes")
	ErrSegmentCount = errors.New("error code needs 2 to 4 dot-separated segments")
	ErrSegment      = errors.New("error code segment must match [a-z][a-z0-9_]*")
)

// Validate checks the error_code grammar: 2 to 4 dot-separated segments, each
// matching [a-z][a-z0-9_]*, at most 128 bytes in all.
func Validate(code []byte) error {
	if len(code) == 0 {
		return ErrEmpty
	}
	if len(code) > MaxCodeLen {
		return ErrTooLong
	}
	segments := 1
	start := true // at the first byte of a segment
	for _, c := range code {
		switch codeByte[c] {
		case cbLower:
			start = false
		case cbDigit:
			if start {
				return ErrSegment
			}
		case cbDot:
			if start {
				return ErrSegment // empty segment
			}
			segments++
			start = true
		default:
			return ErrSegment
		}
	}
	if start {
		return ErrSegment // trailing dot
	}
	if segments < 2 || segments > 4 {
		return ErrSegmentCount
	}
	return nil
}

// Byte classes of the grammar, one table lookup per byte.
const (
	cbInvalid = iota
	cbLower   // a-z: may start a segment
	cbDigit   // 0-9 and "_": may continue one
	cbDot     // ends one
)

var codeByte = func() (t [256]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = cbLower
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = cbDigit
	}
	t['_'], t['.'] = cbDigit, cbDot
	return t
}()

// ValidateString is Validate for a string.
func ValidateString(code string) error {
	// A string-to-[]byte conversion that does not escape does not allocate.
	return Validate([]byte(code))
}

// Split returns the module (first segment), resource (the middle: one segment, two
// joined by ".", or "general" for two-segment codes) and reason (last segment) of a
// grammar-valid code. For an invalid code it returns three empty strings.
// The results are substrings of code (or the constant "general"): no allocation.
func Split(code string) (module, resource, reason string) {
	if ValidateString(code) != nil {
		return "", "", ""
	}
	first := strings.IndexByte(code, '.')
	last := strings.LastIndexByte(code, '.')
	module, reason = code[:first], code[last+1:]
	if first == last {
		return module, GeneralResource, reason
	}
	return module, code[first+1 : last], reason
}

// IsHTTPStatus reports whether code is in the HTTP status range 100..599.
func IsHTTPStatus(code int) bool { return code >= 100 && code <= 599 }

// StatusClass returns "1xx".."5xx" for an HTTP status, "unknown" for anything else
// (0 = absent, business codes such as 40101, negative numbers).
func StatusClass(code int) string {
	switch {
	case code >= 100 && code <= 199:
		return "1xx"
	case code >= 200 && code <= 299:
		return "2xx"
	case code >= 300 && code <= 399:
		return "3xx"
	case code >= 400 && code <= 499:
		return "4xx"
	case code >= 500 && code <= 599:
		return "5xx"
	}
	return "unknown"
}

// Class is the classification of one logged error envelope.
type Class struct {
	Module, Resource, Reason, StatusClass string
	Code                                  int  // effective HTTP status: logged code, else catalog status, else 0
	Known                                 bool // in the catalog
	Expected                              int  // catalog status (0 when unknown)
	Mismatch                              bool // logged code present, known, and != Expected
}

// Classify classifies a grammar-valid errorCode logged with code (0 when the log
// carried none). A logged code is used only when it is an HTTP status (100..599):
// business codes such as 40101 or -1 say nothing about the HTTP status, so the
// catalog's status is used instead and no mismatch is flagged.
func (c *Catalog) Classify(errorCode string, code int) Class {
	cl := Class{StatusClass: "unknown"}
	cl.Module, cl.Resource, cl.Reason = Split(errorCode)
	if e, ok := c.Lookup(errorCode); ok {
		cl.Known = true
		cl.Expected = e.Status
	}
	switch {
	case IsHTTPStatus(code):
		cl.Code = code
		cl.Mismatch = cl.Known && code != cl.Expected
	case cl.Known:
		cl.Code = cl.Expected
	}
	cl.StatusClass = StatusClass(cl.Code)
	return cl
}
