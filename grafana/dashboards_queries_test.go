package grafana

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestSubstitute(t *testing.T) {
	values := map[string]string{"job": "(a|b)", "__rate_interval": "1m", "error_code": ".*"}
	tests := map[string]struct {
		in, want, err string
	}{
		"dollar":                 {in: `rate(x{job=~"$job"}[$__rate_interval])`, want: `rate(x{job=~"(a|b)"}[1m])`},
		"braces":                 {in: `x{job=~"${job}"}`, want: `x{job=~"(a|b)"}`},
		"braces with format":     {in: `x{job=~"${job:regex}"}`, want: `x{job=~"(a|b)"}`},
		"brackets":               {in: `x{job=~"[[job]]"}`, want: `x{job=~"(a|b)"}`},
		"longest name wins":      {in: `x[$__rate_interval]`, want: `x[1m]`},
		"label_replace $1 stays": {in: `label_replace(x, "a", "$1", "b", "(.*)")`, want: `label_replace(x, "a", "$1", "b", "(.*)")`},
		"regex anchor stays":     {in: `x{a=~"^b$"}`, want: `x{a=~"^b$"}`},
		"unknown variable":       {in: `x{instance=~"$instance", pod="$pod"}`, err: "instance, pod"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := Substitute(tc.in, values)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one naming %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// fixture is a dashboard in the shapes Grafana itself saves, beyond what
// our generator emits: a collapsed row, a hidden target, a variable in the
// Prometheus editor's object form, a builtIn annotation and one whose
// query sits in target.
const fixture = `{
  "uid": "fx", "title": "Fixture",
  "panels": [
    {"id": 1, "type": "stat", "title": "Top", "targets": [{"refId": "A", "expr": "sum(up{job=~\"$job\"})", "legendFormat": "up"}]},
    {"id": 2, "type": "row", "title": "Collapsed", "collapsed": true, "panels": [
      {"id": 3, "type": "table", "title": "Inside", "targets": [
        {"refId": "A", "expr": "go_goroutines", "instant": true, "range": false},
        {"refId": "B", "expr": "process_cpu_seconds_total", "hide": true}
      ]}
    ]}
  ],
  "templating": {"list": [
    {"type": "datasource", "name": "datasource", "query": "prometheus"},
    {"type": "query", "name": "job", "query": {"query": "label_values(up, job)", "refId": "V"}},
    {"type": "custom", "name": "c", "query": "a,b"}
  ]},
  "annotations": {"list": [
    {"name": "Annotations & Alerts", "builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"}},
    {"name": "Alerts", "target": {"expr": "ALERTS{job=~\"$job\"}"}, "titleFormat": "{{alertname}}", "tagKeys": "severity, job"}
  ]}
}`

func writeFixture(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "fx.json"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestPanelQueriesReadsEveryPlace(t *testing.T) {
	qs, err := PanelQueriesWith(writeFixture(t, fixture), map[string]string{"job": "node"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, q := range qs {
		got = append(got, string(q.Kind)+" "+q.Panel+" "+q.RefID+": "+q.Expr)
	}
	want := []string{
		`panel Top A: sum(up{job=~"node"})`,
		`panel Inside A: go_goroutines`,
		`variable job : group by (job) (up)`,
		`annotation Alerts : ALERTS{job=~"node"}`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("queries:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, q := range qs {
		if q.File != "fx.json" || q.Dashboard != "fx" || q.DashboardTitle != "Fixture" {
			t.Errorf("%s: dashboard identity %q %q %q", q, q.File, q.Dashboard, q.DashboardTitle)
		}
		switch q.Panel {
		case "Inside":
			if !q.Instant || q.PanelID != 3 {
				t.Errorf("%s: instant %v id %d, want instant table query of panel 3", q, q.Instant, q.PanelID)
			}
		case "Top":
			if q.Instant || q.Legend != "up" || !slices.Equal(q.Metrics, []string{"up"}) {
				t.Errorf("%s: instant %v legend %q metrics %v", q, q.Instant, q.Legend, q.Metrics)
			}
		case "Alerts":
			if !q.MayBeEmpty || q.Legend != "{{alertname}}\n{{severity}}\n{{job}}" {
				t.Errorf("%s: mayBeEmpty %v legend %q", q, q.MayBeEmpty, q.Legend)
			}
			if q.Raw != `ALERTS{job=~"$job"}` {
				t.Errorf("%s: raw %q", q, q.Raw)
			}
		}
		if q.Panel != "Alerts" && q.MayBeEmpty {
			t.Errorf("%s: only ALERTS queries may be empty", q)
		}
	}
}

func TestPanelQueriesErrors(t *testing.T) {
	tests := map[string]struct {
		body, want string
	}{
		"missing variable value": {
			`{"uid": "x", "panels": [{"id": 1, "title": "P", "targets": [{"refId": "A", "expr": "up{pod=\"$pod\"}"}]}]}`,
			`panel 1 "P" refId A: no test value for template variable(s) pod`,
		},
		"not PromQL": {
			`{"uid": "x", "panels": [{"id": 1, "title": "P", "targets": [{"refId": "A", "expr": "sum(up"}]}]}`,
			`parse "sum(up"`,
		},
		"empty expression": {
			`{"uid": "x", "panels": [{"id": 1, "title": "P", "targets": [{"refId": "A", "expr": ""}]}]}`,
			`empty query`,
		},
		"variable not label_values": {
			`{"uid": "x", "templating": {"list": [{"type": "query", "name": "v", "query": "query_result(up)"}]}}`,
			`is not label_values(selector, label)`,
		},
		"broken JSON": {`{"uid": `, `decode`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := PanelQueries(writeFixture(t, tc.body))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
	if _, err := PanelQueries(t.TempDir()); err == nil {
		t.Error("an empty directory must be an error, not zero queries")
	}
}

// TestPanelQueriesCoversCommittedDashboards: the enumeration the e2e suite
// runs finds every target in the committed JSON, none twice.
func TestPanelQueriesCoversCommittedDashboards(t *testing.T) {
	qs, err := PanelQueries(dashboardsDir)
	if err != nil {
		t.Fatal(err)
	}
	targets := 0
	for _, l := range loadDashboards(t) {
		for _, p := range flatten(l.d.Panels) {
			targets += len(p.Targets)
		}
	}
	seen := map[string]bool{}
	panels := 0
	for _, q := range qs {
		key := q.File + "/" + string(q.Kind) + "/" + q.Panel + "/" + q.RefID
		if q.Kind == KindPanel {
			panels++
			key = fmt.Sprintf("%s/panel/%d/%s", q.File, q.PanelID, q.RefID)
		}
		if seen[key] {
			t.Errorf("%s listed twice", q)
		}
		seen[key] = true
		if strings.Contains(q.Expr, "$") {
			t.Errorf("%s: unsubstituted variable in %s", q, q.Expr)
		}
	}
	if panels != targets {
		t.Errorf("PanelQueries found %d panel queries, the JSON has %d targets", panels, targets)
	}
}
