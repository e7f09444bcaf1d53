package exporter

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/secondme/secondme_error_exporter/config"
	"github.com/secondme/secondme_error_exporter/demo"
)

// running is an exporter started by startExporter.
type running struct {
	e    *Exporter
	url  string
	stop func() error
}

// startExporter runs an exporter on a random loopback port until the test
// ends.
func startExporter(t *testing.T, opts Options) *running {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	opts.Listener = l
	if opts.Global == (config.GlobalConfig{}) {
		opts.Global = testGlobal()
	}
	e, err := New(opts)
	if err != nil {
		l.Close()
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.Run(ctx) }()
	var once sync.Once
	var runErr error
	stop := func() error {
		once.Do(func() {
			cancel()
			select {
			case runErr = <-done:
			case <-time.After(20 * time.Second):
				runErr = fmt.Errorf("exporter did not stop")
			}
		})
		return runErr
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	r := &running{e: e, url: "http://" + l.Addr().String(), stop: stop}
	waitFor(t, "ready", func() (bool, string) {
		code, body := get(t, r.url+"/-/ready")
		return code == http.StatusOK, body
	})
	return r
}

// testGlobal reads from the beginning (files are written before the
// exporter starts) and rescans often so new files are found quickly.
func testGlobal() config.GlobalConfig {
	g := config.DefaultGlobalConfig
	g.Start = config.StartBeginning
	g.RescanInterval = model.Duration(50 * time.Millisecond)
	return g
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func post(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Post(url, "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitFor polls cond until it holds; tests never sleep to synchronise.
func waitFor(t *testing.T, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		ok, state := cond()
		if ok {
			return
		}
		last = state
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s; last state:\n%s", what, last)
}

// scrape parses /metrics.
type scrape map[string][]sample

type sample struct {
	labels map[string]string
	value  float64
}

func (r *running) scrape(t *testing.T) scrape {
	t.Helper()
	code, body := get(t, r.url+"/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics: %d %s", code, body)
	}
	return parseScrape(t, body)
}

func parseScrape(t *testing.T, body string) scrape {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parsing /metrics: %v", err)
	}
	out := scrape{}
	for name, mf := range mfs {
		for _, m := range mf.GetMetric() {
			ls := map[string]string{}
			for _, l := range m.GetLabel() {
				ls[l.GetName()] = l.GetValue()
			}
			out[name] = append(out[name], sample{ls, m.GetCounter().GetValue() + m.GetGauge().GetValue() + m.GetUntyped().GetValue()})
		}
	}
	return out
}

// sum adds the series of name whose labels include want.
func (s scrape) sum(name string, want map[string]string) float64 {
	var v float64
	for _, smp := range s[name] {
		ok := true
		for k, w := range want {
			if smp.labels[k] != w {
				ok = false
				break
			}
		}
		if ok {
			v += smp.value
		}
	}
	return v
}

func (s scrape) count(name string) int { return len(s[name]) }

func writeFile(t *testing.T, path string, lines ...string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, l := range lines {
		if _, err := f.WriteString(l + "\n"); err != nil {
			t.Fatal(err)
		}
	}
}

func waitLines(t *testing.T, r *running, source string, n float64) scrape {
	t.Helper()
	waitFor(t, fmt.Sprintf("%s lines_total=%v", source, n), func() (bool, string) {
		got := r.scrape(t).sum("secondme_exporter_lines_total", map[string]string{"source": source})
		return got == n, fmt.Sprintf("lines_total{source=%q} = %v", source, got)
	})
	// A scrape gathers its metric families in no set order, so the one that saw
	// lines_total reach n may have read the other counters before the last
	// records were counted. A scrape begun after it sees them all.
	return r.scrape(t)
}

// knownRecords is a small log with one record of each kind.
var knownRecords = []string{
	`{"code":401,"message":"Token expired","error_code":"oauth2.token.expired"}`,
	`2025-01-02T03:04:05Z ERROR call failed: {"code":401,"message":"Token expired","error_code":"oauth2.token.expired"}`,
	`{"level":"error","response":{"code":403,"message":"denied","error_code":"apikey.permission.denied"}}`,
	`{"code":500,"message":"x","error_code":"oauth2.token.expired"}`,
	`{"code":0,"message":"success","data":{}}`,
	`INFO nothing to see here`,
}

// TestKnownInput checks the exposition for a known log with testutil, the
// way the rules see it.
func TestKnownInput(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	writeFile(t, log, knownRecords...)
	r := startExporter(t, Options{TailPaths: []string{filepath.Join(dir, "*.log")}})
	waitLines(t, r, config.DefaultSource, float64(len(knownRecords)))

	expected := `
# HELP secondme_api_error_status_mismatch_total Error envelopes of a catalog code whose logged HTTP status differs from the catalog's.
# TYPE secondme_api_error_status_mismatch_total counter
secondme_api_error_status_mismatch_total{code="500",error_code="oauth2.token.expired",expected_code="401",source="default"} 1
# HELP secondme_api_responses_total SecondMe API responses found in the logs (error envelopes, code 0 successes as 2xx, gateway status lines), by status class.
# TYPE secondme_api_responses_total counter
secondme_api_responses_total{source="default",status_class="1xx"} 0
secondme_api_responses_total{source="default",status_class="2xx"} 1
secondme_api_responses_total{source="default",status_class="3xx"} 0
secondme_api_responses_total{source="default",status_class="4xx"} 3
secondme_api_responses_total{source="default",status_class="5xx"} 1
secondme_api_responses_total{source="default",status_class="unknown"} 0
# HELP secondme_exporter_files_watched Files currently followed for the source.
# TYPE secondme_exporter_files_watched gauge
secondme_exporter_files_watched{source="default"} 1
# HELP secondme_exporter_lag_bytes Bytes written to the source's files but not read yet (size minus offset, summed over files).
# TYPE secondme_exporter_lag_bytes gauge
secondme_exporter_lag_bytes{source="default"} 0
# HELP secondme_exporter_lines_total Records (lines, or joined multi-line records) read from the logs, including skipped oversized ones.
# TYPE secondme_exporter_lines_total counter
secondme_exporter_lines_total{source="default"} 6
# HELP secondme_exporter_unknown_error_codes_total Error envelopes whose error_code is grammar-valid but not in the catalog.
# TYPE secondme_exporter_unknown_error_codes_total counter
secondme_exporter_unknown_error_codes_total{source="default"} 0
# HELP secondme_exporter_config_last_reload_successful Whether the last configuration reload attempt was successful.
# TYPE secondme_exporter_config_last_reload_successful gauge
secondme_exporter_config_last_reload_successful 1
`
	if err := testutil.GatherAndCompare(r.e.Registry(), strings.NewReader(expected),
		"secondme_api_error_status_mismatch_total", "secondme_api_responses_total",
		"secondme_exporter_files_watched", "secondme_exporter_lag_bytes", "secondme_exporter_lines_total",
		"secondme_exporter_unknown_error_codes_total", "secondme_exporter_config_last_reload_successful"); err != nil {
		t.Fatal(err)
	}
	s := r.scrape(t)
	for _, c := range []struct {
		labels map[string]string
		want   float64
	}{
		{map[string]string{"error_code": "oauth2.token.expired", "code": "401", "status_class": "4xx", "module": "oauth2", "resource": "token", "reason": "expired"}, 2},
		{map[string]string{"error_code": "oauth2.token.expired", "code": "500", "status_class": "5xx"}, 1},
		{map[string]string{"error_code": "apikey.permission.denied", "code": "403"}, 1},
		{nil, 4},
	} {
		if got := s.sum("secondme_api_errors_total", c.labels); got != c.want {
			t.Errorf("errors_total%v = %v, want %v", c.labels, got, c.want)
		}
	}
	if s.count("secondme_exporter_build_info") != 1 || s.count("go_goroutines") != 1 || s.count("process_resident_memory_bytes") != 1 {
		t.Error("build info, Go or process collector missing")
	}
	if got := s.count("secondme_api_error_catalog_info"); got < 44 {
		t.Errorf("catalog_info has %d series, want at least the 44 reference codes", got)
	}
}

// TestPromtoolCheckMetrics lints the real /metrics output with promtool.
func TestPromtoolCheckMetrics(t *testing.T) {
	promtool := findTool(t, "promtool")
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "app.log"), knownRecords...)
	r := startExporter(t, Options{TailPaths: []string{filepath.Join(dir, "*.log")}})
	waitLines(t, r, config.DefaultSource, float64(len(knownRecords)))
	_, body := get(t, r.url+"/metrics")
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = strings.NewReader(body)
	// promtool exits 3 for lint problems and 1 for errors, and prints them.
	if out, err := cmd.CombinedOutput(); err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Fatalf("promtool check metrics: %v\n%s", err, out)
	}
}

// findTool finds a binary on PATH or in $(go env GOPATH)/bin; with CI=true
// a missing tool fails the test.
func findTool(t *testing.T, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		p := filepath.Join(strings.TrimSpace(string(out)), "bin", name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s not found on PATH (run scripts/install-tools.sh)", name)
	}
	t.Skipf("%s not found on PATH; run scripts/install-tools.sh (CI=true makes this a failure)", name)
	return ""
}

func TestNewFileUnderGlob(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.log"), knownRecords[0])
	r := startExporter(t, Options{TailPaths: []string{filepath.Join(dir, "*.log")}})
	waitLines(t, r, config.DefaultSource, 1)

	writeFile(t, filepath.Join(dir, "b.log"), knownRecords[0], knownRecords[2])
	writeFile(t, filepath.Join(dir, "ignored.txt"), knownRecords[0])
	s := waitLines(t, r, config.DefaultSource, 3)
	if got := s.sum("secondme_api_errors_total", map[string]string{"error_code": "oauth2.token.expired"}); got != 2 {
		t.Errorf("oauth2.token.expired = %v, want 2", got)
	}
	waitFor(t, "files_watched=2", func() (bool, string) {
		got := r.scrape(t).sum("secondme_exporter_files_watched", nil)
		return got == 2, fmt.Sprint(got)
	})
}

func TestOversizedRecord(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	g := testGlobal()
	g.MaxRecordBytes = 1 << 10
	huge := `{"code":401,"message":"` + strings.Repeat("x", 5000) + `","error_code":"oauth2.token.expired"}`
	writeFile(t, log, knownRecords[0], huge, knownRecords[2])
	r := startExporter(t, Options{TailPaths: []string{log}, Global: g})
	s := waitLines(t, r, config.DefaultSource, 3)
	if got := s.sum("secondme_exporter_malformed_total", map[string]string{"reason": "oversized"}); got != 1 {
		t.Errorf("malformed{oversized} = %v, want 1", got)
	}
	if got := s.sum("secondme_api_errors_total", nil); got != 2 {
		t.Errorf("errors = %v, want 2: the records around the oversized one count, it does not", got)
	}
}

// writeConfig writes a configuration with one input per name, each
// tailing <dir>/<name>.log.
func writeConfig(t *testing.T, path, dir string, names ...string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("global:\n  start: beginning\n  rescan_interval: 50ms\ninputs:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  - name: %s\n    paths: [%s]\n", n, filepath.Join(dir, n+".log"))
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestReload: POST /-/reload and the SIGHUP channel take the same path;
// inputs are added and removed, counters of staying inputs are kept, a bad
// configuration keeps the old one.
func TestReload(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yml")
	writeConfig(t, cfgPath, dir, "a", "b")
	for _, n := range []string{"a", "b", "c"} {
		writeFile(t, filepath.Join(dir, n+".log"), knownRecords[0])
	}
	hup := make(chan os.Signal, 1)
	r := startExporter(t, Options{ConfigFile: cfgPath, Reload: hup})
	waitLines(t, r, "a", 1)
	waitLines(t, r, "b", 1)

	// Remove a, keep b, add c — through HTTP.
	writeConfig(t, cfgPath, dir, "b", "c")
	if code, body := get(t, r.url+"/-/reload"); code != http.StatusMethodNotAllowed {
		t.Fatalf("GET /-/reload = %d %s, want 405", code, body)
	}
	if code, body := post(t, r.url+"/-/reload"); code != http.StatusOK {
		t.Fatalf("POST /-/reload = %d %s", code, body)
	}
	waitLines(t, r, "c", 1)
	writeFile(t, filepath.Join(dir, "a.log"), knownRecords[0])
	writeFile(t, filepath.Join(dir, "b.log"), knownRecords[0])
	s := waitLines(t, r, "b", 2) // kept: 1 before the reload + 1 after
	if got := s.sum("secondme_exporter_lines_total", map[string]string{"source": "a"}); got != 1 {
		t.Errorf("removed input a: lines = %v, want its frozen 1", got)
	}
	if got := s.sum("secondme_api_errors_total", map[string]string{"source": "b", "error_code": "oauth2.token.expired"}); got != 2 {
		t.Errorf("b errors = %v, want 2", got)
	}
	if got := s.sum("secondme_exporter_config_last_reload_successful", nil); got != 1 {
		t.Errorf("reload_successful = %v", got)
	}

	// A bad configuration through SIGHUP: the old one stays in force.
	if err := os.WriteFile(cfgPath, []byte("inputs:\n  - name: b\n    paths: [x]\n    bogus: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	hup <- os.Interrupt
	waitFor(t, "reload failure reported", func() (bool, string) {
		v := r.scrape(t).sum("secondme_exporter_config_last_reload_successful", nil)
		return v == 0, fmt.Sprint(v)
	})
	writeFile(t, filepath.Join(dir, "c.log"), knownRecords[0])
	waitLines(t, r, "c", 2)
	if code, body := post(t, r.url+"/-/reload"); code != http.StatusInternalServerError || !strings.Contains(body, "field bogus not found") {
		t.Fatalf("POST /-/reload with a bad config = %d %q", code, body)
	}

	// Fixed again through SIGHUP: a comes back, with its counters.
	writeConfig(t, cfgPath, dir, "a", "b", "c")
	hup <- os.Interrupt
	waitFor(t, "reload success reported", func() (bool, string) {
		v := r.scrape(t).sum("secondme_exporter_config_last_reload_successful", nil)
		return v == 1, fmt.Sprint(v)
	})
	// a resumes where it stopped (the tailer keeps positions of removed
	// inputs): the record written while it was removed is read now.
	waitLines(t, r, "a", 2)
}

func TestHealthyAndLanding(t *testing.T) {
	dir := t.TempDir()
	r := startExporter(t, Options{TailPaths: []string{filepath.Join(dir, "*.log")}})
	if code, body := get(t, r.url+"/-/healthy"); code != http.StatusOK || !strings.Contains(body, "Healthy") {
		t.Errorf("/-/healthy = %d %q", code, body)
	}
	if code, body := get(t, r.url+"/-/ready"); code != http.StatusOK {
		t.Errorf("/-/ready = %d %q", code, body)
	}
	code, body := get(t, r.url+"/")
	if code != http.StatusOK || !strings.Contains(body, Name) || !strings.Contains(body, "/metrics") {
		t.Errorf("landing page = %d %q", code, body)
	}
	// Every link on the landing page leads somewhere.
	links := regexp.MustCompile(`href="([^"]+)"`).FindAllStringSubmatch(body, -1)
	for _, m := range links {
		href := html.UnescapeString(m[1])
		if strings.Contains(href, "://") {
			continue // an external link (the project's home)
		}
		if !strings.HasPrefix(href, "/") {
			href = "/" + href
		}
		if code, _ := get(t, r.url+href); code != http.StatusOK {
			t.Errorf("landing page link %s = %d", href, code)
		}
	}
	if len(links) < 3 {
		t.Errorf("landing page has %d links, want metrics, health and readiness: %q", len(links), body)
	}
	if code, _ := get(t, r.url+"/nope"); code != http.StatusNotFound {
		t.Errorf("/nope = %d, want 404", code)
	}
	// A glob matching nothing still reports the source.
	s := r.scrape(t)
	if got := s.count("secondme_exporter_files_watched"); got != 1 {
		t.Errorf("files_watched series = %d, want 1 (at 0)", got)
	}
}

// lockedBuffer collects log output written from several goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestLogsNeverCarryRecordsOrTokens: at info level no record is logged; at
// debug level records are logged with their tokens redacted.
func TestLogsNeverCarryRecordsOrTokens(t *testing.T) {
	secretLine := `Authorization: Bearer lba_at_9f8e7d6c5b4a39281716 refresh=lba_rt_0011223344556677 resp={"code":401,"message":"Token expired","error_code":"oauth2.token.expired"}`
	for _, level := range []slog.Level{slog.LevelInfo, slog.LevelDebug} {
		t.Run(level.String(), func(t *testing.T) {
			dir := t.TempDir()
			log := filepath.Join(dir, "app.log")
			writeFile(t, log, secretLine)
			var buf lockedBuffer
			logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: level}))
			r := startExporter(t, Options{TailPaths: []string{log}, Logger: logger})
			waitLines(t, r, config.DefaultSource, 1)
			if err := r.stop(); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			for _, secret := range []string{"9f8e7d6c5b4a39281716", "0011223344556677"} {
				if strings.Contains(out, secret) {
					t.Fatalf("a token reached the logs:\n%s", out)
				}
			}
			hasRecord := strings.Contains(out, "Token expired")
			if level == slog.LevelInfo && hasRecord {
				t.Fatalf("a record was logged at info level:\n%s", out)
			}
			if level == slog.LevelDebug && (!hasRecord || !strings.Contains(out, "lba_at_"+Redacted)) {
				t.Fatalf("the debug log should carry the redacted record:\n%s", out)
			}
		})
	}
}

// TestDemoWriterCountsMatch runs the demo writer's output through the real
// tailer and parser: the exporter's counters must equal what the writer
// says it wrote, code by code.
func TestDemoWriterCountsMatch(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "demo.log")
	const n = 4000
	counts, err := demo.WriteFiles(context.Background(), demo.FileOptions{
		Paths: []string{log},
		WriterOptions: demo.WriterOptions{
			Options: demo.Options{Seed: 42, SpikeStart: 1000, SpikeEvery: 2000, SpikeLength: 300, UnknownCodes: true},
			Count:   n,
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if counts.Records != n || counts.Spike == 0 || counts.Unknown == 0 || len(counts.Mismatches) == 0 {
		t.Fatalf("the demo run does not exercise everything: %+v", counts)
	}
	r := startExporter(t, Options{TailPaths: []string{log}})
	s := waitLines(t, r, config.DefaultSource, n)
	for code, want := range counts.Errors {
		if got := s.sum("secondme_api_errors_total", map[string]string{"error_code": code}); got != float64(want) {
			t.Errorf("errors_total{error_code=%q} = %v, the writer wrote %d", code, got, want)
		}
		for status, want := range counts.ErrorsByStatus[code] {
			if got := s.sum("secondme_api_errors_total", map[string]string{"error_code": code, "code": status}); got != float64(want) {
				t.Errorf("errors_total{error_code=%q,code=%q} = %v, the writer wrote %d", code, status, got, want)
			}
		}
	}
	if got := s.sum("secondme_api_errors_total", nil); got != float64(counts.TotalErrors()) {
		t.Errorf("sum(errors_total) = %v, want %d", got, counts.TotalErrors())
	}
	for class, want := range counts.Responses {
		if got := s.sum("secondme_api_responses_total", map[string]string{"status_class": class}); got != float64(want) {
			t.Errorf("responses_total{status_class=%q} = %v, the writer wrote %d", class, got, want)
		}
	}
	for code, want := range counts.Mismatches {
		if got := s.sum("secondme_api_error_status_mismatch_total", map[string]string{"error_code": code}); got != float64(want) {
			t.Errorf("mismatch{error_code=%q} = %v, want %d", code, got, want)
		}
	}
	if got := s.sum("secondme_exporter_unknown_error_codes_total", nil); got != float64(counts.Unknown) {
		t.Errorf("unknown_error_codes_total = %v, want %d", got, counts.Unknown)
	}
	if got := s.sum("secondme_exporter_malformed_total", nil); got != 0 {
		t.Errorf("malformed_total = %v: the demo writes only well-formed records", got)
	}
}

// TestDemoMode: --demo shows live metrics with nothing else installed.
func TestDemoMode(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var buf lockedBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Options{
			Demo: true, DemoRate: 200, DemoSeed: 7, Listener: l, Global: config.DefaultGlobalConfig,
			Logger: slog.New(slog.NewTextHandler(&buf, nil)),
		})
	}()
	url := "http://" + l.Addr().String()
	waitFor(t, "demo errors", func() (bool, string) {
		code, body := get(t, url+"/metrics")
		if code != http.StatusOK {
			return false, body
		}
		s := parseScrape(t, body)
		v := s.sum("secondme_api_errors_total", map[string]string{"source": DemoSource})
		return v > 0, fmt.Sprint(v)
	})
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "secondme-client.log") || !strings.Contains(out, url+"/metrics") {
		t.Errorf("the demo should log where the file is and the URL:\n%s", out)
	}
	// The temporary directory is removed on exit.
	for _, line := range strings.Split(out, "\n") {
		if i := strings.Index(line, "file="); i >= 0 && strings.Contains(line, "Demo mode") {
			f := strings.Fields(line[i+len("file="):])[0]
			if _, err := os.Stat(f); !os.IsNotExist(err) {
				t.Errorf("demo file %s left behind (%v)", f, err)
			}
		}
	}
}

// TestCardinalityFloodThroughFiles: 50,000 random codes outside the catalog
// in a real file leave a bounded number of series and exact totals.
func TestCardinalityFloodThroughFiles(t *testing.T) {
	const n, maxUnknown = 50000, 100
	dir := t.TempDir()
	log := filepath.Join(dir, "flood.log")
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `{"code":%d,"message":"m","error_code":"flood.r%d.c%d"}`+"\n", 400+i%2, i*7919%100003, i)
	}
	if err := os.WriteFile(log, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	g := testGlobal()
	g.MaxUnknownCodes = maxUnknown
	r := startExporter(t, Options{TailPaths: []string{log}, Global: g})
	s := waitLines(t, r, config.DefaultSource, n)
	if got := s.sum("secondme_api_errors_total", nil); got != n {
		t.Errorf("sum(errors_total) = %v, want exactly %d", got, n)
	}
	// The catalog's series, 100 admitted codes (each seen once, so with one
	// status) and one "other" series per status.
	if got, want := s.count("secondme_api_errors_total"), len(r.e.Config().Catalog.Entries())+maxUnknown+2; got != want {
		t.Errorf("%d series, want %d", got, want)
	}
	if got := s.sum("secondme_api_errors_total", map[string]string{"error_code": "other"}); got != n-maxUnknown {
		t.Errorf("other = %v, want %d", got, n-maxUnknown)
	}
	if got := s.sum("secondme_exporter_label_overflow_total", nil); got != n-maxUnknown {
		t.Errorf("label_overflow_total = %v, want %d", got, n-maxUnknown)
	}
	if got := s.sum("secondme_exporter_unknown_error_codes_total", nil); got != n {
		t.Errorf("unknown_error_codes_total = %v, want %d", got, n)
	}
}

// TestMultiline joins pretty-printed envelopes on an input with multiline
// set, and counts a record over the line limit as multiline_overflow.
func TestMultiline(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	writeFile(t, log,
		`2026-11-24 10:00:00,123 ERROR client: failed body={`,
		`  "code": 401,`,
		`  "message": "Token expired",`,
		`  "error_code": "oauth2.token.expired"`,
		`}`,
		`2026-11-24 10:00:01,000 ERROR client: failed body={`,
		`  "code": 500,`,
		`  "message": "stream",`,
		`  "detail": "a",`,
		`  "detail2": "b",`,
		`  "detail3": "c",`,
		`  "error_code": "secondme.stream.error"`,
		`}`,
		`2026-11-24 10:00:02,000 INFO done`,
	)
	cfgPath := filepath.Join(dir, "config.yml")
	if err := os.WriteFile(cfgPath, []byte(fmt.Sprintf(`global:
  start: beginning
  multiline_max_lines: 6
inputs:
  - name: app
    multiline: true
    paths: [%s]
`, log)), 0o644); err != nil {
		t.Fatal(err)
	}
	r := startExporter(t, Options{ConfigFile: cfgPath})
	var s scrape
	waitFor(t, "the multi-line records", func() (bool, string) {
		s = r.scrape(t)
		got := s.sum("secondme_exporter_malformed_total", map[string]string{"reason": "multiline_overflow"})
		lines := s.sum("secondme_exporter_lines_total", nil)
		return got == 1 && lines == 3, fmt.Sprintf("multiline_overflow=%v lines=%v", got, lines)
	})
	// The scrape that saw lines_total reach 3 may have read the error counters
	// before the first record was counted (see waitLines): scrape again.
	s = r.scrape(t)
	if got := s.sum("secondme_api_errors_total", map[string]string{"error_code": "oauth2.token.expired", "code": "401"}); got != 1 {
		t.Errorf("the pretty-printed envelope: %v, want 1", got)
	}
	if got := s.sum("secondme_api_errors_total", nil); got != 1 {
		t.Errorf("errors = %v, want 1: the overflowed record is dropped", got)
	}
}

// TestW3CLog: an IIS log (W3C extended format) is read under its "#Fields:"
// directive: sc-status is the gateway's status, the X-Error-Code field the
// error code a response header carried.
func TestW3CLog(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "u_ex261124.log")
	writeFile(t, log,
		"#Software: Microsoft Internet Information Services 10.0",
		"#Version: 1.0",
		"#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken X-Error-Code",
		"2026-11-24 03:12:55 10.0.4.12 POST /gate/lab/api/secondme/chat/stream - 443 203.0.113.45 okhttp/4.12.0 401 0 0 212 oauth2.refresh_token.invalid",
		"2026-11-24 03:12:56 10.0.4.12 GET /gate/lab/api/secondme/user/info - 443 203.0.113.45 okhttp/4.12.0 200 0 0 31 -",
		"2026-11-24 03:12:57 10.0.4.12 POST /gate/lab/api/secondme/chat/stream - 443 203.0.113.45 okhttp/4.12.0 502 3 12002 30015 -",
	)
	r := startExporter(t, Options{TailPaths: []string{log}})
	waitLines(t, r, config.DefaultSource, 6)
	s := r.scrape(t)
	if got := s.sum("secondme_api_errors_total", map[string]string{"error_code": "oauth2.refresh_token.invalid", "code": "401", "status_class": "4xx"}); got != 1 {
		t.Errorf("the IIS line with an error code: %v, want 1", got)
	}
	for class, want := range map[string]float64{"2xx": 1, "4xx": 1, "5xx": 1} {
		if got := s.sum("secondme_api_responses_total", map[string]string{"status_class": class}); got != want {
			t.Errorf("responses %s = %v, want %v", class, got, want)
		}
	}
	if got := s.sum("secondme_api_error_status_mismatch_total", map[string]string{"error_code": "oauth2.refresh_token.invalid"}); got != 1 {
		t.Errorf("status mismatch (the catalog says 400) = %v, want 1", got)
	}
}

// TestTailMultilineFlag: --tail.multiline gives the --tail.path input what
// multiline: true gives a configured one: the log line ending in "response:"
// and the pretty-printed body after it are one record. Without it, the body's
// lines are records of their own: its error_code line is an error without the
// status logged two lines above it, which the catalog then supplies (400 for
// oauth2.refresh_token.invalid, where the gateway sent 401).
func TestTailMultilineFlag(t *testing.T) {
	body := []string{
		`2026-11-24 10:00:00,123 ERROR client: API error response:`,
		`{`,
		`  "code": 401,`,
		`  "message": "Refresh token invalid",`,
		`  "error_code": "oauth2.refresh_token.invalid"`,
		`}`,
		`2026-11-24 10:00:01,000 INFO next`,
	}
	for _, tc := range []struct {
		multiline bool
		lines     float64
		code      string
	}{{true, 2, "401"}, {false, 7, "400"}} {
		t.Run(fmt.Sprint("multiline=", tc.multiline), func(t *testing.T) {
			log := filepath.Join(t.TempDir(), "app.log")
			writeFile(t, log, body...)
			r := startExporter(t, Options{TailPaths: []string{log}, TailMultiline: tc.multiline})
			s := waitLines(t, r, config.DefaultSource, tc.lines)
			if got := s.sum("secondme_api_errors_total", map[string]string{"error_code": "oauth2.refresh_token.invalid", "code": tc.code}); got != 1 {
				t.Errorf("errors{code=%q} = %v, want 1", tc.code, got)
			}
			if got := s.sum("secondme_api_errors_total", nil); got != 1 {
				t.Errorf("errors = %v, want 1", got)
			}
		})
	}
	// With a configuration file, the flag would be ignored: it is refused.
	cfg := filepath.Join(t.TempDir(), "config.yml")
	if err := os.WriteFile(cfg, []byte("inputs:\n  - name: app\n    paths: [/var/log/app.log]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, opts := range []Options{{ConfigFile: cfg, TailMultiline: true}, {ConfigFile: cfg, CatalogFile: "x.yml"}} {
		if _, err := CheckConfig(opts); err == nil || !strings.Contains(err.Error(), "go with --tail.path") {
			t.Errorf("%+v: err = %v, want the flags refused", opts, err)
		}
	}
}

// TestREADMEDocumentsEveryMetric: every secondme_* family the exporter
// exposes is in the README's metrics table, and the table lists nothing
// that does not exist.
func TestREADMEDocumentsEveryMetric(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	start, end := strings.Index(s, "<!-- metrics:begin -->"), strings.Index(s, "<!-- metrics:end -->")
	if start < 0 || end < start {
		t.Fatal("no metrics section in the README")
	}
	documented := map[string]bool{}
	for _, line := range strings.Split(s[start:end], "\n") {
		if strings.HasPrefix(line, "| `secondme_") {
			documented[strings.Trim(strings.SplitN(line, "|", 3)[1], " `")] = true
		}
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "app.log"), knownRecords...)
	r := startExporter(t, Options{TailPaths: []string{filepath.Join(dir, "*.log")}})
	sc := waitLines(t, r, config.DefaultSource, float64(len(knownRecords)))
	exposed := map[string]bool{}
	for name := range sc {
		if strings.HasPrefix(name, "secondme_") {
			exposed[name] = true
			if !documented[name] {
				t.Errorf("%s is exposed but not documented in the README", name)
			}
		}
	}
	for name := range documented {
		if !exposed[name] {
			t.Errorf("%s is documented but not exposed", name)
		}
	}
}

// TestRecordHotPathAllocations: the whole per-record path (source lookup,
// pooled parser, metrics) allocates nothing for a line without an envelope
// or with a catalog code.
func TestRecordHotPathAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under -race (sync.Pool drops items); the plain go test run checks them")
	}
	e, err := New(Options{TailPaths: []string{filepath.Join(t.TempDir(), "*.log")}, Global: testGlobal()})
	if err != nil {
		t.Fatal(err)
	}
	h := hooks{e}
	noise := []byte(`2026-11-24T10:00:00Z INFO [worker] processed 12 jobs in 35ms`)
	envelope := []byte(`{"code":401,"message":"Token expired","error_code":"oauth2.token.expired"}`)
	h.Record(config.DefaultSource, envelope) // warm the pool and the cache
	for name, rec := range map[string][]byte{"no envelope": noise, "catalog envelope": envelope} {
		if n := testing.AllocsPerRun(2000, func() { h.Record(config.DefaultSource, rec) }); n != 0 {
			t.Errorf("%s: %v allocations per record", name, n)
		}
	}
}

func BenchmarkRecord(b *testing.B) {
	e, err := New(Options{TailPaths: []string{filepath.Join(b.TempDir(), "*.log")}, Global: testGlobal()})
	if err != nil {
		b.Fatal(err)
	}
	h := hooks{e}
	for name, rec := range map[string][]byte{
		"noise":    []byte(`2026-11-24T10:00:00Z INFO [worker] processed 12 jobs in 35ms`),
		"envelope": []byte(`{"time":"2026-11-24T10:00:00Z","level":"ERROR","msg":"call failed","response":{"code":401,"message":"Token expired","error_code":"oauth2.token.expired"}}`),
	} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(rec)))
			for b.Loop() {
				h.Record(config.DefaultSource, rec)
			}
		})
	}
}
