package tailer

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const iisHeader = "#Software: Microsoft Internet Information Services 10.0\r\n" +
	"#Version: 1.0\r\n" +
	"#Date: 2026-11-24 00:00:01\r\n" +
	"#Fields: date time cs-method cs-uri-stem sc-status time-taken X-Error-Code\r\n"

// iisLines returns IIS data lines i in [from, to) and the records they become.
func iisLines(from, to int) (data string, records []string) {
	for i := from; i < to; i++ {
		data += fmt.Sprintf("2026-11-24 00:00:%02d POST /api/%d 401 %d oauth2.token.expired\r\n", i%60, i, i)
		records = append(records, fmt.Sprintf("time=2026-11-24T00:00:%02dZ cs-method=POST cs-uri-stem=/api/%d sc-status=401 time-taken=%d X-Error-Code=oauth2.token.expired", i%60, i, i))
	}
	return data, records
}

func iisDirectives() []string {
	return strings.Split(strings.TrimSuffix(strings.ReplaceAll(iisHeader, "\r\n", "\n"), "\n"), "\n")
}

// TestW3CFieldsNamed: the data lines of an IIS log come as their fields
// named, with and without the multi-line assembler; the directives as they are.
func TestW3CFieldsNamed(t *testing.T) {
	for _, multiline := range []bool{false, true} {
		t.Run(fmt.Sprint("multiline=", multiline), func(t *testing.T) {
			_, path := tempLog(t, "u_ex261124.log")
			data, records := iisLines(0, 3)
			writeFile(t, path, iisHeader+data+"#Fields: time sc-status\r\n10:00:00 502\r\n10:00:01 502 extra\r\n")
			r := newRecorder()
			startTailer(t, fastOpts(r), Input{Name: "iis", Globs: []string{path}, Start: StartBeginning, Multiline: multiline})
			want := append(append(iisDirectives(), records...), "#Fields: time sc-status", "time=10:00:00 sc-status=502", "10:00:01 502 extra")
			waitFor(t, "all records", func() bool { return r.count("iis") >= len(want) })
			if got := r.get("iis"); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("records:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// TestW3CRestartKeepsFields: a follower resuming an IIS log at its saved
// offset, or starting at its end, finds the directive it did not read.
func TestW3CRestartKeepsFields(t *testing.T) {
	dir, path := tempLog(t, "u_ex261124.log")
	posFile := filepath.Join(dir, "positions.json")
	data, first := iisLines(0, 2000) // the directive lies windows back
	writeFile(t, path, iisHeader+data)
	in := Input{Name: "iis", Globs: []string{path}, Start: StartBeginning}
	r1 := newRecorder()
	tl1 := startTailer(t, posOpts(r1, posFile), in)
	waitFor(t, "first records", func() bool { return r1.count("iis") == 4+len(first) })
	if err := tl1.stop(t); err != nil {
		t.Fatal(err)
	}
	more, second := iisLines(2000, 2010)
	appendFile(t, path, more)
	r2 := newRecorder()
	startTailer(t, posOpts(r2, posFile), in)
	waitFor(t, "records after the restart", func() bool { return r2.count("iis") >= len(second) })
	assertExactlyOnce(t, r2.get("iis"), second)

	// A new process with start=end and no saved position.
	_, path2 := tempLog(t, "u_ex261125.log")
	writeFile(t, path2, iisHeader+data)
	r3 := newRecorder()
	tl3 := startTailer(t, fastOpts(r3), Input{Name: "iis", Globs: []string{path2}, Start: StartEnd})
	waitFor(t, "ready", tl3.Ready)
	appendFile(t, path2, more)
	waitFor(t, "appended records", func() bool { return r3.count("iis") >= len(second) })
	assertExactlyOnce(t, r3.get("iis"), second)
}

// TestW3CTruncateForgetsFields: after a truncation the file starts afresh:
// lines without a directive are read as they are, an IIS line in IIS's own
// field order by position.
func TestW3CTruncateForgetsFields(t *testing.T) {
	_, path := tempLog(t, "u_ex261124.log")
	data, records := iisLines(0, 3)
	writeFile(t, path, iisHeader+data)
	r := newRecorder()
	startTailer(t, fastOpts(r), Input{Name: "iis", Globs: []string{path}, Start: StartBeginning})
	waitFor(t, "records", func() bool { return r.count("iis") == 4+len(records) })
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "truncation noticed", func() bool { return r.counter(r.truncated, "iis") == 1 })
	appendFile(t, path, "10:00:00 POST /x 401 1 oauth2.token.expired\n")
	waitFor(t, "the line after the truncation", func() bool { return r.count("iis") == 4+len(records)+1 })
	if got := r.get("iis"); got[len(got)-1] != "10:00:00 POST /x 401 1 oauth2.token.expired" {
		t.Fatalf("last record %q", got[len(got)-1])
	}
	appendFile(t, path, "2026-11-24 10:00:01 10.0.4.12 POST /x - 443 - 10.0.0.5 okhttp/4.12.0 - 401 0 0 3 oauth2.token.expired\r\n")
	waitFor(t, "the IIS line", func() bool { return r.count("iis") == 4+len(records)+2 })
	if got := r.get("iis"); got[len(got)-1] != "time=2026-11-24T10:00:01Z cs-method=POST cs-uri-stem=/x sc-status=401 X-Error-Code=oauth2.token.expired" {
		t.Fatalf("last record %q", got[len(got)-1])
	}
}

func TestW3CFieldsBefore(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("2026-11-24 00:00:00 GET /x 200 1 -\n", 5000) // 175 kB: several windows
	cases := []struct {
		name, data string
		off        int // -1: the end of data
		want       string
	}{
		{"no W3C log", "plain\n#Fields: a b\nx y\n", -1, ""},
		{"nothing before offset 0", "#Fields: a b\n", 0, ""},
		{"the directive at the start", "#Fields: a b\r\n1 2\n", -1, "#Fields: a b"},
		{"the last directive before the offset", "#Fields: a\n1\n#Fields: a b\n1 2\n#Fields: c\n3\n", len("#Fields: a\n1\n#Fields: a b\n1 2\n"), "#Fields: a b"},
		{"a directive starting at the offset is read by the follower", "#Fields: a\n1\n#Fields: b\n", len("#Fields: a\n1\n"), "#Fields: a"},
		{"windows back", "#Version: 1.0\n#Fields: date time cs-method cs-uri-stem sc-status time-taken X-Error-Code\n" + long, -1, "#Fields: date time cs-method cs-uri-stem sc-status time-taken X-Error-Code"},
		{"a directive spanning a window boundary", "#Version: 1.0\n" + long[:len(long)-(64<<10)-3-len("#Version: 1.0\n")] + "\n#Fields: x y\n" + long[:64<<10], -1, "#Fields: x y"},
		{"a W3C log without a directive", "#Version: 1.0\n" + long, -1, ""},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, fmt.Sprint(i))
			writeFile(t, path, tc.data)
			fh, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer fh.Close()
			off := int64(tc.off)
			if tc.off < 0 {
				off = int64(len(tc.data))
			}
			got, err := w3cFieldsBefore(fh, off)
			if err != nil || string(got) != tc.want {
				t.Fatalf("w3cFieldsBefore(%d) = %q, %v; want %q", off, got, err, tc.want)
			}
		})
	}
}
