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
// rotations, starts followers for new files and orphans vanished ones (each
// follower manages its own inotify watch). It runs on Run's goroutine;
// SetInputs and inotify events only request it. It returns how many
// followers it started.
func (t *Tailer) scan() int {
	t.scanMu.Lock()
	defer t.scanMu.Unlock()
	now := time.Now()

	t.mu.Lock()
	if t.stopping {
		t.mu.Unlock()
		return 0
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
	// Globs and paths whose scan failed with an error other than "does not
	// exist" (EACCES on a directory, ESTALE on NFS): their files are unknown
	// this time, not gone. Releasing their followers would make the files
	// look new once the error clears, and read them twice.
	var uncertainGlobs []string
	uncertainPaths := map[string]bool{}
	for i, in := range inputs {
		for _, g := range globs[i] {
			ps, _ := filepath.Glob(g) // the only error is ErrBadPattern, rejected by SetInputs
			if len(ps) == 0 {
				// Glob hides I/O errors: an unsearchable directory looks
				// like "no files". Report it instead of staying silent.
				if err := globDirError(g); err != nil {
					uncertainGlobs = append(uncertainGlobs, g)
					if !t.backingOff(g, now) {
						t.noteOpenError(in, g, err, now)
					}
				}
				continue
			}
			for _, p := range ps {
				if _, dup := paths[p]; dup {
					continue
				}
				fi, err := t.stat(p)
				if err != nil {
					if !isNotExist(err) {
						uncertainPaths[p] = true
						if !t.backingOff(p, now) {
							t.noteOpenError(in, p, err, now)
						}
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
	var moved []*follower
	for id, f := range t.files {
		m, ok := matches[id]
		switch {
		case !ok && (uncertainPaths[f.path] || matchesAny(uncertainGlobs, f.path)):
			// Could not look: keep following from the open descriptor.
		case !ok:
			// Renamed out of the globs or deleted: drain to EOF, then release.
			if !f.orphan.Load() {
				f.orphan.Store(true) // the follower drops its watch when it sees this
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
				// Renamed within the globs: same file, same offset. The
				// follower moves its watch when it sees the new path.
				f.path = m.path
				f.wakeCheck()
			}
		}
	}
	// (The loop above refreshed the entries of live files.)
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

	t.stopFollowers(moved, true)

	pending := map[*inputState]bool{}
	started := 0
	for _, c := range cands {
		switch t.startFollower(c, now) {
		case startedOK:
			started++
		case skipped:
			pending[c.in] = true
		}
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
	return started
}

type startResult int

const (
	startedOK startResult = iota
	reported              // failed, reported through ReadError: counts as handled for readiness
	skipped               // transient (raced with a rotation): retried at the next scan
)

// startFollower opens a candidate and starts its follower.
func (t *Tailer) startFollower(c candidate, now time.Time) startResult {
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
		return reported // when the backoff started
	}
	fh, err := t.open(c.path)
	if err != nil {
		if isNotExist(err) {
			return skipped
		}
		t.noteOpenError(c.in, c.path, err, now)
		return reported
	}
	fi, err := fh.Stat()
	if err != nil {
		_ = fh.Close()
		t.noteOpenError(c.in, c.path, err, now)
		return reported
	}
	if id, ok := idOf(fi); !ok || id != c.id {
		_ = fh.Close()
		return skipped // the path was rotated between stat and open
	}
	t.clearOpenError(c.path)

	f := newFollower(t, c, fh)
	if err := f.init(c, fi.Size()); err != nil {
		_ = fh.Close()
		t.noteOpenError(c.in, c.path, err, now)
		return reported
	}
	t.mu.Lock()
	if t.stopping {
		t.mu.Unlock()
		_ = fh.Close()
		return skipped
	}
	t.files[c.id] = f
	t.live[f] = true
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
	return startedOK
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
