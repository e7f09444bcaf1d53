package rules

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	promparser "github.com/prometheus/prometheus/promql/parser"
)

// contractMetrics is the metrics contract of docs/architecture.md: the
// metrics the exporter defines and their labels. The rules may use these,
// what the recording rules produce, and `up`.
var contractMetrics = map[string][]string{
	"secondme_api_errors_total":                                      {"source", "module", "resource", "reason", "error_code", "code", "status_class"},
	"secondme_api_responses_total":                                   {"source", "status_class"},
	"secondme_api_error_status_mismatch_total":                       {"source", "error_code", "code", "expected_code"},
	"secondme_api_error_catalog_info":                                {"error_code", "module", "resource", "reason", "expected_code", "section", "description", "action"},
	"secondme_exporter_lines_total":                                  {"source"},
	"secondme_exporter_bytes_total":                                  {"source"},
	"secondme_exporter_malformed_total":                              {"source", "reason"},
	"secondme_exporter_unknown_error_codes_total":                    {"source"},
	"secondme_exporter_label_overflow_total":                         {"source"},
	"secondme_exporter_rotations_total":                              {"source"},
	"secondme_exporter_truncations_total":                            {"source"},
	"secondme_exporter_files_watched":                                {"source"},
	"secondme_exporter_lag_bytes":                                    {"source"},
	"secondme_exporter_last_record_timestamp_seconds":                {"source"},
	"secondme_exporter_config_last_reload_successful":                {},
	"secondme_exporter_config_last_reload_success_timestamp_seconds": {},
	"secondme_exporter_read_errors_total":                            {"source"},
	"secondme_exporter_build_info":                                   nil, // version, revision, ...: open-ended, never used by a rule
}

// targetLabels are attached by Prometheus to every scraped series.
var targetLabels = []string{"job", "instance"}

type labelSet map[string]bool

func newLabelSet(names ...string) labelSet {
	s := labelSet{}
	for _, n := range names {
		s[n] = true
	}
	return s
}

func (s labelSet) String() string {
	names := make([]string, 0, len(s))
	for n := range s {
		names = append(names, n)
	}
	sort.Strings(names)
	return "{" + strings.Join(names, ",") + "}"
}

// The list above and the table in docs/architecture.md must not drift:
// same metrics, same labels.
func TestContractListMatchesArchitecture(t *testing.T) {
	doc := architectureTable(t, "## Metrics contract")
	var list []string
	for n := range contractMetrics {
		list = append(list, n)
	}
	sort.Strings(doc)
	sort.Strings(list)
	if !slices.Equal(doc, list) {
		t.Errorf("metrics contract drifted:\n  docs/architecture.md: %v\n  this test:            %v", doc, list)
	}
	b, err := os.ReadFile("../docs/architecture.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `(secondme_[a-z0-9_]+)` \\| \\w+ \\| (.*) \\|$")
	for _, m := range row.FindAllStringSubmatch(string(b), -1) {
		want, ok := contractMetrics[m[1]]
		// The labels are the first backquoted span of the cell; prose may follow.
		cell := strings.TrimSpace(m[2])
		if span := regexp.MustCompile("^`([^`]*)`").FindStringSubmatch(cell); span != nil {
			cell = span[1]
		}
		if !ok || want == nil || strings.Contains(cell, "...") {
			continue
		}
		var doc []string
		if cell != "—" && cell != "" {
			doc = strings.Split(cell, ", ")
		}
		if !slices.Equal(sortedCopy(doc), sortedCopy(want)) {
			t.Errorf("%s: docs/architecture.md labels %v, this test %v", m[1], doc, want)
		}
	}
}

// labelInference computes which labels an expression's result carries,
// and reports every selector, matcher, grouping or matching label that no
// input carries: a typo there silently selects nothing.
type labelInference struct {
	recorded map[string]labelSet // recording rule name -> its output labels
	errs     []string
}

func (li *labelInference) errorf(format string, args ...any) {
	li.errs = append(li.errs, fmt.Sprintf(format, args...))
}

// metricLabels returns the labels of a metric name, or false if the rules
// may not use it.
func (li *labelInference) metricLabels(name string) (labelSet, bool) {
	if name == "up" {
		return newLabelSet(targetLabels...), true
	}
	if ls, ok := contractMetrics[name]; ok {
		return newLabelSet(append(slices.Clone(ls), targetLabels...)...), true
	}
	if ls, ok := li.recorded[name]; ok {
		return ls, true
	}
	return nil, false
}

// labels returns the label names of expr's result (nil for scalars).
func (li *labelInference) labels(e promparser.Expr) labelSet {
	switch n := e.(type) {
	case *promparser.NumberLiteral, *promparser.StringLiteral:
		return nil
	case *promparser.ParenExpr:
		return li.labels(n.Expr)
	case *promparser.UnaryExpr:
		return li.labels(n.Expr)
	case *promparser.StepInvariantExpr:
		return li.labels(n.Expr)
	case *promparser.MatrixSelector:
		return li.labels(n.VectorSelector)
	case *promparser.VectorSelector:
		ls, ok := li.metricLabels(n.Name)
		if !ok {
			li.errorf("selector %s: not in the metrics contract nor recorded by a rule", n.String())
			return labelSet{}
		}
		for _, m := range n.LabelMatchers {
			if m.Name != "__name__" && !ls[m.Name] {
				li.errorf("selector %s: %s has no label %q", n.String(), n.Name, m.Name)
			}
		}
		return ls
	case *promparser.Call:
		var in labelSet
		for i, a := range n.Args {
			l := li.labels(a)
			if i == 0 {
				in = l
			}
		}
		switch n.Func.Name {
		case "absent", "vector", "scalar":
			return labelSet{}
		case "label_replace":
			out := labelSet{}
			for k := range in {
				out[k] = true
			}
			dst := n.Args[1].(*promparser.StringLiteral).Val
			src := n.Args[3].(*promparser.StringLiteral).Val
			if !in[src] && src != dst {
				li.errorf("label_replace reads %q, which its input %s lacks", src, in)
			}
			out[dst] = true
			return out
		}
		return in
	case *promparser.AggregateExpr:
		in := li.labels(n.Expr)
		if n.Param != nil {
			li.labels(n.Param)
		}
		if n.Without {
			out := labelSet{}
			for k := range in {
				out[k] = true
			}
			for _, g := range n.Grouping {
				delete(out, g)
			}
			return out
		}
		for _, g := range n.Grouping {
			if !in[g] {
				li.errorf("%s by (%s): the input %s has no label %q", n.Op, strings.Join(n.Grouping, ", "), in, g)
			}
		}
		return newLabelSet(n.Grouping...)
	case *promparser.BinaryExpr:
		lhs, rhs := li.labels(n.LHS), li.labels(n.RHS)
		if lhs == nil {
			return rhs
		}
		if rhs == nil {
			return lhs
		}
		vm := n.VectorMatching
		if vm != nil && vm.On {
			for _, l := range vm.MatchingLabels {
				if !lhs[l] || !rhs[l] {
					li.errorf("on (%s): label %q missing from %s or %s", strings.Join(vm.MatchingLabels, ", "), l, lhs, rhs)
				}
			}
		}
		out := labelSet{}
		for k := range lhs {
			out[k] = true
		}
		if n.Op == promparser.LOR {
			for k := range rhs {
				out[k] = true
			}
		}
		if vm != nil && vm.Card == promparser.CardManyToOne {
			for _, l := range vm.Include {
				if !rhs[l] {
					li.errorf("group_left (%s): the one side %s has no label %q", strings.Join(vm.Include, ", "), rhs, l)
				}
				out[l] = true
			}
		}
		return out
	default:
		li.errorf("unsupported expression %T (%s): extend the label inference", e, e.String())
		return labelSet{}
	}
}

var (
	templateMetricRE = regexp.MustCompile(`\b(secondme_[a-z0-9_]+|[a-z_]+:[a-z0-9_]+:[a-z0-9_]+)\b`)
	templateLabelRE  = regexp.MustCompile(`\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)`)
	templateActionRE = regexp.MustCompile(`\{\{.*?\}\}`)
)

// TestRulesReferenceOnlyContractMetrics walks every selector of every rule
// (in file order, so that recording rules feed later rules) and every
// metric named inside annotation templates.
func TestRulesReferenceOnlyContractMetrics(t *testing.T) {
	_, all := loadShippedRules(t)
	p := promqlParser()
	li := &labelInference{recorded: map[string]labelSet{}}
	alertLabels := map[string]labelSet{}
	// Recording rules first, in file order: alerts (in another file) and
	// later recording rules read what they produce.
	ordered := append(recordingRules(all), alertRules(all)...)
	for _, r := range ordered {
		expr, err := p.ParseExpr(r.Expr)
		if err != nil {
			t.Fatalf("%s%s: %v", r.Record, r.Alert, err)
		}
		before := len(li.errs)
		out := li.labels(expr)
		for i := before; i < len(li.errs); i++ {
			li.errs[i] = r.Record + r.Alert + ": " + li.errs[i]
		}
		if r.Record != "" {
			li.recorded[r.Record] = out
			continue
		}
		alertLabels[r.Alert] = out
		for _, a := range []string{"summary", "description"} {
			for _, m := range templateLabelRE.FindAllStringSubmatch(r.Annotations[a], -1) {
				if !out[m[1]] {
					t.Errorf("alert %s: %s uses $labels.%s, which the expression %s does not carry", r.Alert, a, m[1], out)
				}
			}
			// Metric names inside template actions: the `query` calls.
			for _, action := range templateActionRE.FindAllString(r.Annotations[a], -1) {
				for _, m := range templateMetricRE.FindAllString(action, -1) {
					if _, ok := li.metricLabels(m); !ok {
						t.Errorf("alert %s: %s queries %s, neither a contract metric nor a recording rule", r.Alert, a, m)
					}
				}
			}
		}
	}
	for _, e := range li.errs {
		t.Error(e)
	}
	// Sanity: the inference saw the labels routing depends on.
	for alert, ls := range alertLabels {
		if strings.HasPrefix(alert, "SecondMeExporter") && alert != "SecondMeExporterAbsent" && !ls["instance"] {
			t.Errorf("alert %s: exporter health alerts must keep instance (inhibition by target), got %s", alert, ls)
		}
	}
}

// TestContractAgainstMetricsPackage cross-checks the contract with the
// exporter's own definitions in metrics/: every contract metric is defined
// there with the same labels. The source is read with go/ast rather than
// imported, so that this package never fails to build because another
// package is mid-change.
func TestContractAgainstMetricsPackage(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "metrics", "*.go"))
	var srcs []string
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			srcs = append(srcs, f)
		}
	}
	if len(srcs) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("metrics/ has no Go source to cross-check the contract against")
		}
		t.Skip("metrics/ not there yet")
	}
	defined := map[string][]string{}
	fset := token.NewFileSet()
	for _, f := range srcs {
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(af, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			name, labels, ok := metricDefinition(call)
			if ok {
				defined[name] = labels
			}
			return true
		})
	}
	for name, want := range contractMetrics {
		if want == nil {
			// build_info comes from client_golang's version collector,
			// registered by the daemon, not declared in metrics/.
			continue
		}
		got, ok := defined[name]
		if !ok {
			t.Errorf("%s: in the contract, not defined in metrics/", name)
			continue
		}
		if !slices.Equal(sortedCopy(got), sortedCopy(want)) {
			t.Errorf("%s: metrics/ defines labels %v, the contract says %v", name, got, want)
		}
	}
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	sort.Strings(c)
	return c
}

// metricDefinition recognises the two ways client_golang metrics are
// declared: New*Vec(Opts{Name: "..."}, []string{labels...}) / New*(Opts{...})
// and NewDesc("name", help, []string{labels...}, constLabels).
func metricDefinition(call *ast.CallExpr) (string, []string, bool) {
	if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING && len(call.Args) >= 3 {
		name, err := strconv.Unquote(lit.Value)
		if err != nil || !strings.HasPrefix(name, "secondme_") {
			return "", nil, false
		}
		return name, stringSlice(call.Args[2]), true
	}
	opts, ok := call.Args[0].(*ast.CompositeLit)
	if !ok {
		return "", nil, false
	}
	for _, el := range opts.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		if k, ok := kv.Key.(*ast.Ident); !ok || k.Name != "Name" {
			continue
		}
		lit, ok := kv.Value.(*ast.BasicLit)
		if !ok {
			return "", nil, false
		}
		name, err := strconv.Unquote(lit.Value)
		if err != nil || !strings.HasPrefix(name, "secondme_") {
			return "", nil, false
		}
		var labels []string
		if len(call.Args) > 1 {
			labels = stringSlice(call.Args[1])
		}
		return name, labels, true
	}
	return "", nil, false
}

func stringSlice(e ast.Expr) []string {
	cl, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil
	}
	var out []string
	for _, el := range cl.Elts {
		if lit, ok := el.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil {
				out = append(out, s)
			}
		}
	}
	return out
}

// The checker above must be able to fail: typical mistakes are reported,
// correct expressions are not.
func TestLabelInferenceCatchesMistakes(t *testing.T) {
	recorded := map[string]labelSet{
		"job_source:secondme_api_errors:rate5m": newLabelSet("job", "source"),
	}
	for expr, wantErr := range map[string]bool{
		`sum by (job, source) (rate(secondme_api_errors_total[5m]))`:                                           false,
		`sum by (job, sorce) (rate(secondme_api_errors_total[5m]))`:                                            true,
		`secondme_api_errors_total{eror_code="internal.error"}`:                                                true,
		`secondme_api_error_total`:                                                                             true,
		`job_source:secondme_api_errors:rate5m{error_code="x"}`:                                                true,
		`secondme_exporter_lag_bytes and on (job, instance, source) secondme_exporter_lines_total`:             false,
		`secondme_exporter_lag_bytes and on (job, instance, reason) secondme_exporter_malformed_total`:         true,
		`secondme_api_errors_total * on (error_code) group_left (description) secondme_api_error_catalog_info`: false,
		`secondme_api_errors_total * on (error_code) group_left (descr) secondme_api_error_catalog_info`:       true,
		`label_replace(up, "team", "api", "team", "")`:                                                         false,
		`label_replace(up, "team", "api", "error_code", ".*")`:                                                 true,
	} {
		e, err := promqlParser().ParseExpr(expr)
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		li := &labelInference{recorded: recorded}
		li.labels(e)
		if got := len(li.errs) > 0; got != wantErr {
			t.Errorf("%s: errors %v, want errors: %v", expr, li.errs, wantErr)
		}
	}
}
