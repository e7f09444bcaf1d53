package rules

import (
	"go/build"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/prometheus/common/model"
	"github.com/prometheus/common/promslog"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"
)

// runbookBase is the prefix of every runbook_url: the runbooks file on the
// repository's default branch, followed by a GitHub heading anchor.
const runbookBase = "https://github.com/secondme/secondme_error_exporter/blob/main/rules/runbooks.md#"

// requireTool finds an external binary on PATH or in $(go env GOPATH)/bin.
// Missing, it fails the test under CI=true (CI must run it) and skips it
// elsewhere with the command that installs it.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		gopath = build.Default.GOPATH
	}
	p := filepath.Join(gopath, "bin", name)
	if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
		return p
	}
	msg := name + " not found on PATH or in $(go env GOPATH)/bin: run scripts/install-tools.sh"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// shippedRule is one rule of rules/*.rules.yml with where it lives.
type shippedRule struct {
	File, Group string
	rulefmt.Rule
}

// promqlParser is the parser the rules are loaded with: no feature flags,
// so that nothing beyond what Prometheus 2.x also parses slips in.
func promqlParser() parser.Parser { return parser.NewParser(parser.Options{}) }

// loadShippedRules parses and validates every rule file with the current
// Prometheus' rulefmt (expressions, templates, duplicate names).
func loadShippedRules(t *testing.T) (groups []rulefmt.RuleGroup, all []shippedRule) {
	t.Helper()
	for _, f := range ruleFiles(t) {
		rgs, errs := rulefmt.ParseFile(f, false, model.UTF8Validation, promqlParser(), promslog.NewNopLogger())
		if len(errs) > 0 {
			t.Fatalf("%s: %v", f, errs)
		}
		for _, g := range rgs.Groups {
			groups = append(groups, g)
			for _, r := range g.Rules {
				all = append(all, shippedRule{File: f, Group: g.Name, Rule: r})
			}
		}
	}
	return groups, all
}

func alertRules(all []shippedRule) []shippedRule {
	var out []shippedRule
	for _, r := range all {
		if r.Alert != "" {
			out = append(out, r)
		}
	}
	return out
}

func recordingRules(all []shippedRule) []shippedRule {
	var out []shippedRule
	for _, r := range all {
		if r.Record != "" {
			out = append(out, r)
		}
	}
	return out
}
