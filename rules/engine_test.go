package rules

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/common/promslog"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/prometheus/prometheus/promql/promqltest"
	"github.com/prometheus/prometheus/rules"
)

// TestRulesOnPrometheus3Engine runs every rules/tests/*.yaml file through
// the rule engine of the Prometheus version in go.mod (3.x), the way
// `promtool test rules` runs them through 2.42: same input series, same
// evaluation loop, same expected alerts and samples. promtool itself is a
// main package and cannot be imported, hence this small runner.
func TestRulesOnPrometheus3Engine(t *testing.T) {
	// Independent and CPU-bound: let the slow runners overlap.
	t.Parallel()
	for _, file := range unitTestFiles(t) {
		t.Run(file, func(t *testing.T) {
			utf, err := loadUnitTestFile(file)
			if err != nil {
				t.Fatal(err)
			}
			for i, tg := range utf.Tests {
				name := tg.Name
				if name == "" {
					name = fmt.Sprintf("unnamed#%d", i)
				}
				t.Run(name, func(t *testing.T) {
					for _, e := range runTestGroup(utf, tg) {
						t.Error(e)
					}
				})
			}
		})
	}
}

// firedAlert is what an alert test compares: the labels and annotations of
// a firing alert, formatted for a readable diff.
type firedAlert struct {
	Labels      labels.Labels
	Annotations labels.Labels
}

func (a firedAlert) String() string {
	return "labels=" + a.Labels.String() + " annotations=" + a.Annotations.String()
}

func sortAlerts(as []firedAlert) {
	sort.Slice(as, func(i, j int) bool {
		if c := labels.Compare(as[i].Labels, as[j].Labels); c != 0 {
			return c < 0
		}
		return labels.Compare(as[i].Annotations, as[j].Annotations) < 0
	})
}

func equalAlerts(a, b []firedAlert) bool {
	return slices.EqualFunc(a, b, func(x, y firedAlert) bool {
		return labels.Equal(x.Labels, y.Labels) && labels.Equal(x.Annotations, y.Annotations)
	})
}

// runTestGroup evaluates one test group and returns every mismatch. It
// mirrors promtool's unittest.go: samples are loaded lazily up to each
// evaluation timestamp, groups are evaluated in group_eval_order, and an
// alert test at eval_time T is checked against the evaluation at the last
// step <= T.
func runTestGroup(utf *unitTestFile, tg testGroup) []error {
	p := parser.NewParser(parser.Options{})
	var load strings.Builder
	fmt.Fprintf(&load, "load %s\n", time.Duration(tg.Interval))
	for _, s := range tg.InputSeries {
		fmt.Fprintf(&load, "  %s %s\n", s.Series, s.Values)
	}
	suite, err := promqltest.NewLazyLoader(load.String(), promqltest.LazyLoaderOpts{
		EnableAtModifier:     true,
		EnableNegativeOffset: true,
		Parser:               p,
	})
	if err != nil {
		return []error{fmt.Errorf("load input series: %w", err)}
	}
	errs := []error{}
	defer func() {
		if err := suite.Close(); err != nil {
			errs = append(errs, err)
		}
	}()
	evalInterval := time.Duration(utf.EvaluationInterval)
	suite.SubqueryInterval = evalInterval

	mgr := rules.NewManager(&rules.ManagerOptions{
		QueryFunc:    rules.EngineQueryFunc(suite.QueryEngine(), suite.Storage()),
		AppendableV2: suite.Storage(),
		Context:      context.Background(),
		NotifyFunc:   func(context.Context, string, ...*rules.Alert) {},
		Logger:       promslog.NewNopLogger(),
		Parser:       p,
	})
	groupsByName, lerrs := mgr.LoadGroups(time.Duration(tg.Interval), labels.FromMap(tg.ExternalLabels),
		tg.ExternalURL, nil, false, utf.RuleFiles...)
	if lerrs != nil {
		return lerrs
	}
	order := map[string]int{}
	for i, n := range utf.GroupEvalOrder {
		order[n] = i
	}
	groups := make([]*rules.Group, 0, len(groupsByName))
	for _, g := range groupsByName {
		groups = append(groups, g)
	}
	sort.SliceStable(groups, func(i, j int) bool {
		if order[groups[i].Name()] != order[groups[j].Name()] {
			return order[groups[i].Name()] < order[groups[j].Name()]
		}
		return groups[i].Name() < groups[j].Name()
	})
	for _, g := range groups {
		for _, r := range g.Rules() {
			if ar, ok := r.(*rules.AlertingRule); ok {
				// As promtool: no `for` state to restore from storage.
				ar.SetRestored(true)
			}
		}
	}

	// Alert tests by eval_time, in order.
	byTime := map[model.Duration][]alertTestCase{}
	var maxEval model.Duration
	for _, at := range tg.AlertRuleTests {
		if at.Alertname == "" {
			return []error{fmt.Errorf("alert_rule_test at %s without alertname", at.EvalTime)}
		}
		byTime[at.EvalTime] = append(byTime[at.EvalTime], at)
		maxEval = max(maxEval, at.EvalTime)
	}
	for _, pt := range tg.PromqlExprTests {
		maxEval = max(maxEval, pt.EvalTime)
	}
	evalTimes := make([]model.Duration, 0, len(byTime))
	for et := range byTime {
		evalTimes = append(evalTimes, et)
	}
	slices.Sort(evalTimes)

	mint := time.Unix(0, 0).UTC()
	maxt := mint.Add(time.Duration(maxEval))
	next := 0
	for ts := mint; !ts.After(maxt); ts = ts.Add(evalInterval) {
		var evalErrs []error
		suite.WithSamplesTill(ts, func(err error) {
			if err != nil {
				evalErrs = append(evalErrs, err)
				return
			}
			for _, g := range groups {
				g.Eval(suite.Context(), ts)
				for _, r := range g.Rules() {
					if r.LastError() != nil {
						evalErrs = append(evalErrs, fmt.Errorf("rule %s at %s: %w", r.Name(), ts.Sub(mint), r.LastError()))
					}
				}
			}
		})
		if len(evalErrs) > 0 {
			return append(errs, evalErrs...)
		}
		for next < len(evalTimes) && time.Duration(evalTimes[next]) < ts.Add(evalInterval).Sub(mint) {
			errs = append(errs, checkAlerts(groups, tg.Name, byTime[evalTimes[next]])...)
			next++
		}
	}

	for _, pt := range tg.PromqlExprTests {
		errs = append(errs, checkExpr(suite, p, mint, pt)...)
	}
	return errs
}

// checkAlerts compares the firing alerts of each tested alert name with the
// expectation. Alerts of the same name in several rules (warning and
// critical twins) are collected together, as promtool does.
func checkAlerts(groups []*rules.Group, group string, cases []alertTestCase) []error {
	var errs []error
	for _, tc := range cases {
		var got []firedAlert
		for _, g := range groups {
			for _, r := range g.Rules() {
				ar, ok := r.(*rules.AlertingRule)
				if !ok || ar.Name() != tc.Alertname {
					continue
				}
				for _, a := range ar.ActiveAlerts() {
					if a.State == rules.StateFiring {
						got = append(got, firedAlert{Labels: a.Labels.Copy(), Annotations: a.Annotations.Copy()})
					}
				}
			}
		}
		var exp []firedAlert
		for _, ea := range tc.ExpAlerts {
			lbls := map[string]string{labels.AlertName: tc.Alertname}
			for k, v := range ea.ExpLabels {
				lbls[k] = v
			}
			exp = append(exp, firedAlert{Labels: labels.FromMap(lbls), Annotations: labels.FromMap(ea.ExpAnnotations)})
		}
		sortAlerts(got)
		sortAlerts(exp)
		if !equalAlerts(exp, got) {
			errs = append(errs, fmt.Errorf("group %q, alertname %s, eval_time %s:\n  exp: %v\n  got: %v",
				group, tc.Alertname, tc.EvalTime, exp, got))
		}
	}
	return errs
}

func checkExpr(suite *promqltest.LazyLoader, p parser.Parser, mint time.Time, pt promqlTestCase) []error {
	at := mint.Add(time.Duration(pt.EvalTime))
	q, err := suite.QueryEngine().NewInstantQuery(suite.Context(), suite.Queryable(), nil, pt.Expr, at)
	if err != nil {
		return []error{fmt.Errorf("expr %q at %s: %w", pt.Expr, pt.EvalTime, err)}
	}
	defer q.Close()
	res := q.Exec(suite.Context())
	if res.Err != nil {
		return []error{fmt.Errorf("expr %q at %s: %w", pt.Expr, pt.EvalTime, res.Err)}
	}
	type sample struct {
		l labels.Labels
		v float64
	}
	var got, exp []sample
	switch v := res.Value.(type) {
	case promql.Vector:
		for _, s := range v {
			got = append(got, sample{s.Metric.Copy(), s.F})
		}
	case promql.Scalar:
		got = append(got, sample{labels.EmptyLabels(), v.V})
	default:
		return []error{fmt.Errorf("expr %q: result is %T, not a vector or scalar", pt.Expr, res.Value)}
	}
	for _, es := range pt.ExpSamples {
		l, err := p.ParseMetric(es.Labels)
		if err != nil {
			return []error{fmt.Errorf("expr %q: labels %q: %w", pt.Expr, es.Labels, err)}
		}
		exp = append(exp, sample{l, es.Value})
	}
	less := func(s []sample) func(i, j int) bool {
		return func(i, j int) bool { return labels.Compare(s[i].l, s[j].l) < 0 }
	}
	sort.Slice(got, less(got))
	sort.Slice(exp, less(exp))
	same := slices.EqualFunc(exp, got, func(a, b sample) bool {
		return labels.Equal(a.l, b.l) && (a.v == b.v || math.IsNaN(a.v) && math.IsNaN(b.v))
	})
	if !same {
		return []error{fmt.Errorf("expr %q at %s:\n  exp: %v\n  got: %v", pt.Expr, pt.EvalTime, exp, got)}
	}
	return nil
}
