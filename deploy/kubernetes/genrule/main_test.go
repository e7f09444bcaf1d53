package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	"sigs.k8s.io/yaml"
)

// TestGeneratedFileUpToDate fails when deploy/kubernetes/prometheusrule.yaml is not what
// the generator makes from the rules of today: the committed artefact must never drift
// from the rules promtool tests.
func TestGeneratedFileUpToDate(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "..", "rules", "*.rules.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no rules/*.rules.yml")
	}
	want, err := Generate(files)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join("..", "prometheusrule.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("deploy/kubernetes/prometheusrule.yaml is stale: run `go run ./deploy/kubernetes/genrule` from the repository root\n%s",
			firstDifference(string(got), string(want)))
	}
	var pr monitoringv1.PrometheusRule
	if err := yaml.UnmarshalStrict(want, &pr); err != nil {
		t.Fatalf("generated PrometheusRule does not decode strictly: %v", err)
	}
}

func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ":\n  committed: " + gl + "\n  generated: " + wl
		}
	}
	return ""
}

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestGenerate(t *testing.T) {
	dir := t.TempDir()
	a := write(t, dir, "a.rules.yml", `groups:
  - name: a.rules
    interval: 30s
    rules:
      - record: job:x:rate5m
        expr: sum by (job) (rate(x_total[5m]))
      - alert: XHigh
        expr: job:x:rate5m > 1
        for: 10m
        keep_firing_for: 5m
        labels: {severity: warning}
        annotations: {summary: "x is {{ $value }}"}
`)
	b := write(t, dir, "b.rules.yml", "groups:\n  - name: b.rules\n    rules:\n      - record: y\n        expr: vector(1)\n")
	// Input order does not matter: files are sorted.
	out, err := Generate([]string{b, a})
	if err != nil {
		t.Fatal(err)
	}
	var pr monitoringv1.PrometheusRule
	if err := yaml.UnmarshalStrict(out, &pr); err != nil {
		t.Fatal(err)
	}
	if len(pr.Spec.Groups) != 2 || pr.Spec.Groups[0].Name != "a.rules" || pr.Spec.Groups[1].Name != "b.rules" {
		t.Fatalf("groups: %+v", pr.Spec.Groups)
	}
	g := pr.Spec.Groups[0]
	if g.Interval == nil || *g.Interval != "30s" {
		t.Errorf("interval %v", g.Interval)
	}
	alert := g.Rules[1]
	if alert.Alert != "XHigh" || alert.Expr.String() != "job:x:rate5m > 1" || *alert.For != "10m" ||
		alert.KeepFiringFor == nil || *alert.KeepFiringFor != "5m" || alert.Labels["severity"] != "warning" ||
		alert.Annotations["summary"] != "x is {{ $value }}" {
		t.Errorf("alert converted to %+v", alert)
	}
	if !bytes.HasPrefix(out, []byte("# Code generated")) {
		t.Error("output lacks the generated-code header")
	}
	again, _ := Generate([]string{a, b})
	if !bytes.Equal(out, again) {
		t.Error("output is not deterministic")
	}
}

func TestGenerateErrors(t *testing.T) {
	dir := t.TempDir()
	good := write(t, dir, "good.rules.yml", "groups:\n  - name: g\n    rules:\n      - record: y\n        expr: vector(1)\n")
	for name, tc := range map[string]struct {
		content string
		want    string
	}{
		"bad expression":               {"groups:\n  - name: h\n    rules:\n      - record: y\n        expr: sum(\n", "parse error"},
		"unknown field":                {"groups:\n  - name: h\n    rules:\n      - record: y\n        expr: vector(1)\n        fro: 5m\n", "fro"},
		"duplicate group across files": {"groups:\n  - name: g\n    rules:\n      - record: z\n        expr: vector(1)\n", `group "g" is in both`},
	} {
		t.Run(name, func(t *testing.T) {
			bad := write(t, t.TempDir(), "bad.rules.yml", tc.content)
			_, err := Generate([]string{good, bad})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
	if _, err := Generate(nil); err == nil {
		t.Error("no files: no error")
	}
}
