package parser

import (
	"bytes"
	"math/bits"
)

// The pre-filter proves that a record holds no envelope. Every key the
// tokenizer acts on ends in "code" (code, error_code, subCode, status_code,
// response_code) or "status" (status, http_status, DownstreamStatus), or the
// record is a text access line (`"GET /x HTTP/1.1" 200`). A hit is checked
// cheaply — is it the end of a key whose normalised name matters, followed by a
// separator and a plausible value? — which rejects node, mode, decode,
// "code":"ABC", "status":"ok", "error_code=" documentation and the like.
//
// The pre-filter must accept everything the tokenizer could turn into an
// envelope (it is a necessary condition; FuzzParse checks it against the
// tokenizer run without it), so its checks are looser than the tokenizer's:
// quotes, backslashes (escaped JSON at any level) and blanks between key,
// separator and value are skipped.

// maxKeyLookBack bounds the bytes walked back from a needle to find the key's start.
const maxKeyLookBack = 40

// interesting reports whether b may hold an envelope. pairScan (AVX2 or SSE2 on amd64)
// flags, a block at a time, each 'd' preceded by 'o' ("code"), each 'u'
// preceded by 't' ("status"), in any case, and each 'H' ("HTTP/", rare in log
// text); anchorAt checks a key flag exactly and only a full key goes on to
// keyAt, httpAt an 'H'. Pairs matter: 'd' and 'u' alone are frequent in log
// text, and an IndexByte loop per needle (or bytes.Index, which anchors on the
// even more frequent 'o' and 't') spends its time restarting on false hits.
// Records shorter than a block are scanned byte by byte.
func interesting(b []byte) bool { return prefilter(b, nil) }

// prefilter is interesting, keeping what it reads of an HAProxy line in memo
// (if not nil) for the tokenizer.
func prefilter(b []byte, memo *haproxyMemo) bool {
	vk := valueKeys{next: -2}
	if len(b) < 16 {
		// A record too short for pairScan's blocks is read byte by byte for
		// its keys (keyAnchored, which also reads the strings too deep to
		// parse: tooDeep), then for the "HTTP/" of an access line. (The
		// profile-guided optimisation's profile names call sites by their
		// line in the function: this comment keeps the lines below where
		// they were when it was recorded; scripts/pgo.sh records it anew.)
		return keyAnchored(b) || httpStatus(b, memo)
	}
	checks := 0 // HAProxy look-backs (see httpAt)
	if fb := firstByte[b[0]]; fb != 0 && ((fb == 'H' && httpAt(b, 0, &checks, memo)) || (fb == '[' && (tagged(b) || tencentLine(b))) || (fb == '1' && squidLine(b)) ||
		(fb == '{' && memo != nil && journalStart(b) && journalMessage(b) >= 0)) {
		return true // (a journal export's MESSAGE byte array: the tokenizer decodes it, journalBytes)
	}
	for from := 1; from < len(b); {
		pos, m := pairScan(b, from)
		if pos < 0 {
			return morganEnd[b[len(b)-1]] && morganLine(b) // (morgan's dev lines: morgan.go)
		}
		for ; m != 0; m &= m - 1 {
			i := pos + bits.TrailingZeros32(m)
			if b[i] == 'H' {
				if httpAt(b, i, &checks, memo) {
					return true
				}
			} else if anchorAt(b, i, &vk) {
				return true
			}
		}
		// Past the block: 32 bytes, or 16 for the last ones (pairScanGo).
		if pos+32 <= len(b) {
			from = pos + 32
		} else {
			from = pos + 16
		}
	}
	return morganEnd[b[len(b)-1]] && morganLine(b)
}

// keyAnchored reports whether b holds a key the parser acts on, one ending in
// "code" or "status" checked as anchorAt checks it: the pre-filter without its
// access-line checks, byte by byte (short records, and strings too deep to
// parse).
func keyAnchored(b []byte) bool {
	vk := valueKeys{next: -2}
	for i := 1; i < len(b); i++ {
		c, p := b[i]|0x20, b[i-1]|0x20
		if ((c == 'd' && p == 'o') || (c == 'u' && p == 't')) && anchorAt(b, i, &vk) {
			return true
		}
	}
	return false
}

// tagged reports whether b starts with an access line's tag (accessTag).
func tagged(b []byte) bool {
	i, _ := accessTag(b)
	return i > 0
}

// httpStatus finds `HTTP/1.1" 200` through IndexByte on 'H', rare in log text,
// or an HAProxy line (status before the request line).
func httpStatus(b []byte, memo *haproxyMemo) bool {
	checks := 0
	for i := 0; ; i++ {
		k := bytes.IndexByte(b[i:], 'H')
		if k < 0 {
			return false
		}
		i += k
		if httpAt(b, i, &checks, memo) {
			return true
		}
	}
}

// httpAt checks an "HTTP/" at i: the version of a text access line's request
// followed by its status, or of an HAProxy line's request line. Each HAProxy
// check reads up to maxHAProxyLookBack bytes: a few per record (*checks) keep
// the pre-filter linear.
func httpAt(b []byte, i int, checks *int, memo *haproxyMemo) bool {
	if i+5 > len(b) || string(b[i:i+5]) != "HTTP/" {
		return false
	}
	// The quote that ends the request line (raw or escaped) follows the
	// version: a text access line's status comes after it; an HAProxy or AWS
	// request line ends its string (or the record) there. (Whatever follows
	// the quote, the string may be looked at on its own, where nothing follows.)
	j := colourAfter(b, versionEnd(b, i+5)) // (werkzeug colours its request line: "ESC[33mGET /x HTTP/1.1ESC[0m" 404)
	if j < len(b) && b[j] != '"' {
		// A request line in single quotes (a repr's) is read by the tokenizer
		// as any string: a status may follow it too.
		return b[j] == '\'' && (accessStatusAfter(b, j) || fromStatus(b, j) > 0) || oauth2ProxyAt(b, i, j) || aspnetAt(b, i, j) // (oauth2-proxy's log: a blank, then a quoted user agent; ASP.NET Core's)
	}
	if accessStatusAfter(b, j) || fromStatus(b, j) > 0 || csvStatusAfter(b, j) {
		return true
	}
	if *checks < 4 {
		*checks++
		return haproxyRequestAt(b, i, j, memo)
	}
	return false
}

// colourAfter returns the index after a colour code at j (skipANSI), or j if
// none starts there.
func colourAfter(b []byte, j int) int {
	if j < len(b) && b[j] == 0x1b {
		return skipANSI(b, j)
	}
	return j
}

// requestLineTail: a byte that may follow the quoted request line of an HAProxy
// or AWS load balancer line (the end of the line, or the next field), raw or
// inside an escaped string.
func requestLineTail(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\\'
}

// anchorAt checks the needle around a flagged byte at i.
func anchorAt(b []byte, i int, vk *valueKeys) bool {
	if i == 0 || i+1 >= len(b) {
		return false
	}
	// Every key of interest ends in "code" or "status" (error_code, subCode,
	// status_code, response_code...): node, mode and episode stop here.
	switch b[i] | 0x20 {
	case 'd': // "code", any case
		return i >= 2 && b[i-1]|0x20 == 'o' && b[i+1]|0x20 == 'e' && b[i-2]|0x20 == 'c' && keyAt(b, i+2, 4, kCode, vk)
	case 'u': // "status", any case
		return i >= 4 && b[i+1]|0x20 == 's' && b[i-1]|0x20 == 't' && b[i-2]|0x20 == 'a' &&
			b[i-3]|0x20 == 't' && b[i-4]|0x20 == 's' && keyAt(b, i+2, 6, kStatus, vk)
	}
	return false
}

// keyAt checks a key that ends at end with the word ("code" or "status", any
// case) of wlen bytes: its kind, a separator, a plausible value. The word alone
// is a key of kind wkind. A word of interest without a separator may be an
// OpenTelemetry attribute's name ("key":"error_code"): it counts when a
// "value" key follows somewhere in the record (vk), as attrOf needs.
//
// Not inlined: anchorAt, which calls it, is inlined in the pre-filter's loop.
//
//go:noinline
func keyAt(b []byte, end, wlen int, wkind keyKind, vk *valueKeys) bool {
	if end < len(b) && isKeyByte(b[end]) {
		return false // "codec", "encoded", "status_text": the word goes on
	}
	j := skipQuoteBlank(b, end)
	if j < len(b) && (b[j] == ']' || b[j] == '>') {
		j = afterKeyClose(b, j)
	}
	sep := j < len(b) && (b[j] == ':' || b[j] == '=')
	if !sep && !vk.after(b, end) {
		// "decode payload": no separator, no key — unless an EDN keyword (:error_code "…"), which a colon
		// starts and a blank ends, or a key quoted with HTML entities (code&quot;:), which Parse decodes.
		ws := end - wlen
		return (ws > 0 && ednWordBefore[b[ws-1]] && end < len(b) && b[end] == ' ' && ednKeyAt(b, end)) || (j < len(b) && b[j] == '&' && quoteEntityAt(b, j)) || (ws > 1 && b[ws-2] == '\\' && escapedKeyBlank(b, ws, end)) || (j < len(b) && b[j] == 'u' && gsonEqualsAt(b, j-1))
	}
	if ws := end - wlen; ws == 0 || (!keyByte[b[ws-1]] && b[ws-1] != 0x1b) { // (an escape before: see colourSplit)
		// The word is the whole key ("code":, status=): what classifyKey says
		// of it, without the look-back.
		return (sep && keyValueOK(b, end, j, wkind)) || vk.after(b, end)
	}
	lo := max(0, end-maxKeyLookBack)
	kb := b[lo:end]
	k := len(kb)
	for k > 0 && keyByte[kb[k-1]] {
		k--
	}
	start := lo + k
	if start > 0 && b[start-1] == '\\' {
		if k := uQuote(b, start-1); k > 0 {
			start += k // \u0022code, \x22code: the key follows an escaped quote
		} else if escapedBlank(b, start-1) == 2 {
			start++ // \ncode=: the key follows an escaped line break or tab
		}
	} else if start > 0 && b[start-1] == '#' && end-start > 3 && escapedBlank(b, start-1) == 4 {
		start += 3 // #012code=: rsyslog's escaped line break
	}
	kind := classifyKey(b[start:end])
	if kind == kNone {
		// "\x1b[31mCode", "\x1b[1;31mCode": the colour's parameters and final
		// byte are no part of the key (the tokenizer skips the sequence).
		// Likewise escaped inside a string: "\u001b[31mcode\u001b[0m=401".
		for k := start - 1; k >= 0 && k >= start-ansiLookBack; k-- {
			if b[k] == 0x1b {
				if s := skipANSI(b, k); s > start && s < end {
					kind = classifyKey(b[s:end])
				}
				break
			}
			if n := escESC(b, k); n > 0 {
				if s := skipANSI(b, k+n-1); s > start && s < end {
					kind = classifyKey(b[s:end])
				}
				break
			}
		}
	}
	if start > 0 && (isKeyByte(b[start-1]) || ((b[start-1] == 0x1b || b[start-1] == '[') && colourSplit(b, start))) {
		// A key longer than the look-back, or one a colour code splits
		// ("\x1b[31merror\x1b[0m_code", which Parse reads again without its
		// colours): let the tokenizer judge it.
		kind = kErr
	}
	if kind != kErr && kind != kCode && kind != kStatus {
		return false
	}
	// As a key, its value must fit; any such word may also be an attribute's
	// name, whatever follows it, when a "value" key comes later (attrOf).
	return (sep && keyValueOK(b, end, j, kind)) || vk.after(b, end)
}

// gsonEqualsAt reports whether an "=" escaped as Gson escapes it, \u003d,
// starts at j: logfmt inside a JSON string that Gson wrote ("msg":"upstream
// said error_code\u003doauth2.token.expired code\u003d401"), which the
// tokenizer reads once the record is decoded (Parse's re-read, ungsoned).
// After a word of interest keyAt lets such a record through whatever the
// value (the pre-filter may be looser than the tokenizer, never stricter).
func gsonEqualsAt(b []byte, j int) bool {
	return j >= 0 && j+5 < len(b) && b[j] == '\\' && b[j+1] == 'u' && string(b[j+2:j+5]) == "003" && b[j+5]|0x20 == 'd'
}

// gsonEquals reports whether s holds an "=" escaped as \u003d (gsonEqualsAt).
func gsonEquals(s []byte) bool { return gsonIndex(s) >= 0 }

// gsonIndex returns the index of the first \u003d (or \u003D) in s, or -1.
// Rare: not inlined.
//
//go:noinline
func gsonIndex(s []byte) int {
	for i := 0; ; {
		k := bytes.Index(s[i:], []byte(`\u003`))
		if k < 0 || i+k+5 >= len(s) {
			return -1
		}
		if i += k; s[i+5]|0x20 == 'd' {
			return i
		}
		i += 5
	}
}

// afterKeyClose skips what closes a key at j, a bracket or an Erlang binary's
// ">>", and the quotes and blanks after it: PHP's "[code] => 401" (print_r),
// ["code"]=> int(401) (var_dump), raw or escaped; <<"code">> => 401. Out of
// line: keyAt runs for every word of interest of every record.
//
//go:noinline
func afterKeyClose(b []byte, j int) int {
	if b[j] == ']' {
		return skipQuoteBlank(b, j+1)
	}
	if j+1 < len(b) && b[j+1] == '>' {
		return skipQuoteBlank(b, j+2)
	}
	return j
}

// escapedKeyBlank: the word of interest at ws..end follows an escaped line
// break and precedes a blank and a word, {:A\rCode oauth2.…, which the
// tokenizer reads as a key and its value: let it judge. Rare: not inlined.
//
//go:noinline
func escapedKeyBlank(b []byte, ws, end int) bool {
	return ws > 1 && b[ws-2] == '\\' && escapedBlank(b, ws-2) == 2 && end+1 < len(b) && b[end] == ' ' && class[b[end+1]] == clWord
}

// ednWordBefore marks the bytes before "code" or "status" in an EDN keyword
// of interest: its colon (:code), or the "_" or "-" of a longer one
// (:error_code, :http-status).
var ednWordBefore = [256]bool{':': true, '_': true, '-': true}

// ednKeyAt: the key ending at end, before a blank, is an EDN map's keyword
// (Clojure's {:code 403, :error_code "…"}: ednPair) of interest, and its value
// fits. Rare: not inlined.
//
//go:noinline
func ednKeyAt(b []byte, end int) bool {
	start := end
	for start > 0 && start > end-maxKeyLookBack && keyByte[b[start-1]] {
		start--
	}
	if start == 0 || b[start-1] != ':' || (start > 1 && !ednBefore[b[start-2]]) {
		return false
	}
	kind := classifyKey(b[start:end])
	return (kind == kErr || kind == kCode || kind == kStatus) && keyValueOK(b, end, end, kind)
}

// colourSplit reports whether escape sequences that end at or after start
// (inside the key that the look-back found there), one or several in a row,
// follow a key byte: they split a word. Rare: not inlined.
//
//go:noinline
func colourSplit(b []byte, start int) bool {
	pos := start
	for {
		k := pos - 1
		for k >= 0 && k >= pos-ansiLookBack && b[k] != 0x1b {
			k--
		}
		if k <= 0 || k < pos-ansiLookBack || skipANSI(b, k) < pos {
			return false
		}
		if keyByte[b[k-1]] {
			return true
		}
		pos = k // another sequence may end right before this one
	}
}

// keyValueOK checks the separator at j after the key ending at end, and the
// value after it.
func keyValueOK(b []byte, end, j int, kind keyKind) bool {
	sep := b[j]
	blankBefore := j > end && class[b[j-1]] == clSpace
	if sep == '=' && j+1 < len(b) && b[j+1] == '=' {
		return false // a comparison
	}
	j++
	arrow := j < len(b) && b[j] == '>'
	if arrow {
		j++ // Ruby's and PHP's =>
	}
	if kind == kErr && quotedAt(b, j) {
		// A quoted error code, a blank one too: beside a code of 400-599 the
		// tokenizer reports a blank one (bad_error_code), in logfmt too
		// (code=500 error_code=""), where no other key would let the record in.
		return true
	}
	if sep != '=' || arrow || blankBefore || (j < len(b) && (b[j] == '"' || b[j] == '\'' || b[j] == '\\' || b[j] == 0x1b)) {
		// logfmt's "error_code= and" has no value (the tokenizer agrees); a
		// quoted value may start with blanks.
		j = skipQuoteBlank(b, j)
	}
	if j >= len(b) {
		return false
	}
	if valueOK(b, j, kind) || (kind == kCode && cutErrorBody(b, end, j)) {
		return true
	}
	// A Python b"…", u'…' string: the word before the quote may be its prefix
	// (or the end of the value, before the record's closing quote: either way).
	if c := b[j-1]; c != '"' && c != '\'' && c != '\\' {
		if q := strPrefixQuote(b, j); q > 0 {
			if j = skipQuoteBlank(b, q); j < len(b) {
				return valueOK(b, j, kind) || (kind == kCode && cutErrorBody(b, end, j))
			}
		}
	}
	return false
}

// quotedAt: a value opening with a quote at j, blanks and colour codes before it aside (raw,
// single or escaped).
func quotedAt(b []byte, j int) bool {
	j = skipBlanksColours(b, j) // blanks and colour codes, as the tokenizer skips them
	return j < len(b) && (b[j] == '"' || b[j] == '\'' || b[j] == '\\')
}

// cutErrorBody: a quoted "code" key (raw or escaped) ending at end, whose value
// at j is an HTTP error status: an error body that a cut may have ended before
// its error code (judge; the cut may end a string's content, not the record).
func cutErrorBody(b []byte, end, j int) bool {
	if c := b[end]; c != '"' && c != '\'' && c != '\\' {
		return false
	}
	return (b[j] == '4' || b[j] == '5') && j+3 <= len(b) && isDigit(b[j+1]) && isDigit(b[j+2]) && (j+3 == len(b) || !isDigit(b[j+3]))
}

// valueOK: the value starting at j may be one of kind's.
func valueOK(b []byte, j int, kind keyKind) bool {
	v := b[j]
	switch kind {
	case kErr:
		return class[v] == clWord || v == '[' || v == '(' || v == '<' // ["…"], ("…"): a header's values; <private>: a masked one
	case kCode:
		// Alone, a number under "code" matters only as a success (0, -0, var_dump's
		// int(0)); a word only as an error code of the catalog (ECS error.code):
		// "oauth2." at least.
		return v == '0' || v == '-' || v == '+' || dottedWord(b, j) || (typedByte[v] && typedValueAt(b, j)) || v == '<' && binaryValueOK(b, j, kind)
	default: // kStatus
		return isDigit(v) || v == '+' || (typedByte[v] && typedValueAt(b, j)) || v == '<' && binaryValueOK(b, j, kind)
	}
}

// binaryValueOK is valueOK for the string of an Erlang binary at j, as the
// tokenizer reads it: <<"401">>, <<"apikey.auth.invalid">>.
//
//go:noinline
func binaryValueOK(b []byte, j int, kind keyKind) bool {
	return j+3 < len(b) && b[j+1] == '<' && b[j+2] == '"' && b[j+3] != '<' && valueOK(b, j+3, kind)
}

// typedValueAt: a type's name and its parenthesis at j, before a value as
// typedValue reads it: var_dump's int(401), float(401) and string(3) "401",
// serde_json's Number(401) and String("401"), Swift's Optional(401) and
// Optional("…"), Rust's Some(401) and Some("…"). Looser than the tokenizer (what
// the type holds is not looked at), as the pre-filter must be. Rare: not inlined.
//
//go:noinline
func typedValueAt(b []byte, j int) bool {
	switch b[j] {
	case 'i':
		return bytes.HasPrefix(b[j:], typedInt)
	case 'f':
		return bytes.HasPrefix(b[j:], typedFloat)
	case 's':
		return bytes.HasPrefix(b[j:], typedStringPHP)
	case 'N':
		return bytes.HasPrefix(b[j:], typedNum)
	case 'O':
		return bytes.HasPrefix(b[j:], typedOptional)
	case 'S':
		return bytes.HasPrefix(b[j:], typedSome) || bytes.HasPrefix(b[j:], typedString)
	}
	return false
}

var (
	typedInt, typedFloat, typedNum = []byte("int("), []byte("float("), []byte("Number(")
	typedString, typedStringPHP    = []byte("String("), []byte("string(")
	typedOptional, typedSome       = []byte("Optional("), []byte("Some(")
)

// typedByte marks the first bytes of typedValueAt's types.
var typedByte = [256]bool{'i': true, 'f': true, 's': true, 'N': true, 'O': true, 'S': true}

// valueKeys answers keyAt's question "is there a value key after end?" for
// ascending ends, reading each byte of the record at most once.
type valueKeys struct {
	next int // the first value key at or after from; -1 none; -2 not looked for yet
	from int
}

func (v *valueKeys) after(b []byte, end int) bool {
	if v.next >= end {
		return true
	}
	if v.next == -1 && v.from <= end {
		return false
	}
	v.next, v.from = valueKeyFrom(b, end), end
	return v.next >= 0
}

// valueKeyFrom returns the index of the "alue" of the first "value" key (any case of its "v",
// quotes and blanks before the separator skipped) at or after from, or -1.
func valueKeyFrom(b []byte, from int) int {
	for from < len(b) {
		k := indexAlue(b, from)
		if k < 0 {
			return -1
		}
		if k > 0 && b[k-1]|0x20 == 'v' {
			if j := skipQuoteBlank(b, k+4); j < len(b) && (b[j] == ':' || b[j] == '=') {
				return k
			}
		}
		from = k + 1
	}
	return -1
}

var alue = []byte("alue")

// dottedWord: a lowercase word and a dot (or an escape, which may be one) at
// j — or a parenthesis: PHP var_dump's int(0).
func dottedWord(b []byte, j int) bool {
	if b[j] < 'a' || b[j] > 'z' {
		return false
	}
	for j++; j < len(b); j++ {
		switch c := b[j]; {
		case c == '.' || c == '\\' || c == '(':
			return true
		case (c < 'a' || c > 'z') && !isDigit(c) && c != '_':
			return false
		}
	}
	return false
}

// versionEnd returns the index after an HTTP version's digits and dots at i,
// and after the backslashes of an escaped quote that may follow them.
func versionEnd(b []byte, i int) int {
	for i < len(b) && (isDigit(b[i]) || b[i] == '.') {
		i++
	}
	for i < len(b) && b[i] == '\\' {
		i++
	}
	return i
}

// accessStatusAfter checks the status of `HTTP/1.1" 200` after the quote at
// q (versionEnd's index, len(b) if none).
func accessStatusAfter(b []byte, q int) bool {
	if q >= len(b) {
		return false
	}
	i := skipBlanksColours(b, q+1) // a coloured status too
	return i+3 <= len(b) && b[i] >= '1' && b[i] <= '5' && isDigit(b[i+1]) && isDigit(b[i+2]) &&
		(i+3 == len(b) || !isDigit(b[i+3]))
}

// csvStatusAfter is accessStatusAfter for an access line in a CSV field,
// whose quotes are doubled: `HTTP/1.1"" 200`.
func csvStatusAfter(b []byte, q int) bool {
	return q+1 < len(b) && b[q+1] == '"' && accessStatusAfter(b, q+1)
}

// fromStatus reads the status of go-chi's request logger after the request
// line's closing quote at q: `"GET http://host/x HTTP/1.1" from 10.0.0.1:4011 -
// 401 2B in 38µs`; 0 if there is none.
func fromStatus(b []byte, q int) int {
	i := q + 1
	if i+6 > len(b) || string(b[i:i+6]) != " from " {
		return 0
	}
	i += 6
	k := bytes.IndexByte(b[i:min(len(b), i+64)], ' ') // the client's address
	if k <= 0 {
		return 0
	}
	i += k
	if i+3 > len(b) || string(b[i:i+3]) != " - " {
		return 0
	}
	return statusToken(b, i+3)
}

// skipQuoteBlank skips quotes and blanks, raw or escaped (\", \t, \u0022...),
// as they may sit between a key, its separator and its value at any level of
// string encoding.
func skipQuoteBlank(b []byte, j int) int {
	for j < len(b) {
		switch c := b[j]; {
		case c == '\\':
			j = skipEscape(b, j)
		case c == '"' || c == '\'' || class[c] == clSpace:
			j++
		case c == 0x1b:
			j = skipANSI(b, j) // colours, which the tokenizer reads as blanks
		default:
			return j
		}
	}
	return j
}

// skipEscape skips the escape sequence at j, for skipQuoteBlank: an escaped
// blank or quote, or an escaped colour code (\u001b[31m in a JSON string).
// Out of line: escapes between a key and its value are rare.
//
//go:noinline
func skipEscape(b []byte, j int) int {
	if n := escESC(b, j); n > 0 {
		return skipANSI(b, j+n-1)
	}
	if j+1 < len(b) {
		switch b[j+1] {
		case 't', 'n', 'r', 'f', 'b':
			j++
		}
	}
	return j + 1 + uQuote(b, j)
}

// escESC returns the length of an escaped ESC at j that starts a colour code
// (followed by "["): 6 for JSON's \u001b, 4 for \x1b (nginx, Python); 0 otherwise.
func escESC(b []byte, j int) int {
	if b[j] != '\\' || j+4 >= len(b) {
		return 0
	}
	if b[j+1] == 'x' && b[j+2] == '1' && b[j+3]|0x20 == 'b' && b[j+4] == '[' {
		return 4
	}
	if j+6 < len(b) && b[j+1] == 'u' && string(b[j+2:j+5]) == "001" && b[j+5]|0x20 == 'b' && b[j+6] == '[' {
		return 6
	}
	return 0
}

// uQuote returns the length after the backslash at j of an escaped quote or
// blank: 5 for \u0022, \u0027, \u0020, \u0009, \u000a, \u000d; 3 for \x22,
// \x27, \x20, \x09, \x0a, \x0d (nginx's access-log escaping of a logged body);
// 0 for anything else.
func uQuote(b []byte, j int) int {
	if j+4 <= len(b) && b[j+1] == 'x' && hexQuoteOrBlank(b[j+2], b[j+3]) {
		return 3
	}
	if j+6 > len(b) || b[j+1] != 'u' || b[j+2] != '0' || b[j+3] != '0' || !hexQuoteOrBlank(b[j+4], b[j+5]) {
		return 0
	}
	return 5
}

// hexQuoteOrBlank reports whether the hex digits hi, lo name a double or single
// quote, a space, a tab, a newline or a carriage return.
func hexQuoteOrBlank(hi, lo byte) bool {
	switch string([]byte{hi, lo | 0x20}) {
	case "22", "27", "20", "09", "0a", "0d":
		return true
	}
	return false
}

func isKeyByte(c byte) bool { return keyByte[c] }

// keyByte marks the bytes of a key: letters, digits, "_", "-" and ".".
var keyByte = func() (t [256]bool) {
	for c := range t {
		t[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			c == '_' || c == '-' || c == '.'
	}
	return t
}()

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
