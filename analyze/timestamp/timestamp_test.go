package timestamp

import (
	"testing"
	"time"
)

func TestExtract(t *testing.T) {
	utc := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v.UTC()
	}
	type testCase struct {
		record string
		want   string // RFC 3339 in UTC; "" means no time expected
		shape  Shape
	}
	cases := map[string]testCase{
		// Leading timestamps in text lines.
		"rfc3339 Z": {`2026-11-24T10:00:00Z INFO oauth2 {"code":401,"error_code":"oauth2.token.expired"}`,
			"2026-11-24T10:00:00Z", Leading},
		"rfc3339 millis and offset": {`2026-11-24T18:00:00.250+08:00 WARN refresh failed`,
			"2026-11-24T10:00:00.25Z", Leading},
		"rfc3339 nanos":        {`2026-11-24T10:00:00.123456789Z x`, "2026-11-24T10:00:00.123456789Z", Leading},
		"offset without colon": {`2026-11-24T05:00:00-0500 x`, "2026-11-24T10:00:00Z", Leading},
		"offset hours only":    {`2026-11-24T12:00:00+02 x`, "2026-11-24T10:00:00Z", Leading},
		"space separator no zone": {`2026-11-24 10:00:00 ERROR upstream said {"code":500}`,
			"2026-11-24T10:00:00Z", Leading},
		"python logging comma millis": {`2026-11-24 10:00:00,123 - secondme.client - ERROR - {"code": 401}`,
			"2026-11-24T10:00:00.123Z", Leading},
		"bracketed leading": {`[2026-11-24 10:00:01] production.ERROR: {"code":403}`,
			"2026-11-24T10:00:01Z", Leading},
		"leading blanks": {"  \t2026-11-24T10:00:02Z x", "2026-11-24T10:00:02Z", Leading},

		// JSON fields.
		"json time rfc3339": {`{"time":"2026-11-24T10:00:00Z","code":401,"error_code":"oauth2.token.expired"}`,
			"2026-11-24T10:00:00Z", JSONField},
		"json ts epoch seconds float": {`{"level":"error","ts":1795514400.5,"code":400}`,
			"2026-11-24T10:00:00.5Z", JSONField},
		"json ts epoch seconds int": {`{"ts": 1795514400, "code":400}`, "2026-11-24T10:00:00Z", JSONField},
		"json timestamp epoch millis": {`{"timestamp":1795514400123,"code":500}`,
			"2026-11-24T10:00:00.123Z", JSONField},
		"json epoch micros": {`{"ts":1795514400123456,"code":500}`, "2026-11-24T10:00:00.123456Z", JSONField},
		"json epoch nanos":  {`{"ts":1795514400123456789,"code":500}`, "2026-11-24T10:00:00.123456789Z", JSONField},
		"json quoted epoch": {`{"ts":"1795514400","code":500}`, "2026-11-24T10:00:00Z", JSONField},
		"json @timestamp": {`{"@timestamp":"2026-11-24T10:00:00.000Z","message":"x","code":401}`,
			"2026-11-24T10:00:00Z", JSONField},
		"json key with blanks": {`{"time" :  "2026-11-24T10:00:00+00:00"}`, "2026-11-24T10:00:00Z", JSONField},
		"json pretty multi-line": {"{\n  \"code\": 401,\n  \"timestamp\": \"2026-11-24T10:00:00Z\",\n  \"error_code\": \"oauth2.token.expired\"\n}",
			"2026-11-24T10:00:00Z", JSONField},
		"json earliest key wins": {`{"ts":"2026-11-24T10:00:00Z","data":{"time":"2020-01-01T00:00:00Z"}}`,
			"2026-11-24T10:00:00Z", JSONField},
		"json non-time value does not hide a later key": {`{"time":{"took_ms":5},"timestamp":"2026-11-24T10:00:00Z"}`,
			"2026-11-24T10:00:00Z", JSONField},
		"json key text as a value is ignored": {`{"msg":"ts","time":"2026-11-24T10:00:00Z"}`,
			"2026-11-24T10:00:00Z", JSONField},
		"json python-style time": {`{"time":"2026-11-24 10:00:00,500","code":401}`, "2026-11-24T10:00:00.5Z", JSONField},

		// logfmt fields.
		"logfmt ts rfc3339": {`level=error ts=2026-11-24T10:00:00.000Z caller=client.go:42 error_code=oauth2.token.expired`,
			"2026-11-24T10:00:00Z", LogfmtField},
		"logfmt quoted time": {`level=error time="2026-11-24 10:00:00" code=401`, "2026-11-24T10:00:00Z", LogfmtField},
		"logfmt epoch":       {`level=error ts=1795514400.25 code=401`, "2026-11-24T10:00:00.25Z", LogfmtField},
		"logfmt word boundary": {`runtime=5 starts=1795514400 ts=2026-11-24T10:00:00Z`,
			"2026-11-24T10:00:00Z", LogfmtField},

		// nginx / Apache access logs.
		"nginx combined": {`10.0.0.1 - - [24/Nov/2026:10:00:00 +0000] "POST /api/oauth/token HTTP/1.1" 401 97 "-" "curl/8"`,
			"2026-11-24T10:00:00Z", AccessLog},
		"nginx offset": {`10.0.0.1 - - [24/Nov/2026:18:00:00 +0800] "GET / HTTP/1.1" 200 1`,
			"2026-11-24T10:00:00Z", AccessLog},
		"nginx after other bracket": {`[info] 10.0.0.1 - - [24/Nov/2026:10:00:00 -0100] "GET /" 500 1`,
			"2026-11-24T11:00:00Z", AccessLog},

		// Nothing to find.
		"no time":              {`{"code":401,"message":"token expired","error_code":"oauth2.token.expired"}`, "", None},
		"small ts is not time": {`{"ts":42,"code":401}`, "", None},
		"ambiguous magnitude":  {`{"ts":500000000000,"code":401}`, "", None},
		"digits then letters":  {`{"ts":"1795514400abc"}`, "", None},
		"invalid date":         {`2026-02-30T10:00:00Z x`, "", None},
		"invalid month":        {`2026-13-01T10:00:00Z x`, "", None},
		"invalid hour":         {`2026-11-24T24:00:00Z x`, "", None},
		"truncated":            {`2026-11-24T10:00`, "", None},
		"bad clf month":        {`[24/Foo/2026:10:00:00 +0000] x`, "", None},
		"empty":                {``, "", None},
	}
	var ex Extractor
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, shape, ok := ex.Extract([]byte(tc.record))
			if tc.want == "" {
				if ok {
					t.Fatalf("Extract(%q) = %v (%v), want no time", tc.record, got, shape)
				}
				return
			}
			if !ok {
				t.Fatalf("Extract(%q) found no time, want %s", tc.record, tc.want)
			}
			if want := utc(tc.want); !got.Equal(want) {
				t.Errorf("Extract(%q) = %s, want %s", tc.record, got.Format(time.RFC3339Nano), want.Format(time.RFC3339Nano))
			}
			if shape != tc.shape {
				t.Errorf("shape = %v, want %v", shape, tc.shape)
			}
			if got.Location() != time.UTC {
				t.Errorf("location = %v, want UTC", got.Location())
			}
		})
	}
}

func TestExtractLocation(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	ex := Extractor{Location: shanghai}
	cases := map[string]string{
		// Zone-less times are read in the configured location...
		`2026-11-24 18:00:00,000 ERROR x`: "2026-11-24T10:00:00Z",
		// ...while explicit zones and epochs are not affected by it.
		`2026-11-24T10:00:00Z x`: "2026-11-24T10:00:00Z",
		`{"ts":1795514400}`:      "2026-11-24T10:00:00Z",
	}
	for rec, want := range cases {
		got, _, ok := ex.Extract([]byte(rec))
		if !ok || got.Format(time.RFC3339) != want {
			t.Errorf("Extract(%q) = %v, %v; want %s", rec, got, ok, want)
		}
	}
}

func TestShapeString(t *testing.T) {
	want := map[Shape]string{None: "none", Leading: "leading", JSONField: "json_field",
		LogfmtField: "logfmt_field", AccessLog: "access_log"}
	for s, name := range want {
		if s.String() != name {
			t.Errorf("%d.String() = %q, want %q", s, s.String(), name)
		}
	}
}

func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		`2026-11-24T10:00:00.123+08:00 x`, `{"ts":1795514400.5}`, `[24/Nov/2026:10:00:00 +0000]`,
		`ts=2026-11-24T10:00:00Z`, `{"time":"2026-11-24 10:00:00,5"}`, `2026-11-24T10:00:00+`,
	} {
		f.Add([]byte(s))
	}
	var ex Extractor
	f.Fuzz(func(t *testing.T, b []byte) {
		tm, shape, ok := ex.Extract(b)
		if ok != (shape != None) {
			t.Fatalf("ok=%v but shape=%v", ok, shape)
		}
		if ok && tm.Location() != time.UTC {
			t.Fatalf("non-UTC result %v", tm)
		}
	})
}

func BenchmarkExtract(b *testing.B) {
	recs := [][]byte{
		[]byte(`2026-11-24T10:00:00.123Z ERROR {"code":401,"error_code":"oauth2.token.expired"}`),
		[]byte(`{"level":"error","ts":1795514400.5,"code":401,"error_code":"oauth2.token.expired"}`),
		[]byte(`10.0.0.1 - - [24/Nov/2026:10:00:00 +0000] "POST /api/oauth/token HTTP/1.1" 401 97`),
	}
	var ex Extractor
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, _, ok := ex.Extract(recs[i%len(recs)]); !ok {
			b.Fatal("no time")
		}
	}
}
