package tailer

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const prettyRecord = "2026-11-24 10:00:00 ERROR call failed body={\n" +
	"  \"code\": 401,\n" +
	"  \"message\": \"token expired\",\n" +
	"  \"error_code\": \"oauth2.token.expired\"\n" +
	"}"

func TestMultilineJoinsPrettyJSON(t *testing.T) {
	_, path := tempLog(t, "app.log")
	writeFile(t, path, "plain line\n"+strings.ReplaceAll(prettyRecord, "\n", "\r\n")+"\r\n"+`{"code":0,"message":"success","data":{}}`+"\n")
	r := newRecorder()
	startTailer(t, fastOpts(r), Input{Name: "app", Globs: []string{path}, Start: StartBeginning, Multiline: true})
	waitFor(t, "3 records", func() bool { return r.count("app") >= 3 })
	want := []string{"plain line", prettyRecord, `{"code":0,"message":"success","data":{}}`}
	if got := r.get("app"); strings.Join(got, "\x00") != strings.Join(want, "\x00") {
		t.Fatalf("records = %q", got)
	}
}

// TestMultilineIdleFlush: a record whose closing line never comes is handed
// out after MultilineTimeout of silence.
func TestMultilineIdleFlush(t *testing.T) {
	_, path := tempLog(t, "app.log")
	writeFile(t, path, "")
	r := newRecorder()
	tl := startTailer(t, fastOpts(r), Input{Name: "app", Globs: []string{path}, Multiline: true})
	waitFor(t, "ready", tl.Ready)
	appendFile(t, path, "body={\n  \"code\": 500,\n")
	waitFor(t, "flushed record", func() bool { return r.count("app") == 1 })
	if got := r.get("app")[0]; got != "body={\n  \"code\": 500," {
		t.Fatalf("record = %q", got)
	}
	waitFor(t, "committed past the flushed lines", func() bool { return tl.Stats()["app"].LagBytes == 0 })
}

// TestMultilinePendingNotCommitted: lines held by the assembler are not
// covered by the saved offset; after a restart the record is read whole.
func TestMultilinePendingNotCommitted(t *testing.T) {
	dir, path := tempLog(t, "app.log")
	posFile := filepath.Join(dir, "positions.json")
	writeFile(t, path, "")
	in := Input{Name: "app", Globs: []string{path}, Multiline: true}
	r1 := newRecorder()
	opts := posOpts(r1, posFile)
	opts.MultilineTimeout = time.Hour
	tl1 := startTailer(t, opts, in)
	waitFor(t, "ready", tl1.Ready)
	first, rest, _ := strings.Cut(prettyRecord, "\"error_code\"")
	appendFile(t, path, "before\n"+first) // one write: read together
	waitFor(t, "before", func() bool { return r1.count("app") == 1 })
	if err := tl1.stop(t); err != nil {
		t.Fatal(err)
	}
	if got := readPositions(t, posFile).Files[0].Offset; got != int64(len("before\n")) {
		t.Fatalf("saved offset %d, want %d (start of the pending record)", got, len("before\n"))
	}
	if n := r1.count("app"); n != 1 {
		t.Fatalf("pending record handed out at shutdown (%d records)", n)
	}

	appendFile(t, path, "\"error_code\""+rest+"\nafter\n")
	r2 := newRecorder()
	startTailer(t, posOpts(r2, posFile), in)
	waitFor(t, "2 records", func() bool { return r2.count("app") >= 2 })
	if got := r2.get("app"); len(got) != 2 || got[0] != prettyRecord || got[1] != "after" {
		t.Fatalf("records after restart = %q", got)
	}
}

type overflowRecorder struct {
	*recorder
	overflows map[string]int
}

func (o *overflowRecorder) MultilineOverflow(source string) {
	o.mu.Lock()
	o.overflows[source]++
	o.mu.Unlock()
}

func TestMultilineOverflow(t *testing.T) {
	_, path := tempLog(t, "app.log")
	big := "x={\n" + strings.Repeat("  \"k\": 1,\n", 20) + "}\n"
	writeFile(t, path, big+"next\n")
	r := &overflowRecorder{recorder: newRecorder(), overflows: map[string]int{}}
	opts := fastOpts(r.recorder)
	opts.Hooks = r
	opts.MultilineMaxLines = 5
	startTailer(t, opts, Input{Name: "app", Globs: []string{path}, Start: StartBeginning, Multiline: true})
	waitFor(t, "next", func() bool { got := r.get("app"); return len(got) > 0 && got[len(got)-1] == "next" })
	// What becomes of the dropped record's remaining lines is the
	// assembler's business; the tailer's is to report the overflow.
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.overflows["app"] != 1 || r.oversized["app"] != 0 {
		t.Fatalf("overflows = %d, oversized = %d; want 1, 0", r.overflows["app"], r.oversized["app"])
	}
}
