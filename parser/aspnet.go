package parser

import "bytes"

// ASP.NET Core's hosting diagnostics (Microsoft.AspNetCore.Hosting.Diagnostics,
// event 2) log each request the application served when it completes, in the
// console's text format (its category on one line, the message indented on the
// next, or both on one line with a simple console or Serilog's template):
//
//	info: Microsoft.AspNetCore.Hosting.Diagnostics[2] Request finished HTTP/1.1 POST http://crm-api/api/leads/42 - 502 - application/json 418.2ms
//	      Request finished HTTP/1.1 GET http://assistant.internal/api/me - 401 0 - 91.2210ms
//
// It names the protocol, the method, the URL and the status: a server's access
// line, read as a response (unless a probe's), though no key names its fields
// and no quote holds its request line. The older message, "Request finished in
// 12.3ms 401 application/json", names no request and is not read.

// aspnetTag precedes the protocol in the message.
var aspnetTag = []byte("Request finished ")

// aspnetStatus reads the message around the "HTTP/" at h, whose version ends
// at j: the tag before it, then a blank, the method, a blank, the URL, " - ",
// the status and a blank (or the end). It returns the status (0 if the text is
// not the message) and the URL.
func aspnetStatus(b []byte, h, j int) (status int, url []byte) {
	if h < len(aspnetTag) || !bytes.Equal(b[h-len(aspnetTag):h], aspnetTag) || j+1 >= len(b) || b[j] != ' ' {
		return 0, nil
	}
	k := j + 1
	m := k
	for k < len(b) && k-m < 8 && b[k] >= 'A' && b[k] <= 'Z' {
		k++
	}
	if k == m || k >= len(b) || b[k] != ' ' {
		return 0, nil // a method, in capitals
	}
	u := k + 1
	e := bytes.IndexByte(b[u:min(len(b), u+maxRequestLine)], ' ')
	if e <= 0 {
		return 0, nil
	}
	url = b[u : u+e]
	k = u + e
	if k+3 > len(b) || b[k+1] != '-' || b[k+2] != ' ' {
		return 0, nil
	}
	status, end := statusAt(b, k+3)
	if status == 0 || end < len(b) && b[end] != ' ' {
		return 0, nil
	}
	return status, url
}

// aspnetAt is the pre-filter's check for the message.
func aspnetAt(b []byte, h, j int) bool {
	status, _ := aspnetStatus(b, h, j)
	return status > 0
}

// aspnetAccess reads the message in b, which the tokenizer found nothing in:
// a response, or nothing (a probe's request: its path after the URL's host).
func aspnetAccess(b []byte) Envelope {
	for i := 0; ; {
		k := bytes.Index(b[i:], aspnetTag)
		if k < 0 {
			return Envelope{}
		}
		h := i + k + len(aspnetTag)
		if h+5 <= len(b) && string(b[h:h+5]) == "HTTP/" {
			if status, url := aspnetStatus(b, h, versionEnd(b, h+5)); status > 0 {
				if probeRequest(urlPath(url)) {
					return Envelope{}
				}
				return Envelope{Kind: Response, Code: status}
			}
		}
		i = h
	}
}
