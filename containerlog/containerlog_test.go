package containerlog

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/secondme/secondme_error_exporter/parser"
)

type got struct {
	content string
	start   int64
}

// feed adds lines (offsets counted as a file would hold them) and returns
// what was emitted, Flush included if flush.
func feed(d *Decoder, lines []string, flush bool) []got {
	var out []got
	emit := func(c []byte, s int64) { out = append(out, got{string(c), s}) }
	off := int64(0)
	for _, l := range lines {
		d.Add([]byte(l), off, emit)
		off += int64(len(l)) + 1
	}
	if flush {
		d.Flush(emit)
	}
	return out
}

func TestCRI(t *testing.T) {
	ts := "2026-11-24T10:00:00.123456789Z"
	lines := []string{
		ts + ` stdout F {"code":401,"error_code":"oauth2.token.expired"}`, // 0
		ts + ` stderr P {"code":500,`,                                     // 88
		ts + ` stdout P data: {"code":403,`,
		ts + ` stderr F "error_code":"secondme.stream.error"}`,
		ts + ` stdout F:x "error_code":"oauth2.scope.insufficient"}`,
		ts + ` stdout F`,
		"not a CRI line",
		"2026-11-24T10:00:00+08:00 stdout F offset time",
	}
	d := NewDecoder(CRI, 1<<20)
	out := feed(d, lines, false)
	off := func(i int) int64 {
		n := 0
		for _, l := range lines[:i] {
			n += len(l) + 1
		}
		return int64(n)
	}
	want := []got{
		{`{"code":401,"error_code":"oauth2.token.expired"}`, 0},
		{`{"code":500,"error_code":"secondme.stream.error"}`, off(1)},
		{`data: {"code":403,"error_code":"oauth2.scope.insufficient"}`, off(2)},
		{``, off(5)},
		{"not a CRI line", off(6)},
		{"offset time", off(7)},
	}
	if fmt.Sprint(out) != fmt.Sprint(want) {
		t.Fatalf("got\n%v\nwant\n%v", out, want)
	}
	if d.Mismatched() != 1 || d.Pending() || d.PendingStart() != -1 {
		t.Fatalf("mismatched %d pending %v %d", d.Mismatched(), d.Pending(), d.PendingStart())
	}
}

func TestCRIBadPrefixes(t *testing.T) {
	for _, l := range []string{
		"2026-11-24 10:00:00.123 stdout F text", // a space in the time
		"2026-11-24T10:00:00.123Z stdin F text",
		"2026-11-24T10:00:00.123Z stdout X text",
		"2026-11-24T10:00:00.123Z stdout FX text",
		"2026-11-24T10:00:00.123Z stdout ",
		"2026-11-2xT10:00:00.123Z stdout F text",
		"short stdout F text",
		"",
	} {
		if _, _, _, ok := cri([]byte(l)); ok {
			t.Errorf("%q read as CRI", l)
		}
	}
}

func TestPendingAndFlush(t *testing.T) {
	ts := "2026-11-24T10:00:00Z"
	d := NewDecoder(CRI, 1<<20)
	lines := []string{ts + " stdout P a", ts + " stderr P b", ts + " stdout P c"}
	if out := feed(d, lines, false); len(out) != 0 {
		t.Fatalf("emitted %v", out)
	}
	if !d.Pending() || d.PendingStart() != 0 {
		t.Fatalf("pending %v start %d", d.Pending(), d.PendingStart())
	}
	var out []got
	d.Flush(func(c []byte, s int64) { out = append(out, got{string(c), s}) })
	want := []got{{"ac", 0}, {"b", int64(len(lines[0]) + 1)}}
	if fmt.Sprint(out) != fmt.Sprint(want) || d.Pending() {
		t.Fatalf("flush: %v, want %v", out, want)
	}
	// Reset drops what is held.
	feed(d, lines[:1], false)
	d.Reset()
	if d.Pending() || d.PendingStart() != -1 {
		t.Fatal("Reset kept pieces")
	}
}

func TestOverflow(t *testing.T) {
	ts := "2026-11-24T10:00:00Z"
	for _, c := range []struct {
		name  string
		lines []string
	}{
		{"a middle piece", []string{ts + " stdout P 0123456789", ts + " stdout P 0123456789", ts + " stdout F end", ts + " stdout F next"}},
		{"the last piece", []string{ts + " stdout P 0123456789", ts + " stdout F 0123456789xx", ts + " stdout F next"}},
	} {
		d := NewDecoder(CRI, 16)
		overflows := 0
		d.OnOverflow = func() { overflows++ }
		out := feed(d, c.lines, true)
		if overflows != 1 || len(out) != 1 || out[0].content != "next" || d.Pending() {
			t.Errorf("%s: overflows %d, out %v", c.name, overflows, out)
		}
	}
}

func TestDocker(t *testing.T) {
	enc := func(log, stream string) string {
		b, err := json.Marshal(struct {
			Log    string `json:"log"`
			Stream string `json:"stream"`
			Time   string `json:"time"`
		}{log, stream, "2026-11-24T10:00:00.123456789Z"})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	body := `{"code":401,"message":"令牌已过期 <&>","error_code":"oauth2.token.expired"} 😀` + "\t"
	lines := []string{
		enc(body+"\n", "stdout"),
		enc(body[:10], "stderr"),
		enc(body[:15], "stdout"),
		enc(body[10:]+"\r\n", "stderr"),
		enc(body[15:]+"\n", "stdout"),
		`{"log":"x\n","stream":"stdout","attrs":{"tag":"app"},"time":"2026-11-24T10:00:00Z"}`,
		`{"log":"broken`,
		`{"level":"info"}`,
		`{"log":"\u00e9\ud83d\ude00\uZZZZ\\\/\"\n","stream":"stdout","time":"t"}`,
	}
	d := NewDecoder(Docker, 1<<20)
	var contents []string
	for _, g := range feed(d, lines, false) {
		contents = append(contents, g.content)
	}
	want := []string{body, body, body, "x", `{"log":"broken`, `{"level":"info"}`, "é😀\\uZZZZ\\/\""}
	if fmt.Sprintf("%q", contents) != fmt.Sprintf("%q", want) {
		t.Fatalf("got\n%q\nwant\n%q", contents, want)
	}
	if d.Mismatched() != 2 {
		t.Fatalf("mismatched %d", d.Mismatched())
	}
}

func TestRaw(t *testing.T) {
	d := NewDecoder(Raw, 10)
	out := feed(d, []string{"2026-11-24T10:00:00Z stdout P a", `{"log":"a"}`}, true)
	if len(out) != 2 || out[0].content != "2026-11-24T10:00:00Z stdout P a" {
		t.Fatalf("raw changed lines: %v", out)
	}
}

func TestParseFormat(t *testing.T) {
	for _, n := range Formats() {
		f, err := ParseFormat(n)
		if err != nil || f.String() != n {
			t.Errorf("%q: %v %v", n, f, err)
		}
	}
	if f, err := ParseFormat(""); err != nil || f != Raw {
		t.Errorf(`"": %v %v`, f, err)
	}
	if _, err := ParseFormat("json-file"); err == nil || !strings.Contains(err.Error(), "raw, cri or docker") {
		t.Errorf("json-file: %v", err)
	}
}

// FuzzDecoder: lines split into random pieces come back whole, and no input
// panics or emits more than the bound.
func FuzzDecoder(f *testing.F) {
	f.Add([]byte(`{"code":401,"error_code":"oauth2.token.expired"}`), uint8(7), false)
	f.Add([]byte("a\\\"b\n\x00\xff"), uint8(1), true)
	f.Add([]byte(`2026-11-24T10:00:00.1Z stdout P {"log":"\u00e9\n","stream":"stderr"}`), uint8(3), false)
	f.Add([]byte(`{"log":"x\n","stream":"stdout","time":"2026-11-24T10:00:00Z"}`+"\r"), uint8(15), true)
	f.Fuzz(func(t *testing.T, data []byte, cut uint8, docker bool) {
		format := CRI
		if docker {
			format = Docker
		}
		line := strings.ReplaceAll(string(data), "\n", " ")
		step := int(cut%16) + 1
		var lines []string
		want := ""
		if !docker {
			want = line
		}
		for i := 0; i < len(line) || i == 0; i += step {
			piece, last := line[i:min(i+step, len(line))], i+step >= len(line)
			if docker {
				if last {
					piece += "\n"
				}
				b, _ := json.Marshal(map[string]string{"log": piece, "stream": "stdout"})
				lines = append(lines, string(b))
				var back map[string]string
				_ = json.Unmarshal(b, &back)
				want += strings.TrimSuffix(back["log"], "\n") // invalid UTF-8 comes back as U+FFFD
			} else {
				tag := "P"
				if last {
					tag = "F"
				}
				lines = append(lines, "2026-11-24T10:00:00.5Z stdout "+tag+" "+piece)
			}
		}
		if docker {
			want = strings.TrimSuffix(want, "\r") // a CRLF line end is a line end
		}
		d := NewDecoder(format, 1<<20)
		out := feed(d, lines, true)
		if len(out) != 1 || out[0].content != want || out[0].start != 0 {
			t.Fatalf("lines %q gave %v, want %q", lines, out, want)
		}
		// Any bytes as a line: no panic, nothing longer than the bound.
		small := NewDecoder(format, 8)
		in := []string{string(data), "2026-11-24T10:00:00Z stdout P " + string(data), `{"log":"` + string(data) + `","stream":"stderr"}`, string(data)}
		longest := 0
		for _, l := range in {
			longest = max(longest, len(l))
		}
		for _, g := range feed(small, in, true) {
			// Joined pieces stay within the bound; a line read whole is no
			// longer than the file's line.
			if len(g.content) > max(8, longest) {
				t.Fatalf("emitted %d bytes past the bound: %q", len(g.content), g.content)
			}
		}
	})
}

// TestHeldOutCRIFile: the held-out corpus' only CRI file, whose access line
// containerd split in two pieces, reads as its writer expected once
// unwrapped (read raw, it is an exception of the parser's held-out test).
func TestHeldOutCRIFile(t *testing.T) {
	data, err := os.ReadFile("../parser/testdata/heldout/records/gateway_8.log")
	if err != nil {
		t.Fatal(err)
	}
	d := NewDecoder(CRI, 1<<20)
	p := parser.New(nil)
	var got []string
	emit := func(c []byte, _ int64) {
		if e := p.Parse(c); e.Kind != parser.None {
			got = append(got, fmt.Sprintf("%v %s %d", e.Kind, e.ErrorCode, e.Code))
		}
	}
	for _, l := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if !d.Add([]byte(l), 0, emit) {
			t.Errorf("not a CRI line: %q", l)
		}
	}
	d.Flush(emit)
	if want := []string{"error oauth2.refresh_token.expired 401"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// TestSkip: a piece too long to be read drops its line, counted once.
func TestSkip(t *testing.T) {
	ts := "2026-11-24T10:00:00Z"
	d := NewDecoder(CRI, 1<<20)
	var out []string
	emit := func(c []byte, _ int64) { out = append(out, string(c)) }
	d.Add([]byte(ts+" stdout P held"), 0, emit)
	counts := []bool{
		d.Skip([]byte(ts + " stdout P xxxx")), // the line is dropped: count it
		d.Skip([]byte(ts + " stdout P xxxx")), // a further piece: counted already
	}
	d.Add([]byte(ts+" stderr F other stream"), 0, emit)
	d.Add([]byte(ts+" stdout P yyyy"), 0, emit) // the rest of the dropped line
	d.Add([]byte(ts+" stdout F zzzz"), 0, emit)
	d.Add([]byte(ts+" stdout F next"), 0, emit)
	d.Add([]byte(ts+" stdout P held again"), 0, emit)
	counts = append(counts,
		d.Skip([]byte(ts+" stdout F xxxx")), // its last piece: the held line is dropped
		d.Skip([]byte("no CRI prefix")),
	)
	d.Add([]byte(ts+" stdout F last"), 0, emit)
	if fmt.Sprint(counts) != "[true false true true]" || fmt.Sprint(out) != "[other stream next last]" || d.Pending() {
		t.Fatalf("counts %v, out %q", counts, out)
	}
	if !NewDecoder(Docker, 1<<20).Skip([]byte(`{"log":"xxx`)) {
		t.Fatal("a Docker line is counted by its caller")
	}
}
