package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// WriterOptions pace a Generator into files.
type WriterOptions struct {
	Options
	// Rate is records per second over all outputs; 0 writes as fast as
	// possible.
	Rate float64
	// Count stops after that many records; 0 means no limit.
	Count int64
	// Duration stops after that long; 0 means no limit.
	Duration time.Duration
	// Tick is the pacing granularity (default 100ms): the records due in a
	// tick are written with one write per output, which keeps the writer's
	// own CPU use negligible at thousands of lines per second.
	Tick time.Duration
}

// SpikeSchedule converts a spike schedule given in time into record indexes
// at rate records per second (the generator's spikes are defined by record
// index so that the content does not depend on timing).
func SpikeSchedule(rate float64, at, every, length time.Duration) (start, everyN, lengthN int64, err error) {
	if every <= 0 {
		return 0, 0, 0, nil
	}
	if rate <= 0 {
		return 0, 0, 0, errors.New("spikes given in time need a positive rate")
	}
	if length <= 0 || length >= every {
		return 0, 0, 0, fmt.Errorf("spike length %s must be positive and shorter than the spike period %s", length, every)
	}
	n := func(d time.Duration) int64 { return int64(d.Seconds() * rate) }
	if n(length) < 1 {
		return 0, 0, 0, fmt.Errorf("spike length %s is less than one record at %.1f records/s", length, rate)
	}
	return n(at), n(every), n(length), nil
}

// Write writes records to the outputs, round-robin, until ctx is done or a
// limit is reached, and returns exactly what it wrote. A record is counted
// only once its write has succeeded.
func Write(ctx context.Context, outs []io.Writer, o WriterOptions) (Counts, error) {
	if len(outs) == 0 {
		return Counts{}, errors.New("no outputs")
	}
	if o.Tick <= 0 {
		o.Tick = 100 * time.Millisecond
	}
	g := NewGenerator(o.Options)
	bufs := make([][]byte, len(outs))
	var written int64
	start := time.Now()
	var deadline <-chan time.Time
	if o.Duration > 0 {
		t := time.NewTimer(o.Duration)
		defer t.Stop()
		deadline = t.C
	}
	limitReached := func() bool { return o.Count > 0 && written >= o.Count }

	// flush writes n records. Records are generated into per-output
	// buffers and the generator's counts are committed only after the
	// writes succeed, so the counts never include a record that did not
	// reach the file.
	flush := func(n int64) error {
		before := g.Counts()
		for i := range bufs {
			bufs[i] = bufs[i][:0]
		}
		for k := int64(0); k < n; k++ {
			j := int((written + k) % int64(len(outs)))
			bufs[j] = g.Next(bufs[j])
		}
		for i, w := range outs {
			if len(bufs[i]) == 0 {
				continue
			}
			if _, err := w.Write(bufs[i]); err != nil {
				g.counts = before
				return fmt.Errorf("writing demo records: %w", err)
			}
		}
		written += n
		return nil
	}

	if o.Rate <= 0 {
		const batch = 1000
		for !limitReached() {
			select {
			case <-ctx.Done():
				return g.Counts(), nil
			case <-deadline:
				return g.Counts(), nil
			default:
			}
			n := int64(batch)
			if o.Count > 0 && o.Count-written < n {
				n = o.Count - written
			}
			if err := flush(n); err != nil {
				return g.Counts(), err
			}
		}
		return g.Counts(), nil
	}

	ticker := time.NewTicker(o.Tick)
	defer ticker.Stop()
	for {
		due := int64(time.Since(start).Seconds() * o.Rate)
		if o.Count > 0 && due > o.Count {
			due = o.Count
		}
		if due > written {
			if err := flush(due - written); err != nil {
				return g.Counts(), err
			}
		}
		if limitReached() {
			return g.Counts(), nil
		}
		select {
		case <-ctx.Done():
			return g.Counts(), nil
		case <-deadline:
			return g.Counts(), nil
		case <-ticker.C:
		}
	}
}

// FileOptions are the options of WriteFiles.
type FileOptions struct {
	WriterOptions
	// Paths are appended to (created if missing).
	Paths []string
	// CountsFile, when set, receives the final Counts as JSON.
	CountsFile string
}

// WriteFiles appends demo traffic to files and, when asked, writes the
// counts to CountsFile (atomically: readers never see a partial file).
func WriteFiles(ctx context.Context, o FileOptions) (Counts, error) {
	var outs []io.Writer
	for _, p := range o.Paths {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return Counts{}, err
		}
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return Counts{}, err
		}
		defer f.Close()
		outs = append(outs, f)
	}
	counts, err := Write(ctx, outs, o.WriterOptions)
	if o.CountsFile != "" {
		if werr := WriteCounts(o.CountsFile, counts); werr != nil && err == nil {
			err = werr
		}
	}
	return counts, err
}

// WriteCounts writes counts as indented JSON to path, atomically.
func WriteCounts(path string, c Counts) error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("writing counts: %w", err)
	}
	return nil
}

// ReadCounts reads a file written by WriteCounts.
func ReadCounts(path string) (Counts, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Counts{}, err
	}
	c := newCounts()
	if err := json.Unmarshal(b, &c); err != nil {
		return Counts{}, fmt.Errorf("reading counts %s: %w", path, err)
	}
	return c, nil
}
