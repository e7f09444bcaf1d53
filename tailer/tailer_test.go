package tailer

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TAILER_TEST_LOG=1 shows the tailer's own log while debugging a test.
func testLogger() *slog.Logger {
	if os.Getenv("TAILER_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

func TestStartBeginningAndEnd(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")
	writeFile(t, a, lines("a", 0, 10))
	// start=end begins after the last complete line: the record being
	// written ("b-partial") is read whole once completed.
	writeFile(t, b, lines("b", 0, 10)+"b-partial")
	r := newRecorder()
	tl := startTailer(t, fastOpts(r),
		Input{Name: "A", Globs: []string{a}, Start: StartBeginning},
		Input{Name: "B", Globs: []string{b}, Start: StartEnd})
	waitFor(t, "ready", tl.Ready)
	appendFile(t, b, "-done\n"+lines("b", 10, 12))
	waitFor(t, "A's 10 records", func() bool { return r.count("A") == 10 })
	waitFor(t, "B's 3 records", func() bool { return r.count("B") == 3 })
	assertExactlyOnce(t, r.get("A"), seqs("a", 0, 10))
	assertExactlyOnce(t, r.get("B"), append([]string{"b-partial-done"}, seqs("b", 10, 12)...))
}

// TestRenameRotationUnderLoad: a writer appends as fast as it can and
// rotates by rename + create, writing a few more lines to the renamed file
// before it reopens (as a logger does until it gets its SIGHUP). The glob
// does not match the rotated name: those last lines must still be read, from
// the orphaned descriptor, before it is released.
func TestRenameRotationUnderLoad(t *testing.T) {
	modes(t, func(t *testing.T, poll bool) {
		dir, path := tempLog(t, "app.log")
		writeFile(t, path, "")
		r := newRecorder()
		opts := fastOpts(r)
		opts.Poll = poll
		tl := startTailer(t, opts, Input{Name: "app", Globs: []string{path}, Start: StartBeginning})
		waitFor(t, "ready", tl.Ready)

		const perFile, rotations, afterRename = 3000, 4, 50
		seq := 0
		w, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Fatal(err)
		}
		write := func(n int) {
			for i := 0; i < n; i++ {
				if _, err := fmt.Fprintf(w, "rot-%06d\n", seq); err != nil {
					t.Fatal(err)
				}
				seq++
			}
		}
		for gen := 0; gen <= rotations; gen++ {
			// The file must have been seen before it is renamed out of the
			// globs (a file that lives less than one rescan outside any
			// watched path cannot be followed: see the package doc).
			firstOfGen := seq
			write(perFile)
			waitFor(t, "first record of this file", func() bool { return r.count("app") > firstOfGen })
			if gen == rotations {
				break
			}
			if err := os.Rename(path, filepath.Join(dir, fmt.Sprintf("app.log.%d", gen))); err != nil {
				t.Fatal(err)
			}
			write(afterRename) // still to the old, renamed file
			nw, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
			if err != nil {
				t.Fatal(err)
			}
			w.Close()
			w = nw
		}
		w.Close()
		total := seq
		waitFor(t, fmt.Sprintf("%d records", total), func() bool { return r.count("app") >= total })
		waitFor(t, "rotated files released", func() bool { return filesWatched(tl.Tailer, "app") == 1 })
		assertExactlyOnce(t, r.get("app"), seqs("rot", 0, total))
		if got := r.counter(r.rotated, "app"); got != rotations {
			t.Errorf("rotations counted = %d, want %d", got, rotations)
		}
		if got := r.counter(r.truncated, "app"); got != 0 {
			t.Errorf("truncations counted = %d, want 0", got)
		}
	})
}

// TestGlobMatchesRotatedFile: app.log* matches app.log.1 after the rename.
// It is the same inode, followed on from its offset, never read twice.
func TestGlobMatchesRotatedFile(t *testing.T) {
	modes(t, func(t *testing.T, poll bool) {
		dir, path := tempLog(t, "app.log")
		writeFile(t, path, lines("x", 0, 100))
		r := newRecorder()
		opts := fastOpts(r)
		opts.Poll = poll
		tl := startTailer(t, opts, Input{Name: "app", Globs: []string{filepath.Join(dir, "app.log*")}, Start: StartBeginning})
		waitFor(t, "first 100", func() bool { return r.count("app") == 100 })

		rotated := filepath.Join(dir, "app.log.1")
		if err := os.Rename(path, rotated); err != nil {
			t.Fatal(err)
		}
		appendFile(t, rotated, lines("x", 100, 150)) // late writes to the old file
		writeFile(t, path, lines("x", 150, 200))
		waitFor(t, "200 records", func() bool { return r.count("app") >= 200 })
		waitFor(t, "two files followed", func() bool { return filesWatched(tl.Tailer, "app") == 2 })
		appendFile(t, rotated, lines("x", 200, 210))
		appendFile(t, path, lines("x", 210, 220))
		waitFor(t, "220 records", func() bool { return r.count("app") >= 220 })
		assertExactlyOnce(t, r.get("app"), seqs("x", 0, 220))
		if got := r.counter(r.rotated, "app"); got != 1 {
			t.Errorf("rotations = %d, want 1", got)
		}
	})
}

// TestGlobMatchesRotatedFileUnderLoad is the logrotate shape (app.log.N
// shifted up, all matched) with a fast writer and no waiting for the reader.
func TestGlobMatchesRotatedFileUnderLoad(t *testing.T) {
	modes(t, func(t *testing.T, poll bool) {
		dir, path := tempLog(t, "app.log")
		writeFile(t, path, "")
		r := newRecorder()
		opts := fastOpts(r)
		opts.Poll = poll
		tl := startTailer(t, opts, Input{Name: "app", Globs: []string{filepath.Join(dir, "app.log*")}, Start: StartBeginning})
		waitFor(t, "ready", tl.Ready)
		const perFile, rotations = 5000, 3
		w, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Fatal(err)
		}
		seq := 0
		for gen := 0; gen <= rotations; gen++ {
			for i := 0; i < perFile; i++ {
				fmt.Fprintf(w, "g-%06d\n", seq)
				seq++
			}
			if gen == rotations {
				break
			}
			for k := gen; k >= 1; k-- { // app.log.k → app.log.k+1
				if err := os.Rename(fmt.Sprintf("%s.%d", path, k), fmt.Sprintf("%s.%d", path, k+1)); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Rename(path, path+".1"); err != nil {
				t.Fatal(err)
			}
			nw, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
			if err != nil {
				t.Fatal(err)
			}
			w.Close()
			w = nw
		}
		w.Close()
		waitFor(t, "all records", func() bool { return r.count("app") >= seq })
		waitFor(t, "all files followed", func() bool { return filesWatched(tl.Tailer, "app") == rotations+1 })
		assertExactlyOnce(t, r.get("app"), seqs("g", 0, seq))
	})
}

func TestCopyTruncate(t *testing.T) {
	modes(t, func(t *testing.T, poll bool) {
		dir, path := tempLog(t, "app.log")
		writeFile(t, path, lines("c", 0, 200))
		r := newRecorder()
		opts := fastOpts(r)
		opts.Poll = poll
		tl := startTailer(t, opts, Input{Name: "app", Globs: []string{path}, Start: StartBeginning})
		waitFor(t, "200 records", func() bool { return r.count("app") == 200 })

		// logrotate copytruncate: copy, then truncate in place; the writer
		// (O_APPEND) goes on at the new end.
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, "app.log.1"), string(data))
		if err := os.Truncate(path, 0); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "truncation noticed", func() bool { return r.counter(r.truncated, "app") == 1 })
		appendFile(t, path, lines("c", 200, 300))
		waitFor(t, "300 records", func() bool { return r.count("app") >= 300 })
		assertExactlyOnce(t, r.get("app"), seqs("c", 0, 300))
		if got := r.counter(r.rotated, "app"); got != 0 {
			t.Errorf("rotations = %d, want 0 (same inode)", got)
		}
		_ = tl
	})
}

// TestCopyTruncateRegrownBeforeNoticed: the file is truncated and has grown
// past our offset again before the tailer looks. Size alone cannot tell;
// the head fingerprint does. The test decides when the tailer looks
// (poll mode, huge interval, injected check).
func TestCopyTruncateRegrownBeforeNoticed(t *testing.T) {
	_, path := tempLog(t, "app.log")
	writeFile(t, path, lines("old", 0, 100))
	r := newRecorder()
	opts := fastOpts(r)
	opts.Poll = true
	opts.PollInterval = time.Hour
	tl := startTailer(t, opts, Input{Name: "app", Globs: []string{path}, Start: StartBeginning})
	waitFor(t, "100 records", func() bool { return r.count("app") == 100 })

	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	appendFile(t, path, lines("new", 0, 300)) // 3× the old size
	tl.checkAll()
	waitFor(t, "400 records", func() bool { return r.count("app") >= 400 })
	assertExactlyOnce(t, r.get("app"), append(seqs("old", 0, 100), seqs("new", 0, 300)...))
	if got := r.counter(r.truncated, "app"); got != 1 {
		t.Errorf("truncations = %d, want 1", got)
	}
}

func TestTruncateInPlace(t *testing.T) {
	modes(t, func(t *testing.T, poll bool) {
		_, path := tempLog(t, "app.log")
		writeFile(t, path, lines("t", 0, 50))
		r := newRecorder()
		opts := fastOpts(r)
		opts.Poll = poll
		startTailer(t, opts, Input{Name: "app", Globs: []string{path}, Start: StartBeginning})
		waitFor(t, "50 records", func() bool { return r.count("app") == 50 })
		// `: > app.log`: O_TRUNC on the same inode.
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
		waitFor(t, "truncation noticed", func() bool { return r.counter(r.truncated, "app") == 1 })
		appendFile(t, path, lines("t", 50, 60))
		waitFor(t, "60 records", func() bool { return r.count("app") >= 60 })
		assertExactlyOnce(t, r.get("app"), seqs("t", 0, 60))
	})
}

func TestDeleteAndRecreate(t *testing.T) {
	modes(t, func(t *testing.T, poll bool) {
		_, path := tempLog(t, "app.log")
		writeFile(t, path, lines("d", 0, 50))
		r := newRecorder()
		opts := fastOpts(r)
		opts.Poll = poll
		tl := startTailer(t, opts, Input{Name: "app", Globs: []string{path}, Start: StartBeginning})
		waitFor(t, "50 records", func() bool { return r.count("app") == 50 })

		// An open writer keeps writing to the unlinked file for a moment.
		w, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		fmt.Fprint(w, lines("d", 50, 60))
		w.Close()
		writeFile(t, path, lines("d", 60, 80))
		waitFor(t, "80 records", func() bool { return r.count("app") >= 80 })
		waitFor(t, "deleted file released", func() bool { return filesWatched(tl.Tailer, "app") == 1 })
		assertExactlyOnce(t, r.get("app"), seqs("d", 0, 80))
	})
}

func TestNewFileUnderGlob(t *testing.T) {
	modes(t, func(t *testing.T, poll bool) {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "a.log"), lines("old", 0, 10))
		r := newRecorder()
		opts := fastOpts(r)
		opts.Poll = poll
		tl := startTailer(t, opts, Input{Name: "app", Globs: []string{filepath.Join(dir, "*.log")}}) // start=end
		waitFor(t, "ready", tl.Ready)
		// Appeared after start-up: everything in it is new, read from 0.
		writeFile(t, filepath.Join(dir, "b.log"), lines("new", 0, 20))
		waitFor(t, "20 records", func() bool { return r.count("app") >= 20 })
		waitFor(t, "2 files", func() bool { return filesWatched(tl.Tailer, "app") == 2 })
		assertExactlyOnce(t, r.get("app"), seqs("new", 0, 20))
	})
}

func TestFileRemovedReleased(t *testing.T) {
	modes(t, func(t *testing.T, poll bool) {
		dir := t.TempDir()
		a, b := filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")
		writeFile(t, a, "a\n")
		writeFile(t, b, "b\n")
		r := newRecorder()
		opts := fastOpts(r)
		opts.Poll = poll
		tl := startTailer(t, opts, Input{Name: "app", Globs: []string{filepath.Join(dir, "*.log")}, Start: StartBeginning})
		waitFor(t, "2 files", func() bool { return filesWatched(tl.Tailer, "app") == 2 })
		if err := os.Remove(b); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "1 file", func() bool { return filesWatched(tl.Tailer, "app") == 1 })
		if err := os.Remove(a); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "0 files", func() bool { return filesWatched(tl.Tailer, "app") == 0 })
		assertExactlyOnce(t, r.get("app"), []string{"a", "b"})
	})
}

// TestPermissionDenied injects EACCES at open: tests run as root, which
// bypasses file permissions, so chmod 000 would not fail here. (The same
// path with a real chmod 000 runs unprivileged in
// TestPermissionDeniedUnprivileged when the uid can be dropped.)
func TestPermissionDenied(t *testing.T) {
	_, path := tempLog(t, "app.log")
	writeFile(t, path, lines("p", 0, 30))
	r := newRecorder()
	tl, err := New(fastOpts(r))
	if err != nil {
		t.Fatal(err)
	}
	var denied atomic.Bool
	denied.Store(true)
	tl.open = func(p string) (file, error) {
		if p == path && denied.Load() {
			return nil, &fs.PathError{Op: "open", Path: p, Err: syscall.EACCES}
		}
		return openOS(p)
	}
	rt := runTailer(t, tl, Input{Name: "app", Globs: []string{path}, Start: StartBeginning})
	waitFor(t, "two read errors (retried)", func() bool { return r.errCount("app") >= 2 })
	for _, e := range r.readErrs["app"][:1] {
		if !errors.Is(e, fs.ErrPermission) {
			t.Errorf("read error = %v, want permission denied", e)
		}
	}
	if !rt.Ready() {
		t.Error("not ready although the unreadable file was reported")
	}
	if got := r.count("app"); got != 0 {
		t.Fatalf("records while denied = %d", got)
	}
	denied.Store(false)
	waitFor(t, "30 records after access came back", func() bool { return r.count("app") >= 30 })
	assertExactlyOnce(t, r.get("app"), seqs("p", 0, 30))
}

// failingFile makes Read fail once with EIO after the first read.
type failingFile struct {
	file
	reads *atomic.Int32
}

func (f failingFile) Read(p []byte) (int, error) {
	if f.reads.Add(1) == 2 {
		return 0, &fs.PathError{Op: "read", Path: "app.log", Err: syscall.EIO}
	}
	return f.file.Read(p)
}

func TestReadErrorReopens(t *testing.T) {
	modes(t, func(t *testing.T, poll bool) {
		_, path := tempLog(t, "app.log")
		writeFile(t, path, lines("e", 0, 10))
		r := newRecorder()
		opts := fastOpts(r)
		opts.Poll = poll
		tl, err := New(opts)
		if err != nil {
			t.Fatal(err)
		}
		var reads atomic.Int32
		tl.open = func(p string) (file, error) {
			fh, err := openOS(p)
			if err != nil {
				return nil, err
			}
			return failingFile{file: fh, reads: &reads}, nil
		}
		runTailer(t, tl, Input{Name: "app", Globs: []string{path}, Start: StartBeginning})
		waitFor(t, "10 records", func() bool { return r.count("app") >= 10 })
		appendFile(t, path, lines("e", 10, 20)) // the next read fails, then reopen
		waitFor(t, "read error", func() bool { return r.errCount("app") == 1 })
		waitFor(t, "20 records", func() bool { return r.count("app") >= 20 })
		assertExactlyOnce(t, r.get("app"), seqs("e", 0, 20))
	})
}

func TestPartialLineAtEOF(t *testing.T) {
	modes(t, func(t *testing.T, poll bool) {
		_, path := tempLog(t, "app.log")
		writeFile(t, path, "")
		r := newRecorder()
		opts := fastOpts(r)
		opts.Poll = poll
		tl := startTailer(t, opts, Input{Name: "app", Globs: []string{path}})
		waitFor(t, "ready", tl.Ready)
		// One write: the read that returns "first" also returns "par".
		appendFile(t, path, "first\npar")
		waitFor(t, "first", func() bool { return r.count("app") == 1 })
		appendFile(t, path, "tial\nlast\n")
		waitFor(t, "3 records", func() bool { return r.count("app") >= 3 })
		if got := strings.Join(r.get("app"), "|"); got != "first|partial|last" {
			t.Fatalf("records = %q", got)
		}
	})
}

func TestOversizedRecord(t *testing.T) {
	_, path := tempLog(t, "app.log")
	writeFile(t, path, "")
	r := newRecorder()
	opts := fastOpts(r)
	opts.MaxRecordBytes = 100
	tl := startTailer(t, opts, Input{Name: "app", Globs: []string{path}})
	waitFor(t, "ready", tl.Ready)
	appendFile(t, path, "ok1\n"+strings.Repeat("x", 101)+"\n"+strings.Repeat("y", 100)+"\r\nok2\n")
	// Larger than the whole read buffer, written in pieces: discarded as it
	// streams, never held whole.
	big := strings.Repeat("z", 1<<20)
	for i := 0; i < 3; i++ {
		appendFile(t, path, big)
	}
	appendFile(t, path, "\nok3\n")
	waitFor(t, "4 records", func() bool { return r.count("app") >= 4 })
	waitFor(t, "2 oversized", func() bool { return r.counter(r.oversized, "app") >= 2 })
	want := []string{"ok1", strings.Repeat("y", 100), "ok2", "ok3"}
	if got := r.get("app"); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("records = %.80q", got)
	}
	if got := r.counter(r.oversized, "app"); got != 2 {
		t.Errorf("oversized = %d, want 2", got)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	tl.stop(t) // the follower goroutine owns f.partial until then
	tl.mu.Lock()
	for _, f := range tl.files {
		if got := f.committed.Load(); got != fi.Size() {
			t.Errorf("committed offset %d, want %d (the skipped records are done with)", got, fi.Size())
		}
		if c := cap(f.partial); c > opts.MaxRecordBytes+2 {
			t.Errorf("kept a %d-byte partial buffer for a %d-byte limit", c, opts.MaxRecordBytes)
		}
	}
	tl.mu.Unlock()
}

func TestCRLFAndRawBytes(t *testing.T) {
	_, path := tempLog(t, "app.log")
	writeFile(t, path, "a\r\nb\r\n\r\nmid\rcr\n\xff\xfe\x00nul\ninvalid\xc3\n")
	r := newRecorder()
	startTailer(t, fastOpts(r), Input{Name: "app", Globs: []string{path}, Start: StartBeginning})
	waitFor(t, "6 records", func() bool { return r.count("app") >= 6 })
	want := []string{"a", "b", "", "mid\rcr", "\xff\xfe\x00nul", "invalid\xc3"}
	got := r.get("app")
	if len(got) != len(want) {
		t.Fatalf("records = %q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("record %d = %q, want %q", i, got[i], want[i])
		}
	}
}

// TestMultiByteRuneSplit: a UTF-8 rune split between two writes, and one
// split across the boundary of the tailer's read buffer.
func TestMultiByteRuneSplit(t *testing.T) {
	_, path := tempLog(t, "app.log")
	writeFile(t, path, "")
	r := newRecorder()
	opts := fastOpts(r)
	opts.MaxRecordBytes = 1000
	tl := startTailer(t, opts, Input{Name: "app", Globs: []string{path}})
	waitFor(t, "ready", tl.Ready)
	euro := "€" // e2 82 ac
	appendFile(t, path, "first\n"+euro[:2])
	waitFor(t, "first", func() bool { return r.count("app") == 1 })
	appendFile(t, path, euro[2:]+"\n")
	waitFor(t, "rune record", func() bool { return r.count("app") == 2 })
	if got := r.get("app")[1]; got != euro {
		t.Fatalf("record = %q, want %q", got, euro)
	}

	// Put a rune across the end of the first full read buffer.
	_, path2 := tempLog(t, "big.log")
	bufSize := tl.bufSize
	var b strings.Builder
	line := strings.Repeat("a", 99) + "\n"
	for b.Len()+len(line) < bufSize-1 {
		b.WriteString(line)
	}
	pad := bufSize - 1 - b.Len() // the rune starts 1 byte before the end
	b.WriteString(strings.Repeat("b", pad))
	b.WriteString(euro + "\nend\n")
	writeFile(t, path2, b.String())
	r2 := newRecorder()
	opts2 := fastOpts(r2)
	opts2.MaxRecordBytes = 1000
	startTailer(t, opts2, Input{Name: "big", Globs: []string{path2}, Start: StartBeginning})
	want := strings.Count(b.String(), "\n")
	waitFor(t, "all records", func() bool { return r2.count("big") >= want })
	got := r2.get("big")
	if got[len(got)-2] != strings.Repeat("b", pad)+euro || got[len(got)-1] != "end" {
		t.Fatalf("records across the buffer boundary = %q, %q", got[len(got)-2], got[len(got)-1])
	}
}

func TestStatsLag(t *testing.T) {
	_, path := tempLog(t, "app.log")
	writeFile(t, path, lines("l", 0, 10))
	r := newRecorder()
	opts := fastOpts(r)
	opts.Poll = true
	opts.PollInterval = time.Hour // the test decides when the tailer looks
	tl := startTailer(t, opts, Input{Name: "app", Globs: []string{path}, Start: StartBeginning})
	waitFor(t, "10 records", func() bool { return r.count("app") == 10 })
	if s := tl.Stats()["app"]; s.FilesWatched != 1 || s.LagBytes != 0 {
		t.Fatalf("stats = %+v, want 1 file, 0 lag", s)
	}
	more := lines("l", 10, 15) + "partial"
	appendFile(t, path, more)
	if s := tl.Stats()["app"]; s.LagBytes != int64(len(more)) {
		t.Fatalf("lag = %d, want %d", s.LagBytes, len(more))
	}
	tl.checkAll()
	waitFor(t, "15 records", func() bool { return r.count("app") == 15 })
	waitFor(t, "lag = partial line", func() bool { return tl.Stats()["app"].LagBytes == int64(len("partial")) })
}

func TestSetInputsAddRemoveKeepsStayingInput(t *testing.T) {
	modes(t, func(t *testing.T, poll bool) {
		dir := t.TempDir()
		a, b, c := filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log"), filepath.Join(dir, "c.log")
		writeFile(t, a, lines("a", 0, 10))
		writeFile(t, b, lines("b", 0, 10))
		writeFile(t, c, lines("c", 0, 10))
		r := newRecorder()
		opts := fastOpts(r)
		opts.Poll = poll
		A := Input{Name: "A", Globs: []string{a}, Start: StartBeginning}
		B := Input{Name: "B", Globs: []string{b}, Start: StartBeginning}
		C := Input{Name: "C", Globs: []string{c}, Start: StartEnd}
		tl := startTailer(t, opts, A, B)
		waitFor(t, "A and B", func() bool { return r.count("A") == 10 && r.count("B") == 10 })

		if err := tl.SetInputs([]Input{A, C}); err != nil {
			t.Fatal(err)
		}
		if _, ok := tl.Stats()["B"]; ok {
			t.Error("removed input B still in Stats")
		}
		appendFile(t, b, lines("b", 10, 20)) // B is gone: not read now
		appendFile(t, a, lines("a", 10, 20))
		waitFor(t, "C followed", func() bool { return filesWatched(tl.Tailer, "C") == 1 })
		appendFile(t, c, lines("c", 10, 15)) // C started at the end
		waitFor(t, "A 20, C 5", func() bool { return r.count("A") >= 20 && r.count("C") >= 5 })
		assertExactlyOnce(t, r.get("A"), seqs("a", 0, 20))
		assertExactlyOnce(t, r.get("C"), seqs("c", 10, 15))
		if got := r.count("B"); got != 10 {
			t.Fatalf("B records after removal = %d, want 10", got)
		}

		// Re-adding B resumes where it stopped.
		if err := tl.SetInputs([]Input{A, B, C}); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "B 20", func() bool { return r.count("B") >= 20 })
		appendFile(t, a, lines("a", 20, 25))
		waitFor(t, "A 25", func() bool { return r.count("A") >= 25 })
		assertExactlyOnce(t, r.get("B"), seqs("b", 0, 20))
		assertExactlyOnce(t, r.get("A"), seqs("a", 0, 25))

		if err := tl.SetInputs([]Input{A, A}); err == nil {
			t.Error("duplicate input names accepted")
		}
		if err := tl.SetInputs([]Input{{Name: "bad", Globs: []string{"[x"}}}); err == nil {
			t.Error("bad glob accepted")
		}
	})
}

func TestReadyWaitsForFirstScan(t *testing.T) {
	r := newRecorder()
	tl, err := New(fastOpts(r))
	if err != nil {
		t.Fatal(err)
	}
	if tl.Ready() {
		t.Fatal("ready before Run")
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "x.log"), "x\n")
	rt := runTailer(t, tl, Input{Name: "x", Globs: []string{filepath.Join(dir, "*.log")}})
	waitFor(t, "ready", rt.Ready)
	if n := filesWatched(tl, "x"); n != 1 {
		t.Fatalf("ready with %d files watched, want 1", n)
	}
}

func TestOptionsValidation(t *testing.T) {
	if _, err := New(Options{}); err == nil {
		t.Error("New without Hooks succeeded")
	}
	if _, err := New(Options{Hooks: newRecorder(), PollInterval: -1}); err == nil {
		t.Error("negative PollInterval accepted")
	}
	if _, err := New(Options{Hooks: newRecorder(), PositionsFile: "/nonexistent-dir/x/positions.json"}); err == nil {
		t.Error("positions file in a missing directory accepted")
	}
	if s, err := ParseStart("beginning"); err != nil || s != StartBeginning {
		t.Errorf("ParseStart(beginning) = %v, %v", s, err)
	}
	if _, err := ParseStart("middle"); err == nil {
		t.Error("ParseStart(middle) accepted")
	}
}

func armedPath(path string) bool {
	registryMu.Lock()
	defer registryMu.Unlock()
	return registry[filepath.Clean(path)] != nil
}

// TestInotifyWakesIdleFile: an idle file gets an inotify watch; its next
// write is read because of the event (no timer could fire: the safety tick
// is an hour), after which the busy file is polled, and watched again once
// idle.
func TestInotifyWakesIdleFile(t *testing.T) {
	_, path := tempLog(t, "app.log")
	writeFile(t, path, "")
	r := newRecorder()
	tl, err := New(fastOpts(r))
	if err != nil {
		t.Fatal(err)
	}
	tl.safety = time.Hour
	runTailer(t, tl, Input{Name: "app", Globs: []string{path}})
	for i := 0; i < 3; i++ {
		waitFor(t, "watch armed", func() bool { return armedPath(path) })
		appendFile(t, path, fmt.Sprintf("woken-%d\n", i))
		waitFor(t, "record", func() bool { return r.count("app") == i+1 })
	}
	assertExactlyOnce(t, r.get("app"), []string{"woken-0", "woken-1", "woken-2"})
}

// TestSamePathTwoTailers: nxadm/tail's tracker cannot share a path; the
// second Tailer of the process polls it instead, and both read everything.
func TestSamePathTwoTailers(t *testing.T) {
	_, path := tempLog(t, "app.log")
	writeFile(t, path, lines("s", 0, 10))
	r1, r2 := newRecorder(), newRecorder()
	in := Input{Name: "app", Globs: []string{path}, Start: StartBeginning}
	startTailer(t, fastOpts(r1), in)
	startTailer(t, fastOpts(r2), in)
	waitFor(t, "both read 10", func() bool { return r1.count("app") == 10 && r2.count("app") == 10 })
	waitFor(t, "watch armed", func() bool { return armedPath(path) })
	appendFile(t, path, lines("s", 10, 20))
	waitFor(t, "both read 20", func() bool { return r1.count("app") >= 20 && r2.count("app") >= 20 })
	assertExactlyOnce(t, r1.get("app"), seqs("s", 0, 20))
	assertExactlyOnce(t, r2.get("app"), seqs("s", 0, 20))
}

// TestSymlinkRotation: app.log is a symlink; rotation points it at a new
// file. Identity is the target's: the new target is a new file (from 0),
// the old one is finished and released.
func TestSymlinkRotation(t *testing.T) {
	modes(t, func(t *testing.T, poll bool) {
		dir, link := tempLog(t, "app.log")
		t1, t2 := filepath.Join(dir, "app-1.log"), filepath.Join(dir, "app-2.log")
		writeFile(t, t1, lines("y", 0, 10))
		if err := os.Symlink(t1, link); err != nil {
			t.Fatal(err)
		}
		r := newRecorder()
		opts := fastOpts(r)
		opts.Poll = poll
		tl := startTailer(t, opts, Input{Name: "app", Globs: []string{link}, Start: StartBeginning})
		waitFor(t, "10", func() bool { return r.count("app") == 10 })
		writeFile(t, t2, lines("y", 10, 20))
		tmp := filepath.Join(dir, "app.log.tmp")
		if err := os.Symlink(t2, tmp); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, link); err != nil { // atomic symlink swap
			t.Fatal(err)
		}
		appendFile(t, t1, lines("y", 20, 25)) // late writes to the old target
		waitFor(t, "25", func() bool { return r.count("app") >= 25 })
		waitFor(t, "old target released", func() bool { return filesWatched(tl.Tailer, "app") == 1 })
		assertExactlyOnce(t, r.get("app"), seqs("y", 0, 25))
		if got := r.counter(r.rotated, "app"); got != 1 {
			t.Errorf("rotations = %d, want 1", got)
		}
	})
}

// TestStatErrorKeepsFollower: a stat failing with ESTALE (NFS) or EACCES
// during a rescan means "unknown", not "gone": the follower keeps reading
// from its descriptor and is not released (which would make the file look
// new, and read twice, once the error clears).
func TestStatErrorKeepsFollower(t *testing.T) {
	_, path := tempLog(t, "app.log")
	writeFile(t, path, lines("n", 0, 10))
	r := newRecorder()
	tl, err := New(fastOpts(r))
	if err != nil {
		t.Fatal(err)
	}
	var stale atomic.Bool
	tl.stat = func(p string) (os.FileInfo, error) {
		if p == path && stale.Load() {
			return nil, &fs.PathError{Op: "stat", Path: p, Err: syscall.ESTALE}
		}
		return os.Stat(p)
	}
	rt := runTailer(t, tl, Input{Name: "app", Globs: []string{path}, Start: StartBeginning})
	waitFor(t, "10", func() bool { return r.count("app") == 10 })
	stale.Store(true)
	waitFor(t, "stat error reported", func() bool { return r.errCount("app") >= 1 })
	appendFile(t, path, lines("n", 10, 20))
	waitFor(t, "20", func() bool { return r.count("app") >= 20 })
	n := r.errCount("app")
	waitFor(t, "another rescan", func() bool { return r.errCount("app") > n })
	if got := filesWatched(rt.Tailer, "app"); got != 1 {
		t.Fatalf("files watched during stat errors = %d, want 1", got)
	}
	stale.Store(false)
	appendFile(t, path, lines("n", 20, 30))
	waitFor(t, "30", func() bool { return r.count("app") >= 30 })
	assertExactlyOnce(t, r.get("app"), seqs("n", 0, 30))
}

// gatedFile fails reads while fail is set.
type gatedFile struct {
	file
	fail *atomic.Bool
}

func (g gatedFile) Read(p []byte) (int, error) {
	if g.fail.Load() {
		return 0, &fs.PathError{Op: "read", Path: "app.log", Err: syscall.EIO}
	}
	return g.file.Read(p)
}

// TestReadErrorThenRotation: the descriptor fails, and while it cannot be
// reopened the file is rotated. Whether the follower finds its file under
// the new name or gives it up to the rescan, every record is read once.
func TestReadErrorThenRotation(t *testing.T) {
	modes(t, func(t *testing.T, poll bool) {
		dir, path := tempLog(t, "app.log")
		writeFile(t, path, lines("a", 0, 10))
		r := newRecorder()
		opts := fastOpts(r)
		opts.Poll = poll
		tl, err := New(opts)
		if err != nil {
			t.Fatal(err)
		}
		var fail atomic.Bool
		tl.open = func(p string) (file, error) {
			if fail.Load() {
				return nil, &fs.PathError{Op: "open", Path: p, Err: syscall.EIO}
			}
			fh, err := openOS(p)
			if err != nil {
				return nil, err
			}
			return gatedFile{file: fh, fail: &fail}, nil
		}
		runTailer(t, tl, Input{Name: "app", Globs: []string{filepath.Join(dir, "app.log*")}, Start: StartBeginning})
		waitFor(t, "10", func() bool { return r.count("app") == 10 })
		fail.Store(true)
		appendFile(t, path, lines("a", 10, 20))
		tl.checkAll()
		waitFor(t, "read errors", func() bool { return r.errCount("app") >= 2 })
		if err := os.Rename(path, path+".1"); err != nil {
			t.Fatal(err)
		}
		writeFile(t, path, lines("b", 0, 5))
		fail.Store(false)
		waitFor(t, "25", func() bool { return r.count("app") >= 25 })
		waitFor(t, "2 files", func() bool { return filesWatched(tl, "app") == 2 })
		assertExactlyOnce(t, r.get("app"), append(seqs("a", 0, 20), seqs("b", 0, 5)...))
	})
}
