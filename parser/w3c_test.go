package parser

import (
	"strings"
	"testing"
)

func TestW3C(t *testing.T) {
	const (
		iisFields = "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken"
		cfFields  = "#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query"
		iisLine   = "2026-11-24 03:12:55 10.0.4.12 POST /gate/lab/api/secondme/chat/stream - 443 - 203.0.113.45 Mozilla/5.0+(Windows+NT+10.0) - 401 0 0 212"
	)
	type step struct {
		line   string
		record string // "" when the line comes back as it is
		want   string // heldOutResult of the record
	}
	cases := map[string][]step{
		"no directive: IIS's and HTTPERR's lines by position, others as they are": {
			{iisLine, "time=2026-11-24T03:12:55Z cs-method=POST cs-uri-stem=/gate/lab/api/secondme/chat/stream sc-status=401", "response 401"},
			{iisLine + " oauth2.token.expired\r", "time=2026-11-24T03:12:55Z cs-method=POST cs-uri-stem=/gate/lab/api/secondme/chat/stream sc-status=401 X-Error-Code=oauth2.token.expired", "error oauth2.token.expired 401"},
			// App Service: s-sitename first; the host fits the grammar but
			// comes before the status, a token of no catalog module after it.
			{"2026-11-24 02:31:12 SECONDME-FUNC POST /api/chat X-ARR-LOG-ID=8d2c 443 - 203.0.113.9 okhttp/4.12.0 - - api.secondme.io 502 0 0 412 1093 30021 web.frontend.cache",
				"time=2026-11-24T02:31:12Z cs-method=POST cs-uri-stem=/api/chat sc-status=502", "response 502"},
			{"2026-11-24 02:31:13 W3SVC2 WEB01 10.1.4.20 GET /gate/lab/api/secondme/session/list limit=20 443 - 10.9.8.7 HTTP/1.1 Mozilla/5.0 - portal.example 429 0 0 5120 812 188 apikey.rate_limit.exceeded",
				"time=2026-11-24T02:31:13Z cs-method=GET cs-uri-stem=/gate/lab/api/secondme/session/list sc-status=429 X-Error-Code=apikey.rate_limit.exceeded", "error apikey.rate_limit.exceeded 429"},
			// HTTP.sys's error log, with and without the stream id; its query is not read.
			{"2026-11-24 02:41:00 127.0.0.1 53122 127.0.0.1 8765 HTTP/1.1 GET /callback?code=9c1f&state=x7 - 400 - BadRequest -",
				"time=2026-11-24T02:41:00Z cs-method=GET cs-uri-stem=/callback sc-status=400", "response 400"},
			{"2026-11-24 02:41:01 10.0.0.1 53123 10.0.0.2 443 HTTP/2.0 POST /api/oauth/token 503 1 QueueFull DefaultAppPool",
				"time=2026-11-24T02:41:01Z cs-method=POST cs-uri-stem=/api/oauth/token sc-status=503", "response 503"},
			{"2026-11-24 02:41:02 10.0.0.1 53124 10.0.0.2 443 - - - - - - Timer_ConnectionIdle -", "", "none"},
			// Not IIS: a fraction, a quote, no status triple, the method too far in, no path.
			{"2026-11-24 02:41:03.007 INFO GET /x - 443 - 10.0.0.5 - - 200 0 0 3", "", "none"},
			{`2026-11-24 02:41:04 INFO "GET /x" 200 0 0 3`, "", "none"},
			{"2026-11-24 02:41:05 worker GET /jobs 42 done in 3 s", "", "none"},
			{"2026-11-24 02:41:06 a b c d e f GET /x - 443 - 10.0.0.5 - - 200 0 0 3", "", "none"},
			{"2026-11-24 02:41:07 10.0.4.12 POST x - 443 - 10.0.0.5 - - 401 0 0 3", "", "none"},
			{`{"code":401,"error_code":"oauth2.token.expired"}`, "", "error oauth2.token.expired 401"},
		},
		"IIS with a response header field": {
			{"#Software: Microsoft Internet Information Services 10.0", "", "none"},
			{"#Version: 1.0", "", "none"},
			{iisFields + " X-Error-Code", "", "none"},
			{iisLine + " oauth2.token.expired",
				"time=2026-11-24T03:12:55Z s-ip=10.0.4.12 cs-method=POST cs-uri-stem=/gate/lab/api/secondme/chat/stream cs-uri-query=- s-port=443 cs-username=- c-ip=203.0.113.45 cs(User-Agent)=Mozilla/5.0+(Windows+NT+10.0) cs(Referer)=- sc-status=401 sc-substatus=0 sc-win32-status=0 time-taken=212 X-Error-Code=oauth2.token.expired",
				"error oauth2.token.expired 401"},
			{"2026-11-24 03:12:56 10.0.4.12 GET /healthz - 443 - 10.0.0.5 - - 200 0 0 1 -", "time=2026-11-24T03:12:56Z s-ip=10.0.4.12 cs-method=GET cs-uri-stem=/healthz cs-uri-query=- s-port=443 cs-username=- c-ip=10.0.0.5 cs(User-Agent)=- cs(Referer)=- sc-status=200 sc-substatus=0 sc-win32-status=0 time-taken=1 X-Error-Code=-", "response 200"},
			// CRLF, as IIS writes it, and blanks doubled.
			{"2026-11-24 03:12:57 10.0.4.12  POST /x - 443 - 10.0.0.5 - - 429 0 0 3 apikey.rate_limit.exceeded\r",
				"time=2026-11-24T03:12:57Z s-ip=10.0.4.12 cs-method=POST cs-uri-stem=/x cs-uri-query=- s-port=443 cs-username=- c-ip=10.0.0.5 cs(User-Agent)=- cs(Referer)=- sc-status=429 sc-substatus=0 sc-win32-status=0 time-taken=3 X-Error-Code=apikey.rate_limit.exceeded",
				"error apikey.rate_limit.exceeded 429"},
		},
		"a later directive changes the fields": {
			{iisFields, "", "none"},
			{iisLine, "time=2026-11-24T03:12:55Z s-ip=10.0.4.12 cs-method=POST cs-uri-stem=/gate/lab/api/secondme/chat/stream cs-uri-query=- s-port=443 cs-username=- c-ip=203.0.113.45 cs(User-Agent)=Mozilla/5.0+(Windows+NT+10.0) cs(Referer)=- sc-status=401 sc-substatus=0 sc-win32-status=0 time-taken=212", "response 401"},
			{"#Fields: time sc-status X-Error-Code", "", "none"},
			{"03:13:00 403 oauth2.application.suspended", "time=03:13:00 sc-status=403 X-Error-Code=oauth2.application.suspended", "error oauth2.application.suspended 403"},
		},
		"date and time become one time only when they are a date and a time": {
			{"#Fields: date time sc-status", "", "none"},
			{"2026-11-24 03:12:55.123 401", "time=2026-11-24T03:12:55.123Z sc-status=401", "none"},
			{"24/11/2026 03:12:55 401", "date=24/11/2026 time=03:12:55 sc-status=401", "none"},
			{"2026-11-24 3:12:55 401", "date=2026-11-24 time=3:12:55 sc-status=401", "none"},
			{"2026-11-24 03:12:55. 401", "date=2026-11-24 time=03:12:55. sc-status=401", "none"},
			{"#Fields: time date sc-status", "", "none"},
			{"03:12:55 2026-11-24 401", "time=03:12:55 date=2026-11-24 sc-status=401", "none"},
		},
		"a line of another field count is read as it is": {
			{"#Fields: time sc-status X-Error-Code", "", "none"},
			{"03:13:00 403", "", "none"},
			{"03:13:00 403 oauth2.application.suspended extra", "", "none"},
			{`2026-11-24 03:13:01 ERROR client: {"code":401,"error_code":"oauth2.token.expired"}`, "", "error oauth2.token.expired 401"},
			{"", "", "none"},
		},
		"CloudFront: tab-separated values": {
			{"#Version: 1.0", "", "none"},
			{cfFields, "", "none"},
			{"2026-11-24\t10:00:01\tNRT57-P1\t512\t203.0.113.9\tPOST\td1.cloudfront.net\t/gate/lab/api/secondme/chat/stream\t502\t-\tokhttp/4.12.0\t-",
				"time=2026-11-24T10:00:01Z x-edge-location=NRT57-P1 sc-bytes=512 c-ip=203.0.113.9 cs-method=POST cs(Host)=d1.cloudfront.net cs-uri-stem=/gate/lab/api/secondme/chat/stream sc-status=502 cs(Referer)=- cs(User-Agent)=okhttp/4.12.0 cs-uri-query=-",
				"response 502"},
			// A value holding a blank or a quote is quoted.
			{"2026-11-24\t10:00:02\tNRT57-P1\t512\t203.0.113.9\tGET\td1.cloudfront.net\t/x\t200\t-\tcurl \"8\"\\x\t-",
				`time=2026-11-24T10:00:02Z x-edge-location=NRT57-P1 sc-bytes=512 c-ip=203.0.113.9 cs-method=GET cs(Host)=d1.cloudfront.net cs-uri-stem=/x sc-status=200 cs(Referer)=- cs(User-Agent)="curl \"8\"\\x" cs-uri-query=-`,
				"response 200"},
		},
	}
	p := New(nil)
	for name, steps := range cases {
		t.Run(name, func(t *testing.T) {
			var w W3C
			for i, s := range steps {
				got := string(w.Record([]byte(s.line)))
				want := s.record
				if want == "" {
					want = s.line
				}
				if got != want {
					t.Errorf("step %d: Record(%q)\n got %q\nwant %q", i, s.line, got, want)
				}
				if r := heldOutResult(p.Parse([]byte(got))); r != s.want {
					t.Errorf("step %d: %q parses as %s, want %s", i, got, r, s.want)
				}
			}
		})
	}
}

func TestW3CReset(t *testing.T) {
	var w W3C
	w.Record([]byte("#Fields: time sc-status"))
	if !w.Fields() {
		t.Fatal("no fields after a #Fields directive")
	}
	if got := string(w.Record([]byte("03:13:00 401"))); got != "time=03:13:00 sc-status=401" {
		t.Fatalf("got %q", got)
	}
	w.Reset()
	if w.Fields() {
		t.Fatal("fields after Reset")
	}
	if got := string(w.Record([]byte("03:13:00 401"))); got != "03:13:00 401" {
		t.Fatalf("after Reset: got %q", got)
	}
	w.Record([]byte("#Fields:"))
	if w.Fields() {
		t.Fatal("an empty #Fields directive names fields")
	}
}

// TestW3CAllocations: a data line costs no allocation once the buffer has
// grown, and a file without a directive none at all.
func TestW3CAllocations(t *testing.T) {
	var w W3C
	plain := []byte(`2026-11-24 03:13:01 ERROR client: {"code":401}`)
	if n := testing.AllocsPerRun(100, func() { w.Record(plain) }); n != 0 {
		t.Errorf("%v allocations per line without a directive", n)
	}
	iis := []byte("2026-11-24 03:12:55 10.0.4.12 POST " + strings.Repeat("/x", 100) + " - 443 - 10.0.0.5 - - 401 0 0 3 oauth2.token.expired")
	w.Record(iis)
	if n := testing.AllocsPerRun(100, func() { w.Record(iis) }); n != 0 {
		t.Errorf("%v allocations per IIS line without a directive", n)
	}
	w.Record([]byte("#Fields: date time cs-method cs-uri-stem sc-status X-Error-Code"))
	line := []byte("2026-11-24 03:12:55 POST " + strings.Repeat("/x", 100) + " 401 oauth2.token.expired")
	if n := testing.AllocsPerRun(100, func() { w.Record(line) }); n != 0 {
		t.Errorf("%v allocations per data line", n)
	}
}

// FuzzW3C checks that Record never panics and that a data line it names
// reads back as the line's values under the directive's names, in order.
func FuzzW3C(f *testing.F) {
	f.Add("#Fields: date time sc-status X-Error-Code\n2026-11-24 03:12:55 401 oauth2.token.expired\n03:12 401\n#Fields: a b\n1\t2 \"3\\\n\r\n")
	f.Add("#Fields:\n#Fields: a\n x \n#Version: 1.0\n\t\t")
	f.Add("2026-11-24 03:12:55 10.0.4.12 POST /x?a=1 - 443 - 10.0.0.5 - - 401 0 0 3 oauth2.token.expired\r\n2026-11-24 02:41:00 127.0.0.1 53122 127.0.0.1 8765 HTTP/1.1 GET /callback?code=9c1f - 400 - BadRequest -")
	f.Fuzz(func(t *testing.T, in string) {
		var w W3C
		var names []string
		for _, l := range strings.Split(in, "\n") {
			got := string(w.Record([]byte(l)))
			if strings.HasPrefix(l, "#Fields:") {
				names = strings.Fields(l[len("#Fields:"):])
			}
			if got == l {
				continue
			}
			if l == "" || l[0] == '#' {
				t.Fatalf("%q rewritten to %q", l, got)
			}
			if len(names) == 0 {
				checkPositional(t, l, got)
				continue
			}
			data := strings.TrimSuffix(l, "\r")
			var values []string
			if strings.Contains(data, "\t") {
				values = strings.Split(data, "\t")
			} else {
				for _, v := range strings.Split(data, " ") {
					if v != "" {
						values = append(values, v)
					}
				}
			}
			if back := readNamed(t, got, names); strings.Join(back, "\x00") != strings.Join(values, "\x00") {
				t.Fatalf("%q rewritten to %q: values %q, want %q", l, got, back, values)
			}
		}
	})
}

// readNamed reads Record's name=value pairs back, checking the names.
func readNamed(t *testing.T, s string, names []string) []string {
	var values []string
	for i := 0; i < len(names); i++ {
		name := names[i]
		if i > 0 {
			if !strings.HasPrefix(s, " ") {
				t.Fatalf("no blank before %s in %q", name, s)
			}
			s = s[1:]
		}
		if name == "date" && i+1 < len(names) && names[i+1] == "time" && strings.HasPrefix(s, "time=") {
			// date and time written as one RFC 3339 time.
			s = s[len("time="):]
			end := strings.IndexByte(s, ' ')
			if end < 0 {
				end = len(s)
			}
			date, clock, ok := strings.Cut(strings.TrimSuffix(s[:end], "Z"), "T")
			if !ok || !strings.HasSuffix(s[:end], "Z") {
				t.Fatalf("a date and a time as %q", s[:end])
			}
			values = append(values, date, clock)
			s, i = s[end:], i+1
			continue
		}
		if !strings.HasPrefix(s, name+"=") {
			t.Fatalf("want %s= at %q", name, s)
		}
		s = s[len(name)+1:]
		var v strings.Builder
		if strings.HasPrefix(s, `"`) {
			j := 1
			for ; j < len(s) && s[j] != '"'; j++ {
				if s[j] == '\\' {
					j++
				}
				v.WriteByte(s[j])
			}
			s = s[j+1:]
		} else {
			j := strings.IndexByte(s, ' ')
			if j < 0 {
				j = len(s)
			}
			v.WriteString(s[:j])
			s = s[j:]
		}
		values = append(values, v.String())
	}
	if s != "" {
		t.Fatalf("left over: %q", s)
	}
	return values
}

// checkPositional checks a line read without a directive (W3C.positional):
// its date and time, then a method, a path, a status and an error code that
// are fields of the line (the path up to a query).
func checkPositional(t *testing.T, line, got string) {
	t.Helper()
	data := strings.TrimSuffix(line, "\r")
	fields := map[string]bool{}
	for _, f := range strings.Split(data, " ") {
		fields[f] = true
		if path, _, ok := strings.Cut(f, "?"); ok {
			fields[path] = true
		}
	}
	if len(data) < 19 || !strings.HasPrefix(got, "time="+data[:10]+"T"+data[11:19]+"Z cs-method=") {
		t.Fatalf("%q rewritten to %q without a directive", line, got)
	}
	var names []string
	for _, pair := range strings.Split(got, " ")[1:] {
		name, value, _ := strings.Cut(pair, "=")
		names = append(names, name)
		if strings.HasPrefix(value, `"`) { // a backslash in the path: quoted, escaped
			value = strings.NewReplacer(`\\`, `\`, `\"`, `"`).Replace(value[1 : len(value)-1])
		}
		if !fields[value] {
			t.Fatalf("%q rewritten to %q: %s=%s is no field of the line", line, got, name, value)
		}
	}
	if n := strings.Join(names, " "); n != "cs-method cs-uri-stem sc-status" && n != "cs-method cs-uri-stem sc-status X-Error-Code" {
		t.Fatalf("%q rewritten to %q: fields %s", line, got, n)
	}
}

// BenchmarkW3CRecord: what W3C adds to every line the exporter reads, on the
// committed corpus (no directive: most lines are given up at their first
// byte, a line starting with a date and a time within its first fields).
func BenchmarkW3CRecord(b *testing.B) {
	c := loadBenchCorpus(b)
	var w W3C
	benchLines(b, c.all, func(lines [][]byte) {
		for _, l := range lines {
			w3cSink = w.Record(l)
		}
	})
}

var w3cSink []byte
