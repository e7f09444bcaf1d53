package e2e

import (
	"context"
	"net/http"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// The pieces of a stack: the exporter, Prometheus and Alertmanager, each on its own free
// loopback port, with its files in the test's temporary directory.

// runCmd runs a short command (promtool, amtool) with a deadline.
func runCmd(bin string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	return exec.CommandContext(ctx, bin, args...).CombinedOutput()
}

// exporter is a running secondme_error_exporter.
type exporter struct {
	*proc
	addr string // 127.0.0.1:port
}

// startExporter runs the exporter with args plus --web.listen-address and waits for
// /-/ready. tlsClient, when not nil, is used for the readiness check (TLS web config).
func startExporter(t *testing.T, tlsClient *http.Client, args ...string) *exporter {
	t.Helper()
	bin := exporterBinary(t)
	scheme, client := "http", httpClient
	if tlsClient != nil {
		scheme, client = "https", tlsClient
	}
	p, addr := startServer(t, "exporter", bin, func(addr string) string { return scheme + "://" + addr + "/-/ready" }, client,
		func(addr string) []string { return append(append([]string{}, args...), "--web.listen-address="+addr) })
	return &exporter{proc: p, addr: addr}
}

// restartOnSameAddress starts the exporter again after kill/stop; its address is in
// its arguments, so Prometheus scrapes the new process as the same target.
func (e *exporter) restartOnSameAddress(t *testing.T) {
	t.Helper()
	e.restart()
	waitHTTPOK(t, "http://"+e.addr+"/-/ready", 30*time.Second, e.proc, nil)
}

// scrapeJob is one scrape_config of the generated Prometheus configuration.
type scrapeJob struct {
	Name   string
	Target string // host:port
	// TLS and basic auth, for scenario 5.
	Scheme   string
	CAFile   string
	Username string
	Password string
}

type promConfig struct {
	RuleFiles        []string
	AlertmanagerAddr string // host:port; empty: no alerting section
	Jobs             []scrapeJob
	// DataDir is the TSDB directory, possibly pre-filled with backfilled blocks;
	// empty: a new temporary directory.
	DataDir string
}

// prometheusConfig renders a Prometheus configuration with 1s scrape and evaluation
// intervals: every wait of the suite is then a few seconds.
func prometheusConfig(c promConfig) ([]byte, error) {
	cfg := map[string]any{
		"global": map[string]any{
			"scrape_interval":     "1s",
			"scrape_timeout":      "1s",
			"evaluation_interval": "1s",
		},
	}
	if len(c.RuleFiles) > 0 {
		cfg["rule_files"] = c.RuleFiles
	}
	if c.AlertmanagerAddr != "" {
		cfg["alerting"] = map[string]any{
			"alertmanagers": []any{map[string]any{
				"static_configs": []any{map[string]any{"targets": []string{c.AlertmanagerAddr}}},
			}},
		}
	}
	var jobs []any
	for _, j := range c.Jobs {
		job := map[string]any{
			"job_name":       j.Name,
			"static_configs": []any{map[string]any{"targets": []string{j.Target}}},
		}
		if j.Scheme != "" {
			job["scheme"] = j.Scheme
		}
		if j.CAFile != "" {
			job["tls_config"] = map[string]any{"ca_file": j.CAFile}
		}
		if j.Username != "" {
			job["basic_auth"] = map[string]any{"username": j.Username, "password": j.Password}
		}
		jobs = append(jobs, job)
	}
	cfg["scrape_configs"] = jobs
	return yaml.Marshal(cfg)
}

// startPrometheus writes the configuration, checks it with promtool and starts Debian's
// Prometheus 2.42 on it with a temporary TSDB.
func startPrometheus(t *testing.T, c promConfig) (*proc, promClient) {
	t.Helper()
	bin := lookTool(t, "prometheus")
	dir := t.TempDir()
	b, err := prometheusConfig(c)
	if err != nil {
		t.Fatal(err)
	}
	cfgFile := writeFile(t, dir, "prometheus.yml", string(b))
	promtool := lookTool(t, "promtool")
	if out, err := runCmd(promtool, "check", "config", cfgFile); err != nil {
		t.Fatalf("promtool check config: %v\n%s\n%s", err, out, b)
	}
	dataDir := c.DataDir
	if dataDir == "" {
		dataDir = filepath.Join(dir, "data")
	}
	p, addr := startServer(t, "prometheus", bin, func(addr string) string { return "http://" + addr + "/-/ready" }, nil,
		func(addr string) []string {
			return []string{
				"--config.file=" + cfgFile,
				"--storage.tsdb.path=" + dataDir,
				"--web.listen-address=" + addr,
				"--web.enable-lifecycle",
				// Lookback 5m is the default; nothing here depends on it.
				"--log.level=info",
			}
		})
	return p, promClient{base: "http://" + addr}
}

// startAlertmanager starts Debian's Alertmanager 0.25 on cfgFile with clustering
// disabled and a temporary data directory.
func startAlertmanager(t *testing.T, cfgFile string) (*proc, string) {
	t.Helper()
	bin := lookTool(t, "prometheus-alertmanager")
	dir := t.TempDir()
	p, addr := startServer(t, "alertmanager", bin, func(addr string) string { return "http://" + addr + "/-/ready" }, nil,
		func(addr string) []string {
			return []string{
				"--config.file=" + cfgFile,
				"--storage.path=" + filepath.Join(dir, "data"),
				"--web.listen-address=" + addr,
				"--cluster.listen-address=",
				"--log.level=debug",
			}
		})
	return p, "http://" + addr
}
