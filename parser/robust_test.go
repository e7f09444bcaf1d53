package parser

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// hostile are inputs built to break a parser: deep nesting, unterminated
// structures, huge records, invalid bytes. Parse must return without panicking,
// in time linear in the input.
func hostile(n int) map[string][]byte {
	env := `{"code":401,"error_code":"oauth2.token.expired"}`
	return map[string][]byte{
		"deep arrays":           []byte(strings.Repeat("[", n)),
		"deep objects":          []byte(strings.Repeat(`{"a":`, n)),
		"deep objects closed":   []byte(strings.Repeat(`{"error_code":`, n) + "1" + strings.Repeat("}", n)),
		"deep then envelope":    []byte(strings.Repeat("[", n) + env + strings.Repeat("]", n)),
		"deep parens":           []byte(strings.Repeat("(code=", n)),
		"many closers":          []byte(strings.Repeat("}])", n)),
		"mixed openers":         []byte(strings.Repeat("{[(", n) + strings.Repeat("}", n)),
		"unterminated strings":  []byte(strings.Repeat(`"error_code":"`, n)),
		"quotes":                []byte(strings.Repeat(`'"`, n)),
		"backslashes":           []byte(`"` + strings.Repeat(`\`, n) + `"error_code":"a.b"`),
		"escaped quotes":        []byte(`{"body":"` + strings.Repeat(`\"`, n) + `"}`),
		"many envelopes":        bytes.Repeat([]byte(env), n/8),
		"many keys":             []byte(strings.Repeat(`error_code=a.b code=401 `, n/4)),
		"needles":               []byte(strings.Repeat("codecode:", n)),
		"status needles":        []byte(strings.Repeat("status=200 ", n)),
		"http needles":          []byte(strings.Repeat(`HTTP/1.1" 200 `, n)),
		"request lines":         []byte(strings.Repeat(`"GET / HTTP/1.1" 200 "oauth2.token.expired" `, n/4)),
		"nested strings":        []byte(strings.Repeat(`{"a":"{\"b\":\"{\\\"error_code\\\":\\\"`, n/8)),
		"invalid utf8 and NULs": bytes.Repeat([]byte("\xff\xfe\x00error_code\x00=\xc3\x28 code=\x00401 "), n/8),
		"number overflow":       []byte(`{"code":` + strings.Repeat("9", n) + `,"error_code":"a.b"}`),
		"long error code":       []byte(`{"code":401,"error_code":"a.` + strings.Repeat("b", n) + `"}`),
		"long key":              []byte(`{"` + strings.Repeat("x", n) + `error_code":"a.b"}`),
		"ansi":                  bytes.Repeat([]byte("\x1b[31m\x1b["), n/4),
		"crlf":                  bytes.Repeat([]byte("code=0\r\n"), n/4),
		"unicode escapes":       []byte(`{"body":"` + strings.Repeat(`\u0022code\u0022:\ud83d\ude00`, n/8) + `"}`),
		"haproxy request lines": []byte(strings.Repeat(`0/0/1/2/3 401 {oauth2.token.expired} "GET /a/b/c HTTP/1.1" `, n/8)),
		"haproxy timers only":   []byte(strings.Repeat(`1/2/3/4/5 `, n/2) + `"GET / HTTP/1.1"`),
		"otel attributes":       []byte(`{"attributes":[` + strings.Repeat(`{"key":"error_code","value":{"stringValue":`, n/8)),
		"print_r keys":          []byte(strings.Repeat(`[code] => [error_code] => `, n/4)),
		"quoted json bodies":    []byte(strings.Repeat(`"{"code":401,"error_code":"a.b"}" `, n/8)),
		"doubled quotes":        []byte(`{"code":0,"data":1} "` + strings.Repeat(`a""`, n) + `"`),
		"csv fields":            []byte(strings.Repeat(`"{""code"":401,""error_code"":""a.b""}",`, n/8)),
		"pretty quoted bodies":  []byte(strings.Repeat("\"{ \n ", n/2)),
		"escaped bodies":        []byte(strings.Repeat(" ", n) + strings.Repeat(`{\"code\":0} `, n/8)),
		"escaped bodies open":   []byte(strings.Repeat(`x {\"code\":{\\\"a`, n/8)),
		"escaped bodies plain":  []byte(`code=0 data={} ` + strings.Repeat(`x {\"a `, n/4)),
		"escaped line breaks":   []byte(strings.Repeat(`failed\ncode=401\nerror_code=a.b#012`, n/8)),
		"escaped pretty bodies": []byte(strings.Repeat(`{\n "code": 401\n}`, n/8)),
		// Prometheus samples: long label lists with no value, and braces after names.
		"sample labels no value": []byte(`code=401 m{` + strings.Repeat(`error_code="a.b",`, n/8) + `x="y"} v`),
		"sample braces":          []byte(`code=401 ` + strings.Repeat(`m{a="x",`, n/4)),
		"sample open value":      []byte(`code=401 m{a="` + strings.Repeat(`x{error_code=\"a.b\",`, n/8)),
		// journald exports: a long MESSAGE byte array, and many MESSAGE keys
		// after a long field (each key looks for the record's first).
		"journal byte array": []byte(`{"__CURSOR":"s","MESSAGE":[` + strings.Repeat(`123,34,99,111,100,101,34,58,`, n) + `49]}`),
		"journal message keys": []byte(`{"__CURSOR":"` + strings.Repeat(`x\"`, n) + `",` +
			strings.Repeat(`"MESSAGE":[99,111,100,101,61,48,32,100,97,116,97,61,123,125,32,99,111,100,101,61,48],`, n/8) + `"a":1}`),
		"journal message keys, first a string": []byte(`{"__CURSOR":"` + strings.Repeat(`x\"`, n) + `","MESSAGE":"code=0",` +
			strings.Repeat(`"MESSAGE":[99,111,100,101,61,48,32,100,97,116,97,61,123,125,32,99,111,100,101,61,48],`, n/8) + `"a":1}`),
	}
}

func TestHostileInputs(t *testing.T) {
	p := New(nil)
	for name, in := range hostile(20000) {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			e := p.Parse(in)
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("%d bytes took %v", len(in), d)
			}
			checkInvariants(t, in, e)
			if u := parseUnfiltered(in); u != e {
				t.Errorf("without the pre-filter %+v, with it %+v", u, e)
			}
		})
	}
}

// TestLinearTime compares each hostile input at two sizes: 8x the input must
// not take much more than 8x the time. The bound is loose (the machine is
// shared), but a quadratic walk would exceed it by far.
func TestLinearTime(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	p := New(nil)
	small, large := hostile(4000), hostile(32000)
	for name := range small {
		ts := minTime(p, small[name])
		tl := minTime(p, large[name])
		if tl > 40*ts && tl > 20*time.Millisecond {
			t.Errorf("%s: %d bytes %v, %d bytes %v: super-linear", name, len(small[name]), ts, len(large[name]), tl)
		}
	}
}

func minTime(p *Parser, in []byte) time.Duration {
	best := time.Duration(1 << 62)
	for range 5 {
		start := time.Now()
		p.Parse(in)
		best = min(best, time.Since(start))
	}
	return best
}

// TestMultiMegabyteRecord: a 4 MB record with an envelope at the very end.
func TestMultiMegabyteRecord(t *testing.T) {
	p := New(nil)
	var b bytes.Buffer
	b.WriteString(`{"level":"error","padding":"`)
	for b.Len() < 4<<20 {
		b.WriteString("lorem ipsum dolor sit amet, mode node decode status ")
	}
	b.WriteString(`","resp":{"code":500,"error_code":"internal.error"}}`)
	if got := p.Parse(b.Bytes()); got != errEnv("internal.error", 500) {
		t.Errorf("got %+v", got)
	}
	// The parser does not keep a huge record's buffers.
	p.Parse([]byte(`{"code":401,"error_code":"oauth2.token.expired"}`))
	for i, s := range p.scratch {
		if cap(s) > maxKeptScratch {
			t.Errorf("scratch[%d] keeps %d bytes", i, cap(s))
		}
	}
}

// checkInvariants holds for every result of Parse.
func checkInvariants(t *testing.T, in []byte, e Envelope) {
	t.Helper()
	switch e.Kind {
	case None, Success:
		if e != (Envelope{Kind: e.Kind}) {
			t.Errorf("%v with fields: %+v", e.Kind, e)
		}
	case Error:
		if err := validateString(e.ErrorCode); err != nil {
			t.Errorf("error code %q: %v", e.ErrorCode, err)
		}
		if e.Reason != "" {
			t.Errorf("error with reason: %+v", e)
		}
	case Response:
		if e.Code < 100 || e.Code > 599 || e.ErrorCode != "" {
			t.Errorf("response: %+v", e)
		}
	case Malformed:
		switch e.Reason {
		case ReasonBadErrorCode, ReasonBadCode, ReasonTruncatedJSON, ReasonTooDeep:
		default:
			t.Errorf("parser reported reason %q", e.Reason)
		}
		if e.ErrorCode != "" {
			t.Errorf("malformed with error code: %+v", e)
		}
	default:
		t.Errorf("kind %d", e.Kind)
	}
}
