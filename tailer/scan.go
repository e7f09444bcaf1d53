package tailer

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// candidate is a file identity that matched a glob and has no follower yet.
type candidate struct {
	id        fileID
	in        *inputState
	path      string
	initial   bool // existed at its input's first scan: Start applies
	successor bool // its path held another file before this process started
	orphan    bool // a rotated-while-down file found beside its saved path
	replaced  bool // takes the place of a file we followed at this path: a rotation
}

// pathMemory is how long a path remembers the file last followed there, so
// that a new file taking its place counts as a rotation even if the path was
// missing for a while in between (rename now, create later).
const pathMemory = 10 * time.Minute

type pathID struct {
	id fileID
	at time.Time
}

// scan matches the globs, binds file identities to followers, notices
// rotations, starts followers for new files, releases vanished ones and
// arms inotify watches. It runs on Run's goroutine (and from SetInputs only
// through requestScan).
func (t *Tailer) scan() {
	t.scanMu.Lock()
	defer t.scanMu.Unlock()
	now := time.Now()

	t.mu.Lock()
	if t.stopping {
		t.mu.Unlock()
		return
	}
	inputs := append([]*inputState(nil), t.inputs...)
	globs := make([][]string, len(inputs))
	for i, in := range inputs {
		globs[i] = in.cfg.Globs
	}
	t.mu.Unlock()

	// Globbing and stat without locks: Stats() must stay cheap meanwhile.
	type match struct {
		in   *inputState
		path string
	}
	matches := map[fileID]match{}
	paths := map[string]fileID{}
	var order []fileID
	for i, in := range inputs {
		for _, g := range globs[i] {
			ps, _ := filepath.Glob(g) // the only error is ErrBadPattern, rejected by SetInputs
			if len(ps) == 0 {
				// Glob hides I/O errors: an unsearchable directory looks
				// like "no files". Report it instead of staying silent.
				if err := globDirError(g); err != nil && !t.backingOff(g, now) {
					t.noteOpenError(in, g, err, now)
				}
				continue
			}
			for _, p := range ps {
				if _, dup := paths[p]; dup {
					continue
				}
				fi, err := os.Stat(p)
				if err != nil {
					if !isNotExist(err) && !t.backingOff(p, now) {
						t.noteOpenError(in, p, err, now)
					}
					continue
				}
				if !fi.Mode().IsRegular() {
					continue // directories, FIFOs, devices are not log files
				}
				id, ok := idOf(fi)
				if !ok {
					continue
				}
				paths[p] = id
				if _, taken := matches[id]; taken {
					continue // hard link or symlink to a file already matched
				}
				matches[id] = match{in: in, path: p}
				order = append(order, id)
			}
		}
	}

	t.mu.Lock()
	var disarm []*watchHandle
	var moved []*follower
	for id, f := range t.files {
		m, ok := matches[id]
		switch {
		case !ok:
			// Renamed out of the globs or deleted: drain to EOF, then release.
			if !f.orphan.Load() {
				f.orphan.Store(true)
				if f.handle != nil {
					disarm = append(disarm, f.handle)
					f.handle = nil
					f.armed.Store(false)
				}
				t.log.Debug("file no longer matched; draining before release", "source", f.in.cfg.Name, "path", f.path)
				f.wakeCheck()
			}
		case m.in != f.in:
			// Now owned by another input (globs changed on reload).
			delete(t.files, id)
			moved = append(moved, f)
		default:
			if f.orphan.Load() {
				f.orphan.Store(false)
				f.wakeCheck()
			}
			t.pathIDs[m.path] = pathID{id: id, at: now}
			if f.path != m.path {
				f.path = m.path // renamed within the globs: same file, same offset
				if f.handle != nil {
					disarm = append(disarm, f.handle)
					f.handle = nil
					f.armed.Store(false)
				}
			}
		}
	}
	for p, id := range paths {
		if pi, ok := t.pathIDs[p]; ok && pi.id == id {
			pi.at = now // still there: remembered as long as it lives
		}
	}
	for p, pi := range t.pathIDs {
		if _, ok := paths[p]; !ok && now.Sub(pi.at) > pathMemory {
			delete(t.pathIDs, p)
		}
	}
	var cands []candidate
	for _, id := range order {
		if t.files[id] != nil {
			continue
		}
		m := matches[id]
		c := candidate{id: id, in: m.in, path: m.path, initial: !m.in.scanned || m.in.deferStart[id]}
		if pi, ok := t.pathIDs[m.path]; ok && pi.id != id {
			c.replaced = true
		} else if old, ok := t.diskPaths[m.path]; ok && old != id {
			c.replaced, c.successor = true, true // rotated while we were down
		}
		cands = append(cands, c)
	}
	// Rotated while down and the rotated file is not matched by a glob:
	// find it beside its saved path by identity and finish it.
	for id, pos := range t.retained {
		if !pos.fromDisk || matches[id].in != nil || t.files[id] != nil {
			continue
		}
		for _, in := range inputs {
			if in.scanned || !matchesAny(in.cfg.Globs, pos.Path) {
				continue
			}
			if p, ok := findSibling(pos.Path, id); ok {
				cands = append(cands, candidate{id: id, in: in, path: p, orphan: true})
			}
			pos.fromDisk = false // searched once
			t.retained[id] = pos
			break
		}
	}
	t.mu.Unlock()

	for _, h := range disarm {
		h.close()
	}
	t.stopFollowers(moved, true)

	pending := map[*inputState]bool{}
	for _, c := range cands {
		if !t.startFollower(c, now) {
			pending[c.in] = true
		}
	}

	if !t.opts.Poll {
		t.armWatches(now)
	}

	t.mu.Lock()
	for _, in := range inputs {
		in.scanned = true
		if !pending[in] {
			in.ready = true
		}
	}
	t.scanned = true
	t.mu.Unlock()
}

// startFollower opens a candidate and starts its follower. It returns false
// if the file was skipped for a transient reason that was not reported
// (raced with a rotation); an error reported through ReadError counts as
// handled for readiness.
func (t *Tailer) startFollower(c candidate, now time.Time) bool {
	defer func() {
		if c.initial {
			t.mu.Lock()
			if t.files[c.id] == nil {
				c.in.deferStart[c.id] = true // Start still applies when it opens
			} else {
				delete(c.in.deferStart, c.id)
			}
			t.mu.Unlock()
		}
	}()
	if t.backingOff(c.path, now) {
		return true // reported when the backoff started
	}
	fh, err := t.open(c.path)
	if err != nil {
		if isNotExist(err) {
			return false
		}
		t.noteOpenError(c.in, c.path, err, now)
		return true
	}
	fi, err := fh.Stat()
	if err != nil {
		_ = fh.Close()
		t.noteOpenError(c.in, c.path, err, now)
		return true
	}
	if id, ok := idOf(fi); !ok || id != c.id {
		_ = fh.Close()
		return false // the path was rotated between stat and open
	}
	t.clearOpenError(c.path)

	f := newFollower(t, c, fh)
	if err := f.init(c, fi.Size()); err != nil {
		_ = fh.Close()
		t.noteOpenError(c.in, c.path, err, now)
		return true
	}
	t.mu.Lock()
	if t.stopping {
		t.mu.Unlock()
		_ = fh.Close()
		return true
	}
	t.files[c.id] = f
	t.wg.Add(1)
	if !c.orphan {
		t.pathIDs[c.path] = pathID{id: c.id, at: now}
		delete(t.diskPaths, c.path)
	}
	t.mu.Unlock()
	if c.replaced {
		t.log.Info("log file rotated: a new file took the place of the one followed", "source", c.in.cfg.Name, "path", c.path)
		t.hooks.Rotated(c.in.cfg.Name)
	}
	t.log.Debug("following file", "source", c.in.cfg.Name, "path", c.path, "offset", f.readOff, "orphan", c.orphan)
	go f.run()
	return true
}

// armWatches gives every live follower an inotify watch on its current path.
func (t *Tailer) armWatches(now time.Time) {
	t.mu.Lock()
	var todo []*follower
	paths := map[*follower]string{}
	for _, f := range t.files {
		if f.handle == nil && !f.orphan.Load() && !now.Before(f.armRetry.next) {
			todo = append(todo, f)
			paths[f] = f.path
		}
	}
	t.mu.Unlock()
	for _, f := range todo {
		p := paths[f]
		// Arm only if the path still names this file; otherwise the next
		// scan sorts out the rotation first.
		fi, err := os.Stat(p)
		if err != nil {
			continue
		}
		if id, ok := idOf(fi); !ok || id != f.id {
			continue
		}
		h, err := armWatch(p, f.wake, t.requestScan)
		if err != nil {
			f.armRetry.backoff = min(max(2*f.armRetry.backoff, t.opts.RescanInterval), maxBackoff)
			f.armRetry.next = now.Add(f.armRetry.backoff)
			if errors.Is(err, errPathBusy) {
				t.log.Debug("path watched elsewhere in this process; polling it", "path", p)
				continue
			}
			t.log.Warn("inotify watch failed; polling this file", "source", f.in.cfg.Name, "path", p, "retry_in", f.armRetry.backoff, "err", err)
			t.hooks.ReadError(f.in.cfg.Name, err)
			continue
		}
		f.armRetry = retryAt{}
		f.handle = h
		f.armed.Store(true)
		f.wake() // data written before the watch existed
	}
}

// globDirError returns why the directory part of a glob that matched
// nothing cannot be read, or nil if it is readable or simply absent.
func globDirError(glob string) error {
	if !hasMeta(glob) {
		if _, err := os.Stat(glob); err != nil && !isNotExist(err) {
			return err
		}
		return nil
	}
	dir := filepath.Dir(glob)
	for hasMeta(dir) {
		dir = filepath.Dir(dir)
	}
	d, err := os.Open(dir)
	if err != nil {
		if isNotExist(err) {
			return nil
		}
		return err
	}
	defer d.Close()
	if _, err := d.Readdirnames(1); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

func hasMeta(p string) bool { return strings.ContainsAny(p, `*?[\`) }

func matchesAny(globs []string, path string) bool {
	for _, g := range globs {
		if ok, _ := filepath.Match(g, path); ok {
			return true
		}
	}
	return false
}

// findSibling looks in the directory of path for a regular file with
// identity id: where logrotate moved it while we were not running.
func findSibling(path string, id fileID) (string, bool) {
	dir := filepath.Dir(path)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return "", false
	}
	for _, e := range ents {
		if !e.Type().IsRegular() {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue
		}
		if got, ok := idOf(fi); ok && got == id {
			return filepath.Join(dir, e.Name()), true
		}
	}
	return "", false
}
