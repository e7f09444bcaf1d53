package backtest

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
)

var t0 = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

func counter(name string, v float64, labels ...string) *dto.MetricFamily {
	typ := dto.MetricType_COUNTER
	m := &dto.Metric{Counter: &dto.Counter{Value: &v}}
	for i := 0; i+1 < len(labels); i += 2 {
		n, val := labels[i], labels[i+1]
		m.Label = append(m.Label, &dto.LabelPair{Name: &n, Value: &val})
	}
	return &dto.MetricFamily{Name: &name, Type: &typ, Metric: []*dto.Metric{m}}
}

// steady counts 1 event per second from 10m to 20m after t0, nothing else.
func steady(ctx context.Context, start, end time.Time, iv time.Duration,
	fn func(time.Time, []*dto.MetricFamily) error) error {
	for t := start; !t.After(end); t = t.Add(iv) {
		since := t.Sub(t0)
		v := math.Max(0, math.Min(since.Seconds(), 1200)-600)
		if err := fn(t, []*dto.MetricFamily{counter("events_total", v, "source", "a")}); err != nil {
			return err
		}
	}
	return nil
}

const rulesYAML = `
groups:
  - name: alerts
    rules:
      - alert: EventsHigh
        expr: job:events:rate1m > 0.5
        for: 2m
        labels: {severity: warning}
        annotations: {summary: "{{ $value }} events/s"}
      - alert: Never
        expr: job:events:rate1m > 100
  - name: recording
    rules:
      - record: job:events:rate1m
        expr: sum by (job) (rate(events_total[1m]))
`

// Hand computation (15s scrapes, 1m evaluations, recording groups first):
// the scrape at 10:15 is the first with events, so the evaluation at 11:00
// is the first whose 1m window holds an increase (≈1/s): pending 11:00,
// firing 13:00 after `for: 2m`; the scrape at 20:00 holds the last events,
// so the window of 21:00 is flat: resolved at 21:00.
func TestRunHonoursFor(t *testing.T) {
	dir := t.TempDir()
	rf := filepath.Join(dir, "rules.yml")
	if err := os.WriteFile(rf, []byte(rulesYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), Options{
		RuleFiles: []string{rf}, ScrapeInterval: 15 * time.Second, EvaluationInterval: time.Minute,
		TargetLabels: map[string]string{"job": "j", "instance": "i"}, TmpDir: dir,
	}, t0, t0.Add(30*time.Minute), steady)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.RuleErrors) > 0 {
		t.Fatalf("rule errors: %+v", res.RuleErrors)
	}
	if len(res.AlertRules) != 2 || res.AlertRules[0] != "EventsHigh" || res.AlertRules[1] != "Never" {
		t.Errorf("alert rules = %v", res.AlertRules)
	}
	if len(res.Alerts) != 1 {
		t.Fatalf("alerts = %+v, want one episode", res.Alerts)
	}
	a := res.Alerts[0]
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	if !a.PendingSince.Equal(at(11)) || !a.Start.Equal(at(13)) || !a.End.Equal(at(21)) {
		t.Errorf("pending %s, firing %s, resolved %s; want 00:11, 00:13, 00:21",
			a.PendingSince.Format("15:04"), a.Start.Format("15:04"), a.End.Format("15:04"))
	}
	if math.Abs(a.PeakValue-1) > 0.01 {
		t.Errorf("peak %g, want 1 event/s", a.PeakValue)
	}
	if a.Labels.Get("job") != "j" || a.Labels.Get("severity") != "warning" || a.Labels.Get("alertname") != "EventsHigh" {
		t.Errorf("labels = %s", a.Labels)
	}
	if a.Annotations.Get("summary") == "" {
		t.Error("annotations were not expanded")
	}
	// 31 evaluations per group, scrapes of one series plus the recorded one.
	if res.Evaluations != 62 || res.Series != 1 {
		t.Errorf("evaluations %d (want 62), series %d (want 1)", res.Evaluations, res.Series)
	}
}

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yml")
	if err := os.WriteFile(bad, []byte("groups:\n  - name: x\n    rules:\n      - record: a\n        expr: sum(\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := Options{ScrapeInterval: 15 * time.Second, EvaluationInterval: time.Minute, TmpDir: dir}
	for name, o := range map[string]Options{
		"no rule files":  {ScrapeInterval: time.Second, EvaluationInterval: time.Second},
		"bad expression": func() Options { o := opts; o.RuleFiles = []string{bad}; return o }(),
		"missing file":   func() Options { o := opts; o.RuleFiles = []string{filepath.Join(dir, "nope.yml")}; return o }(),
		"zero intervals": {RuleFiles: []string{bad}},
	} {
		if _, err := Run(context.Background(), o, t0, t0.Add(time.Hour), steady); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

func TestAlignUp(t *testing.T) {
	for in, want := range map[string]string{
		"00:00:00": "00:00:00", "00:00:01": "00:01:00", "00:00:59": "00:01:00", "00:01:00": "00:01:00",
	} {
		tm, _ := time.Parse("15:04:05", in)
		got := alignUp(t0.Add(time.Duration(tm.Hour())*time.Hour+time.Duration(tm.Minute())*time.Minute+
			time.Duration(tm.Second())*time.Second), time.Minute)
		if got.Format("15:04:05") != want {
			t.Errorf("alignUp(%s) = %s, want %s", in, got.Format("15:04:05"), want)
		}
	}
}
