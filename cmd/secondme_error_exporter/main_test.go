package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"golang.org/x/crypto/bcrypt"
)

// binary is the exporter built once for all tests, as users run it.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "secondme-exporter-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "secondme_error_exporter")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building the exporter:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// lockedBuffer collects a child's stderr.
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

type child struct {
	cmd    *exec.Cmd
	stderr *lockedBuffer
	addr   string
	exited chan struct{} // closed when the process has exited; err is set then
	err    error
}

var listeningRE = regexp.MustCompile(`msg="Listening on" address=(\S+)`)

// start runs the exporter on a random loopback port and waits until it is
// listening.
func start(t *testing.T, args ...string) *child {
	t.Helper()
	args = append([]string{"--web.listen-address=127.0.0.1:0"}, args...)
	c := &child{cmd: exec.Command(binary, args...), stderr: &lockedBuffer{}, exited: make(chan struct{})}
	c.cmd.Stderr = c.stderr
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { c.err = c.cmd.Wait(); close(c.exited) }()
	t.Cleanup(func() {
		select {
		case <-c.exited:
		default:
			c.cmd.Process.Kill()
			<-c.exited
		}
		if t.Failed() {
			t.Logf("exporter stderr:\n%s", c.stderr.String())
		}
	})
	waitFor(t, "the exporter to listen", func() (bool, string) {
		if m := listeningRE.FindStringSubmatch(c.stderr.String()); m != nil {
			c.addr = m[1]
			return true, ""
		}
		select {
		case <-c.exited:
			t.Fatalf("exporter exited: %v\n%s", c.err, c.stderr.String())
		default:
		}
		return false, c.stderr.String()
	})
	return c
}

// stop sends sig and waits for the exit status.
func (c *child) stop(t *testing.T, sig syscall.Signal) error {
	t.Helper()
	if err := c.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.exited:
		return c.err
	case <-time.After(20 * time.Second):
		t.Fatal("the exporter did not exit")
	}
	return nil
}

func (c *child) url(path string) string { return "http://" + c.addr + path }

func waitFor(t *testing.T, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
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

type scrape map[string][]sample

type sample struct {
	labels map[string]string
	value  float64
}

func (s scrape) sum(name string, want map[string]string) float64 {
	var v float64
	for _, smp := range s[name] {
		ok := true
		for k, w := range want {
			if smp.labels[k] != w {
				ok = false
			}
		}
		if ok {
			v += smp.value
		}
	}
	return v
}

func parseScrape(t *testing.T, body io.Reader) scrape {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(body)
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
			out[name] = append(out[name], sample{ls, m.GetCounter().GetValue() + m.GetGauge().GetValue()})
		}
	}
	return out
}

func (c *child) scrape(t *testing.T) scrape {
	t.Helper()
	resp, err := http.Get(c.url("/metrics"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: %s", resp.Status)
	}
	return parseScrape(t, resp.Body)
}

func envelope(code string, status int) string {
	return fmt.Sprintf(`{"code":%d,"message":"m","error_code":"%s"}`, status, code)
}

func appendLines(t *testing.T, path, line string, n int) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(strings.Repeat(line+"\n", n)); err != nil {
		t.Fatal(err)
	}
}

// caughtUp waits until the exporter has read everything (lag 0) and the
// counter of code reached want.
func (c *child) caughtUp(t *testing.T, code string, want float64) scrape {
	t.Helper()
	waitFor(t, fmt.Sprintf("%s=%v and no lag", code, want), func() (bool, string) {
		s := c.scrape(t)
		got := s.sum("secondme_api_errors_total", map[string]string{"error_code": code})
		lag := s.sum("secondme_exporter_lag_bytes", nil)
		return got == want && lag == 0, fmt.Sprintf("%s=%v lag=%v", code, got, lag)
	})
	// The last record's lines_total increment follows its error count, and a
	// scrape gathers families in no set order: compare on a later scrape.
	return c.scrape(t)
}

// waitPositionsSaved waits until the positions file records log as read to
// its current end: from then on, a crash cannot make the next process
// count any of the records written so far again.
func waitPositionsSaved(t *testing.T, pos, log string) {
	t.Helper()
	fi, err := os.Stat(log)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the positions file to cover "+log, func() (bool, string) {
		b, err := os.ReadFile(pos)
		if err != nil {
			return false, err.Error()
		}
		// The tailer's on-disk format (tailer/positions.go).
		var pf struct {
			Files []struct {
				Path   string `json:"path"`
				Offset int64  `json:"offset"`
			} `json:"files"`
		}
		if err := json.Unmarshal(b, &pf); err != nil {
			return false, err.Error()
		}
		for _, f := range pf.Files {
			if f.Path == log && f.Offset == fi.Size() {
				return true, ""
			}
		}
		return false, string(b)
	})
}

const (
	codeA = "oauth2.token.expired"  // written before the last positions save
	codeB = "apikey.auth.invalid"   // written after it, before the crash
	codeC = "secondme.stream.error" // written after the restart
	codeD = "oauth2.refresh_token.revoked"
)

// TestRestartAfterKill9 is the crash bound: after kill -9 nothing is lost,
// nothing read before the last positions save is counted again, and at
// most the records read since then (one positions interval) are counted
// twice.
func TestRestartAfterKill9(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	pos := filepath.Join(dir, "positions.json")
	args := []string{"--tail.path=" + log, "--tail.start=beginning", "--tail.positions-file=" + pos, "--tail.positions-interval=200ms"}
	appendLines(t, log, envelope(codeA, 401), 50)

	c := start(t, args...)
	c.caughtUp(t, codeA, 50)
	waitPositionsSaved(t, pos, log)
	appendLines(t, log, envelope(codeB, 401), 30)
	c.caughtUp(t, codeB, 30)
	if err := c.cmd.Process.Kill(); err != nil { // SIGKILL: no chance to save
		t.Fatal(err)
	}
	<-c.exited

	c2 := start(t, args...)
	appendLines(t, log, envelope(codeC, 500), 20)
	s := c2.caughtUp(t, codeC, 20) // nothing lost
	if got := s.sum("secondme_api_errors_total", map[string]string{"error_code": codeA}); got != 0 {
		t.Errorf("%v records from before the last positions save were counted again", got)
	}
	b := s.sum("secondme_api_errors_total", map[string]string{"error_code": codeB})
	if b > 30 {
		t.Errorf("%v records of the last interval counted again, at most 30 were written", b)
	}
	t.Logf("after kill -9: %v of the 30 records read since the last positions save were counted again", b)
	if got, want := s.sum("secondme_exporter_lines_total", nil), 20+b; got != want {
		t.Errorf("lines_total = %v, want %v", got, want)
	}
}

// TestGracefulRestart: SIGTERM saves the positions; the next process counts
// exactly the new records.
func TestGracefulRestart(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	pos := filepath.Join(dir, "positions.json")
	args := []string{"--tail.path=" + log, "--tail.start=beginning", "--tail.positions-file=" + pos,
		"--tail.positions-interval=1h"} // only the shutdown save can help
	appendLines(t, log, envelope(codeA, 401), 40)
	c := start(t, args...)
	c.caughtUp(t, codeA, 40)
	if err := c.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: exit %v\n%s", err, c.stderr.String())
	}
	if !strings.Contains(c.stderr.String(), "Exporter stopped") {
		t.Errorf("no clean stop logged:\n%s", c.stderr.String())
	}
	appendLines(t, log, envelope(codeB, 401), 25)

	c2 := start(t, args...)
	s := c2.caughtUp(t, codeB, 25)
	if got := s.sum("secondme_api_errors_total", map[string]string{"error_code": codeA}); got != 0 {
		t.Errorf("%v records counted twice after a graceful restart", got)
	}
	if got := s.sum("secondme_exporter_lines_total", nil); got != 25 {
		t.Errorf("lines_total = %v, want exactly 25", got)
	}
	if err := c2.stop(t, syscall.SIGINT); err != nil {
		t.Errorf("SIGINT: exit %v", err)
	}
}

// TestSIGHUPReload adds and removes inputs with a real signal.
func TestSIGHUPReload(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yml")
	a, b := filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")
	writeCfg := func(inputs ...string) {
		var sb strings.Builder
		sb.WriteString("global:\n  start: beginning\n  rescan_interval: 50ms\ninputs:\n")
		for _, in := range inputs {
			fmt.Fprintf(&sb, "  - name: %s\n    paths: [%s]\n", in, filepath.Join(dir, in+".log"))
		}
		if err := os.WriteFile(cfg, []byte(sb.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeCfg("a")
	appendLines(t, a, envelope(codeA, 401), 3)
	appendLines(t, b, envelope(codeB, 401), 4)
	c := start(t, "--config.file="+cfg)
	c.caughtUp(t, codeA, 3)

	writeCfg("b")
	if err := c.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	c.caughtUp(t, codeB, 4)
	appendLines(t, a, envelope(codeA, 401), 5)
	appendLines(t, b, envelope(codeB, 401), 1)
	s := c.caughtUp(t, codeB, 5)
	if got := s.sum("secondme_api_errors_total", map[string]string{"source": "a", "error_code": codeA}); got != 3 {
		t.Errorf("removed input a = %v, want its frozen 3", got)
	}
	if got := s.sum("secondme_exporter_config_last_reload_successful", nil); got != 1 {
		t.Errorf("reload_successful = %v", got)
	}
	if !strings.Contains(c.stderr.String(), "Configuration reloaded") {
		t.Errorf("reload not logged")
	}
}

func TestConfigCheck(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yml")
	bad := filepath.Join(dir, "bad.yml")
	os.WriteFile(good, []byte("inputs:\n  - name: app\n    paths: [/var/log/app/*.log]\n"), 0o644)
	os.WriteFile(bad, []byte("inputs:\n  - name: app\n    path: [/var/log/app/*.log]\n"), 0o644)

	out, err := exec.Command(binary, "--config.file="+good, "--config.check").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "SUCCESS: 1 input(s)") {
		t.Fatalf("good config: %v\n%s", err, out)
	}
	out, err = exec.Command(binary, "--config.file="+bad, "--config.check").CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("bad config: want exit 1, got %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "FAILED: ") || !strings.Contains(string(out), "field path not found") {
		t.Errorf("bad config output: %s", out)
	}
	out, err = exec.Command(binary, "--version").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "secondme_error_exporter, version") {
		t.Errorf("--version: %v %s", err, out)
	}
	out, err = exec.Command(binary, "--no-such-flag").CombinedOutput()
	if err == nil {
		t.Errorf("an unknown flag must fail: %s", out)
	}
}

// TestTLSAndBasicAuth serves over TLS with basic auth from a web config
// file (exporter-toolkit), with a certificate generated here.
func TestTLSAndBasicAuth(t *testing.T) {
	dir := t.TempDir()
	certPEM, keyPEM := selfSigned(t)
	os.WriteFile(filepath.Join(dir, "cert.pem"), certPEM, 0o600)
	os.WriteFile(filepath.Join(dir, "key.pem"), keyPEM, 0o600)
	hash, err := bcrypt.GenerateFromPassword([]byte("s3cret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	webCfg := filepath.Join(dir, "web.yml")
	os.WriteFile(webCfg, []byte(fmt.Sprintf("tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\nbasic_auth_users:\n  prometheus: %s\n", hash)), 0o600)
	log := filepath.Join(dir, "app.log")
	appendLines(t, log, envelope(codeD, 401), 2)

	c := start(t, "--tail.path="+log, "--tail.start=beginning", "--web.config.file="+webCfg)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(certPEM)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: "localhost"}}}
	get := func(user, pass string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, "https://"+c.addr+"/metrics", nil)
		if user != "" {
			req.SetBasicAuth(user, pass)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get("", ""); code != http.StatusUnauthorized {
		t.Errorf("no credentials: %d, want 401", code)
	}
	if code, _ := get("prometheus", "wrong"); code != http.StatusUnauthorized {
		t.Errorf("wrong password: %d, want 401", code)
	}
	waitFor(t, "the records over TLS", func() (bool, string) {
		code, body := get("prometheus", "s3cret")
		if code != http.StatusOK {
			return false, body
		}
		v := parseScrape(t, strings.NewReader(body)).sum("secondme_api_errors_total", map[string]string{"error_code": codeD})
		return v == 2, fmt.Sprint(v)
	})
	// Plain HTTP is refused.
	resp, err := http.Get("http://" + c.addr + "/metrics")
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Error("plain HTTP served the metrics")
		}
	}
}

func selfSigned(t *testing.T) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "localhost"},
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb})
}

func TestHealthAndReadyEndpoints(t *testing.T) {
	dir := t.TempDir()
	c := start(t, "--tail.path="+filepath.Join(dir, "*.log"))
	for _, p := range []string{"/-/healthy", "/-/ready"} {
		waitFor(t, p, func() (bool, string) {
			resp, err := http.Get(c.url(p))
			if err != nil {
				return false, err.Error()
			}
			resp.Body.Close()
			return resp.StatusCode == http.StatusOK, resp.Status
		})
	}
}

// TestDemoWriter: the standalone writer is deterministic for a seed and
// reports exactly what it wrote.
func TestDemoWriter(t *testing.T) {
	dir := t.TempDir()
	run := func(name string, seed int) (map[string]any, string) {
		out := filepath.Join(dir, name+".log")
		counts := filepath.Join(dir, name+".json")
		cmd := exec.Command(binary, "demo-writer", "--out="+out, "--count=3000", "--rate=0",
			fmt.Sprintf("--seed=%d", seed), "--counts-file="+counts, "--spike-every=0")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("demo-writer: %v\n%s", err, b)
		}
		b, err := os.ReadFile(counts)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(out)
		if n := bytes.Count(data, []byte("\n")); n != 3000 {
			t.Errorf("%s: %d lines, want 3000", name, n)
		}
		return m, string(b)
	}
	_, one := run("one", 5)
	_, two := run("two", 5)
	_, other := run("other", 6)
	if one != two {
		t.Errorf("same seed, different counts:\n%s\n%s", one, two)
	}
	if one == other {
		t.Error("different seeds gave identical counts")
	}

	// Rate-limited with spikes, stopped by a count.
	out := filepath.Join(dir, "spike.log")
	counts := filepath.Join(dir, "spike.json")
	cmd := exec.Command(binary, "demo-writer", "--out="+out, "--rate=2000", "--count=400",
		"--spike-at=50ms", "--spike-every=100ms", "--spike-for=50ms", "--spike-rate=1", "--counts-file="+counts)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("demo-writer: %v\n%s", err, b)
	}
	b, _ := os.ReadFile(counts)
	var m struct {
		Records int64            `json:"records"`
		Spike   int64            `json:"spike"`
		Errors  map[string]int64 `json:"errors"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	// Spikes are 100 of every 200 records from record 100 on: 200 of 400.
	if m.Records != 400 || m.Spike != 200 || m.Errors[codeD] < 200 {
		t.Errorf("spike run: %s", b)
	}
}
