package rules

import (
	"bufio"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/promql/parser"
)

var (
	recordNameRE = regexp.MustCompile(`^[a-z][a-z0-9_]*:[a-z][a-z0-9_]*:[a-z][a-z0-9_]*$`)
	alertNameRE  = regexp.MustCompile(`^SecondMe[A-Z][A-Za-z0-9]*$`)
	severities   = map[string]bool{"critical": true, "warning": true, "info": true}
	teams        = map[string]bool{"login": true, "api": true, "platform": true}
)

// functions22 are the PromQL functions of Prometheus 2.42 that 3.x keeps
// unchanged. A rule using anything else would not load on one of the two.
var functions22 = map[string]bool{
	"abs": true, "absent": true, "absent_over_time": true, "avg_over_time": true, "ceil": true,
	"changes": true, "clamp": true, "clamp_max": true, "clamp_min": true, "count_over_time": true,
	"delta": true, "deriv": true, "exp": true, "floor": true, "histogram_quantile": true,
	"idelta": true, "increase": true, "irate": true, "label_join": true, "label_replace": true,
	"last_over_time": true, "ln": true, "log2": true, "log10": true, "max_over_time": true,
	"min_over_time": true, "present_over_time": true, "quantile_over_time": true, "rate": true,
	"resets": true, "round": true, "scalar": true, "sgn": true, "sort": true, "sort_desc": true,
	"sqrt": true, "stddev_over_time": true, "stdvar_over_time": true, "sum_over_time": true,
	"timestamp": true, "vector": true,
}

// minRange is the shortest range selector allowed: 4 scrapes at the
// slowest scrape interval the rules support (1m).
const minRange = 4 * time.Minute

func TestRuleFilesFollowConventions(t *testing.T) {
	groups, all := loadShippedRules(t)
	p := promqlParser()

	for _, g := range groups {
		records, alerts := 0, 0
		for _, r := range g.Rules {
			if r.Record != "" {
				records++
			} else {
				alerts++
			}
		}
		switch {
		case records > 0 && alerts > 0:
			t.Errorf("group %s mixes recording and alerting rules", g.Name)
		case records > 0 && !strings.HasSuffix(g.Name, ".rules"):
			t.Errorf("recording group %s: name it <area>.rules", g.Name)
		case alerts > 0 && strings.HasSuffix(g.Name, ".rules"):
			t.Errorf("alerting group %s: .rules is for recording groups", g.Name)
		}
		if g.Interval != 0 {
			// A recorded series sampled less often than the lookback delta
			// goes stale between evaluations.
			t.Errorf("group %s sets interval %s: use the global evaluation interval", g.Name, g.Interval)
		}
	}

	bySeverity := map[string]map[string]bool{}
	for _, r := range all {
		name := r.Record + r.Alert
		expr, err := p.ParseExpr(r.Expr)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		parser.Inspect(expr, func(n parser.Node, _ []parser.Node) error {
			switch n := n.(type) {
			case *parser.Call:
				if !functions22[n.Func.Name] {
					t.Errorf("%s uses %s(), not a Prometheus 2.42 function", name, n.Func.Name)
				}
			case *parser.MatrixSelector:
				if n.Range < minRange {
					t.Errorf("%s: range [%s] is shorter than 4 scrapes at 1m", name, model.Duration(n.Range))
				}
			case *parser.SubqueryExpr:
				t.Errorf("%s: subqueries are costly and their steps drift between 2.x and 3.x; record instead", name)
			}
			return nil
		})

		if r.Record != "" {
			if !recordNameRE.MatchString(r.Record) {
				t.Errorf("recording rule %s: name it level:metric:operations", r.Record)
			}
			if len(r.Labels) > 0 {
				t.Errorf("recording rule %s: static labels would split the series from what dashboards expect", r.Record)
			}
			continue
		}

		if !alertNameRE.MatchString(r.Alert) {
			t.Errorf("alert %s: CamelCase, prefixed SecondMe", r.Alert)
		}
		sev := r.Labels["severity"]
		if !severities[sev] {
			t.Errorf("alert %s: severity %q, want critical, warning or info", r.Alert, sev)
		}
		if bySeverity[r.Alert] == nil {
			bySeverity[r.Alert] = map[string]bool{}
		}
		if bySeverity[r.Alert][sev] {
			t.Errorf("alert %s: two rules with severity %s (twins must differ in severity)", r.Alert, sev)
		}
		bySeverity[r.Alert][sev] = true

		if team, ok := r.Labels["team"]; ok {
			if !teams[team] {
				t.Errorf("alert %s: team %q, want login, api or platform", r.Alert, team)
			}
		} else if !setsLabelInExpr(expr, "team") {
			t.Errorf("alert %s: no team label, neither static nor computed: routing would be by chance", r.Alert)
		}
		for k := range r.Labels {
			if k != "severity" && k != "team" {
				t.Errorf("alert %s: unexpected static label %s", r.Alert, k)
			}
		}
		keys := make([]string, 0, len(r.Annotations))
		for k := range r.Annotations {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if !slices.Equal(keys, []string{"description", "runbook_url", "summary"}) {
			t.Errorf("alert %s: annotations %v, want description, runbook_url, summary", r.Alert, keys)
		}
		if want := runbookBase + strings.ToLower(r.Alert); r.Annotations["runbook_url"] != want {
			t.Errorf("alert %s: runbook_url %q, want %q", r.Alert, r.Annotations["runbook_url"], want)
		}
		if !strings.Contains(r.Annotations["description"], "$value") &&
			!strings.Contains(r.Annotations["description"], "$labels") && !isAbsent(expr) {
			t.Errorf("alert %s: description shows neither the value nor the labels", r.Alert)
		}

		forD := time.Duration(r.For)
		switch {
		case forD == 0:
			// Only "first occurrence" alerts fire without waiting, and they
			// must look back far enough (>= 10m) for the event to be seen by
			// several evaluations.
			if !firstOccurrence(expr) {
				t.Errorf("alert %s: no `for:`, but not an increase()-over->=10m first-occurrence alert", r.Alert)
			}
		case forD < 5*time.Minute || forD > 15*time.Minute:
			t.Errorf("alert %s: for %s, want 5m..15m", r.Alert, model.Duration(forD))
		}
	}
}

// isAbsent reports whether expr is absent(...): its alert has no labels or
// value worth showing.
func isAbsent(expr parser.Expr) bool {
	c, ok := expr.(*parser.Call)
	return ok && c.Func.Name == "absent"
}

// setsLabelInExpr reports whether expr computes label name with
// label_replace (the generic spike detector's team).
func setsLabelInExpr(expr parser.Expr, name string) bool {
	found := false
	parser.Inspect(expr, func(n parser.Node, _ []parser.Node) error {
		if c, ok := n.(*parser.Call); ok && c.Func.Name == "label_replace" && len(c.Args) > 1 {
			if s, ok := c.Args[1].(*parser.StringLiteral); ok && s.Val == name {
				found = true
			}
		}
		return nil
	})
	return found
}

// firstOccurrence reports whether expr uses increase() over >= 10m.
func firstOccurrence(expr parser.Expr) bool {
	found := false
	parser.Inspect(expr, func(n parser.Node, _ []parser.Node) error {
		if c, ok := n.(*parser.Call); ok && c.Func.Name == "increase" {
			if ms, ok := c.Args[0].(*parser.MatrixSelector); ok && ms.Range >= 10*time.Minute {
				found = true
			}
		}
		return nil
	})
	return found
}

// architectureRecordingRules reads the recording rule names from the
// "Recording rules" table of docs/architecture.md.
func architectureRecordingRules(t *testing.T) []string {
	t.Helper()
	return architectureTable(t, "## Recording rules")
}

// architectureTable returns the first column (backquoted names) of the
// markdown table under heading in docs/architecture.md.
func architectureTable(t *testing.T, heading string) []string {
	t.Helper()
	f, err := os.Open("../docs/architecture.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var names []string
	in := false
	sc := bufio.NewScanner(f)
	cell := regexp.MustCompile("^\\|\\s*`([^`]+)`\\s*\\|")
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "## ") {
			in = strings.HasPrefix(line, heading)
			continue
		}
		if m := cell.FindStringSubmatch(line); in && m != nil {
			names = append(names, m[1])
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatalf("docs/architecture.md: no table rows under %q", heading)
	}
	return names
}

// The recording rule names are a contract with grafana/ and the analyzer:
// every name in the architecture table is produced, and every name produced
// is in the table.
func TestRecordingRulesMatchArchitectureContract(t *testing.T) {
	_, all := loadShippedRules(t)
	produced := map[string]bool{}
	for _, r := range recordingRules(all) {
		if produced[r.Record] {
			t.Errorf("recording rule %s is defined twice", r.Record)
		}
		produced[r.Record] = true
	}
	documented := map[string]bool{}
	for _, n := range architectureRecordingRules(t) {
		documented[n] = true
		if !produced[n] {
			t.Errorf("docs/architecture.md promises %s, no rule records it", n)
		}
	}
	for n := range produced {
		if !documented[n] {
			t.Errorf("%s is recorded but missing from the table in docs/architecture.md", n)
		}
	}
}

// TestEveryAlertIsUnitTested checks the unit tests' coverage, which both
// runners then execute: every alert rule (name and severity) is seen
// firing with exact labels and annotations; every alert name has, within
// one test group, a silent check before a firing check (before the
// incident or before `for:` elapsed) and a silent check after one
// (resolved); and every name the tests check exists, since checking a
// non-existent alert for silence would always pass.
func TestEveryAlertIsUnitTested(t *testing.T) {
	_, all := loadShippedRules(t)
	type key struct{ alert, severity string }
	rulesBy := map[key]bool{}
	names := map[string]bool{}
	for _, r := range alertRules(all) {
		rulesBy[key{r.Alert, r.Labels["severity"]}] = true
		names[r.Alert] = true
	}
	firing := map[key]bool{}
	silentBefore, silentAfter := map[string]bool{}, map[string]bool{}
	for _, file := range unitTestFiles(t) {
		utf, err := loadUnitTestFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, tg := range utf.Tests {
			fired := map[string][]model.Duration{}
			silent := map[string][]model.Duration{}
			for _, at := range tg.AlertRuleTests {
				if !names[at.Alertname] {
					t.Errorf("%s %q: alert %s does not exist", file, tg.Name, at.Alertname)
				}
				if len(at.ExpAlerts) == 0 {
					silent[at.Alertname] = append(silent[at.Alertname], at.EvalTime)
					continue
				}
				fired[at.Alertname] = append(fired[at.Alertname], at.EvalTime)
				for _, ea := range at.ExpAlerts {
					sev := ea.ExpLabels["severity"]
					if !rulesBy[key{at.Alertname, sev}] {
						t.Errorf("%s %q: %s with severity %q has no rule", file, tg.Name, at.Alertname, sev)
					}
					firing[key{at.Alertname, sev}] = true
					if len(ea.ExpAnnotations) == 0 {
						t.Errorf("%s %q: %s expected without annotations", file, tg.Name, at.Alertname)
					}
				}
			}
			for name, fts := range fired {
				first, last := slices.Min(fts), slices.Max(fts)
				for _, st := range silent[name] {
					if st < first {
						silentBefore[name] = true
					}
					if st > last {
						silentAfter[name] = true
					}
				}
			}
		}
	}
	for k := range rulesBy {
		if !firing[k] {
			t.Errorf("no unit test sees %s (severity %s) fire", k.alert, k.severity)
		}
	}
	for name := range names {
		if !silentBefore[name] {
			t.Errorf("no unit test checks that %s is silent before it fires", name)
		}
		if !silentAfter[name] {
			t.Errorf("no unit test checks that %s resolves after it fired", name)
		}
	}
}

// TestEveryRecordingRuleIsUnitTested: each recorded series is read by a
// promql_expr_test that pins its labels and values.
func TestEveryRecordingRuleIsUnitTested(t *testing.T) {
	_, all := loadShippedRules(t)
	p := promqlParser()
	tested := map[string]bool{}
	for _, file := range unitTestFiles(t) {
		utf, err := loadUnitTestFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, tg := range utf.Tests {
			for _, pt := range tg.PromqlExprTests {
				e, err := p.ParseExpr(pt.Expr)
				if err != nil {
					t.Fatalf("%s: %q: %v", file, pt.Expr, err)
				}
				if len(pt.ExpSamples) == 0 {
					continue // an empty result pins nothing about the labels
				}
				parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
					if vs, ok := n.(*parser.VectorSelector); ok {
						tested[vs.Name] = true
					}
					return nil
				})
			}
		}
	}
	for _, r := range recordingRules(all) {
		if !tested[r.Record] {
			t.Errorf("recording rule %s: no promql_expr_test reads it", r.Record)
		}
	}
}
