package analyze

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/secondme/secondme_error_exporter/analyze/internal/corpusgen"
	"github.com/secondme/secondme_error_exporter/containerlog"
)

func scanBytes(t testing.TB, b []byte, opts Options) *Result {
	t.Helper()
	res, err := Scan(context.Background(), []Input{ReaderInput("mem", bytes.NewReader(b))}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestScanIncidentMatchesTruth(t *testing.T) {
	var buf bytes.Buffer
	truth, err := corpusgen.Incident(&buf, corpusgen.FullIncident)
	if err != nil {
		t.Fatal(err)
	}
	res := scanBytes(t, buf.Bytes(), DefaultOptions())
	doc, err := res.Summarize(DefaultSummaryOptions())
	if err != nil {
		t.Fatal(err)
	}
	for code, n := range truth.Errors {
		if doc.ByErrorCode[code] != n {
			t.Errorf("%s: got %d, want %d", code, doc.ByErrorCode[code], n)
		}
	}
	if len(doc.ByErrorCode) != len(truth.Errors) {
		t.Errorf("codes: got %v, want %v", doc.ByErrorCode, truth.Errors)
	}
	if doc.MalformedByReason["bad_error_code"] != 1 || doc.MalformedByReason["truncated_json"] != 1 {
		t.Errorf("malformed = %v, want one bad_error_code and one truncated_json", doc.MalformedByReason)
	}
}

func TestScanTruthCountsAllKinds(t *testing.T) {
	var buf bytes.Buffer
	truth, err := corpusgen.Incident(&buf, corpusgen.IncidentOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res := scanBytes(t, buf.Bytes(), DefaultOptions())
	doc, err := res.Summarize(DefaultSummaryOptions())
	if err != nil {
		t.Fatal(err)
	}
	if doc.Envelopes.Successes != truth.Successes || doc.Envelopes.GatewayResponses != truth.Gateway ||
		doc.Envelopes.Errors != truth.TotalErrors() || doc.Envelopes.Malformed != 0 {
		t.Errorf("envelopes = %+v, truth = %+v", doc.Envelopes, truth)
	}
	if len(doc.UnknownCodes) != 0 || len(doc.StatusMismatches) != 0 {
		t.Errorf("quiet log has unknown codes %v or mismatches %v", doc.UnknownCodes, doc.StatusMismatches)
	}
}

// Time inheritance: a record without a time takes the previous one's; the
// records before the first time take the first one; an input without any
// time is untimed. Inheritance does not cross inputs.
func TestScanTimeInheritance(t *testing.T) {
	first := "data: " + `{"code":401,"message":"x","error_code":"oauth2.token.expired"}`
	timed := `2026-11-24T10:00:30Z ERROR {"code":403,"error_code":"apikey.permission.denied"}`
	later := "data: " + `{"code":500,"error_code":"internal.error"}`
	next := `[24/Nov/2026:10:02:00 +0000] "GET /x HTTP/1.1" 502 12`
	a := strings.Join([]string{first, "plain noise", timed, later, next}, "\n") + "\n"
	b := later + "\n" + later + "\n"
	opts := DefaultOptions()
	res, err := Scan(context.Background(), []Input{
		ReaderInput("a", strings.NewReader(a)), ReaderInput("b", strings.NewReader(b)),
	}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Inherited != 2 || res.Untimed != 2 {
		t.Errorf("inherited %d (want 2: before and after the timed record), untimed %d (want 2: input b)",
			res.Inherited, res.Untimed)
	}
	if res.Shapes["leading"] != 1 || res.Shapes["access_log"] != 1 {
		t.Errorf("shapes = %v", res.Shapes)
	}
	want := time.Date(2026, 11, 24, 10, 0, 30, 0, time.UTC)
	for _, ks := range res.Keys {
		switch ks.ErrorCode {
		case "oauth2.token.expired", "apikey.permission.denied":
			if !ks.First.Equal(want) || !ks.Last.Equal(want) {
				t.Errorf("%s placed at %s..%s, want %s", ks.ErrorCode, ks.First, ks.Last, want)
			}
		case "internal.error":
			if ks.Count != 3 || !ks.First.Equal(want) || !ks.Last.Equal(want) {
				t.Errorf("internal.error: %d at %s..%s, want 3 (1 timed at %s, 2 untimed)", ks.Count, ks.First, ks.Last, want)
			}
		}
	}
	if !res.First.Equal(want) || !res.Last.Equal(time.Date(2026, 11, 24, 10, 2, 0, 0, time.UTC)) {
		t.Errorf("range %s..%s", res.First, res.Last)
	}
	if res.Records != 7 || res.Inputs[0].Records != 5 || res.Inputs[1].Records != 2 {
		t.Errorf("records = %d (%+v)", res.Records, res.Inputs)
	}
}

// An envelope without a time takes the time of the nearest record before it
// that has one, envelope or not: a pretty-printed body takes its log line's,
// joined or not, also when the two fall in different batches; past
// maxLookBack records, the last time found.
func TestScanTimeLookBack(t *testing.T) {
	at := func(m, s int) time.Time { return time.Date(2026, 11, 24, 10, m, s, 0, time.UTC) }
	body := []string{"{", `  "code": 401,`, `  "error_code": "oauth2.token.expired"`, "}"}
	noise := func(n int) []string {
		l := make([]string, n)
		for i := range l {
			l[i] = "worker idle"
		}
		return l
	}
	var lines []string
	add := func(l ...string) { lines = append(lines, l...) }
	add(`2026-11-24T10:00:00Z ERROR {"code":403,"error_code":"apikey.permission.denied"}`)
	add(noise(10)...)
	add("2026-11-24 10:05:00,000 ERROR client: API error response:")
	add(body...) // 10:05:00, not the previous envelope's 10:00:00
	// The log line is the last record of the first batch, the body in the next.
	add(noise(batchRecords - len(lines) - 1)...)
	add("2026-11-24 10:07:00,000 ERROR client: API error response:")
	add(strings.ReplaceAll(strings.Join(body, ""), "token.expired", "token.invalid"))
	// Beyond the look-back: the last time found (10:07:00).
	add("2026-11-24 10:09:00,000 ERROR client: API error response:")
	add(noise(maxLookBack)...)
	add(`data: {"code":500,"error_code":"internal.error"}`)
	in := strings.Join(lines, "\n") + "\n"
	for _, multi := range []bool{false, true} {
		opts := DefaultOptions()
		opts.Multiline = multi
		// One byte per read: a batch is handed on as soon as it holds
		// batchRecords records, so the 10:07 line ends the first.
		res, err := Scan(context.Background(), []Input{
			ReaderInput("a", iotest.OneByteReader(strings.NewReader(in))),
		}, opts)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]time.Time{
			"apikey.permission.denied": at(0, 0), "oauth2.token.expired": at(5, 0),
			"oauth2.token.invalid": at(7, 0), "internal.error": at(7, 0),
		}
		for _, ks := range res.Keys {
			if w, ok := want[ks.ErrorCode]; !ok || ks.Count != 1 || !ks.First.Equal(w) {
				t.Errorf("multiline %v: %s x%d at %s, want once at %s", multi, ks.ErrorCode, ks.Count, ks.First, w)
			}
			delete(want, ks.ErrorCode)
		}
		// Joined, the 10:05 log line and its body are one record, with a time of its own.
		inherited := int64(3)
		if multi {
			inherited = 2
		}
		if len(want) != 0 || res.Inherited != inherited || res.Untimed != 0 {
			t.Errorf("multiline %v: missing %v; inherited %d (want %d), untimed %d", multi, want, res.Inherited, inherited, res.Untimed)
		}
	}
}

// Lines longer than the read buffer are reassembled; lines longer than the
// record limit are skipped once and counted, wherever they fall relative to
// the buffer; CRLF is stripped.
func TestScanLongLines(t *testing.T) {
	env := `2026-11-24T10:00:00Z {"code":401,"error_code":"oauth2.token.expired"}`
	long := env + " " + strings.Repeat("y", 3*readBufferSize) // within a 4 MiB limit
	huge := strings.Repeat("z", 5<<20)                        // beyond it
	in := strings.Join([]string{env + "\r", long, huge, env, huge}, "\n") + "\n"
	opts := DefaultOptions()
	opts.MaxRecordBytes = 4 << 20
	res := scanBytes(t, []byte(in), opts)
	doc, err := res.Summarize(DefaultSummaryOptions())
	if err != nil {
		t.Fatal(err)
	}
	if doc.ByErrorCode["oauth2.token.expired"] != 3 || res.Oversized != 2 || res.Records != 5 {
		t.Errorf("errors %v, oversized %d (want 2), records %d (want 5)", doc.ByErrorCode, res.Oversized, res.Records)
	}
	if doc.MalformedByReason["oversized"] != 2 {
		t.Errorf("malformed = %v", doc.MalformedByReason)
	}
	wantBytes := int64(3*len(env) + len(long) - len(env))
	if res.Bytes != wantBytes {
		t.Errorf("bytes = %d, want %d (CR stripped, oversized not counted)", res.Bytes, wantBytes)
	}
}

func TestScanHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	big := bytes.Repeat([]byte("noise line\n"), 2*readBufferSize/11)
	_, err := Scan(ctx, []Input{ReaderInput("big", bytes.NewReader(big))}, DefaultOptions())
	if err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Errorf("err = %v, want context canceled", err)
	}
}

func TestOptionsValidation(t *testing.T) {
	cases := map[string]func(o *Options){
		"empty source":         func(o *Options) { o.Source = "" },
		"negative unknown":     func(o *Options) { o.MaxUnknownCodes = -1 },
		"tiny record":          func(o *Options) { o.MaxRecordBytes = 10 },
		"one-line multiline":   func(o *Options) { o.MultilineMaxLines = 1 },
		"sub-second buckets":   func(o *Options) { o.Resolution = 500 * time.Millisecond },
		"docker, small record": func(o *Options) { o.Format, o.MaxRecordBytes = containerlog.Docker, 64<<10 },
	}
	for name, mod := range cases {
		t.Run(name, func(t *testing.T) {
			o := DefaultOptions()
			mod(&o)
			if _, err := Scan(context.Background(), nil, o); err == nil {
				t.Error("want an error")
			}
		})
	}
}

// Replay reproduces the counters at each virtual scrape: what was logged
// before the scrape time, nothing after.
func TestReplayCounters(t *testing.T) {
	in := strings.Join([]string{
		`2026-11-24T10:00:05Z {"code":401,"error_code":"oauth2.token.expired"}`,
		`2026-11-24T10:00:20Z {"code":401,"error_code":"oauth2.token.expired"}`,
		`2026-11-24T10:00:29Z {"code":429,"error_code":"secondme.quota.exceeded"}`,
		`noise`,
		`2026-11-24T10:01:10Z {"code":0,"message":"success","data":{}}`,
	}, "\n") + "\n"
	res := scanBytes(t, []byte(in), DefaultOptions())
	start, end := res.ReplayRange(15 * time.Second)
	if !start.Equal(time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)) || !end.Equal(time.Date(2026, 11, 24, 10, 1, 15, 0, time.UTC)) {
		t.Fatalf("range %s..%s", start, end)
	}
	type point struct{ expired, unknown, success, lines float64 }
	want := map[string]point{
		"10:00:00": {0, 0, 0, 0},
		"10:00:15": {1, 0, 0, 1},
		"10:00:30": {2, 1, 0, 4}, // the noise line goes with the envelope before it
		"10:01:00": {2, 1, 0, 4},
		"10:01:15": {2, 1, 1, 5},
	}
	var seen int
	err := res.Replay(context.Background(), start, end, 15*time.Second, func(ts time.Time, fams []*dto.MetricFamily) error {
		w, ok := want[ts.Format("15:04:05")]
		if !ok {
			return nil
		}
		seen++
		got := point{
			expired: value(fams, "secondme_api_errors_total", "error_code", "oauth2.token.expired"),
			unknown: value(fams, "secondme_exporter_unknown_error_codes_total", "", ""),
			success: value(fams, "secondme_api_responses_total", "status_class", "2xx"),
			lines:   value(fams, "secondme_exporter_lines_total", "", ""),
		}
		if got != w {
			t.Errorf("at %s: %+v, want %+v", ts.Format("15:04:05"), got, w)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen != len(want) {
		t.Errorf("saw %d of the %d checked scrapes", seen, len(want))
	}
	if err := res.Replay(context.Background(), start, end, 10*time.Second, nil); err == nil {
		t.Error("an interval that is not a multiple of the resolution must be refused")
	}
}

// value sums the samples of family whose label equals val ("" matches all).
func value(fams []*dto.MetricFamily, family, label, val string) float64 {
	var v float64
	for _, f := range fams {
		if f.GetName() != family {
			continue
		}
		for _, m := range f.Metric {
			match := label == ""
			for _, lp := range m.Label {
				if lp.GetName() == label && lp.GetValue() == val {
					match = true
				}
			}
			if match {
				v += m.GetCounter().GetValue()
			}
		}
	}
	return v
}

// TestScanW3C: an IIS log's data lines are read under its "#Fields:"
// directive, as the exporter reads them, their date and time as the
// records' time; a second input starts without the first one's directive.
func TestScanW3C(t *testing.T) {
	iis := "#Software: Microsoft Internet Information Services 10.0\r\n" +
		"#Fields: date time cs-method cs-uri-stem sc-status time-taken X-Error-Code\r\n" +
		"2026-11-24 03:12:55 POST /gate/lab/api/secondme/chat/stream 401 212 oauth2.token.expired\r\n" +
		"2026-11-24 03:12:56 GET /healthz 200 1 -\r\n" +
		"2026-11-24 03:14:02 POST /gate/lab/api/oauth/token/refresh 401 44 oauth2.refresh_token.invalid\r\n"
	other := "2026-11-24 03:15:00 POST /x 401 1 oauth2.token.expired\n"
	for _, multiline := range []bool{false, true} {
		opts := DefaultOptions()
		opts.Multiline = multiline
		res, err := Scan(context.Background(), []Input{
			ReaderInput("u_ex261124.log", strings.NewReader(iis)), ReaderInput("other", strings.NewReader(other)),
		}, opts)
		if err != nil {
			t.Fatal(err)
		}
		checkIISScan(t, fmt.Sprintf("multiline=%v", multiline), res, 1, 401)
	}
}

// checkIISScan checks the scan of an IIS log with two errors,
// oauth2.token.expired and oauth2.refresh_token.invalid (with status and at
// 03:14:02 on 2026-11-24), and responses gateway responses.
func checkIISScan(t *testing.T, what string, res *Result, responses int64, status int) {
	t.Helper()
	doc, err := res.Summarize(DefaultSummaryOptions())
	if err != nil {
		t.Fatal(err)
	}
	if doc.ByErrorCode["oauth2.token.expired"] != 1 || doc.ByErrorCode["oauth2.refresh_token.invalid"] != 1 ||
		doc.Envelopes.Errors != 2 || doc.Envelopes.GatewayResponses != responses {
		t.Errorf("%s: errors %v, envelopes %+v", what, doc.ByErrorCode, doc.Envelopes)
	}
	for _, ks := range res.Keys {
		if ks.ErrorCode == "oauth2.refresh_token.invalid" &&
			(ks.Code != status || !ks.First.Equal(time.Date(2026, 11, 24, 3, 14, 2, 0, time.UTC))) {
			t.Errorf("%s: %+v, want status %d at 03:14:02", what, ks, status)
		}
	}
}

// TestScanIISWithoutDirective: IIS lines whose "#Fields:" directive is not in
// the input (an excerpt, a file whose header went with an earlier one) are
// read by IIS's fixed field order, their date and time as the records' time;
// an HTTP.sys error log line likewise.
func TestScanIISWithoutDirective(t *testing.T) {
	excerpt := "2026-11-24 03:12:55 10.0.4.12 POST /gate/lab/api/secondme/chat/stream - 443 - 203.0.113.45 okhttp/4.12.0 - 401 0 0 212 oauth2.token.expired\r\n" +
		"2026-11-24 03:12:56 10.0.4.12 GET /gate/lab/api/secondme/session/list pageSize=20 443 - 203.0.113.45 okhttp/4.12.0 - 200 0 0 47 -\r\n" +
		"2026-11-24 03:14:02 10.0.4.12 POST /gate/lab/api/oauth/token/refresh - 443 - 203.0.113.45 okhttp/4.12.0 - 400 0 0 44 oauth2.refresh_token.invalid\r\n" +
		"2026-11-24 03:14:05 127.0.0.1 53122 10.0.4.12 443 HTTP/1.1 POST /gate/lab/api/secondme/chat/stream - 503 1 QueueFull DefaultAppPool\r\n"
	checkIISScan(t, "without a directive", scanBytes(t, []byte(excerpt), DefaultOptions()), 2, 400)
}
