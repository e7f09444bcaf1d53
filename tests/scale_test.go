package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/promql/parser"
	"gopkg.in/yaml.v3"
)

// Time compression of the shipped rules.
//
// The rules look at 5m, 1h and 6h windows and wait up to 15m (`for:`) before firing; a
// test cannot wait that long. The suite therefore runs Prometheus on a copy of
// rules/*.rules.yml compressed in time by a factor F (timeScale):
//
//  1. every duration in the parsed PromQL — range selectors, subquery ranges and steps,
//     offsets — and every group `interval`, rule `for` and `keep_firing_for` is divided
//     by F (5m -> 5s, 6h -> 6m, for: 10m -> for: 10s);
//  2. every per-second function (rate, irate, deriv) is divided by F, so that its value
//     keeps the unit "per real second": the rules' thresholds and floors written as
//     rates (`rate5m * 300 >= 10`, "10 in 5 minutes") keep their meaning unchanged;
//  3. the traffic is written F times faster than the real traffic it stands for.
//
// Together these map t seconds of real time onto t/F seconds of test time with every
// recorded value, comparison and threshold unchanged: a test second is a real minute.
// The rewrite works on the PromQL syntax tree (Prometheus' own parser), not on text, and
// refuses what it cannot scale faithfully (the @ modifier, time(), predict_linear...).
// Everything else — label matchers, aggregations, joins, thresholds, labels,
// annotations — is the shipped rule, byte for byte. Durations written as numbers
// (`* 300`) are deliberately left alone: they are parts of rate thresholds, which step 2
// keeps in real units.
const timeScale = 60

// minScaledRange is the shortest range a scaled selector may have: three scrapes.
const minScaledRange = 3 * time.Second

// perSecondFuncs return a value per second of their range.
var perSecondFuncs = map[string]bool{"rate": true, "irate": true, "deriv": true}

// timeFuncs depend on the wall clock or extrapolate in time: a compressed copy would not
// be the same rule, so they are refused.
var timeFuncs = map[string]bool{
	"time": true, "timestamp": true, "predict_linear": true, "holt_winters": true,
	"double_exponential_smoothing": true, "minute": true, "hour": true, "day_of_week": true,
	"day_of_month": true, "day_of_year": true, "days_in_month": true, "month": true, "year": true,
}

func scaleDuration(d time.Duration, f int64) (time.Duration, error) {
	if d%time.Duration(f) != 0 {
		return 0, fmt.Errorf("duration %s is not divisible by the time scale %d", d, f)
	}
	return d / time.Duration(f), nil
}

// scaleExpr rewrites an expression as described above.
func scaleExpr(e parser.Expr, f int64) (parser.Expr, error) {
	var err error
	sc := func(d *time.Duration) {
		if err == nil {
			*d, err = scaleDuration(*d, f)
		}
	}
	rec := func(x parser.Expr) parser.Expr {
		if err != nil || x == nil {
			return x
		}
		var out parser.Expr
		out, err = scaleExpr(x, f)
		return out
	}
	switch n := e.(type) {
	case *parser.NumberLiteral, *parser.StringLiteral:
		return e, nil
	case *parser.VectorSelector:
		if n.Timestamp != nil || n.StartOrEnd != 0 || n.OriginalOffsetExpr != nil {
			return nil, errors.New("the @ modifier and offset expressions cannot be time-scaled")
		}
		sc(&n.OriginalOffset)
		return n, err
	case *parser.MatrixSelector:
		if n.RangeExpr != nil {
			return nil, errors.New("range expressions cannot be time-scaled")
		}
		sc(&n.Range)
		if err == nil && n.Range < minScaledRange {
			// Fewer than ~3 samples at the 1s scrape interval: rate() would see nothing.
			return nil, fmt.Errorf("range %s scales to %s, below %s", n.Range*time.Duration(f), n.Range, minScaledRange)
		}
		n.VectorSelector = rec(n.VectorSelector)
		return n, err
	case *parser.SubqueryExpr:
		if n.Timestamp != nil || n.StartOrEnd != 0 || n.RangeExpr != nil || n.StepExpr != nil || n.OriginalOffsetExpr != nil {
			return nil, errors.New("subquery modifiers cannot be time-scaled")
		}
		sc(&n.Range)
		sc(&n.Step)
		sc(&n.OriginalOffset)
		n.Expr = rec(n.Expr)
		return n, err
	case *parser.ParenExpr:
		n.Expr = rec(n.Expr)
		return n, err
	case *parser.UnaryExpr:
		n.Expr = rec(n.Expr)
		return n, err
	case *parser.StepInvariantExpr:
		n.Expr = rec(n.Expr)
		return n, err
	case *parser.BinaryExpr:
		n.LHS = rec(n.LHS)
		n.RHS = rec(n.RHS)
		return n, err
	case *parser.AggregateExpr:
		n.Expr = rec(n.Expr)
		n.Param = rec(n.Param)
		return n, err
	case *parser.Call:
		if timeFuncs[n.Func.Name] {
			return nil, fmt.Errorf("%s() depends on the wall clock and cannot be time-scaled", n.Func.Name)
		}
		for i := range n.Args {
			n.Args[i] = rec(n.Args[i])
		}
		if err != nil {
			return nil, err
		}
		if perSecondFuncs[n.Func.Name] {
			return &parser.ParenExpr{Expr: &parser.BinaryExpr{
				Op: parser.DIV, LHS: n, RHS: &parser.NumberLiteral{Val: float64(f)},
			}}, nil
		}
		return n, nil
	}
	return nil, fmt.Errorf("unsupported PromQL node %T: extend scaleExpr", e)
}

func scaleExprString(expr string, f int64) (string, error) {
	e, err := parser.NewParser(parser.Options{}).ParseExpr(expr)
	if err != nil {
		return "", err
	}
	e, err = scaleExpr(e, f)
	if err != nil {
		return "", err
	}
	return e.String(), nil
}

func scaleModelDuration(s string, f int64) (string, error) {
	d, err := model.ParseDuration(s)
	if err != nil {
		return "", err
	}
	sd, err := scaleDuration(time.Duration(d), f)
	if err != nil {
		return "", err
	}
	return model.Duration(sd).String(), nil
}

// mapValue returns the value node of key in a YAML mapping node.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// scaleRuleFile rewrites one rule file; only the nodes named above change.
func scaleRuleFile(src []byte, f int64) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) != 1 {
		return nil, errors.New("not a single YAML document")
	}
	groups := mapValue(doc.Content[0], "groups")
	if groups == nil || groups.Kind != yaml.SequenceNode {
		return nil, errors.New("no groups")
	}
	for _, g := range groups.Content {
		name := mapValue(g, "name")
		if iv := mapValue(g, "interval"); iv != nil {
			v, err := scaleModelDuration(iv.Value, f)
			if err != nil {
				return nil, fmt.Errorf("group %s interval: %w", name.Value, err)
			}
			iv.Value = v
		}
		rules := mapValue(g, "rules")
		if rules == nil {
			continue
		}
		for _, r := range rules.Content {
			id := mapValue(r, "record")
			if id == nil {
				id = mapValue(r, "alert")
			}
			expr := mapValue(r, "expr")
			if expr == nil || id == nil {
				return nil, fmt.Errorf("group %s: rule without expr or name", name.Value)
			}
			v, err := scaleExprString(expr.Value, f)
			if err != nil {
				return nil, fmt.Errorf("rule %s: %w", id.Value, err)
			}
			expr.Value, expr.Style = v, yaml.DoubleQuotedStyle
			for _, key := range []string{"for", "keep_firing_for"} {
				if n := mapValue(r, key); n != nil {
					v, err := scaleModelDuration(n.Value, f)
					if err != nil {
						return nil, fmt.Errorf("rule %s %s: %w", id.Value, key, err)
					}
					n.Value = v
				}
			}
		}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), enc.Close()
}

// shippedRuleFiles lists rules/*.rules.yml.
func shippedRuleFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(repoRoot, "rules", "*.rules.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no rules/*.rules.yml")
	}
	sort.Strings(files)
	abs := make([]string, len(files))
	for i, f := range files {
		if abs[i], err = filepath.Abs(f); err != nil {
			t.Fatal(err)
		}
	}
	return abs
}

// scaledRuleFiles writes the time-compressed copies into dir and checks them with the
// promtool of the Prometheus that will load them.
func scaledRuleFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for _, f := range shippedRuleFiles(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		scaled, err := scaleRuleFile(b, timeScale)
		if err != nil {
			t.Fatalf("time-scaling %s: %v", f, err)
		}
		out = append(out, writeFile(t, dir, "scaled-"+filepath.Base(f), string(scaled)))
	}
	checkRules(t, out...)
	return out
}

// checkRules runs `promtool check rules`.
func checkRules(t *testing.T, files ...string) {
	t.Helper()
	promtool := lookTool(t, "promtool")
	out, err := runCmd(promtool, append([]string{"check", "rules"}, files...)...)
	if err != nil {
		t.Fatalf("promtool check rules: %v\n%s", err, out)
	}
}

func TestScaleExpr(t *testing.T) {
	for in, want := range map[string]string{
		`sum by (job) (rate(x_total[5m]))`:                      `sum by (job) ((rate(x_total[5s]) / 60))`,
		`increase(x_total[10m]) > 0`:                            `increase(x_total[10s]) > 0`,
		`x unless x offset 30m`:                                 `x unless x offset 30s`,
		`max_over_time(up[5m]) == 0`:                            `max_over_time(up[5s]) == 0`,
		`deriv(lag[15m]) > 0 and delta(lag[10m]) > 0`:           `(deriv(lag[15s]) / 60) > 0 and delta(lag[10s]) > 0`,
		`a:rate5m * 300 >= 10`:                                  `a:rate5m * 300 >= 10`,
		`max_over_time(rate(x[5m])[6h:1m])`:                     `max_over_time((rate(x[5s]) / 60)[6m:1s])`,
		`label_replace(rate(x[5m]), "team", "api", "team", "")`: `label_replace((rate(x[5s]) / 60), "team", "api", "team", "")`,
	} {
		got, err := scaleExprString(in, 60)
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if got != want {
			t.Errorf("scale(%s)\n got %s\nwant %s", in, got, want)
		}
	}
	for _, bad := range []string{`time() - x > 60`, `x @ 100`, `rate(x[90s])`, `predict_linear(x[1h], 3600)`} {
		if _, err := scaleExprString(bad, 60); err == nil {
			t.Errorf("%s: scaled without error", bad)
		}
	}
}

func TestScaleRuleFile(t *testing.T) {
	in := `groups:
  - name: g
    interval: 1m
    rules:
      - record: job:x:rate5m
        expr: sum by (job) (rate(x_total[5m]))
      - alert: A
        expr: job:x:rate5m * 300 >= 10
        for: 10m
        labels: {severity: warning}
        annotations: &ann
          summary: "rate over [5m] is {{ $value }}"
      - alert: A
        expr: job:x:rate5m * 300 >= 60
        for: 5m
        annotations: *ann
`
	out, err := scaleRuleFile([]byte(in), 60)
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, want := range []string{
		"interval: 1s", "sum by (job) ((rate(x_total[5s]) / 60))", "for: 10s", "for: 5s",
		// Everything that is not a duration is unchanged, annotations included.
		`summary: "rate over [5m] is {{ $value }}"`, "*ann", "job:x:rate5m * 300 >= 10",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("scaled file lacks %q:\n%s", want, s)
		}
	}
}

// TestShippedRulesScale: every shipped rule can be time-compressed, and the compressed
// copies load in the Prometheus the suite runs (promtool of the same release).
func TestShippedRulesScale(t *testing.T) {
	scaled := scaledRuleFiles(t, t.TempDir())
	if len(scaled) != len(shippedRuleFiles(t)) {
		t.Fatalf("%d scaled files for %d shipped ones", len(scaled), len(shippedRuleFiles(t)))
	}
}
