package analyze

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync/atomic"
	"time"

	amconfig "github.com/prometheus/alertmanager/config"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"

	"github.com/secondme/secondme_error_exporter/analyze/backtest"
	"github.com/secondme/secondme_error_exporter/analyze/notifysim"
	"github.com/secondme/secondme_error_exporter/analyze/report"
)

// FormatPrometheus is the --format that prints the exporter's final counters
// instead of a report.
const FormatPrometheus = "prometheus"

// Formats lists every --format value.
var Formats = []string{string(report.Text), string(report.JSON), string(report.Markdown), string(report.HTML), FormatPrometheus}

// Config is one analyzer run: what to read, what to produce.
type Config struct {
	// Inputs are files, globs or "-"; Stdin is read for "-".
	Inputs []string
	Stdin  io.Reader
	// Scan configures the reading; its Resolution is set from
	// ScrapeInterval.
	Scan    Options
	Summary SummaryOptions
	// Format is one of Formats.
	Format string

	// RuleFiles (globs) turn on the backtest.
	RuleFiles          []string
	ScrapeInterval     time.Duration
	EvaluationInterval time.Duration
	// Tail is how long the replay goes on after the last event, with the
	// counters flat, so that alerts can resolve.
	Tail time.Duration
	// TargetLabels are the job and instance labels of the virtual target.
	TargetLabels map[string]string
	// AlertmanagerConfig, with RuleFiles, estimates the notifications.
	AlertmanagerConfig string
	// OpenMetricsFile, when set, receives the replayed series.
	OpenMetricsFile string

	// ProgressTo, when set, receives a progress line (the caller checks it
	// is a terminal).
	ProgressTo io.Writer
}

// DefaultConfig returns the analyzer's defaults.
func DefaultConfig() Config {
	return Config{
		Scan:               DefaultOptions(),
		Summary:            DefaultSummaryOptions(),
		Format:             string(report.Text),
		ScrapeInterval:     15 * time.Second,
		EvaluationInterval: time.Minute,
		Tail:               15 * time.Minute,
		TargetLabels:       map[string]string{"job": "secondme_error_exporter", "instance": "analyzer"},
	}
}

// maxReplayScrapes bounds a replay: a stray timestamp years away from the
// rest must give a clear error, not hours of evaluation.
const maxReplayScrapes = 2_000_000

// Run reads the inputs and writes the requested output to out.
func Run(ctx context.Context, c Config, out io.Writer) error {
	if !validFormat(c.Format) {
		return fmt.Errorf("unknown format %q (want one of %v)", c.Format, Formats)
	}
	if c.AlertmanagerConfig != "" && len(c.RuleFiles) == 0 {
		return errors.New("--alertmanager.config needs --rules: notifications come from the alerts the rules fire")
	}
	if c.Format == FormatPrometheus && len(c.RuleFiles) > 0 {
		return errors.New("--format=prometheus prints counters only; use another format with --rules")
	}
	if c.ScrapeInterval < time.Second || c.ScrapeInterval%time.Second != 0 {
		return fmt.Errorf("--scrape-interval must be a whole number of seconds, got %s", c.ScrapeInterval)
	}
	if c.Tail < 0 {
		return fmt.Errorf("--backtest.tail must not be negative, got %s", c.Tail)
	}
	ruleFiles, err := expandGlobs(c.RuleFiles)
	if err != nil {
		return err
	}
	var am *amconfig.Config
	if c.AlertmanagerConfig != "" {
		// Load before the (possibly long) scan: a typo fails at once.
		if am, err = amconfig.LoadFile(c.AlertmanagerConfig); err != nil {
			return fmt.Errorf("alertmanager config: %w", err)
		}
	}
	inputs, err := ExpandInputs(c.Inputs, c.Stdin)
	if err != nil {
		return err
	}

	opts := c.Scan
	opts.Resolution = c.ScrapeInterval
	var read atomic.Int64
	opts.Progress = &read
	var progress *Progress
	if c.ProgressTo != nil {
		var total int64
		for _, in := range inputs {
			if in.Size > 0 {
				total += in.Size
			}
		}
		progress = StartProgress(c.ProgressTo, &read, total, 200*time.Millisecond)
	}
	res, err := Scan(ctx, inputs, opts)
	if progress != nil {
		progress.Stop()
	}
	if err != nil {
		return err
	}

	if c.Format == FormatPrometheus && c.OpenMetricsFile == "" {
		return res.WritePrometheus(out)
	}

	var start, end time.Time
	if len(ruleFiles) > 0 || c.OpenMetricsFile != "" {
		if !res.Timed() {
			return errors.New("no envelope carried an event time: nothing to replay")
		}
		start, end = res.ReplayRange(c.ScrapeInterval)
		end = end.Add(c.Tail).Truncate(c.ScrapeInterval)
		if n := end.Sub(start) / c.ScrapeInterval; n > maxReplayScrapes {
			return fmt.Errorf("the events span %s to %s: %d virtual scrapes at %s is more than %d; "+
				"check for stray timestamps or use a longer --scrape-interval",
				res.First.Format(time.RFC3339), res.Last.Format(time.RFC3339), n, c.ScrapeInterval, maxReplayScrapes)
		}
	}
	if c.OpenMetricsFile != "" {
		if err := writeFileAtomic(c.OpenMetricsFile, func(w io.Writer) error {
			return res.WriteOpenMetrics(ctx, w, start, end, c.ScrapeInterval, c.TargetLabels)
		}); err != nil {
			return fmt.Errorf("--openmetrics: %w", err)
		}
		if c.Format == FormatPrometheus {
			return res.WritePrometheus(out)
		}
	}

	doc, err := res.Summarize(c.Summary)
	if err != nil {
		return err
	}
	if len(ruleFiles) > 0 {
		bt, err := backtest.Run(ctx, backtest.Options{
			RuleFiles:          ruleFiles,
			ScrapeInterval:     c.ScrapeInterval,
			EvaluationInterval: c.EvaluationInterval,
			TargetLabels:       c.TargetLabels,
			Logger:             c.Scan.Logger,
		}, start, end, func(ctx context.Context, s, e time.Time, iv time.Duration,
			fn func(time.Time, []*dto.MetricFamily) error) error {
			return res.Replay(ctx, s, e, iv, withUp(fn))
		})
		if err != nil {
			return fmt.Errorf("backtest: %w", err)
		}
		doc.Backtest = backtestSection(bt, c)
		if am != nil {
			doc.Notifications, err = notificationsSection(am, c.AlertmanagerConfig, bt)
			if err != nil {
				return err
			}
		}
	}
	return report.Render(out, doc, report.Format(c.Format))
}

func validFormat(f string) bool {
	for _, x := range Formats {
		if f == x {
			return true
		}
	}
	return false
}

// expandGlobs expands rule file globs; a pattern matching nothing is an
// error (a typo must not silently test nothing).
func expandGlobs(patterns []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, p := range patterns {
		m, err := filepath.Glob(p)
		if err != nil {
			return nil, fmt.Errorf("bad glob %q: %w", p, err)
		}
		if len(m) == 0 {
			return nil, fmt.Errorf("--rules %q matches no file", p)
		}
		for _, f := range m {
			if !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	return out, nil
}

// writeFileAtomic writes through a temporary file renamed into place, so a
// failed run leaves no half-written file for promtool to choke on.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	// CreateTemp makes the file private; the result is an ordinary output.
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

func backtestSection(bt *backtest.Result, c Config) *report.Backtest {
	s := &report.Backtest{
		RuleFiles:                 c.RuleFiles,
		ScrapeIntervalSeconds:     c.ScrapeInterval.Seconds(),
		EvaluationIntervalSeconds: c.EvaluationInterval.Seconds(),
		Start:                     bt.Start.UTC(),
		End:                       bt.End.UTC(),
		Evaluations:               bt.Evaluations,
		Series:                    bt.Series,
		TargetLabels:              c.TargetLabels,
		Alerts:                    []report.Alert{},
		AlertCounts:               map[string]int{},
		RuleErrors:                []report.RuleError{},
	}
	for _, name := range bt.AlertRules {
		s.AlertCounts[name] = 0
	}
	for _, a := range bt.Alerts {
		ra := report.Alert{
			Name:         a.Name,
			Labels:       a.Labels.Map(),
			Annotations:  a.Annotations.Map(),
			PendingSince: a.PendingSince.UTC(),
			Start:        a.Start.UTC(),
			PeakValue:    roundSignificant(a.PeakValue),
			PeakAt:       a.PeakAt.UTC(),
		}
		end := bt.End
		if !a.End.IsZero() {
			e := a.End.UTC()
			ra.End, end = &e, e
		}
		ra.DurationSeconds = end.Sub(a.Start).Seconds()
		s.Alerts = append(s.Alerts, ra)
		s.AlertCounts[a.Name]++
	}
	for _, e := range bt.RuleErrors {
		s.RuleErrors = append(s.RuleErrors, report.RuleError{Group: e.Group, Rule: e.Rule, At: e.At.UTC(), Error: e.Err.Error()})
	}
	return s
}

func notificationsSection(am *amconfig.Config, path string, bt *backtest.Result) (*report.Notifications, error) {
	alerts := make([]notifysim.Alert, 0, len(bt.Alerts))
	for _, a := range bt.Alerts {
		ls := model.LabelSet{}
		a.Labels.Range(func(l labels.Label) { ls[model.LabelName(l.Name)] = model.LabelValue(l.Value) })
		alerts = append(alerts, notifysim.Alert{Labels: ls, Start: a.Start, End: a.End})
	}
	sim, err := notifysim.Simulate(am, alerts, bt.End)
	if err != nil {
		return nil, fmt.Errorf("alertmanager simulation: %w", err)
	}
	n := &report.Notifications{Config: path, Receivers: []report.ReceiverLoad{}, Sent: []report.Notification{},
		Inhibited: []report.InhibitedAlert{}}
	loads := map[string]*report.ReceiverLoad{}
	groups := map[string]map[string]bool{}
	for _, r := range sim.Receivers {
		n.Receivers = append(n.Receivers, report.ReceiverLoad{Receiver: r.Name, Integrations: r.IntegrationNames(),
			SendResolved: r.SendResolved()})
		groups[r.Name] = map[string]bool{}
	}
	for i := range n.Receivers {
		loads[n.Receivers[i].Receiver] = &n.Receivers[i]
	}
	for _, s := range sim.Notifications {
		rn := report.Notification{At: s.At.UTC(), Receiver: s.Receiver, Route: s.Route, GroupLabels: labelMap(s.GroupLabels),
			Reason: s.Reason, Firing: len(s.Firing), Resolved: len(s.Resolved), Alerts: []string{}}
		for _, a := range s.Firing {
			rn.Alerts = append(rn.Alerts, string(a[model.AlertNameLabel]))
		}
		n.Sent = append(n.Sent, rn)
		if l := loads[s.Receiver]; l != nil {
			l.Notifications++
			if len(s.Firing) > 0 {
				l.Firing++
			} else {
				l.Resolved++
			}
			groups[s.Receiver][s.GroupKey] = true
			l.Groups = len(groups[s.Receiver])
		}
	}
	for _, in := range sim.Inhibited {
		n.Inhibited = append(n.Inhibited, report.InhibitedAlert{Name: string(in.Labels[model.AlertNameLabel]),
			Labels: labelMap(in.Labels), Flushes: in.Flushes})
	}
	sort.SliceStable(n.Sent, func(i, j int) bool { return n.Sent[i].At.Before(n.Sent[j].At) })
	return n, nil
}

func labelMap(ls model.LabelSet) map[string]string {
	m := make(map[string]string, len(ls))
	for k, v := range ls {
		m[string(k)] = string(v)
	}
	return m
}

// roundSignificant keeps 10 significant digits: PromQL's rate arithmetic
// leaves last-bit noise (300.99999999999994) that would make reports differ
// between CPU architectures (fused multiply-add) for no information.
func roundSignificant(v float64) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 10, 64), 64)
	if err != nil {
		return v // ±Inf and NaN format and parse back; nothing else fails
	}
	return r
}
