// Package tailer follows the log files matched by globs through rotation,
// truncation and restarts, keeps a positions file, and hands every complete
// record to a callback exactly once.
//
// # Design
//
// A file is identified by (device, inode), never by its path: a Tailer keeps
// one follower per identity, so a glob that also matches the rotated file
// (app.log* matching app.log.1 after a rename) keeps following the same
// follower under its new path instead of reading it twice.
//
// Reading is done here, not by nxadm/tail: a follower reads from its offset
// with a large buffer, splits records with bytes.IndexByte and hands them to
// Hooks.Record as sub-slices of that buffer (no allocation per record). That
// is what makes a start=beginning catch-up run at page-cache speed; see
// BenchmarkCatchUp. nxadm/tail is used for what it is good at: its shared
// inotify tracker (package github.com/nxadm/tail/watch) wakes a follower
// whose idle file is written to. A busy file is read every PollInterval
// instead: inotify sends one event per write(2), and carrying each through
// fsnotify and the tracker costs ~20µs of goroutine hand-offs (11-16% of a
// core for 10 files × 500 lines/s, against 0.3% when batched; see
// BenchmarkFollowSteadyState). Notifications are hints only; every decision
// is made from our own fstat of the open descriptor and stat of the path:
//
//   - rotation: the rescan (every RescanInterval, and at once when inotify
//     reports a rename/remove/attrib of a watched idle file) finds the path
//     bound to another inode.
//     The old follower becomes an orphan: it keeps its descriptor, reads to
//     EOF, and is released only after it has stayed at EOF with no growth for
//     a grace period (2×max(RescanInterval, PollInterval)), so a writer that reopens late loses
//     nothing. The new inode gets its own follower, read from offset 0, and
//     Hooks.Rotated is called. Both are read concurrently: order across the
//     two files is not kept, every record is handed out once.
//   - truncation: fstat size smaller than our read offset, or the first
//     (up to 64) bytes of the file no longer match the fingerprint taken
//     when they were first read (copytruncate followed by writes that grew
//     the file past our offset before we looked).
//   - a record is handed out only once its '\n' has been read; '\r' of "\r\n"
//     is stripped; other bytes (invalid UTF-8, NUL) pass through untouched.
//   - a record longer than MaxRecordBytes is never buffered whole: once the
//     pending bytes exceed the limit they are discarded up to the next '\n',
//     and Hooks.Oversized is called once.
//   - a stat error other than ENOENT during a rescan (EACCES on a directory,
//     ESTALE on NFS) means "unknown", not "gone": followers are kept, so the
//     files are not read again as new once the error clears.
//
// Limits, by construction: a file created and renamed out of every glob
// between two rescans is never seen (use a glob that also matches rotated
// names, app.log*); copytruncate whose regrown file starts with the same 64
// bytes as before and passes our offset before we look (a safety tick of 1s,
// or PollInterval) is not detected; a file matched by two inputs belongs to
// the first.
//
// # Positions
//
// The positions file maps (device, inode) to path, offset and a head
// fingerprint. The offset of a file is its committed offset: it only moves
// past a record after Hooks.Record returned for it (with Multiline, past
// lines that the assembler has emitted). It is written atomically (temp file,
// fsync, rename, fsync of the directory) every PositionsInterval, on
// SavePositions and when Run returns, and at once when a scan starts
// following a new file (so that a file never counts as "no saved position,
// apply start=end" after a crash). After a graceful stop nothing is lost or
// repeated. After kill -9 nothing is lost, and the records handed out since
// the last save (at most PositionsInterval worth, default 5s) are handed out
// again. On restart a saved position is used only if the file at hand has
// the same (device, inode) and the same head fingerprint and is not shorter
// than the offset; a path now naming another inode means rotation while we
// were down: the old inode is looked for beside it (app.log.1 ...) and
// finished, the new file is read from 0.
//
// # nxadm/tail's sharp edges and how each is guarded
//
// Read in github.com/nxadm/tail@v1.4.11:
//
//  1. tail.TailFile calls util.Fatal (log + os.Exit(1)) when ReOpen is set
//     without Follow. Guard: we never call TailFile nor build a tail.Tail;
//     nothing here can reach that path.
//  2. watch.InotifyFileWatcher.ChangeEvents and
//     watch.PollingFileWatcher.ChangeEvents run goroutines that call
//     util.Fatal when os.Stat of the path fails with anything but ENOENT
//     (EACCES when a directory loses its x bit, ESTALE on NFS, ELOOP...).
//     That is a race with the filesystem, so no pre-check can close it.
//     Guard: we do not use ChangeEvents or BlockUntilExists at all. We use
//     the tracker primitives watch.Watch / watch.Events / watch.RemoveWatch
//     and consume the raw fsnotify events in our own goroutine, which stats
//     nothing. Poll mode (Options.Poll, for NFS and overlay filesystems
//     where inotify sees nothing) is our own fstat tick at PollInterval,
//     precisely because PollingFileWatcher would exit the process on the
//     ESTALE that NFS produces routinely.
//  3. The global tracker's goroutine calls util.Fatal when
//     fsnotify.NewWatcher fails (EMFILE once fs.inotify.max_user_instances
//     is used up). Guard: before the tracker is first started (it is a
//     process-wide sync.Once) we create and close an fsnotify watcher
//     ourselves; if that fails, inotify is reported through Hooks.ReadError,
//     the followers poll, and starting the tracker is retried with backoff.
//     Because another process can take the last instance between our probe
//     and the tracker's own attempt, we also install a last-resort guard on
//     util.LOGGER (the only thing util.Fatal writes to before os.Exit): its
//     writer logs the message through our slog.Logger and calls
//     runtime.Goexit, which ends only the goroutine that called util.Fatal,
//     so os.Exit is never reached. If that goroutine was the tracker, the
//     tracker is marked dead and every follower polls for the rest of the
//     process; one goroutine blocked on the dead tracker's channel leaks
//     (the tracker is started from a throwaway goroutine for that reason).
//  4. watch.Events before any watch.Watch dereferences a nil tracker, and
//     watch.RemoveWatch without a matching successful watch.Watch drives the
//     tracker's per-path reference count negative, after which a later Watch
//     of that path silently adds no inotify watch. Guard: watchHandle pairs
//     exactly one successful Watch with one RemoveWatch, never removes after
//     a failed Watch, and a process-wide registry allows one handle per path.
//  5. The tracker shares one event channel per path between all its users
//     and blocks its only goroutine until a user reads an event. Guard: one
//     handle per path (registry above; a second Tailer of the process polls
//     that path instead), whose consumer goroutine never blocks (wake-ups are
//     non-blocking sends). Each follower owns its handle and drops it as soon
//     as its file is orphaned or moved, so the follower of a new inode at the
//     same path can arm it.
//  6. fsnotify removes a file's watch by itself when the file is renamed
//     (IN_MOVE_SELF); the tracker does not know. Guard: a rename triggers a
//     rescan; the follower drops the stale handle (the resulting
//     ErrNonExistentWatch is expected and ignored) and arms its new path.
//  7. The tracker logs fsnotify errors (e.g. inotify queue overflow) to
//     stderr through an unexported logger that cannot be replaced. Guard:
//     nothing to redirect; an overflow means lost events, which each armed
//     follower's safety tick (1s) covers.
//  8. "Needs Stop() and Cleanup()": those exist to remove a Tail's inotify
//     watches; our equivalent is watchHandle.close (RemoveWatch), called when
//     a file gets busy, is orphaned, moved, released, and when its follower
//     stops (input removed, Run returns).
package tailer
