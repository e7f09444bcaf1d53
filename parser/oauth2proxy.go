package parser

import "bytes"

// oauth2-proxy's request log splits the request line: the method and the
// upstream come before the quoted request URI, the protocol after it, then
// the quoted user agent and the status:
//
//	10.4.2.17 - 3c1f0a9e-… - alice@example.com [2026/11/24 11:10:02] api.example.com GET app.example.com "/api/secondme/user/info" HTTP/1.1 "Mozilla/5.0 …" 200 512 0.034
//
// so neither a quoted request line nor a status key names it. The pre-filter
// knows it by the protocol between the two quoted fields (oauth2ProxyAt, from
// httpAt), and the line is read as an access line (oauth2ProxyAccess): a
// response, unless a health probe's or a scraper's.

// oauth2ProxyStatus reads the fields around the "HTTP/" at h, whose version
// ends at j: the quoted request URI before it, the quoted user agent, the
// status and the response size after it. It returns the status (0 if the
// fields are not oauth2-proxy's) and the URI.
func oauth2ProxyStatus(b []byte, h, j int) (status int, uri []byte) {
	if h < 4 || b[h-1] != ' ' || b[h-2] != '"' || j+2 >= len(b) || b[j] != ' ' || b[j+1] != '"' {
		return 0, nil
	}
	lo := max(0, h-maxRequestLine)
	o := bytes.LastIndexByte(b[lo:h-2], '"')
	if o < 0 {
		return 0, nil
	}
	if uri = b[lo+o+1 : h-2]; len(uri) == 0 || uri[0] != '/' || bytes.IndexByte(uri, ' ') >= 0 {
		return 0, nil
	}
	c := bytes.IndexByte(b[j+2:], '"') // the user agent's closing quote
	if c < 0 {
		return 0, nil
	}
	k := j + 2 + c + 1
	if k >= len(b) || b[k] != ' ' {
		return 0, nil
	}
	status, e := statusAt(b, k+1)
	if status == 0 || e+1 >= len(b) || b[e] != ' ' || !isDigit(b[e+1]) {
		return 0, nil // the status, a blank and the response size
	}
	return status, uri
}

// oauth2ProxyAt is the pre-filter's check for oauth2-proxy's request log.
func oauth2ProxyAt(b []byte, h, j int) bool {
	status, _ := oauth2ProxyStatus(b, h, j)
	return status > 0
}

// oauth2ProxyAccess reads a line of oauth2-proxy's request log: a response,
// or nothing.
func oauth2ProxyAccess(b []byte) Envelope {
	for i := 0; ; i++ {
		k := bytes.IndexByte(b[i:], 'H')
		if k < 0 {
			return Envelope{}
		}
		i += k
		if i+5 > len(b) || string(b[i:i+5]) != "HTTP/" {
			continue
		}
		if status, uri := oauth2ProxyStatus(b, i, versionEnd(b, i+5)); status > 0 {
			if probeRequest(uri) {
				return Envelope{}
			}
			return Envelope{Kind: Response, Code: status}
		}
	}
}

// clientDash reports whether b starts as oauth2-proxy's request log does: the
// client's address (and port) and " - ".
func clientDash(b []byte) bool {
	k := bytes.IndexByte(b[:min(len(b), 48)], ' ')
	return k > 0 && k+3 <= len(b) && b[k+1] == '-' && b[k+2] == ' '
}
