package tailer

import (
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/secondme/secondme_error_exporter/containerlog"
	"github.com/secondme/secondme_error_exporter/parser"
)

// headMax is how many leading bytes of a file form its fingerprint. It tells
// a file from another that got the same inode number, and content that was
// replaced in place (copytruncate) from content that only grew.
const headMax = 64

// follower reads one file (one identity) from its committed offset and hands
// its records to the hooks. One goroutine per follower; the scan owns its
// lifecycle.
type follower struct {
	t      *Tailer
	id     fileID
	in     *inputState
	source string // in.cfg.Name, copied: cfg is rewritten by SetInputs

	path string // under Tailer.mu

	fmu sync.Mutex // guards writes of fh, and its reads by other goroutines (Stats)
	fh  file

	committed atomic.Int64  // offset just past the last record handed out
	size      atomic.Int64  // last size seen; lag when fh cannot be stat'ed
	head      atomic.Uint64 // headLen<<32 | crc32 of the first headLen bytes
	orphan    atomic.Bool   // no glob matches it any more: drain, then release

	wakeCh  chan struct{} // data may be available
	checkCh chan struct{} // also stat, verify the fingerprint, consider release
	stopCh  chan struct{}
	stopOne sync.Once
	doneCh  chan struct{}

	// Owned by the follower goroutine.
	readOff     int64 // next byte to read from the file
	lineEnd     int64 // just past the last line handed out or skipped
	partial     []byte
	discarding  bool                  // inside an oversized record, dropping up to its '\n'
	dec         *containerlog.Decoder // nil for raw files
	asm         assembler
	w3c         parser.W3C // the fields a W3C extended log's directive names
	pendStart   int64      // start of the oldest line held by asm, -1 if none
	emitted     bool
	emitFn      func([]byte)
	contentFn   func([]byte, int64) // f.content, bound once
	lastData    time.Time
	orphanSince time.Time
	failures    int
	reopenAt    time.Time
	handle      *watchHandle // inotify watch, armed while the file is idle
	armRetry    retryAt
	idlePolls   int
}

func newFollower(t *Tailer, c candidate, fh file) *follower {
	f := &follower{
		t: t, id: c.id, in: c.in, source: c.in.cfg.Name, path: c.path, fh: fh,
		wakeCh:    make(chan struct{}, 1),
		checkCh:   make(chan struct{}, 1),
		stopCh:    make(chan struct{}),
		doneCh:    make(chan struct{}),
		pendStart: -1,
		lastData:  time.Now(),
	}
	f.emitFn = func(rec []byte) {
		f.emitted = true
		t.hooks.Record(f.source, rec)
	}
	f.contentFn = f.content
	return f
}

// init chooses the start offset: a saved position of this very file (same
// identity and fingerprint), else 0 for files that are new or replaced one
// we knew, else the input's Start.
func (f *follower) init(c candidate, size int64) error {
	f.t.mu.Lock()
	pos, saved := f.t.retained[c.id]
	delete(f.t.retained, c.id)
	f.t.mu.Unlock()

	var off int64
	switch {
	case saved:
		same, err := f.headMatches(pos.HeadLen, pos.HeadCRC, size)
		if err != nil {
			return err
		}
		switch {
		case size < pos.Offset:
			f.t.log.Info("file truncated since its position was saved; reading from the start", "source", f.source, "path", c.path)
			f.t.hooks.Truncated(f.source)
		case !same:
			f.t.log.Info("saved position belongs to other content (inode reused or file rewritten); reading from the start",
				"source", f.source, "path", c.path)
		default:
			off = pos.Offset
		}
	case c.successor, c.orphan:
	case c.initial && c.in.cfg.Start == StartEnd:
		var err error
		off, f.discarding, err = endOffset(f.fh, size)
		if err != nil {
			return err
		}
	}
	if _, err := f.fh.Seek(off, io.SeekStart); err != nil {
		return fmt.Errorf("seek %s to %d: %w", c.path, off, err)
	}
	directive, err := w3cFieldsBefore(f.fh, off)
	if err != nil {
		return fmt.Errorf("%s: %w", c.path, err)
	}
	f.w3c.Record(directive) // the fields of the lines from off on, if any
	f.readOff, f.lineEnd = off, off
	f.committed.Store(off)
	f.size.Store(size)
	f.orphan.Store(c.orphan)
	return f.captureHead(size)
}

// endOffset is where start=end begins: just after the last '\n', so that a
// record being written now is read whole. With no '\n' in the last 64 KiB
// of a larger file, it starts at the end and drops the rest of that record.
func endOffset(fh file, size int64) (int64, bool, error) {
	const window = 64 << 10
	if size == 0 {
		return 0, false, nil
	}
	from := max(0, size-window)
	buf := make([]byte, size-from)
	n, err := fh.ReadAt(buf, from)
	if err != nil && !errors.Is(err, io.EOF) {
		return 0, false, fmt.Errorf("read tail of file: %w", err)
	}
	if i := bytes.LastIndexByte(buf[:n], '\n'); i >= 0 {
		return from + int64(i) + 1, false, nil
	}
	if from == 0 {
		return 0, false, nil // only a partial first record so far
	}
	return size, true, nil
}

func (f *follower) wake() {
	select {
	case f.wakeCh <- struct{}{}:
	default:
	}
}

func (f *follower) wakeCheck() {
	select {
	case f.checkCh <- struct{}{}:
	default:
	}
}

func (f *follower) stop() { f.stopOne.Do(func() { close(f.stopCh) }) }

func (f *follower) stopped() bool {
	select {
	case <-f.stopCh:
		return true
	default:
		return false
	}
}

func (f *follower) tickInterval() time.Duration {
	if f.orphan.Load() {
		return f.t.opts.PollInterval // draining: nobody watches it
	}
	if f.fh == nil {
		return max(time.Until(f.reopenAt), time.Millisecond)
	}
	if f.handle == nil {
		return f.t.opts.PollInterval
	}
	return f.t.safety
}

// orphanGrace is how long a file that left the globs must stay at EOF
// without growing before it is released: a writer may keep writing to the
// renamed file until it reopens its log.
func (f *follower) orphanGrace() time.Duration {
	return max(2*f.t.opts.RescanInterval, 2*f.t.opts.PollInterval)
}

func (f *follower) run() {
	defer f.t.wg.Done()
	defer func() {
		f.t.mu.Lock()
		delete(f.t.live, f)
		f.t.mu.Unlock()
	}()
	defer close(f.doneCh)
	defer f.disarm()
	tick := time.NewTimer(f.tickInterval())
	defer tick.Stop()
	idle := time.NewTimer(time.Hour)
	idle.Stop()
	defer idle.Stop()
	full := true
	for {
		if full {
			f.check()
		}
		got := f.fh != nil && f.readAvailable()
		if got && f.holding() {
			idle.Reset(f.t.opts.MultilineTimeout)
		}
		if f.stopped() {
			return
		}
		if f.orphan.Load() && f.maybeRelease() {
			return
		}
		f.manageWatch(got, full)
		tick.Reset(f.tickInterval())
		full = false
		select {
		case <-f.stopCh:
			return
		case <-f.wakeCh:
		case <-f.checkCh:
			full = true
		case <-tick.C:
			full = true
		case <-idle.C:
			f.flushAssembler()
		}
	}
}

// manageWatch arms an inotify watch (through nxadm/tail's tracker) while the
// file is idle and drops it while the file is busy. inotify sends an event
// per write(2); through fsnotify and the tracker each costs about 20µs of
// goroutine hand-offs (measured: 11-16% of a core for 10 files × 500
// lines/s), while one read per PollInterval of a busy file costs a few µs.
// So: an idle file is woken at its first write, a busy one is read in
// batches, and the watch also goes when the file is orphaned or moved.
func (f *follower) manageWatch(got, polled bool) {
	if f.t.opts.Poll {
		return
	}
	if f.fh == nil || f.orphan.Load() {
		f.disarm()
		return
	}
	f.t.mu.Lock()
	path := f.path
	f.t.mu.Unlock()
	if f.handle != nil {
		if got || f.handle.path != filepath.Clean(path) {
			f.disarm()
			f.idlePolls = 0
		}
		return
	}
	if got {
		f.idlePolls = 0
		return
	}
	if polled {
		f.idlePolls++
	}
	now := time.Now()
	if f.idlePolls < idlePollsBeforeArm || now.Before(f.armRetry.next) {
		return
	}
	// Arm only if the path still names this file; otherwise the next scan
	// sorts out the rotation first.
	if fi, err := os.Stat(path); err != nil {
		return
	} else if id, ok := idOf(fi); !ok || id != f.id {
		return
	}
	h, err := armWatch(path, f.wake, f.t.requestScan)
	if err != nil {
		f.armRetry.backoff = min(max(2*f.armRetry.backoff, f.t.opts.RescanInterval), maxBackoff)
		f.armRetry.next = now.Add(f.armRetry.backoff)
		if errors.Is(err, errPathBusy) {
			f.t.log.Debug("path watched elsewhere in this process; polling it", "path", path)
			return
		}
		f.t.log.Warn("inotify watch failed; polling this file", "source", f.source, "path", path, "retry_in", f.armRetry.backoff, "err", err)
		f.t.hooks.ReadError(f.source, err)
		return
	}
	f.armRetry = retryAt{}
	f.handle = h
	f.wake() // data written before the watch existed
}

func (f *follower) disarm() {
	if f.handle != nil {
		f.handle.close()
		f.handle = nil
	}
}

// check looks at the file itself: reopens it after an error, detects
// truncation (size below our offset, or replaced leading bytes) and extends
// the fingerprint while the file is shorter than headMax.
func (f *follower) check() {
	if f.fh == nil {
		f.reopen()
		return
	}
	fi, err := f.fh.Stat()
	if err != nil {
		f.readFailed(err)
		return
	}
	size := fi.Size()
	f.size.Store(size)
	if size < f.readOff {
		f.truncated(size)
		return
	}
	hl, sum := unpackHead(f.head.Load())
	if hl == headMax || int64(hl) == size {
		if hl > 0 {
			same, err := f.headMatches(hl, sum, size)
			if err != nil {
				f.readFailed(err)
				return
			}
			if !same {
				// Truncated and regrown past our offset before we looked
				// (copytruncate under a busy writer).
				f.truncated(size)
			}
		}
		return
	}
	// The file grew past a short fingerprint: extend it, after checking
	// that the part we had is still the same.
	same, err := f.headMatches(hl, sum, size)
	if err != nil {
		f.readFailed(err)
		return
	}
	if !same {
		f.truncated(size)
		return
	}
	if err := f.captureHead(size); err != nil {
		f.readFailed(err)
	}
}

func (f *follower) headMatches(hl int, sum uint32, size int64) (bool, error) {
	if hl == 0 {
		return true, nil
	}
	if size < int64(hl) {
		return false, nil
	}
	var b [headMax]byte
	n, err := f.fh.ReadAt(b[:hl], 0)
	if n < hl {
		if err == nil || errors.Is(err, io.EOF) {
			return false, nil
		}
		return false, fmt.Errorf("read head: %w", err)
	}
	return crc32.ChecksumIEEE(b[:hl]) == sum, nil
}

func (f *follower) captureHead(size int64) error {
	hl := int(min(size, headMax))
	if hl == 0 {
		f.head.Store(0)
		return nil
	}
	var b [headMax]byte
	n, err := f.fh.ReadAt(b[:hl], 0)
	if n < hl {
		if err == nil || errors.Is(err, io.EOF) {
			hl = n // shrank meanwhile; the next check sorts it out
		} else {
			return fmt.Errorf("read head: %w", err)
		}
	}
	f.head.Store(packHead(hl, crc32.ChecksumIEEE(b[:hl])))
	return nil
}

func packHead(hl int, sum uint32) uint64    { return uint64(hl)<<32 | uint64(sum) }
func unpackHead(v uint64) (int, uint32)     { return int(v >> 32), uint32(v) }
func (f *follower) headInfo() (int, uint32) { return unpackHead(f.head.Load()) }

// readAvailable reads until EOF (or a short read: the writer is idle) and
// hands out every complete record. It reports whether any byte was read.
func (f *follower) readAvailable() bool {
	f.syncFormat()
	ml := f.in.multiline.Load()
	if ml && f.asm == nil {
		f.asm = f.t.newAsm(f.multilineOverflow)
	} else if !ml && f.asm != nil {
		f.flushAssembler()
		f.asm = nil
	}

	bp := f.t.bufPool.Get().(*[]byte)
	defer f.t.bufPool.Put(bp)
	b := *bp
	fill := copy(b, f.partial)
	base := f.readOff - int64(fill) // file offset of b[0]
	got := false
	for !f.stopped() {
		want := len(b) - fill
		n, err := f.fh.Read(b[fill:])
		if n > 0 {
			got = true
			f.readOff += int64(n)
			fill += n
			consumed := f.process(b[:fill], base)
			fill = copy(b, b[consumed:fill])
			base += int64(consumed)
		}
		if err != nil && !errors.Is(err, io.EOF) {
			f.partial = append(f.partial[:0], b[:fill]...)
			f.readFailed(err)
			return got
		}
		if n == 0 {
			if f.atEOF() {
				fill, base = 0, 0 // truncated: read the new content now
				continue
			}
			break
		}
		if n < want {
			break // short read: caught up; a wake-up or tick brings the rest
		}
	}
	if cap(f.partial) > 64<<10 && fill < cap(f.partial)/4 {
		f.partial = nil // one long record must not pin its memory for ever
	}
	f.partial = append(f.partial[:0], b[:fill]...)
	if got {
		f.lastData = time.Now()
	}
	return got
}

// syncFormat gives the follower the decoder of its input's format (which a
// reload may change), handing out what the old one held.
func (f *follower) syncFormat() {
	format := containerlog.Format(f.in.format.Load())
	if (f.dec == nil && format == containerlog.Raw) || (f.dec != nil && f.dec.Format() == format) {
		return
	}
	f.flushAssembler()
	f.dec = nil
	if format != containerlog.Raw {
		f.dec = containerlog.NewDecoder(format, f.t.maxRecord)
		f.dec.OnOverflow = func() { f.t.hooks.Oversized(f.source) }
	}
}

// atEOF checks for truncation: reading at an offset past the end returns 0.
// It reports whether the file was truncated and is ready to be read from 0.
func (f *follower) atEOF() bool {
	fi, err := f.fh.Stat()
	if err != nil {
		f.readFailed(err)
		return false
	}
	f.size.Store(fi.Size())
	if fi.Size() >= f.readOff {
		return false
	}
	f.truncated(fi.Size())
	return f.fh != nil && f.readOff == 0
}

// process hands out the complete records of data (whose first byte is at
// file offset base) and returns how many leading bytes are done with; the
// rest is a partial record to keep.
func (f *follower) process(data []byte, base int64) int {
	pos := 0
	if f.discarding {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			return len(data)
		}
		f.discarding = false
		pos = i + 1
		f.lineEnd = base + int64(pos)
	}
	maxRec := f.t.maxRecord
	for {
		i := bytes.IndexByte(data[pos:], '\n')
		if i < 0 {
			break
		}
		line := data[pos : pos+i]
		start := pos
		pos += i + 1
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
		if len(line) > maxRec {
			f.oversized(line)
		} else if f.dec != nil {
			if !f.dec.Add(line, base+int64(start), f.contentFn) && f.dec.Mismatched() == 1 {
				f.t.log.Warn("line not in the input's format; such lines are read as they are", "source", f.source, "format", f.dec.Format(), "offset", base+int64(start))
			}
		} else {
			f.content(line, base+int64(start))
		}
		f.lineEnd = base + int64(pos)
	}
	// More than a record plus "\r" without '\n': too long whatever follows.
	if len(data)-pos > maxRec+1 {
		f.discarding = true
		f.oversized(data[pos:])
		f.commit()
		return len(data)
	}
	f.commit()
	return pos
}

func (f *follower) multilineOverflow() {
	if h, ok := f.t.hooks.(MultilineOverflowHooks); ok {
		h.MultilineOverflow(f.source)
		return
	}
	f.t.hooks.Oversized(f.source)
}

// oversized counts a line of the file too long to be read (prefix is its
// start), once per line of the application's that it is a piece of.
func (f *follower) oversized(prefix []byte) {
	if f.dec == nil || f.dec.Skip(prefix) {
		f.t.hooks.Oversized(f.source)
	}
}

// content hands on a line the application wrote (a line of the file, or
// what the container log decoder made of it), which starts at file offset
// start.
func (f *follower) content(line []byte, start int64) {
	line = f.w3c.Record(line)
	if f.asm == nil {
		f.t.hooks.Record(f.source, line)
		return
	}
	f.addLine(line, start)
}

// holding reports whether lines read are held, not yet handed out: the
// pieces of a partial line, or the lines of a multi-line record.
func (f *follower) holding() bool {
	return (f.dec != nil && f.dec.Pending()) || (f.asm != nil && f.asm.Pending())
}

// addLine feeds the multi-line assembler and tracks the start of the oldest
// line it still holds: the committed offset must not pass it.
func (f *follower) addLine(line []byte, start int64) {
	was := f.asm.Pending()
	f.emitted = false
	f.asm.Add(line, f.emitFn)
	switch {
	case !f.asm.Pending():
		f.pendStart = -1
	case !was || f.emitted:
		// A new record began; if something was emitted, the held lines
		// before this one made up that record.
		f.pendStart = start
	}
}

func (f *follower) commit() {
	off := f.lineEnd
	if f.pendStart >= 0 && f.pendStart < off && f.asm != nil && f.asm.Pending() {
		off = f.pendStart
	}
	if f.dec != nil {
		if s := f.dec.PendingStart(); s >= 0 && s < off {
			off = s
		}
	}
	f.committed.Store(off)
}

// flushAssembler hands out what is held as it is (the file ended, was
// truncated, or stayed idle): the decoder's partial lines, then the
// assembler's record.
func (f *follower) flushAssembler() {
	if !f.holding() {
		return
	}
	if f.dec != nil {
		f.dec.Flush(f.contentFn)
	}
	if f.asm != nil && f.asm.Pending() {
		f.asm.Flush(f.emitFn)
	}
	f.pendStart = -1
	f.commit()
}

// truncated restarts the file from 0 after its content was cut.
func (f *follower) truncated(size int64) {
	f.t.log.Info("log file truncated; reading from the start", "source", f.source, "offset", f.readOff, "size", size)
	f.t.hooks.Truncated(f.source)
	f.flushAssembler() // lines already read are complete records
	f.w3c.Reset()
	f.partial = f.partial[:0]
	f.discarding = false
	if _, err := f.fh.Seek(0, io.SeekStart); err != nil {
		f.readFailed(err)
		return
	}
	f.readOff, f.lineEnd, f.pendStart = 0, 0, -1
	f.committed.Store(0)
	if err := f.captureHead(size); err != nil {
		f.readFailed(err)
	}
}

// readFailed reports an I/O error, closes the file and schedules a reopen
// with backoff (the reopen checks the path still names the same file).
func (f *follower) readFailed(err error) {
	f.failures++
	backoff := min(f.t.opts.PollInterval<<min(f.failures-1, 16), maxBackoff)
	f.reopenAt = time.Now().Add(backoff)
	f.t.log.Warn("error reading log file; will reopen", "source", f.source, "retry_in", backoff, "err", err)
	f.t.hooks.ReadError(f.source, err)
	f.closeFile()
}

func (f *follower) reopen() {
	if time.Now().Before(f.reopenAt) {
		return
	}
	f.t.mu.Lock()
	path := f.path
	f.t.mu.Unlock()
	fh, err := f.t.open(path)
	if err != nil {
		if isNotExist(err) {
			f.lost("path gone")
			return
		}
		f.readFailed(err)
		return
	}
	fi, err := fh.Stat()
	if err != nil {
		_ = fh.Close()
		f.readFailed(err)
		return
	}
	if id, ok := idOf(fi); !ok || id != f.id {
		_ = fh.Close()
		f.lost("path names another file now")
		return
	}
	if _, err := fh.Seek(f.readOff, io.SeekStart); err != nil {
		_ = fh.Close()
		f.readFailed(err)
		return
	}
	f.fmu.Lock()
	f.fh = fh
	f.fmu.Unlock()
	f.failures = 0
	f.t.log.Info("log file reopened", "source", f.source, "path", path, "offset", f.readOff)
}

// lost: the file could not be reopened at its path. Keep its position (a
// rescan that finds it elsewhere resumes there) and mark it orphaned, so
// that it is released like a file that left the globs.
func (f *follower) lost(why string) {
	f.t.log.Warn("lost track of log file after a read error", "source", f.source, "reason", why)
	f.t.mu.Lock()
	if !f.t.stopping && f.t.files[f.id] == f {
		delete(f.t.files, f.id)
		f.t.retained[f.id] = f.position()
	}
	f.t.mu.Unlock()
	// What is held past the committed offset is re-read by whoever resumes
	// from the kept position; handing it out at release would repeat it.
	f.partial = f.partial[:0]
	f.asm, f.dec = nil, nil
	f.pendStart = -1
	f.orphan.Store(true)
	f.orphanSince = time.Time{}
	f.reopenAt = time.Now().Add(maxBackoff) // released below, not reopened
}

// maybeRelease ends an orphan once it has been quiet at EOF for the grace
// period. It hands out a last partial line (nothing will complete it) and a
// pending multi-line record. It returns true if the follower is done.
func (f *follower) maybeRelease() bool {
	now := time.Now()
	if f.orphanSince.IsZero() {
		f.orphanSince = now
	}
	if f.fh != nil {
		fi, err := f.fh.Stat()
		if err != nil {
			f.readFailed(err)
			return false
		}
		if fi.Size() > f.readOff {
			f.wake() // more to drain first
			return false
		}
	}
	if now.Sub(f.orphanSince) < f.orphanGrace() || now.Sub(f.lastData) < f.orphanGrace() {
		return false
	}
	f.t.mu.Lock()
	if f.t.stopping || !f.orphan.Load() {
		f.t.mu.Unlock()
		f.orphanSince = time.Time{}
		return false
	}
	if f.t.files[f.id] == f {
		delete(f.t.files, f.id)
	}
	f.t.mu.Unlock()

	if len(f.partial) > 0 && !f.discarding {
		line := f.partial
		if n := len(line); line[n-1] == '\r' {
			line = line[:n-1]
		}
		if len(line) <= f.t.maxRecord {
			if f.dec != nil {
				f.dec.Add(line, f.lineEnd, f.contentFn)
			} else {
				f.content(line, f.lineEnd)
			}
		}
		f.partial = f.partial[:0]
	}
	f.flushAssembler()
	f.closeFile()
	f.t.log.Info("released log file that left the globs", "source", f.source)
	return true
}

func (f *follower) closeFile() {
	f.fmu.Lock()
	if f.fh != nil {
		_ = f.fh.Close()
		f.fh = nil
	}
	f.fmu.Unlock()
}

// lag is size minus committed offset. Called under Tailer.mu from Stats.
func (f *follower) lag() int64 {
	size := f.size.Load()
	f.fmu.Lock()
	if f.fh != nil {
		if fi, err := f.fh.Stat(); err == nil {
			size = fi.Size()
		}
	}
	f.fmu.Unlock()
	return max(0, size-f.committed.Load())
}

// position is what SavePositions writes for this file. Caller holds
// Tailer.mu (for path).
func (f *follower) position() position {
	hl, sum := f.headInfo()
	return position{
		Path: f.path, Source: f.source, Dev: f.id.dev, Inode: f.id.ino,
		Offset: f.committed.Load(), HeadLen: hl, HeadCRC: sum,
	}
}
