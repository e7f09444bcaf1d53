package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/secondme/secondme_error_exporter/demo"
)

// The traffic of the scenarios comes from the project's demo generator (package demo),
// which keeps exact counts of what it wrote: the truth every counter is compared with.

// demoRun is a bounded, deterministic run of the generator.
type demoRun struct {
	Seed    uint64
	Records int64
	Rate    float64 // records/s; 0: as fast as possible
	// Spike of SpikeCode over record indexes [SpikeStart, SpikeStart+SpikeLength).
	SpikeCode               string
	SpikeStart, SpikeLength int64
	UnknownCodes            bool
}

func (r demoRun) writerOptions() demo.WriterOptions {
	o := demo.WriterOptions{
		Options: demo.Options{Seed: r.Seed, UnknownCodes: r.UnknownCodes},
		Rate:    r.Rate,
		Count:   r.Records,
	}
	if r.SpikeLength > 0 {
		o.SpikeCode = r.SpikeCode
		o.SpikeStart = r.SpikeStart
		o.SpikeLength = r.SpikeLength
		// One spike: the next would start after the run ends.
		o.SpikeEvery = r.Records + 1
	}
	return o
}

// writeDemo appends a whole run to path and returns its counts.
func writeDemo(t *testing.T, path string, r demoRun) demo.Counts {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := demo.Write(context.Background(), []io.Writer{f}, r.writerOptions())
	if err != nil {
		t.Fatal(err)
	}
	if c.Records != r.Records {
		t.Fatalf("demo wrote %d records, want %d", c.Records, r.Records)
	}
	return c
}

// liveLog is the application side of a log file: it appends through an open descriptor
// like a real program, can be told to reopen its path (nginx's USR1 after logrotate
// renamed the file) and can be held still for a moment.
type liveLog struct {
	path  string
	mu    sync.Mutex
	f     *os.File
	lines atomic.Int64
}

func newLiveLog(t *testing.T, path string) *liveLog {
	t.Helper()
	l := &liveLog{path: path}
	if err := l.reopen(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.f.Close()
	})
	return l
}

func (l *liveLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n, err := l.f.Write(p)
	l.lines.Add(int64(bytes.Count(p[:n], []byte{'\n'})))
	return n, err
}

// reopen closes the descriptor and opens the path again (creating it if needed).
func (l *liveLog) reopen() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f != nil {
		l.f.Close()
	}
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	l.f = f
	return nil
}

// hold stops all writes until the returned function is called.
func (l *liveLog) hold() (release func()) {
	l.mu.Lock()
	return l.mu.Unlock
}

// liveRun is a demo run writing into a liveLog in the background.
type liveRun struct {
	done   chan struct{}
	counts demo.Counts
	err    error
}

func startLiveRun(t *testing.T, l *liveLog, r demoRun) *liveRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	lr := &liveRun{done: make(chan struct{})}
	go func() {
		defer close(lr.done)
		lr.counts, lr.err = demo.Write(ctx, []io.Writer{l}, r.writerOptions())
	}()
	t.Cleanup(func() {
		cancel()
		<-lr.done
	})
	return lr
}

// wait waits for the run to finish and returns its counts.
func (lr *liveRun) wait(t *testing.T, timeout time.Duration, want int64) demo.Counts {
	t.Helper()
	select {
	case <-lr.done:
	case <-time.After(timeout):
		t.Fatalf("demo writer not done within %s", timeout)
	}
	if lr.err != nil {
		t.Fatal(lr.err)
	}
	if lr.counts.Records != want {
		t.Fatalf("demo wrote %d records, want %d", lr.counts.Records, want)
	}
	return lr.counts
}

// waitLines waits until the log has received at least n lines.
func (l *liveLog) waitLines(t *testing.T, n int64, timeout time.Duration) {
	t.Helper()
	waitFor(t, fmt.Sprintf("%d lines written", n), timeout, nil, func() (bool, error) {
		got := l.lines.Load()
		return got >= n, fmt.Errorf("%d lines", got)
	})
}

// scrapeExporter reads the exporter's /metrics directly (not through Prometheus) and
// returns the sum of each metric over all its series.
func scrapeExporter(addr string) (map[string]float64, error) {
	resp, err := httpClient.Get("http://" + addr + "/metrics")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for name, f := range fams {
		for _, m := range f.GetMetric() {
			out[name] += metricValue(m)
		}
	}
	return out, nil
}

// exportedSeries is one series of the exporter's exposition.
type exportedSeries struct {
	Name   string
	Labels map[string]string
	Value  float64
}

// scrapeSeries returns every series of the named metrics from the exporter's /metrics.
func scrapeSeries(addr string, names ...string) ([]exportedSeries, error) {
	resp, err := httpClient.Get("http://" + addr + "/metrics")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		return nil, err
	}
	var out []exportedSeries
	for _, name := range names {
		f, ok := fams[name]
		if !ok {
			return nil, fmt.Errorf("the exporter exposes no %s", name)
		}
		for _, m := range f.GetMetric() {
			s := exportedSeries{Name: name, Labels: map[string]string{}, Value: metricValue(m)}
			for _, lp := range m.GetLabel() {
				s.Labels[lp.GetName()] = lp.GetValue()
			}
			out = append(out, s)
		}
	}
	return out, nil
}

func metricValue(m *dto.Metric) float64 {
	switch {
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	case m.Untyped != nil:
		return m.Untyped.GetValue()
	}
	return 0
}
