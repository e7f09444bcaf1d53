package rules

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The rule files load on Prometheus 2.x: the promtool of Debian's
// prometheus 2.42 checks them (syntax, templates, duplicate names).
func TestPromtoolCheckRules(t *testing.T) {
	promtool := requireTool(t, "promtool")
	files := ruleFiles(t)
	out, err := exec.Command(promtool, append([]string{"check", "rules"}, files...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("promtool check rules: %v\n%s", err, out)
	}
	if n := strings.Count(string(out), "SUCCESS"); n != len(files) {
		t.Fatalf("promtool check rules: %d SUCCESS for %d files:\n%s", n, len(files), out)
	}
}

// The unit tests pass on Prometheus 2.x: `promtool test rules` over the
// same files TestRulesOnPrometheus3Engine runs on 3.x.
func TestPromtoolTestRules(t *testing.T) {
	// Independent and CPU-bound: let the slow runners overlap.
	t.Parallel()
	promtool := requireTool(t, "promtool")
	files := unitTestFiles(t)
	out, err := exec.Command(promtool, append([]string{"test", "rules"}, files...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("promtool test rules: %v\n%s", err, out)
	}
	if n := strings.Count(string(out), "SUCCESS"); n != len(files) {
		t.Fatalf("promtool test rules: %d SUCCESS for %d files:\n%s", n, len(files), out)
	}
}

// Both runners must be able to fail: a copy of a unit test whose expected
// alert is wrong (a label and an annotation changed) is rejected by
// promtool and by the 3.x runner alike.
func TestRunnersRejectAWrongExpectation(t *testing.T) {
	// Independent and CPU-bound: let the slow runners overlap.
	t.Parallel()
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join("tests", "auth.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.ReplaceAll(string(src), "  - ../", "  - "+abs+"/")
	for old, repl := range map[string]string{
		// The headline alert's expected severity, and its live value.
		"              severity: critical\n              team: login\n              job: secondme_error_exporter\n              source: app\n              module: oauth2\n              resource: refresh_token": "              severity: warning\n              team: login\n              job: secondme_error_exporter\n              source: app\n              module: oauth2\n              resource: refresh_token",
		"logged 100 oauth2.refresh_token.revoked": "logged 99 oauth2.refresh_token.revoked",
	} {
		if !strings.Contains(s, old) {
			t.Fatalf("tests/auth.yaml changed: %q not found; update this test", old)
		}
		s = strings.Replace(s, old, repl, 1)
	}
	// Keep the first test group only: the headline incident.
	first := strings.Index(s, "\n  - name: ")
	second := strings.Index(s[first+1:], "\n  - name: ")
	if first < 0 || second < 0 {
		t.Fatal("tests/auth.yaml has fewer than two test groups; update this test")
	}
	s = s[:first+1+second+1]
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}

	t.Run("3.x runner", func(t *testing.T) {
		utf, err := loadUnitTestFile(bad)
		if err != nil {
			t.Fatal(err)
		}
		if len(utf.Tests) != 1 {
			t.Fatalf("%d test groups, want the first only", len(utf.Tests))
		}
		if errs := runTestGroup(utf, utf.Tests[0]); len(errs) == 0 {
			t.Fatal("the 3.x runner accepted a wrong expectation")
		} else if !strings.Contains(errs[0].Error(), `severity="critical"`) {
			t.Fatalf("unexpected failure: %v", errs)
		}
	})
	t.Run("promtool", func(t *testing.T) {
		promtool := requireTool(t, "promtool")
		out, err := exec.Command(promtool, "test", "rules", bad).CombinedOutput()
		if err == nil {
			t.Fatalf("promtool accepted a wrong expectation:\n%s", out)
		}
		if !strings.Contains(string(out), "SecondMeRefreshTokenRevokedSpike") {
			t.Fatalf("promtool failed for another reason: %v\n%s", err, out)
		}
	})
}
