package tailer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder implements Hooks for tests: it copies every record (records must
// not be retained) and counts every event per source.
type recorder struct {
	mu        sync.Mutex
	records   map[string][]string
	oversized map[string]int
	rotated   map[string]int
	truncated map[string]int
	readErrs  map[string][]error
}

func newRecorder() *recorder {
	return &recorder{
		records:   map[string][]string{},
		oversized: map[string]int{},
		rotated:   map[string]int{},
		truncated: map[string]int{},
		readErrs:  map[string][]error{},
	}
}

func (r *recorder) Record(source string, rec []byte) {
	r.mu.Lock()
	r.records[source] = append(r.records[source], string(rec))
	r.mu.Unlock()
}
func (r *recorder) Oversized(source string) { r.mu.Lock(); r.oversized[source]++; r.mu.Unlock() }
func (r *recorder) Rotated(source string)   { r.mu.Lock(); r.rotated[source]++; r.mu.Unlock() }
func (r *recorder) Truncated(source string) { r.mu.Lock(); r.truncated[source]++; r.mu.Unlock() }
func (r *recorder) ReadError(source string, err error) {
	r.mu.Lock()
	r.readErrs[source] = append(r.readErrs[source], err)
	r.mu.Unlock()
}

func (r *recorder) count(source string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.records[source])
}

func (r *recorder) get(source string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.records[source]...)
}

func (r *recorder) counter(m map[string]int, source string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return m[source]
}

func (r *recorder) errCount(source string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.readErrs[source])
}

// waitFor polls cond until it holds or the deadline passes. The sleep is the
// polling period, not a synchronisation: correctness rests on cond.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// fastOpts are intervals small enough for tests to run in milliseconds.
func fastOpts(r *recorder) Options {
	return Options{
		PollInterval:      10 * time.Millisecond,
		RescanInterval:    20 * time.Millisecond,
		PositionsInterval: 50 * time.Millisecond,
		MultilineTimeout:  50 * time.Millisecond,
		Hooks:             r,
		Logger:            testLogger(),
	}
}

// running is a Tailer being Run by a test, stopped at cleanup.
type running struct {
	*Tailer
	cancel context.CancelFunc
	done   chan error
}

func startTailer(t testing.TB, opts Options, inputs ...Input) *running {
	t.Helper()
	tl, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return runTailer(t, tl, inputs...)
}

func runTailer(t testing.TB, tl *Tailer, inputs ...Input) *running {
	t.Helper()
	if err := tl.SetInputs(inputs); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{Tailer: tl, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- tl.Run(ctx) }()
	t.Cleanup(func() { r.stop(t) })
	return r
}

// stop cancels Run and waits for it; safe to call twice.
func (r *running) stop(t testing.TB) error {
	t.Helper()
	r.cancel()
	select {
	case err, ok := <-r.done:
		if ok {
			close(r.done)
		}
		return err
	case <-time.After(30 * time.Second):
		_ = pprof.Lookup("goroutine").WriteTo(os.Stderr, 1)
		t.Fatal("Run did not return after cancel")
	}
	return nil
}

// checkAll forces every follower to look at its file now (the injected
// wake-up of mtail's tests): used with a huge PollInterval so that the test,
// not a timer, decides when the tailer looks.
func (tl *Tailer) checkAll() {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	for _, f := range tl.files {
		f.wakeCheck()
	}
}

func writeFile(t testing.TB, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendFile(t testing.TB, path, data string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(data); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// lines returns "prefix-000000\n" ... for seq in [from, to).
func lines(prefix string, from, to int) string {
	var b strings.Builder
	for i := from; i < to; i++ {
		fmt.Fprintf(&b, "%s-%06d\n", prefix, i)
	}
	return b.String()
}

func seqs(prefix string, from, to int) []string {
	out := make([]string, 0, to-from)
	for i := from; i < to; i++ {
		out = append(out, fmt.Sprintf("%s-%06d", prefix, i))
	}
	return out
}

// assertExactlyOnce checks that got holds each of want exactly once and
// nothing else, ignoring order (rotated and new files are read concurrently).
func assertExactlyOnce(t testing.TB, got, want []string) {
	t.Helper()
	seen := map[string]int{}
	for _, g := range got {
		seen[g]++
	}
	var dup, missing, extra []string
	for _, w := range want {
		switch seen[w] {
		case 0:
			missing = append(missing, w)
		case 1:
		default:
			dup = append(dup, fmt.Sprintf("%s×%d", w, seen[w]))
		}
		delete(seen, w)
	}
	for g := range seen {
		extra = append(extra, g)
	}
	sort.Strings(extra)
	if len(dup)+len(missing)+len(extra) > 0 || len(got) != len(want) {
		t.Fatalf("got %d records, want %d: %d duplicated %v, %d missing %v, %d unexpected %v",
			len(got), len(want), len(dup), head(dup), len(missing), head(missing), len(extra), head(extra))
	}
}

func head(s []string) []string {
	if len(s) > 5 {
		return s[:5]
	}
	return s
}

func filesWatched(tl *Tailer, source string) int { return tl.Stats()[source].FilesWatched }

func tempLog(t testing.TB, name string) (dir, path string) {
	dir = t.TempDir()
	return dir, filepath.Join(dir, name)
}

// modes runs a test in inotify mode and in poll mode.
func modes(t *testing.T, fn func(t *testing.T, poll bool)) {
	t.Run("inotify", func(t *testing.T) { fn(t, false) })
	t.Run("poll", func(t *testing.T) { fn(t, true) })
}
