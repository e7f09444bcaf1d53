package analyze

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/secondme/secondme_error_exporter/containerlog"
	"github.com/secondme/secondme_error_exporter/parser"
)

// The scan of one input is a three-stage pipeline over batches of records,
// so that on two or more cores reading, parsing and counting overlap:
//
//	splitter (1 goroutine)   reads into the batch's buffer, splits lines
//	                         (sub-slices: no copy), strips "\r", skips
//	                         oversized lines, joins multi-line records;
//	parsers  (GOMAXPROCS)    run parser.Parse over a batch's records;
//	scanner  (the caller)    takes the batches back in input order and
//	                         counts, as a single goroutine would.
//
// Order-dependent work (multi-line assembly, time inheritance, the
// exporter's unknown-code overflow order) stays in the sequential stages,
// so the result is identical to a sequential scan; only Parse, a pure
// function of the record, runs in parallel. A fixed pool of batches bounds
// memory: a few megabytes whatever the input size.

// batchRecords is the size at which a batch is handed on: big enough to
// amortise the channel operations, small enough to stay in cache.
const batchRecords = 4096

// Event kinds of a batch.
const (
	evRecord    uint8 = iota // a record to parse and count
	evOversized              // a line longer than MaxRecordBytes, skipped
	evOverflow               // a multi-line record over its bounds, dropped
)

type event struct {
	kind    uint8
	inArena bool // the record was joined by the assembler: it is in arena
	off, n  int
}

type batch struct {
	buf   []byte // read buffer: lines are sub-slices of it
	used  int    // bytes of buf holding this batch's lines
	arena []byte // joined multi-line records
	evs   []event
	envs  []parser.Envelope
	done  chan struct{} // closed when envs are filled
	// Set on the input's last batch.
	last         bool
	err          error
	unterminated int
}

func (b *batch) record(ev event) []byte {
	if ev.inArena {
		return b.arena[ev.off : ev.off+ev.n]
	}
	return b.buf[ev.off : ev.off+ev.n]
}

func (b *batch) reset() {
	if cap(b.buf) > 4*readBufferSize {
		b.buf = make([]byte, readBufferSize) // one huge line must not pin its memory
	}
	b.used = 0
	b.arena, b.evs, b.envs = b.arena[:0], b.evs[:0], b.envs[:0]
	b.done = make(chan struct{})
	b.last, b.err, b.unterminated = false, nil, 0
}

// scanInput runs the pipeline over one input.
func (s *scanner) scanInput(ctx context.Context, in Input) (InputStats, error) {
	st := InputStats{Name: in.Name}
	r, closeFn, err := openInput(in, s.opts.Progress, &st.BytesRead)
	if err != nil {
		return st, err
	}
	defer closeFn()
	s.in = &st
	s.haveTime, s.cur, s.untimed = false, nil, nil
	s.lastAt, s.checked, s.base, s.tailAt = 0, 0, 0, 0

	workers := min(max(runtime.GOMAXPROCS(0), 1), 4)
	nbatches := 2*workers + 2
	free := make(chan *batch, nbatches)
	for range nbatches {
		free <- &batch{buf: make([]byte, readBufferSize)}
	}
	work := make(chan *batch, nbatches)
	order := make(chan *batch, nbatches)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := parser.New(s.opts.Catalog)
			for b := range work {
				for i, ev := range b.evs {
					if ev.kind == evRecord {
						b.envs[i] = p.Parse(b.record(ev))
					}
				}
				close(b.done)
			}
		}()
	}
	sp := &splitter{opts: s.opts, r: r, free: free, work: work, order: order}
	if s.opts.Multiline {
		// One assembler per input, as the exporter keeps one per file: a
		// record never spans two files.
		sp.asm = parser.NewAssembler(s.opts.MultilineMaxLines, s.opts.MultilineMaxBytes)
		sp.asm.OnOverflow = func(int, int) { sp.event(event{kind: evOverflow}) }
	}
	if s.opts.Format != containerlog.Raw {
		sp.dec = containerlog.NewDecoder(s.opts.Format, s.opts.MaxRecordBytes)
		sp.dec.OnOverflow = func() { sp.event(event{kind: evOversized}) }
	}
	sp.emitFn = sp.emit
	sp.contentFn = func(line []byte, _ int64) { sp.content(line) }
	wg.Add(1)
	go func() {
		defer wg.Done()
		sp.run(ctx)
	}()

	var readErr error
	for b := range order {
		<-b.done
		s.batch = b
		for i, ev := range b.evs {
			switch ev.kind {
			case evRecord:
				s.record(b.envs[i], b.record(ev), i)
			case evOversized:
				s.oversized()
			case evOverflow:
				s.overflowed()
			}
		}
		s.batchDone()
		if b.last {
			readErr = b.err
			st.UnterminatedBytes = int64(b.unterminated)
		}
		free <- b
	}
	wg.Wait()
	s.endInput()
	if readErr != nil {
		return st, fmt.Errorf("read %s: %w", in.Name, readErr)
	}
	return st, nil
}

// splitter is the first stage.
type splitter struct {
	opts              Options
	r                 io.Reader
	dec               *containerlog.Decoder // nil for raw input
	asm               *parser.Assembler
	w3c               parser.W3C // the fields of a W3C extended log's directive, as the exporter reads it
	free, work, order chan *batch
	cur               *batch
	line              []byte // the line being handed to the assembler
	lineOff           int
	emitFn            func([]byte)        // sp.emit, bound once: no closure per line
	contentFn         func([]byte, int64) // sp.content, likewise
	carry             []byte              // an incomplete last line, moved to the next batch
	discarding        bool                // inside an oversized line, up to its newline
	maxRec            int
}

// event appends an event to the current batch.
func (sp *splitter) event(ev event) {
	sp.cur.evs = append(sp.cur.evs, ev)
}

// emit receives the assembler's records. A record that is the line just
// added (most are) is referenced in place; a joined one lives in the
// assembler's buffer, which it reuses, so it is copied to the arena.
func (sp *splitter) emit(rec []byte) {
	b := sp.cur
	if len(rec) == len(sp.line) && (len(rec) == 0 || &rec[0] == &sp.line[0]) {
		b.evs = append(b.evs, event{kind: evRecord, off: sp.lineOff, n: len(rec)})
		return
	}
	off := len(b.arena)
	b.arena = append(b.arena, rec...)
	b.evs = append(b.evs, event{kind: evRecord, inArena: true, off: off, n: len(rec)})
}

// hand passes the current batch to the parsers and the scanner.
func (sp *splitter) hand() {
	b := sp.cur
	if cap(b.envs) < len(b.evs) {
		b.envs = make([]parser.Envelope, len(b.evs), 2*len(b.evs))
	}
	b.envs = b.envs[:len(b.evs)]
	sp.order <- b
	sp.work <- b
	sp.cur = nil
}

func (sp *splitter) next() {
	b := <-sp.free
	b.reset()
	sp.cur = b
}

// run reads the input to its end (or an error, or ctx's end) and closes the
// channels. The last batch carries the outcome.
func (sp *splitter) run(ctx context.Context) {
	defer close(sp.work)
	defer close(sp.order)
	sp.maxRec = sp.opts.MaxRecordBytes
	err := sp.split(ctx)
	if sp.cur == nil {
		sp.next()
	}
	sp.line = nil
	if sp.dec != nil {
		sp.dec.Flush(sp.contentFn)
	}
	if sp.asm != nil {
		sp.asm.Flush(sp.emitFn)
	}
	if err == nil && len(sp.carry) > 0 && !sp.discarding {
		// A last line without a newline is not a record yet: the exporter
		// hands out a record only once its newline is read (the writer may
		// be mid-line), so it is left out, and reported.
		sp.cur.unterminated = len(sp.carry)
	}
	sp.cur.last, sp.cur.err = true, err
	sp.hand()
}

// minRead is the least free room a read gets; a batch with less is handed
// on (or, when a single line fills it, its buffer grows).
const minRead = 64 << 10

// split fills batches with the records of the input. Lines stay where they
// were read; only an incomplete last line is moved, to the front of the
// next read. A line longer than MaxRecordBytes is never buffered whole; it
// is counted once as oversized and skipped up to its newline, as the
// exporter's tailer does.
func (sp *splitter) split(ctx context.Context) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if sp.cur == nil {
			sp.next()
		}
		b := sp.cur
		base := b.used // b.buf[:base] is referenced by this batch's events
		if cap(b.buf)-base-len(sp.carry) < minRead {
			if base > 0 {
				sp.hand()
				continue
			}
			// One incomplete line fills the buffer: grow it, up to what
			// the longest record needs.
			grown := make([]byte, max(2*cap(b.buf), len(sp.carry)+minRead))
			b.buf = grown[:0]
		}
		buf := b.buf[:cap(b.buf)]
		end := base + copy(buf[base:], sp.carry)
		n, err := sp.r.Read(buf[end:])
		end += n
		start := base
		if sp.discarding {
			i := bytes.IndexByte(buf[start:end], '\n')
			if i < 0 {
				start = end
			} else {
				sp.discarding = false // the newline ending an oversized line
				start += i + 1
			}
		}
		for {
			i := bytes.IndexByte(buf[start:end], '\n')
			if i < 0 {
				break
			}
			sp.addLine(buf[start:start+i], start)
			start += i + 1
		}
		b.buf, b.used = buf, start
		rest := buf[start:end]
		if len(rest) > sp.maxRec+1 {
			// More than a record plus "\r" without a newline: too long
			// whatever follows (the tailer's rule).
			sp.oversized(rest)
			sp.discarding = true
			rest = nil
		}
		sp.carry = append(sp.carry[:0], rest...)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		if len(b.evs) >= batchRecords {
			sp.hand()
		}
	}
}

// oversized counts a physical line too long to be read, starting with
// prefix, once per line of the application's that it is a piece of (the
// container log decoder drops that line).
func (sp *splitter) oversized(prefix []byte) {
	if sp.dec == nil || sp.dec.Skip(prefix) {
		sp.event(event{kind: evOversized})
	}
}

// addLine handles one physical line (without its "\n") at offset off of the
// current batch's buffer.
func (sp *splitter) addLine(line []byte, off int) {
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	if len(line) > sp.maxRec {
		sp.oversized(line)
		return
	}
	sp.line, sp.lineOff = line, off
	if sp.dec != nil {
		sp.dec.Add(line, 0, sp.contentFn)
		return
	}
	sp.content(line)
}

// content takes a line the application wrote: the physical line, or what
// the container log decoder made of one or more of them.
func (sp *splitter) content(line []byte) {
	line = sp.w3c.Record(line)
	if sp.asm == nil {
		sp.emit(line)
		return
	}
	sp.asm.Add(line, sp.emitFn)
}
