package analyze

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/secondme/secondme_error_exporter/analyze/internal/corpusgen"
	"github.com/secondme/secondme_error_exporter/analyze/report"
)

// The shipped rules and routing, relative to this package.
const (
	shippedRules        = "../rules/*.rules.yml"
	shippedAlertmanager = "../deploy/alertmanager/alertmanager.yml"
)

func runJSON(t *testing.T, c Config) *report.Document {
	t.Helper()
	c.Format = "json"
	var out bytes.Buffer
	if err := Run(context.Background(), c, &out); err != nil {
		t.Fatal(err)
	}
	var doc report.Document
	if err := jsonUnmarshalStrict(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	return &doc
}

// The shipped rules find the incident log's refresh-token spike: the alert
// is pending from the first evaluation that sees the spike's samples (one
// minute after it starts: the scrape at the spike's first minute holds the
// events before it) and resolves once the 5m window has left the spike.
func TestBacktestFindsRefreshTokenSpike(t *testing.T) {
	c := DefaultConfig()
	c.Inputs = []string{incidentLog}
	c.RuleFiles = []string{shippedRules}
	c.AlertmanagerConfig = shippedAlertmanager
	doc := runJSON(t, c)
	bt := doc.Backtest
	if len(bt.RuleErrors) > 0 {
		t.Fatalf("rule errors: %+v", bt.RuleErrors)
	}
	if bt.AlertCounts["SecondMeRefreshTokenRevokedSpike"] != 1 {
		t.Fatalf("SecondMeRefreshTokenRevokedSpike fired %d times, want 1; alerts: %+v",
			bt.AlertCounts["SecondMeRefreshTokenRevokedSpike"], bt.Alerts)
	}
	spikeEnd := corpusgen.SpikeStart.Add(corpusgen.SpikeMinutes * time.Minute)
	for _, a := range bt.Alerts {
		if a.Name != "SecondMeRefreshTokenRevokedSpike" {
			continue
		}
		if want := corpusgen.SpikeStart.Add(time.Minute); !a.PendingSince.Equal(want) {
			t.Errorf("pending since %s, want %s (the first evaluation after the spike began)", a.PendingSince, want)
		}
		if a.Start.Before(a.PendingSince) || a.Start.After(spikeEnd.Add(5*time.Minute)) {
			t.Errorf("started firing at %s, want between %s and %s", a.Start, a.PendingSince, spikeEnd.Add(5*time.Minute))
		}
		if a.End == nil || a.End.Before(spikeEnd) || a.End.After(spikeEnd.Add(10*time.Minute)) {
			t.Errorf("resolved at %v, want within 10m after the spike ended at %s", a.End, spikeEnd)
		}
		if a.Labels["error_code"] != corpusgen.SpikeCode || a.Labels["source"] != "default" ||
			a.Labels["job"] != c.TargetLabels["job"] {
			t.Errorf("labels = %v", a.Labels)
		}
		// About SpikePerMinute × 5 revocations in the 5m window at the peak.
		if a.PeakValue < 4*corpusgen.SpikePerMinute {
			t.Errorf("peak %g, want about %d", a.PeakValue, 5*corpusgen.SpikePerMinute)
		}
		// It pages the login team.
		var paged []report.Notification
		for _, n := range doc.Notifications.Sent {
			if n.Receiver == "login-pager" {
				paged = append(paged, n)
			}
		}
		if len(paged) == 0 || paged[0].Firing != 1 || paged[0].At.Before(a.Start) || paged[0].At.After(a.Start.Add(5*time.Minute)) {
			t.Errorf("login-pager notifications = %+v, want the first within 5m of %s", paged, a.Start)
		}
	}
}

// On the quiet baseline (ordinary traffic only) no shipped alert fires.
func TestBacktestQuietBaseline(t *testing.T) {
	var buf bytes.Buffer
	if _, err := corpusgen.Incident(&buf, corpusgen.IncidentOptions{}); err != nil {
		t.Fatal(err)
	}
	c := DefaultConfig()
	c.Inputs, c.Stdin = []string{"-"}, &buf
	c.RuleFiles = []string{shippedRules}
	c.AlertmanagerConfig = shippedAlertmanager
	doc := runJSON(t, c)
	if len(doc.Backtest.Alerts) != 0 || len(doc.Backtest.RuleErrors) != 0 {
		t.Errorf("alerts on the quiet baseline: %+v, rule errors: %+v", doc.Backtest.Alerts, doc.Backtest.RuleErrors)
	}
	if len(doc.Notifications.Sent) != 0 {
		t.Errorf("notifications on the quiet baseline: %+v", doc.Notifications.Sent)
	}
	if len(doc.Backtest.AlertCounts) < 10 {
		t.Errorf("alert_counts lists %d rules; want every alerting rule of the files", len(doc.Backtest.AlertCounts))
	}
	if doc.Backtest.Evaluations == 0 || doc.Backtest.Series == 0 {
		t.Errorf("nothing evaluated: %+v", doc.Backtest)
	}
}

func TestRunValidation(t *testing.T) {
	base := DefaultConfig()
	base.Inputs = []string{incidentLog}
	cases := map[string]func(c *Config){
		"unknown format":           func(c *Config) { c.Format = "yaml" },
		"alertmanager needs rules": func(c *Config) { c.AlertmanagerConfig = shippedAlertmanager },
		"prometheus with rules":    func(c *Config) { c.Format = FormatPrometheus; c.RuleFiles = []string{shippedRules} },
		"rule glob matches none":   func(c *Config) { c.RuleFiles = []string{"testdata/nope-*.yml"} },
		"fractional scrape":        func(c *Config) { c.ScrapeInterval = 1500 * time.Millisecond },
		"bad alertmanager config": func(c *Config) {
			c.RuleFiles = []string{"testdata/rules.yml"}
			c.AlertmanagerConfig = "testdata/rules.yml"
		},
		"missing input": func(c *Config) { c.Inputs = []string{"testdata/does-not-exist.log"} },
	}
	for name, mod := range cases {
		t.Run(name, func(t *testing.T) {
			c := base
			mod(&c)
			if err := Run(context.Background(), c, &bytes.Buffer{}); err == nil {
				t.Error("want an error")
			}
		})
	}
}
