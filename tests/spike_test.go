package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/secondme/secondme_error_exporter/catalog"
	"github.com/secondme/secondme_error_exporter/demo"
)

const spikeAlert = "SecondMeRefreshTokenRevokedSpike"

// baselineAlerts are the shipped alerts that compare a rate with the code's own 6h
// baseline (their expression reads a `:rate6h` recording rule): the spike detectors.
// Steady traffic must never trip them, whatever it contains.
func baselineAlerts(t *testing.T) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, f := range shippedRuleFiles(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var rf struct {
			Groups []struct {
				Rules []struct {
					Alert string `yaml:"alert"`
					Expr  string `yaml:"expr"`
				} `yaml:"rules"`
			} `yaml:"groups"`
		}
		if err := yaml.Unmarshal(b, &rf); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, g := range rf.Groups {
			for _, r := range g.Rules {
				if r.Alert != "" && strings.Contains(r.Expr, ":rate6h") {
					out[r.Alert] = true
				}
			}
		}
	}
	if !out[spikeAlert] {
		t.Fatalf("%s is not among the baseline alerts %v", spikeAlert, out)
	}
	return out
}

// TestScenario1RefreshTokenRevokedSpike drives the shipped rules and routing end to end:
// a writer produces baseline traffic, then a spike of oauth2.refresh_token.revoked.
//
// The rules run time-compressed by timeScale (see scale_test.go): one test second
// stands for one real minute, and the writer writes 3000 lines/s, standing for a client
// logging 50 lines/s. Prometheus starts with 6.5 "hours" of that traffic as history
// (backfill_test.go), then sees 30 live "minutes" of baseline and a 20-"minute" spike,
// in about a minute.
//
//   - Baseline: none of the spike detectors (the alerts comparing with a 6h baseline)
//     is ever pending or firing, in Prometheus or in Alertmanager, although the traffic
//     contains the code and is above the alert's absolute floor — the ratio to the
//     baseline is what keeps it quiet.
//   - Spike: SecondMeRefreshTokenRevokedSpike fires in Prometheus with exactly the
//     expected labels and a description joined from the catalog; Alertmanager holds it
//     with the receivers the shipped routing selects for those labels (computed with
//     Alertmanager's own routing code), and delivers it to exactly those receivers.
func TestScenario1RefreshTokenRevokedSpike(t *testing.T) {
	t.Parallel()
	const (
		job         = "secondme"
		rate        = 3000.0 // 50 lines/s of real traffic × timeScale
		baseline    = 30     // test seconds
		spikeLength = 20     // test seconds
		spikeStart  = int64(baseline * rate)
		records     = int64((baseline + spikeLength) * rate)
	)
	dir := t.TempDir()
	sink := newWebhookSink(t)
	_, amURL := startShippedAlertmanager(t, sink)

	logPath := filepath.Join(dir, "app.log")
	log := newLiveLog(t, logPath)
	exp := startExporter(t, nil, "--tail.path="+logPath, "--tail.start=beginning")
	detectors := baselineAlerts(t)
	_, prom := startPrometheus(t, promConfig{
		RuleFiles:        scaledRuleFiles(t, dir),
		AlertmanagerAddr: strings.TrimPrefix(amURL, "http://"),
		Jobs:             []scrapeJob{{Name: job, Target: exp.addr}},
		DataDir:          backfillHistory(t, dir, job, exp.addr, rate),
	})
	waitFor(t, "first scrape", 30*time.Second, exp.proc, func() (bool, error) {
		v, err := prom.scalarOf(fmt.Sprintf(`up{job=%q}`, job), time.Time{})
		return err == nil && v == 1, err
	})
	run := startLiveRun(t, log, demoRun{
		Seed: 1, Records: records, Rate: rate, UnknownCodes: true,
		SpikeCode: demo.DefaultSpikeCode, SpikeStart: spikeStart, SpikeLength: int64(spikeLength * rate),
	})

	// Baseline: watched continuously until the spike's first record is due.
	quietChecks := 0
	revokedExpr := fmt.Sprintf(`job_source_error_code:secondme_api_errors:rate5m{job=%q, error_code=%q}`, job, demo.DefaultSpikeCode)
	var baselineRate float64
	waitForEvery(t, "baseline observed", time.Duration(baseline+30)*time.Second, 250*time.Millisecond, exp.proc, func() (bool, error) {
		if log.lines.Load() >= spikeStart-int64(rate) { // stop a second before the spike
			return true, nil
		}
		alerts, err := prom.alerts()
		if err != nil {
			return false, err
		}
		for _, a := range alerts {
			if detectors[a.Labels["alertname"]] {
				t.Fatalf("baseline traffic tripped %s (%s) after %d lines: %v", a.Labels["alertname"], a.State, log.lines.Load(), a.Labels)
			}
		}
		ams, err := amAlerts(amURL)
		if err != nil {
			return false, err
		}
		for _, a := range ams {
			if detectors[a.Labels["alertname"]] {
				t.Fatalf("Alertmanager received %s during the baseline: %v", a.Labels["alertname"], a.Labels)
			}
		}
		if v, err := prom.scalarOf(revokedExpr, time.Time{}); err == nil {
			baselineRate = v
		}
		quietChecks++
		return false, fmt.Errorf("baseline still running (%d lines)", log.lines.Load())
	})
	if quietChecks < 20 {
		t.Fatalf("only %d observations of the baseline", quietChecks)
	}
	// The rule had something to evaluate: the code is in the baseline traffic, above the
	// alert's absolute floor of 10 per 5 minutes (in real-time units).
	if baselineRate*300 < 10 {
		t.Fatalf("baseline rate of %s is %v/s: below the alert's floor, the quiet baseline proves nothing", demo.DefaultSpikeCode, baselineRate)
	}
	otherBaseline := map[string]int{}
	if alerts, err := prom.alerts(); err == nil {
		for _, a := range alerts {
			otherBaseline[a.Labels["alertname"]+"/"+a.Labels["severity"]+"/"+a.State]++
		}
	}
	t.Logf("baseline: %d observations, %s at %.3f/s (real-time units), no spike detector pending; alerts from the traffic's content: %v",
		quietChecks, demo.DefaultSpikeCode, baselineRate, otherBaseline)

	// Spike: the alert fires in Prometheus with exactly these labels.
	entry, ok := catalog.Default().Lookup(demo.DefaultSpikeCode)
	if !ok {
		t.Fatalf("%s is not in the catalog", demo.DefaultSpikeCode)
	}
	wantLabels := map[string]string{
		"alertname":    spikeAlert,
		"job":          job,
		"source":       "default",
		"error_code":   entry.Code,
		"module":       entry.Module,
		"resource":     entry.Resource,
		"reason":       entry.Reason,
		"status_class": catalog.StatusClass(entry.Status),
		"severity":     "critical",
		"team":         "login",
	}
	var fired promAlert
	waitFor(t, spikeAlert+" firing in Prometheus", 60*time.Second, exp.proc, func() (bool, error) {
		alerts, err := prom.alerts()
		if err != nil {
			return false, err
		}
		for _, a := range alerts {
			if a.Labels["alertname"] == spikeAlert && a.State == "firing" {
				fired = a
				return true, nil
			}
		}
		return false, fmt.Errorf("not firing yet (%d lines written)", log.lines.Load())
	})
	if !reflect.DeepEqual(fired.Labels, wantLabels) {
		t.Errorf("%s labels\n got %v\nwant %v", spikeAlert, fired.Labels, wantLabels)
	}
	if d := fired.Annotations["description"]; !strings.Contains(d, entry.Description) || !strings.Contains(d, entry.Action) {
		t.Errorf("description does not carry the catalog's description and action of %s:\n%s", entry.Code, d)
	}
	if fired.Annotations["runbook_url"] == "" || fired.Annotations["summary"] == "" {
		t.Errorf("annotations incomplete: %v", fired.Annotations)
	}

	// Alertmanager: active, with the receivers the shipped routing selects.
	want := expectedReceivers(t, wantLabels)
	if len(want) == 0 {
		t.Fatal("the shipped routing sends the alert to no receiver")
	}
	waitFor(t, spikeAlert+" active in Alertmanager", 30*time.Second, nil, func() (bool, error) {
		alerts, err := amAlerts(amURL)
		if err != nil {
			return false, err
		}
		for _, a := range alerts {
			if a.Labels["alertname"] != spikeAlert || a.Status.State != "active" {
				continue
			}
			var got []string
			for _, r := range a.Receivers {
				got = append(got, r.Name)
			}
			sort.Strings(got)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("Alertmanager routes %s to %v, the shipped routing says %v", spikeAlert, got, want)
			}
			for k, v := range wantLabels {
				if a.Labels[k] != v {
					t.Errorf("Alertmanager label %s = %q, want %q", k, a.Labels[k], v)
				}
			}
			return true, nil
		}
		return false, fmt.Errorf("%d alerts, none %s active", len(alerts), spikeAlert)
	})

	// ...and notifies exactly those receivers.
	waitFor(t, spikeAlert+" delivered", 30*time.Second, nil, func() (bool, error) {
		msgs, errs := sink.messages()
		if len(errs) > 0 {
			t.Fatalf("bad webhook payloads: %v", errs)
		}
		got := map[string]bool{}
		for _, m := range msgs {
			for _, a := range m.Alerts {
				if a.Labels["alertname"] == spikeAlert && a.Status == "firing" {
					if m.Receiver != m.Path {
						t.Fatalf("payload for receiver %q arrived at /%s", m.Receiver, m.Path)
					}
					got[m.Receiver] = true
				}
			}
		}
		var names []string
		for n := range got {
			names = append(names, n)
		}
		sort.Strings(names)
		return reflect.DeepEqual(names, deliverable(t, want)), fmt.Errorf("delivered to %v, want %v", names, deliverable(t, want))
	})
	run.wait(t, 60*time.Second, records)
	// Every shipped rule evaluated without error on Prometheus 2.42.
	bad, err := prom.unhealthyRules()
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) > 0 {
		t.Errorf("rules failing in Prometheus:\n%s", strings.Join(bad, "\n"))
	}
	t.Logf("%s fired with %v and was delivered to %v", spikeAlert, fired.Labels, want)
}

// deliverable drops the receivers without integrations (they receive nothing).
func deliverable(t *testing.T, receivers []string) []string {
	t.Helper()
	src, err := os.ReadFile(shippedAlertmanagerConfig)
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Receivers []map[string]any `yaml:"receivers"`
	}
	if err := yaml.Unmarshal(src, &cfg); err != nil {
		t.Fatal(err)
	}
	has := map[string]bool{}
	for _, r := range cfg.Receivers {
		for k := range r {
			if strings.HasSuffix(k, "_configs") {
				has[fmt.Sprint(r["name"])] = true
			}
		}
	}
	var out []string
	for _, r := range receivers {
		if has[r] {
			out = append(out, r)
		}
	}
	return out
}
