package parser

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secondme/secondme_error_exporter/catalog"
)

func validateString(code string) error { return catalog.ValidateString(code) }

// FuzzParse checks that Parse never panics, is deterministic, does not depend on
// earlier records, and only reports results that satisfy the contract. Seeds:
// testdata/fuzz/FuzzParse (the shape table, written by TestWriteFuzzSeeds) plus
// the ones added here.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"code":401,"message":"x","error_code":"oauth2.token.expired"}`,
		`{"level":"error","body":"{\"code\":403,\"error_code\":\"apikey.permission.denied\"}"}`,
		`level=error error.code=401 error.error_code=oauth2.token.revoked`,
		`{'code': 0, 'message': 'success', 'data': None}`,
		`1.2.3.4 - - [x] "GET / HTTP/1.1" 401 1 "-" "oauth2.token.expired"`,
		"\xef\xbb\xbf\x1b[31m{\"code\":\"401\",\"subCode\":\"a.b\"",
	} {
		f.Add([]byte(s))
	}
	shared := New(nil)
	f.Fuzz(func(t *testing.T, in []byte) {
		got := shared.Parse(in)
		checkInvariants(t, in, got)
		if fresh := New(nil).Parse(in); fresh != got {
			t.Errorf("a used parser says %+v, a fresh one %+v", got, fresh)
		}
		if generic := parseGeneric(in); generic != got {
			t.Errorf("the JSON fast path says %+v, the generic tokenizer %+v", got, generic)
		}
		if unfiltered := parseUnfiltered(in); unfiltered != got {
			t.Errorf("with the pre-filter %+v, without it %+v", got, unfiltered)
		}
	})
}

// parseUnfiltered runs the tokenizer without the record-level pre-filter: it
// must find exactly what Parse finds, or the pre-filter rejected an envelope.
func parseUnfiltered(in []byte) Envelope { return parseUnfilteredDecoded(in, false) }

// parseUnfilteredDecoded is parseUnfiltered for a record whose HTML entities
// were decoded already (decoded), or not.
func parseUnfilteredDecoded(in []byte, decoded bool) Envelope {
	p, rec := New(nil), trimBOM(in)
	p.inUnent = decoded
	p.reset()
	p.scan(rec, 0)
	e := p.result(rec)
	if e.Kind == None && len(rec) > 0 {
		e = p.keylessAccess(rec, firstByte[rec[0]]) // as Parse: an access line without keys
	}
	if e.Kind == None {
		e = aspnetAccess(rec) // as Parse: ASP.NET Core's request-finished message
	}
	if e.Kind == None {
		e = morganAccess(rec) // as Parse: morgan's dev lines
	}
	var memo haproxyMemo
	if e.Kind == None && bytes.IndexByte(rec, 0x1b) >= 0 && prefilter(rec, &memo) {
		// As Parse: a record the pre-filter lets through, once more without
		// its colour codes.
		if plain := stripColours(nil, rec); len(plain) > 0 {
			e = parseUnfilteredDecoded(plain, decoded)
		}
	} else if e.Kind == Error && e.Code == 0 && bytes.IndexByte(rec, 0x1b) >= 0 {
		// As Parse: an error without a code, once more without its colour
		// codes, for a code a colour split.
		if plain := stripColours(nil, rec); len(plain) > 0 {
			if u := parseUnfilteredDecoded(plain, decoded); u.Kind == Error && u.Code != 0 {
				e = u
			}
		}
	}
	if e.Kind == None && !decoded && hasQuoteEntity(rec) && prefilter(rec, &memo) {
		// As Parse: a record the pre-filter lets through, once more with its
		// HTML entities decoded, once.
		e = parseUnfilteredDecoded(decodeEntities(nil, rec, false), true)
		if i := skipBlank(rec, 0); e.Kind == Error && e.Code == 0 && i < len(rec) && rec[i] != '<' {
			// As Parse: with the quotes escaped, for the code.
			if u := parseUnfilteredDecoded(decodeEntities(nil, rec, true), true); u.Kind == Error && u.Code != 0 {
				e = u
			}
		}
	}
	if e.Kind == None && gsonEquals(rec) && prefilter(rec, &memo) {
		// As Parse: a record the pre-filter lets through, once more with
		// Gson's escaped "=" decoded.
		e = parseUnfilteredDecoded(decodeGsonEquals(nil, rec), decoded)
	}
	return e
}

// parseGeneric parses with the JSON fast path switched off.
func parseGeneric(in []byte) Envelope {
	fastJSON = false
	defer func() { fastJSON = true }()
	return New(nil).Parse(in)
}

// TestFastPathAgrees: the JSON fast path and the generic tokenizer agree on
// every shape and every line of the corpus, and so does the tokenizer without
// the pre-filter.
func TestFastPathAgrees(t *testing.T) {
	p := New(nil)
	for name, tc := range shapes {
		if got, generic := p.Parse([]byte(tc.in)), parseGeneric([]byte(tc.in)); got != generic {
			t.Errorf("%s: fast %+v generic %+v", name, got, generic)
		}
	}
	data, err := os.ReadFile("testdata/corpus.log")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		got := p.Parse(line)
		if generic := parseGeneric(line); got != generic {
			t.Errorf("fast %+v generic %+v: %q", got, generic, line)
		}
		if unfiltered := parseUnfiltered(line); got != unfiltered {
			t.Errorf("pre-filtered %+v unfiltered %+v: %q", got, unfiltered, line)
		}
	}
}

// FuzzAssembler checks that the Assembler never panics, never loses or
// reorders a line (a repeated line prefix aside) unless it reports an
// overflow, and respects its bounds.
func FuzzAssembler(f *testing.F) {
	f.Add([]byte("body={\n  \"code\": 401,\n  \"error_code\": \"x.y\"\n}\nnext"), 8, 200)
	f.Add([]byte("{'code': 401,\n 'a': '}'}\n{\n\n}"), 2, 10)
	f.Add([]byte("web-1 | x: {\ngw-1  | GET / 200\nweb-1 |   \"code\": 500,\ngw-1  | {}\nweb-1 | }\ngw-1  | a {\nweb-1 | b"), 8, 300)
	f.Add([]byte("{\n  {\n  {\n  }\n\tat x\n}"), 3, 1000)
	f.Add([]byte("< HTTP/2 401\n< x-error-code: a.b\n<\n{\n  \"code\": 401\n}\nHTTP/1.1 200 OK\nA: b\n\n{}\nx"), 6, 300)
	f.Add([]byte("status=401 body=\n{\n  \"code\": 401\n}\nresponse:\nnext:\n{}"), 4, 200)
	f.Add([]byte("array(2) {\n  [\"code\"]=>\n  int(401)\n  [\"x\"]=>\n  NULL\n}\nfailed: \"{\n  \"a\" : 1\n}\""), 8, 500)
	f.Add([]byte("11-24 1 D OkHttp  : {\n11-24 1 D OkHttp  :   \"code\": 401\n11-24 1 D OkHttp  : }\nweb-1 | {\nweb-1 |   x: 1\nweb-2 | }"), 4, 300)
	f.Add([]byte("HTTP/2 403 \nx-error-code: a.b\n\n{}%\n   << HTTP/2.0 401 OK 76b\n    x: y\n\n    {\n        \"code\": 401\n    }\n\x1b[34mHTTP\x1b[0m/1.1 403\n\x1b[36mA\x1b[0m: b\n\n{\n\x1b[37m    \x1b[0m\"code\": 403\n}"), 8, 400)
	f.Add([]byte("2026-11-24T10:00:01.78Z {\n2026-11-24T10:00:01.8668409Z   \"code\": 401,\n2026-11-24T10:00:02Z }\n11-24 11:05:11.829  1 D : Array\n11-24 11:05:11.830  1 D : (\n11-24 11:05:11.831  1 D :     [code] => 1\n11-24 11:05:11.832  2 D : )"), 8, 400)
	f.Add([]byte("[10:21:45.121] INFO (x/41): request completed\n    req: {\n      \"method\": \"GET\",\n      \"url\": \"/a\"\n    }\n    res: {\n      \"statusCode\": 404\n    }\n    responseTime: 12\n    err: {\n      \"stack\":\n          Error: x\n              at f (a.js:1:1)\n      \"code\": 400\n    }\n    response:\n      code: 1\n    status: 429\nnext"), 8, 400)
	f.Fuzz(func(t *testing.T, in []byte, maxLines, maxBytes int) {
		maxLines, maxBytes = 1+abs(maxLines)%64, 1+abs(maxBytes)%4096
		a := NewAssembler(maxLines, maxBytes)
		lines := bytes.Split(in, []byte("\n"))
		var out [][]byte
		emit := func(r []byte) {
			if n := bytes.Count(r, []byte("\n")) + 1; n > 1 && (n > maxLines || len(r) > maxBytes) {
				t.Errorf("record of %d lines, %d bytes exceeds %d, %d", n, len(r), maxLines, maxBytes)
			}
			out = append(out, bytes.Clone(r))
		}
		for _, l := range lines {
			a.Add(l, emit)
		}
		a.Flush(emit)
		if a.Pending() {
			t.Error("pending after Flush")
		}
		if a.Overflows() == 0 && !sameLines(lines, out) {
			t.Errorf("lines lost or reordered:\n in %q\nout %q", in, out)
		}
		if joined := bytes.Join(out, []byte("\n")); a.Overflows() > 0 && len(joined) > len(in) {
			t.Errorf("more output than input after an overflow")
		}
	})
}

// sameLines reports whether records hold exactly lines, in order: the first line
// of a record whole, each later one whole or without a prefix that all the
// later lines of the record lose alike (a logger's repeated line prefix, after a time
// of each line's own: clockLen).
//
// One reordering is allowed: a line of another service that docker compose's
// prefix interleaves with a record's lines comes out as a record of its own
// before that record ends (foreignService), so a single-line record may be a
// later input line whose compose prefix is another than those of the lines
// it passes, each service's lines staying in their order.
func sameLines(lines, records [][]byte) bool {
	used := make([]bool, len(lines))
	i := 0 // the first input line not used yet
	next := func() {
		for i < len(lines) && used[i] {
			i++
		}
	}
	for _, r := range records {
		next()
		if i < len(lines) && !bytes.Equal(r, lines[i]) && bytes.IndexByte(r, '\n') < 0 {
			if j := foreignLine(lines, used, i, r); j > 0 {
				used[j] = true
				continue
			}
		}
		var prefix []byte
		for k, l := range bytes.Split(r, []byte("\n")) {
			next()
			if i >= len(lines) {
				return false
			}
			in := lines[i]
			used[i] = true
			i++
			if k == 0 || len(l) == len(in) {
				if !bytes.Equal(l, in) {
					return false
				}
				continue
			}
			if !bytes.HasSuffix(in, l) {
				return false
			}
			p := in[:len(in)-len(l)]
			p = p[clockLen(p):] // a time of the line's own may come first (GitHub Actions)
			if prefix == nil {
				prefix = p
			} else if !bytes.Equal(p, prefix) {
				return false
			}
		}
	}
	next()
	return i == len(lines)
}

// foreignLine returns the index of the first unused input line from i on that
// is r, under a compose prefix that none of the unused lines it passes has,
// or 0.
func foreignLine(lines [][]byte, used []bool, i int, r []byte) int {
	n := composePrefix(r)
	if n == 0 {
		return 0
	}
	for j := i; j < len(lines); j++ {
		if used[j] {
			continue
		}
		if bytes.Equal(lines[j], r) {
			return j
		}
		if len(lines[j]) >= n && string(lines[j][:n]) == string(r[:n]) {
			return 0 // a line of r's own service before it
		}
	}
	return 0
}

func abs(x int) int {
	if x < 0 {
		if x == -x {
			return 0
		}
		return -x
	}
	return x
}

// TestWriteFuzzSeeds writes the shape table as FuzzParse's committed seed
// corpus when UPDATE_FUZZ_SEEDS=1, and otherwise checks that the committed
// corpus is complete.
func TestWriteFuzzSeeds(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzParse")
	for name, tc := range shapes {
		file := filepath.Join(dir, "shape-"+strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				return r
			}
			return '_'
		}, name))
		content := "go test fuzz v1\n[]byte(" + quoteGo(tc.in) + ")\n"
		if os.Getenv("UPDATE_FUZZ_SEEDS") == "1" {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if got, err := os.ReadFile(file); err != nil || string(got) != content {
			t.Errorf("%s missing or stale: run UPDATE_FUZZ_SEEDS=1 go test ./parser -run TestWriteFuzzSeeds", file)
		}
	}
}

func quoteGo(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c >= 0x20 && c < 0x7f:
			b.WriteByte(c)
		default:
			b.WriteString(`\x`)
			b.WriteByte("0123456789abcdef"[c>>4])
			b.WriteByte("0123456789abcdef"[c&15])
		}
	}
	b.WriteByte('"')
	return b.String()
}
