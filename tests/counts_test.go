package e2e

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/secondme/secondme_error_exporter/demo"
)

// waitLinesInPrometheus waits until Prometheus has scraped exactly want lines for job,
// failing at once if it ever sees more (double counting never heals).
func waitLinesInPrometheus(t *testing.T, prom promClient, job string, want int64, timeout time.Duration, watch *proc) time.Time {
	t.Helper()
	expr := fmt.Sprintf(`sum(secondme_exporter_lines_total{job=%q})`, job)
	var at time.Time
	waitFor(t, fmt.Sprintf("%s == %d", expr, want), timeout, watch, func() (bool, error) {
		now := time.Now()
		v, err := prom.scalarOf(expr, now)
		if err != nil {
			return false, err
		}
		if v > float64(want) {
			t.Fatalf("%s = %v: more lines counted than the %d written", expr, v, want)
		}
		at = now
		return v == float64(want), fmt.Errorf("%v of %d lines", v, want)
	})
	return at
}

// vectorBy runs `sum by (labels) (metric{job})` at time at and returns the non-zero
// results keyed by the label values joined with "/".
func vectorBy(t *testing.T, prom promClient, metric, job string, at time.Time, labels ...string) map[string]int64 {
	t.Helper()
	expr := fmt.Sprintf(`sum by (%s) (%s{job=%q})`, strings.Join(labels, ", "), metric, job)
	if len(labels) == 0 {
		expr = fmt.Sprintf(`sum(%s{job=%q})`, metric, job)
	}
	res, err := prom.query(expr, at)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, s := range res {
		if s.V == 0 {
			continue
		}
		var key []string
		for _, l := range labels {
			key = append(key, s.Metric[l])
		}
		out[strings.Join(key, "/")] = int64(s.V)
	}
	return out
}

func nonZero(m map[string]int64) map[string]int64 {
	out := map[string]int64{}
	for k, v := range m {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}

// diffCounts describes the differences of two count maps, or returns "".
func diffCounts(got, want map[string]int64) string {
	keys := map[string]bool{}
	for k := range got {
		keys[k] = true
	}
	for k := range want {
		keys[k] = true
	}
	var ks []string
	for k := range keys {
		if got[k] != want[k] {
			ks = append(ks, k)
		}
	}
	sort.Strings(ks)
	var b strings.Builder
	for _, k := range ks {
		fmt.Fprintf(&b, "  %s: got %d, want %d\n", k, got[k], want[k])
	}
	return b.String()
}

// assertCountsInPrometheus compares what Prometheus scraped from job with what the
// demo generator wrote: lines, errors by code and by logged status, responses by status
// class, status mismatches and unknown codes — every one exactly.
func assertCountsInPrometheus(t *testing.T, prom promClient, job string, c demo.Counts, timeout time.Duration, watch *proc) {
	t.Helper()
	at := waitLinesInPrometheus(t, prom, job, c.Records, timeout, watch)

	check := func(what string, got, want map[string]int64) {
		t.Helper()
		if d := diffCounts(got, nonZero(want)); d != "" {
			t.Errorf("%s differ from what was written:\n%s", what, d)
		}
	}
	check("errors by error_code", vectorBy(t, prom, "secondme_api_errors_total", job, at, "error_code"), c.Errors)
	byStatus := map[string]int64{}
	for code, m := range c.ErrorsByStatus {
		for status, n := range m {
			byStatus[code+"/"+status] = n
		}
	}
	check("errors by error_code and code", vectorBy(t, prom, "secondme_api_errors_total", job, at, "error_code", "code"), byStatus)
	check("responses by status_class", vectorBy(t, prom, "secondme_api_responses_total", job, at, "status_class"), c.Responses)
	check("status mismatches by error_code", vectorBy(t, prom, "secondme_api_error_status_mismatch_total", job, at, "error_code"), c.Mismatches)
	check("unknown error codes", vectorBy(t, prom, "secondme_exporter_unknown_error_codes_total", job, at),
		map[string]int64{"": c.Unknown})
	t.Logf("Prometheus counted exactly what was written: %d lines, %d errors over %d codes, %d responses",
		c.Records, c.TotalErrors(), len(c.Errors), sumValues(c.Responses))
}

func sumValues(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}

// singleValue reads a metric summed over a job from Prometheus at time at.
func singleValue(t *testing.T, prom promClient, expr string, at time.Time) float64 {
	t.Helper()
	v, err := prom.scalarOf(expr, at)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
