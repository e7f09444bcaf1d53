package parser

import (
	"bytes"

	"github.com/secondme/secondme_error_exporter/catalog"
)

// Access lines without keys or a quoted request line, which a tag at the
// start of the line names (taggedAccess). The pre-filter lets a line through
// on its tag (accessTag); Parse reads it when the tokenizer found nothing.
//
// gin's default logger (Go's most used web framework) and KrakenD (a gateway
// built on gin), the status the first field after the time, between colour
// codes on a terminal (|\x1b[97;43m 401 \x1b[0m|):
//
//	[GIN] 2026/11/24 - 10:30:02 | 401 |     812.4µs |  10.1.0.4 | POST     "/v1/sync"
//	[KRAKEND] 2026/11/24 - 10:04:03.118 [AccessLog] | 401 |   35.1ms |  203.0.113.44 | POST     "/x"
//
// (gin's debug lines are "[GIN-debug]"). The request, then its status, in
// wrangler's dev server (Cloudflare Workers), and Hono's and koa-logger's
// outgoing lines (their incoming "<--" lines have no status):
//
//	[wrangler:inf] POST /v1/chat 401 Unauthorized (612ms)
//	--> POST /v1/chat \x1b[33m401\x1b[0m 612ms
//	  --> POST /v1/chat 401 612ms 45b
//
// An HTTP client's transport lines (OkHttp's "--> POST https://…") name a
// URL, not a path, and no status: no match.

// firstByte is the test of a line's first byte, one load for every line:
// 'H' for an "HTTP/" there (httpAt, as the pre-filter's block scan checks
// every other 'H'), '[' for the bytes an access line's tag starts with (ESC:
// a colour code before it), '{' for a journal export (journalStart), '1'
// for Squid's native access log (squidLine).
var firstByte = [256]byte{'H': 'H', '[': '[', '-': '[', ' ': '[', 0x1b: '[', '{': '{', '1': '1'}

// keylessAccess reads an access line that names no field, or not its
// status, by its first byte fb (firstByte): one tagged "[GIN]", "-->"...
// or Tencent Cloud API Gateway's ('['), Squid's native access log ('1'), or
// oauth2-proxy's request log (a client address: a digit, or '[' for IPv6;
// Parse asks for a line starting with any digit).
func (p *Parser) keylessAccess(b []byte, fb byte) Envelope {
	var e Envelope
	if fb == '1' {
		e = p.squidAccess(b)
	} else if e = taggedAccess(b); e.Kind == None {
		e = tencentAccess(b)
	}
	if e.Kind == None && len(b) > 0 && (fb == '[' || isDigit(b[0])) && clientDash(b) {
		e = oauth2ProxyAccess(b)
	}
	return e
}

// maxTagLead bounds the blanks and colour codes before an access line's tag.
const maxTagLead = 24

// accessTag returns the index after the tag that starts an access line
// ("[GIN]", "[KRAKEND]", "[wrangler:inf]", "-->", each followed by a blank)
// and the blanks and colour codes after it, or 0; gin reports gin's and
// KrakenD's tags, which the time and a bar follow rather than the request.
// Before the tag: up to 4 blanks, or colour codes (wrangler and koa-logger on
// a terminal colour the tag: "\x1b[32m[wrangler:inf]\x1b[0m GET /x \x1b[32m200\x1b[0m").
func accessTag(b []byte) (next int, gin bool) {
	if len(b) < 16 {
		return 0, false
	}
	i := 0
	for i < 4 && b[i] == ' ' {
		i++
	}
	if b[i] == 0x1b {
		if i = skipBlanksColours(b, i); i > maxTagLead {
			return 0, false
		}
	}
	if i+16 > len(b) {
		return 0, false
	}
	t := i
	switch b[i] {
	case '[':
		switch {
		case string(b[i:i+5]) == "[GIN]":
			t, gin = t+5, true
		case string(b[i:i+9]) == "[KRAKEND]":
			t, gin = t+9, true
		case string(b[i:i+14]) == "[wrangler:inf]":
			t += 14
		}
	case '-':
		if string(b[i:i+3]) == "-->" {
			t += 3
		}
	}
	if t == i || t >= len(b) || !blankOrEsc[b[t]] {
		return 0, false
	}
	return skipBlanksColours(b, t), gin
}

// taggedAccess reads an access line accessTag names: a Response with its
// status, or nothing.
func taggedAccess(b []byte) Envelope {
	i, gin := accessTag(b)
	if i == 0 {
		return Envelope{}
	}
	if gin {
		return ginAccess(b, i)
	}
	return requestStatus(b, i)
}

// ginAccess reads gin's and KrakenD's line after the tag, at i.
func ginAccess(b []byte, i int) Envelope {
	// The time, "2006/01/02 - 15:04:05" (KrakenD: ".000 [AccessLog]"), ends at the first bar.
	k := bytes.IndexByte(b[i:min(len(b), i+48)], '|')
	if k < 0 {
		return Envelope{}
	}
	i = skipBlanksColours(b, i+k+1)
	status, j := statusAt(b, i)
	if status == 0 {
		// One API's and New API's logger put a request id before the status:
		// "[GIN] 2026/11/24 - 10:02:13 | 2026112410021335896452118273645 | 401 |".
		if e := idField(b, i); e > 0 {
			status, j = statusAt(b, skipBlanksColours(b, e+1))
		}
	}
	if j = skipBlanksColours(b, j); status == 0 || j >= len(b) || b[j] != '|' || ginProbe(b) {
		return Envelope{}
	}
	return Envelope{Kind: Response, Code: status}
}

// ginProbe reports whether gin's line asks a probe's path (probeRequest): its
// last field, the method and the path ("GET      "/healthz"").
func ginProbe(b []byte) bool {
	i := skipBlanksColours(b, bytes.LastIndexByte(b, '|')+1)
	for i < len(b) && b[i] >= 'A' && b[i] <= 'Z' {
		i++
	}
	if i = skipBlanksColours(b, i); i < len(b) && b[i] == '"' {
		i++
	}
	return i < len(b) && b[i] == '/' && probeRequest(b[i:])
}

// idField returns the index of the bar that ends the request id field at i
// (letters, digits, '-' and '_', at most 64 of them, then blanks), or 0.
func idField(b []byte, i int) int {
	e := i
	for e < len(b) && e-i < 64 && (isLetter(b[e]) || isDigit(b[e]) || b[e] == '-' || b[e] == '_') {
		e++
	}
	if e == i {
		return 0
	}
	if e = skipBlanksColours(b, e); e < len(b) && b[e] == '|' {
		return e
	}
	return 0
}

// requestStatus reads "METHOD /path STATUS" at i: an uppercase method, a
// path, then the status and a blank or the end, with colour codes around any
// of them.
func requestStatus(b []byte, i int) Envelope {
	m := i
	for m < len(b) && m-i < 8 && b[m] >= 'A' && b[m] <= 'Z' {
		m++
	}
	if m-i < 3 || m+2 >= len(b) || !blankOrEsc[b[m]] {
		return Envelope{}
	}
	p := skipBlanksColours(b, m)
	if p >= len(b) || b[p] != '/' || p-m > maxTagLead {
		return Envelope{}
	}
	path := p
	for p < len(b) && b[p] != ' ' && b[p] != '\t' && b[p] != 0x1b {
		p++
	}
	status, j := statusAt(b, skipBlanksColours(b, p))
	if status == 0 || (j < len(b) && !blankOrEsc[b[j]]) || probeRequest(b[path:p]) {
		return Envelope{}
	}
	return Envelope{Kind: Response, Code: status}
}

// statusAt reads the three digits of an HTTP status (100–599) at i: the
// status and the index after it, or 0.
func statusAt(b []byte, i int) (int, int) {
	if i+3 > len(b) || !isDigit(b[i]) || !isDigit(b[i+1]) || !isDigit(b[i+2]) {
		return 0, i
	}
	status := int(b[i]-'0')*100 + int(b[i+1]-'0')*10 + int(b[i+2]-'0')
	if !catalog.IsHTTPStatus(status) || (i+3 < len(b) && isDigit(b[i+3])) {
		return 0, i
	}
	return status, i + 3
}
