package metrics

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"

	"github.com/secondme/secondme_error_exporter/catalog"
	"github.com/secondme/secondme_error_exporter/parser"
)

func newTest(t testing.TB, maxUnknown int) (*Metrics, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	return New(reg, catalog.Default(), maxUnknown), reg
}

func errEnv(code string, status int) parser.Envelope {
	return parser.Envelope{Kind: parser.Error, ErrorCode: code, Code: status}
}

// gather returns the metric families by name.
func gather(t testing.TB, reg prometheus.Gatherer) map[string]*dto.MetricFamily {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*dto.MetricFamily{}
	for _, mf := range mfs {
		out[mf.GetName()] = mf
	}
	return out
}

func labels(m *dto.Metric) map[string]string {
	out := map[string]string{}
	for _, l := range m.GetLabel() {
		out[l.GetName()] = l.GetValue()
	}
	return out
}

// sum adds the values of the family's series whose labels include want.
func sum(mf *dto.MetricFamily, want map[string]string) float64 {
	var s float64
	for _, m := range mf.GetMetric() {
		ls := labels(m)
		ok := true
		for k, v := range want {
			if ls[k] != v {
				ok = false
			}
		}
		if ok {
			s += m.GetCounter().GetValue() + m.GetGauge().GetValue()
		}
	}
	return s
}

func TestPreinitialisedSeries(t *testing.T) {
	m, reg := newTest(t, 100)
	m.Source("app")
	m.Source("gateway")
	entries := catalog.Default().Entries()
	mfs := gather(t, reg)

	errs := mfs["secondme_api_errors_total"]
	if got, want := len(errs.GetMetric()), 2*len(entries); got != want {
		t.Fatalf("errors_total has %d series, want %d (every catalog code for every source)", got, want)
	}
	byKey := map[string]map[string]string{}
	for _, s := range errs.GetMetric() {
		ls := labels(s)
		if s.GetCounter().GetValue() != 0 {
			t.Errorf("pre-initialised series %v = %v, want 0", ls, s.GetCounter().GetValue())
		}
		byKey[ls["source"]+"/"+ls["error_code"]] = ls
	}
	for _, e := range entries {
		for _, src := range []string{"app", "gateway"} {
			ls, ok := byKey[src+"/"+e.Code]
			if !ok {
				t.Fatalf("no series for %s/%s", src, e.Code)
			}
			want := map[string]string{
				"source": src, "module": e.Module, "resource": e.Resource, "reason": e.Reason,
				"error_code": e.Code, "code": strconv.Itoa(e.Status), "status_class": catalog.StatusClass(e.Status),
			}
			for k, v := range want {
				if ls[k] != v {
					t.Errorf("%s/%s: label %s = %q, want %q", src, e.Code, k, ls[k], v)
				}
			}
		}
	}

	if got, want := len(mfs["secondme_exporter_malformed_total"].GetMetric()), 2*len(parser.MalformedReasons()); got != want {
		t.Errorf("malformed_total has %d series, want %d (every reason for every source)", got, want)
	}
	if got := len(mfs["secondme_api_responses_total"].GetMetric()); got != 2*numClasses {
		t.Errorf("responses_total has %d series, want %d", got, 2*numClasses)
	}
	if got := len(mfs["secondme_api_error_catalog_info"].GetMetric()); got != len(entries) {
		t.Errorf("catalog_info has %d series, want %d", got, len(entries))
	}
	for _, name := range []string{"lines_total", "bytes_total", "unknown_error_codes_total", "label_overflow_total",
		"rotations_total", "truncations_total", "read_errors_total", "last_record_timestamp_seconds"} {
		if got := len(mfs["secondme_exporter_"+name].GetMetric()); got != 2 {
			t.Errorf("secondme_exporter_%s has %d series, want 2", name, got)
		}
	}
}

func TestObserve(t *testing.T) {
	m, reg := newTest(t, 100)
	s := m.Source("app")
	before := time.Now()
	s.Observe(parser.Envelope{Kind: parser.None}, 10)
	s.Observe(parser.Envelope{Kind: parser.Success}, 40)
	s.Observe(parser.Envelope{Kind: parser.Response, Code: 502}, 120)
	s.Observe(parser.Envelope{Kind: parser.Response, Code: 0}, 100)
	s.Observe(errEnv("oauth2.token.expired", 401), 80)
	s.Observe(errEnv("oauth2.token.expired", 401), 80)
	s.Observe(errEnv("oauth2.token.expired", 0), 80)     // status not logged: the catalog's
	s.Observe(errEnv("oauth2.token.expired", 403), 80)   // a gateway rewrote it
	s.Observe(errEnv("oauth2.token.expired", 40101), 80) // a business code is not a status
	s.Observe(errEnv("secondme.quota.exceeded", 429), 80)
	s.Observe(errEnv("secondme.quota.exceeded", 0), 80)
	s.Observe(parser.Envelope{Kind: parser.Malformed, Reason: parser.MalformedReasons()[0]}, 30)
	s.Oversized()
	s.Rotated()
	s.Truncated()
	s.Truncated()
	s.ReadError()

	expected := `
# HELP secondme_api_error_status_mismatch_total Error envelopes of a catalog code whose logged HTTP status differs from the catalog's.
# TYPE secondme_api_error_status_mismatch_total counter
secondme_api_error_status_mismatch_total{code="403",error_code="oauth2.token.expired",expected_code="401",source="app"} 1
# HELP secondme_api_responses_total SecondMe API responses found in the logs (error envelopes, code 0 successes as 2xx, gateway status lines), by status class.
# TYPE secondme_api_responses_total counter
secondme_api_responses_total{source="app",status_class="1xx"} 0
secondme_api_responses_total{source="app",status_class="2xx"} 1
secondme_api_responses_total{source="app",status_class="3xx"} 0
secondme_api_responses_total{source="app",status_class="4xx"} 6
secondme_api_responses_total{source="app",status_class="5xx"} 1
secondme_api_responses_total{source="app",status_class="unknown"} 2
# HELP secondme_exporter_lines_total Records (lines, or joined multi-line records) read from the logs, including skipped oversized ones.
# TYPE secondme_exporter_lines_total counter
secondme_exporter_lines_total{source="app"} 13
# HELP secondme_exporter_bytes_total Bytes of the records handed to the parser.
# TYPE secondme_exporter_bytes_total counter
secondme_exporter_bytes_total{source="app"} 860
# HELP secondme_exporter_unknown_error_codes_total Error envelopes whose error_code is grammar-valid but not in the catalog.
# TYPE secondme_exporter_unknown_error_codes_total counter
secondme_exporter_unknown_error_codes_total{source="app"} 2
# HELP secondme_exporter_label_overflow_total Error envelopes counted under error_code="other" because the source reached its limit of distinct unknown codes.
# TYPE secondme_exporter_label_overflow_total counter
secondme_exporter_label_overflow_total{source="app"} 0
# HELP secondme_exporter_rotations_total Log file rotations noticed (a new file at a watched path).
# TYPE secondme_exporter_rotations_total counter
secondme_exporter_rotations_total{source="app"} 1
# HELP secondme_exporter_truncations_total Log file truncations noticed (a file smaller than the read offset; reading restarts at 0).
# TYPE secondme_exporter_truncations_total counter
secondme_exporter_truncations_total{source="app"} 2
# HELP secondme_exporter_read_errors_total Errors opening, stating or reading log files.
# TYPE secondme_exporter_read_errors_total counter
secondme_exporter_read_errors_total{source="app"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(expected),
		"secondme_api_error_status_mismatch_total", "secondme_api_responses_total",
		"secondme_exporter_lines_total", "secondme_exporter_bytes_total",
		"secondme_exporter_unknown_error_codes_total", "secondme_exporter_label_overflow_total",
		"secondme_exporter_rotations_total", "secondme_exporter_truncations_total",
		"secondme_exporter_read_errors_total"); err != nil {
		t.Fatal(err)
	}

	errs := gather(t, reg)["secondme_api_errors_total"]
	for _, c := range []struct {
		labels map[string]string
		want   float64
	}{
		{map[string]string{"error_code": "oauth2.token.expired", "code": "401", "status_class": "4xx",
			"module": "oauth2", "resource": "token", "reason": "expired"}, 4},
		{map[string]string{"error_code": "oauth2.token.expired", "code": "403", "status_class": "4xx"}, 1},
		{map[string]string{"error_code": "secondme.quota.exceeded", "code": "429", "status_class": "4xx",
			"module": "secondme", "resource": "quota", "reason": "exceeded"}, 1},
		{map[string]string{"error_code": "secondme.quota.exceeded", "code": "unknown", "status_class": "unknown"}, 1},
	} {
		if got := sum(errs, c.labels); got != c.want {
			t.Errorf("errors_total%v = %v, want %v", c.labels, got, c.want)
		}
	}
	mal := gather(t, reg)["secondme_exporter_malformed_total"]
	if got := sum(mal, map[string]string{"reason": string(parser.MalformedReasons()[0])}); got != 1 {
		t.Errorf("malformed{%s} = %v, want 1", parser.MalformedReasons()[0], got)
	}
	if got := sum(mal, map[string]string{"reason": "oversized"}); got != 1 {
		t.Errorf("malformed{oversized} = %v, want 1", got)
	}
	ts := testutil.ToFloat64(m.lastRecord.WithLabelValues("app"))
	if ts < float64(before.Unix()) || ts > float64(time.Now().Unix()+1) {
		t.Errorf("last_record_timestamp_seconds = %v, not the time of the last record", ts)
	}
}

// TestCardinalityFlood: 50,000 random codes outside the catalog leave a
// bounded number of series and exact totals.
func TestCardinalityFlood(t *testing.T) {
	const (
		maxUnknown = 100
		n          = 50000
	)
	m, reg := newTest(t, maxUnknown)
	s := m.Source("app")
	rng := rand.New(rand.NewPCG(1, 2))
	statuses := []int{400, 404, 500}
	admitted := map[string]bool{}
	var admittedRecords, known int
	for i := 0; i < n; i++ {
		if i%10 == 0 {
			s.Observe(errEnv("oauth2.token.expired", 401), 50)
			known++
			continue
		}
		code := fmt.Sprintf("flood.c%d.r%d", rng.IntN(1<<30), i)
		if len(admitted) < maxUnknown {
			admitted[code] = true
		}
		if admitted[code] {
			admittedRecords++
		}
		s.Observe(errEnv(code, statuses[rng.IntN(len(statuses))]), 50)
	}
	unknown := n - known
	mfs := gather(t, reg)
	errs := mfs["secondme_api_errors_total"]
	entries := len(catalog.Default().Entries())
	// Every admitted code has one series per status it was seen with; the
	// rest share one "other" series per status.
	if got, max := len(errs.GetMetric()), entries+maxUnknown*len(statuses)+len(statuses); got > max {
		t.Fatalf("%d series after the flood, want at most %d", got, max)
	}
	if got := sum(errs, nil); got != n {
		t.Errorf("sum(errors_total) = %v, want exactly %d", got, n)
	}
	if got := sum(errs, map[string]string{"error_code": OtherCode, "module": OtherCode, "resource": OtherCode, "reason": OtherCode}); got != float64(unknown-admittedRecords) {
		t.Errorf("other = %v, want %d", got, unknown-admittedRecords)
	}
	distinct := map[string]bool{}
	for _, s := range errs.GetMetric() {
		ls := labels(s)
		if strings.HasPrefix(ls["error_code"], "flood.") {
			distinct[ls["error_code"]] = true
		}
	}
	if len(distinct) != maxUnknown {
		t.Errorf("%d distinct unknown codes have series, want %d", len(distinct), maxUnknown)
	}
	if got := testutil.ToFloat64(m.unknownCodes.WithLabelValues("app")); got != float64(unknown) {
		t.Errorf("unknown_error_codes_total = %v, want %d", got, unknown)
	}
	if got := testutil.ToFloat64(m.overflow.WithLabelValues("app")); got != float64(unknown-admittedRecords) {
		t.Errorf("label_overflow_total = %v, want %d", got, unknown-admittedRecords)
	}
	if got := sum(mfs["secondme_api_responses_total"], nil); got != n {
		t.Errorf("sum(responses_total) = %v, want %d", got, n)
	}
	if got := len(s.errs); got > 1+maxUnknown*len(statuses)+len(statuses) {
		t.Errorf("classification cache grew to %d entries: the flood must not be cached", got)
	}
}

// TestConcurrentObserve: the tailer calls Observe from one goroutine per
// file; totals stay exact (run with -race).
func TestConcurrentObserve(t *testing.T) {
	m, reg := newTest(t, 10)
	s := m.Source("app")
	const workers, per = 8, 5000
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < per; i++ {
				switch i % 4 {
				case 0:
					s.Observe(errEnv("oauth2.token.expired", 401), 1)
				case 1:
					s.Observe(errEnv(fmt.Sprintf("x.y.c%d", (w*per+i)%50), 400), 1)
				case 2:
					s.Observe(parser.Envelope{Kind: parser.Success}, 1)
				default:
					s.Observe(parser.Envelope{}, 1)
				}
			}
		}()
	}
	wg.Wait()
	mfs := gather(t, reg)
	if got := sum(mfs["secondme_api_errors_total"], nil); got != workers*per/2 {
		t.Errorf("errors = %v, want %d", got, workers*per/2)
	}
	if got := testutil.ToFloat64(m.lines.WithLabelValues("app")); got != workers*per {
		t.Errorf("lines = %v, want %d", got, workers*per)
	}
	if got := sum(mfs["secondme_api_errors_total"], map[string]string{"error_code": OtherCode}); got != float64(workers*per/4)-sum(mfs["secondme_api_errors_total"], map[string]string{"module": "x"}) {
		t.Errorf("other = %v does not add up", got)
	}
}

func TestSetCatalog(t *testing.T) {
	m, reg := newTest(t, 100)
	s := m.Source("app")
	s.Observe(errEnv("secondme.quota.exceeded", 429), 1) // unknown for now
	s.Observe(errEnv("oauth2.token.expired", 401), 1)

	cat, err := catalog.Load("extra.yml", []byte(`codes:
  - code: secondme.quota.exceeded
    status: 429
    section: secondme
    description_zh: 配额已用完
    description: The quota is exhausted
    action: "Back off: retry after the quota resets"
`))
	if err != nil {
		t.Fatal(err)
	}
	m.SetCatalog(cat)
	m.Source("new")
	s.Observe(errEnv("secondme.quota.exceeded", 429), 1)

	mfs := gather(t, reg)
	if got := len(mfs["secondme_api_error_catalog_info"].GetMetric()); got != len(cat.Entries()) {
		t.Errorf("catalog_info has %d series, want %d", got, len(cat.Entries()))
	}
	errs := mfs["secondme_api_errors_total"]
	if got := sum(errs, map[string]string{"source": "app", "error_code": "oauth2.token.expired"}); got != 1 {
		t.Errorf("counter of a staying code = %v, want 1 (kept across the catalog change)", got)
	}
	if got := sum(errs, map[string]string{"source": "app", "error_code": "secondme.quota.exceeded"}); got != 2 {
		t.Errorf("quota.exceeded = %v, want 2", got)
	}
	if got := sum(errs, map[string]string{"source": "new", "error_code": "secondme.quota.exceeded"}); got != 0 {
		t.Errorf("new source: %v", got)
	}
	found := false
	for _, s := range errs.GetMetric() {
		ls := labels(s)
		if ls["source"] == "new" && ls["error_code"] == "secondme.quota.exceeded" {
			found = true
		}
	}
	if !found {
		t.Error("the new catalog code is not pre-initialised")
	}
	if got := testutil.ToFloat64(m.unknownCodes.WithLabelValues("app")); got != 1 {
		t.Errorf("unknown = %v, want 1 (only the record before the catalog knew the code)", got)
	}
}

func TestReloadAndTailerStats(t *testing.T) {
	m, reg := newTest(t, 100)
	at := time.Unix(1700000000, 0)
	m.SetReloadResult(true, at)
	m.SetReloadResult(false, at.Add(time.Hour))
	m.SetTailerStats(func(emit func(string, int, int64)) {
		emit("app", 3, 1024)
		emit("gateway", 0, 0)
	})
	expected := `
# HELP secondme_exporter_config_last_reload_success_timestamp_seconds Timestamp of the last successful configuration reload.
# TYPE secondme_exporter_config_last_reload_success_timestamp_seconds gauge
secondme_exporter_config_last_reload_success_timestamp_seconds 1.7e+09
# HELP secondme_exporter_config_last_reload_successful Whether the last configuration reload attempt was successful.
# TYPE secondme_exporter_config_last_reload_successful gauge
secondme_exporter_config_last_reload_successful 0
# HELP secondme_exporter_files_watched Files currently followed for the source.
# TYPE secondme_exporter_files_watched gauge
secondme_exporter_files_watched{source="app"} 3
secondme_exporter_files_watched{source="gateway"} 0
# HELP secondme_exporter_lag_bytes Bytes written to the source's files but not read yet (size minus offset, summed over files).
# TYPE secondme_exporter_lag_bytes gauge
secondme_exporter_lag_bytes{source="app"} 1024
secondme_exporter_lag_bytes{source="gateway"} 0
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(expected),
		"secondme_exporter_config_last_reload_successful", "secondme_exporter_config_last_reload_success_timestamp_seconds",
		"secondme_exporter_files_watched", "secondme_exporter_lag_bytes"); err != nil {
		t.Fatal(err)
	}
}

func TestLint(t *testing.T) {
	m, reg := newTest(t, 100)
	m.Source("app").Observe(errEnv("oauth2.token.expired", 401), 1)
	problems, err := testutil.GatherAndLint(reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("lint: %s: %s", p.Metric, p.Text)
	}
}

// TestHotPathAllocations: a record without an envelope and a cached error
// envelope cost no allocation.
func TestHotPathAllocations(t *testing.T) {
	m, _ := newTest(t, 100)
	s := m.Source("app")
	none := parser.Envelope{}
	env := errEnv("oauth2.token.expired", 401)
	s.Observe(env, 1) // resolve once
	if n := testing.AllocsPerRun(1000, func() { s.Observe(none, 100) }); n != 0 {
		t.Errorf("Observe(no envelope) allocates %v times", n)
	}
	if n := testing.AllocsPerRun(1000, func() { s.Observe(env, 100) }); n != 0 {
		t.Errorf("Observe(cached error) allocates %v times", n)
	}
}

func BenchmarkObserveNone(b *testing.B) {
	m, _ := newTest(b, 100)
	s := m.Source("app")
	b.ReportAllocs()
	for b.Loop() {
		s.Observe(parser.Envelope{}, 120)
	}
}

func BenchmarkObserveError(b *testing.B) {
	m, _ := newTest(b, 100)
	s := m.Source("app")
	env := errEnv("oauth2.token.expired", 401)
	b.ReportAllocs()
	for b.Loop() {
		s.Observe(env, 120)
	}
}

// BenchmarkWithLabelValues is the cost the cache avoids.
func BenchmarkWithLabelValues(b *testing.B) {
	m, _ := newTest(b, 100)
	b.ReportAllocs()
	for b.Loop() {
		m.errors.WithLabelValues("app", "oauth2", "token", "expired", "oauth2.token.expired", "401", "4xx").Inc()
	}
}
