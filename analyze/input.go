package analyze

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
)

// Input is one log stream to replay: a file (plain or gzip) or stdin.
type Input struct {
	// Name is the path as given after glob expansion, or "-" for stdin.
	Name string
	// Size is the size on disk (compressed size for .gz), or -1 when unknown
	// (stdin, pipes). Progress is measured against the sum of sizes.
	Size int64

	open func() (io.ReadCloser, error)
}

// ExpandInputs turns command-line arguments into inputs: "-" is stdin,
// arguments with glob metacharacters are expanded (a pattern that matches
// nothing is an error, as a typo must not produce an empty report), other
// arguments must name existing files. A file named twice is read once.
func ExpandInputs(args []string, stdin io.Reader) ([]Input, error) {
	if len(args) == 0 {
		return nil, errors.New("no input: give log files, globs, or - for stdin")
	}
	var inputs []Input
	seen := map[string]bool{}
	stdinUsed := false
	for _, arg := range args {
		if arg == "-" {
			if stdinUsed {
				return nil, errors.New(`stdin ("-") given more than once`)
			}
			stdinUsed = true
			inputs = append(inputs, Input{Name: "-", Size: -1, open: func() (io.ReadCloser, error) {
				return io.NopCloser(stdin), nil
			}})
			continue
		}
		paths := []string{arg}
		if strings.ContainsAny(arg, "*?[") {
			m, err := filepath.Glob(arg)
			if err != nil {
				return nil, fmt.Errorf("bad glob %q: %w", arg, err)
			}
			if len(m) == 0 {
				return nil, fmt.Errorf("glob %q matches no files", arg)
			}
			paths = m
		}
		for _, p := range paths {
			fi, err := os.Stat(p)
			if err != nil {
				return nil, fmt.Errorf("input: %w", err)
			}
			if fi.IsDir() {
				return nil, fmt.Errorf("input %q is a directory", p)
			}
			abs, err := filepath.Abs(p)
			if err != nil {
				return nil, fmt.Errorf("input %q: %w", p, err)
			}
			if seen[abs] {
				continue
			}
			seen[abs] = true
			path := p
			size := fi.Size()
			if !fi.Mode().IsRegular() {
				size = -1 // a named pipe or device has no meaningful size
			}
			inputs = append(inputs, Input{Name: path, Size: size, open: func() (io.ReadCloser, error) {
				return os.Open(path)
			}})
		}
	}
	return inputs, nil
}

// ReaderInput wraps an already open reader as an input, for tests and
// callers that produce logs in memory.
func ReaderInput(name string, r io.Reader) Input {
	return Input{Name: name, Size: -1, open: func() (io.ReadCloser, error) { return io.NopCloser(r), nil }}
}

// gzipMagic starts every gzip member (RFC 1952).
var gzipMagic = []byte{0x1f, 0x8b}

// openInput opens in and returns a reader of its decompressed bytes. Gzip is
// recognised by its magic bytes, not its name, so rotated logs compressed
// without the suffix and "zcat"-less pipes both work. Raw bytes read from the
// source are added to progress.
func openInput(in Input, progress *atomic.Int64, read *int64) (io.Reader, func() error, error) {
	rc, err := in.open()
	if err != nil {
		return nil, nil, fmt.Errorf("open %s: %w", in.Name, err)
	}
	counted := &countingReader{r: rc, n: progress, local: read}
	// 64 KiB is enough to sniff and, once drained, bufio passes the large
	// reads of the scanner straight through to the file.
	br := bufio.NewReaderSize(counted, 64<<10)
	magic, err := br.Peek(2)
	if err != nil && !errors.Is(err, io.EOF) {
		rc.Close()
		return nil, nil, fmt.Errorf("read %s: %w", in.Name, err)
	}
	if len(magic) == 2 && magic[0] == gzipMagic[0] && magic[1] == gzipMagic[1] {
		zr, err := gzip.NewReader(br)
		if err != nil {
			rc.Close()
			return nil, nil, fmt.Errorf("gzip %s: %w", in.Name, err)
		}
		// Inflating costs more than parsing; decoding ahead in another
		// goroutine lets the two overlap on a second core.
		ra := newReadAhead(zr, readBufferSize, 3)
		return ra, func() error { ra.Close(); zr.Close(); return rc.Close() }, nil
	}
	return br, rc.Close, nil
}

// countingReader adds the bytes read to the input's own count and to the
// shared counter of the progress indicator; it is updated once per read
// call (hundreds of kilobytes), not per line.
type countingReader struct {
	r     io.Reader
	n     *atomic.Int64
	local *int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	*c.local += int64(n)
	if c.n != nil && n > 0 {
		c.n.Add(int64(n))
	}
	return n, err
}

// readAhead reads its source in its own goroutine into a few large buffers,
// so that producing the bytes (gzip inflation) and consuming them (line
// splitting and parsing) run in parallel. Memory: n buffers of size bytes.
type readAhead struct {
	full   chan chunk
	free   chan []byte
	done   chan struct{}
	exited chan struct{}
	cur    []byte // unread part of the current chunk
	held   []byte // the current chunk's buffer, returned to free when used up
	err    error  // the error that ended the source, after cur
	closed bool
}

type chunk struct {
	b   []byte
	err error
}

func newReadAhead(r io.Reader, size, n int) *readAhead {
	ra := &readAhead{full: make(chan chunk, n), free: make(chan []byte, n),
		done: make(chan struct{}), exited: make(chan struct{})}
	for range n {
		ra.free <- make([]byte, size)
	}
	go ra.fill(r)
	return ra
}

func (ra *readAhead) fill(r io.Reader) {
	defer close(ra.exited)
	defer close(ra.full)
	for {
		var buf []byte
		select {
		case buf = <-ra.free:
		case <-ra.done:
			return
		}
		k, err := io.ReadFull(r, buf)
		if errors.Is(err, io.ErrUnexpectedEOF) {
			err = io.EOF // a short last chunk
		}
		select {
		case ra.full <- chunk{buf[:k], err}:
		case <-ra.done:
			return
		}
		if err != nil {
			return
		}
	}
}

func (ra *readAhead) Read(p []byte) (int, error) {
	for len(ra.cur) == 0 {
		if ra.err != nil {
			return 0, ra.err
		}
		if ra.held != nil {
			ra.free <- ra.held[:cap(ra.held)] // never blocks: n buffers, n slots
			ra.held = nil
		}
		c, ok := <-ra.full
		if !ok {
			return 0, io.EOF
		}
		ra.cur, ra.held, ra.err = c.b, c.b, c.err
	}
	n := copy(p, ra.cur)
	ra.cur = ra.cur[n:]
	return n, nil
}

// Close stops the goroutine and waits for it, so the source can be closed
// safely afterwards.
func (ra *readAhead) Close() {
	if ra.closed {
		return
	}
	ra.closed = true
	close(ra.done)
	<-ra.exited
}
