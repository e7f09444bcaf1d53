package parser

import "bytes"

// Tencent Cloud API Gateway's access log names its fields in brackets, some
// of them only by position:
//
//	[1258344699][release][service-k2j3h4l5][service-…apigw.tencentcs.com][api-9ab7c6d5][/api/secondme/chat][https][rsp_st:401][ups_st:401][cip:203.0.113.88]…
//
// app id, environment, service id, host, API id, path, scheme, then the
// status (rsp_st, the gateway's: ups_st is the backend's, "-" when it never
// answered) and the rest. No key of a known name holds the status, so the
// pre-filter knows the line by its start (tencentLine) and the line is read
// here, as an access line that names its path: a health probe's or a
// scraper's request is no response.

// tencentLine reports whether b starts as Tencent Cloud API Gateway's access
// log: an app id in brackets, then a bracket ("[1258344699][").
func tencentLine(b []byte) bool {
	if len(b) == 0 || b[0] != '[' {
		return false
	}
	i := 1
	for i < len(b) && i < 16 && isDigit(b[i]) {
		i++
	}
	return i > 1 && i+1 < len(b) && b[i] == ']' && b[i+1] == '['
}

// tencentAccess reads a line of Tencent Cloud API Gateway's access log: the
// response its rsp_st field logs, or nothing.
func tencentAccess(b []byte) Envelope {
	if !tencentLine(b) {
		return Envelope{}
	}
	// The seven positional fields, each "[…]" right after the last.
	var path []byte
	i := 0
	for f := 0; f < 7; f++ {
		if i >= len(b) || b[i] != '[' {
			return Envelope{}
		}
		e := bytes.IndexByte(b[i:min(len(b), i+2048)], ']')
		if e < 0 {
			return Envelope{}
		}
		if f == 5 {
			path = b[i+1 : i+e]
		}
		i += e + 1
	}
	const key = "[rsp_st:"
	if !bytes.HasPrefix(b[i:], []byte(key)) {
		return Envelope{}
	}
	i += len(key)
	status := 0
	if i+3 < len(b) && b[i+3] == ']' {
		status = statusField(b[i : i+3])
	}
	if status == 0 || probeRequest(path) {
		return Envelope{}
	}
	return Envelope{Kind: Response, Code: status}
}
