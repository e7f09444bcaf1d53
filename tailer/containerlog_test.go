package tailer

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/secondme/secondme_error_exporter/containerlog"
)

// criLines wraps text the way containerd writes an application's stdout:
// one CRI line per line of text, each split into pieces of at most piece
// bytes (P tags, then F).
func criLines(text string, piece int) string {
	var b strings.Builder
	for i, line := range strings.Split(text, "\n") {
		ts := fmt.Sprintf("2026-11-24T10:00:%02d.%09dZ", i%60, i)
		for len(line) > piece {
			b.WriteString(ts + " stdout P " + line[:piece] + "\n")
			line = line[piece:]
		}
		b.WriteString(ts + " stdout F " + line + "\n")
	}
	return b.String()
}

// TestContainerFormats: CRI and json-file lines are unwrapped, their pieces
// joined, and a pretty-printed record spread over them assembled.
func TestContainerFormats(t *testing.T) {
	docker := func(text string) string {
		var b strings.Builder
		for _, line := range strings.Split(text, "\n") {
			for len(line) > 16 {
				j, _ := json.Marshal(map[string]string{"log": line[:16], "stream": "stderr", "time": "2026-11-24T10:00:00Z"})
				b.Write(append(j, '\n'))
				line = line[16:]
			}
			j, _ := json.Marshal(map[string]string{"log": line + "\n", "stream": "stderr", "time": "2026-11-24T10:00:00Z"})
			b.Write(append(j, '\n'))
		}
		return b.String()
	}
	text := "plain line\n" + prettyRecord + "\n" + `{"code":0,"message":"success","data":{}}`
	for _, c := range []struct {
		format containerlog.Format
		file   string
	}{
		{containerlog.CRI, criLines(text, 10)},
		{containerlog.Docker, docker(text)},
	} {
		t.Run(c.format.String(), func(t *testing.T) {
			_, path := tempLog(t, "0.log")
			writeFile(t, path, c.file)
			r := newRecorder()
			startTailer(t, fastOpts(r), Input{Name: "app", Globs: []string{path}, Start: StartBeginning, Multiline: true, Format: c.format})
			waitFor(t, "3 records", func() bool { return r.count("app") >= 3 })
			want := []string{"plain line", prettyRecord, `{"code":0,"message":"success","data":{}}`}
			if got := r.get("app"); strings.Join(got, "\x00") != strings.Join(want, "\x00") {
				t.Fatalf("records = %q", got)
			}
		})
	}
}

// TestContainerPartialNotCommitted: the pieces of a line not yet complete
// are not covered by the saved offset; after a restart the line is read
// whole, once.
func TestContainerPartialNotCommitted(t *testing.T) {
	dir, path := tempLog(t, "0.log")
	posFile := filepath.Join(dir, "positions.json")
	writeFile(t, path, "")
	in := Input{Name: "app", Globs: []string{path}, Format: containerlog.CRI}
	r1 := newRecorder()
	opts := posOpts(r1, posFile)
	opts.MultilineTimeout = time.Hour
	tl1 := startTailer(t, opts, in)
	waitFor(t, "ready", tl1.Ready)
	before := "2026-11-24T10:00:00.1Z stdout F before\n"
	appendFile(t, path, before+`2026-11-24T10:00:00.2Z stdout P {"code":401,`+"\n")
	waitFor(t, "before", func() bool { return r1.count("app") == 1 })
	waitFor(t, "the piece read", func() bool { return tl1.Stats()["app"].LagBytes > 0 && r1.count("app") == 1 })
	if err := tl1.stop(t); err != nil {
		t.Fatal(err)
	}
	if got := readPositions(t, posFile).Files[0].Offset; got != int64(len(before)) {
		t.Fatalf("saved offset %d, want %d (start of the partial line)", got, len(before))
	}
	if n := r1.count("app"); n != 1 {
		t.Fatalf("partial line handed out at shutdown (%d records)", n)
	}
	appendFile(t, path, `2026-11-24T10:00:00.3Z stdout F "error_code":"oauth2.token.expired"}`+"\n2026-11-24T10:00:00.4Z stdout F after\n")
	r2 := newRecorder()
	startTailer(t, posOpts(r2, posFile), in)
	waitFor(t, "2 records", func() bool { return r2.count("app") >= 2 })
	if got := r2.get("app"); len(got) != 2 || got[0] != `{"code":401,"error_code":"oauth2.token.expired"}` || got[1] != "after" {
		t.Fatalf("records after restart = %q", got)
	}
}

// TestContainerPartialIdleFlush: a partial line whose last piece never
// comes is handed out after MultilineTimeout, and the offset moves past it.
func TestContainerPartialIdleFlush(t *testing.T) {
	_, path := tempLog(t, "0.log")
	writeFile(t, path, "")
	r := newRecorder()
	tl := startTailer(t, fastOpts(r), Input{Name: "app", Globs: []string{path}, Format: containerlog.CRI})
	waitFor(t, "ready", tl.Ready)
	appendFile(t, path, "2026-11-24T10:00:00.2Z stderr P cut off\n")
	waitFor(t, "flushed line", func() bool { return r.count("app") == 1 })
	if got := r.get("app")[0]; got != "cut off" {
		t.Fatalf("record = %q", got)
	}
	waitFor(t, "committed past the piece", func() bool { return tl.Stats()["app"].LagBytes == 0 })
}

// TestContainerOverflow: a line whose pieces add up to more than
// MaxRecordBytes, or one of whose pieces is longer than that on its own, is
// dropped and counted once as oversized; the lines after it are read.
func TestContainerOverflow(t *testing.T) {
	for _, c := range []struct {
		name  string
		piece int
	}{{"joined too long", 1000}, {"pieces too long", 1500}} {
		t.Run(c.name, func(t *testing.T) {
			_, path := tempLog(t, "0.log")
			writeFile(t, path, criLines(strings.Repeat("x", 4000)+"\nnext", c.piece))
			r := newRecorder()
			opts := fastOpts(r)
			opts.MaxRecordBytes = 1200 // 1 500-byte pieces don't fit, four 1 000-byte ones don't once joined
			startTailer(t, opts, Input{Name: "app", Globs: []string{path}, Start: StartBeginning, Format: containerlog.CRI})
			waitFor(t, "next", func() bool { got := r.get("app"); return len(got) > 0 && got[len(got)-1] == "next" })
			r.mu.Lock()
			defer r.mu.Unlock()
			if len(r.records["app"]) != 1 || r.oversized["app"] != 1 {
				t.Fatalf("records %q, oversized %d; want [next], 1", r.records["app"], r.oversized["app"])
			}
		})
	}
}
