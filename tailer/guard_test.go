package tailer

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/nxadm/tail/util"
	"github.com/nxadm/tail/watch"
)

// TestUtilFatalEndsOnlyItsGoroutine: with the guard installed, nxadm/tail's
// util.Fatal (log + os.Exit(1)) ends the calling goroutine only. If the
// guard did not work, this test binary would exit with status 1.
func TestUtilFatalEndsOnlyItsGoroutine(t *testing.T) {
	installFatalGuard(testLogger())
	before := fatalCalls.Load()
	for i := 0; i < 2; i++ { // twice: the logger's mutex must have been released
		var returned atomic.Bool
		done := make(chan struct{})
		go func() {
			defer close(done) // deferred calls run on runtime.Goexit
			util.Fatal("Failed to stat file %v: %v", "/var/log/app.log", syscall.ESTALE)
			returned.Store(true)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("goroutine calling util.Fatal neither exited nor returned")
		}
		if returned.Load() {
			t.Fatal("util.Fatal returned to its caller")
		}
	}
	if got := fatalCalls.Load() - before; got != 2 {
		t.Fatalf("guard saw %d util.Fatal calls, want 2", got)
	}
}

// The tests below run this test binary again as a child process: to start
// nxadm/tail's process-wide tracker under controlled conditions (fd
// exhaustion), or to run as an unprivileged user. The child speaks a line
// protocol on stdout.

func TestHelperProcess(t *testing.T) {
	mode := os.Getenv("TAILER_HELPER")
	if mode == "" {
		t.Skip("helper for child-process tests")
	}
	var err error
	switch mode {
	case "tracker-fatal":
		err = helperTrackerFatal()
	case "tail":
		err = helperTail()
	case "writer":
		err = helperWriter()
	default:
		err = fmt.Errorf("unknown helper mode %q", mode)
	}
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(3)
	}
	os.Exit(0)
}

// exhaustFDs opens /dev/null until the (lowered) fd limit is reached, then
// frees `leave` descriptors. It returns a function that frees the rest.
func exhaustFDs(leave int) (func(), error) {
	rl := syscall.Rlimit{Cur: 256, Max: 256}
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return nil, err
	}
	var fds []int
	for {
		fd, err := syscall.Open("/dev/null", syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != nil {
			if !errors.Is(err, syscall.EMFILE) {
				return nil, err
			}
			break
		}
		fds = append(fds, fd)
	}
	for i := 0; i < leave && len(fds) > 0; i++ {
		syscall.Close(fds[len(fds)-1])
		fds = fds[:len(fds)-1]
	}
	return func() {
		for _, fd := range fds {
			syscall.Close(fd)
		}
	}, nil
}

// helperTrackerFatal starts nxadm/tail's tracker with no fd left, bypassing
// our probe, so that the tracker's own fsnotify.NewWatcher fails and it
// calls util.Fatal. The process must survive and notice.
func helperTrackerFatal() error {
	installFatalGuard(testLogger())
	// The runtime's poller must exist before descriptors run out, or the
	// runtime itself dies (netpollinit) instead of fsnotify failing.
	pr, pw, err := os.Pipe()
	if err != nil {
		return err
	}
	defer pr.Close()
	defer pw.Close()
	release, err := exhaustFDs(0)
	if err != nil {
		return err
	}
	go func() { _ = watch.RemoveWatch(probeName) }() // what startTracker does after its probe
	select {
	case <-trackerDied:
	case <-time.After(20 * time.Second):
		return errors.New("tracker neither started nor died")
	}
	release()
	fmt.Println("SURVIVED", fatalCalls.Load())
	return nil
}

// childHooks reports hook calls on stdout.
type childHooks struct{ mu sync.Mutex }

func (h *childHooks) say(format string, args ...any) {
	h.mu.Lock()
	defer h.mu.Unlock()
	fmt.Printf(format+"\n", args...)
}
func (h *childHooks) Record(_ string, rec []byte) { h.say("RECORD %s", rec) }
func (h *childHooks) Oversized(string)            { h.say("OVERSIZED") }
func (h *childHooks) Rotated(string)              { h.say("ROTATED") }
func (h *childHooks) Truncated(string)            { h.say("TRUNCATED") }
func (h *childHooks) ReadError(_ string, err error) {
	h.say("READERR %s", strings.ReplaceAll(err.Error(), "\n", " "))
}

// helperTail runs a Tailer on TAILER_LOG until stdin is closed. With
// TAILER_EXHAUST_FDS it first uses up every descriptor but one (the log
// file's), so that inotify cannot be set up.
func helperTail() error {
	path := os.Getenv("TAILER_LOG")
	tl, err := New(Options{
		Poll:           os.Getenv("TAILER_POLL") != "",
		PollInterval:   10 * time.Millisecond,
		RescanInterval: 20 * time.Millisecond,
		Hooks:          &childHooks{},
		Logger:         testLogger(),
	})
	if err != nil {
		return err
	}
	if err := tl.SetInputs([]Input{{Name: "app", Globs: []string{path}, Start: StartBeginning}}); err != nil {
		return err
	}
	// Read stdin before exhausting descriptors: its reader needs none later.
	stdinClosed := make(chan struct{})
	go func() { _, _ = io.Copy(io.Discard, os.Stdin); close(stdinClosed) }()
	if os.Getenv("TAILER_EXHAUST_FDS") != "" {
		installFatalGuard(testLogger())
		// Warm up the runtime's poller so that opening the log file needs
		// exactly one descriptor.
		pr, pw, err := os.Pipe()
		if err != nil {
			return err
		}
		defer pr.Close()
		defer pw.Close()
		release, err := exhaustFDs(1)
		if err != nil {
			return err
		}
		defer release()
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tl.Run(ctx) }()
	fmt.Println("STARTED")
	<-stdinClosed
	cancel()
	return <-done
}

// child is a running helper process.
type child struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines chan string
}

func startChild(t *testing.T, bin string, env []string, cred *syscall.Credential) *child {
	t.Helper()
	cmd := exec.Command(bin, "-test.run=^TestHelperProcess$", "-test.v=false")
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	if cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, stdin: stdin, lines: make(chan string, 1024)}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			c.lines <- sc.Text()
		}
		close(c.lines)
	}()
	t.Cleanup(func() {
		stdin.Close()
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	return c
}

// expect reads lines until one starts with prefix; it returns that line and
// every RECORD line seen on the way.
func (c *child) expect(t *testing.T, prefix string, records *[]string) string {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case l, ok := <-c.lines:
			if !ok {
				t.Fatalf("child exited before %q", prefix)
			}
			if rec, ok := strings.CutPrefix(l, "RECORD "); ok && records != nil {
				*records = append(*records, rec)
			}
			if strings.HasPrefix(l, "ERROR") {
				t.Fatalf("child: %s", l)
			}
			if strings.HasPrefix(l, prefix) {
				return l
			}
		case <-deadline:
			t.Fatalf("timed out waiting for child line %q", prefix)
		}
	}
}

func (c *child) collect(t *testing.T, n int, records *[]string) {
	t.Helper()
	for len(*records) < n {
		c.expect(t, "RECORD", records)
	}
}

func (c *child) finish(t *testing.T) {
	t.Helper()
	c.stdin.Close()
	if err := c.cmd.Wait(); err != nil {
		t.Fatalf("child: %v", err)
	}
}

// TestTrackerFatalIsGuarded: nxadm/tail's tracker calls util.Fatal when
// fsnotify.NewWatcher fails. In a child process with no descriptor left,
// start the tracker the way startTracker does; the child must survive and
// see the tracker's death.
func TestTrackerFatalIsGuarded(t *testing.T) {
	c := startChild(t, os.Args[0], []string{"TAILER_HELPER=tracker-fatal"}, nil)
	line := c.expect(t, "SURVIVED", nil)
	if line != "SURVIVED 1" {
		t.Errorf("child: %q, want exactly one util.Fatal intercepted", line)
	}
	c.finish(t)
}

// TestInotifyUnavailableFallsBack: when no inotify instance can be created
// (here: no descriptor left), the probe fails before nxadm/tail's tracker is
// touched, the failure is reported, and the file is followed by polling.
func TestInotifyUnavailableFallsBack(t *testing.T) {
	_, path := tempLog(t, "app.log")
	writeFile(t, path, lines("i", 0, 5))
	c := startChild(t, os.Args[0], []string{"TAILER_HELPER=tail", "TAILER_LOG=" + path, "TAILER_EXHAUST_FDS=1"}, nil)
	var recs []string
	errLine := c.expect(t, "READERR", &recs)
	if !strings.Contains(errLine, "inotify unavailable") {
		t.Errorf("read error = %q, want inotify unavailable", errLine)
	}
	c.collect(t, 5, &recs)
	appendFile(t, path, lines("i", 5, 10)) // followed by polling
	c.collect(t, 10, &recs)
	assertExactlyOnce(t, recs, seqs("i", 0, 10))
	c.finish(t)
}

// TestPermissionDeniedUnprivileged: a real chmod 000, read by a child
// process running as nobody (root bypasses file permissions). The denied
// file is reported, retried, and read in full once readable.
func TestPermissionDeniedUnprivileged(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to start a child as another user")
	}
	modes(t, func(t *testing.T, poll bool) {
		dir, err := os.MkdirTemp("", "tailer-perm-")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(dir) })
		if err := os.Chmod(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		// The test binary lives in a 0700 build directory: copy it where
		// nobody can run it.
		bin := filepath.Join(dir, "tailer.test")
		data, err := os.ReadFile(os.Args[0])
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(bin, data, 0o755); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "app.log")
		writeFile(t, path, lines("n", 0, 5))
		if err := os.Chmod(path, 0); err != nil {
			t.Fatal(err)
		}
		env := []string{"TAILER_HELPER=tail", "TAILER_LOG=" + path, "HOME=" + dir, "GOCACHE=" + dir, "TMPDIR=" + dir}
		if poll {
			env = append(env, "TAILER_POLL=1")
		}
		c := startChild(t, bin, env, &syscall.Credential{Uid: 65534, Gid: 65534})
		var recs []string
		errLine := c.expect(t, "READERR", &recs)
		if !strings.Contains(errLine, "permission denied") {
			t.Errorf("read error = %q, want permission denied", errLine)
		}
		if len(recs) != 0 {
			t.Fatalf("records from an unreadable file: %q", recs)
		}
		if err := os.Chmod(path, 0o644); err != nil {
			t.Fatal(err)
		}
		c.collect(t, 5, &recs)
		appendFile(t, path, lines("n", 5, 8))
		c.collect(t, 8, &recs)
		assertExactlyOnce(t, recs, seqs("n", 0, 8))
		c.finish(t)
	})
}

// helperWriter appends rate lines/s to each of n files for secs seconds,
// one write(2) per line as a logger does (BenchmarkFollowSteadyState).
func helperWriter() error {
	var n, rate, secs int
	if _, err := fmt.Sscanf(os.Getenv("TAILER_WRITER"), "%d,%d,%d", &n, &rate, &secs); err != nil {
		return err
	}
	dir := os.Getenv("TAILER_DIR")
	fs := make([]*os.File, n)
	for i := range fs {
		f, err := os.OpenFile(filepath.Join(dir, fmt.Sprintf("f%d.log", i)), os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			return err
		}
		defer f.Close()
		fs[i] = f
	}
	rng := rand.New(rand.NewPCG(3, 4))
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	buf := make([]byte, 0, 512)
	for k := 0; k < rate*secs; k++ {
		<-tick.C
		for _, f := range fs {
			buf = append(append(buf[:0], benchLine(rng, k)...), '\n')
			if _, err := f.Write(buf); err != nil {
				return err
			}
		}
	}
	return nil
}

func startChildB(tb testing.TB, bin string, env []string) *exec.Cmd {
	tb.Helper()
	cmd := exec.Command(bin, "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	return cmd
}
