package tailer

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// countingHooks is the cheapest possible consumer, so that benchmarks
// measure the tailer and not the hooks.
type countingHooks struct {
	n, bytes atomic.Int64
	want     int64
	done     chan struct{}
}

func (c *countingHooks) Record(_ string, rec []byte) {
	c.bytes.Add(int64(len(rec)))
	if c.n.Add(1) == c.want {
		close(c.done)
	}
}
func (c *countingHooks) Oversized(string)        {}
func (c *countingHooks) Rotated(string)          {}
func (c *countingHooks) Truncated(string)        {}
func (c *countingHooks) ReadError(string, error) {}

// benchLine returns a realistic log line: JSON access/app logs of varying
// length, some carrying a SecondMe error envelope.
func benchLine(rng *rand.Rand, i int) string {
	switch rng.IntN(4) {
	case 0:
		return fmt.Sprintf(`{"ts":"2026-11-24T10:00:%02d.%03dZ","level":"error","msg":"upstream call failed","trace_id":"%016x","resp":{"code":401,"message":"token expired","error_code":"oauth2.token.expired"}}`, i%60, i%1000, rng.Uint64())
	case 1:
		return fmt.Sprintf(`{"ts":"2026-11-24T10:00:%02d.%03dZ","level":"info","msg":"request served","path":"/api/secondme/user/info","status":200,"dur_ms":%d}`, i%60, i%1000, rng.IntN(500))
	case 2:
		return fmt.Sprintf(`2026-11-24 10:00:%02d,%03d INFO worker-%d processed job %d in %dms`, i%60, i%1000, rng.IntN(16), i, rng.IntN(1000))
	default:
		return fmt.Sprintf(`{"code":0,"message":"success","data":{"id":%d}}`, i)
	}
}

// writeBenchFile writes about size bytes of log lines and returns the exact
// size and line count.
func writeBenchFile(tb testing.TB, path string, size int64) (int64, int64) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	var n, written int64
	for written < size {
		l := benchLine(rng, int(n))
		w.WriteString(l)
		w.WriteByte('\n')
		written += int64(len(l) + 1)
		n++
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return written, n
}

// BenchmarkCatchUp: start=beginning on a large existing file (page cache
// warm: it was just written). TAILER_BENCH_BYTES sets the size (default
// 256 MiB; the acceptance figure is for 1 GiB).
//
//	TAILER_BENCH_BYTES=1073741824 go test -run='^$' -bench=CatchUp -benchtime=3x ./tailer/
func BenchmarkCatchUp(b *testing.B) {
	size := int64(256 << 20)
	if s := os.Getenv("TAILER_BENCH_BYTES"); s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			b.Fatal(err)
		}
		size = v
	}
	path := filepath.Join(b.TempDir(), "big.log")
	size, nLines := writeBenchFile(b, path, size)
	b.SetBytes(size)
	var ms0, ms1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h := &countingHooks{want: nLines, done: make(chan struct{})}
		tl, err := New(Options{Hooks: h, Poll: true, RescanInterval: time.Hour})
		if err != nil {
			b.Fatal(err)
		}
		if err := tl.SetInputs([]Input{{Name: "bench", Globs: []string{path}, Start: StartBeginning}}); err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- tl.Run(ctx) }()
		select {
		case <-h.done:
		case <-time.After(5 * time.Minute):
			b.Fatalf("read %d of %d records", h.n.Load(), nLines)
		}
		cancel()
		if err := <-done; err != nil {
			b.Fatal(err)
		}
		if h.bytes.Load()+nLines != size {
			b.Fatalf("handed out %d bytes + %d newlines, file has %d", h.bytes.Load(), nLines, size)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&ms1)
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/float64(int64(b.N)*nLines), "allocs/record")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(int64(b.N)*nLines), "ns/record")
}

// BenchmarkFollowSteadyState: 10 files, each appended 500 lines/s one
// write(2) per line by a separate writer process; reports the CPU used by
// this process (the tailer) as a percentage of one core. Runs for
// TAILER_FOLLOW_SECONDS (default 10).
//
//	go test -run='^$' -bench=FollowSteadyState -benchtime=1x ./tailer/
func BenchmarkFollowSteadyState(b *testing.B) {
	const files, rate = 10, 500
	secs := 10
	if s := os.Getenv("TAILER_FOLLOW_SECONDS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil {
			b.Fatal(err)
		}
		secs = v
	}
	for _, poll := range []bool{false, true} {
		name := "inotify"
		if poll {
			name = "poll"
		}
		b.Run(name, func(b *testing.B) {
			dir := b.TempDir()
			for i := 0; i < files; i++ {
				writeFile(b, filepath.Join(dir, fmt.Sprintf("f%d.log", i)), "")
			}
			want := int64(files * rate * secs)
			h := &countingHooks{want: want, done: make(chan struct{})}
			tl, err := New(Options{Hooks: h, Poll: poll})
			if err != nil {
				b.Fatal(err)
			}
			if err := tl.SetInputs([]Input{{Name: "bench", Globs: []string{filepath.Join(dir, "*.log")}}}); err != nil {
				b.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- tl.Run(ctx) }()
			waitFor(b, "files followed", func() bool { return tl.Stats()["bench"].FilesWatched == files })

			b.ResetTimer()
			cpu0, sys0 := cpuTime(b)
			start := time.Now()
			bin := os.Args[0]
			c := startChildB(b, bin, []string{"TAILER_HELPER=writer", "TAILER_DIR=" + dir,
				fmt.Sprintf("TAILER_WRITER=%d,%d,%d", files, rate, secs)})
			select {
			case <-h.done:
			case <-time.After(time.Duration(secs)*time.Second + time.Minute):
				b.Fatalf("read %d of %d records", h.n.Load(), want)
			}
			elapsed := time.Since(start)
			cpu1, sys1 := cpuTime(b)
			cpu, sys := cpu1-cpu0, sys1-sys0
			b.StopTimer()
			if err := c.Wait(); err != nil {
				b.Fatal(err)
			}
			cancel()
			<-done
			b.ReportMetric(100*cpu.Seconds()/elapsed.Seconds(), "%cpu")
			b.ReportMetric(100*sys.Seconds()/elapsed.Seconds(), "%cpu-kernel")
			b.ReportMetric(float64(want)/elapsed.Seconds(), "records/s")
		})
	}
}

// cpuTime returns this process's CPU time (user+system) and system part.
func cpuTime(tb testing.TB) (time.Duration, time.Duration) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), time.Duration(ru.Stime.Nano())
}
