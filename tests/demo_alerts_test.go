package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/secondme/secondme_error_exporter/analyze"
	"github.com/secondme/secondme_error_exporter/analyze/report"
	"github.com/secondme/secondme_error_exporter/demo"
)

// composeDemoWriter reads the demo-writer's flags from the compose stack. The
// test needs the rate and the whole spike schedule: compose.yml must give
// them (rather than this test copying the writer's defaults, which could
// drift from them).
func composeDemoWriter(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, "deploy", "docker-compose", "compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Services map[string]struct {
			Command []string `yaml:"command"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	cmd := c.Services["demo-writer"].Command
	if len(cmd) == 0 || cmd[0] != "demo-writer" {
		t.Fatalf("demo-writer command = %q", cmd)
	}
	flags := map[string]string{}
	for _, a := range cmd[1:] {
		if k, v, ok := strings.Cut(a, "="); ok {
			flags[k] = v
		}
	}
	for _, k := range []string{"--rate", "--spike-at", "--spike-every", "--spike-for", "--spike-rate"} {
		if _, ok := flags[k]; !ok {
			t.Fatalf("compose.yml's demo-writer does not set %s", k)
		}
	}
	return flags
}

// TestComposeDemoAlerts replays what the compose stack's demo-writer writes
// in its first two hours (its own flags, on a virtual clock) through the shipped
// rules with the analyzer's backtest, and checks what the stack's
// Prometheus would show:
//
//   - SecondMeRefreshTokenRevokedSpike, the alert the demo exists to show,
//     pages for each spike once the source is old enough to have a baseline
//     (the first spike at 40 minutes, then hourly) — with the stack's former
//     schedule (a 6-minute spike every 15 minutes) it never did: the spikes
//     made up the baseline they were compared with;
//   - the codes that page at their first occurrence come as an hourly
//     incident whose alerts resolve ten minutes later, rather than firing for
//     as long as the demo runs;
//   - the only tickets (info) are the codes outside the catalog and the one
//     code a gateway logs with 401 where the catalog says 400 (once, every
//     code rewritten at random opened a ticket per code);
//   - no warning or critical alert fires for more than 15 minutes at a time
//     or is still firing when the replay ends (the background traffic once
//     kept SecondMeUpstreamUnreachable firing).
func TestComposeDemoAlerts(t *testing.T) {
	t.Parallel()
	f := composeDemoWriter(t)
	rate, err := strconv.ParseFloat(f["--rate"], 64)
	if err != nil {
		t.Fatal(err)
	}
	share, err := strconv.ParseFloat(f["--spike-rate"], 64)
	if err != nil {
		t.Fatal(err)
	}
	var d [3]time.Duration
	for k, name := range []string{"--spike-at", "--spike-every", "--spike-for"} {
		if d[k], err = time.ParseDuration(f[name]); err != nil {
			t.Fatal(err)
		}
	}
	start, every, length, err := demo.SpikeSchedule(rate, d[0], d[1], d[2])
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	step := time.Duration(float64(time.Second) / rate)
	var i int64
	g := demo.NewGenerator(demo.Options{Seed: 1, UnknownCodes: true,
		SpikeStart: start, SpikeEvery: every, SpikeLength: length, SpikeShare: share,
		Now: func() time.Time {
			at := t0.Add(time.Duration(i) * step)
			i++
			return at
		}})
	log := filepath.Join(t.TempDir(), "app.log")
	out, err := os.Create(log)
	if err != nil {
		t.Fatal(err)
	}
	var buf []byte
	for range int((2 * time.Hour).Seconds() * rate) {
		buf = g.Next(buf[:0])
		if _, err := out.Write(buf); err != nil {
			t.Fatal(err)
		}
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}

	c := analyze.DefaultConfig()
	c.Inputs = []string{log}
	c.RuleFiles = shippedRuleFiles(t)
	c.Format = "json"
	var rep bytes.Buffer
	if err := analyze.Run(context.Background(), c, &rep); err != nil {
		t.Fatal(err)
	}
	var doc report.Document
	if err := json.Unmarshal(rep.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	bt := doc.Backtest
	if bt == nil || len(bt.RuleErrors) > 0 {
		t.Fatalf("backtest: %+v", bt)
	}
	var critical []string
	for _, a := range bt.Alerts {
		sev := a.Labels["severity"]
		if sev == "info" {
			// Tickets: the codes outside the catalog, and the one code a
			// gateway logs with another status than the catalog's.
			if a.Name != "SecondMeUnknownErrorCodes" && (a.Name != "SecondMeErrorStatusMismatch" ||
				a.Labels["error_code"] != "oauth2.refresh_token.invalid" || a.Labels["code"] != "401") {
				t.Errorf("info alert %s %v", a.Name, a.Labels)
			}
			continue
		}
		end := "still firing"
		if a.End != nil {
			end = a.End.Format("15:04")
			if a.End.Sub(a.Start) > 15*time.Minute {
				t.Errorf("%s %v fired for %s", a.Name, a.Labels, a.End.Sub(a.Start))
			}
		} else {
			t.Errorf("%s %v still firing at the end of the replay (since %s)", a.Name, a.Labels, a.Start.Format("15:04"))
		}
		if sev == "critical" {
			critical = append(critical, fmt.Sprintf("%s %s %s-%s", a.Start.Format("15:04"), a.Name, a.Labels["error_code"], end))
		}
	}
	want := []string{
		"10:04 SecondMeApplicationBlocked oauth2.application.rejected-10:14",
		"10:04 SecondMeApplicationBlocked oauth2.application.suspended-10:14",
		"10:04 SecondMeClientSecretMismatch oauth2.client.secret_mismatch-10:14",
		"10:46 SecondMeRefreshTokenRevokedSpike oauth2.refresh_token.revoked-10:53",
		"11:04 SecondMeApplicationBlocked oauth2.application.rejected-11:14",
		"11:04 SecondMeApplicationBlocked oauth2.application.suspended-11:14",
		"11:04 SecondMeClientSecretMismatch oauth2.client.secret_mismatch-11:14",
		"11:47 SecondMeRefreshTokenRevokedSpike oauth2.refresh_token.revoked-11:53",
	}
	sort.Strings(critical)
	if strings.Join(critical, "\n") != strings.Join(want, "\n") {
		t.Errorf("critical alerts of the compose demo:\n%s\nwant\n%s", strings.Join(critical, "\n"), strings.Join(want, "\n"))
	}
}
