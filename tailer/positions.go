package tailer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// positionsVersion is the format of the positions file; a file of another
// version is set aside, not misread.
const positionsVersion = 1

type positionsFile struct {
	Version int        `json:"version"`
	Files   []position `json:"files"`
}

// position is one file's entry. Offset is the committed offset: every
// record before it was handed to Hooks.Record.
type position struct {
	Path    string `json:"path"`
	Source  string `json:"source"`
	Dev     uint64 `json:"dev"`
	Inode   uint64 `json:"inode"`
	Offset  int64  `json:"offset"`
	HeadLen int    `json:"head_len"`
	HeadCRC uint32 `json:"head_crc32"`

	// fromDisk: loaded at start-up and not yet looked for beside its path
	// (rotated while we were down). Kept until then even if the path now
	// names another file.
	fromDisk bool
}

func (p position) id() fileID { return fileID{dev: p.Dev, ino: p.Inode} }

// loadPositions reads the positions file. A missing file is a first start.
// A file that cannot be parsed is renamed to *.corrupt and ignored (logged):
// the sidecar keeps running, starting those files per Input.Start. An
// unreadable file or directory is a configuration error.
func (t *Tailer) loadPositions() error {
	path := t.opts.PositionsFile
	if err := checkWritableDir(filepath.Dir(path)); err != nil {
		return fmt.Errorf("tailer: positions file %s: %w", path, err)
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("tailer: reading positions file: %w", err)
	}
	var pf positionsFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err = dec.Decode(&pf)
	if err == nil && pf.Version != positionsVersion {
		err = fmt.Errorf("unsupported version %d", pf.Version)
	}
	if err == nil {
		for _, p := range pf.Files {
			if p.Offset < 0 || p.HeadLen < 0 || p.HeadLen > headMax || p.Path == "" {
				err = fmt.Errorf("invalid entry for %q", p.Path)
				break
			}
		}
	}
	if err != nil {
		aside := path + ".corrupt"
		t.log.Error("positions file unreadable; set aside, starting without saved positions",
			"file", path, "moved_to", aside, "err", err)
		if rerr := os.Rename(path, aside); rerr != nil {
			return fmt.Errorf("tailer: positions file %s is corrupt (%v) and cannot be moved aside: %w", path, err, rerr)
		}
		return nil
	}
	for _, p := range pf.Files {
		p.fromDisk = true
		t.retained[p.id()] = p
		t.diskPaths[p.Path] = p.id()
	}
	t.lastSaved = data
	t.log.Info("loaded tail positions", "file", path, "files", len(pf.Files))
	return nil
}

func checkWritableDir(dir string) error {
	f, err := os.CreateTemp(dir, ".tailer-probe-*")
	if err != nil {
		return fmt.Errorf("directory not writable: %w", err)
	}
	name := f.Name()
	_ = f.Close()
	return os.Remove(name)
}

// SavePositions writes the committed offset of every followed file, and the
// kept positions of files not followed right now, atomically: a temporary
// file in the same directory is written, fsynced and renamed over the old
// one, and the directory is fsynced, so a crash leaves either the old or the
// new file. Run calls it every PositionsInterval and when it returns.
func (t *Tailer) SavePositions() error {
	if t.opts.PositionsFile == "" {
		return nil
	}
	t.saveMu.Lock()
	defer t.saveMu.Unlock()

	t.mu.Lock()
	entries := make([]position, 0, len(t.files)+len(t.retained))
	for _, f := range t.files {
		entries = append(entries, f.position())
	}
	kept := make(map[fileID]position, len(t.retained))
	for id, p := range t.retained {
		kept[id] = p
	}
	t.mu.Unlock()

	// Drop kept positions whose file is gone from its path (it can no
	// longer be resumed), except those still waiting for the rotated-while-
	// down search.
	for id, p := range kept {
		if !p.fromDisk {
			fi, err := os.Stat(p.Path)
			if gotID, ok := idOfStat(fi, err); !ok || gotID != id {
				t.mu.Lock()
				if cur, ok := t.retained[id]; ok && cur == p {
					delete(t.retained, id)
				}
				t.mu.Unlock()
				continue
			}
		}
		entries = append(entries, p)
	}
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].Path != entries[j].Path {
			return entries[i].Path < entries[j].Path
		}
		return entries[i].Inode < entries[j].Inode
	})
	data, err := json.MarshalIndent(positionsFile{Version: positionsVersion, Files: entries}, "", "  ")
	if err != nil {
		return fmt.Errorf("tailer: encoding positions: %w", err)
	}
	data = append(data, '\n')
	if bytes.Equal(data, t.lastSaved) {
		return nil // nothing moved: spare the disk an fsync
	}
	if err := writeFileAtomic(t.opts.PositionsFile, data); err != nil {
		return fmt.Errorf("tailer: saving positions: %w", err)
	}
	t.lastSaved = data
	return nil
}

func idOfStat(fi os.FileInfo, err error) (fileID, bool) {
	if err != nil {
		return fileID{}, false
	}
	return idOf(fi)
}

func writeFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		_ = tmp.Close()
		return err
	}
	if err = tmp.Sync(); err != nil {
		_ = tmp.Close()
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	// The rename is durable only once the directory entry is.
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
