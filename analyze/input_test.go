package analyze

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func writeGzip(t *testing.T, path string, data []byte) {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Plain, gzip (recognised by content, whatever the name), globs and stdin
// give the same counts.
func TestInputsPlainGzipGlobStdin(t *testing.T) {
	data, err := os.ReadFile(incidentLog)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// Split before a timestamped line, so no multi-line record is cut.
	half := bytes.Index(data[len(data)/2:], []byte("\n2026-")) + len(data)/2 + 1
	if err := os.WriteFile(filepath.Join(dir, "app.log"), data[half:], 0o644); err != nil {
		t.Fatal(err)
	}
	writeGzip(t, filepath.Join(dir, "app.log.1.gz"), data[:half])
	writeGzip(t, filepath.Join(dir, "rotated-without-suffix"), data)

	type counts struct {
		records int64
		codes   string
	}
	count := func(args []string, stdin []byte) counts {
		t.Helper()
		inputs, err := ExpandInputs(args, bytes.NewReader(stdin))
		if err != nil {
			t.Fatal(err)
		}
		var progress atomic.Int64
		opts := DefaultOptions()
		opts.Progress = &progress
		res, err := Scan(context.Background(), inputs, opts)
		if err != nil {
			t.Fatal(err)
		}
		var onDisk int64
		for _, in := range inputs {
			onDisk += max(in.Size, 0)
		}
		if onDisk > 0 && progress.Load() != onDisk {
			t.Errorf("progress counted %d bytes, the inputs have %d on disk", progress.Load(), onDisk)
		}
		doc, err := res.Summarize(DefaultSummaryOptions())
		if err != nil {
			t.Fatal(err)
		}
		return counts{res.Records, fmt.Sprint(doc.ByErrorCode)}
	}
	want := count([]string{"-"}, data)
	for name, args := range map[string][]string{
		"glob of plain and gzip": {filepath.Join(dir, "app.log*")},
		"gzip without suffix":    {filepath.Join(dir, "rotated-without-suffix")},
		"same file twice":        {filepath.Join(dir, "rotated-without-suffix"), filepath.Join(dir, "rotated-*")},
	} {
		if got := count(args, nil); got != want {
			t.Errorf("%s: %+v, want %+v", name, got, want)
		}
	}
}

func TestExpandInputsErrors(t *testing.T) {
	dir := t.TempDir()
	cases := map[string][]string{
		"no input":        nil,
		"missing file":    {filepath.Join(dir, "nope.log")},
		"empty glob":      {filepath.Join(dir, "*.log")},
		"bad glob":        {filepath.Join(dir, "[")},
		"directory":       {dir},
		"stdin twice":     {"-", "-"},
		"one of two gone": {incidentLog, filepath.Join(dir, "gone.log")},
	}
	for name, args := range cases {
		if _, err := ExpandInputs(args, strings.NewReader("")); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

func TestCorruptGzip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.gz")
	// Valid magic, garbage after it.
	if err := os.WriteFile(path, []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xde, 0xad, 0xbe, 0xef}, 0o644); err != nil {
		t.Fatal(err)
	}
	inputs, err := ExpandInputs([]string{path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Scan(context.Background(), inputs, DefaultOptions()); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("err = %v, want a read error naming the file", err)
	}
}

// syncBuffer is a bytes.Buffer safe for the progress goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestProgress(t *testing.T) {
	var out syncBuffer
	var read atomic.Int64
	read.Store(3 << 20)
	p := StartProgress(&out, &read, 6<<20, time.Millisecond)
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "reading: 3.0 MiB of 6.0 MiB (50%)") {
		if time.Now().After(deadline) {
			t.Fatalf("no progress line after 10s: %q", out.String())
		}
		time.Sleep(time.Millisecond) // poll interval
	}
	p.Stop()
	p.Stop() // idempotent
	if s := out.String(); !strings.HasSuffix(s, "\r\033[K") {
		t.Errorf("the line is not erased at the end: %q", s[max(0, len(s)-40):])
	}
	unknown := (&Progress{read: &read, start: time.Now().Add(-time.Second)}).line(time.Now())
	if !strings.HasPrefix(unknown, "reading: 3.0 MiB, ") {
		t.Errorf("unknown total: %q", unknown)
	}
}

// errAfter returns data, then err.
type errAfter struct {
	data []byte
	err  error
}

func (e *errAfter) Read(p []byte) (int, error) {
	if len(e.data) == 0 {
		return 0, e.err
	}
	n := copy(p, e.data)
	e.data = e.data[n:]
	return n, nil
}

func TestReadAhead(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcdef\n"), 10000) // 170 000 bytes
	for _, size := range []int{1, 7, 4096, len(data), 2 * len(data)} {
		ra := newReadAhead(bytes.NewReader(data), size, 3)
		got, err := io.ReadAll(ra)
		ra.Close()
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("buffer size %d: %d bytes, err %v", size, len(got), err)
		}
	}
	// A source error arrives after the data read before it.
	boom := errors.New("boom")
	ra := newReadAhead(&errAfter{data: data[:100], err: boom}, 64, 2)
	got, err := io.ReadAll(ra)
	ra.Close()
	if !errors.Is(err, boom) || len(got) != 100 {
		t.Errorf("got %d bytes, err %v; want 100 bytes then boom", len(got), err)
	}
	// Closing in the middle stops the goroutine (the race detector and the
	// wait in Close check that it is gone).
	ra = newReadAhead(bytes.NewReader(data), 16, 2)
	if _, err := ra.Read(make([]byte, 10)); err != nil {
		t.Fatal(err)
	}
	ra.Close()
	ra.Close()
}
