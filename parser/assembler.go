package parser

import "bytes"

// Assembler joins a JSON (or Python) object pretty-printed over several lines,
// or a PHP print_r / var_export dump, into one record:
//
//	2026-11-24 10:00:00,123 ERROR client: failed body={
//	  "code": 401,
//	  "error_code": "oauth2.token.expired"
//	}
//
// A line whose braces (outside strings) do not balance starts a record; lines
// that look like continuations (indented, or starting with a closer, quote or
// comma) are appended until the braces balance. A line that is no continuation
// (a new timestamped log line) ends the pending record, which is emitted as it is
// (the parser then reports it truncated if it held an envelope), and is itself
// processed afresh. A record that would exceed maxLines or maxBytes is dropped
// and counted (Overflows: the caller reports it as multiline_overflow), and its
// remaining continuation lines are skipped. A line ending in a separator
// ("upstream error status=401 body=", "API error response:") is held until the
// next line shows whether it opens such an object: the two are then one record,
// so that the log line's status and request go with the body they describe.
// An HTTP response dump (a status line, headers, an empty line, a body) is one
// record too, and so are the properties pino-pretty prints under a message
// (pinoProperty). Other lines that start no record are emitted unchanged without
// copying.
//
// The record passed to emit is only valid during the call. An Assembler is not
// safe for concurrent use.
type Assembler struct {
	maxLines, maxBytes int

	buf      []byte
	lines    int
	balance  int
	pending  bool
	skipping bool   // dropping the rest of an overflowed record
	paren    bool   // the record is a PHP print_r/var_export dump: ( and ) lines count
	wantOpen bool   // print_r's "Array" line was seen: its "(" line must follow
	held     bool   // the record is one line ending in a separator ("body="): its value may follow
	first    int    // where the object's first line starts in buf: after a held line under a repeated prefix (heldUnder), else 0
	pino     bool   // the record is pino-pretty's properties (pinoProperty): more may follow its objects
	http     uint8  // an HTTP response dump: 1 in its headers, 2 after them (a body may follow)
	prefix   []byte // the prefix the logger repeats on each line of the record (linePrefix), if any
	clock    bool   // each line of the record starts with a time of its own (clockLen), then prefix
	view     []byte // dumpView's copy of a coloured line

	overflows uint64
	// OnOverflow, if set, is called when a record is dropped, with the lines
	// and bytes it had reached.
	OnOverflow func(lines, bytes int)
}

// NewAssembler returns an Assembler bounded to maxLines lines and maxBytes bytes
// per record (values below 1 mean 1 line, 1 byte: every line is its own record).
func NewAssembler(maxLines, maxBytes int) *Assembler {
	return &Assembler{maxLines: max(maxLines, 1), maxBytes: max(maxBytes, 1)}
}

// Overflows is the number of records dropped for exceeding the bounds so far.
func (a *Assembler) Overflows() uint64 { return a.overflows }

// Pending reports whether a partial record is buffered.
func (a *Assembler) Pending() bool { return a.pending }

// Add processes one line (without its "\n"; a trailing "\r" is tolerated).
func (a *Assembler) Add(line []byte, emit func(record []byte)) {
	if !a.pending && !a.skipping && !mayStart(line) {
		// Most lines: no unbalanced "{", which two SIMD counts prove.
		if opens := bytes.Count(line, openBrace); opens == 0 || opens <= bytes.Count(line, closeBrace) {
			emit(line)
			return
		}
	}
	a.add(line, emit)
}

// mayStart: the first or last byte of line is one a record other than an
// unbalanced "{" needs (print_r's "Array" or "Object", var_export's "array (", an HTTP
// status line, a separator at the end), or a blank or colour code (mitmdump's
// and HTTPie's status lines: add looks past them).
func mayStart(line []byte) bool {
	n := len(line)
	return n > 0 && (endByte[line[n-1]] || startByte[line[0]])
}

// startByte marks the first bytes mayStart looks for.
var startByte = [256]bool{'H': true, '<': true, ' ': true, '\t': true, 0x1b: true}

// firstContent returns line's first byte that is neither a blank nor part of a
// colour code (skipBlanksColours), 0 if there is none.
func firstContent(line []byte) byte {
	if i := skipBlanksColours(line, 0); i < len(line) {
		return line[i]
	}
	return 0
}

func (a *Assembler) add(line []byte, emit func(record []byte)) {
	if a.skipping {
		if rest, ok := a.continuation(line); ok {
			a.balance += a.delta(rest)
			if a.balance <= 0 {
				a.skipping, a.balance, a.paren = false, 0, false
				a.prefix, a.clock = a.prefix[:0], false
			}
			return
		}
		a.skipping, a.balance, a.paren = false, 0, false
		a.prefix, a.clock = a.prefix[:0], false
	}
	if a.pending {
		if a.http != 0 {
			a.addHTTP(line, emit)
			return
		}
		if a.held {
			// The value of "body=" / "response:": a pretty-printed object
			// starting on the next line belongs to the held line's record.
			a.held = false
			if d := opensRecord(line); d > 0 && a.fits(line) {
				a.appendLine(line)
				a.balance = d
				return
			}
			if d := a.heldUnder(line); d > 0 && a.fits(line) {
				a.first = len(a.buf) + 1
				a.appendLine(line)
				a.balance = d
				return
			}
			a.Flush(emit)
			a.Add(line, emit)
			return
		}
		if a.wantOpen {
			a.wantOpen = false
			if c := clockLen(line); c > 0 && clockLen(a.buf) > 0 && string(bytes.TrimSpace(line[c:])) == "(" {
				line, a.clock = line[c:], true // "Array" and "(" each after a time of its own
			}
			if string(bytes.TrimSpace(line)) != "(" || !a.fits(line) {
				a.Flush(emit) // an "Array" line that starts no print_r dump
				a.Add(line, emit)
				return
			}
			a.appendLine(line)
			a.balance = 1
			return
		}
		if a.pinoJoin() {
			// pino-pretty's next property, a line of its object (indented
			// deeper: a raw stack trace inside it too), or the end of its record.
			if (pinoProperty(line) && a.balance <= 0 || a.balance > 0 && pinoContent(line)) && a.fits(line) {
				a.appendLine(line)
				a.balance = max(a.balance+a.delta(line), 0)
				return
			}
			if a.balance <= 0 {
				a.Flush(emit)
				a.Add(line, emit)
				return
			}
		}
		if rest, ok := a.continuation(line); !ok {
			if a.foreignService(line) {
				emit(line) // another service's line, under docker compose's prefix
				return
			}
			a.Flush(emit)
		} else {
			line = rest
			if !a.fits(line) {
				balance, paren, prefix, clock := a.balance+a.delta(line), a.paren, a.prefix, a.clock
				a.overflow()
				if balance > 0 {
					a.skipping, a.balance, a.paren, a.prefix, a.clock = true, balance, paren, prefix, clock
				}
				return
			}
			a.appendLine(line)
			a.balance += a.delta(line)
			if a.balance <= 0 && !a.pinoJoin() {
				emit(a.buf)
				a.reset()
			}
			return
		}
	}
	if a.maxLines > 1 && len(line) < a.maxBytes {
		if len(line) >= 10 && a.statusLine(line) {
			a.start(line, 0) // a response dump: its headers and body follow
			a.http = 1
			return
		}
		switch phpDump(line) {
		case 'y': // print_r: "Array" (or "… Object"), then "(" on a line of its own
			a.start(line, 0)
			a.paren, a.wantOpen = true, true
			return
		case '(': // var_export: "array ("
			a.start(line, 1)
			a.paren = true
			return
		}
	}
	// Most lines have no unbalanced "{": two SIMD counts prove it.
	opens := bytes.Count(line, openBrace)
	if opens == 0 || opens <= bytes.Count(line, closeBrace) {
		if pinoProperty(line) && a.maxLines > 1 && len(line) < a.maxBytes {
			a.start(line, 0) // pino-pretty's first property: more may follow
			a.pino = true
			return
		}
		if n := len(line); n > 1 && endByte[line[n-1]] && a.maxLines > 1 && n < a.maxBytes && endsInSeparator(line) {
			a.start(line, 0) // held until the next line shows whether a value follows
			a.held = true
			return
		}
		emit(line)
		return
	}
	d := braceDelta(line)
	if d <= 0 || a.maxLines == 1 || len(line) >= a.maxBytes {
		emit(line)
		return
	}
	a.start(line, d)
	a.pino = pinoProperty(line)
}

// heldUnder returns the brace balance line opens when it is the first line of
// a pretty-printed object under the prefix its logger repeats on every line
// of the held one (syslog's and journalctl's "Nov 24 10:45:10 host app[4533]:
// ", PM2's "0|app | " and time): after what the two lines share (at least
// minLinePrefix bytes), "{" that leaves an object open. The object's own
// lines then set the prefix they repeat (continuation), as after any first
// line. It returns 0 for any other line.
func (a *Assembler) heldUnder(line []byte) int {
	n := sharedPrefix(a.buf, line)
	if n < minLinePrefix || n >= len(line) {
		return 0
	}
	return opensRecord(line[n:])
}

// pinoJoin reports whether the pending record joins pino-pretty's
// properties (pinoProperty): one that started with a property, and took no
// line prefix or per-line time since (those records continue as any other).
func (a *Assembler) pinoJoin() bool { return a.pino && len(a.prefix) == 0 && !a.clock }

// pinoProperty reports whether line is one of the properties pino-pretty
// prints under its message line, four blanks in — "key: value", or "key: {"
// with the object on the lines below it, indented deeper:
//
//	[10:21:45.121] INFO (gear-rental/41): request completed
//	    req: {
//	      "method": "GET",
//	      "url": "/api/rentals/RB-55131/chat"
//	    }
//	    res: {
//	      "statusCode": 404
//	    }
//	    responseTime: 12
//
// A record that starts with such a property goes on with the properties after
// it, so that a request and its response's status are one record (a status and
// a request: a response), and so are an error's "status: 429" and "error_code:
// …" lines. A key without a value ("response:", YAML's) is no property.
func pinoProperty(line []byte) bool {
	if len(line) < 7 || string(line[:4]) != "    " || !isLetter(line[4]) {
		return false
	}
	i := 5
	for i < len(line) && (isLetter(line[i]) || isDigit(line[i]) || line[i] == '_' || line[i] == '$') {
		i++
	}
	return i+2 < len(line) && line[i] == ':' && line[i+1] == ' ' && line[i+2] != ' '
}

// pinoContent reports whether line is a line of an object pino-pretty prints
// as a property's value: indented deeper than the property (a raw stack trace
// inside it too), or the object's closer.
func pinoContent(line []byte) bool {
	return len(line) > 4 && string(line[:4]) == "    " && (line[4] == ' ' || line[4] == '}' || line[4] == ']')
}

// foreignService reports whether line, which does not continue the pending
// record, is a whole line of another service interleaved with the record's
// lines under the prefix docker compose puts on every line ("api-1   | ",
// "nginx-1 | ": the service names padded to one width). Such a line is a record of
// its own that leaves the pending one open — its body's next line follows —
// unless it could start a record itself (an unbalanced brace, a separator at
// its end...): the Assembler holds one record at a time.
func (a *Assembler) foreignService(line []byte) bool {
	if a.paren || a.clock {
		return false
	}
	n := composePrefix(a.buf)
	return n > 0 && composePrefix(line) == n && string(line[:n]) != string(a.buf[:n]) &&
		!mayStart(line) && bytes.Count(line, openBrace) <= bytes.Count(line, closeBrace)
}

// composePrefix returns the length of docker compose's prefix at the start of
// line, a service name (letters, digits, '.', '_', '-'), blanks and "| ", or 0.
func composePrefix(line []byte) int {
	i := 0
	for i < len(line) && i < 64 && (isLetter(line[i]) || isDigit(line[i]) || line[i] == '.' || line[i] == '_' || line[i] == '-') {
		i++
	}
	if i == 0 || i == len(line) || line[i] != ' ' {
		return 0
	}
	for i < len(line) && line[i] == ' ' {
		i++
	}
	if i+1 < len(line) && line[i] == '|' && line[i+1] == ' ' {
		return i + 2
	}
	return 0
}

// fits reports whether the pending record, line appended, stays within the bounds.
func (a *Assembler) fits(line []byte) bool {
	return a.lines+1 <= a.maxLines && len(a.buf)+1+len(line) <= a.maxBytes
}

// appendLine appends line to the pending record.
func (a *Assembler) appendLine(line []byte) {
	a.buf = append(a.buf, '\n')
	a.buf = append(a.buf, line...)
	a.lines++
}

func (a *Assembler) start(line []byte, balance int) {
	a.buf = append(a.buf[:0], line...)
	a.lines, a.balance, a.pending = 1, balance, true
}

// continuation returns line as it continues the pending record — without the
// prefix its logger repeats on every line — or false. A logger that writes each
// line of a message with a header of its own (Android's logcat, docker compose,
// kubectl logs --prefix) repeats it on every line of a pretty-printed body:
//
//	11-24 11:05:10.351  5123  5187 D OkHttp  : {
//	11-24 11:05:10.351  5123  5187 D OkHttp  :   "code": 401,
//
// The second line of the record sets the prefix (linePrefix: what it shares
// with the first, when the rest is an indented continuation); each later line
// must start with it. A collector that writes the time of every line first
// (GitHub Actions, kubectl logs --timestamps, docker logs -t, Heroku) gives
// each line a time of its own:
//
//	2026-11-24T10:00:01.7804316Z {
//	2026-11-24T10:00:01.8668409Z   "code": 401,
//
// When both lines start with a time (clockLen), the prefix is what they share
// after it, and each later line must start with a time, then that prefix.
func (a *Assembler) continuation(line []byte) ([]byte, bool) {
	if a.clock || len(a.prefix) > 0 {
		if a.clock {
			c := clockLen(line)
			if c == 0 {
				return nil, false
			}
			line = line[c:]
		}
		if n := len(a.prefix); len(line) > n && string(line[:n]) == string(a.prefix) && a.continues(line[n:]) {
			return line[n:], true
		}
		return nil, false
	}
	if a.continues(line) {
		return line, true
	}
	if first := a.buf[a.first:]; a.lines == 1+min(a.first, 1) && !a.paren {
		if c1, c2 := clockLen(first), clockLen(line); c1 > 0 && c2 > 0 {
			rest := line[c2:]
			if n := sharedPrefix(first[c1:], rest); n < len(rest) && a.continues(rest[n:]) {
				a.prefix, a.clock = append(a.prefix[:0], rest[:n]...), true
				return rest[n:], true
			}
		}
		if n := linePrefix(first, line); n > 0 && a.continues(line[n:]) {
			a.prefix = append(a.prefix[:0], line[:n]...)
			return line[n:], true
		}
	}
	return nil, false
}

// clockByte marks the bytes of a date or a time: digits and their separators.
var clockByte = [256]bool{'0': true, '1': true, '2': true, '3': true, '4': true, '5': true, '6': true,
	'7': true, '8': true, '9': true, '-': true, ':': true, '.': true, ',': true, 'T': true, 'Z': true, '+': true, '/': true}

// clockLen returns the length of the time that starts line, with the blank
// after it — one token of digits and separators, or two (a date, then the
// time), the last holding a ':' and at least 8 bytes long (10:00:01) — or 0.
func clockLen(line []byte) int {
	i := 0
	for range 2 {
		if i >= len(line) || !isDigit(line[i]) {
			return 0
		}
		start, colon := i, false
		for ; i < len(line) && clockByte[line[i]]; i++ {
			colon = colon || line[i] == ':'
		}
		if i >= len(line) || line[i] != ' ' {
			return 0
		}
		i++
		if colon {
			if i-1-start < 8 {
				return 0
			}
			return i
		}
	}
	return 0
}

// minLinePrefix is the shortest line prefix continuation accepts ("web | ").
const minLinePrefix = 6

// linePrefix returns the length of the prefix that line shares with the first
// line of a record, cut back to just after a blank, when the rest of line is
// indented (the body of a pretty-printed object); else 0.
func linePrefix(first, line []byte) int {
	n := sharedPrefix(first, line)
	if n < minLinePrefix || n >= len(line) || (line[n] != ' ' && line[n] != '\t') {
		return 0
	}
	return n
}

// sharedPrefix returns the length of what line shares with first, cut back
// to just after a blank or a colon (Open MPI's "[1,2]<stdout>:" tag runs into
// the line it tags). Blanks that both lines share after the prefix, in runs of
// different lengths, are their indentation, not the prefix's (a CRI prefix
// before a stack frame, "stderr F     at … {", and the object's first
// property, "stderr F   code: …"): the prefix keeps the first of them. A run
// of the same length in both is the prefix's own padding (a level's, "INFO  ").
func sharedPrefix(first, line []byte) int {
	n := 0
	for n < len(first) && n < len(line) && first[n] == line[n] {
		n++
	}
	if n > 1 && n < len(first) && n < len(line) && line[n-1] == ' ' && (first[n] == ' ' || line[n] == ' ') {
		for n > 1 && line[n-2] == ' ' {
			n--
		}
		return n
	}
	for n > 0 && line[n-1] != ' ' && line[n-1] != '\t' && line[n-1] != ':' {
		n--
	}
	return n
}

// continues reports whether line continues the pending record. In a PHP dump
// every indented line does, blank lines (print_r puts one after a nested
// array) and the closing ")" too. In JSON a blank line does only inside an
// empty array or object: Apple's JSONSerialization prints one as "[", a
// blank line, "]".
func (a *Assembler) continues(line []byte) bool {
	if a.paren {
		return len(line) == 0 || line[0] == ' ' || line[0] == '\t' || line[0] == ')' || line[0] == '\r'
	}
	return isContinuation(line) || (blankEnd(line) == 0 && opensEmpty(a.buf))
}

// opensEmpty reports whether the record so far ends with an opening bracket,
// trailing blanks aside.
func opensEmpty(rec []byte) bool {
	e := blankEnd(rec)
	return e > 0 && (rec[e-1] == '[' || rec[e-1] == '{')
}

// delta is the balance change of a line: braces outside strings, or in a PHP
// dump the "(" / "…array (" lines that open and the ")" / ")," lines that close.
func (a *Assembler) delta(line []byte) int {
	if !a.paren {
		return braceDelta(line)
	}
	switch t := bytes.TrimSpace(line); {
	case string(t) == "(" || endsWord(t, "array ("):
		return 1
	case string(t) == ")" || string(t) == "),":
		return -1
	}
	return 0
}

// phpDump reports how line starts a PHP dump: 'y' for a line ending in the word
// "Array" or "Object" (print_r: an array, or an object such as json_decode's
// "stdClass Object"), '(' for one ending in "array (" (var_export), 0 for
// neither.
func phpDump(line []byte) byte {
	e := blankEnd(line)
	if e == 0 {
		return 0
	}
	// Most lines end in neither word: the last byte tells.
	switch line[e-1] {
	case 'y':
		if endsWord(line[:e], "Array") {
			return 'y'
		}
	case 't':
		if endsWord(line[:e], "Object") {
			return 'y'
		}
	case '(':
		if endsWord(line[:e], "array (") {
			return '('
		}
	}
	return 0
}

// endsWord reports whether line (trailing blanks already trimmed) ends with w
// as a word of its own.
func endsWord(line []byte, w string) bool {
	i := len(line) - len(w)
	if i < 0 || string(line[i:]) != w {
		return false
	}
	return i == 0 || !(isLetter(line[i-1]) || isDigit(line[i-1]) || line[i-1] == '_' || line[i-1] == '$')
}

// Flush emits the pending partial record, if any (at end of file, rotation or shutdown).
func (a *Assembler) Flush(emit func(record []byte)) {
	if a.pending {
		emit(a.buf)
	}
	a.reset()
	a.skipping = false
}

func (a *Assembler) overflow() {
	a.overflows++
	if a.OnOverflow != nil {
		a.OnOverflow(a.lines+1, len(a.buf))
	}
	a.reset()
}

func (a *Assembler) reset() {
	a.buf = a.buf[:0]
	if cap(a.buf) > 4*a.maxBytes && cap(a.buf) > 64<<10 {
		a.buf = nil // one huge record must not pin its memory for ever
	}
	a.lines, a.balance, a.pending, a.paren, a.wantOpen, a.held, a.pino = 0, 0, false, false, false, false, false
	a.http, a.first = 0, 0
	a.prefix, a.clock = a.prefix[:0], false
}

// addHTTP continues an HTTP response dump (curl -v, a client printing a whole
// response): its header lines, the empty line after them, and a body that
// starts on the next line — one record, so that an error code in both the
// X-Error-Code header and the body counts once. Any other line ends it.
func (a *Assembler) addHTTP(line []byte, emit func(record []byte)) {
	body := 0
	switch {
	case !a.fits(line):
	case a.http == 1 && headerLine(a.dumpView(line)):
		body = -1
	case a.http == 1 && emptyHTTPLine(line):
		a.http, body = 2, -1
	case a.http == 2 && auditBodySection(line):
		body = -1 // ModSecurity's audit log: the response body's section follows the headers'
	case a.http == 2:
		if c := firstContent(line); c == '{' || c == '[' {
			body = 1 + max(braceDelta(line), 0)
		}
	}
	if body == 0 {
		a.Flush(emit)
		a.Add(line, emit)
		return
	}
	a.appendLine(line)
	if body < 0 {
		return
	}
	// The body: a pretty-printed object goes on as any other record; a
	// one-line body ends the dump.
	a.http = 0
	if a.balance = body - 1; a.balance == 0 {
		emit(a.buf)
		a.reset()
	}
}

// maxDumpHead bounds the bytes of a line dumpView copies: a status line or a
// header's name.
const maxDumpHead = 128

// dumpView returns line as the status line and header checks of a response dump
// read it: without the indentation of mitmdump's flow listing, and without
// the colour codes of a coloured dump (HTTPie's --pretty=all), which it then
// copies (its first maxDumpHead bytes of content).
func (a *Assembler) dumpView(line []byte) []byte {
	i := 0
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	if bytes.IndexByte(line[i:], 0x1b) < 0 {
		return line[i:]
	}
	v := a.view[:0]
	for j := i; j < len(line) && len(v) < maxDumpHead; {
		if line[j] == 0x1b {
			j = skipANSI(line, j)
			continue
		}
		if len(v) > 0 || (line[j] != ' ' && line[j] != '\t') {
			v = append(v, line[j])
		}
		j++
	}
	a.view = v
	return v
}

// statusLine reports whether line is a response's status line (httpStatusLine),
// indented and coloured or not.
func (a *Assembler) statusLine(line []byte) bool {
	c := line[0]
	if c == ' ' || c == '\t' || c == 0x1b {
		if c = firstContent(line); c != 'H' && c != '<' {
			return false
		}
		return httpStatusLine(a.dumpView(line))
	}
	return (c == 'H' || c == '<') && httpStatusLine(line)
}

// curlPrefix strips curl -v's "< " (mitmdump's "<< ") before the lines of a response.
func curlPrefix(line []byte) []byte {
	if len(line) >= 3 && line[0] == '<' && line[1] == '<' && line[2] == ' ' {
		return line[3:]
	}
	if len(line) >= 2 && line[0] == '<' && line[1] == ' ' {
		return line[2:]
	}
	return line
}

// httpStatusLine matches a response's status line, "HTTP/1.1 401 Unauthorized",
// "< HTTP/2 401", "<< HTTP/2.0 401 Unauthorized 76b".
func httpStatusLine(line []byte) bool { return statusLineCode(line) != 0 }

// statusLineCode returns the status of the response status line that line is
// (httpStatusLine), or 0.
func statusLineCode(line []byte) int {
	s := curlPrefix(line)
	if len(s) < 10 || string(s[:5]) != "HTTP/" {
		return 0
	}
	i := 5
	for i < len(s) && (isDigit(s[i]) || s[i] == '.') {
		i++
	}
	if i == 5 || i+4 > len(s) || s[i] != ' ' || !isDigit(s[i+1]) || !isDigit(s[i+2]) || !isDigit(s[i+3]) {
		return 0
	}
	if i+4 < len(s) && s[i+4] != ' ' && s[i+4] != '\r' {
		return 0
	}
	return int(s[i+1]-'0')*100 + int(s[i+2]-'0')*10 + int(s[i+3]-'0')
}

// headerLine matches a header of a response dump: "X-Error-Code: oauth2.token.expired".
func headerLine(line []byte) bool {
	s := curlPrefix(line)
	i := 0
	for i < len(s) && (isLetter(s[i]) || isDigit(s[i]) || s[i] == '-' || s[i] == '_') {
		i++
	}
	return i > 0 && i < len(s) && s[i] == ':' && (i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\t')
}

// auditBodySection matches the boundary of a ModSecurity serial audit log's
// response body section (E), which follows the response headers' (F):
// "--5f8e3a1c-E--" (ModSecurity 2), "---1Nxzsd7C---E--" (ModSecurity 3).
func auditBodySection(line []byte) bool {
	t := bytes.TrimRight(line, " \r")
	n := len(t)
	if n < 12 || n > 24 || string(t[:2]) != "--" || string(t[n-4:]) != "-E--" {
		return false
	}
	id := bytes.Trim(t[:n-4], "-")
	if len(id) < 8 {
		return false
	}
	for _, c := range id {
		if !isLetter(c) && !isDigit(c) {
			return false
		}
	}
	return true
}

// emptyHTTPLine matches the empty line that ends a response's headers (curl -v: "<").
func emptyHTTPLine(line []byte) bool {
	t := bytes.TrimRight(line, " \r")
	return len(t) == 0 || (len(t) == 1 && t[0] == '<')
}

// endByte marks the bytes a line ending in a separator may end with (blanks
// after it), and those of print_r's "Array" and "Object" and var_export's
// "array (".
var endByte = [256]bool{':': true, '=': true, ' ': true, '\t': true, '\r': true, 'y': true, '(': true, 't': true}

// endsInSeparator reports whether line ends in a key's separator, "body=" or
// "response:", trailing blanks aside: a line whose value may start on the next.
func endsInSeparator(line []byte) bool {
	e := blankEnd(line)
	return e > 1 && (line[e-1] == ':' || line[e-1] == '=') && line[e-2] != ':' && line[e-2] != '='
}

// blankEnd returns the length of line without its trailing blanks (spaces,
// tabs, a CR).
func blankEnd(line []byte) int {
	e := len(line)
	for e > 0 && (line[e-1] == ' ' || line[e-1] == '\t' || line[e-1] == '\r') {
		e--
	}
	return e
}

// opensRecord returns the brace balance of a line that starts with "{" (after
// blanks) and leaves it open: the first line of a pretty-printed object. It
// returns 0 for any other line.
func opensRecord(line []byte) int {
	i := 0
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	if i == len(line) || line[i] != '{' {
		return 0
	}
	return max(braceDelta(line), 0)
}

var openBrace, closeBrace = []byte("{"), []byte("}")

// isContinuation: the shapes of the second and later lines of pretty-printed
// JSON, Python pprint, Node util.inspect, PHP var_dump and similar dumps: a
// closer, a quote, a comma, or an indented value, "key:" or "key =" — but not
// an indented Java stack frame ("\tat com.x.Y.z(Y.java:1)") or Python
// traceback line ("  File ...").
func isContinuation(line []byte) bool {
	if len(line) == 0 {
		return false
	}
	i := 0
	indented := false
	for i < len(line) {
		if line[i] == 0x1b {
			i = skipANSI(line, i) // a coloured dump (awesome_print, jq -C, HTTPie): colours are no content
			continue
		}
		if line[i] != ' ' && line[i] != '\t' {
			break
		}
		indented = true
		i++
	}
	if i == len(line) {
		return false
	}
	c := line[i]
	switch {
	case c == '}' || c == ']' || c == ')' || c == '"' || c == '\'' || c == ',':
		return true
	case !indented:
		return false
	case c == '{' || c == '[' || c == '-' || isDigit(c):
		return true
	case c == ':' && i+1 < len(line) && isLetter(line[i+1]):
		return true // an EDN map's keyword key (Clojure's pprint: " :error_code \"…\"}")
	}
	// An indented bare word: a JS/YAML-style key ("code: 401,") or a literal.
	j := i
	for j < len(line) && (isLetter(line[j]) || isDigit(line[j]) || line[j] == '_' || line[j] == '$') {
		j++
	}
	if j == i {
		return false
	}
	switch string(line[i:j]) {
	case "true", "false", "null", "None", "True", "False", "undefined", "NULL":
		return true
	case "int", "float", "bool", "string", "array", "object":
		if j < len(line) && line[j] == '(' {
			return true // PHP var_dump's typed values: int(401), string(20) "…", array(2) {
		}
	}
	for j < len(line) && line[j] == ' ' {
		j++
	}
	// "key:" (JS, YAML), "key =" (Objective-C's NSDictionary description, Lua),
	// "key =>" (Perl, Ruby, PHP).
	return j < len(line) && (line[j] == ':' || line[j] == '=')
}

// braceDelta is the count of "{" minus "}" outside strings. A string ends at the
// end of its line (JSON and Python strings cannot span lines), and a quote opens
// a string only at a token start, so an apostrophe in prose does not; nor does
// the quote of a line ending in "{, before a pretty-printed body Spring prints
// between quotes without escaping.
func braceDelta(line []byte) int {
	d := 0
	for i := 0; i < len(line); i++ {
		switch c := line[i]; c {
		case '{':
			d++
		case '}':
			d--
		case '"', '\'':
			if c == '\'' && i > 0 && (isLetter(line[i-1]) || isDigit(line[i-1])) {
				continue
			}
			if c == '"' && i > 0 && line[i-1] == '\\' {
				continue // {\"code\":503,…}: an escaped body's quotes, outside any string, open none
			}
			if c == '"' && i+1 < len(line) && line[i+1] == '{' && skipBlank(line, i+2) == len(line) {
				continue // 403 Forbidden: "{ — a body printed between quotes, unescaped (Spring)
			}
			_, _, next, trunc := scanString(line, i)
			if trunc && c == '"' && opensAtEnd(line[i+1:]) {
				continue // "error response: {: a message quoted unescaped, its body pretty-printed below (Chrome's console)
			}
			i = next - 1
		}
	}
	return d
}

// opensAtEnd reports whether s ends, blanks aside, in a "{" after a ':' or '='
// (blanks between them allowed).
func opensAtEnd(s []byte) bool {
	s = bytes.TrimRight(s, " \t\r")
	if len(s) < 2 || s[len(s)-1] != '{' {
		return false
	}
	s = bytes.TrimRight(s[:len(s)-1], " ")
	return len(s) > 0 && (s[len(s)-1] == ':' || s[len(s)-1] == '=')
}
