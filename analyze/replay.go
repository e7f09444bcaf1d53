package analyze

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"

	"github.com/secondme/secondme_error_exporter/metrics"
)

// Metric names the replay and --format=prometheus expose: the API families
// and the exporter families that depend only on the records read. Families
// about files (rotations, lag…), the process (build info, reload) and wall
// clock (last record timestamp) are left out: offline they would be
// meaningless or non-deterministic.
const (
	linesFamily = "secondme_exporter_lines_total"
	bytesFamily = "secondme_exporter_bytes_total"
)

// ExposedFamilies is the allow-list, sorted.
var ExposedFamilies = []string{
	"secondme_api_error_catalog_info",
	"secondme_api_error_status_mismatch_total",
	"secondme_api_errors_total",
	"secondme_api_responses_total",
	bytesFamily,
	"secondme_exporter_label_overflow_total",
	linesFamily,
	"secondme_exporter_malformed_total",
	"secondme_exporter_unknown_error_codes_total",
}

func exposed(fams []*dto.MetricFamily) []*dto.MetricFamily {
	out := fams[:0]
	for _, f := range fams {
		if _, ok := slices.BinarySearch(ExposedFamilies, f.GetName()); ok {
			out = append(out, f)
		}
	}
	return out
}

// Families returns the exporter's final counters after the scan, restricted
// to ExposedFamilies, sorted by name and labels (as Gather sorts them).
func (r *Result) Families() ([]*dto.MetricFamily, error) {
	fams, err := r.Registry.Gather()
	if err != nil {
		return nil, fmt.Errorf("gather: %w", err)
	}
	fams = exposed(fams)
	addSourceCounter(fams, linesFamily, r.Options.Source, float64(r.noneRecs))
	addSourceCounter(fams, bytesFamily, r.Options.Source, float64(r.noneBytes))
	return fams, nil
}

// WritePrometheus writes the final counters in the Prometheus text format,
// as the exporter's /metrics would show them after reading the same input.
func (r *Result) WritePrometheus(w io.Writer) error {
	fams, err := r.Families()
	if err != nil {
		return err
	}
	enc := expfmt.NewEncoder(w, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, f := range fams {
		if err := enc.Encode(f); err != nil {
			return fmt.Errorf("encode %s: %w", f.GetName(), err)
		}
	}
	return nil
}

// ScrapeFunc receives one virtual scrape: the families the exporter would
// have exposed at t. The families are only valid during the call.
type ScrapeFunc func(t time.Time, fams []*dto.MetricFamily) error

// ReplayRange is the default range of a replay: from the scrape boundary at
// or before the first event to the first boundary after the last one, so the
// first scrape sees nothing and the last sees everything.
func (r *Result) ReplayRange(interval time.Duration) (start, end time.Time) {
	start = r.First.Truncate(interval)
	end = r.Last.Truncate(interval).Add(interval)
	return start, end
}

// Replay rebuilds, from the fine buckets, the series a fresh exporter would
// have exposed had it read the logs as they were written, and calls fn at
// every virtual scrape from start to end (inclusive) every interval. The
// envelopes are fed to a new metrics.Metrics in time order, so labels,
// pre-initialised series and the "other" overflow come from the exporter's
// own code. A scrape at t contains the events with time < t.
//
// Records without an envelope are not timed (that is what keeps the scan
// fast), so the lines and bytes counters of the replay attribute them to
// the bucket of the envelope before them.
//
// Memory is one gathered exposition at a time: series × 1, plus the fine
// buckets the scan already holds.
func (r *Result) Replay(ctx context.Context, start, end time.Time, interval time.Duration, fn ScrapeFunc) error {
	res := r.Options.Resolution
	if interval < res || interval%res != 0 {
		return fmt.Errorf("scrape interval %s must be a multiple of the scan resolution %s", interval, res)
	}
	if !start.Before(end) && !start.Equal(end) {
		return fmt.Errorf("replay start %s is after end %s", start, end)
	}
	reg := prometheus.NewRegistry()
	m := metrics.New(reg, r.Options.Catalog, r.Options.MaxUnknownCodes)
	src := m.Source(r.Options.Source)
	idx := r.bucketIndexes()
	j := 0
	// Skip buckets before the range: their events are not in this replay.
	for j < len(idx) && r.bucketStart(idx[j]).Before(start) {
		j++
	}
	var recs, byts int64
	for t := start; !t.After(end); t = t.Add(interval) {
		if err := ctx.Err(); err != nil {
			return err
		}
		for j < len(idx) && !r.bucketStart(idx[j]).Add(res).After(t) {
			b := r.buckets[idx[j]]
			for id, n := range b.counts {
				env := r.Keys[id].envelope()
				for range n {
					src.Observe(env, 0)
				}
			}
			recs += b.recs
			byts += b.bytes
			j++
		}
		fams, err := reg.Gather()
		if err != nil {
			return fmt.Errorf("gather: %w", err)
		}
		fams = exposed(fams)
		setSourceCounter(fams, linesFamily, r.Options.Source, float64(recs))
		setSourceCounter(fams, bytesFamily, r.Options.Source, float64(byts))
		if err := fn(t, fams); err != nil {
			return err
		}
	}
	return nil
}

// setSourceCounter overwrites the value of family{source=source}: the replay
// feeds only envelopes to the metrics, and sets the record and byte counts
// it attributed to the scrape itself.
func setSourceCounter(fams []*dto.MetricFamily, family, source string, v float64) {
	updateSourceCounter(fams, family, source, func(float64) float64 { return v })
}

// addSourceCounter adds v to family{source=source}.
func addSourceCounter(fams []*dto.MetricFamily, family, source string, v float64) {
	updateSourceCounter(fams, family, source, func(old float64) float64 { return old + v })
}

func updateSourceCounter(fams []*dto.MetricFamily, family, source string, fn func(float64) float64) {
	for _, f := range fams {
		if f.GetName() != family {
			continue
		}
		for _, m := range f.Metric {
			for _, lp := range m.Label {
				if lp.GetName() == "source" && lp.GetValue() == source && m.Counter != nil {
					v := fn(m.Counter.GetValue())
					m.Counter.Value = &v
				}
			}
		}
	}
}
