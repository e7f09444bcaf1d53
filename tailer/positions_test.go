package tailer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func readPositions(t testing.TB, path string) positionsFile {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var pf positionsFile
	if err := json.Unmarshal(data, &pf); err != nil {
		t.Fatalf("positions file: %v\n%s", err, data)
	}
	return pf
}

func posOpts(r *recorder, posFile string) Options {
	o := fastOpts(r)
	o.PositionsFile = posFile
	return o
}

// TestRestartResumes: a graceful stop saves positions; the next process
// reads only what was written while it was down, even with start=end.
func TestRestartResumes(t *testing.T) {
	dir, path := tempLog(t, "app.log")
	posFile := filepath.Join(dir, "positions.json")
	writeFile(t, path, lines("r", 0, 100)+"half")
	in := Input{Name: "app", Globs: []string{path}, Start: StartBeginning}

	r1 := newRecorder()
	tl1 := startTailer(t, posOpts(r1, posFile), in)
	waitFor(t, "100 records", func() bool { return r1.count("app") == 100 })
	if err := tl1.stop(t); err != nil {
		t.Fatal(err)
	}
	pf := readPositions(t, posFile)
	if len(pf.Files) != 1 || pf.Files[0].Offset != int64(len(lines("r", 0, 100))) || pf.Files[0].Path != path {
		t.Fatalf("saved positions = %+v", pf)
	}

	appendFile(t, path, "-done\n"+lines("r", 100, 120)) // written while down
	r2 := newRecorder()
	in.Start = StartEnd // a saved position wins over Start
	startTailer(t, posOpts(r2, posFile), in)
	waitFor(t, "21 records", func() bool { return r2.count("app") >= 21 })
	assertExactlyOnce(t, r2.get("app"), append([]string{"half-done"}, seqs("r", 100, 120)...))
	if n := r2.counter(r2.truncated, "app") + r2.counter(r2.rotated, "app"); n != 0 {
		t.Errorf("rotations+truncations after a plain restart = %d", n)
	}
}

// TestRestartAfterRotationWhileDown: app.log was rotated (rename + create)
// while the process was down. The rotated file is found beside the saved
// path by inode and finished from the saved offset; the new app.log is read
// from its beginning (not from the end: it replaced a file we knew).
func TestRestartAfterRotationWhileDown(t *testing.T) {
	for name, glob := range map[string]string{"glob matches rotated": "app.log*", "glob does not match rotated": "app.log"} {
		t.Run(name, func(t *testing.T) {
			dir, path := tempLog(t, "app.log")
			posFile := filepath.Join(dir, "positions.json")
			writeFile(t, path, lines("w", 0, 50))
			in := Input{Name: "app", Globs: []string{filepath.Join(dir, glob)}, Start: StartEnd}

			r1 := newRecorder()
			tl1 := startTailer(t, posOpts(r1, posFile), in)
			waitFor(t, "ready", tl1.Ready)
			appendFile(t, path, lines("w", 50, 80))
			waitFor(t, "30 records", func() bool { return r1.count("app") == 30 })
			if err := tl1.stop(t); err != nil {
				t.Fatal(err)
			}

			appendFile(t, path, lines("w", 80, 90)) // unread, then rotated
			if err := os.Rename(path, path+".1"); err != nil {
				t.Fatal(err)
			}
			writeFile(t, path, lines("w", 90, 100))

			r2 := newRecorder()
			tl2 := startTailer(t, posOpts(r2, posFile), in)
			waitFor(t, "20 records", func() bool { return r2.count("app") >= 20 })
			assertExactlyOnce(t, r2.get("app"), seqs("w", 80, 100))
			if got := r2.counter(r2.rotated, "app"); got != 1 {
				t.Errorf("rotations = %d, want 1", got)
			}
			wantFiles := 2
			if glob == "app.log" {
				wantFiles = 1 // the finished rotated file is released
			}
			waitFor(t, "files watched", func() bool { return filesWatched(tl2.Tailer, "app") == wantFiles })
		})
	}
}

// TestRestartContentReplaced: same inode, but truncated and rewritten past
// the saved offset while down. Size cannot tell, the fingerprint can.
func TestRestartContentReplaced(t *testing.T) {
	dir, path := tempLog(t, "app.log")
	posFile := filepath.Join(dir, "positions.json")
	writeFile(t, path, lines("old", 0, 20))
	in := Input{Name: "app", Globs: []string{path}, Start: StartBeginning}
	r1 := newRecorder()
	tl1 := startTailer(t, posOpts(r1, posFile), in)
	waitFor(t, "20", func() bool { return r1.count("app") == 20 })
	if err := tl1.stop(t); err != nil {
		t.Fatal(err)
	}
	fi1, _ := os.Stat(path)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(lines("new", 0, 50))
	f.Close()
	if fi2, _ := os.Stat(path); !os.SameFile(fi1, fi2) {
		t.Fatal("test needs the same inode")
	}
	r2 := newRecorder()
	startTailer(t, posOpts(r2, posFile), in)
	waitFor(t, "50", func() bool { return r2.count("app") >= 50 })
	assertExactlyOnce(t, r2.get("app"), seqs("new", 0, 50))
}

// TestRestartTruncatedWhileDown: size below the saved offset → from 0.
func TestRestartTruncatedWhileDown(t *testing.T) {
	dir, path := tempLog(t, "app.log")
	posFile := filepath.Join(dir, "positions.json")
	writeFile(t, path, lines("a", 0, 20))
	in := Input{Name: "app", Globs: []string{path}, Start: StartBeginning}
	r1 := newRecorder()
	tl1 := startTailer(t, posOpts(r1, posFile), in)
	waitFor(t, "20", func() bool { return r1.count("app") == 20 })
	tl1.stop(t)
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	appendFile(t, path, lines("b", 0, 3))
	r2 := newRecorder()
	startTailer(t, posOpts(r2, posFile), in)
	waitFor(t, "3", func() bool { return r2.count("app") >= 3 })
	assertExactlyOnce(t, r2.get("app"), seqs("b", 0, 3))
	if got := r2.counter(r2.truncated, "app"); got != 1 {
		t.Errorf("truncations = %d, want 1", got)
	}
}

// TestCrashResumesFromLastSave is the kill -9 contract at package level: a
// process that dies without its final save restarts from the last periodic
// save. Nothing is lost; what was read after that save is read again, and
// only that. (The exporter's tests kill a real process.)
func TestCrashResumesFromLastSave(t *testing.T) {
	dir, path := tempLog(t, "app.log")
	posFile := filepath.Join(dir, "positions.json")
	crashCopy := filepath.Join(dir, "positions-at-crash.json")
	writeFile(t, path, lines("k", 0, 40))
	in := Input{Name: "app", Globs: []string{path}, Start: StartBeginning}

	r1 := newRecorder()
	tl1 := startTailer(t, posOpts(r1, posFile), in)
	waitFor(t, "40", func() bool { return r1.count("app") == 40 })
	saved40 := int64(len(lines("k", 0, 40)))
	waitFor(t, "periodic save of offset 40", func() bool {
		data, err := os.ReadFile(posFile)
		if err != nil {
			return false
		}
		var pf positionsFile
		return json.Unmarshal(data, &pf) == nil && len(pf.Files) == 1 && pf.Files[0].Offset == saved40
	})
	// The state on disk at the moment of the "kill": copy it, as the
	// process keeps running and saving afterwards.
	data, err := os.ReadFile(posFile)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, crashCopy, string(data))
	appendFile(t, path, lines("k", 40, 50))
	waitFor(t, "50", func() bool { return r1.count("app") == 50 })
	tl1.stop(t)

	appendFile(t, path, lines("k", 50, 60))
	r2 := newRecorder()
	startTailer(t, posOpts(r2, crashCopy), in)
	waitFor(t, "20", func() bool { return r2.count("app") >= 20 })
	// 40..49 were handed out after the last save: repeated, as documented.
	assertExactlyOnce(t, r2.get("app"), seqs("k", 40, 60))
}

func TestPositionsFileAtomicAndPruned(t *testing.T) {
	dir := t.TempDir()
	posFile := filepath.Join(dir, "positions.json")
	a, b := filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")
	writeFile(t, a, "1\n")
	writeFile(t, b, "2\n")
	r := newRecorder()
	tl := startTailer(t, posOpts(r, posFile), Input{Name: "x", Globs: []string{filepath.Join(dir, "*.log")}, Start: StartBeginning})
	waitFor(t, "2 entries saved", func() bool {
		data, err := os.ReadFile(posFile)
		var pf positionsFile
		return err == nil && json.Unmarshal(data, &pf) == nil && len(pf.Files) == 2
	})
	if err := os.Remove(b); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "removed file dropped from positions", func() bool {
		data, err := os.ReadFile(posFile)
		var pf positionsFile
		return err == nil && json.Unmarshal(data, &pf) == nil && len(pf.Files) == 1 && pf.Files[0].Path == a
	})
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.Name() != "a.log" && e.Name() != "positions.json" {
			t.Errorf("stray file %s left in the positions directory", e.Name())
		}
	}
	_ = tl
}

func TestCorruptPositionsFileSetAside(t *testing.T) {
	dir, path := tempLog(t, "app.log")
	posFile := filepath.Join(dir, "positions.json")
	writeFile(t, posFile, `{"version":1,"files":[{"path":`)
	writeFile(t, path, "a\n")
	r := newRecorder()
	startTailer(t, posOpts(r, posFile), Input{Name: "app", Globs: []string{path}, Start: StartBeginning})
	waitFor(t, "1 record", func() bool { return r.count("app") == 1 })
	if _, err := os.Stat(posFile + ".corrupt"); err != nil {
		t.Errorf("corrupt positions file not set aside: %v", err)
	}
	waitFor(t, "a fresh positions file", func() bool {
		data, err := os.ReadFile(posFile)
		var pf positionsFile
		return err == nil && json.Unmarshal(data, &pf) == nil && len(pf.Files) == 1
	})
}

// TestRemovedInputPositionKept: a reload that drops an input keeps its
// positions in the file, so that re-adding it (or a restart with it) resumes.
func TestRemovedInputPositionKept(t *testing.T) {
	dir, path := tempLog(t, "app.log")
	posFile := filepath.Join(dir, "positions.json")
	writeFile(t, path, lines("q", 0, 5))
	in := Input{Name: "app", Globs: []string{path}, Start: StartBeginning}
	r := newRecorder()
	tl := startTailer(t, posOpts(r, posFile), in)
	waitFor(t, "5", func() bool { return r.count("app") == 5 })
	if err := tl.SetInputs(nil); err != nil {
		t.Fatal(err)
	}
	if err := tl.SavePositions(); err != nil {
		t.Fatal(err)
	}
	pf := readPositions(t, posFile)
	if len(pf.Files) != 1 || pf.Files[0].Offset != int64(len(lines("q", 0, 5))) {
		t.Fatalf("positions after removing the input = %+v", pf)
	}
	tl.stop(t)
	appendFile(t, path, lines("q", 5, 8))
	r2 := newRecorder()
	startTailer(t, posOpts(r2, posFile), in)
	waitFor(t, "3", func() bool { return r2.count("app") >= 3 })
	assertExactlyOnce(t, r2.get("app"), seqs("q", 5, 8))
}

// TestPositionsNeverAheadOfRecords: while records are being handed out
// (slowly), the saved offset never covers a record not yet handed out.
func TestPositionsNeverAheadOfRecords(t *testing.T) {
	dir, path := tempLog(t, "app.log")
	posFile := filepath.Join(dir, "positions.json")
	writeFile(t, path, lines("s", 0, 200))
	slow := &slowRecorder{recorder: newRecorder(), delay: 200 * time.Microsecond}
	opts := posOpts(slow.recorder, posFile)
	opts.Hooks = slow
	opts.PositionsInterval = 5 * time.Millisecond
	startTailer(t, opts, Input{Name: "app", Globs: []string{path}, Start: StartBeginning})
	lineLen := int64(len(lines("s", 0, 1)))
	for slow.count("app") < 200 {
		data, err := os.ReadFile(posFile)
		if err != nil {
			continue // not written yet
		}
		var pf positionsFile
		if err := json.Unmarshal(data, &pf); err != nil {
			t.Fatalf("torn positions file: %v", err)
		}
		handed := int64(slow.count("app")) // read after the file: can only be larger
		if len(pf.Files) == 1 && pf.Files[0].Offset > handed*lineLen {
			t.Fatalf("saved offset %d is past the %d records handed out", pf.Files[0].Offset, handed)
		}
		time.Sleep(time.Millisecond) // sampling period
	}
}

type slowRecorder struct {
	*recorder
	delay time.Duration
}

func (s *slowRecorder) Record(source string, rec []byte) {
	time.Sleep(s.delay) // a slow consumer: offsets must wait for it
	s.recorder.Record(source, rec)
}

// TestFirstPositionSavedAtOnce: a file's first position is on disk right
// after it is opened, not a PositionsInterval later. Otherwise a kill -9
// before the first save would make the restart treat it as a file with no
// position, and start=end would skip what was written meanwhile.
func TestFirstPositionSavedAtOnce(t *testing.T) {
	dir, path := tempLog(t, "app.log")
	posFile := filepath.Join(dir, "positions.json")
	writeFile(t, path, lines("f", 0, 10))
	in := Input{Name: "app", Globs: []string{path}, Start: StartEnd}
	r1 := newRecorder()
	opts := posOpts(r1, posFile)
	opts.PositionsInterval = time.Hour
	tl1 := startTailer(t, opts, in)
	waitFor(t, "positions file with the file's first position", func() bool {
		data, err := os.ReadFile(posFile)
		var pf positionsFile
		return err == nil && json.Unmarshal(data, &pf) == nil && len(pf.Files) == 1
	})
	crashCopy := filepath.Join(dir, "at-crash.json")
	data, err := os.ReadFile(posFile)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, crashCopy, string(data))
	appendFile(t, path, lines("f", 10, 15))
	waitFor(t, "5", func() bool { return r1.count("app") == 5 })
	tl1.stop(t)

	r2 := newRecorder()
	startTailer(t, posOpts(r2, crashCopy), in)
	waitFor(t, "5 again", func() bool { return r2.count("app") >= 5 })
	assertExactlyOnce(t, r2.get("app"), seqs("f", 10, 15))
}
