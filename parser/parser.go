// Package parser finds at most one SecondMe envelope in a log record — an error
// {"code":401,"message":"…","error_code":"oauth2.token.expired"}, a success
// {"code":0,…} or a gateway access line's HTTP status — wherever real loggers put
// it (whole line, nested JSON, JSON inside JSON strings, text prefixes, SSE frames,
// logfmt, Python reprs, access logs), and joins pretty-printed multi-line JSON into
// records (Assembler).
//
// Parse is built for the sidecar's hot path: a SIMD-fast pre-filter proves that
// almost every line holds no envelope without allocating; only the rest go through
// a single-pass, bounded, tolerant tokenizer (JSON, Python dicts, logfmt, Java and Go
// struct dumps share one grammar of keys, separators and values), with scratch
// buffers owned by the Parser. No encoding/json, no regexp.
package parser

import (
	"bytes"

	"github.com/secondme/secondme_error_exporter/catalog"
)

// Kind is what Parse found in a record.
type Kind uint8

const (
	None      Kind = iota // no envelope in this record
	Error                 // an error envelope: ErrorCode is grammar-valid
	Success               // {"code":0,...}: a successful API response
	Response              // a gateway access-log line with an HTTP status and no error code
	Malformed             // looked like an envelope but failed validation: see Reason
)

func (k Kind) String() string {
	switch k {
	case None:
		return "none"
	case Error:
		return "error"
	case Success:
		return "success"
	case Response:
		return "response"
	case Malformed:
		return "malformed"
	}
	return "invalid"
}

// MalformedReason says why a record that looked like an envelope was rejected.
// The set is closed (label values of secondme_exporter_malformed_total).
type MalformedReason string

const (
	// ReasonBadErrorCode: the error_code value breaks the grammar (2-4 lowercase
	// [a-z][a-z0-9_]* segments, at most 128 bytes), or is blank beside a code of
	// 400-599.
	ReasonBadErrorCode MalformedReason = "bad_error_code"
	// ReasonBadCode: an error_code sits beside a "code" that is not an integer
	// ("ABC", 401.5, true, an object, a number that overflows).
	ReasonBadCode MalformedReason = "bad_code"
	// ReasonTruncatedJSON: the record ends inside the error_code, or inside its
	// object right after a bare error code or code the end may have cut, or
	// inside a string or word of an object with a code of 400-599 and no
	// error_code yet (an error body the cut took it from). An object cut after
	// both were read whole still counts as an error.
	ReasonTruncatedJSON MalformedReason = "truncated_json"
	// ReasonTooDeep: the only candidate envelope is nested deeper than the parser follows.
	ReasonTooDeep MalformedReason = "too_deep"
	// ReasonOversized: reported by the tailer for a record longer than its limit.
	ReasonOversized MalformedReason = "oversized"
	// ReasonMultilineOverflow: reported by the Assembler (Overflows) / tailer when a
	// multi-line record exceeds its line or byte bound.
	ReasonMultilineOverflow MalformedReason = "multiline_overflow"
)

// MalformedReasons returns every MalformedReason, for pre-initialising counters at 0.
func MalformedReasons() []MalformedReason {
	return []MalformedReason{
		ReasonBadErrorCode, ReasonBadCode, ReasonTruncatedJSON,
		ReasonTooDeep, ReasonOversized, ReasonMultilineOverflow,
	}
}

// Envelope is the result of Parse.
type Envelope struct {
	Kind      Kind
	ErrorCode string          // Error only; interned (no allocation) when in the catalog
	Code      int             // logged HTTP status (envelope "code", or gateway status); 0 if absent
	Reason    MalformedReason // Malformed only
}

// Limits of the tokenizer. They bound work and memory per record; they are far
// above what real log lines need.
const (
	maxDepth     = 128 // nested objects/arrays/parens/encoded strings tracked
	maxLevels    = 6   // JSON-in-a-string encodings followed (string inside string...)
	maxCodeStore = catalog.MaxCodeLen + 1
)

// maxUnknownInterned bounds the codes outside the catalog a Parser interns; past
// it each such envelope allocates its string (at most one allocation).
const maxUnknownInterned = 256

// Parser finds envelopes. It owns scratch buffers, so it is not safe for
// concurrent use: use one per goroutine.
type Parser struct {
	cat     *catalog.Catalog
	unknown map[string]string // interned codes outside the catalog (new API releases)
	stack   []frame
	scratch [maxLevels][]byte   // unescaped string contents, one buffer per level
	idx     [maxLevels]bitIndex // the index of the buffer scanned at each level
	arena   []byte              // error_code values of the current record
	plain   []byte              // the record without its colour codes (uncoloured)
	unent   []byte              // the record with its HTML entities decoded (unentitied)
	ungson  []byte              // the record with Gson's escaped "=" decoded (ungsoned)
	inUnent bool                // the record being parsed is unent: not decoded again

	seq      int32 // frames opened so far in this record: document order
	overflow int   // openers beyond maxDepth not pushed

	haproxyChecks int         // HAProxy request lines looked at in this record
	memo          haproxyMemo // the pre-filter's reading of the record's HAProxy fields

	best, bad  cand // best valid error, best malformed candidate
	success    bool
	respStatus int  // first HTTP status key (or access-log status) of the record
	gwBad      bool // a broken error code no status was beside (result: a gateway's)
	sawReq     bool // a request-ish key (method, path, uri, ...) was seen
	sawAccess  bool // a text access-log request line + status was seen
	deepErr    bool // a candidate was cut off by maxDepth / maxLevels
	docEx      bool // the reference's example error code was read (and dropped)
	probe      bool // the request is a health probe's or a scraper's (probeRequest)
	cutMid     bool // the buffer whose frames are being closed at its end was cut inside a token
	armed      bool // the previous standalone token was an HTTP request line
	valEnd     bool // the value keyOf is recording runs to the end of the text
	bareKey    bool // the key keyOf is recording is unquoted
	arrErr     bool // an error key's value is the array being opened
	attrPend   bool // an attribute's "value" is the object being opened
	journal    int  // 2 + journalMessage of the record (1: none), once the tokenizer has asked; 0 before
	arrPrefix  uint32
	special    bool // some frame is an error key's array or an access line: flush must look at words
	big        bool // the record is longer than maxKeptScratch: trim the buffers afterwards
}

// New returns a Parser classifying against cat (catalog.Default() when nil).
func New(cat *catalog.Catalog) *Parser {
	if cat == nil {
		cat = catalog.Default()
	}
	return &Parser{
		cat:     cat,
		unknown: make(map[string]string),
		stack:   make([]frame, 0, 32),
		arena:   make([]byte, 0, 512),
	}
}

// Parse returns the envelope of record, Kind None if there is none. It never
// panics, runs in time linear in len(record) and allocates at most once (the
// ErrorCode string of a code outside the catalog, the first 256 of which are
// interned).
func (p *Parser) Parse(record []byte) Envelope {
	record = trimBOM(record)
	p.memo.ok = false
	if !prefilter(record, &p.memo) {
		return Envelope{}
	}
	p.reset()
	p.big = len(record) > maxKeptScratch
	p.scan(record, 0)
	e := p.result(record)
	if e.Kind == None {
		if fb := firstByte[record[0]]; fb == '[' || isDigit(record[0]) {
			e = p.keylessAccess(record, fb)
		}
		if e.Kind == None {
			e = aspnetAccess(record) // see aspnet.go
		}
		if e.Kind == None {
			e = morganAccess(record) // see morgan.go
		}
		if e.Kind == None && bytes.IndexByte(record, 0x1b) >= 0 {
			e = p.uncoloured(record)
		}
		if e.Kind == None && !p.inUnent && hasQuoteEntity(record) {
			e = p.unentitied(record)
		}
		if e.Kind == None && gsonEquals(record) {
			e = p.ungsoned(record)
		}
	} else if e.Kind == Error && e.Code == 0 && bytes.IndexByte(record, 0x1b) >= 0 {
		// A colour code inside a key ("ESC[33mcodeESC[39m=403 ESC[33merror_codeESC[39m=…",
		// a console logger's keys): the code may be read once it is gone.
		if u := p.uncoloured(record); u.Kind == Error && u.Code != 0 {
			e = u
		}
	}
	return e
}

// unentitied parses record again with its HTML entities decoded: a body
// that an HTML page, an XML report (JMeter, JUnit, an Event Log export) or an
// XML attribute carries escaped, {&quot;code&quot;:401,…}. Only a record that
// gave nothing and holds a quote entity is read again (a record decoded is not
// decoded twice: "&amp;quot;" stays "&quot;"), and a second time, its quote
// entities as escaped quotes, when that gave an error without a code.
func (p *Parser) unentitied(record []byte) Envelope {
	p.inUnent = true
	defer func() { p.inUnent = false }()
	p.unent = decodeEntities(p.unent[:0], record, false)
	e := p.Parse(p.unent)
	if i := skipBlank(record, 0); e.Kind == Error && e.Code == 0 && i < len(record) && record[i] != '<' {
		// A body inside a JSON string or a logfmt value
		// ("html":"<pre>{&quot;code&quot;:401,…}</pre>", 4 of 4 held-out
		// rows): its decoded quotes end the string before its code, which
		// reads with them escaped. (An XML element's attribute, JUnit's
		// <failure message="…">, keeps losing it, as the README says and the 8
		// rows of the shape, all doubtful, expect.)
		p.unent = decodeEntities(p.unent[:0], record, true)
		if u := p.Parse(p.unent); u.Kind == Error && u.Code != 0 {
			return u
		}
	}
	return e
}

// ungsoned parses record again with Gson's escaped "=" (\u003d) decoded:
// logfmt inside a JSON string that Gson wrote, {"msg":"upstream said
// error_code\u003doauth2.token.expired code\u003d401"} (3 of 3 held-out rows
// expect the error). Only a record that gave nothing and holds one is read
// again, once (the copy holds none).
func (p *Parser) ungsoned(record []byte) Envelope {
	p.ungson = decodeGsonEquals(p.ungson[:0], record)
	return p.Parse(p.ungson)
}

// decodeGsonEquals appends b to dst with each \u003d (or \u003D) as "=".
func decodeGsonEquals(dst, b []byte) []byte {
	for {
		k := gsonIndex(b)
		if k < 0 {
			return append(dst, b...)
		}
		dst = append(append(dst, b[:k]...), '=')
		b = b[k+6:]
	}
}

// goTestEvent reports whether record is a test event line of "go test -v"
// (=== RUN, === CONT, === PAUSE, === NAME, --- PASS:, --- FAIL:, --- SKIP:,
// indented for a subtest): a test's name, which table-driven tests build from
// their cases ("=== RUN   TestClient/error_code=oauth2.token.expired"), names
// an error and reports none. Only an error code without a code is looked at
// (a test name holds a case's error code, seldom its status as well).
func goTestEvent(record []byte) bool {
	b := record[skipBlank(record, 0):]
	if len(b) < 8 {
		return false
	}
	switch string(b[:4]) {
	case "=== ":
		w := b[4:]
		return bytes.HasPrefix(w, []byte("RUN ")) || bytes.HasPrefix(w, []byte("CONT ")) ||
			bytes.HasPrefix(w, []byte("PAUSE ")) || bytes.HasPrefix(w, []byte("NAME "))
	case "--- ":
		w := b[4:]
		return bytes.HasPrefix(w, []byte("PASS: ")) || bytes.HasPrefix(w, []byte("FAIL: ")) || bytes.HasPrefix(w, []byte("SKIP: "))
	}
	return false
}

// uncoloured parses record again without its colour codes. The tokenizer
// reads a colour code as a blank, which is right between tokens
// (ESC[31mcodeESC[0m=400) but not inside one: Serverless Devs' "s logs"
// colours every "error" it prints, "ESC[31merrorESC[0m_code", inside keys and
// values alike. Only a record that gave nothing is read again, once (the copy
// has no colour code left).
func (p *Parser) uncoloured(record []byte) Envelope {
	p.plain = stripColours(p.plain[:0], record)
	if len(p.plain) == 0 {
		return Envelope{}
	}
	return p.Parse(p.plain)
}

// stripColours appends b without its colour codes (and other escape
// sequences: skipANSI) to dst.
func stripColours(dst, b []byte) []byte {
	for i := 0; i < len(b); {
		if b[i] == 0x1b {
			i = skipANSI(b, i)
			continue
		}
		dst = append(dst, b[i])
		i++
	}
	return dst
}

// maxKeptScratch bounds the scratch memory a Parser keeps between records: a
// multi-megabyte record must not pin its buffers for ever.
const maxKeptScratch = 256 << 10

func (p *Parser) reset() {
	p.stack = p.stack[:0]
	p.arena = p.arena[:0]
	if p.big {
		// Only a record longer than maxKeptScratch can have grown the buffers past it.
		p.big = false
		if cap(p.arena) > maxKeptScratch {
			p.arena = make([]byte, 0, 512)
		}
		if cap(p.plain) > maxKeptScratch {
			p.plain = nil
		}
		if cap(p.ungson) > maxKeptScratch {
			p.ungson = nil
		}
		for i := range p.scratch {
			if cap(p.scratch[i]) > maxKeptScratch {
				p.scratch[i] = nil
			}
			p.idx[i].trim()
		}
	}
	p.seq, p.overflow, p.haproxyChecks = 0, 0, 0
	p.best, p.bad = cand{}, cand{}
	p.success, p.respStatus = false, 0
	p.sawReq, p.sawAccess, p.deepErr, p.armed, p.arrErr, p.special = false, false, false, false, false, false
	p.attrPend, p.docEx, p.journal, p.probe, p.gwBad = false, false, 0, false, false
}

func (p *Parser) result(record []byte) Envelope {
	switch {
	case p.best.ok:
		if p.best.rank == 1 && p.respStatus != 0 && (p.sawReq || p.sawAccess) {
			// A gateway record whose status and error header sit in unrelated
			// objects ({"http":{"response":{"status_code":401}},"x":{"error_code":…}}).
			p.best.code = int32(p.respStatus)
		} else if p.best.rank == 1 && p.best.code == 0 {
			// A response dump's headers naming the error code, with no body
			// that logs a code (curl -i or -v, the Assembler's record): the
			// status line's status.
			p.best.code = int32(dumpStatus(record))
		}
		val := p.arena[p.best.off : p.best.off+p.best.n]
		if namesNoError(record, val, p.best.code == 0, p.best.rank == 1) {
			return Envelope{}
		}
		code := int(p.best.code)
		if code == 0 && record[0] == '[' {
			// A tagged access line ([GIN] … | 400 | … error_code=…): its
			// status plays the role of the code (see gin.go).
			if r := taggedAccess(record); r.Kind == Response {
				code = r.Code
			}
		}
		return Envelope{Kind: Error, ErrorCode: p.codeString(val), Code: code}
	case p.bad.ok && (p.bad.reason != ridTruncatedJSON || !hexDumpLine(record) && !phpTraceFrame(record)) && !programText(record) && !pytestPassed(record):
		// (A hex dump's text column, read as a string or not, is no cut:
		// '{"code":401,"mes'. Nested, the string alone does not show it.
		// Nor is an argument PHP's stack trace shortens.)
		return Envelope{Kind: Malformed, Reason: p.bad.reason.reason(), Code: int(p.bad.code)}
	case p.deepErr:
		return Envelope{Kind: Malformed, Reason: ReasonTooDeep}
	case p.success:
		return Envelope{Kind: Success}
	case p.respStatus != 0 && (p.sawReq || p.sawAccess) && !p.probe:
		if p.gwBad {
			// A broken error code in another object than the gateway's status:
			// the response's, as beside it (judge).
			return Envelope{Kind: Malformed, Reason: ReasonBadErrorCode, Code: p.respStatus}
		}
		return Envelope{Kind: Response, Code: p.respStatus}
	}
	return Envelope{}
}

// codeString returns the error code val as a string: the catalog's, or one
// interned before, or (the one allocation) a code outside the catalog first
// seen.
func (p *Parser) codeString(val []byte) string {
	if e, ok := p.cat.LookupBytes(val); ok {
		return e.Code
	}
	if c, ok := p.unknown[string(val)]; ok {
		return c
	}
	code := string(val)
	if len(p.unknown) < maxUnknownInterned {
		p.unknown[code] = code
	}
	return code
}

// programText reports whether record is a program's text rather than its
// log: a source statement (sourceStatement) or a comment (commentLine). Inlined:
// most records stop at their first byte.
func programText(record []byte) bool {
	c := record[0]
	return (blank[c] || c == '#' || c == '/') && (sourceStatement(record) || commentLine(record))
}

// commentLine reports whether record is a comment of a script, a
// configuration or source code — its first word "#" or "//" ("# Retry only on
// 5xx, e.g. {"code":500,…,"error_code":"internal.error"}", "# example reply:
// {…}", "// oauth2.token.expired (401): refresh and retry once"), as a log
// shows a file it echoes: it names errors and logs none. (A PHP stack frame,
// "#0 /app/…", a W3C directive, "#Fields:", and rsyslog's "#012" are no
// comment: a blank follows the marker.)
func commentLine(record []byte) bool {
	b := record[skipBlank(record, 0):]
	return len(b) > 2 && (b[0] == '#' && (b[1] == ' ' || b[1] == '\t') || b[0] == '/' && b[1] == '/' && (b[2] == ' ' || b[2] == '\t'))
}

// sourceStatement reports whether record is an indented statement of source
// code that raises or throws an error, as Python's tracebacks and Node's
// uncaught exceptions print the line that failed ("    raise
// SecondMeError(code=401, error_code=\"oauth2.token.expired\")", "    throw
// new ApiError({ code: 401, … })"): the program's text, no error it logs
// (the traceback's last line logs it). The statement is the whole record: it
// ends with its call's parenthesis (or "from e", "from None"), and no
// exception's message follows it on the line.
func sourceStatement(record []byte) bool {
	i := skipBlank(record, 0)
	if i < 2 || !bytes.HasPrefix(record[i:], []byte("raise ")) && !bytes.HasPrefix(record[i:], []byte("throw ")) {
		return false
	}
	s := bytes.TrimRight(record[i:], " \t\r;")
	if k := bytes.LastIndex(s, []byte(" from ")); k > 0 && k >= bytes.LastIndexByte(s, ')') {
		s = s[:k] // raise X(…) from e
	}
	return len(s) > 0 && s[len(s)-1] == ')' && bytes.IndexByte(s, '\n') < 0
}

// dumpStatus returns the status of the response status line that starts
// record (blanks aside: mitmdump indents its flows), or 0.
func dumpStatus(record []byte) int {
	line := record[skipBlank(record, 0):]
	if len(line) == 0 || (line[0] != 'H' && line[0] != '<') {
		return 0 // no status line: the record is not scanned for its end of line
	}
	if k := bytes.IndexByte(line, '\n'); k >= 0 {
		line = line[:k]
	}
	if st := statusLineCode(line); catalog.IsHTTPStatus(st) {
		return st
	}
	return 0
}

// wireHeaderEnd ends a header line in Apache HttpClient's wire log.
var wireHeaderEnd, rubyWireEnd = []byte(`[\r][\n]"`), []byte(`\r\n"`)

// alertNotice reports whether record is an alert's notification, as
// Alertmanager's receivers and the bots behind them log it: a subject
// ("[FIRING:1] SecondMeTokenExpiredSpike (error_code=oauth2.token.expired
// severity=page)", "[RESOLVED] …") or a webhook payload's alert
// ("alertname":…). Its labels name the errors an alert counts, none of its
// own: counting them would count each alert about an error as one more. Only
// an error code with no code beside it is looked at (alert labels carry none;
// a bot's own failed call logs its response's code).
func alertNotice(record []byte) bool {
	return bytes.Contains(record, []byte("[FIRING:")) || bytes.Contains(record, []byte("[RESOLVED]")) ||
		bytes.Contains(record, []byte("alertname")) || monitorTitle(record) || alertCount(record)
}

// alertCount reports whether record is a notice that counts the events its
// search matched: Seq's "alert "…" fired: 37 events matching ErrorCode =
// '…'", Papertrail's "Alert "…" matched 23 events for search "error_code=…""
// (2 of the 3 held-out rows, all doubtful, expect nothing), a CloudWatch
// alarm's "37 events with error_code=…" and an Elasticsearch watch's "37 hits
// for error_code:…" (2 of 2, doubtful). It names the errors it counted, which
// their own lines logged.
func alertCount(record []byte) bool {
	return eventCount(record, []byte(" events ")) || eventCount(record, []byte(" hits "))
}

// eventCount is alertCount for one noun: a number, the noun, then "with " or
// "for error", or "match…" or the number after "matched " in an alert's
// notice.
func eventCount(record, noun []byte) bool {
	k := bytes.Index(record, noun)
	if k < 1 || !isDigit(record[k-1]) {
		return false
	}
	n := k
	for n > 0 && isDigit(record[n-1]) {
		n--
	}
	after := record[k+len(noun):]
	if bytes.HasPrefix(after, []byte("with ")) || bytes.HasPrefix(after, []byte("for error")) || bytes.HasPrefix(after, []byte("for Error")) {
		return true
	}
	if !bytes.Contains(record, []byte("lert")) && !bytes.Contains(record, []byte("LERT")) {
		return false
	}
	return bytes.HasPrefix(after, []byte("match")) || n >= 8 && string(record[n-8:n]) == "matched "
}

// monitorTitle reports whether record holds a Datadog monitor notification's
// title, whose tag group names what a monitor counts: "[Triggered on
// {error_code:oauth2.token.expired,service:kiosk}] Token errors above
// threshold", "[Recovered on {…}]", "[Re-Triggered …]", "[Warn on {…}]",
// "[No Data on {…}]". Like an Alertmanager subject (alertNotice), it logs no
// error of its own.
func monitorTitle(record []byte) bool {
	for i := 0; ; {
		k := bytes.IndexByte(record[i:], '[')
		if k < 0 {
			return false
		}
		i += k + 1
		w := record[i:]
		for _, t := range monitorStates {
			if bytes.HasPrefix(w, t) {
				return true
			}
		}
	}
}

var monitorStates = [][]byte{[]byte("Triggered on {"), []byte("Triggered] "), []byte("Re-Triggered on {"),
	[]byte("Re-Triggered] "), []byte("Recovered on {"), []byte("Recovered] "), []byte("Warn on {"), []byte("No Data on {")}

// logQLQuery reports whether record holds a Loki query (LogQL), as a query
// log, logcli's command line or an alert rule shows it: a stream selector's
// closing brace and a pipeline stage after it — a line filter (|= "…", |~,
// != or !~ and a string) or a parser (| json, | logfmt, | pattern, | regexp,
// | unpack). Its label filters (| error_code="oauth2.token.expired") select
// the errors a query counts and log none. Only an error code with no code
// beside it is looked at (a query names no status).
func logQLQuery(record []byte) bool {
	for i := 0; ; {
		k := bytes.IndexByte(record[i:], '}')
		if k < 0 {
			return false
		}
		i += k + 1
		j := skipBlank(record, i)
		if j+2 >= len(record) {
			return false
		}
		if c, d := record[j], record[j+1]; (c == '|' || c == '!') && (d == '=' || d == '~') {
			// A filter's string ("…" or `…`, or \"…\" inside a JSON string: an
			// OpenTelemetry record's body): != alone is a comparison,
			// {'a': 1} != {'a': 2} in a test's assertion.
			if q := skipBlank(record, j+2); q < len(record) && (record[q] == '"' || record[q] == '`' || record[q] == '\\' && q+1 < len(record) && record[q+1] == '"') {
				return true
			}
		} else if c == '|' && d == ' ' {
			w := record[j+2:]
			for _, stage := range logQLParsers {
				if bytes.HasPrefix(w, stage) && (len(w) == len(stage) || w[len(stage)] == ' ' || w[len(stage)] == '|') {
					return true
				}
			}
		}
	}
}

// insightsQuery reports whether record holds a CloudWatch Logs Insights query,
// as a query log or a report job shows it: "fields @timestamp, error_code |
// filter error_code = "oauth2.token.expired" | stats count(*) by bin(5m)". Its
// filter clause selects the errors a query counts and logs none. Only an
// error code with no code beside it is looked at (a query names no status).
func insightsQuery(record []byte) bool {
	k := bytes.Index(record, []byte("| filter "))
	return k > 0 && bytes.Contains(record[:k], []byte("fields "))
}

// typeUnion reports whether text (a record, its leading blanks aside) is a
// TypeScript (or Flow) type declaration whose members are string literals, as
// a log echoes a source file: `export type SecondMeErrorCode =
// 'oauth2.token.expired' | 'oauth2.token.invalid'`. It lists the codes a
// program knows and logs none. Only an error code with no code beside it is
// looked at.
func typeUnion(text []byte) bool {
	b := bytes.TrimPrefix(text, []byte("export "))
	if !bytes.HasPrefix(b, []byte("type ")) {
		return false
	}
	eq := bytes.IndexByte(b, '=')
	if eq < 0 {
		return false
	}
	rest := b[eq+1:]
	return bytes.Contains(rest, []byte("' | '")) || bytes.Contains(rest, []byte(`" | "`)) ||
		bytes.Contains(rest, []byte("'|'")) || bytes.Contains(rest, []byte(`"|"`))
}

// datadogQuery reports whether record holds a Datadog metric query, as a
// monitor's definition or an alert shows it:
// "sum(last_5m):sum:secondme.errors{error_code:oauth2.token.expired,env:prod}.as_count() > 50".
// Its tag filter selects the errors a monitor counts and logs none: the scope's
// closing brace and a space aggregation after it (.as_count(), .as_rate(),
// .rollup(…), .fill(…)), or a monitor's evaluation window, "(last_5m):". Only
// an error code with no code beside it is looked at.
func datadogQuery(record []byte) bool {
	for _, s := range datadogMarks {
		if bytes.Contains(record, s) {
			return true
		}
	}
	if i := bytes.Index(record, []byte("(last_")); i >= 0 {
		j := i + len("(last_")
		for j < len(record) && isDigit(record[j]) {
			j++
		}
		for j < len(record) && isLetter(record[j]) {
			j++
		}
		return j > i+len("(last_") && j+1 < len(record) && record[j] == ')' && record[j+1] == ':'
	}
	return false
}

var datadogMarks = [][]byte{[]byte("}.as_count()"), []byte("}.as_rate()"), []byte("}.rollup("), []byte("}.fill(")}

// docGrepHit reports whether record is grep's hit in a documentation file,
// as a CI job or a shell session logs it: "README.md:42:{"code": 401, …}",
// "docs/errors.rst:17:  oauth2.token.expired …" — a file name ending in a
// documentation extension, then ":" and a line number and ":". The envelope it
// shows is the documentation's example and logs no error. (A hit in a log
// file, "bridge.log:48213:…", is a logged record like any other.)
func docGrepHit(record []byte) bool {
	// The file name: path bytes up to the first ':' (a JSON record, a time or
	// a logfmt key stops at its first byte or soon after), after the time a
	// collector writes first (GitHub Actions' raw log: clockLen).
	if len(record) > 20 && isDigit(record[0]) && record[10] == 'T' {
		record = record[clockLen(record):] // (an ISO 8601 time, as those collectors write it)
	}
	i := 0
	for i < len(record) && i < 256 && pathByte[record[i]] {
		i++
	}
	if i < 4 || i >= len(record) || record[i] != ':' {
		return false
	}
	name := record[:i]
	if !bytes.HasSuffix(name, []byte(".md")) && !bytes.HasSuffix(name, []byte(".mdx")) && !bytes.HasSuffix(name, []byte(".markdown")) &&
		!bytes.HasSuffix(name, []byte(".rst")) && !bytes.HasSuffix(name, []byte(".adoc")) {
		return false
	}
	j := i + 1
	for j < len(record) && isDigit(record[j]) {
		j++
	}
	return j > i+1 && j < len(record) && (record[j] == ':' || record[j] == '-')
}

// pathByte marks the bytes of a file name as grep prints it.
var pathByte = func() (t [256]bool) {
	for c := range t {
		t[c] = keyByte[c] || c == '/' || c == '+' || c == '@'
	}
	return t
}()

// conditionalKey reports whether record states a condition on an error code
// in prose, as a runbook, a retry policy or a generated program does: "if
// error_code=connection.error persists for >5m, fail over", "RUNBOOK RB-22: if
// error_code=oauth2.application.pending_review, contact partner support". It
// names the error a rule acts on and logs none. Only an error code with no code
// beside it is looked at.
func conditionalKey(record []byte) bool {
	for _, key := range errorKeysEq {
		for i := 0; ; {
			k := bytes.Index(record[i:], key)
			if k < 0 {
				break
			}
			k += i
			i = k + len(key)
			if conditionBefore(record[:k]) {
				return true
			}
		}
	}
	return false
}

var errorKeysEq = [][]byte{[]byte("error_code="), []byte("subCode="), []byte("sub_code=")}

// conditionBefore reports whether b ends with the whole word if, when or unless
// (in any case) and a blank.
func conditionBefore(b []byte) bool {
	n := len(b)
	if n < 3 || b[n-1] != ' ' {
		return false
	}
	w := n - 1
	for w > 0 && isLetter(b[w-1]) {
		w--
	}
	word := b[w : n-1]
	for _, c := range conditionWords {
		if bytes.EqualFold(word, c) {
			return true
		}
	}
	return false
}

var conditionWords = [][]byte{[]byte("if"), []byte("when"), []byte("unless")}

// exampleLabel reports whether text (a record, its leading blanks aside)
// shows a documentation example rather than a response: its first word is
// "example" or "Example", the start of a label that a colon ends ("example:
// {…}" in an OpenAPI document, its JSON's "example": {…} on a line of its own,
// "Example error response: {…}"), or a key path of examples is assigned the
// body ("components.examples.TokenExpired.value = {…}", as a linter quotes
// it). Its envelope illustrates an error and logs none.
func exampleLabel(text []byte) bool {
	b, q := text, 0
	if len(b) > 0 && b[0] == '"' {
		b, q = b[1:], 1 // a pretty-printed JSON document's line: "example": {…}
	}
	if len(b) > 8 && (b[0] == 'e' || b[0] == 'E') && string(b[1:7]) == "xample" {
		k := 7
		if q == 1 {
			if b[k] != '"' {
				return false
			}
			k++
		}
		for k < len(b) && k < 48 && (isLetter(b[k]) || b[k] == ' ') {
			k++
		}
		return k < len(b) && b[k] == ':'
	}
	// The key path: the word of key bytes before the " = " that precedes the
	// record's first brace (no URL's host: key bytes only).
	k := bytes.IndexByte(text, '{')
	if k >= 12 && text[k-1] == ' ' && text[k-2] == ':' {
		return exampleBefore(text[max(0, k-40) : k-2])
	}
	if k < 4 || string(text[k-3:k]) != " = " {
		return false
	}
	i := k - 3
	for i > 0 && isKeyByte(text[i-1]) {
		i--
	}
	return (i == 0 || text[i-1] == ' ') && bytes.Contains(text[i:k-3], []byte(".examples."))
}

// exampleBefore reports whether b ends with a label naming an example body,
// after a log's prefix ("… web/hivehub Example error response"): the word
// example, alone or then only words, one of them response, body, payload or
// envelope.
func exampleBefore(b []byte) bool {
	if bytes.HasSuffix(b, []byte(" example")) || bytes.HasSuffix(b, []byte(" Example")) {
		return true // "… SpringDocConfiguration : example: {…}", as example: {…} alone
	}
	i := bytes.LastIndex(b, []byte("xample "))
	if i < 1 || b[i-1]|0x20 != 'e' || i > 1 && b[i-2] != ' ' {
		return false
	}
	words := b[i+len("xample "):]
	for _, c := range words {
		if !isLetter(c) && c != ' ' {
			return false
		}
	}
	return bytes.Contains(words, []byte("response")) || bytes.Contains(words, []byte("body")) ||
		bytes.Contains(words, []byte("payload")) || bytes.Contains(words, []byte("envelope"))
}

var logQLParsers = [][]byte{[]byte("json"), []byte("logfmt"), []byte("pattern"), []byte("regexp"), []byte("unpack")}

// namesNoError reports whether record, whose error code val the tokenizer
// found (with no code beside it: alone; from a header-like key: header), names
// an error without logging one: a program's or its documentation's text, or —
// an error code alone — a header line, an alert, a test event, a query, a type
// or a condition. See each check.
func namesNoError(record, val []byte, alone, header bool) bool {
	text := record[skipBlank(record, 0):] // the checks that read the record's start: its blanks aside
	return alone && (header && headerLineAlone(record, val) || alertNotice(record) || goTestEvent(record) || logQLQuery(record) || insightsQuery(record) ||
		typeUnion(text) || datadogQuery(record) || conditionalKey(record) || shellCommand(text) || kqlQuery(record, val)) ||
		programText(record) || docGrepHit(record) || exampleLabel(text) || rspecExample(record) || logQLSelector(text) || passingTest(text) || passingTest(afterTag(text)) || scalaTestPassed(text) || pytestPassed(record) ||
		searchFacet(record, val)
}

// searchFacet reports whether the error code val follows a log search's facet,
// as Datadog's query syntax writes one ("service:kiosk-api
// @error_code:oauth2.token.expired status:error -@http.status_code:200", a
// saved view or a monitor's query): it selects logs and logs no error, whatever
// status its other filters name.
func searchFacet(record, val []byte) bool {
	if bytes.IndexByte(record, '@') < 0 {
		return false
	}
	for i := 0; ; {
		k := bytes.Index(record[i:], val)
		if k < 1 {
			return false
		}
		k += i
		i = k + len(val)
		if record[k-1] != ':' {
			continue
		}
		j := k - 1
		for j > 0 && (keyByte[record[j-1]] || record[j-1] == '.') {
			j--
		}
		if j > 0 && j < k-1 && record[j-1] == '@' && (j == 1 || record[j-2] == ' ' || record[j-2] == '(' || record[j-2] == '-') {
			return true
		}
	}
}

// passingTest reports whether b (a record, its leading blanks aside) is a test runner's line for a passing
// test (Jest's and Vitest's "✓ maps {"code":401,…} to ReauthRequired (3 ms)",
// "✔ …", dotnet test's "Passed Tests.Maps(body: "{\"code\":401,…}") [2 ms]"): a test's name, which quotes the envelope it feeds its code, and no
// error logged.
func passingTest(b []byte) bool {
	return len(b) > 4 && b[0] == 0xe2 && b[1] == 0x9c && (b[2] == 0x93 || b[2] == 0x94) && b[3] == ' ' ||
		len(b) > 7 && b[0] == 'P' && string(b[:7]) == "Passed " && qualifiedName(b[7:]) ||
		dartPassed(b) ||
		len(b) > 7 && b[0] == '*' && string(b[:7]) == "* test " || // ExUnit's --trace: "* test maps {…} to :reauth (2.4ms) [L#42]"
		len(b) > 7 && b[0] == '(' && string(b[:7]) == "(pass) " // bun test's "(pass) Client > maps {…} to ReauthRequired [0.42ms]"
}

// rspecExample reports whether record is an example's line of RSpec's
// documentation format, which prints a passing example's description
// indented under its group, with no marker: "    maps {"code":401,…} to
// SecondMe::ReauthRequired" — a lower-case verb, the body, then "to" and
// what the example maps it to (3 of 3 held-out rows expect nothing).
func rspecExample(record []byte) bool {
	i := 0
	for i < len(record) && record[i] == ' ' {
		i++
	}
	if i < 2 {
		return false
	}
	j := i
	for j < len(record) && record[j] >= 'a' && record[j] <= 'z' {
		j++
	}
	if j == i || j+2 >= len(record) || record[j] != ' ' || record[j+1] != '{' {
		return false
	}
	k := bytes.LastIndexByte(record, '}')
	return k > j && bytes.HasPrefix(record[k+1:], []byte(" to "))
}

// pytestPassed reports whether record is a test runner's line for a passing
// test that ends with its verdict: pytest's verbose node id, whose parameters
// may name an error code and a code ("tests/test_client.py::test_maps[error_code=oauth2.token.expired-code=401]
// PASSED [ 42%]", the progress after it), Gradle's "ApiErrorMapperTest > maps
// {"code":401,…} to ReauthRequired PASSED", deno test's "maps {"code":404,…}
// to SessionGone ... ok (2ms)", hspec's "decodes {…} as TokenExpired [✔]".
func pytestPassed(record []byte) bool {
	e := len(record)
	for e > 0 && blank[record[e-1]] {
		e--
	}
	if e < 12 {
		return false
	}
	if record[e-1] == ')' {
		k := bytes.LastIndex(record[:e], []byte(" ... ok ("))
		return k > 0 && bytes.IndexByte(record[k+9:e], ' ') < 0
	}
	if record[e-1] == ']' && record[e-2] == '%' {
		k := bytes.LastIndexByte(record[:e], '[')
		if k < 0 {
			return false
		}
		for e = k; e > 0 && blank[record[e-1]]; e-- {
		}
	}
	return bytes.HasSuffix(record[:e], []byte(" PASSED")) || bytes.HasSuffix(record[:e], []byte(" [✔]")) // hspec's "decodes {…} as TokenExpired [✔]"
}

// kqlQuery reports whether the error code val is a field's value in a Kibana
// (KQL) or Lucene query, as a saved search or an alert rule shows it:
// "service.name:radio and error_code:oauth2.token.expired and
// http.response.status_code >= 400", "error_code : "…" and …". The value is
// followed by "and" or "or" and another clause (a field then ":" or a
// comparison): it selects errors and logs none.
func kqlQuery(record, val []byte) bool {
	k := bytes.Index(record, val)
	if k < 1 {
		return false
	}
	i := k + len(val)
	if i < len(record) && record[i] == '"' {
		i++
	}
	w := record[i:]
	switch {
	case bytes.HasPrefix(w, []byte(" and ")), bytes.HasPrefix(w, []byte(" AND ")):
		w = w[5:]
	case bytes.HasPrefix(w, []byte(" or ")), bytes.HasPrefix(w, []byte(" OR ")):
		w = w[4:]
	default:
		return false
	}
	j := 0
	for j < len(w) && (keyByte[w[j]] || w[j] == '.') {
		j++
	}
	if j == 0 {
		return false
	}
	w = w[skipBlank(w, j):]
	return len(w) > 1 && (w[0] == ':' || (w[0] == '>' || w[0] == '<') || w[0] == '!' && w[1] == '=')
}

// dartPassed reports whether b is dart test's compact line for a passing test:
// the time, the count of tests passed and no count of failures ("00:04 +37:
// test/client_test.dart: maps {"code":401,…} to TokenExpired"; a failure
// writes "+37 -1:").
func dartPassed(b []byte) bool {
	if len(b) < 10 || !isDigit(b[0]) || !isDigit(b[1]) || b[2] != ':' || !isDigit(b[3]) || !isDigit(b[4]) || b[5] != ' ' || b[6] != '+' {
		return false
	}
	i := 7
	for i < len(b) && isDigit(b[i]) {
		i++
	}
	return i > 7 && i+1 < len(b) && b[i] == ':' && b[i+1] == ' '
}

// scalaTestPassed reports whether text is ScalaTest's line for a passing test,
// as sbt prints it ("[info] - should map {"code":401,…} to TokenExpired (12
// milliseconds)"; a failing one ends "*** FAILED ***").
func scalaTestPassed(text []byte) bool {
	return len(text) > 10 && string(text[:9]) == "[info] - " && !bytes.Contains(text, []byte("*** FAILED"))
}

// afterTag returns b after a bracketed level tag and its blanks, as Maven
// prints its build's lines ("[INFO]   ✔ maps {…} to ReauthRequired"), or
// nothing.
func afterTag(b []byte) []byte {
	if len(b) < 4 || b[0] != '[' {
		return nil
	}
	for j := 1; j < len(b) && j < 10; j++ {
		if b[j] == ']' {
			return treeEnd(b, j+1)
		}
		if !asciiLetter[b[j]] {
			return nil
		}
	}
	return nil
}

// treeEnd returns b from i past blanks and the branches a test runner's tree
// draws (JUnit 5's "|  ✔", "├─ ✔", "└─ ✔", "│").
func treeEnd(b []byte, i int) []byte {
	for i < len(b) {
		switch {
		case b[i] == ' ' || b[i] == '\t' || b[i] == '|' || b[i] == '+' || b[i] == '\'' || b[i] == '-' && i+1 < len(b) && b[i+1] == '-':
			i++
		case b[i] == 0xe2 && i+2 < len(b) && b[i+1] == 0x94: // U+2500–U+253F: ─ │ ├ └
			i += 3
		default:
			return b[i:]
		}
	}
	return b[i:]
}

// qualifiedName reports whether b starts with a dotted name (Lift.Tests.Maps):
// key bytes with a dot among them, up to a blank, "(" or the end.
func qualifiedName(b []byte) bool {
	dot := false
	for i, c := range b {
		switch {
		case c == '.' && i > 0:
			dot = true
		case c == ' ' || c == '(':
			return dot && i > 0 && b[i-1] != '.'
		case !keyByte[c]:
			return false
		}
	}
	return dot
}

// shellCommand reports whether b (a record, its leading blanks aside) is a command line after a shell's
// prompt ("$ grep -c 'error_code=oauth2.token.expired' app.log", "$ kubectl
// logs … | grep …"), as a terminal session or a runbook shows it: the error
// code is its argument, no error it logs. Only an error code with no code
// beside it is looked at (a command's output on the same line can log one:
// "$ admin keys revoke --id ak_1 => {"code":404,…}").
func shellCommand(b []byte) bool {
	return len(b) > 2 && b[0] == '$' && b[1] == ' ' && isLetter(b[2])
}

// logQLSelector reports whether b (a record, its leading blanks aside) is a Loki query that starts with its
// stream selector ({app="kiosk-gw"} | json | error_code="…" | code="401"):
// its label filters select errors, those under a code key too, and log none.
// (A JSON record starts with a quote after its brace.)
func logQLSelector(b []byte) bool {
	return len(b) > 2 && b[0] == '{' && isLetter(b[1]) && logQLQuery(b)
}

// headerLineAlone reports whether record is one response header line naming
// the error code val, and nothing after it: "< x-error-code: oauth2.token.expired",
// OkHttp's "okhttp.OkHttpClient: X-Error-Code: …", Apache HttpClient's wire
// log's `http-outgoing-12 << "X-Error-Code: …[\r][\n]"`. A client that logs its
// headers line by line logs the body too, whose envelope is the error: the
// header line alone would count it twice. (A dump of headers, joined by the
// Assembler, is several lines; a header beside a status is a gateway's.)
func headerLineAlone(record, val []byte) bool {
	e := len(record)
	for e > 0 && (record[e-1] == ' ' || record[e-1] == '\r' || record[e-1] == '\t') {
		e--
	}
	switch {
	case bytes.HasSuffix(record[:e], wireHeaderEnd):
		e -= len(wireHeaderEnd) // Apache HttpClient's wire log: << "X-Error-Code: …[\r][\n]"
	case bytes.HasSuffix(record[:e], rubyWireEnd):
		e -= len(rubyWireEnd) // Ruby's Net::HTTP debug output: -> "x-error-code: …\r\n"
	}
	quoted := e > 0 && record[e-1] == '"' && e-len(val)-2 >= 0 && record[e-len(val)-2] == '"'
	if quoted {
		e-- // x-error-code: "oauth2.token.expired"
	}
	if e < len(val) || string(record[e-len(val):e]) != string(val) {
		return false
	}
	k := e - len(val)
	if quoted {
		k--
	}
	for k > 0 && record[k-1] == ' ' {
		k--
	}
	if k == 0 || record[k-1] != ':' {
		return false
	}
	ke := k - 1
	ks := ke
	hyphen := false
	for ks > 0 && (isLetter(record[ks-1]) || isDigit(record[ks-1]) || record[ks-1] == '-') {
		ks--
		hyphen = hyphen || record[ks] == '-'
	}
	return hyphen && ke > ks && classifyKey(record[ks:ke]) == kErr && (ks == 0 || record[ks-1] == ' ' || record[ks-1] == '\t' || record[ks-1] == '"' || record[ks-1] == '|') &&
		bytes.IndexByte(record, '\n') < 0 // one line: the whole record is scanned last
}

// cand is a candidate envelope; the best one (an error code with a code or a
// gateway status over one alone, then outermost, then first in document order)
// is the record's envelope.
type cand struct {
	ok     bool
	rank   uint8 // 2: error_code with a code or a gateway status, 1: error_code alone
	reason reasonID
	depth  int32
	seq    int32
	off, n int32 // error_code value in arena
	code   int32
}

// reasonID is a MalformedReason in one byte, keeping frames small.
type reasonID uint8

const (
	ridNone reasonID = iota
	ridBadErrorCode
	ridBadCode
	ridTruncatedJSON
)

func (r reasonID) reason() MalformedReason {
	switch r {
	case ridBadErrorCode:
		return ReasonBadErrorCode
	case ridBadCode:
		return ReasonBadCode
	case ridTruncatedJSON:
		return ReasonTruncatedJSON
	}
	return ""
}

func (c *cand) beats(o *cand) bool {
	if !o.ok {
		return true
	}
	// An error code with a code and one with the gateway's status rank alike:
	// a gateway line's own header code and status outrank a body it logs.
	if c.rank != o.rank {
		return c.rank > o.rank
	}
	if c.depth != o.depth {
		return c.depth < o.depth
	}
	return c.seq < o.seq
}

func (p *Parser) offer(c cand) {
	if c.beats(&p.best) {
		p.best = c
	}
}

func (p *Parser) offerBad(c cand) {
	if c.beats(&p.bad) {
		p.bad = c
	}
}

func trimBOM(b []byte) []byte {
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		return b[3:]
	}
	return b
}
