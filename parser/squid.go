package parser

import "bytes"

// Squid's native access log — the forward proxy an application's calls to
// the API leave through — names no field and quotes no request line:
//
//	1795486380.244    187 10.20.7.15 TCP_MISS/401 512 POST https://api.example/api/secondme/chat - HIER_DIRECT/203.0.113.10 application/json
//
// time (Unix seconds and milliseconds), elapsed milliseconds (right-aligned),
// client, result code and status, bytes, method, URL, user, hierarchy code and
// peer, content type, then whatever a custom logformat appends (a logged
// response header). The status is the one after the result code's slash (000:
// none, the request was never answered); an error code of a module the
// catalog knows among the fields after the content type is the error-code
// header's. A health probe's or a scraper's request is no response, as in
// any access line, and nor is a CONNECT: its status (TCP_TUNNEL/200,
// TCP_DENIED/403) is the proxy's tunnel's, and the API's answers travel
// inside the tunnel, unseen.

// squidLine reports whether b starts as a line of Squid's native access log:
// "1795486380.244 " (the pre-filter's test, for a line whose first byte is a
// digit).
func squidLine(b []byte) bool {
	return len(b) > 48 && b[10] == '.' && b[14] == ' ' && allDigits(b[:10]) && allDigits(b[11:14])
}

// squidAccess reads a line of Squid's native access log: a response, an error
// when a field after the content type is an error code, or nothing.
func (p *Parser) squidAccess(b []byte) Envelope {
	if !squidLine(b) {
		return Envelope{}
	}
	i := 15
	var f []byte
	next := func() (field []byte) {
		field, i = nextField(b, i)
		return field
	}
	if f = next(); !digitsField(f, 10) { // elapsed
		return Envelope{}
	}
	next() // client
	f = next()
	slash := bytes.IndexByte(f, '/')
	if slash < 2 || !squidResult(f[:slash]) {
		return Envelope{}
	}
	status := statusField(f[slash+1:])
	if status == 0 {
		return Envelope{}
	}
	if f = next(); !digitsField(f, 19) { // bytes
		return Envelope{}
	}
	if f = next(); !methodToken(f) || string(f) == "CONNECT" {
		return Envelope{} // (a CONNECT's status is the tunnel's: the API answers inside it)
	}
	url := next()
	if probeRequest(urlPath(url)) {
		return Envelope{}
	}
	next()                                       // user
	if f = next(); bytes.IndexByte(f, '/') < 1 { // hierarchy code and peer
		return Envelope{}
	}
	next() // content type
	for f = next(); len(f) > 0; f = next() {
		if catalogCode(p.cat, f) {
			return Envelope{Kind: Error, ErrorCode: p.codeString(f), Code: status}
		}
	}
	return Envelope{Kind: Response, Code: status}
}

// squidResult reports whether r is a Squid result code: TCP_MISS,
// TCP_TUNNEL, TCP_DENIED, NONE_NONE... (capital letters and underscores).
func squidResult(r []byte) bool {
	for _, c := range r {
		if (c < 'A' || c > 'Z') && c != '_' {
			return false
		}
	}
	return true
}

// urlPath returns the path of an absolute URL (from its first slash after
// the scheme's "//"), or u itself when it has no scheme (a CONNECT's
// host:port, a path).
func urlPath(u []byte) []byte {
	k := bytes.Index(u, []byte("://"))
	if k < 0 {
		return u
	}
	rest := u[k+3:]
	if s := bytes.IndexByte(rest, '/'); s >= 0 {
		return rest[s:]
	}
	return nil
}
