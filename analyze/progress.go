package analyze

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// Progress prints how far a scan has read, on one line rewritten in place,
// until Stop. The caller decides whether the destination is a terminal (a
// progress line in a redirected log would only be noise).
type Progress struct {
	w        io.Writer
	read     *atomic.Int64
	total    int64
	interval time.Duration
	start    time.Time
	done     chan struct{}
	wg       sync.WaitGroup
	once     sync.Once
}

// StartProgress starts printing read against total (total <= 0: unknown,
// only bytes and rate are shown) every interval.
func StartProgress(w io.Writer, read *atomic.Int64, total int64, interval time.Duration) *Progress {
	p := &Progress{w: w, read: read, total: total, interval: interval, start: time.Now(), done: make(chan struct{})}
	p.wg.Add(1)
	go p.run()
	return p
}

func (p *Progress) run() {
	defer p.wg.Done()
	tick := time.NewTicker(p.interval)
	defer tick.Stop()
	for {
		select {
		case <-p.done:
			// Erase the line so the report starts on a clean one.
			fmt.Fprint(p.w, "\r\033[K")
			return
		case now := <-tick.C:
			fmt.Fprint(p.w, "\r\033[K"+p.line(now))
		}
	}
}

// line renders the progress at now.
func (p *Progress) line(now time.Time) string {
	n := p.read.Load()
	rate := 0.0
	if s := now.Sub(p.start).Seconds(); s > 0 {
		rate = float64(n) / s
	}
	if p.total > 0 {
		pct := min(100*float64(n)/float64(p.total), 100)
		return fmt.Sprintf("reading: %s of %s (%.0f%%), %s/s", mib(n), mib(p.total), pct, mib(int64(rate)))
	}
	return fmt.Sprintf("reading: %s, %s/s", mib(n), mib(int64(rate)))
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

// Stop stops printing and erases the line. It is safe to call twice.
func (p *Progress) Stop() {
	p.once.Do(func() {
		close(p.done)
		p.wg.Wait()
	})
}
