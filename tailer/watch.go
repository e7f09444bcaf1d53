package tailer

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/nxadm/tail/util"
	"github.com/nxadm/tail/watch"
)

// This file is the only one that touches nxadm/tail. The package doc lists
// the library's sharp edges and which code below guards each of them.

// trackerStartTimeout bounds how long we wait for nxadm/tail's tracker
// goroutine to answer its first request. It only matters if the tracker died
// without our guard noticing, which would otherwise block the scan forever.
const trackerStartTimeout = 10 * time.Second

// probeName is a path that is never watched: removing it is a harmless
// first request that makes the tracker start (see startTracker).
const probeName = "/nonexistent/secondme-tailer-tracker-start-probe"

var (
	fatalGuardOnce sync.Once
	// fatalLog is where the util.Fatal guard reports; the first Tailer that
	// installs the guard sets it (util.LOGGER is process-wide, so is this).
	fatalLog atomic.Pointer[slog.Logger]
	// fatalCalls counts util.Fatal calls that the guard turned into a
	// goroutine exit; tests read it.
	fatalCalls atomic.Int64

	trackerMu      sync.Mutex
	trackerRunning bool
	trackerDead    bool                  // the tracker goroutine is gone for good
	trackerDied    = make(chan struct{}) // closed when the guard sees the tracker's fatal
	trackerDiedMu  sync.Once

	registryMu sync.Mutex
	registry   = map[string]*watchHandle{} // one armed handle per path, process-wide
)

// fatalWriter replaces the writer behind util.LOGGER. util.Fatal writes its
// message and then calls os.Exit(1); ending the goroutine inside Write means
// os.Exit is never reached. log.Logger releases its mutex with defer, which
// runtime.Goexit runs, so the logger stays usable.
type fatalWriter struct{}

func (fatalWriter) Write(p []byte) (int, error) {
	fatalCalls.Add(1)
	msg := p
	if i := bytes.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i] // the rest is a goroutine stack dump
	}
	if l := fatalLog.Load(); l != nil {
		l.Error("nxadm/tail called util.Fatal; ending only its goroutine instead of the process", "message", string(msg))
	}
	if bytes.Contains(msg, []byte("failed to create Watcher")) {
		// The shared inotify tracker's goroutine is the caller: it is gone.
		trackerDiedMu.Do(func() { close(trackerDied) })
	}
	runtime.Goexit()
	return len(p), nil // unreachable
}

// installFatalGuard makes every util.Fatal in nxadm/tail end its goroutine
// instead of the process. It runs before any nxadm/tail goroutine of ours is
// started, so the assignment does not race with a reader.
func installFatalGuard(logger *slog.Logger) {
	fatalGuardOnce.Do(func() {
		fatalLog.Store(logger)
		util.LOGGER = &util.Logger{Logger: log.New(fatalWriter{}, "", 0)}
	})
}

// errTrackerDead is returned by startTracker once the tracker has died; the
// process then polls for good (the tracker is a sync.Once in nxadm/tail and
// cannot be restarted).
var errTrackerDead = errors.New("nxadm/tail inotify tracker died (fsnotify.NewWatcher failed); polling instead")

// startTracker starts nxadm/tail's process-wide inotify tracker, guarding
// its util.Fatal on fsnotify.NewWatcher failure (package doc, item 3).
func startTracker() error {
	trackerMu.Lock()
	defer trackerMu.Unlock()
	if trackerRunning {
		return nil
	}
	if trackerDead {
		return errTrackerDead
	}
	// Probe: if inotify instances are exhausted, fail here, where it is an
	// error, not in the tracker's goroutine, where it is os.Exit.
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("inotify unavailable, polling instead: %w", err)
	}
	_ = w.Close()

	started := make(chan struct{})
	go func() {
		// If the tracker dies this goroutine blocks forever on its channel:
		// the one leak we accept instead of a process exit.
		_ = watch.RemoveWatch(probeName)
		close(started)
	}()
	select {
	case <-started:
		trackerRunning = true
		return nil
	case <-trackerDied:
	case <-time.After(trackerStartTimeout):
	}
	trackerDead = true
	return errTrackerDead
}

// watchHandle is one armed inotify watch on one path through nxadm/tail's
// tracker. Its consumer goroutine turns events into non-blocking wake-ups.
type watchHandle struct {
	path string
	done chan struct{} // closed when the consumer goroutine has returned
}

// errPathBusy means another handle (maybe of another Tailer in this process)
// already watches the path; the tracker cannot share a path safely.
var errPathBusy = errors.New("path already watched through nxadm/tail in this process")

// armWatch starts watching path. wake is called for every event; rescan for
// events that may mean the path now names another file.
func armWatch(path string, wake, rescan func()) (*watchHandle, error) {
	if err := startTracker(); err != nil {
		return nil, err
	}
	clean := filepath.Clean(path)
	registryMu.Lock()
	defer registryMu.Unlock()
	if registry[clean] != nil {
		return nil, errPathBusy
	}
	if err := watch.Watch(clean); err != nil {
		// Do not RemoveWatch after a failed Watch: it would drive the
		// tracker's reference count for the path negative (item 4).
		return nil, fmt.Errorf("inotify watch %s: %w", clean, err)
	}
	events := watch.Events(clean)
	h := &watchHandle{path: clean, done: make(chan struct{})}
	registry[clean] = h
	go func() {
		defer close(h.done)
		for ev := range events { // closed by RemoveWatch in close
			if ev.Op&(fsnotify.Rename|fsnotify.Remove|fsnotify.Chmod|fsnotify.Create) != 0 {
				rescan()
			}
			wake()
		}
	}()
	return h, nil
}

// close removes the watch and waits for the consumer to return, so that the
// path can be armed again (by the follower of a new inode) right away.
func (h *watchHandle) close() {
	// The error is expected when fsnotify already dropped the watch itself
	// (rename: IN_MOVE_SELF) and is of no use to the caller otherwise.
	_ = watch.RemoveWatch(h.path)
	<-h.done
	registryMu.Lock()
	if registry[h.path] == h {
		delete(registry, h.path)
	}
	registryMu.Unlock()
}
