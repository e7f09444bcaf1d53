package parser

import (
	"bytes"
	"unicode/utf8"
)

// keyKind is what a key means to the envelope rules.
type keyKind uint8

const (
	kNone   keyKind = iota
	kErr            // error_code, subCode, sub_code, errorCode, x-error-code, upstream_http_x_error_code...
	kCode           // code
	kStatus         // status, status_code, http_status, response_code... (gateway HTTP status)
	kMsg            // message, data: siblings that make {"code":0} a success envelope
	kReq            // method, path, uri, request, url, upstream...: marks an access-log line
	// OpenTelemetry attribute lists (attrOf); they must stay last.
	kAttrKey   // "key": the attribute's name
	kAttrVal   // "value": its value, plain or typed
	kAttrTyped // stringValue, intValue...: a typed value
)

// classifyKey normalises a key — last "."-segment, ASCII lowercased, "_" and "-"
// removed — and classifies it. Header-derived keys (upstream_http_x_error_code,
// sent_http_x_secondme_error_code, x-error-code, resp_header.error_code,
// errorCode) all normalise to a name ending in "errorcode".
func classifyKey(key []byte) keyKind {
	if !mayClassify(key) {
		return kNone
	}
	return classifyName(key)
}

// classifyName is classifyKey for a key that passed mayClassify (the hot
// loops call mayClassify inlined, then this).
func classifyName(key []byte) keyKind {
	// Fast paths: the spellings loggers use most, compared whole.
	switch len(key) {
	case 4:
		switch string(key) {
		case "code", "Code":
			return kCode
		case "data", "Data":
			return kMsg
		case "path":
			return kReq
		}
	case 6:
		switch string(key) {
		case "status", "Status":
			return kStatus
		case "method":
			return kReq
		}
	case 7:
		switch string(key) {
		case "message", "Message":
			return kMsg
		case "request":
			return kReq
		case "subCode":
			return kErr
		}
	case 9:
		if string(key) == "errorCode" || string(key) == "ErrorCode" {
			return kErr
		}
	case 10:
		switch string(key) {
		case "error_code":
			return kErr
		case "statusCode", "StatusCode":
			return kStatus
		}
	case 11:
		if string(key) == "status_code" {
			return kStatus
		}
	case 3:
		if string(key) == "key" || string(key) == "Key" {
			return kAttrKey
		}
	case 5:
		if string(key) == "value" || string(key) == "Value" {
			return kAttrVal
		}
	}
	return classifySpelled(key)
}

// classifySpelled is classifyName past its fast paths: the names that take
// more than a compare (TestClassifyFastPaths checks that the spellings
// compared whole classify the same here).
func classifySpelled(key []byte) keyKind {
	if key[0] == '$' && len(key) > 1 && key[1] == '.' {
		return kNone // a JSONPath ($.error_code in a filter pattern or an assertion), no key
	}
	if key[0] == '@' && len(key) > 3 {
		key = key[1:] // Ruby's inspect names instance variables: @code, @error_code
	}
	if len(key) > 5 && string(key[len(key)-5:]) == "Value" && key[0] >= 'a' && key[0] <= 'z' {
		return kAttrTyped // stringValue, intValue, doubleValue, boolValue
	}
	// The last two letters, which every name below has in a few combinations
	// (tailOK); the upstream* family starts with "upst".
	if n := len(key); tailOK[key[n-1]]&(1<<(key[n-2]&31)) == 0 && !upstreamPrefix(key) {
		return kNone
	}
	// Normalise the last "."-segment backwards into the tail of buf.
	var buf [32]byte
	n, full := 0, true
	for i := len(key) - 1; i >= 0; i-- {
		c := lowerKey[key[i]]
		if c == 0 {
			continue // '_' and '-'
		}
		if c == '.' {
			break
		}
		if n == len(buf) {
			full = false
			break
		}
		n++
		buf[(len(buf)-n)&(len(buf)-1)] = c // the mask spares a bounds check
	}
	if n < 3 {
		return kNone
	}
	norm := buf[len(buf)-n:]
	// The names below that end in "code" or "status" must spell it whole in
	// the key itself (the pre-filter anchors on it): "errorCo_de" is no error
	// key. A name ending in "code" comes from a key whose last four bytes can
	// only spell "code", so that is all there is to check.
	if n >= 9 && string(norm[n-9:]) == "errorcode" && endsFold(key, "code") {
		if otherError(norm[:n-9]) || n >= 11 && norm[n-11] == 'o' && norm[n-10] == 'n' && triggerKey(key) {
			return kNone
		}
		return kErr
	}
	if !full {
		return kNone
	}
	switch string(norm) {
	case "code":
		if endsFold(key, "code") {
			return kCode
		}
	case "subcode", "xsubcode": // subCode, sub_code, a gateway's X-Sub-Code header
		if endsFold(key, "code") {
			return kErr
		}
	case "status", "httpstatus", "responsestatus", "downstreamstatus", "upstreamstatus",
		"edgeresponsestatus", "originresponsestatus", // Cloudflare Logpush
		"scstatus": // CloudFront and W3C extended logs as JSON (sc-status)
		if endsFold(key, "status") {
			return kStatus
		}
	case "statuscode", "httpstatuscode", "responsecode", "responsestatuscode",
		"httpcode",                          // curl's -w '%{http_code}'
		"elbstatuscode", "targetstatuscode", // AWS load balancer logs as JSON (Athena, Firehose)
		"ibmresponsecode",   // Open Liberty / WebSphere Liberty JSON access log
		"httpresponsecode",  // Google ESPv2 / Cloud Endpoints request log
		"proxyresponsecode": // WSO2 API Manager analytics events (the gateway's status; targetResponseCode is the backend's)
		if endsFold(key, "code") {
			return kStatus
		}
	case "message", "data":
		return kMsg
	case "method", "requestmethod", "httpmethod", "request", "requestline", "uri",
		"requesturi", "path", "requestpath", "url", "requesturl", "route", "upstream",
		"clientrequestmethod", "clientrequesturi", "clientrequestpath", // Cloudflare
		"reqmethod", "reqpath", // Akamai DataStream
		"csmethod",                       // CloudFront and W3C extended logs as JSON (cs-method)
		"ibmrequestmethod", "ibmuripath", // Open Liberty / WebSphere Liberty JSON access log
		"apimethod",                              // WSO2 API Manager analytics events
		"xenvoyoriginpath", "xenvoyoriginalpath": // Envoy Gateway's default JSON access log
		return kReq
	}
	if n > 8 && string(norm[:8]) == "upstream" {
		return kReq
	}
	return kNone
}

// otherError reports whether the normalised words before "errorcode" make the
// key name some other error than this record's: last_error_code,
// expected_error_code (a state or a test case, not a response), top_error_code.
func otherError(prefix []byte) bool {
	if k := len(prefix) - 3; k >= 0 && string(prefix[k:]) == "top" && (k == 0 || !isLetter(prefix[k-1]) && !isDigit(prefix[k-1])) {
		return true // top_error_code: a window's most frequent, a statistic (not desktop_error_code)
	}
	for _, w := range [...]string{"last", "prev", "previous", "expected"} {
		if len(prefix) >= len(w) && string(prefix[len(prefix)-len(w):]) == w {
			return true
		}
	}
	return false
}

// triggerKey reports whether key, an error key, names the error code a
// policy acts on: its last word before the error code's is "on"
// (refresh_on_error_code, on-error-code, retryOnErrorCode, ON_ERROR_CODE), a
// setting's value, not a response's ("session_error_code" and
// "json_error_code" end in no such word).
func triggerKey(key []byte) bool {
	i, letters := len(key), 0
	for i > 0 && letters < len("errorcode") {
		i--
		if key[i] != '_' && key[i] != '-' {
			letters++
		}
	}
	sep := false
	for i > 0 && (key[i-1] == '_' || key[i-1] == '-') {
		i--
		sep = true
	}
	if i < 2 || key[i-2]|0x20 != 'o' || key[i-1]|0x20 != 'n' {
		return false
	}
	// "on" is a word: nothing or no letter or digit before it (the
	// pre-filter, which walks back over key bytes only, may see the key start
	// there), or a camel-case hump; and a separator or a hump after it.
	start := i == 2 || !isLetter(key[i-3]) && !isDigit(key[i-3]) || key[i-2] == 'O' && key[i-3] >= 'a' && key[i-3] <= 'z'
	return start && (sep || key[i] == 'E')
}

// lowerKey maps a key byte to its normalised form: ASCII lowercase, 0 for the
// separators "_" and "-" that normalisation drops.
var lowerKey = func() (t [256]byte) {
	for i := range t {
		t[i] = byte(i)
		if i >= 'A' && i <= 'Z' {
			t[i] = byte(i) + 'a' - 'A'
		}
	}
	t['_'], t['-'] = 0, 0
	t[0] = 0xff // a NUL is part of the key, not a separator to drop
	return t
}()

// mayClassify is classifyKey's inlined first look at a key: false means
// classifyName(key) is kNone (TestMayClassify). It is classifyName's own reject
// on the last two bytes, widened to the names classifyName takes before it
// ("key", "value", "stringValue"...) and to every key starting with a "u".
func mayClassify(key []byte) bool {
	n := len(key)
	return n >= 3 && (tailOK[key[n-1]]&(1<<(key[n-2]&31)) != 0 || key[0]|0x20 == 'u')
}

// tailOK[b] has bit a&31 set when a key ending in the bytes a, b (any case of
// the letters) may be one of classifyKey's names. Other bytes that share a&31
// with an allowed letter only cost a full check.
var tailOK = func() (t [256]uint32) {
	// code, message, route, requestline, status, data, method, request, uri,
	// path, url, upstream, key, value / stringValue...
	for _, tail := range []string{"de", "ge", "te", "ne", "us", "ta", "od", "st", "ri", "th", "rl", "am", "ey", "ue"} {
		for _, b := range []byte{tail[1], tail[1] - 'a' + 'A'} {
			t[b] |= 1 << (tail[0] & 31)
		}
	}
	return t
}()

func upstreamPrefix(key []byte) bool {
	if len(key) < 8 || key[0]|0x20 != 'u' {
		return false // upstream_* keys come ungrouped from nginx/Kong/APISIX
	}
	for i, c := range []byte("upstream") {
		if key[i]|0x20 != c {
			return false
		}
	}
	return true
}

// endsFold reports whether key ends with the lowercase word w, ASCII case folded.
func endsFold(key []byte, w string) bool {
	if len(key) < len(w) {
		return false
	}
	key = key[len(key)-len(w):]
	for i := range len(w) {
		if key[i]|0x20 != w[i] {
			return false
		}
	}
	return true
}

// keyPrefix hashes the key before its last "." (logfmt attribute groups:
// error.error_code pairs with error.code rather than with req.code).
func keyPrefix(key []byte) uint32 {
	k := bytes.LastIndexByte(key, '.')
	if k <= 0 {
		return 0
	}
	h := uint32(2166136261)
	for _, c := range key[:k] {
		h ^= uint32(c)
		h *= 16777619
	}
	return h | 1
}

type numState uint8

const (
	numAbsent  numState = iota // no value, null, None, "", "-"
	numValid                   // an integer (401, "401", 401.0, -1)
	numInvalid                 // anything else: "ABC", 401.5, true, an object, overflow
)

// parseNum reads an integer code or status: optional sign, at most 9 digits, an
// optional fraction of zeros (401.0). Exponents and other forms are invalid.
func parseNum(s []byte) (int, numState) {
	if len(s) > 0 && len(s) <= 3 && isDigit(s[0]) && isDigit(s[len(s)-1]) && (len(s) < 3 || isDigit(s[1])) {
		// An HTTP status or a small code, the common case.
		n := 0
		for _, c := range s {
			n = n*10 + int(c-'0')
		}
		return n, numValid
	}
	s = trimBlank(s)
	if isAbsentValue(s) {
		return 0, numAbsent
	}
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		s = s[1:]
	}
	n, i := 0, 0
	for i < len(s) && isDigit(s[i]) {
		if i == 9 {
			return 0, numInvalid // overflow: no HTTP status or business code is this long
		}
		n = n*10 + int(s[i]-'0')
		i++
	}
	if i == 0 {
		return 0, numInvalid
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] == '0' {
			i++
		}
	}
	if i != len(s) {
		return 0, numInvalid
	}
	if neg {
		n = -n
	}
	return n, numValid
}

// parseStatus is parseNum that also takes Go's resp.Status ("401 Unauthorized").
func parseStatus(s []byte) (int, numState) {
	s = trimBlank(s)
	if len(s) > 4 && s[3] == ' ' && isDigit(s[0]) && isDigit(s[1]) && isDigit(s[2]) {
		s = s[:3]
	}
	return parseNum(s)
}

func isSuccessWord(s []byte) bool {
	switch string(s) {
	case "success", "Success", "SUCCESS", "ok", "OK", "Ok", "succeeded":
		return true
	}
	return false
}

// isAbsentValue: the spellings loggers and gateways use for "no value".
func isAbsentValue(s []byte) bool {
	switch string(s) {
	case "", "-", "null", "NULL", "Null", "None", "nil", "<nil>", "undefined", "false", "False":
		return true
	}
	return false
}

// codeLike: a value that was meant as an error_code though it breaks the
// grammar (OAuth2.Token.Expired, oauth2.token.expired.x.y, oauth2..token).
// Without a "code" beside it, only such values are reported as bad_error_code;
// prose ("token expired") under an errorCode key is not an envelope.
func codeLike(s []byte) bool {
	if len(s) < 3 || !isLetter(s[0]) {
		return false
	}
	dot := false
	for _, c := range s {
		switch {
		case c == '.':
			dot = true
		case isLetter(c) || isDigit(c) || c == '_' || c == '-':
		default:
			return false
		}
	}
	return dot
}

func isLetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

func allDigits(s []byte) bool {
	if len(s) == 0 {
		return false
	}
	for _, c := range s {
		if !isDigit(c) {
			return false
		}
	}
	return true
}

func trimBlank(s []byte) []byte {
	if n := len(s); n == 0 || (s[0] > ' ' && s[n-1] > ' ') {
		return s // inlined: most values have no blanks around them
	}
	return trimBlankSlow(s)
}

func trimBlankSlow(s []byte) []byte {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n') {
		s = s[1:]
	}
	for len(s) > 0 {
		c := s[len(s)-1]
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			break
		}
		s = s[:len(s)-1]
	}
	return s
}

// unescapeAppend appends src with JSON and Python string escapes resolved:
// \" \' \\ \/ \n \t \r \b \f \uXXXX (with surrogate pairs) \xNN. An unknown or
// broken escape is kept as written; it never fails.
func unescapeAppend(dst, src []byte) []byte {
	for len(src) > 0 {
		k := bytes.IndexByte(src, '\\')
		if k < 0 {
			return append(dst, src...)
		}
		dst = append(dst, src[:k]...)
		src = src[k:]
		if len(src) < 2 {
			return append(dst, '\\')
		}
		switch c := src[1]; c {
		case '"', '\'', '\\', '/':
			dst = append(dst, c)
			src = src[2:]
		case 'n':
			dst = append(dst, '\n')
			src = src[2:]
		case 't':
			dst = append(dst, '\t')
			src = src[2:]
		case 'r':
			dst = append(dst, '\r')
			src = src[2:]
		case 'b', 'f':
			dst = append(dst, ' ')
			src = src[2:]
		case 'u':
			r, ok := hexN(src[2:], 4)
			if !ok {
				dst = append(dst, src[:2]...)
				src = src[2:]
				continue
			}
			src = src[6:]
			if r >= 0xD800 && r < 0xDC00 && len(src) >= 6 && src[0] == '\\' && src[1] == 'u' {
				if lo, ok := hexN(src[2:], 4); ok && lo >= 0xDC00 && lo < 0xE000 {
					r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
					src = src[6:]
				}
			}
			dst = utf8.AppendRune(dst, rune(r))
		case 'x':
			v, ok := hexN(src[2:], 2)
			if !ok {
				dst = append(dst, src[:2]...)
				src = src[2:]
				continue
			}
			dst = append(dst, byte(v))
			src = src[4:]
		default:
			dst = append(dst, src[:2]...)
			src = src[2:]
		}
	}
	return dst
}

func hexN(s []byte, n int) (int, bool) {
	if len(s) < n {
		return 0, false
	}
	v := 0
	for _, c := range s[:n] {
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | int(c-'0')
		case c >= 'a' && c <= 'f':
			v = v<<4 | int(c-'a'+10)
		case c >= 'A' && c <= 'F':
			v = v<<4 | int(c-'A'+10)
		default:
			return 0, false
		}
	}
	return v, true
}
