package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The harness: start a process with its output in a log file, wait for it with a
// deadline, stop it whatever happens, and talk to the Prometheus and Alertmanager APIs.
// Every wait polls a condition until a deadline; nothing sleeps to synchronise.

// repoRoot is the module root seen from this package's directory.
const repoRoot = ".."

// pollInterval is how often the wait helpers re-check a condition.
const pollInterval = 50 * time.Millisecond

var (
	buildOnce   sync.Once
	buildDir    string
	buildErr    error
	buildOutput []byte
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// exporterBinary builds ./cmd/secondme_error_exporter from this repository, once per
// test binary, into a temporary directory, and returns the binary's path.
func exporterBinary(t *testing.T) string {
	t.Helper()
	const pkg = "./cmd/secondme_error_exporter"
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "secondme-e2e-bin-")
		if buildErr != nil {
			return
		}
		cmd := exec.Command("go", "build", "-o", buildDir+string(filepath.Separator), pkg)
		cmd.Dir = repoRoot
		buildOutput, buildErr = cmd.CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, buildErr, buildOutput)
	}
	return filepath.Join(buildDir, "secondme_error_exporter")
}

// lookTool finds an external binary on PATH or in $(go env GOPATH)/bin. When it is
// missing the test fails under CI=true (scripts/install-tools.sh must have installed it)
// and is skipped otherwise.
func lookTool(t *testing.T, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		p := filepath.Join(strings.TrimSpace(string(out)), "bin", name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s not found on PATH or in $(go env GOPATH)/bin; scripts/install-tools.sh installs it", name)
	}
	t.Skipf("%s not found: run scripts/install-tools.sh to run the end-to-end suite", name)
	return ""
}

// freePort returns a loopback port that was free a moment ago. The port is handed to a
// child process, so it cannot stay bound here; startWithPort retries on the rare
// collision.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// proc is a child process whose stdout and stderr go to a log file.
type proc struct {
	t       *testing.T
	name    string
	bin     string
	args    []string
	logPath string
	cmd     *exec.Cmd
	done    chan struct{}
	waitErr error
}

// startProc starts bin with args. The process is stopped (SIGTERM, then SIGKILL after
// a grace period) when the test ends, pass or fail, and its log is printed when the test
// has failed.
func startProc(t *testing.T, name, bin string, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, name: name, bin: bin, args: args}
	p.logPath = filepath.Join(t.TempDir(), name+".log")
	p.start()
	t.Cleanup(func() {
		p.stop(10 * time.Second)
		if t.Failed() {
			p.dumpLog()
		}
	})
	return p
}

func (p *proc) start() {
	p.t.Helper()
	logf, err := os.OpenFile(p.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		p.t.Fatal(err)
	}
	fmt.Fprintf(logf, "### %s %s\n", p.bin, strings.Join(p.args, " "))
	cmd := exec.Command(p.bin, p.args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	// If the test binary itself dies (a panic, -timeout), the kernel kills the child:
	// no Prometheus outlives the suite.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		logf.Close()
		p.t.Fatalf("start %s: %v", p.name, err)
	}
	p.cmd = cmd
	p.done = make(chan struct{})
	p.waitErr = nil
	go func(done chan struct{}) {
		err := cmd.Wait()
		logf.Close()
		p.waitErr = err
		close(done)
	}(p.done)
}

// exited reports whether the process has ended (and how).
func (p *proc) exited() (bool, error) {
	select {
	case <-p.done:
		return true, p.waitErr
	default:
		return false, nil
	}
}

// stop sends SIGTERM and waits up to grace, then SIGKILL.
func (p *proc) stop(grace time.Duration) {
	if p.cmd == nil {
		return
	}
	if done, _ := p.exited(); done {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(grace):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// kill sends SIGKILL and waits until the process is gone: a crash, as far as the
// process can tell.
func (p *proc) kill() {
	p.t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		p.t.Fatalf("SIGKILL %s: %v", p.name, err)
	}
	<-p.done
}

// restart starts the same command again (after kill or stop), appending to the log.
func (p *proc) restart() {
	p.t.Helper()
	if done, _ := p.exited(); !done {
		p.t.Fatalf("restart %s: still running", p.name)
	}
	p.start()
}

func (p *proc) logTail(max int) string {
	b, err := os.ReadFile(p.logPath)
	if err != nil {
		return err.Error()
	}
	if len(b) > max {
		b = b[len(b)-max:]
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	return string(b)
}

func (p *proc) dumpLog() {
	p.t.Logf("----- %s log (%s), last 8 KiB -----\n%s", p.name, p.logPath, p.logTail(8<<10))
}

// waitFor polls cond every pollInterval until it returns true, the deadline passes or
// the process ends. cond's error, if any, is reported as the last observation on timeout.
func waitFor(t *testing.T, what string, timeout time.Duration, watch *proc, cond func() (bool, error)) {
	t.Helper()
	waitForEvery(t, what, timeout, pollInterval, watch, cond)
}

// waitForEvery is waitFor with its own poll interval, for conditions that are costly to
// evaluate or that observe a state over a long stretch.
func waitForEvery(t *testing.T, what string, timeout, every time.Duration, watch *proc, cond func() (bool, error)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var last error
	for {
		ok, err := cond()
		if ok {
			return
		}
		last = err
		if watch != nil {
			if done, werr := watch.exited(); done {
				t.Fatalf("%s: %s exited (%v) while waiting\n%s", what, watch.name, werr, watch.logTail(4<<10))
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not reached within %s (last observation: %v)", what, timeout, last)
		}
		time.Sleep(every) // a poll interval, not a synchronisation
	}
}

// httpClient has a short timeout: every call happens inside a polling loop.
var httpClient = &http.Client{Timeout: 5 * time.Second}

// waitHTTPOK waits until GET url answers 200.
func waitHTTPOK(t *testing.T, url string, timeout time.Duration, watch *proc, client *http.Client) {
	t.Helper()
	if client == nil {
		client = httpClient
	}
	waitFor(t, "GET "+url, timeout, watch, func() (bool, error) {
		resp, err := client.Get(url)
		if err != nil {
			return false, err
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		if resp.StatusCode != http.StatusOK {
			return false, fmt.Errorf("status %s", resp.Status)
		}
		return true, nil
	})
}

// startServer starts a server process on a free loopback port and waits until
// readyURL(addr) answers 200 through client; args receives the chosen "127.0.0.1:port".
// A port taken between freePort and the child's bind is retried with another.
func startServer(t *testing.T, name, bin string, readyURL func(addr string) string, client *http.Client, args func(addr string) []string) (*proc, string) {
	t.Helper()
	if client == nil {
		client = httpClient
	}
	var lastLog string
	for attempt := 0; attempt < 3; attempt++ {
		addr := "127.0.0.1:" + strconv.Itoa(freePort(t))
		p := startProc(t, name, bin, args(addr)...)
		url := readyURL(addr)
		deadline := time.Now().Add(30 * time.Second)
		for {
			if done, _ := p.exited(); done {
				lastLog = p.logTail(4 << 10)
				if strings.Contains(lastLog, "address already in use") {
					break // retry on another port
				}
				t.Fatalf("%s exited during start-up:\n%s", name, lastLog)
			}
			if resp, err := client.Get(url); err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return p, addr
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s not ready at %s within 30s:\n%s", name, url, p.logTail(4<<10))
			}
			time.Sleep(pollInterval)
		}
	}
	t.Fatalf("%s: no free port after 3 attempts:\n%s", name, lastLog)
	return nil, ""
}

// ---- Prometheus HTTP API ----------------------------------------------------------

type promClient struct {
	base string
}

type promSample struct {
	Metric map[string]string
	T      float64 // seconds
	V      float64
}

type promSeries struct {
	Metric map[string]string
	Points []promSample
}

type promResponse struct {
	Status    string          `json:"status"`
	ErrorType string          `json:"errorType"`
	Error     string          `json:"error"`
	Data      json.RawMessage `json:"data"`
}

func (c promClient) get(ctx context.Context, path string, params url.Values) (json.RawMessage, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path+"?"+params.Encode(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	var pr promResponse
	if err := json.Unmarshal(body, &pr); err != nil {
		return nil, fmt.Errorf("%s: %s: %w", path, resp.Status, err)
	}
	if pr.Status != "success" {
		return nil, fmt.Errorf("%s %s: %s: %s", path, params.Get("query"), pr.ErrorType, pr.Error)
	}
	return pr.Data, nil
}

// parseValue decodes the [ts, "value"] pair of the API.
func parseValue(raw [2]json.RawMessage) (float64, float64, error) {
	var ts float64
	if err := json.Unmarshal(raw[0], &ts); err != nil {
		return 0, 0, err
	}
	var s string
	if err := json.Unmarshal(raw[1], &s); err != nil {
		return 0, 0, err
	}
	v, err := strconv.ParseFloat(s, 64)
	return ts, v, err
}

// query runs an instant query at time at (now when zero) and returns its samples. A
// scalar result is returned as one sample without labels.
func (c promClient) query(expr string, at time.Time) ([]promSample, error) {
	params := url.Values{"query": {expr}}
	if !at.IsZero() {
		params.Set("time", formatTime(at))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	data, err := c.get(ctx, "/api/v1/query", params)
	if err != nil {
		return nil, err
	}
	var d struct {
		ResultType string          `json:"resultType"`
		Result     json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, err
	}
	switch d.ResultType {
	case "vector":
		var res []struct {
			Metric map[string]string  `json:"metric"`
			Value  [2]json.RawMessage `json:"value"`
		}
		if err := json.Unmarshal(d.Result, &res); err != nil {
			return nil, err
		}
		out := make([]promSample, 0, len(res))
		for _, r := range res {
			ts, v, err := parseValue(r.Value)
			if err != nil {
				return nil, err
			}
			out = append(out, promSample{Metric: r.Metric, T: ts, V: v})
		}
		return out, nil
	case "scalar":
		var r [2]json.RawMessage
		if err := json.Unmarshal(d.Result, &r); err != nil {
			return nil, err
		}
		ts, v, err := parseValue(r)
		if err != nil {
			return nil, err
		}
		return []promSample{{T: ts, V: v}}, nil
	}
	return nil, fmt.Errorf("query %q: unexpected result type %q", expr, d.ResultType)
}

// queryMatrix runs an instant query whose result is a range vector (`metric[5m]`) and
// returns the raw samples of every series.
func (c promClient) queryMatrix(expr string, at time.Time) ([]promSeries, error) {
	params := url.Values{"query": {expr}}
	if !at.IsZero() {
		params.Set("time", formatTime(at))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	data, err := c.get(ctx, "/api/v1/query", params)
	if err != nil {
		return nil, err
	}
	var d struct {
		ResultType string `json:"resultType"`
		Result     []struct {
			Metric map[string]string    `json:"metric"`
			Values [][2]json.RawMessage `json:"values"`
		} `json:"result"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, err
	}
	if d.ResultType != "matrix" {
		return nil, fmt.Errorf("query %q: result type %q, want matrix", expr, d.ResultType)
	}
	var out []promSeries
	for _, r := range d.Result {
		s := promSeries{Metric: r.Metric}
		for _, raw := range r.Values {
			ts, v, err := parseValue(raw)
			if err != nil {
				return nil, err
			}
			s.Points = append(s.Points, promSample{T: ts, V: v})
		}
		out = append(out, s)
	}
	return out, nil
}

// scalarOf runs an instant query that must return exactly one sample and returns its
// value; no sample is an error (the caller's poll keeps waiting).
func (c promClient) scalarOf(expr string, at time.Time) (float64, error) {
	s, err := c.query(expr, at)
	if err != nil {
		return 0, err
	}
	if len(s) != 1 {
		return 0, fmt.Errorf("query %q returned %d samples, want 1", expr, len(s))
	}
	return s[0].V, nil
}

// promAlert is an entry of /api/v1/alerts.
type promAlert struct {
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
	State       string            `json:"state"`
	Value       string            `json:"value"`
}

func (c promClient) alerts() ([]promAlert, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	data, err := c.get(ctx, "/api/v1/alerts", nil)
	if err != nil {
		return nil, err
	}
	var d struct {
		Alerts []promAlert `json:"alerts"`
	}
	return d.Alerts, json.Unmarshal(data, &d)
}

// ruleHealth returns every rule that is not healthy ("ok" or not yet evaluated), so a
// scenario can fail on a rule the older Prometheus cannot evaluate.
func (c promClient) unhealthyRules() ([]string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	data, err := c.get(ctx, "/api/v1/rules", nil)
	if err != nil {
		return nil, err
	}
	var d struct {
		Groups []struct {
			Name  string `json:"name"`
			Rules []struct {
				Name      string `json:"name"`
				Health    string `json:"health"`
				LastError string `json:"lastError"`
			} `json:"rules"`
		} `json:"groups"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, err
	}
	var bad []string
	for _, g := range d.Groups {
		for _, r := range g.Rules {
			if r.Health == "err" {
				bad = append(bad, fmt.Sprintf("%s/%s: %s", g.Name, r.Name, r.LastError))
			}
		}
	}
	if len(d.Groups) == 0 {
		return nil, errors.New("Prometheus has loaded no rule groups")
	}
	return bad, nil
}

func formatTime(t time.Time) string {
	return strconv.FormatFloat(float64(t.UnixNano())/1e9, 'f', 3, 64)
}

// ---- Alertmanager API v2 ----------------------------------------------------------

type amAlert struct {
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
	Receivers   []struct {
		Name string `json:"name"`
	} `json:"receivers"`
	Status struct {
		State string `json:"state"`
	} `json:"status"`
}

func amAlerts(base string) ([]amAlert, error) {
	resp, err := httpClient.Get(base + "/api/v2/alerts")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /api/v2/alerts: %s", resp.Status)
	}
	var alerts []amAlert
	return alerts, json.NewDecoder(resp.Body).Decode(&alerts)
}

// writeFile writes content to dir/name and returns the path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// queryRangeSeries runs a range query over [start, end] with the given step and returns
// how many series have at least one point.
func (c promClient) queryRangeSeries(expr string, start, end time.Time, step time.Duration) (int, error) {
	params := url.Values{
		"query": {expr},
		"start": {formatTime(start)},
		"end":   {formatTime(end)},
		"step":  {strconv.FormatFloat(step.Seconds(), 'f', -1, 64)},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	data, err := c.get(ctx, "/api/v1/query_range", params)
	if err != nil {
		return 0, err
	}
	var d struct {
		ResultType string `json:"resultType"`
		Result     []struct {
			Values []json.RawMessage `json:"values"`
		} `json:"result"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return 0, err
	}
	if d.ResultType != "matrix" {
		return 0, fmt.Errorf("query_range %q: result type %q", expr, d.ResultType)
	}
	n := 0
	for _, r := range d.Result {
		if len(r.Values) > 0 {
			n++
		}
	}
	return n, nil
}
