// Package backtest replays virtual scrapes of the exporter through the
// Prometheus rule engine and reports every alert that would have fired.
//
// The one idea: the alert rules are not re-implemented or approximated
// here. The series a replay produces are appended, scrape by scrape, to a
// real (temporary, WAL-less) Prometheus TSDB; the rule files are loaded by
// the real rules.Manager; every group is evaluated with Group.Eval at its
// own interval on the virtual clock, so recording rules feed alerting rules
// and `for:` / `keep_firing_for:` are honoured by the groups' own alert
// state, exactly as in a Prometheus server — only faster than real time.
//
// Memory: the TSDB head holds the replayed samples (series × scrapes,
// Gorilla-compressed to about 1–2 bytes each) and compacts older ones to
// blocks in the temporary directory; the input logs are not involved at all.
package backtest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"sort"
	"strings"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/rules"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/tsdb"
)

// Options configure a backtest.
type Options struct {
	// RuleFiles are Prometheus rule files (globs already expanded).
	RuleFiles []string
	// ScrapeInterval is the virtual scrape interval.
	ScrapeInterval time.Duration
	// EvaluationInterval is the interval of groups that do not set their
	// own (Prometheus' global.evaluation_interval).
	EvaluationInterval time.Duration
	// TargetLabels are added to every scraped series, as a scrape target's
	// labels would be (job, instance). They must not collide with the
	// exporter's own labels.
	TargetLabels map[string]string
	// TmpDir is where the temporary TSDB lives; "" means os.TempDir().
	TmpDir string
	// Logger receives rule evaluation warnings; nil discards.
	Logger *slog.Logger
}

// Replayer produces the virtual scrapes between start and end (inclusive),
// every interval; analyze.Result.Replay is one.
type Replayer func(ctx context.Context, start, end time.Time, interval time.Duration,
	fn func(t time.Time, fams []*dto.MetricFamily) error) error

// Result is what the rules did over the replay.
type Result struct {
	Start, End  time.Time
	Evaluations int64
	Series      int
	// Alerts are the firing episodes, sorted by start, name, labels.
	Alerts []Alert
	// AlertRules names every alerting rule of the files, sorted.
	AlertRules []string
	RuleErrors []RuleError
}

// Alert is one firing episode of one label set.
type Alert struct {
	Name         string
	Labels       labels.Labels
	Annotations  labels.Labels
	PendingSince time.Time
	Start        time.Time
	// End is zero when the alert was still firing when the replay ended.
	End       time.Time
	PeakValue float64
	PeakAt    time.Time
}

// RuleError is the first evaluation error of one rule.
type RuleError struct {
	Group, Rule string
	At          time.Time
	Err         error
}

// Run evaluates the rule files over [start, end] against the scrapes of
// replay. Groups are evaluated at multiples of their interval (counted from
// the Unix epoch, as Prometheus aligns nothing better offline); a scrape at t
// is visible to an evaluation at t.
func Run(ctx context.Context, o Options, start, end time.Time, replay Replayer) (*Result, error) {
	if len(o.RuleFiles) == 0 {
		return nil, errors.New("no rule files")
	}
	if o.ScrapeInterval <= 0 || o.EvaluationInterval <= 0 {
		return nil, fmt.Errorf("scrape interval %s and evaluation interval %s must be positive",
			o.ScrapeInterval, o.EvaluationInterval)
	}
	logger := o.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	dir, err := os.MkdirTemp(o.TmpDir, "secondme-backtest-")
	if err != nil {
		return nil, fmt.Errorf("temporary TSDB: %w", err)
	}
	defer os.RemoveAll(dir)

	topts := tsdb.DefaultOptions()
	topts.WALSegmentSize = -1 // nothing to recover: the TSDB lives for one run
	topts.RetentionDuration = 0
	topts.OutOfOrderTimeWindow = 0
	// The TSDB logs its housekeeping (WAL replay, compactions) at info
	// level; for a throwaway database that is noise.
	db, err := tsdb.Open(dir, nil, nil, topts, tsdb.NewDBStats())
	if err != nil {
		return nil, fmt.Errorf("open temporary TSDB: %w", err)
	}
	defer db.Close()

	engine := promql.NewEngine(promql.EngineOpts{
		Logger:     logger,
		MaxSamples: 50_000_000,
		Timeout:    2 * time.Minute,
	})
	mgr := rules.NewManager(&rules.ManagerOptions{
		QueryFunc:    rules.EngineQueryFunc(engine, db),
		AppendableV2: db,
		Context:      ctx,
		NotifyFunc:   func(context.Context, string, ...*rules.Alert) {},
		Logger:       logger,
	})
	groupMap, errs := mgr.LoadGroups(o.EvaluationInterval, labels.EmptyLabels(), "", nil, false, o.RuleFiles...)
	if len(errs) > 0 {
		return nil, fmt.Errorf("load rules: %w", errors.Join(errs...))
	}
	groups := make([]*rules.Group, 0, len(groupMap))
	for _, g := range groupMap {
		groups = append(groups, g)
	}
	// At one timestamp, groups that only record go first, then mixed ones,
	// then those that only alert: an alert reads the series recorded at the
	// same instant. Prometheus staggers groups by a hash of their name
	// within the interval, so a real server fires at this time or up to one
	// interval later; the backtest shows the earliest.
	sort.Slice(groups, func(i, j int) bool {
		ri, rj := groupRank(groups[i]), groupRank(groups[j])
		if ri != rj {
			return ri < rj
		}
		if groups[i].File() != groups[j].File() {
			return groups[i].File() < groups[j].File()
		}
		return groups[i].Name() < groups[j].Name()
	})

	res := &Result{Start: start, End: end}
	tr := newTracker()
	for _, g := range groups {
		for _, r := range g.Rules() {
			if ar, ok := r.(*rules.AlertingRule); ok {
				// No earlier state to restore: the replay is the whole
				// history. Unrestored rules would not write ALERTS.
				ar.SetRestored(true)
				res.AlertRules = append(res.AlertRules, ar.Name())
			}
		}
	}
	sort.Strings(res.AlertRules)

	// next holds each group's next evaluation time.
	next := make([]time.Time, len(groups))
	for i, g := range groups {
		next[i] = alignUp(start, g.Interval())
	}
	ruleErr := map[string]bool{}
	evalUntil := func(t time.Time, inclusive bool) {
		for {
			// The earliest pending evaluation, ties in group order.
			k := -1
			for i := range groups {
				if next[i].Before(t) || (inclusive && next[i].Equal(t)) {
					if k < 0 || next[i].Before(next[k]) {
						k = i
					}
				}
			}
			if k < 0 {
				return
			}
			g, ts := groups[k], next[k]
			g.Eval(ctx, ts)
			res.Evaluations++
			for _, r := range g.Rules() {
				if err := r.LastError(); err != nil {
					key := g.File() + "\x00" + g.Name() + "\x00" + r.Name()
					if !ruleErr[key] {
						ruleErr[key] = true
						res.RuleErrors = append(res.RuleErrors, RuleError{Group: g.Name(), Rule: r.Name(), At: ts, Err: err})
					}
				}
				if ar, ok := r.(*rules.AlertingRule); ok {
					tr.observe(ar, ts)
				}
			}
			next[k] = ts.Add(g.Interval())
		}
	}

	app := newScrapeAppender(db, o.TargetLabels)
	err = replay(ctx, start, end, o.ScrapeInterval, func(t time.Time, fams []*dto.MetricFamily) error {
		evalUntil(t, false)
		if err := app.append(ctx, t, fams); err != nil {
			return err
		}
		evalUntil(t, true)
		return nil
	})
	if err != nil {
		return nil, err
	}
	evalUntil(end, true)
	res.Series = app.series()
	res.Alerts = tr.finish()
	return res, nil
}

// groupRank is 0 for a group of recording rules only, 2 for alerting rules
// only, 1 for a mix.
func groupRank(g *rules.Group) int {
	var rec, alert bool
	for _, r := range g.Rules() {
		if _, ok := r.(*rules.AlertingRule); ok {
			alert = true
		} else {
			rec = true
		}
	}
	switch {
	case rec && !alert:
		return 0
	case alert && !rec:
		return 2
	}
	return 1
}

// alignUp returns the first multiple of d (since the Unix epoch) at or
// after t.
func alignUp(t time.Time, d time.Duration) time.Time {
	a := t.Truncate(d)
	if a.Before(t) {
		a = a.Add(d)
	}
	return a
}

// scrapeAppender writes gathered families into the TSDB the way a scrape
// would: one sample per series at the scrape time, with the target labels.
type scrapeAppender struct {
	db     *tsdb.DB
	target labels.Labels
	refs   map[string]storage.SeriesRef
	lb     *labels.Builder
}

func newScrapeAppender(db *tsdb.DB, target map[string]string) *scrapeAppender {
	return &scrapeAppender{db: db, target: labels.FromMap(target), refs: map[string]storage.SeriesRef{},
		lb: labels.NewBuilder(labels.EmptyLabels())}
}

func (s *scrapeAppender) series() int { return len(s.refs) }

func (s *scrapeAppender) append(ctx context.Context, t time.Time, fams []*dto.MetricFamily) error {
	a := s.db.Appender(ctx)
	ts := t.UnixMilli()
	var key strings.Builder
	for _, f := range fams {
		for _, m := range f.Metric {
			v, ok := SampleValue(f.GetType(), m)
			if !ok {
				continue
			}
			s.lb.Reset(s.target)
			s.lb.Set(model.MetricNameLabel, f.GetName())
			for _, lp := range m.Label {
				s.lb.Set(lp.GetName(), lp.GetValue())
			}
			ls := s.lb.Labels()
			key.Reset()
			key.WriteString(ls.String())
			ref, err := a.Append(s.refs[key.String()], ls, ts, v)
			if err != nil {
				_ = a.Rollback()
				return fmt.Errorf("append %s at %s: %w", ls, t.Format(time.RFC3339), err)
			}
			s.refs[key.String()] = ref
		}
	}
	if err := a.Commit(); err != nil {
		return fmt.Errorf("commit scrape at %s: %w", t.Format(time.RFC3339), err)
	}
	return nil
}

// SampleValue is the value of a counter, gauge or untyped sample; false for other types.
func SampleValue(typ dto.MetricType, m *dto.Metric) (float64, bool) {
	switch typ {
	case dto.MetricType_COUNTER:
		return m.GetCounter().GetValue(), true
	case dto.MetricType_GAUGE:
		return m.GetGauge().GetValue(), true
	case dto.MetricType_UNTYPED:
		return m.GetUntyped().GetValue(), true
	}
	return 0, false // the exporter has no histograms or summaries
}

// tracker turns the alert state after every evaluation into episodes.
type tracker struct {
	open    map[string]*Alert
	pending map[string]*Alert
	done    []Alert
}

func newTracker() *tracker {
	return &tracker{open: map[string]*Alert{}, pending: map[string]*Alert{}}
}

func (tr *tracker) observe(ar *rules.AlertingRule, ts time.Time) {
	seen := map[string]bool{}
	ar.ForEachActiveAlert(func(a *rules.Alert) {
		key := ar.Name() + "\x00" + a.Labels.String()
		seen[key] = true
		switch {
		case !a.ResolvedAt.IsZero():
			if ep := tr.open[key]; ep != nil {
				ep.End = a.ResolvedAt
				tr.done = append(tr.done, *ep)
				delete(tr.open, key)
			}
			delete(tr.pending, key)
		case a.State == rules.StatePending:
			p := tr.pending[key]
			if p == nil || !p.PendingSince.Equal(a.ActiveAt) {
				p = &Alert{Name: ar.Name(), PendingSince: a.ActiveAt, PeakValue: math.Inf(-1)}
				tr.pending[key] = p
			}
			p.peak(a.Value, ts)
		case a.State == rules.StateFiring:
			ep := tr.open[key]
			if ep == nil {
				ep = &Alert{Name: ar.Name(), PendingSince: a.ActiveAt, Start: a.FiredAt, PeakValue: math.Inf(-1)}
				if p := tr.pending[key]; p != nil && p.PendingSince.Equal(a.ActiveAt) {
					ep.PeakValue, ep.PeakAt = p.PeakValue, p.PeakAt
				}
				delete(tr.pending, key)
				tr.open[key] = ep
			}
			ep.Labels = a.Labels.Copy()
			ep.Annotations = a.Annotations.Copy()
			ep.peak(a.Value, ts)
		}
	})
	// A pending alert whose expression stopped holding is dropped by the
	// rule without a resolved state.
	prefix := ar.Name() + "\x00"
	for key := range tr.pending {
		if strings.HasPrefix(key, prefix) && !seen[key] {
			delete(tr.pending, key)
		}
	}
}

func (a *Alert) peak(v float64, ts time.Time) {
	if v > a.PeakValue || math.IsInf(a.PeakValue, -1) {
		a.PeakValue, a.PeakAt = v, ts
	}
}

func (tr *tracker) finish() []Alert {
	out := append([]Alert(nil), tr.done...)
	for _, ep := range tr.open {
		out = append(out, *ep)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if !a.Start.Equal(b.Start) {
			return a.Start.Before(b.Start)
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return labels.Compare(a.Labels, b.Labels) < 0
	})
	return out
}
