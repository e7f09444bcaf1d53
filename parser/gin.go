package parser

import "bytes"

// ginAccess reads the access line of gin's default logger (Go's most used web
// framework) and of KrakenD (a gateway built on gin), which have neither keys
// nor a quoted request line:
//
//	[GIN] 2026/11/24 - 10:30:02 | 401 |     812.4µs |  10.1.0.4 | POST     "/v1/sync"
//	[KRAKEND] 2026/11/24 - 10:04:03.118 [AccessLog] | 401 |   35.1ms |  203.0.113.44 | POST     "/x"
//
// with, on a terminal, the status between colour codes (|\x1b[97;43m 401 \x1b[0m|).
// The tag that starts the line names the format (gin's debug lines are
// "[GIN-debug]"); the status is the first field after the time. It returns a
// Response with that status, or nothing.
func ginAccess(b []byte) Envelope {
	i := ginTag(b)
	if i == 0 {
		return Envelope{}
	}
	// The time, "2006/01/02 - 15:04:05" (KrakenD: ".000 [AccessLog]"), ends at the first bar.
	k := bytes.IndexByte(b[i:min(len(b), i+48)], '|')
	if k < 0 {
		return Envelope{}
	}
	i = skipBlanksColours(b, i+k+1)
	if i+3 > len(b) || !isDigit(b[i]) || !isDigit(b[i+1]) || !isDigit(b[i+2]) {
		return Envelope{}
	}
	status := int(b[i]-'0')*100 + int(b[i+1]-'0')*10 + int(b[i+2]-'0')
	if j := skipBlanksColours(b, i+3); j >= len(b) || b[j] != '|' || status < 100 || status > 599 {
		return Envelope{}
	}
	return Envelope{Kind: Response, Code: status}
}

// ginTag returns the length of the tag that starts a gin or KrakenD access
// line ("[GIN] ", "[KRAKEND] "), or 0. The pre-filter lets such lines through.
func ginTag(b []byte) int {
	switch {
	case len(b) < 32:
	case string(b[:6]) == "[GIN] ":
		return 6
	case string(b[:10]) == "[KRAKEND] ":
		return 10
	}
	return 0
}
