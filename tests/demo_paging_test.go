package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/secondme/secondme_error_exporter/analyze"
	"github.com/secondme/secondme_error_exporter/analyze/report"
	"github.com/secondme/secondme_error_exporter/demo"
)

// TestDemoPagesResolve replays 25 minutes of demo traffic at the demo stack's
// 50 records/s (a virtual clock: 20 ms per record) through the shipped rules
// with the analyzer's backtest. The codes that page at their first
// occurrence come as one scheduled incident (records 10 000–10 002, 3m20s in):
// SecondMeApplicationBlocked (suspended, rejected) and
// SecondMeClientSecretMismatch fire once, at the first evaluation after it,
// and resolve ten minutes later — rather than firing for as long as the demo
// runs, as a background trickle of those codes made them do.
func TestDemoPagesResolve(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	var i int64
	g := demo.NewGenerator(demo.Options{Seed: 1, Now: func() time.Time {
		at := t0.Add(time.Duration(i) * 20 * time.Millisecond)
		i++
		return at
	}})
	var buf []byte
	for range 25 * 60 * 50 {
		buf = g.Next(buf)
	}
	log := filepath.Join(t.TempDir(), "demo.log")
	if err := os.WriteFile(log, buf, 0o644); err != nil {
		t.Fatal(err)
	}

	c := analyze.DefaultConfig()
	c.Inputs = []string{log}
	c.RuleFiles = shippedRuleFiles(t)
	c.Format = "json"
	var out bytes.Buffer
	if err := analyze.Run(context.Background(), c, &out); err != nil {
		t.Fatal(err)
	}
	var doc report.Document
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	bt := doc.Backtest
	if bt == nil || len(bt.RuleErrors) > 0 {
		t.Fatalf("backtest: %+v", bt)
	}
	var got []string
	for _, a := range bt.Alerts {
		if a.Labels["severity"] != "critical" {
			continue
		}
		end := "still firing"
		if a.End != nil {
			end = a.End.Format("15:04")
		}
		got = append(got, a.Name+" "+a.Labels["error_code"]+" "+a.Start.Format("15:04")+"-"+end)
	}
	sort.Strings(got)
	want := []string{
		"SecondMeApplicationBlocked oauth2.application.rejected 10:04-10:14",
		"SecondMeApplicationBlocked oauth2.application.suspended 10:04-10:14",
		"SecondMeClientSecretMismatch oauth2.client.secret_mismatch 10:04-10:14",
	}
	if len(got) != len(want) {
		t.Fatalf("critical alerts:\n%v\nwant\n%v", got, want)
	}
	for k := range want {
		if got[k] != want[k] {
			t.Fatalf("critical alerts:\n%v\nwant\n%v", got, want)
		}
	}
}
