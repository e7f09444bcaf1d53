package parser

import (
	"bytes"

	"github.com/secondme/secondme_error_exporter/catalog"
)

// The tokenizer reads every shape with one grammar: tokens are strings ("…" or
// '…', with u/b/r prefixes), barewords, openers { [ (, closers, separators : = =>,
// delimiters , ; & | ? < >. A string or bareword followed by a separator is a key;
// the token after the separator is its value. Every opener starts a frame (an
// object, but also a Go map[...], a Kotlin Foo(...) or an ANSI-free "[main]"), and
// so does the record and every string that is parsed as a record of its own
// (JSON or logfmt encoded inside a string). Keys are collected per frame; a frame
// is judged when it closes. Thus JSON, Python reprs, logfmt, Java toString and
// Go %+v dumps need no separate parsers, and one pass is linear in the record.

// Byte classes.
const (
	clWord = iota
	clSpace
	clOpen
	clClose
	clSep
	clQuote
	clDelim
	clEsc
)

var class = func() (t [256]uint8) {
	for _, c := range []byte{' ', '\t', '\n', '\r', '\v', '\f', 0} {
		t[c] = clSpace
	}
	for _, c := range []byte("{[(") {
		t[c] = clOpen
	}
	for _, c := range []byte("}])") {
		t[c] = clClose
	}
	t[':'], t['='] = clSep, clSep
	t['"'], t['\''] = clQuote, clQuote
	for _, c := range []byte(",;&|?<>") {
		t[c] = clDelim
	}
	t[0x1b] = clEsc
	return t
}()

// frame collects the keys of one object (or other bracketed group, or record).
type frame struct {
	open  byte // '{', '[', '(' or 0 for a record / string base frame
	depth int32
	seq   int32

	errSet, errBad, errTrunc, errLike bool
	errEmpty                          bool // an error key with an empty string: "error_code":""
	errEnd                            bool // an error value that runs to the end of the text
	errOff, errLen                    int32
	errPrefix                         uint32

	nCodes uint8
	codes  [4]codeVal

	statusSet, access, okBody bool // okBody: a data key, or message "success"/"ok"
	status                    int32

	pendSet bool
	pend    cand // a valid error_code-alone candidate from a descendant

	// OpenTelemetry attributes (attrOf): the kind of the attribute named by this
	// {key, value} object's "key", or, in a typed value's frame, of the value it
	// holds for the list frame at attrTarget.
	attrKind   keyKind
	attrData   bool
	attrPrefix uint32
	attrTarget int32

	// arrErr: this is the array value of an error key ("X-Error-Code":["…"], as
	// Go's http.Header and Caddy log headers); its first element is the value.
	arrErr    bool
	arrPrefix uint32
}

type codeVal struct {
	n      int32
	st     numState
	end    bool // a value that runs to the end of the text: perhaps cut
	bare   bool // under an unquoted key (logfmt, a struct dump), not JSON's or a dict's
	prefix uint32
}

// pickCode returns the code paired with the frame's error_code: the one sharing
// its key prefix, else the first.
func (f *frame) pickCode() codeVal {
	if f.nCodes == 0 {
		return codeVal{st: numAbsent}
	}
	if f.errSet && f.errPrefix != 0 {
		for _, c := range f.codes[:f.nCodes] {
			if c.prefix == f.errPrefix {
				return c
			}
		}
	}
	if f.codes[0].st == numInvalid {
		// "rpc error: code = Unauthenticated desc = api: code=401 error_code=…":
		// a later code that is an HTTP status is the envelope's.
		for _, c := range f.codes[1:f.nCodes] {
			if c.st == numValid && catalog.IsHTTPStatus(int(c.n)) {
				return c
			}
		}
	}
	return f.codes[0]
}

type vkind uint8

const (
	vNone vkind = iota
	vString
	vBare
	vContainer
)

// tok is the last string or bareword, not yet known to be a key or standalone.
type tok struct {
	has   bool
	str   bool
	trunc bool
	s, e  int
}

// minNested is the shortest string that can hold an envelope of its own
// ("error_code=a.b" is 14 bytes; a success or access line is longer).
const minNested = 14

// scan tokenizes b as a record (lvl 0) or as the decoded content of a string (lvl > 0).
func (p *Parser) scan(b []byte, lvl int) {
	base := len(p.stack)
	p.push(0)
	x := &p.idx[lvl]
	x.build(b)
	var t tok
	i, n := 0, len(b)
	csvEnd := 0              // the end of a CSV field found of no interest
	first := skipBlank(b, 0) // where the text starts (an escaped body there is a string's piece)
	escEnd := 0              // the end of an escaped body found of no interest
	for i < n {
		c := b[i]
		// One dispatch per token, on the class of its first byte.
		switch class[c] {
		case clSpace:
			i++
		case clWord:
			if escLead[c] {
				// A line break or tab a logger escaped: a blank, before a word
				// or a quote ({\n\t"code": 401,…}, {#012#011"code": 401,…}).
				if k := escapedBlank(b, i); k > 0 {
					i += k
					continue
				}
			}
			if t.has {
				p.endTok(b, &t, lvl)
			}
			if q := strPrefixQuote(b, i); q > 0 {
				s, e, next, trunc := x.scanString(b, q)
				t = tok{has: true, str: true, trunc: trunc, s: s, e: e}
				i = next
				continue
			}
			s := i
			i = x.wordEnd(i)
			t = tok{has: true, s: s, e: i}
		case clQuote:
			if t.has {
				p.endTok(b, &t, lvl)
			}
			if c == '"' && i+3 < n && b[i+1] == '{' && unquotedBody(b, i) {
				// A JSON body quoted without escaping, as Spring's and Ktor's
				// exception messages print it: 401 Unauthorized: "{"code":401,…}".
				i++
				continue
			}
			s, e, next, trunc := x.scanString(b, i)
			if c == '"' && !trunc && quotedBodyInText(b, s, e, true) {
				// A message quoted without escaping, a JSON body inside it, as
				// nginx logs PHP-FPM's stderr: "PHP message: failed:
				// {"code":403,…}": its opening quote reads as a blank.
				i++
				continue
			}
			if next < n && b[next] == '"' && c == '"' && i >= csvEnd {
				// A doubled quote: a CSV field ("…","{""code"":401,…}"), as
				// log tables export a message. Its content, "" undoubled, is a
				// record of its own — if it may hold an envelope; else the
				// quotes are read as they come (and the field is not looked
				// at again for each of them).
				j, ok := p.csvField(b, i, lvl)
				if ok {
					i = j
					continue
				}
				csvEnd = j
			}
			t = tok{has: true, str: true, trunc: trunc, s: s, e: e}
			i = next
		case clSep:
			if t.has {
				if !p.special && !mayClassify(b[t.s:t.e]) {
					// A key of no interest ("10" of 10:00:14, "msg"): keyValue
					// would only read its value, and a string's nested record.
					if j, v, ok := sepValue(b, x, i, t.s, t.e); ok {
						armed := false
						if v.str {
							val := b[v.s:v.e]
							if x.mayNest(b, v.s, v.e) && !queryKey(b[t.s:t.e], val) {
								p.recurse(val, lvl)
							}
							// A quoted request line as a prefix's value (Monolog's
							// `access.INFO: "GET /x HTTP/1.1" 200 …`): its status follows.
							armed = len(val) >= 14 && val[0]-'A' < 26 && !v.trunc && b[v.s-1] == '"' && isRequestLine(val)
							p.requestValue(val)
						}
						t.has = false
						p.armed = armed
						i = j
						continue
					}
				} else if j, ok := p.keyValue(b, i, &t, lvl); ok {
					t.has = false
					p.armed = false // a key/value pair is no access line's status
					i = j
					continue
				}
			} else if c == ':' && i > 0 && i+1 < n && asciiLetter[b[i+1]] && ednBefore[b[i-1]] {
				if j := p.ednPair(b, i, lvl); j > 0 {
					i = j
					continue
				}
			}
			p.flush(b, &t, lvl)
			p.armed = false
			i++
			for i < n && (b[i] == '=' || b[i] == ':') {
				i++ // ==, ::, := are no separators
			}
		case clOpen:
			if t.has {
				p.endTok(b, &t, lvl)
			}
			p.armed = false // an access line's status follows its request line directly
			if c == '{' && i > 0 && metricNameEnd[b[i-1]] {
				if j := expositionSample(b, i); j > 0 {
					i = j // name{error_code="…",code="401"} 17: a count of errors, none itself
					continue
				}
			}
			if c == '[' && i+1 < n && (isKeyByte(b[i+1]) || b[i+1] == '"' || b[i+1] == '\'') {
				if ks, ke, next := bracketKey(b, i); next > 0 {
					t = tok{has: true, s: ks, e: ke}
					i = next
					continue
				}
			}
			if c == '{' && i >= escEnd && i+2 < n && b[i+1] == '\\' && b[i+2] == '"' && first < i {
				// failed {\"code\":401,…}, outside any string (a template that
				// JSON-escapes the message): an escaped body, read as a
				// string's content would be — if it may hold an envelope; else
				// its bytes are read as they come, and it is not measured
				// again for each "{\"" inside it.
				// A record (or a string, as Docker wraps each line) that
				// starts with one is the piece of a string that an earlier
				// line opened (Laravel's exception context, after the body it
				// logged raw): not read.
				end := escapedObjectEnd(b, i)
				if end-i >= minNested && interesting(b[i:end]) {
					p.recurse(b[i:end], lvl)
					i = end
					continue
				}
				escEnd = end
			}
			p.push(c)
			i++
			if c == '{' {
				if fastJSON && p.overflow == 0 {
					i, _ = p.fastObject(b, i, lvl, base)
				}
				continue
			}
			// A run of openers ("[[[", "([") holds no token: each opens a frame,
			// as the loop would, without a trip through it.
			if j := openRunEnd(b, i); j > i {
				p.pushRun(b[i:j])
				i = j
			}
		case clClose:
			if t.has {
				p.endTok(b, &t, lvl)
			}
			p.armed = false
			j := i + 1
			for j < n && class[b[j]] == clClose { // "]]]", "}]}": likewise
				j++
			}
			p.closeRun(b[i:j], base)
			i = j
		case clDelim:
			if c == '>' && t.has && t.str && erlangBinaryEnd(b, t.s, t.e, i) {
				i += 2 // <<"code">> => 401: an Erlang binary's string is the key
				continue
			}
			if t.has {
				p.endTok(b, &t, lvl)
			}
			p.armed = false
			if c == '|' && i > 0 && isDigit(b[i-1]) {
				if j := statsdTags(b, i); j > 0 {
					i = j // name:1|c|#error_code:…,code:401: a count of errors, none itself
					continue
				}
			}
			i++
		default: // clEsc
			// A colour code is a blank: a pending key stays one (logrus's and
			// zerolog's ESC[31mcode ESC[0m=400, awesome_print's values).
			i = skipANSI(b, i)
		}
	}
	p.flush(b, &t, lvl)
	p.cutMid = len(p.stack) > base+1 && cutMidToken(b) && !hexDumpLine(b) // only an object frame left open is judged cut
	for len(p.stack) > base {
		p.pop(true)
	}
	p.overflow = 0 // openers beyond maxDepth inside this scan end with it
}

// filterKey reports whether key names a rule's or a query's filter ("match":
// {"error_code": "oauth2.token.expired", "code": 401} in a retry policy, an
// alert or moderation rule, a log router's route; Elasticsearch's "term" and
// "terms" clauses): the object or array it holds selects errors and is none
// itself; it is not read (sepValue skips it).
func filterKey(key []byte) bool {
	switch len(key) {
	case 4:
		return key[0]|0x20 == 't' && string(key[1:]) == "erm"
	case 5:
		return key[0]|0x20 == 'm' && string(key[1:]) == "atch" || key[0]|0x20 == 't' && string(key[1:]) == "erms"
	}
	return false
}

// containerEnd returns the index after the closer of the object or array whose
// opener is at i, its strings skipped whole; the end of b if it is not closed.
func (x *bitIndex) containerEnd(b []byte, i int) int {
	depth := 0
	for i < len(b) {
		switch b[i] {
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				return i + 1
			}
		case '"', '\'':
			_, _, next, _ := x.scanString(b, i)
			i = next
			continue
		}
		i++
	}
	return len(b)
}

// queryKey reports whether key names a query (Loki's and Tempo's query logs:
// query="{app=\"x\"} | json | error_code=\"…\" | code=\"401\"", Splunk's
// audit log: search='search index=app error_code="…" | stats count'), its
// value val: it asks for errors and holds none; it is not read as a record.
// (A URL's search part, "?error_code=…&code=401", is no query.)
func queryKey(key, val []byte) bool {
	return len(key) == 5 && key[0]|0x20 == 'q' && string(key[1:]) == "uery" ||
		len(key) == 6 && key[0]|0x20 == 's' && string(key[1:]) == "earch" && len(val) > 0 && val[0] != '?'
}

// firstItem returns v without its leading blanks, cut at its first blank or
// comma: the first of the values nginx joins when a header is sent twice
// ("oauth2.token.expired, oauth2.token.expired").
func firstItem(v []byte) []byte {
	v = trimBlank(v)
	for i, c := range v {
		if c == ',' || blank[c] {
			return v[:i]
		}
	}
	return v
}

// statsdTags reports whether the '|' at i, after a datagram's value, starts a
// StatsD (DogStatsD) datagram's type, sample rate and tags
// (secondme.errors:1|c|@0.5|#error_code:oauth2.token.expired,code:401): it
// returns the index of the blank after the tags (or the end), else 0. A
// datagram counts errors; it reports none, as a Prometheus sample does.
func statsdTags(b []byte, i int) int {
	j := i + 1
	if j+1 >= len(b) {
		return 0
	}
	switch b[j] {
	case 'c', 'g', 'h', 's', 'd':
		j++
	case 'm':
		if b[j+1] != 's' {
			return 0
		}
		j += 2
	default:
		return 0
	}
	if j+1 < len(b) && b[j] == '|' && b[j+1] == '@' {
		for j += 2; j < len(b) && (isDigit(b[j]) || b[j] == '.'); j++ {
		}
	}
	if j+1 >= len(b) || b[j] != '|' || b[j+1] != '#' {
		return 0
	}
	for j += 2; j < len(b) && !blank[b[j]] && b[j] != '"'; j++ {
	}
	return j
}

// docExampleCode is the error code of the reference's example envelope: the
// format's own placeholder, {module}.{resource}.{reason}.
const docExampleCode = "module.resource.reason"

// phpTraceFrame reports whether b is a frame of a PHP stack trace ("#0
// /app/src/Client.php(54): Client->parse_error('{"code":500,"me...')"),
// whose string arguments PHP shortens to 15 bytes and "...": a window of the
// body, no body cut by a size limit. Asked only of a record cut inside a token.
func phpTraceFrame(b []byte) bool {
	i := skipBlank(b, 0)
	if i+2 >= len(b) || b[i] != '#' || !isDigit(b[i+1]) {
		return false
	}
	for i++; i < len(b) && isDigit(b[i]); i++ {
	}
	return i < len(b) && b[i] == ' ' && bytes.Contains(b[i:], phpShortened)
}

var phpShortened = []byte("...'")

// ednBefore marks the bytes that may come before a keyword key of an EDN map
// (Clojure's {:code 403, :error_code "…"}): its opening brace, a comma, a blank.
var ednBefore = [256]bool{'{': true, ',': true, ' ': true, '\t': true, '\n': true}

// ednPair reads the keyword key whose ':' is at i and the value after the one
// blank that follows it, in an EDN map (Clojure's, as Metabase and ring-logger
// print them: {:code 403, :message "…", :error_code "…"}), as keyValue reads a
// key and its value. It returns where the tokenizer goes on, or 0 (not such a
// key, not in a "{" frame: nothing done).
func (p *Parser) ednPair(b []byte, i, lvl int) int {
	ke := p.idx[lvl].wordEnd(i + 1)
	if ke+1 >= len(b) || b[ke] != ' ' || blank[b[ke+1]] || class[b[ke+1]] == clSep || len(p.stack) == 0 || p.stack[len(p.stack)-1].open != '{' {
		return 0
	}
	if key := b[i+1 : ke]; mayClassify(key) {
		if k := classifyName(key); (k == kErr || k == kCode || k == kStatus) && !ednKeyOK(key) {
			return 0 // a keyword of interest the pre-filter does not read as one (ednKeyAt)
		}
	}
	t := tok{has: true, s: i + 1, e: ke}
	j, ok := p.keyValue(b, ke, &t, lvl)
	if !ok {
		return 0
	}
	p.armed = false
	return j
}

// ednKeyOK reports whether an EDN keyword of interest reads as the pre-filter
// reads one (ednKeyAt): key bytes only, within the look-back, ending in the
// word "code" or "status" that is the whole keyword or follows '_' or '-'
// (:code, :error_code, :http-status; not :errorCode).
func ednKeyOK(key []byte) bool {
	n := len(key)
	if n > maxKeyLookBack {
		return false
	}
	for _, c := range key {
		if !keyByte[c] {
			return false
		}
	}
	w := 0
	switch {
	case n >= 6 && bytes.EqualFold(key[n-6:], wordStatus):
		w = 6
	case n >= 4 && bytes.EqualFold(key[n-4:], wordCode):
		w = 4
	default:
		return false
	}
	return n == w || ednWordBefore[key[n-w-1]]
}

var wordCode, wordStatus = []byte("code"), []byte("status")

// cutMidToken reports whether b, cut at its end, was cut inside a token: its
// last byte, blanks aside, is none that ends a member or opens a value.
func cutMidToken(b []byte) bool {
	e := len(b)
	for e > 0 && blank[b[e-1]] {
		e--
	}
	for n := 0; n < 2 && e > 3 && string(b[e-3:e]) == " []"; n++ {
		e -= 3 // Monolog's empty context and extra after the message: "…[truncated 212 bytes] [] []"
	}
	if e == 0 {
		return false
	}
	switch b[e-1] {
	case ',', '{', '[', ':', '}':
		return false
	case ']': // but a note can mark the cut: "… [TRUNCATED]" (API Gateway's execution log), "…[truncated 212 bytes]"
		return truncatedNote(b[:e]) || springCut(b[:e])
	}
	return true
}

// truncatedNote reports whether b ends with a bracketed note of a cut, as API
// Gateway's execution log ("… [TRUNCATED]") and loggers that shorten a body
// write it: "[truncated]", "[truncated 212 bytes]", "[truncated 1.2KB]".
func truncatedNote(b []byte) bool {
	tail := b[max(0, len(b)-48):]
	k := bytes.LastIndexByte(tail, '[')
	if k < 0 {
		return false
	}
	note := tail[k+1:]
	return len(note) > len(truncatedWord) && bytes.EqualFold(note[:len(truncatedWord)], truncatedWord) &&
		(note[len(truncatedWord)] == ']' || note[len(truncatedWord)] == ' ')
}

var truncatedWord = []byte("truncated")

// springCut reports whether b ends as Spring's RestTemplate (5.2) ends the body
// it shortens in an exception's message: "[<200 characters>... (431 bytes)]".
func springCut(b []byte) bool {
	const tail = " bytes)]"
	if !bytes.HasSuffix(b, []byte(tail)) {
		return false
	}
	i := len(b) - len(tail)
	d := i
	for d > 0 && isDigit(b[d-1]) {
		d--
	}
	return d < i && bytes.HasSuffix(b[:d], []byte("... ("))
}

// hexJoined reports whether w is two or more pairs of hex digits joined by
// hyphens ("3A-34", "7B-22-63").
func hexJoined(w []byte) bool {
	for k := 0; k < len(w); k += 3 {
		if _, hex := hexN(w[k:k+2], 2); !hex || k+2 < len(w) && w[k+2] != '-' {
			return false
		}
	}
	return true
}

// hexDumpLine reports whether b is a line of a hex dump (hexdump -C, xxd,
// Netty's and ESP-IDF's buffer dumps, .NET's System.Net trace and BitConverter): eight or more groups of two or four hex
// digits, then the dump's text column, a window of the bytes dumped (a body
// shown 16 bytes a line), which is no body cut by a size limit. Asked only of
// a record cut inside a token.
func hexDumpLine(b []byte) bool {
	run, end := 0, -1
	for i := 0; i < len(b); {
		for i < len(b) && b[i] == ' ' {
			i++
		}
		s := i
		for i < len(b) && b[i] != ' ' {
			i++
		}
		if n := i - s; n == 2 || n == 4 {
			if _, hex := hexN(b[s:i], n); hex {
				if run++; run >= 8 {
					end = i
				}
				continue
			}
		} else if n%3 == 2 && b[s+2] == '-' && hexJoined(b[s:i]) {
			// System.Net's trace joins its eighth and ninth bytes ("3A-34"),
			// .NET's BitConverter.ToString all of them ("7B-22-63-…").
			if run += (n + 1) / 3; run >= 8 {
				end = i
			}
			continue
		}
		if end >= 0 {
			break // the text column
		}
		run = 0
	}
	// The text column: 16 or 32 bytes, its delimiters and colour codes.
	return end >= 0 && len(b)-end <= 64
}

// endTok ends the pending token t before a token that does not make it a key.
func (p *Parser) endTok(b []byte, t *tok, lvl int) {
	if t.str || p.armed || p.special {
		p.flush(b, t, lvl)
	} else {
		t.has = false // a plain word of text: flush would do nothing
	}
}

// bracketKey reads a PHP print_r key, "[code] => 401", or var_dump key,
// ["code"]=> int(401): the key's bounds and the index after "]", or next 0
// when the "[" at i opens no such key.
func bracketKey(b []byte, i int) (ks, ke, next int) {
	ks = i + 1
	var q byte
	if ks < len(b) && (b[ks] == '"' || b[ks] == '\'') {
		q = b[ks]
		ks++
	}
	j := ks
	for j < len(b) && isKeyByte(b[j]) {
		j++
	}
	ke = j
	if q != 0 {
		if j >= len(b) || b[j] != q {
			return 0, 0, 0
		}
		j++
	}
	if ke == ks || j >= len(b) || b[j] != ']' {
		return 0, 0, 0
	}
	k := j + 1
	for k < len(b) && b[k] == ' ' {
		k++
	}
	if k+1 >= len(b) || b[k] != '=' || b[k+1] != '>' {
		return 0, 0, 0
	}
	return ks, ke, j + 1
}

// typedValue reads a value whose type word is b[j:ve], before the "(" at ve:
// PHP var_dump's int(401), float(401), bool(true) and Rust serde_json's (Debug)
// Number(401), Bool(false) — the value in the parentheses — or var_dump's
// string(20) "oauth2.token.expired" — the string after them — or serde_json's
// String("oauth2.token.expired"), the string in them; and the optionals that
// Swift's string interpolation and Rust's Debug print, Optional("…") and
// Some("…"), Optional(401) and Some(401). next is 0 for any other word
// (array(2) {…} is read as a container anyway).
func typedValue(b []byte, x *bitIndex, j, ve int) (s, e, next int, str bool) {
	switch string(b[j:ve]) {
	case "int", "float", "bool", "Number", "Bool":
	case "string":
		c := bytes.IndexByte(b[ve+1:min(len(b), ve+24)], ')')
		if q := ve + c + 3; c >= 0 && q < len(b) && b[q-1] == ' ' && b[q] == '"' {
			s, e, next, _ = x.scanString(b, q)
			return s, e, next, true
		}
		return 0, 0, 0, false
	case "String", "Optional", "Some":
		if ve+1 < len(b) && b[ve+1] == '"' {
			s, e, next, _ = x.scanString(b, ve+1)
			if next < len(b) && b[next] == ')' {
				return s, e, next + 1, true
			}
			return 0, 0, 0, false
		}
		if string(b[j:ve]) == "String" {
			return 0, 0, 0, false // serde_json's String holds a string only
		}
		// Optional(401), Some(401): the number in the parentheses, below.
	default:
		return 0, 0, 0, false
	}
	c := bytes.IndexByte(b[ve+1:min(len(b), ve+24)], ')')
	if c < 0 {
		return 0, 0, 0, false
	}
	c += ve + 1
	return ve + 1, c, c + 1, false
}

// inWord marks the bytes a bareword continues with: word bytes and quotes.
var inWord = func() (t [256]bool) {
	for c := range t {
		t[c] = class[c] == clWord || class[c] == clQuote
	}
	return t
}()

// strPrefixQuote returns the index of the quote of a Python u'…', b'…', r'…',
// rb'…' string starting at i, or 0. Inlined, it looks at the first byte only:
// most words start with none of these letters.
func strPrefixQuote(b []byte, i int) int {
	if i >= len(b) || !strPrefixByte[b[i]] {
		return 0
	}
	return strPrefixQuoteAt(b, i)
}

var strPrefixByte = func() (t [256]bool) {
	for _, c := range []byte("uUbBrR") {
		t[c] = true
	}
	return t
}()

func strPrefixQuoteAt(b []byte, i int) int {
	for k := i; k < len(b) && k < i+3; k++ {
		switch b[k] {
		case 'u', 'U', 'b', 'B', 'r', 'R':
			continue
		case '"', '\'':
			if k > i && (i == 0 || class[b[i-1]] != clWord) {
				return k
			}
		}
		return 0
	}
	return 0
}

// scanString returns the content [s,e) of the string whose quote is at i, and the
// index after it. An unterminated string runs to the end of b (trunc).
func scanString(b []byte, i int) (s, e, next int, trunc bool) {
	return (*bitIndex)(nil).scanString(b, i)
}

// scanString is scanString for the buffer x indexes (or none, if x is nil):
// the index finds a double-quoted string's quote or escapes.
func (x *bitIndex) scanString(b []byte, i int) (s, e, next int, trunc bool) {
	q := b[i]
	j := i + 1
	for {
		var k int
		if q == '"' && x != nil {
			if k = nextBit(x.dq, j); k == len(b) {
				k = -1
			}
		} else {
			k = indexQuoteOrEscape(b, j, q)
		}
		if k < 0 {
			return i + 1, len(b), len(b), true
		}
		if b[k] == q {
			return i + 1, k, k + 1, false
		}
		j = k + 2 // an escape: skip the byte it escapes
		if j > len(b) {
			return i + 1, len(b), len(b), true // a backslash was the last byte
		}
	}
}

// swarOnes has a 1 in every byte; swarHighs the high bit of every byte.
const swarOnes, swarHighs = 0x0101010101010101, 0x8080808080808080

// maxANSIParams bounds the parameter and intermediate bytes of an ANSI escape
// sequence skipANSI takes ("38;2;255;255;255" is 16), so that the pre-filter
// finds the sequence's ESC within a bounded look-back (ansiLookBack).
const (
	maxANSIParams = 20
	ansiLookBack  = maxANSIParams + 4
)

// skipANSI skips an ANSI escape sequence (colour codes in log prefixes). Rare
// in log files: not inlined, so as not to weigh on the pre-filter's inlining.
//
//go:noinline
func skipANSI(b []byte, i int) int {
	i++
	if i >= len(b) || b[i] != '[' {
		return i
	}
	i++
	lim := min(len(b), i+maxANSIParams)
	for i < lim && b[i] >= 0x30 && b[i] <= 0x3F {
		i++
	}
	for i < lim && b[i] >= 0x20 && b[i] <= 0x2F {
		i++
	}
	if i < len(b) && b[i] >= 0x40 && b[i] <= 0x7E {
		i++
	}
	return i
}

// escLead marks the first bytes of escapedBlank's escapes.
var escLead = [256]bool{'\\': true, '#': true}

// escapedBlank returns the length of the escaped line break or tab at i, 0 if
// there is none: \n, \r, \t as log4j2's %enc{%m}{CRLF} or logback's
// %replace write them, or #012, #015, #011 as rsyslog escapes control
// characters (its default on Debian and Red Hat). Rare: not inlined, to keep
// the tokenizer's loop small.
//
//go:noinline
func escapedBlank(b []byte, i int) int {
	if b[i] == '\\' {
		if i+1 < len(b) && (b[i+1] == 'n' || b[i+1] == 'r' || b[i+1] == 't') {
			return 2
		}
		return 0
	}
	if i+3 < len(b) && b[i+1] == '0' && b[i+2] == '1' && (b[i+3] == '1' || b[i+3] == '2' || b[i+3] == '5') {
		return 4
	}
	return 0
}

// escapedBlankIn returns the index of the first escaped line break or tab
// (escapedBlank) in b[s:e], e if there is none; an escaped backslash ("\\n")
// is none. Inside a word, it is where a logger that escapes line breaks put
// one: "code": 401\n} and code=401\nerror_code=… (log4j2's %enc{%m}{CRLF}),
// "code": 401#012} (rsyslog, when hash is set).
func escapedBlankIn(b []byte, s, e int, hash bool) int {
	for k := s; k < e; k++ {
		switch b[k] {
		case '\\':
			if k+1 < e && b[k+1] == '\\' {
				k++
			} else if escapedBlank(b[:e], k) > 0 {
				return k
			}
		case '#':
			if hash && escapedBlank(b[:e], k) > 0 {
				return k
			}
		}
	}
	return e
}

// afterEscapedBlanks returns the index after the last backslash-escaped line
// break or tab in b[s:e], s if there is none.
func afterEscapedBlanks(b []byte, s, e int) int {
	for k := escapedBlankIn(b, s, e, false); k < e; k = escapedBlankIn(b, s, e, false) {
		s = k + escapedBlank(b[:e], k)
	}
	return s
}

// blankOrEsc marks the blanks, and the ESC that starts a colour code (read as a blank).
var blankOrEsc = func() (t [256]bool) {
	for c := range t {
		t[c] = class[c] == clSpace || c == 0x1b
	}
	return t
}()

// skipBlanksColours skips blanks and the colour codes among them, which read
// as blanks.
func skipBlanksColours(b []byte, i int) int {
	for i < len(b) && blankOrEsc[b[i]] {
		if b[i] == 0x1b {
			i = skipANSI(b, i)
		} else {
			i++
		}
	}
	return i
}

// value is what follows a key's separator.
type value struct {
	vk         vkind
	s, e       int // a string's content or a word (vString, vBare)
	str, trunc bool
}

// sepValue reads the separator at i after the key b[ts:te], and the value
// after it. It returns the index after the value, or false when the separator
// is no key/value separator. A rule's or a query's filter (filterKey) is
// skipped whole and read as no value.
func sepValue(b []byte, x *bitIndex, i, ts, te int) (j int, v value, ok bool) {
	n := len(b)
	sep := b[i]
	j = i + 1
	arrow := false
	if j < n {
		switch {
		case sep == '=' && b[j] == '=', sep == ':' && b[j] == ':', sep == ':' && b[j] == '=':
			return 0, v, false
		case sep == '=' && b[j] == '>':
			j++
			arrow = true
		}
	}
	// "key: value", "key = value" and "key => value" take blanks after the
	// separator; logfmt's "key= value" means an empty value.
	blanks := false
	if sep == ':' || arrow || (i > te && class[b[i-1]] == clSpace) {
		for j < n && blankOrEsc[b[j]] {
			if b[j] == 0x1b {
				j = skipANSI(b, j) // colours are blanks (awesome_print's => ESC[1;34m401)
				continue
			}
			j++
			blanks = true
		}
	} else if j < n && b[j] == 0x1b {
		j = skipANSI(b, j) // code=ESC[1m401
	}
	if j < n {
		switch class[b[j]] {
		case clQuote:
			if b[j] == '"' && j+3 < n && b[j+1] == '{' && unquotedBody(b, j) {
				v.vk = vContainer // "{"code":401,…}": see scan
				j++
				break
			}
			s, e, next, trunc := x.scanString(b, j)
			if b[j] == '"' && !trunc && quotedBodyInText(b, s, e, false) {
				v.vk = vContainer // said into stderr: "NOTICE: … {"code":401,…}": see scan
				j++
				break
			}
			v.s, v.e, j, v.trunc = s, e, next, trunc
			v.vk, v.str = vString, true
		case clOpen:
			v.vk = vContainer
			if filterKey(b[ts:te]) && b[j] != '(' {
				j, v.vk = x.containerEnd(b, j), vNone
			}
		case clWord:
			if q := strPrefixQuote(b, j); q > 0 {
				v.s, v.e, j, v.trunc = x.scanString(b, q)
				v.vk, v.str = vString, true
				break
			}
			ve := x.wordEnd(j)
			if ve < n && b[ve] == '(' {
				// Typed values: var_dump's int(401), string(20) "…", serde_json's String("…").
				if s, e, next, str := typedValue(b, x, j, ve); next > 0 {
					v.s, v.e, j, v.str = s, e, next, str
					v.vk = vBare
					if str {
						v.vk = vString
					}
					break
				}
			}
			if blanks && ve < n && (class[b[ve]] == clSep || b[ve] == ' ' && spacedEquals(b, ve)) {
				// "api error: code=401", "payload: error_code = oauth2.token.expired":
				// the word after the blanks is the next key, and this key has no value.
				break
			}
			v.s, v.e, j = j, ve, ve
			v.vk = vBare
		default:
			if e := redactedEnd(b, j); e > 0 {
				v.s, v.e, j = j, e, e // error_code=<private>: a masked value
				v.vk = vBare
			} else if b[j] == '<' && j+2 < n && b[j+1] == '<' && b[j+2] == '"' {
				// An Erlang binary, <<"oauth2.token.expired">> (<<"…"/utf8>>): its string.
				s, e, next, trunc := x.scanString(b, j+2)
				if !trunc {
					if next+5 < n && string(b[next:next+5]) == "/utf8" {
						next += 5
					}
					if next+1 < n && b[next] == '>' && b[next+1] == '>' {
						v.s, v.e, j, v.trunc = s, e, next+2, false
						v.vk, v.str = vString, true
					}
				}
			}
		}
	}
	return j, v, true
}

// spacedEquals reports whether blanks, then " = " (an "=" alone between
// blanks), start at k: a key's separator written spaced.
func spacedEquals(b []byte, k int) bool {
	k = skipBlank(b, k)
	return k+1 < len(b) && b[k] == '=' && b[k+1] == ' '
}

// erlangBinaryEnd reports whether the '>' at i ends an Erlang binary whose
// string is b[s:e]: <<"…">>, the string's quote right before ">>" and "<<"
// right before its opening quote.
func erlangBinaryEnd(b []byte, s, e, i int) bool {
	return i == e+1 && i+1 < len(b) && b[i+1] == '>' && s >= 3 && b[s-2] == '<' && b[s-3] == '<'
}

// originPort reports whether the blank at k, before a quoted request line,
// follows an origin URL's port, as urllib3's connection pool logs each
// response (https://app.mindos.com:443 "GET /x HTTP/1.1" 401 83): a client's
// own transport line, which would count the response a second time beside the
// body the client logs — no access line.
func originPort(b []byte, k int) bool {
	e := k
	for k > 0 && isDigit(b[k-1]) {
		k--
	}
	if k == e || k < 2 || b[k-1] != ':' {
		return false // no port
	}
	h := k - 1
	for h > 0 && keyByte[b[h-1]] {
		h-- // the host (logging's "DEBUG:urllib3.connectionpool:http://…" runs into it)
	}
	return h < k-1 && (bytes.HasSuffix(b[:h], httpScheme) || bytes.HasSuffix(b[:h], httpsScheme))
}

var httpScheme, httpsScheme = []byte("http://"), []byte("https://")

// redactedEnd returns the end of the masker's placeholder that starts at j
// ("<private>", see redacted), or 0.
func redactedEnd(b []byte, j int) int {
	if b[j] != '<' {
		return 0
	}
	if k := bytes.IndexByte(b[j:min(len(b), j+32)], '>'); k > 0 && redacted(b[j:j+k+1]) {
		return j + k + 1
	}
	return 0
}

// keyValue handles the separator at i after the key t. It returns the index after
// the value, or false when the separator is no key/value separator.
func (p *Parser) keyValue(b []byte, i int, t *tok, lvl int) (int, bool) {
	j, v, ok := sepValue(b, &p.idx[lvl], i, t.s, t.e)
	if !ok {
		return 0, false
	}
	key := b[t.s:t.e]
	kind := kNone
	if mayClassify(key) {
		kind = classifyName(key)
		if kind == kNone && !t.str && p.idx[lvl].mayHoldDQ(t.s, t.e) {
			// "failed\ncode=401": the key follows an escaped line break
			// inside the word (a backslash's: the look is for one).
			if s := afterEscapedBlanks(b, t.s, t.e); s > t.s {
				t.s, key = s, b[s:t.e]
				kind = classifyKey(key)
			}
		}
		if (kind == kErr || kind == kCode) && otherKeyContext(b, t.s, t.e, b[i], kind == kErr && v.vk == vBare, v.e) {
			kind = kNone // WHERE error_code = 'oauth2.token.expired': a query, not a response
		}
	}
	if kind != kNone && kind <= kStatus && v.vk == vBare && (v.e-v.s > 3 || p.idx[lvl].mayHoldDQ(v.s, v.e)) {
		// "code": 401\n} (log4j2's %enc{%m}{CRLF}), "code": 401#012} (rsyslog),
		// code=401\nerror_code=…: an escaped line break ends the value of an
		// error code, code or status, and the tokenizer reads on after it. (A
		// status of three bytes needs no look.)
		if k := escapedBlankIn(b, v.s, v.e, true); k < v.e {
			v.e, j = k, k
		}
	}
	var val []byte
	if v.vk == vString || v.vk == vBare {
		val = b[v.s:valueEnd(b, v, kind)]
	}
	if kind != kNone {
		// An unterminated string, or a bare value with nothing but blanks
		// after it, may have been cut by the end of the text (judge: it
		// matters only in an object the end cut).
		p.valEnd = v.trunc || (v.vk == vBare && skipBlank(b, v.e) == len(b))
		p.bareKey = !t.str
		p.keyOf(kind, key, v.vk, val, v.str, v.trunc)
		p.valEnd, p.bareKey = false, false
	}
	if (kind == kNone || kind == kReq) && p.special && (v.vk == vString || v.vk == vBare) && p.overflow == 0 && len(p.stack) > 0 {
		p.accessField(val, v) // err="…", upstream_err="…" (upstream_* names a request key)
	}
	if v.str && kind != kErr && kind != kCode && p.idx[lvl].mayNest(b, v.s, v.e) && !queryKey(key, val) {
		p.recurse(val, lvl)
	}
	if v.str && kind == kNone {
		p.requestValue(val)
	}
	if kind == kMsg && v.vk == vContainer && b[j] == '[' {
		if k := p.journalBytes(b, key, j, lvl); k > 0 {
			return k, true // journald's MESSAGE as bytes
		}
	}
	return j, true
}

// valueEnd returns the end of the value v of a key of kind: v's own, or for
// a request key's bare absolute URL, which the tokenizer ends at its scheme's
// ':' (url=https://host/health), the URL's — the probe's path is looked at
// (keyIn), and the tokenizer reads on after the ':' as before.
func valueEnd(b []byte, v value, kind keyKind) int {
	if kind == kReq && v.vk == vBare && v.e+2 < len(b) && b[v.e] == ':' && b[v.e+1] == '/' && b[v.e+2] == '/' {
		return bareURLEnd(b, v.e)
	}
	return v.e
}

// bareURLEnd returns the end of the bare URL whose scheme ends at i (its
// "://"): the next blank or quote. Rare: not inlined.
//
//go:noinline
func bareURLEnd(b []byte, i int) int {
	for i < len(b) && b[i] != ' ' && b[i] != '\t' && b[i] != '"' && b[i] != '\'' {
		i++
	}
	return i
}

// accessField handles a field of a text access line under a key of its own
// choosing (err="oauth2.token.expired"): like a positional field, only a code
// of a module the catalog knows. Not inlined, as sqlOperand.
//
//go:noinline
func (p *Parser) accessField(val []byte, v value) {
	if f := &p.stack[len(p.stack)-1]; f.access && !f.errSet {
		// A catalog code, or a broken one of ours as in a positional field
		// (brokenOurs: one sent twice, whose values nginx joins,
		// "oauth2.token.expired, oauth2.token.expired"; the wrong case,
		// "OAuth2.Token.Revoked"; camel case): bad_error_code.
		if t := trimBlank(val); catalogCode(p.cat, t) || p.brokenOurs(t) {
			p.setErr(f, val, v.vk, v.str, v.trunc, 0)
		}
	}
}

// otherKeyContext reports whether the words around an error code or code key
// (b[s:e], its separator sep) make it no key of this record's response: a
// column in an SQL statement, the last of the words kubectl describe spells a
// resource's lastErrorCode field in ("Last Error Code:", as otherError), or,
// for an error code's bare value ending at ve (bare), an expression that
// computes one (error_code: attributes.headers['x-error-code'], error_code =
// resp.json()["error_code"]): a value directly followed by a call or an index
// (a quote or a key's byte after its "[", unlike the "[\r][\n]" Apache
// HttpClient's wire log ends a header line with) is a name in code, not a
// code. Not inlined: keyValue, which calls it, must stay small enough to be
// inlined in scan's loop.
//
//go:noinline
func otherKeyContext(b []byte, s, e int, sep byte, bare bool, ve int) bool {
	return sqlOperand(b, s, sep == '=') || (e-s == 4 && spacedOtherError(b, s)) ||
		(bare && ve+1 < len(b) && (b[ve] == '(' || b[ve] == '[' && (keyByte[b[ve+1]] || b[ve+1] == '\'' || b[ve+1] == '"'))) ||
		(e+3 < len(b) && (b[e+1] == '=' || b[e+2] == '=' || b[e+1] == '\'') && lowerSQLOperand(b, s, e))
}

// lowerSQLOperand reports whether the key b[s:e] is a column after a lower-case
// SQL keyword, as Hibernate and most ORMs print their statements (where
// e.error_code = 'oauth2.token.expired' and e.code = 401): the keyword and one
// blank before it (its quote aside), " = " after it, or "=" and a single-quoted
// literal (where e.error_code='oauth2.token.expired'). Upper-case keywords need
// neither (sqlOperand); lower-case ones are also words of prose.
func lowerSQLOperand(b []byte, s, e int) bool {
	if e < len(b) && (b[e] == '"' || b[e] == '`') {
		e++
	}
	if e+3 > len(b) || (b[e] != ' ' || b[e+1] != '=' || b[e+2] != ' ') && (b[e] != '=' || b[e+1] != '\'') {
		return false
	}
	if s > 0 && (b[s-1] == '"' || b[s-1] == '`') {
		s--
	}
	if s < 2 || b[s-1] != ' ' {
		return false
	}
	return sqlKeyword(b, sqlWordStart(b, s-1, 'a', 'z'), s-1, false)
}

// spacedOtherError reports whether the four-byte key at s ("Code") is the last
// word of "Last Error Code", "Previous Error Code", "Expected Error Code" (any
// case, one blank between the words): otherError's words, matched whole here
// ("Unexpected Error Code" is this record's).
func spacedOtherError(b []byte, s int) bool {
	if s < 7 || b[s-1] != ' ' {
		return false
	}
	es := s - 1
	for es > 0 && isLetter(b[es-1]) {
		es--
	}
	if !bytes.EqualFold(b[es:s-1], []byte("error")) || es < 2 || b[es-1] != ' ' {
		return false
	}
	ws := es - 1
	for ws > 0 && es-1-ws < 8 && isLetter(b[ws-1]) {
		ws--
	}
	var low [8]byte
	w := b[ws : es-1]
	if len(w) > len(low) || (ws > 0 && isLetter(b[ws-1])) {
		return false
	}
	for i, c := range w {
		low[i] = c | 0x20
	}
	switch string(low[:len(w)]) {
	case "last", "prev", "previous", "expected":
		return true
	}
	return false
}

// sqlOperand reports whether the key starting at s is a column in an SQL
// statement: after WHERE, AND, OR, SET, ON, WHEN, HAVING or NOT (upper case,
// as ORMs and database logs print them) and a blank, its quote aside — or a
// field in the condition of code that a dump quotes (ABAP's IF
// ls_response-error_code = '…', ELSEIF) —, or,
// assigned (eq: its separator is "="), after a comma and a string literal of a
// SET list.
func sqlOperand(b []byte, s int, eq bool) bool {
	if s > 0 && (b[s-1] == '"' || b[s-1] == '`') {
		if s--; s > 0 && b[s-1] == '(' { // Sequel's WHERE ("error_code" = '…')
			s--
		}
	}
	k := s
	for k > 0 && s-k < 16 && b[k-1] == ' ' {
		k--
	}
	e := k
	k = sqlWordStart(b, e, 'A', 'Z')
	if k == e && k > 1 && b[k-1] == ',' {
		return eq && b[k-2] == '\'' && setListColumn(b, k-1)
	}
	return e != s && sqlKeyword(b, k, e, true)
}

// sqlWordStart returns the start of the word of letters between lo and hi (one
// case) that ends at e, at most seven of them back.
func sqlWordStart(b []byte, e int, lo, hi byte) int {
	k := e
	for k > 0 && e-k < 7 && b[k-1] >= lo && b[k-1] <= hi {
		k--
	}
	return k
}

// sqlKeyword reports whether b[k:e], a word in one case, is an SQL keyword a
// column follows (WHERE, AND, OR, SET, ON, WHEN, HAVING, NOT, any case; in upper
// case also the IF and ELSEIF of code a dump quotes) at the start of b or after
// a blank, "(" or a line break.
func sqlKeyword(b []byte, k, e int, upper bool) bool {
	if k == e || e-k > 6 || (k > 0 && b[k-1] != ' ' && b[k-1] != '(' && b[k-1] != '\n') {
		return false
	}
	var low [6]byte
	for i, c := range b[k:e] {
		low[i] = c | 0x20
	}
	switch string(low[:e-k]) {
	case "where", "and", "or", "set", "on", "when", "having", "not":
		return true
	case "if", "elseif":
		return upper
	}
	return false
}

// setListColumn reports whether the comma at c, after a quoted literal,
// separates two columns of an SQL UPDATE's SET list (UPDATE t SET
// status='failed', error_code='…', code=500): an upper-case " SET " after an
// "UPDATE " in the 256 bytes before it.
func setListColumn(b []byte, c int) bool {
	w := b[max(0, c-256):c]
	u := bytes.Index(w, []byte("UPDATE "))
	return u >= 0 && bytes.Contains(w[u+6:], []byte(" SET "))
}

// keyOf records a key of interest in the current frame.
func (p *Parser) keyOf(kind keyKind, key []byte, vk vkind, val []byte, str, trunc bool) {
	if p.overflow > 0 || len(p.stack) == 0 {
		if kind == kErr && (vk == vString || vk == vBare) && plausibleErrValue(trimBlank(val)) {
			p.deepErr = true // an error code we may not look at
		}
		return
	}
	top := len(p.stack) - 1
	f := &p.stack[top]
	switch kind {
	case kAttrKey, kAttrVal, kAttrTyped:
		p.attrOf(f, top, kind, vk, val, str, trunc)
		return
	case kErr:
		if vk == vContainer {
			p.arrErr, p.arrPrefix = true, keyPrefix(key) // checked by the push that follows
			return
		}
		if len(val) > 0 && (isDigit(val[0]) || val[0] == ' ') && otherNumeric(key, val) {
			return
		}
		if len(key) == 9 && len(val) > 0 && (val[0]-'a' >= 26 || bytes.IndexByte(val, ' ') > 0) && p.otherSchemeCode(key, val) { // errorCode, ErrorCode
			return
		}
	}
	var prefix uint32
	if kind == kErr || kind == kCode {
		prefix = keyPrefix(key)
	}
	p.keyIn(f, kind, prefix, kind == kMsg && key[len(key)-1]|0x20 == 'a', vk, val, str, trunc)
}

// otherNumeric reports whether an error key spelled without a separator
// (errorCode, subCode) holds a number: another scheme's code (PlayFab's
// "errorCode":1074 beside its "code":401), not a broken error code. Under
// error_code or sub_code a number beside an HTTP status code is a broken one
// (setErr, judge).
func otherNumeric(key, val []byte) bool {
	return allDigits(trimBlank(val)) && unseparated(key)
}

// unseparated reports whether key is spelled without the "_" or "-" that
// separate words (errorCode, subCode: camel or Pascal case).
func unseparated(key []byte) bool {
	return bytes.IndexByte(key, '_') < 0 && bytes.IndexByte(key, '-') < 0
}

// otherSchemeCode reports whether an error key spelled in camel or Pascal case
// without a separator (errorCode, ErrorCode; not subCode, the English
// reference's own spelling) holds a value that breaks the grammar and has
// nothing of SecondMe's shape: another API's code (Oracle OSB's
// "errorCode=OSB-382500", an EDI gateway's "errorCode":"EDI-0042" beside its
// HTTP "code":422), not a broken error code. A value of a module the catalog
// knows (OAuth2.Token.Expired, secondme.session.not found), a catalog code in
// constant style (OAUTH2_TOKEN_EXPIRED: constantKnown; not Camunda's BPMN
// error SECONDME_TOKEN_EXPIRED) or camel case (OAuth2TokenExpired, as Azure
// API Management's errorCode: camelKnown) or led by a digit (digitLed) is still one;
// keyOf asks only for a value that does not start with a lower-case letter
// (SecondMe's codes do) or holds a blank: prose ("errorCode":"token expired"
// beside a "code":401 is no broken code of ours; under error_code it is).
//
//go:noinline
func (p *Parser) otherSchemeCode(key, val []byte) bool {
	if len(key) != 9 || key[0]|0x20 != 'e' || !unseparated(key) {
		return false // errorCode: nine bytes, no separator
	}
	v := trimBlank(val)
	if len(v) == 0 || catalog.Validate(v) == nil || digitLed(v) {
		return false
	}
	return !(codeLike(firstItem(v)) && p.knownModuleFold(v) || p.constantKnown(v) || p.camelKnown(v))
}

// keyIn records in f a key of kind with value val; prefix is the key's group
// (keyPrefix), data says a kMsg key is "data" rather than "message".
func (p *Parser) keyIn(f *frame, kind keyKind, prefix uint32, data bool, vk vkind, val []byte, str, trunc bool) {
	switch kind {
	case kErr:
		p.setErr(f, val, vk, str, trunc, prefix)
	case kCode:
		if (vk == vString || vk == vBare) && p.namesError(val) {
			p.setErr(f, val, vk, str, trunc, prefix) // {"error":{"code":"oauth2.token.expired"}}
			return
		}
		if f.nCodes == uint8(len(f.codes)) {
			return
		}
		cv := codeVal{prefix: prefix, end: p.valEnd, bare: p.bareKey}
		switch vk {
		case vContainer:
			cv.st = numInvalid
		case vNone:
			return
		default:
			var v int
			v, cv.st = parseNum(val)
			cv.n = int32(v)
			if cv.st == numAbsent {
				return
			}
		}
		f.codes[f.nCodes] = cv
		f.nCodes++
	case kStatus:
		if vk != vString && vk != vBare {
			return
		}
		if v, st := parseStatus(val); st == numValid && catalog.IsHTTPStatus(v) {
			if !f.statusSet {
				f.status, f.statusSet = int32(v), true
			}
			if p.respStatus == 0 {
				p.respStatus = v
			}
		}
	case kMsg:
		// {"code":0,"message":"success","data":{…}}: a data key, or a success
		// message. A log line's own "message" ({"level":"info","message":"child
		// exited","code":0}, winston) does not make an exit code a success.
		if data || isSuccessWord(trimBlank(val)) {
			f.okBody = true
		}
	case kReq:
		p.sawReq = true
		if len(val) > 2 && (val[0] == '/' && probeLead[val[1]]&(1<<(val[2]&31)) != 0 || len(val) >= 14 && val[0]-'A' < 26 || val[0] == 'h' && len(val) > 12 || val[0] == '\\') {
			p.probe = p.probe || probeRequest(val)
		}
	}
}

// attrOf handles OpenTelemetry's attribute lists, [{"key":"error_code","value":
// {"stringValue":"oauth2.token.expired"}},{"key":"code","value":{"intValue":401}}]:
// each {key, value} object (frame f at index top) stands for the member key: value
// of the list that holds it, so the attributes of one list pair up as the members
// of one object do. A value is plain or typed (an object whose *Value member holds
// it); the name comes before the value, as OTLP/JSON writes them.
func (p *Parser) attrOf(f *frame, top int, kind keyKind, vk vkind, val []byte, str, trunc bool) {
	switch kind {
	case kAttrKey:
		if vk == vString || vk == vBare {
			name := trimBlank(val)
			if k := classifyKey(name); k < kAttrKey && len(name) > 0 {
				f.attrKind, f.attrPrefix = k, 0
				f.attrData = k == kMsg && name[len(name)-1]|0x20 == 'a'
				if k == kErr || k == kCode {
					f.attrPrefix = keyPrefix(name)
				}
			}
		}
	case kAttrVal:
		if f.attrKind == kNone || top == 0 {
			return
		}
		if vk == vContainer {
			p.attrPend = true // the typed value's frame, pushed next, takes it
			return
		}
		p.keyIn(&p.stack[top-1], f.attrKind, f.attrPrefix, f.attrData, vk, val, str, trunc)
	case kAttrTyped:
		if f.attrKind == kNone || f.attrTarget < 0 {
			return
		}
		p.keyIn(&p.stack[f.attrTarget], f.attrKind, f.attrPrefix, f.attrData, vk, val, str, trunc)
		f.attrKind = kNone // one value per typed value
	}
}

// setErr records an error_code value in f: the first grammar-valid one wins,
// else the first invalid one. The value is copied to the arena because b may be
// a scratch buffer that a later string at the same level overwrites.
func (p *Parser) setErr(f *frame, val []byte, vk vkind, str, trunc bool, prefix uint32) {
	if vk != vString && vk != vBare {
		return // an object or nothing: not an error_code
	}
	if str {
		// Blanks inside the quotes break the grammar ("oauth2.token.revoked  ",
		// a CHAR column's padding), but a blank value is still no error code
		// at all (a number is kept: beside an HTTP status code it is a broken
		// one).
		if t := trimBlank(val); !errValue(t) {
			f.errEmpty = f.errEmpty || len(t) == 0
			return
		}
	} else {
		val = trimBlank(val)
		if len(val) > 1 && val[len(val)-1] == '.' {
			if _, ok := p.cat.LookupBytes(val[:len(val)-1]); ok {
				val = val[:len(val)-1] // "failed with error_code=oauth2.token.expired."
			}
		}
		if !errValue(val) {
			return
		}
	}
	if f.errSet && !f.errBad {
		return
	}
	off := len(p.arena)
	if str && bytes.IndexByte(val, '\\') >= 0 {
		p.arena = unescapeAppend(p.arena, val[:min(len(val), 4*maxCodeStore)])
	} else {
		p.arena = append(p.arena, val[:min(len(val), maxCodeStore)]...)
	}
	if len(p.arena)-off > maxCodeStore {
		p.arena = p.arena[:off+maxCodeStore]
	}
	v := p.arena[off:]
	if len(v) == len(docExampleCode) && string(v) == docExampleCode {
		// The reference's own example envelope ({"code": 400, "message":
		// "错误描述", "error_code": "module.resource.reason"}), quoted from
		// the documentation: no error, nor an error body cut before its
		// error code when the quote is cut after it.
		p.arena = p.arena[:off]
		p.docEx = true
		return
	}
	bad := catalog.Validate(v) != nil
	if f.errSet && bad {
		p.arena = p.arena[:off]
		return
	}
	f.errSet, f.errBad, f.errTrunc = true, bad, trunc
	f.errLike = bad && (codeLike(firstItem(v)) && p.knownModuleFold(v) || digitLed(v) || p.constantKnown(v)) // padded or listed too: "oauth2.token.invalid ", "x.y.z, x.y.z"
	f.errEnd = p.valEnd
	f.errOff, f.errLen, f.errPrefix = int32(off), int32(len(v)), prefix
}

// knownModuleFold reports whether the module of v (its first "."-segment, ASCII
// case folded) is one the catalog knows: OAuth2.Token.Expired is a broken
// code of ours, APIGW.0301 (Huawei Cloud) or Client.UnauthorizedOperation
// (AWS CloudTrail) another API's.
func (p *Parser) knownModuleFold(v []byte) bool { return p.moduleBefore(v, '.') }

// moduleBefore reports whether the word of v before its first sep (or all of
// v), ASCII case folded, is a module the catalog knows.
func (p *Parser) moduleBefore(v []byte, sep byte) bool {
	var buf [32]byte
	i := 0
	for ; i < len(v) && v[i] != sep; i++ {
		if i == len(buf) {
			return false
		}
		c := v[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return p.cat.HasModule(buf[:i])
}

// camelKnown reports whether v is constantKnown's code spelled in camel case
// (OAuth2TokenExpired, oauth2RefreshTokenRevoked): a word starts at an
// upper-case letter after a lower-case one or a digit.
func (p *Parser) camelKnown(v []byte) bool {
	var buf [64]byte
	n := 0
	for i, c := range v {
		upper := c >= 'A' && c <= 'Z'
		if !upper && !(c >= 'a' && c <= 'z') && !isDigit(c) || n+2 > len(buf) {
			return false
		}
		if upper && i > 0 && !(v[i-1] >= 'A' && v[i-1] <= 'Z') {
			buf[n] = '_'
			n++
		}
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		buf[n] = c
		n++
	}
	return p.constantKnown(buf[:n])
}

// constantKnown reports whether v is a catalog code's module and resource
// followed by a reason, written in constant style as SDK enums and gateway
// headers spell it (OAUTH2_TOKEN_EXPIRED, APIKEY_PERMISSION_DENIED,
// OAUTH2_REFRESH_TOKEN_FOO): SecondMe's code, broken — unlike another API's
// constants (FARE_ENGINE_DOWN), gRPC's status names and the generic constants
// that start with a system code's module (INTERNAL_ERROR, INVALID_ARGUMENT,
// RESOURCE_EXHAUSTED, CONNECTION_RESET: the catalog's two-segment codes name no
// resource of their own, and resource's are fetch and auth).
func (p *Parser) constantKnown(v []byte) bool {
	var buf [64]byte
	if len(v) > len(buf) || bytes.IndexByte(v, '_') <= 0 {
		return false
	}
	for i, c := range v {
		if !(c >= 'A' && c <= 'Z' || isDigit(c) || c == '_') {
			return false
		}
		if c >= 'A' && c <= 'Z' {
			c |= 0x20
		}
		buf[i] = c
	}
	w := buf[:len(v)]
	m := bytes.IndexByte(w, '_')
	w[m] = '.'
	// The resource ends at one of the later underscores, a reason after it.
	for j := m + 2; j < len(w)-1; j++ {
		if w[j] == '_' && p.cat.HasResource(w[:j]) {
			return true
		}
	}
	return false
}

// digitLed reports whether v breaks the grammar only by the digit that starts
// it, in a module's name ("2fa.code.invalid"): a code of SecondMe's shape,
// broken, whatever its module — unlike another API's codes (APIGW.0301,
// ACQ.TRADE_NOT_EXIST) or a status before a reason (404.not_found).
func digitLed(v []byte) bool {
	var buf [64]byte
	if len(v) < 3 || len(v) > len(buf) || !isDigit(v[0]) {
		return false
	}
	if dot := bytes.IndexByte(v, '.'); dot < 0 || allDigits(v[:dot]) {
		return false // 404.not_found: a status, not a module
	}
	n := copy(buf[:], v)
	buf[0] = 'a'
	return catalog.Validate(buf[:n]) == nil
}

// namesError reports whether the value of a "code" key is an error code of a
// module the catalog knows (Elastic Common Schema's error.code, an SDK
// exception's code), rather than a number.
func (p *Parser) namesError(v []byte) bool {
	v = trimBlank(v)
	if len(v) < 3 || v[0] < 'a' || v[0] > 'z' {
		return false
	}
	if bytes.IndexByte(v, '\\') >= 0 {
		var buf [4 * maxCodeStore]byte // unescaping never lengthens: no allocation
		v = unescapeAppend(buf[:0], v[:min(len(v), len(buf))])
	}
	return catalogCode(p.cat, v)
}

// plausibleErrValue: a value under an error key that may be an error code.
// Not: no value (null, -, ""), a numeric code of another scheme, or something
// that starts with punctuation ("&", "{…" as text) once quotes are skipped — the
// pre-filter's rule too, which it must not be stricter than.
func plausibleErrValue(v []byte) bool {
	return !allDigits(v) && errValue(v)
}

// errValue: a value under an error key that may be an error code, or another
// scheme's numeric code (setErr keeps it: beside an HTTP status code it is a
// broken error code, judge); 0 is no error.
func errValue(v []byte) bool {
	if isAbsentValue(v) || (len(v) == 1 && v[0] == '0') {
		return false
	}
	j := skipQuoteBlank(v, 0)
	return j < len(v) && (class[v[j]] == clWord || redacted(v[j:]))
}

// redacted reports whether v is a log masker's placeholder, which breaks the
// grammar where an error code was: [REDACTED], [FILTERED] (Rails), <private>
// (Apple's os_log), <redacted>.
func redacted(v []byte) bool {
	if len(v) < 3 || len(v) > 32 || (v[0] != '[' && v[0] != '<') {
		return false
	}
	closer := byte(']')
	if v[0] == '<' {
		closer = '>'
	}
	for i, c := range v[1:] {
		if c == closer {
			return i > 0 && i+2 == len(v)
		}
		if !isLetter(c) && c != '_' && c != ' ' {
			return false
		}
	}
	return false
}

// flush judges a token that turned out not to be a key: a string that may hold a
// record of its own, the parts of a text access-log line (request line, status,
// a positional error code).
func (p *Parser) flush(b []byte, t *tok, lvl int) {
	if !t.has {
		return
	}
	t.has = false
	if !t.str && !p.armed && !p.special {
		return // a plain word of text: the common case
	}
	raw := b[t.s:t.e]
	if n := len(p.stack); n > 1 && p.overflow == 0 && p.stack[n-1].arrErr && (t.str || p.stack[n-1].open == '[') {
		// The first value of an error key's array; in parentheses, a string
		// only (an NSArray's description; go-spew's "(string) (len=20) …" is
		// a type, not a value).
		f := &p.stack[n-1]
		f.arrErr = false
		vk := vBare
		if t.str {
			vk = vString
		}
		p.setErr(&p.stack[n-2], raw, vk, t.str, t.trunc, f.arrPrefix)
		return
	}
	armed := p.armed
	p.armed = false
	if t.str {
		if p.idx[lvl].mayNest(b, t.s, t.e) {
			p.recurse(raw, lvl)
		}
		if isRequestLine(raw) {
			if t.s > 3 && b[t.s-2] == ' ' && b[t.s-3]-'0' < 10 && originPort(b, t.s-2) {
				return // a client's transport line (urllib3's): see originPort
			}
			p.armed = true
			p.sawReq, p.probe = true, p.probe || probeRequest(raw) // a status key elsewhere is this request's ("GET /x HTTP/1.1" status=401)
			if !t.trunc && p.overflow == 0 && len(p.stack) > 0 {
				if st := fromStatus(b, t.e); st > 0 {
					p.accessStatus(&p.stack[len(p.stack)-1], st)
					p.armed = false
					return
				}
			}
			// Each check reads up to maxHAProxyLookBack bytes: a few per record
			// keep a record of many request lines linear. The pre-filter finds
			// the request's opening quote within that many bytes of its version:
			// a longer request line is no HAProxy line here either.
			if t.s > 0 && b[t.s-1] == '"' && t.e-t.s <= maxRequestLine &&
				(t.trunc || t.e+1 >= len(b) || requestLineTail(b[t.e+1])) &&
				p.overflow == 0 && len(p.stack) > 0 && p.haproxyChecks < 4 {
				p.haproxyChecks++
				p.haproxy(b, t.s-1, lvl)
			}
			return
		}
	}
	if p.overflow > 0 || len(p.stack) == 0 {
		return
	}
	f := &p.stack[len(p.stack)-1]
	if armed && !t.str && len(raw) == 3 {
		if v, st := parseNum(raw); st == numValid && catalog.IsHTTPStatus(v) {
			p.accessStatus(f, v)
			return
		}
	}
	// A positional error code field in an access line ("…" 401 … "oauth2.token.expired"):
	// only codes of a module the catalog knows, since a hostname fits the grammar too.
	if f.access && !f.errSet && (catalogCode(p.cat, raw) || t.str && len(raw) >= 6 && (raw[0]-'A' < 26 || bytes.IndexByte(raw, ',') > 0) && p.brokenOurs(raw)) {
		p.setErr(f, raw, vBare, false, t.trunc, 0)
	}
}

// brokenOurs reports whether a quoted positional field of an access line holds
// a broken code of ours, which setErr then reports as bad_error_code beside
// the line's status: a header sent twice, whose values the gateway joins
// ("oauth2.token.expired, oauth2.token.expired"), a catalog code's module and
// resource in the wrong case (OAuth2.Token.Revoked) or in camel case
// (OAuth2TokenExpired).
//
//go:noinline
func (p *Parser) brokenOurs(v []byte) bool {
	if len(v) < 6 || len(v) > maxCodeStore {
		return false
	}
	// One pass rejects what most quoted fields are (user agents, URLs,
	// addresses, ids: a blank, a slash, a colon or a hyphen) and counts what
	// the three forms need.
	dots, upper := 0, 0
	for _, c := range v {
		switch {
		case c == ',':
			return catalogCode(p.cat, firstItem(v)) // a header sent twice
		case c == '.':
			dots++
		case c >= 'A' && c <= 'Z':
			upper++
		case c == ' ' || c == '/' || c == ':' || c == '-':
			return false
		}
	}
	if upper == 0 {
		return false // a code's own case: valid (catalogCode said no) or another's
	}
	if dots == 0 {
		return p.camelKnown(v)
	}
	// A catalog code's module and resource, case folded (not another dotted
	// field that starts with a module's word: Internal.Build.Tag).
	i := bytes.IndexByte(v, '.')
	k := bytes.IndexByte(v[i+1:], '.')
	if i == 0 || k <= 0 || i+1+k > 64 || catalog.Validate(v) == nil {
		return false
	}
	var buf [64]byte
	w := buf[:i+1+k]
	for n, c := range v[:i+1+k] {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		w[n] = c
	}
	return p.cat.HasResource(w)
}

// accessStatus records the status of a text access line in f.
func (p *Parser) accessStatus(f *frame, v int) {
	if !f.statusSet {
		f.status, f.statusSet = int32(v), true
	}
	f.access = true
	p.sawAccess, p.special = true, true
	if p.respStatus == 0 {
		p.respStatus = v
	}
}

// catalogCode reports whether v is a grammar-valid code of a module cat knows.
func catalogCode(cat *catalog.Catalog, v []byte) bool {
	// The module: a lowercase word and a dot (user agents, addresses and ids
	// stop here), then the grammar, then the catalog.
	if len(v) < 3 || v[0] < 'a' || v[0] > 'z' {
		return false
	}
	dot := 1
	for ; dot < len(v) && v[dot] != '.'; dot++ {
		if c := v[dot]; (c < 'a' || c > 'z') && !isDigit(c) && c != '_' {
			return false
		}
	}
	return dot < len(v) && cat.HasModule(v[:dot]) && catalog.Validate(v) == nil
}

// haproxy records the status and captured error code of an HAProxy log line whose
// request line opens at q (see haproxyBefore) in the current frame.
func (p *Parser) haproxy(b []byte, q int, lvl int) {
	var st, cs, ce int
	if m := &p.memo; lvl == 0 && m.ok && m.q == q {
		st = m.status // read by the pre-filter: only the captured headers are left
		if m.after >= 0 {
			cs, ce = p.haproxyCaptured(b, m.after, q)
		}
	} else {
		st, cs, ce = p.haproxyBefore(b, q)
	}
	if st == 0 {
		return
	}
	f := &p.stack[len(p.stack)-1]
	p.accessStatus(f, st)
	if cs < ce && !f.errSet {
		p.setErr(f, b[cs:ce], vBare, false, false, 0)
	}
}

// requestValue notes a string value that is a whole request line with its
// version ("req":"GET /x HTTP/1.1", as a JSON log-format an operator names
// the field): a request-ish value under a key of its own choosing, as a quoted
// request line in text is. Inlined: most values stop at the first byte.
func (p *Parser) requestValue(v []byte) {
	if len(v) >= 14 && v[0]-'A' < 26 && !p.sawReq {
		p.requestLineValue(v)
	}
}

// probeRequest reports whether v, a request's path or its request line
// ("GET /healthz HTTP/1.1"), asks a health, readiness or metrics endpoint
// (/healthz, /readyz, /livez, /ping, /metrics, /actuator/health…, nginx's and
// Apache's status pages): a probe's or a scraper's request, no API call, whose
// status the gateway logs as any other. Such a line is no response (result).
// It finds the path and looks at its first two letters (most API paths stop
// there); probePathAt reads on.
func probeRequest(v []byte) bool {
	i := 0
	if len(v) > 0 && v[0] != '/' {
		if v[0] != 'h' {
			// A request line: the path after the method.
			for i < len(v) && i < 8 && v[i] != ' ' {
				i++
			}
			i++
		}
		i = absolutePath(v, i)
	}
	return i+2 < len(v) && v[i] == '/' && probeLead[v[i+1]]&(1<<(v[i+2]&31)) != 0 && probePathAt(v[i:]) || len(v) > 2 && (v[0] == '\\' || v[0] == 'h' && i < len(v) && v[i] != '/') && escapedProbe(v)
}

// escapedProbe is probeRequest for a path or URL whose slashes a JSON encoder
// escaped ("requestUri":"\/healthz", Azure Application Gateway's and Kong's
// logs; 2 of 2 held-out rows): its first bytes read unescaped.
//
//go:noinline
func escapedProbe(v []byte) bool {
	v = v[:min(len(v), 128)]
	if !bytes.Contains(v, []byte(`\/`)) {
		return false
	}
	var buf [128]byte // unescaping never lengthens
	return probeRequest(unescapeAppend(buf[:0], v))
}

// absolutePath returns where the path of an absolute URL at i starts (a
// proxy's or a load balancer's request line, "GET http://10.0.1.17:8080/health
// HTTP/1.1"; Cloud Logging's requestUrl), or i if there is none.
func absolutePath(v []byte, i int) int {
	if i+8 >= len(v) || v[i] != 'h' {
		return i
	}
	j := i + len("http://")
	switch {
	case string(v[i:j]) == "http://":
	case string(v[i:j+1]) == "https://":
		j++
	default:
		return i
	}
	for j < len(v) && v[j] != '/' && v[j] != ' ' && v[j] != '"' {
		j++
	}
	return j
}

// probeLead[a] has bit b&31 set when a path may start /ab… for probePathAt
// (either case).
var probeLead = func() (t [256]uint32) {
	for _, lead := range []string{"he", "hc", "re", "li", "pi", "me", "se", "st", "ng", "ac", "-/"} {
		for _, a := range []byte{lead[0], lead[0] &^ 0x20} {
			t[a] |= 1 << (lead[1] & 31)
		}
	}
	return t
}()

// probePathAt is probeRequest for a path (v[0] is '/').
//
//go:noinline
func probePathAt(v []byte) bool {
	// By the path's first letter.
	switch v[1] | 0x20 {
	case 'h':
		return probePath(v, "/healthz") || probePath(v, "/health") || probePath(v, "/healthcheck") ||
			probePath(v, "/health-check") || probePath(v, "/health_check") || probePath(v, "/hc")
	case 'r':
		return probePath(v, "/readyz") || probePath(v, "/ready") || probePath(v, "/readiness")
	case 'l':
		return probePath(v, "/livez") || probePath(v, "/live") && !liveView(v) || probePath(v, "/liveness")
	case 'p':
		return probePath(v, "/ping")
	case 'm':
		return probePath(v, "/metrics")
	case 's':
		return probePath(v, "/server-status") || probePath(v, "/stub_status")
	case 'n':
		return probePath(v, "/nginx_status")
	case 'a':
		return probePath(v, "/actuator/health") || probePath(v, "/actuator/prometheus")
	case '-':
		return probePath(v, "/-/healthy") || probePath(v, "/-/ready")
	}
	return false
}

// liveView reports whether the path v is Phoenix LiveView's transport
// (/live/websocket, /live/longpoll): a browser's connection, no probe.
func liveView(v []byte) bool {
	return len(v) > 6 && v[5] == '/' && (bytes.HasPrefix(v[6:], []byte("websocket")) || bytes.HasPrefix(v[6:], []byte("longpoll")))
}

// probePath reports whether the path at the start of v is p (ASCII case
// folded), or a path below it: p followed by the end, a slash, a query, a
// blank or a quote.
func probePath(v []byte, p string) bool {
	if len(v) < len(p) {
		return false
	}
	for i := 1; i < len(p); i++ {
		if c := v[i]; c != p[i] && c|0x20 != p[i] {
			return false
		}
	}
	if len(v) == len(p) {
		return true
	}
	switch v[len(p)] {
	case '/', '?', ' ', '"', '\'', '\\', '#', '\t':
		return true
	}
	return false
}

// requestLineValue is requestValue's check, out of line: isRequestLine, and
// what the request asks (probeRequest).
//
//go:noinline
func (p *Parser) requestLineValue(v []byte) {
	if isRequestLine(v) {
		p.sawReq, p.probe = true, probeRequest(v)
	}
}

// isRequestLine matches "GET /path HTTP/1.1" (the quoted request of nginx,
// Apache, Envoy and Kong text access logs).
func isRequestLine(s []byte) bool {
	if len(s) < 14 || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	sp := bytes.IndexByte(s, ' ')
	if sp < 3 || sp > 10 {
		return false
	}
	for _, c := range s[:sp] {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	// Back over the version's digits and dots, then " HTTP/" must precede them.
	e := len(s)
	for e > 0 && (isDigit(s[e-1]) || s[e-1] == '.') {
		e--
	}
	return e < len(s) && e-6 > sp && string(s[e-6:e]) == " HTTP/"
}

// recurse parses the decoded content of a string as a record nested in the
// current frame (JSON in a JSON string, a logfmt message inside a JSON log...).
//
// A request line ("GET /admin/errors?error_code=…&code=401 HTTP/1.1", an
// access line's or a JSON log's "request") is not read: its query names what
// was asked for, and the response is the access line's status. Nor is a
// string that starts with an example's label, as a record that does is not
// (GELF's "short_message":"Example error response: {\"code\":401,…}": a
// documentation renderer's log).
func (p *Parser) recurse(raw []byte, lvl int) {
	if p.tooDeep(lvl, raw) || isRequestLine(raw) || len(raw) > 8 && raw[0]|0x20 == 'e' && exampleLabel(raw) {
		return
	}
	dst := unescapeAppend(p.scratch[lvl+1][:0], raw)
	p.scratch[lvl+1] = dst
	p.scanNested(dst, lvl+1)
}

// scanNested scans a string's content as a record nested in the current
// frame. A request line at its end arms nothing outside it: the word after the
// string is no access line's status.
func (p *Parser) scanNested(b []byte, lvl int) {
	armed := p.armed
	p.scan(b, lvl)
	p.armed = armed
}

// escapedObjectEnd returns the index after the "}" that closes the escaped
// object opening at i ({\"code\":401,…}: its strings delimited by \", a quote
// inside them \\\"), or len(b) if none does.
func escapedObjectEnd(b []byte, i int) int {
	depth, str := 0, false
	for k := i; k < len(b); k++ {
		switch b[k] {
		case '\\':
			switch {
			case k+1 < len(b) && b[k+1] == '"':
				str = !str
				k++
			case k+3 < len(b) && b[k+1] == '\\' && b[k+2] == '\\' && b[k+3] == '"':
				k += 3
			default:
				k++
			}
		case '{':
			if !str {
				depth++
			}
		case '}':
			if !str {
				if depth--; depth == 0 {
					return k + 1
				}
			}
		}
	}
	return len(b)
}

// unquotedBody reports whether the '"' at i, before a "{", opens a JSON object
// printed between quotes without escaping ("{"code":401,…}"), on one line or
// pretty-printed over several ("{\n  "code" : 401,…}").
func unquotedBody(b []byte, i int) bool {
	j := skipBlank(b, i+2)
	return j+1 < len(b) && b[j] == '"' && isLetter(b[j+1])
}

// quotedBodyInText reports whether the string b[s:e], closed by the '"' at e,
// was no string but a message quoted without escaping, a JSON body at its end
// after a separator ("PHP message: failed: {"code":…"): its content ends in
// ": {" (or "={", blanks optional) and a key's letter follows the quote. A
// JSON string is followed by a separator or a blank, never by a letter; a
// value a cut ended, a logger's context after it, has no separator before
// its brace ({"error_code":"connec {"userId":80}). A string that is no value
// (loose: a stray quote in text opened it, as a traceback's source line
// raise Error(f"API error {resp.text}") does) needs only a blank before its
// brace: "…) Error: API error {"code":…".
func quotedBodyInText(b []byte, s, e int, loose bool) bool {
	// A letter after the closing quote is rare: the rest is out of line.
	return e+1 < len(b) && asciiLetter[b[e+1]] && bodyEndsString(b, s, e, loose)
}

// asciiLetter marks the ASCII letters.
var asciiLetter = func() (t [256]bool) {
	for c := range t {
		t[c] = isLetter(byte(c))
	}
	return t
}()

// bodyEndsString does quotedBodyInText's work once an ASCII letter follows the
// string's closing quote. The brace may be followed by blanks and line breaks
// when the body was pretty-printed ("…error response: {\n  "code": 401,…", as
// Chrome logs a console message).
//
//go:noinline
func bodyEndsString(b []byte, s, e int, loose bool) bool {
	if e-s < 2 {
		return false
	}
	o := e - 1
	for o > s && blank[b[o]] {
		o--
	}
	if b[o] != '{' {
		return false
	}
	k := o - 1
	for k > s && b[k] == ' ' {
		k--
	}
	return b[k] == ':' || b[k] == '=' || (k < o-1 && (loose || statusBefore(b, s, k) || dashBefore(b, s, k)))
}

// dashBefore reports whether b[s:k+1] ends in a dash after a blank: LiteLLM's
// "OpenAIException - {…}", as Google's ADK quotes it unescaped in an SSE frame.
func dashBefore(b []byte, s, k int) bool {
	return k-1 > s && b[k] == '-' && b[k-1] == ' '
}

// statusBefore reports whether b[s:k+1] ends in an HTTP status after a blank:
// a Go error's "publish to secondme: 403 {…}" (fmt.Errorf("%d %s", …)).
func statusBefore(b []byte, s, k int) bool {
	return k-3 >= s && b[k-3] == ' ' && b[k-2] >= '1' && b[k-2] <= '5' && isDigit(b[k-1]) && isDigit(b[k])
}

// csvFieldEnd marks the bytes that may follow a CSV field's closing quote:
// a delimiter (comma, semicolon, tab; blanks before one) or the end of the line.
var csvFieldEnd = [256]bool{',': true, ';': true, '\t': true, ' ': true, '\r': true, '\n': true}

// csvField reads the CSV field whose opening quote is at i, quotes inside it
// doubled: if its content may hold an envelope, it parses the content,
// undoubled, as a record nested in the current frame. It returns the index
// after the field's closing quote (the end of b if it has none: the record was
// cut), and ok false, having done nothing else, for a field of no interest.
func (p *Parser) csvField(b []byte, i, lvl int) (next int, ok bool) {
	j := i + 1
	for {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			j = len(b)
			break
		}
		j += k
		if j+1 < len(b) && b[j+1] == '"' {
			j += 2
			continue
		}
		break
	}
	raw := b[i+1 : j]
	if len(raw) < minNested || (j+1 < len(b) && !csvFieldEnd[b[j+1]]) || !interesting(raw) {
		// Of no interest; or no CSV field, whose closing quote a delimiter
		// or the end of the line follows ("…"0 is a string and a word).
		return min(j+1, len(b)), false
	}
	if !p.tooDeep(lvl, raw) {
		dst := undoubleAppend(p.scratch[lvl+1][:0], raw)
		p.scratch[lvl+1] = dst
		p.scanNested(dst, lvl+1)
	}
	return min(j+1, len(b)), true
}

// tooDeep reports whether a string at level lvl, holding s, is too deep to be
// parsed as a record of its own (maxLevels, maxDepth), noting that a candidate
// may be lost when s names a key the parser acts on. An access line's request
// alone is no loss worth reporting: the pre-filter reads a string's end as the
// end of a record, where an HAProxy request line may end, which the record's
// own pre-filter would not.
func (p *Parser) tooDeep(lvl int, s []byte) bool {
	if lvl+1 >= maxLevels || p.overflow > 0 || len(p.stack) >= maxDepth-1 {
		p.deepErr = p.deepErr || keyAnchored(s)
		return true
	}
	return false
}

// undoubleAppend appends src with each doubled quote "" made one.
func undoubleAppend(dst, src []byte) []byte {
	for {
		k := bytes.Index(src, doubledQuote)
		if k < 0 {
			return append(dst, src...)
		}
		dst = append(dst, src[:k+1]...)
		src = src[k+2:]
	}
}

var doubledQuote = []byte(`""`)

func (p *Parser) push(open byte) {
	if p.arrErr || p.attrPend {
		p.pushSpecial(open)
		return
	}
	if len(p.stack) >= maxDepth {
		p.overflow++
		return
	}
	p.seq++
	n := len(p.stack)
	if n < cap(p.stack) {
		p.stack = p.stack[:n+1]
	} else {
		p.stack = append(p.stack, frame{})
	}
	p.stack[n].reset(open, int32(n), p.seq)
}

// reset makes f an empty frame. Only the flags are cleared: every other field
// is read only under the flag that says it was set (errSet, nCodes, statusSet,
// pendSet, attrKind), so a frame costs a few stores rather than a whole clear.
func (f *frame) reset(open byte, depth, seq int32) {
	f.open, f.depth, f.seq = open, depth, seq
	f.errSet, f.statusSet, f.access, f.okBody, f.pendSet, f.arrErr = false, false, false, false, false, false
	f.errEmpty = false
	f.nCodes, f.attrKind, f.attrTarget = 0, kNone, -1
}

// openRunEnd returns the end of the run of "[" and "(" openers at i that the
// loop would push one by one: none followed by a key byte (bracketKey).
func openRunEnd(b []byte, i int) int {
	for i < len(b) && (b[i] == '[' || b[i] == '(') && (i+1 >= len(b) || !isKeyByte(b[i+1])) {
		i++
	}
	return i
}

// pushRun pushes the openers of run, after a push: no special frame is pending.
// It repeats push's plain case rather than calling a shared helper, which the
// compiler does not inline into the loop (1.6 % more instructions on the
// envelope lines).
func (p *Parser) pushRun(run []byte) {
	for k, c := range run {
		n := len(p.stack)
		if n >= maxDepth {
			p.overflow += len(run) - k
			return
		}
		p.seq++
		if n < cap(p.stack) {
			p.stack = p.stack[:n+1]
		} else {
			p.stack = append(p.stack, frame{})
		}
		p.stack[n].reset(c, int32(n), p.seq)
	}
}

// closeRun closes the frames of a run of closers, each as closeBy would. The
// common case (the closer matches the innermost frame) is closeBy's own first
// step, repeated here inline: calling closeBy for every closer costs 0.9 %
// more instructions on the envelope lines.
func (p *Parser) closeRun(run []byte, base int) {
	for _, c := range run {
		if p.overflow > 0 {
			p.overflow--
			continue
		}
		if top := len(p.stack) - 1; top > base && p.stack[top].open == opener(c) {
			p.pop(false)
			continue
		}
		p.closeBy(c, base)
	}
}

// opener returns the opener that closer c matches.
func opener(c byte) byte {
	switch c {
	case ']':
		return '['
	case ')':
		return '('
	}
	return '{'
}

// pushSpecial is push for the frame that follows an error key whose value is
// an array, or an OpenTelemetry attribute's typed value.
func (p *Parser) pushSpecial(open byte) {
	arr := p.arrErr && (open == '[' || open == '(') // (…): an NSArray's description
	p.arrErr = false
	attr := p.attrPend && open == '{'
	p.attrPend = false
	p.special = p.special || arr
	n := len(p.stack)
	if p.push(open); len(p.stack) == n {
		return // beyond maxDepth
	}
	f := &p.stack[n]
	f.arrErr, f.arrPrefix = arr, p.arrPrefix
	if attr && n >= 2 {
		// A typed attribute value: its frame (n) sits in the {key, value} object
		// (n-1), whose list (n-2) takes the value.
		kv := &p.stack[n-1]
		f.attrKind, f.attrPrefix, f.attrData, f.attrTarget = kv.attrKind, kv.attrPrefix, kv.attrData, int32(n-2)
	}
}

// closeBy closes the frame that closer c matches. A "}" also closes the unclosed
// "[" and "(" frames above its "{" (text noise such as "[main"), within a small
// bound; a closer that matches nothing is ignored. Frames of enclosing scans
// (below base) are never closed from inside a string.
func (p *Parser) closeBy(c byte, base int) {
	if p.overflow > 0 {
		p.overflow--
		return
	}
	want := opener(c)
	top := len(p.stack) - 1
	if top > base && p.stack[top].open == want {
		p.pop(false) // the common case: the closer matches the innermost opener
		return
	}
	for d := 0; d < 8 && top-d > base; d++ {
		o := p.stack[top-d].open
		if o == want {
			for range d + 1 {
				p.pop(false)
			}
			return
		}
		if o == '{' {
			return
		}
	}
}

// pop closes the top frame and judges it; eof says it was closed by the end of
// the record (or string) rather than by its closer.
func (p *Parser) pop(eof bool) {
	top := len(p.stack) - 1
	if f := &p.stack[top]; f.errSet || f.pendSet || f.nCodes != 0 || f.okBody && f.open == '(' {
		var parent *frame
		if top > 0 {
			parent = &p.stack[top-1]
		}
		p.judge(f, eof, parent) // judge never pushes: the pointers stay valid
	}
	p.stack = p.stack[:top]
}

// judge turns a closed frame into candidates (see README, "Precedence").
// pop calls it only for a frame with an error key, something from below, or a
// code, and for a Serilog dictionary's pair that makes a success body.
func (p *Parser) judge(f *frame, eof bool, parent *frame) {
	trunc := eof && f.open == '{'
	cv := f.pickCode()
	code, cst := cv.n, cv.st
	if f.errSet {
		c := cand{ok: true, depth: f.depth, seq: f.seq, off: f.errOff, n: f.errLen}
		switch {
		case cst == numValid:
			c.rank, c.code = 2, code
			if !catalog.IsHTTPStatus(int(code)) && f.statusSet {
				c.code = f.status // a business code beside the gateway's HTTP status
			}
		case cst == numInvalid && !f.statusSet:
			c.rank = 2
		case f.statusSet:
			// The gateway's status, also beside a code that is no number
			// (axios's "code":"ERR_BAD_REQUEST" beside "status":400).
			c.rank, c.code = 2, f.status
		default:
			c.rank = 1
		}
		// Beside a code that is no HTTP status (Alipay's "code":"40004",
		// "sub_code":"ACQ.TRADE_NOT_EXIST"), a code breaking the grammar is
		// another API's: no envelope, whole or cut.
		foreign := f.errBad && cst == numValid && !catalog.IsHTTPStatus(int(code)) && !f.statusSet
		switch {
		case foreign:
		case f.errTrunc || (trunc && (f.errEnd || cv.end)):
			// Cut inside the error code, or perhaps inside a bare value the cut
			// ended. An object cut after its error code and code were read whole
			// (a client library's excerpt of a long body) still counts.
			c.reason = ridTruncatedJSON
			p.offerBad(c)
		case f.errBad:
			// Beside a gateway's status (a request key or access line in the
			// record), whatever error code it logs is the response's: a broken
			// one is reported, as gateways of any upstream are (a number is
			// another API's, as elsewhere).
			if f.errLike || cst == numValid || f.statusSet && (p.sawReq || p.sawAccess) && !allDigits(p.arena[f.errOff:f.errOff+f.errLen]) {
				c.reason = ridBadErrorCode
				p.offerBad(c)
			} else if !f.statusSet && p.camelKnown(p.arena[f.errOff:f.errOff+f.errLen]) {
				// A gateway's status may sit in another object than its error
				// header ({"response":{"status":401,"headers":{"x-error-code":"OAuth2TokenExpired"}}}):
				// result reports a broken code of ours beside it (another
				// vendor's, ngrok's ERR_NGROK_8012, stays the response's).
				p.gwBad = true
			}
		case cst == numInvalid && !f.statusSet:
			c.reason = ridBadCode
			p.offerBad(c)
		default:
			p.offer(c)
			if c.rank == 1 && parent != nil && !parent.pendSet {
				parent.pend, parent.pendSet = c, true
			}
		}
		return
	}
	// An error body without its error code: a code of 400-599 and either a
	// blank error code in quotes ({"code":500,"message":"服务异常","error_code":""},
	// logfmt's code=500 error_code=""; a gateway's empty header field beside
	// its status names no code key) or, under a quoted code key (JSON's and
	// dicts' bodies quote their keys; the pre-filter's cutErrorBody looks for
	// such a key only), a cut inside a token before the error code or inside
	// its key ({"code":500,"message":"内部…, {"code":401,…,"error_co) — a cut
	// right after a member's comma is how a pretty-printed object the
	// Assembler could not join ends a line, no cut body.
	if (f.errEmpty || (trunc && p.cutMid && !cv.bare)) && !f.pendSet && !p.docEx && cst == numValid &&
		code >= 400 && catalog.IsHTTPStatus(int(code)) {
		reason := ridTruncatedJSON
		if f.errEmpty {
			reason = ridBadErrorCode
		}
		p.offerBad(cand{ok: true, rank: 2, reason: reason, depth: f.depth, seq: f.seq, code: code})
		return
	}
	if f.pendSet {
		if f.statusSet && !trunc {
			c := f.pend
			c.rank, c.code = 2, f.status
			p.offer(c)
		} else if cst == numValid && code >= 400 && catalog.IsHTTPStatus(int(code)) && !trunc {
			c := f.pend
			c.rank, c.code = 2, code
			p.offer(c)
		} else if parent != nil && !parent.pendSet {
			parent.pend, parent.pendSet = f.pend, true
		}
	}
	if f.open == '(' && f.nCodes == 1 && parent != nil && parent.open == '[' && int(parent.nCodes) < len(parent.codes) {
		// Serilog renders a dictionary as [("code": 403), ("error_code": "…")]:
		// each pair in parentheses of its own, the list is their object.
		parent.codes[parent.nCodes] = f.codes[0]
		parent.nCodes++
	}
	if f.open == '(' && f.okBody && parent != nil && parent.open == '[' {
		parent.okBody = true // [("code": 0), ("message": "success"), ("data": …)]
	}
	if cst == numValid && code == 0 && f.okBody && !trunc {
		p.success = true
	}
}
