//go:build unix

package tailer

import (
	"os"
	"syscall"
)

// fileID is a file's identity: it survives renames and distinguishes a
// re-created file from the one it replaced.
type fileID struct {
	dev, ino uint64
}

var errNotDir = syscall.ENOTDIR

// idOf returns the identity of a file from its FileInfo.
func idOf(fi os.FileInfo) (fileID, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fileID{}, false
	}
	return fileID{dev: uint64(st.Dev), ino: uint64(st.Ino)}, true //nolint:unconvert // Dev is int32 on some unixes
}
