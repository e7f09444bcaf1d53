package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// heavyDeps are the packages that must stay out of the exporter's sidecar
// image: the Prometheus rule engine and TSDB, and Alertmanager.
var heavyDeps = []string{"github.com/prometheus/prometheus/", "github.com/prometheus/alertmanager/"}

func goList(t *testing.T, pkg string) []string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to list dependencies: %v", err)
	}
	cmd := exec.Command(goBin, "list", "-deps", pkg)
	cmd.Dir = filepath.Join("..", "..")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v\n%s", pkg, err, stderr.String())
	}
	return strings.Fields(string(out))
}

func heavy(deps []string) []string {
	var found []string
	for _, d := range deps {
		for _, h := range heavyDeps {
			if strings.HasPrefix(d, h) {
				found = append(found, d)
			}
		}
	}
	return found
}

// The analyzer is a binary of its own so that the rule engine and
// Alertmanager never reach the exporter: the exporter's dependency graph
// has none of their packages, while the analyzer's (the control) has them.
func TestExporterDoesNotImportRuleEngine(t *testing.T) {
	if testing.Short() {
		t.Skip("go list over the module graph")
	}
	if h := heavy(goList(t, "./cmd/secondme_error_exporter")); len(h) > 0 {
		t.Errorf("the exporter imports %d rule engine / Alertmanager packages, e.g. %s", len(h), h[0])
	}
	analyzer := heavy(goList(t, "./cmd/secondme_error_analyzer"))
	for _, want := range []string{"github.com/prometheus/prometheus/rules", "github.com/prometheus/alertmanager/dispatch"} {
		found := false
		for _, d := range analyzer {
			found = found || d == want
		}
		if !found {
			t.Errorf("control: the analyzer does not import %s, so this test would prove nothing", want)
		}
	}
}

func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

const incident = "../../analyze/testdata/incident.log"

func TestCLI(t *testing.T) {
	code, out, stderr := runCLI(t, "", "--format=json", "--rules", "../../rules/*.rules.yml",
		"--alertmanager.config", "../../deploy/alertmanager/alertmanager.yml", incident)
	if code != 0 || !strings.Contains(out, `"alertname": "SecondMeRefreshTokenRevokedSpike"`) ||
		!strings.Contains(out, `"receiver": "login-pager"`) {
		t.Errorf("json backtest: exit %d, stderr %q, output has no spike alert or login-pager notification", code, stderr)
	}

	code, out, _ = runCLI(t, `{"code":401,"error_code":"oauth2.token.expired"}`+"\n", "-f", "prometheus", "--source", "web", "-")
	if code != 0 || !strings.Contains(out,
		`secondme_api_errors_total{code="401",error_code="oauth2.token.expired",module="oauth2",reason="expired",resource="token",source="web",status_class="4xx"} 1`) {
		t.Errorf("prometheus from stdin: exit %d, output:\n%s", code, out)
	}

	code, out, _ = runCLI(t, "", "--format=markdown", "--no-multiline", "--timezone", "Asia/Shanghai", incident)
	if code != 0 || !strings.HasPrefix(out, "# SecondMe error analysis") || !strings.Contains(out, "read as Asia/Shanghai") {
		t.Errorf("markdown: exit %d, output starts %q", code, out[:min(len(out), 80)])
	}

	om := filepath.Join(t.TempDir(), "series.om")
	code, _, stderr = runCLI(t, "", "-f", "prometheus", "--openmetrics", om, incident)
	if b, err := os.ReadFile(om); code != 0 || err != nil || !bytes.HasSuffix(b, []byte("# EOF\n")) {
		t.Errorf("--openmetrics: exit %d (%s), file: %v", code, stderr, err)
	}

	for name, c := range map[string]struct {
		args []string
		code int
	}{
		"no input":        {nil, 2},
		"unknown flag":    {[]string{"--nope", incident}, 2},
		"bad format":      {[]string{"--format=yaml", incident}, 2},
		"bad timezone":    {[]string{"--timezone=Mars/Olympus", incident}, 2},
		"missing catalog": {[]string{"--catalog.file=/nonexistent.yml", incident}, 2},
		"missing input":   {[]string{"/nonexistent.log"}, 1},
		"am without rules": {[]string{"--alertmanager.config", "../../deploy/alertmanager/alertmanager.yml",
			incident}, 1},
	} {
		if code, _, stderr := runCLI(t, "", c.args...); code != c.code || stderr == "" {
			t.Errorf("%s: exit %d (want %d), stderr %q", name, code, c.code, stderr)
		}
	}
}

// TestPGOProfile: both binaries build with the same profile (scripts/pgo.sh
// writes it to each main package, where go build looks for it), and it holds
// samples of the parser.
func TestPGOProfile(t *testing.T) {
	own, err := os.ReadFile("default.pgo")
	if err != nil {
		t.Fatal(err)
	}
	exporter, err := os.ReadFile(filepath.Join("..", "secondme_error_exporter", "default.pgo"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(own, exporter) {
		t.Fatal("cmd/*/default.pgo differ: run scripts/pgo.sh")
	}
	out, err := exec.Command("go", "tool", "pprof", "-top", "default.pgo").CombinedOutput()
	if err != nil {
		t.Fatalf("go tool pprof: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "parser.") {
		t.Fatalf("the profile holds no parser samples:\n%s", out)
	}
}
