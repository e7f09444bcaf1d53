package e2e

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// History for the baseline rules.
//
// The spike detectors compare a 5m rate with a 6h rate. Prometheus' rate() divides by
// the range, so on a series younger than the range, rate6h is the true rate scaled down
// by age/6h: a fresh Prometheus would see every code "above 3x its baseline" for its
// first two hours. A deployment that has been running for hours does not, and that is
// the state scenario 1 tests. So before Prometheus starts, the suite gives it the
// history such a deployment has — 6.5 (scaled) hours of the same traffic — with
// `promtool tsdb create-blocks-from openmetrics`:
//
//  1. a separate exporter reads historyRecords demo records (another seed, same
//     generator) and its /metrics gives the exact series (every label as the exporter
//     spells it) and each one's share of the traffic;
//  2. each series gets a counter rising at share × rate per second for historySpan,
//     labelled with the live scrape job and instance, ending just before Prometheus
//     starts; the live exporter's series then continue (as a counter reset, which
//     rate() handles).
const (
	historyRecords = 60000
	historySpan    = 390 * time.Second // > the longest scaled window (6h/60 = 6m)
)

// historyMetrics are the counters the recording rules read.
var historyMetrics = []string{"secondme_api_errors_total", "secondme_api_responses_total"}

// backfillHistory writes the history into a new TSDB directory for Prometheus and
// returns it. rate is the live traffic rate in records per second.
func backfillHistory(t *testing.T, dir, job, instance string, rate float64) string {
	t.Helper()
	logPath := filepath.Join(dir, "history.log")
	writeDemo(t, logPath, demoRun{Seed: 11, Records: historyRecords, UnknownCodes: true})
	hist := startExporter(t, nil, "--tail.path="+logPath, "--tail.start=beginning")
	waitFor(t, "history read", 60*time.Second, hist.proc, func() (bool, error) {
		m, err := scrapeExporter(hist.addr)
		if err != nil {
			return false, err
		}
		return m["secondme_exporter_lines_total"] == historyRecords, fmt.Errorf("%v lines", m["secondme_exporter_lines_total"])
	})
	series, err := scrapeSeries(hist.addr, historyMetrics...)
	if err != nil {
		t.Fatal(err)
	}
	hist.stop(10 * time.Second)

	var b strings.Builder
	end := time.Now().Add(-time.Second).Truncate(time.Second)
	steps := int(historySpan / time.Second)
	sort.Slice(series, func(i, j int) bool { return series[i].Name < series[j].Name })
	for _, s := range series {
		labels := map[string]string{"job": job, "instance": instance}
		for k, v := range s.Labels {
			labels[k] = v
		}
		keys := make([]string, 0, len(labels))
		for k := range labels {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var ls []string
		for _, k := range keys {
			ls = append(ls, k+"="+strconv.Quote(labels[k]))
		}
		id := s.Name + "{" + strings.Join(ls, ",") + "}"
		perSecond := s.Value / historyRecords * rate
		for i := 0; i <= steps; i++ {
			ts := end.Add(-time.Duration(steps-i) * time.Second)
			fmt.Fprintf(&b, "%s %s %d\n", id, strconv.FormatFloat(perSecond*float64(i), 'f', -1, 64), ts.Unix())
		}
	}
	b.WriteString("# EOF\n")
	input := writeFile(t, dir, "history.om", b.String())
	data := filepath.Join(dir, "tsdb")
	promtool := lookTool(t, "promtool")
	if out, err := runCmd(promtool, "tsdb", "create-blocks-from", "openmetrics", input, data); err != nil {
		t.Fatalf("promtool tsdb create-blocks-from openmetrics: %v\n%s", err, out)
	}
	return data
}
