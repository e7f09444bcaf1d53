package tailer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/secondme/secondme_error_exporter/containerlog"
)

// Start says where to begin reading a file that has no saved position and
// already existed when its input was first scanned. Files that appear later
// are always read from their beginning: everything in them is new.
type Start int

const (
	StartEnd       Start = iota // skip what is already there (the default)
	StartBeginning              // read existing content too
)

func (s Start) String() string {
	switch s {
	case StartEnd:
		return "end"
	case StartBeginning:
		return "beginning"
	}
	return fmt.Sprintf("Start(%d)", int(s))
}

// ParseStart parses the --tail.start flag value: "end" or "beginning".
func ParseStart(s string) (Start, error) {
	switch s {
	case "end":
		return StartEnd, nil
	case "beginning":
		return StartBeginning, nil
	}
	return 0, fmt.Errorf("tail start %q: must be \"end\" or \"beginning\"", s)
}

// Input is one log source: the files matched by its globs.
type Input struct {
	Name      string // the `source` label (never a file path)
	Globs     []string
	Start     Start
	Multiline bool // join pretty-printed multi-line JSON records (parser.Assembler)
	// Format is how the files wrap the application's lines (containerlog):
	// CRI and Docker lines are unwrapped, their partial pieces joined within
	// MaxRecordBytes, before the assembler or Hooks.Record sees them.
	Format containerlog.Format
}

// Hooks receives what the tailer finds. The exporter implements it. Methods
// are called from tailer goroutines, concurrently for different files; calls
// for one file are sequential.
type Hooks interface {
	// Record is one complete record without its line terminator ("\n" or
	// "\r\n" stripped); a data line of a W3C extended log (IIS, CloudFront)
	// comes as its fields named by the file's "#Fields:" directive
	// (parser.W3C). record is only valid during the call.
	Record(source string, record []byte)
	// Oversized: a record longer than MaxRecordBytes was skipped.
	Oversized(source string)
	Rotated(source string)
	Truncated(source string)
	// ReadError: unreadable file, permission denied, watcher failure... The
	// tailer logs it and retries with backoff.
	ReadError(source string, err error)
}

// Options configure a Tailer. Zero values mean the documented default.
type Options struct {
	Poll              bool          // --tail.poll: stat polling instead of inotify (NFS, overlay)
	PollInterval      time.Duration // default 250ms
	PositionsFile     string        // "" = no persistence
	PositionsInterval time.Duration // default 5s; also the bound of records repeated after kill -9
	RescanInterval    time.Duration // glob rescan for new/removed files, default 1s
	MaxRecordBytes    int           // default 1 MiB
	MultilineMaxLines int           // default 1000
	MultilineMaxBytes int           // default MaxRecordBytes
	MultilineTimeout  time.Duration // flush a pending multi-line record after this idle time (default 1s)
	Logger            *slog.Logger
	Hooks             Hooks
}

// SourceStats is read at scrape time.
type SourceStats struct {
	FilesWatched int
	LagBytes     int64 // size minus committed offset, summed over the source's files
}

const (
	defaultPollInterval      = 250 * time.Millisecond
	defaultPositionsInterval = 5 * time.Second
	defaultRescanInterval    = time.Second
	defaultMaxRecordBytes    = 1 << 20
	defaultMultilineMaxLines = 1000
	defaultMultilineTimeout  = time.Second

	// readChunk is the minimum free space of a read buffer: large reads are
	// what make catch-up fast (one syscall per ~5000 records).
	readChunk = 1 << 20
	// safetyTick is how often an inotify-armed follower checks its file even
	// without events (lost events on queue overflow, copytruncate regrowth).
	safetyTick = time.Second
	// idlePollsBeforeArm: a polled file with no new data for this many polls
	// in a row gets an inotify watch again (see follower.manageWatch).
	idlePollsBeforeArm = 4
	// maxBackoff caps retries of unreadable files and failed watches.
	maxBackoff = 30 * time.Second
)

// file is what a follower needs from an open file; *os.File implements it.
// Tests substitute failing implementations through Tailer.open.
type file interface {
	io.Reader
	io.ReaderAt
	io.Seeker
	io.Closer
	Stat() (os.FileInfo, error)
}

func openOS(path string) (file, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err // not a typed nil inside the interface
	}
	return f, nil
}

// inputState is the Tailer's view of one Input. cfg is replaced by SetInputs
// under Tailer.mu; the pointer stays for an input that keeps its name, which
// is how its followers (and offsets) survive a reload.
type inputState struct {
	cfg        Input
	multiline  atomic.Bool // read by followers without Tailer.mu
	format     atomic.Uint32
	scanned    bool // initial scan done (Start applies only to it)
	ready      bool
	deferStart map[fileID]bool // seen in the initial scan but not opened yet
}

// Tailer follows the files of a set of inputs. Create it with New, give it
// inputs with SetInputs, and Run it.
type Tailer struct {
	opts      Options
	log       *slog.Logger
	hooks     Hooks
	maxRecord int
	bufSize   int
	bufPool   sync.Pool
	newAsm    func(onOverflow func()) assembler
	open      func(path string) (file, error) // test seams for fs errors
	stat      func(path string) (os.FileInfo, error)
	safety    time.Duration // safetyTick; tests raise it to prove inotify wakes

	// scanMu serialises scans, SetInputs' lifecycle changes and shutdown: the
	// three things that start, stop and (re)arm followers.
	scanMu sync.Mutex

	mu        sync.Mutex
	inputs    []*inputState // config order: the first input matching a file owns it
	files     map[fileID]*follower
	live      map[*follower]bool  // running follower goroutines, also those no longer in files
	retained  map[fileID]position // positions not followed right now (from disk, removed inputs)
	diskPaths map[string]fileID   // path → identity as saved before this process started
	pathIDs   map[string]pathID   // path → the file last followed there (rotation counting)
	openFail  map[string]*retryAt // path → next attempt after an error
	running   bool
	stopping  bool
	scanned   bool // at least one scan done

	scanReq chan struct{}
	wg      sync.WaitGroup

	saveMu    sync.Mutex
	lastSaved []byte
}

type retryAt struct {
	next    time.Time
	backoff time.Duration
}

// New validates opts, loads the positions file and returns a Tailer.
func New(opts Options) (*Tailer, error) {
	if opts.Hooks == nil {
		return nil, errors.New("tailer: Options.Hooks is required")
	}
	for name, d := range map[string]time.Duration{
		"PollInterval": opts.PollInterval, "PositionsInterval": opts.PositionsInterval,
		"RescanInterval": opts.RescanInterval, "MultilineTimeout": opts.MultilineTimeout,
	} {
		if d < 0 {
			return nil, fmt.Errorf("tailer: %s must not be negative, got %s", name, d)
		}
	}
	if opts.MaxRecordBytes < 0 || opts.MultilineMaxLines < 0 || opts.MultilineMaxBytes < 0 {
		return nil, errors.New("tailer: MaxRecordBytes, MultilineMaxLines and MultilineMaxBytes must not be negative")
	}
	setDefault(&opts.PollInterval, defaultPollInterval)
	setDefault(&opts.PositionsInterval, defaultPositionsInterval)
	setDefault(&opts.RescanInterval, defaultRescanInterval)
	setDefault(&opts.MultilineTimeout, defaultMultilineTimeout)
	setDefault(&opts.MaxRecordBytes, defaultMaxRecordBytes)
	setDefault(&opts.MultilineMaxLines, defaultMultilineMaxLines)
	setDefault(&opts.MultilineMaxBytes, opts.MaxRecordBytes)
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	t := &Tailer{
		opts:      opts,
		log:       opts.Logger,
		hooks:     opts.Hooks,
		maxRecord: opts.MaxRecordBytes,
		// Room for a whole record (+"\r\n") plus a useful read.
		bufSize:   opts.MaxRecordBytes + 2 + readChunk,
		open:      openOS,
		stat:      os.Stat,
		safety:    safetyTick,
		files:     map[fileID]*follower{},
		live:      map[*follower]bool{},
		retained:  map[fileID]position{},
		diskPaths: map[string]fileID{},
		pathIDs:   map[string]pathID{},
		openFail:  map[string]*retryAt{},
		scanReq:   make(chan struct{}, 1),
	}
	t.bufPool.New = func() any { b := make([]byte, t.bufSize); return &b }
	maxLines, maxBytes := opts.MultilineMaxLines, opts.MultilineMaxBytes
	t.newAsm = func(onOverflow func()) assembler { return newParserAssembler(maxLines, maxBytes, onOverflow) }
	if opts.PositionsFile != "" {
		if err := t.loadPositions(); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func setDefault[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}

// SetInputs sets the inputs, at start-up and on reload. An input keeps its
// followers and offsets when its Name stays. When SetInputs returns, the
// followers of removed inputs have stopped (no more hook calls for their
// source) and their positions are kept, so re-adding the input resumes.
func (t *Tailer) SetInputs(inputs []Input) error {
	seen := map[string]bool{}
	for i, in := range inputs {
		if in.Name == "" {
			return fmt.Errorf("tailer: input %d: empty name", i)
		}
		if seen[in.Name] {
			return fmt.Errorf("tailer: input %q: duplicate name", in.Name)
		}
		seen[in.Name] = true
		if len(in.Globs) == 0 {
			return fmt.Errorf("tailer: input %q: no globs", in.Name)
		}
		for _, g := range in.Globs {
			if g == "" {
				return fmt.Errorf("tailer: input %q: empty glob", in.Name)
			}
			if _, err := filepath.Match(g, ""); err != nil {
				return fmt.Errorf("tailer: input %q: glob %q: %w", in.Name, g, err)
			}
		}
		if in.Start != StartEnd && in.Start != StartBeginning {
			return fmt.Errorf("tailer: input %q: invalid start %d", in.Name, in.Start)
		}
	}

	t.scanMu.Lock()
	defer t.scanMu.Unlock()
	t.mu.Lock()
	old := map[string]*inputState{}
	for _, in := range t.inputs {
		old[in.cfg.Name] = in
	}
	next := make([]*inputState, 0, len(inputs))
	for _, cfg := range inputs {
		cfg.Globs = append([]string(nil), cfg.Globs...)
		in := old[cfg.Name]
		if in == nil {
			in = &inputState{deferStart: map[fileID]bool{}}
		}
		in.cfg = cfg
		in.multiline.Store(cfg.Multiline)
		in.format.Store(uint32(cfg.Format))
		delete(old, cfg.Name)
		next = append(next, in)
	}
	t.inputs = next
	var detached []*follower
	for id, f := range t.files {
		if _, removed := old[f.in.cfg.Name]; removed {
			delete(t.files, id)
			detached = append(detached, f)
		}
	}
	var draining []*follower // orphans of removed inputs: not in files
	for f := range t.live {
		if _, removed := old[f.in.cfg.Name]; removed && t.files[f.id] != f && !slices.Contains(detached, f) {
			draining = append(draining, f)
		}
	}
	t.mu.Unlock()

	t.stopFollowers(detached, true)
	t.stopFollowers(draining, false)
	t.requestScan()
	return nil
}

// stopFollowers stops followers that are no longer in t.files and waits for
// them (each drops its inotify watch on the way out). With retain, their
// positions are kept for a later resume.
func (t *Tailer) stopFollowers(fs []*follower, retain bool) {
	for _, f := range fs {
		f.stop()
	}
	for _, f := range fs {
		<-f.doneCh
		f.closeFile()
		if retain {
			t.mu.Lock()
			t.retained[f.id] = f.position()
			t.mu.Unlock()
		}
	}
}

func (t *Tailer) requestScan() {
	select {
	case t.scanReq <- struct{}{}:
	default:
	}
}

// Run follows files until ctx is done, then stops every follower and saves
// positions. It returns the error of that last save, if any.
func (t *Tailer) Run(ctx context.Context) error {
	t.mu.Lock()
	if t.running {
		t.mu.Unlock()
		return errors.New("tailer: Run called twice")
	}
	t.running = true
	t.mu.Unlock()
	if !t.opts.Poll {
		installFatalGuard(t.log)
	}

	rescan := time.NewTicker(t.opts.RescanInterval)
	defer rescan.Stop()
	var saveC <-chan time.Time
	if t.opts.PositionsFile != "" {
		save := time.NewTicker(t.opts.PositionsInterval)
		defer save.Stop()
		saveC = save.C
	}
	save := func() {
		if err := t.SavePositions(); err != nil {
			t.log.Error("saving tail positions failed; will retry", "file", t.opts.PositionsFile, "err", err)
		}
	}
	// A file's first position is saved at once, not up to PositionsInterval
	// later: after a kill -9 a file without a saved position would count as
	// existing at start-up, and start=end would skip what it holds.
	scan := func() {
		if t.scan() > 0 && saveC != nil {
			save()
		}
	}
	scan()
	for done := false; !done; {
		select {
		case <-ctx.Done():
			done = true
		case <-rescan.C:
			scan()
		case <-t.scanReq:
			scan()
		case <-saveC:
			save()
		}
	}
	t.shutdown()
	if t.opts.PositionsFile == "" {
		return nil
	}
	if err := t.SavePositions(); err != nil {
		return fmt.Errorf("tailer: final save of positions: %w", err)
	}
	return nil
}

// shutdown stops all followers but leaves them in t.files, so that the
// final SavePositions records where each one stopped.
func (t *Tailer) shutdown() {
	t.scanMu.Lock()
	defer t.scanMu.Unlock()
	t.mu.Lock()
	t.stopping = true
	fs := make([]*follower, 0, len(t.live))
	for f := range t.live {
		fs = append(fs, f) // including orphans that left files
	}
	t.mu.Unlock()
	for _, f := range fs {
		f.stop()
	}
	t.wg.Wait()
	for _, f := range fs {
		f.closeFile()
	}
}

// Ready reports whether every input has been scanned and every file it
// matched has been opened at least once. A file that could not be opened
// counts once its error has been reported through Hooks.ReadError: a
// metrics sidecar must not take its pod out of service because one log is
// unreadable; the error counter is what alerts.
func (t *Tailer) Ready() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.scanned {
		return false
	}
	for _, in := range t.inputs {
		if !in.ready {
			return false
		}
	}
	return true
}

// Stats returns, per current input, the files followed and how many bytes
// they are behind. It stats the open files, so the lag is current.
func (t *Tailer) Stats() map[string]SourceStats {
	t.mu.Lock()
	defer t.mu.Unlock()
	res := make(map[string]SourceStats, len(t.inputs))
	for _, in := range t.inputs {
		res[in.cfg.Name] = SourceStats{}
	}
	for _, f := range t.files {
		s, ok := res[f.in.cfg.Name]
		if !ok {
			continue
		}
		s.FilesWatched++
		s.LagBytes += f.lag()
		res[f.in.cfg.Name] = s
	}
	return res
}

// noteOpenError reports an error about path (a file or a glob) and starts
// or doubles its backoff; backingOff then skips it until the next attempt.
func (t *Tailer) noteOpenError(in *inputState, path string, err error, now time.Time) {
	t.mu.Lock()
	r := t.openFail[path]
	if r == nil {
		r = &retryAt{backoff: t.opts.RescanInterval}
		t.openFail[path] = r
	} else {
		r.backoff = min(2*r.backoff, maxBackoff)
	}
	r.next = now.Add(r.backoff)
	backoff := r.backoff
	t.mu.Unlock()
	t.log.Warn("cannot read log file; will retry", "source", in.cfg.Name, "path", path, "retry_in", backoff, "err", err)
	t.hooks.ReadError(in.cfg.Name, err)
}

func (t *Tailer) backingOff(path string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	r := t.openFail[path]
	return r != nil && now.Before(r.next)
}

func (t *Tailer) clearOpenError(path string) {
	t.mu.Lock()
	delete(t.openFail, path)
	t.mu.Unlock()
}

// isNotExist also treats ENOTDIR as "gone": a path component was replaced.
func isNotExist(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, errNotDir)
}
