package analyze

import (
	"bufio"
	"context"
	"fmt"
	"github.com/secondme/secondme_error_exporter/analyze/backtest"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	dto "github.com/prometheus/client_model/go"
)

// upFamily is the series Prometheus itself writes for every scrape of a
// target. The replay has no target, but rules (absent(up{...})) and
// dashboards read it, so the virtual scrapes carry it: 1, the target was up.
func upFamily() *dto.MetricFamily {
	name, help, v := "up", "1 if the target was scraped successfully.", 1.0
	typ := dto.MetricType_GAUGE
	return &dto.MetricFamily{Name: &name, Help: &help, Type: &typ,
		Metric: []*dto.Metric{{Gauge: &dto.Gauge{Value: &v}}}}
}

// withUp adds the up series to every scrape.
func withUp(fn ScrapeFunc) ScrapeFunc {
	up := upFamily()
	return func(t time.Time, fams []*dto.MetricFamily) error {
		return fn(t, append(fams, up))
	}
}

// omSeries is one series of the OpenMetrics output: its samples start at
// scrape index first and are contiguous (a series never disappears from a
// scrape once it exists).
type omSeries struct {
	labels string // rendered, including target labels
	first  int
	values []float64
}

type omFamily struct {
	name, help string
	typ        dto.MetricType
	series     map[string]*omSeries
}

// WriteOpenMetrics writes the replayed series from start to end, with
// timestamps and the target labels, in the OpenMetrics text format that
// `promtool tsdb create-blocks-from openmetrics` backfills. OpenMetrics wants
// all samples of a family together, so the samples are held in memory:
// series × scrapes floats, the same bound as the backtest's TSDB.
func (r *Result) WriteOpenMetrics(ctx context.Context, w io.Writer, start, end time.Time, interval time.Duration,
	target map[string]string) error {
	fams := map[string]*omFamily{}
	var times []time.Time
	err := r.Replay(ctx, start, end, interval, withUp(func(t time.Time, scrape []*dto.MetricFamily) error {
		idx := len(times)
		times = append(times, t)
		for _, f := range scrape {
			of := fams[f.GetName()]
			if of == nil {
				of = &omFamily{name: f.GetName(), help: f.GetHelp(), typ: f.GetType(), series: map[string]*omSeries{}}
				fams[f.GetName()] = of
			}
			for _, m := range f.Metric {
				v, ok := backtest.SampleValue(f.GetType(), m)
				if !ok {
					continue
				}
				key := renderLabels(m.Label, target)
				s := of.series[key]
				if s == nil {
					s = &omSeries{labels: key, first: idx}
					of.series[key] = s
				}
				s.values = append(s.values, v)
			}
		}
		return nil
	}))
	if err != nil {
		return err
	}

	bw := bufio.NewWriterSize(w, 1<<20)
	names := make([]string, 0, len(fams))
	for n := range fams {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		f := fams[n]
		family, sample := f.name, f.name
		typ := "gauge"
		if f.typ == dto.MetricType_COUNTER {
			// OpenMetrics names a counter family without its _total suffix.
			family, typ = strings.TrimSuffix(f.name, "_total"), "counter"
			sample = family + "_total"
		}
		fmt.Fprintf(bw, "# HELP %s %s\n# TYPE %s %s\n", family, escapeHelp(f.help), family, typ)
		keys := make([]string, 0, len(f.series))
		for k := range f.series {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			s := f.series[k]
			for i, v := range s.values {
				ms := times[s.first+i].UnixMilli()
				fmt.Fprintf(bw, "%s%s %s %d.%03d\n", sample, s.labels, strconv.FormatFloat(v, 'f', -1, 64), ms/1000, ms%1000)
			}
		}
	}
	if _, err := bw.WriteString("# EOF\n"); err != nil {
		return fmt.Errorf("write OpenMetrics: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write OpenMetrics: %w", err)
	}
	return nil
}

// renderLabels renders {k="v",...} with the metric's labels and the target
// labels, sorted by name.
func renderLabels(lps []*dto.LabelPair, target map[string]string) string {
	type pair struct{ k, v string }
	pairs := make([]pair, 0, len(lps)+len(target))
	for _, lp := range lps {
		pairs = append(pairs, pair{lp.GetName(), lp.GetValue()})
	}
	for k, v := range target {
		pairs = append(pairs, pair{k, v})
	}
	if len(pairs) == 0 {
		return ""
	}
	sort.Slice(pairs, func(i, j int) bool { return pairs[i].k < pairs[j].k })
	var b strings.Builder
	b.WriteByte('{')
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(p.k)
		b.WriteString(`="`)
		b.WriteString(escapeLabel(p.v))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

// OpenMetrics escapes backslash, double quote and line feed in label values
// and in HELP text alike.
var omEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)

func escapeLabel(s string) string { return omEscaper.Replace(s) }
func escapeHelp(s string) string  { return omEscaper.Replace(s) }
