package grafana

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
	"gopkg.in/yaml.v3"

	"github.com/secondme/secondme_error_exporter/catalog"
)

// dashboardsDir and rulesDir are relative to this package's directory,
// which is where `go test` runs.
const (
	dashboardsDir = "dashboards"
	rulesDir      = "../rules"
)

// targetLabels are attached by Prometheus to every scraped series.
var targetLabels = []string{"job", "instance"}

// exporterMetrics is the metrics contract of docs/architecture.md (plus the
// two the metrics package adds beyond it): metric → labels as exposed. The
// table is the contract, deliberately written out rather than read from the
// metrics package: a dashboard must break loudly when the contract changes.
var exporterMetrics = map[string][]string{
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
	"secondme_exporter_read_errors_total":                            {"source"},
	"secondme_exporter_files_watched":                                {"source"},
	"secondme_exporter_lag_bytes":                                    {"source"},
	"secondme_exporter_last_record_timestamp_seconds":                {"source"},
	"secondme_exporter_config_last_reload_successful":                {},
	"secondme_exporter_config_last_reload_success_timestamp_seconds": {},
	// prometheus/common/version's collector.
	"secondme_exporter_build_info": {"version", "revision", "branch", "goversion", "goos", "goarch", "tags"},
}

// standardMetrics are the series of Prometheus itself and of client_golang's
// Go and process collectors that the dashboards use on purpose. Only these:
// a typo in go_memstats_* must fail like any other unknown metric.
var standardMetrics = map[string][]string{
	"up":                            {},
	"scrape_duration_seconds":       {},
	"process_cpu_seconds_total":     {},
	"process_resident_memory_bytes": {},
	"go_memstats_heap_inuse_bytes":  {},
	"go_goroutines":                 {},
}

// architectureRules is the recording rule table of docs/architecture.md,
// the fallback while rules/*.rules.yml does not exist yet.
var architectureRules = map[string][]string{
	"job_source:secondme_api_errors:rate5m":              {"job", "source"},
	"job_source_status_class:secondme_api_errors:rate5m": {"job", "source", "status_class"},
	"job_source_module:secondme_api_errors:rate5m":       {"job", "source", "module"},
	"job_source_error_code:secondme_api_errors:rate5m":   {"job", "source", "module", "resource", "reason", "error_code", "status_class"},
	"job_source:secondme_api_responses:rate5m":           {"job", "source"},
	"job_source:secondme_api_errors:ratio_rate5m":        {"job", "source"},
	"job_source_error_code:secondme_api_errors:rate1h":   {"job", "source", "module", "resource", "reason", "error_code", "status_class"},
}

// labelSet is the set of label names a vector's series can carry.
type labelSet map[string]bool

func setOf(names ...string) labelSet {
	s := labelSet{}
	for _, n := range names {
		s[n] = true
	}
	return s
}

func (s labelSet) clone() labelSet {
	c := labelSet{}
	for n := range s {
		c[n] = true
	}
	return c
}

func (s labelSet) sorted() []string {
	out := make([]string, 0, len(s))
	for n := range s {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// schema maps metric names to their label sets and infers, for any PromQL
// expression, the labels of its result — collecting every reference to a
// metric or label that cannot exist.
type schema struct {
	metrics map[string]labelSet
}

func newSchema() *schema {
	s := &schema{metrics: map[string]labelSet{}}
	for name, ls := range exporterMetrics {
		s.metrics[name] = setOf(append(slices.Clone(ls), targetLabels...)...)
	}
	for name, ls := range standardMetrics {
		s.metrics[name] = setOf(append(slices.Clone(ls), targetLabels...)...)
	}
	return s
}

// infer returns the labels of e's result and the contract violations in e.
func (s *schema) infer(e parser.Expr) (labelSet, []string) {
	var errs []string
	ls := s.walk(e, &errs)
	return ls, errs
}

func (s *schema) walk(e parser.Expr, errs *[]string) labelSet {
	errf := func(format string, args ...any) { *errs = append(*errs, fmt.Sprintf(format, args...)) }
	switch e := e.(type) {
	case *parser.ParenExpr:
		return s.walk(e.Expr, errs)
	case *parser.StepInvariantExpr:
		return s.walk(e.Expr, errs)
	case *parser.UnaryExpr:
		return s.walk(e.Expr, errs)
	case *parser.NumberLiteral, *parser.StringLiteral:
		return labelSet{}
	case *parser.MatrixSelector:
		return s.walk(e.VectorSelector, errs)
	case *parser.SubqueryExpr:
		return s.walk(e.Expr, errs)
	case *parser.VectorSelector:
		name := e.Name
		for _, m := range e.LabelMatchers {
			if m.Name == model.MetricNameLabel && m.Type == labels.MatchEqual {
				name = m.Value
			}
		}
		known, ok := s.metrics[name]
		if !ok {
			errf("unknown metric %q (not in the metrics contract, the recording rules or the standard metrics)", name)
			return labelSet{}
		}
		for _, m := range e.LabelMatchers {
			if m.Name != model.MetricNameLabel && !known[m.Name] {
				errf("%s has no label %q (labels: %s)", name, m.Name, strings.Join(known.sorted(), ", "))
			}
		}
		return known.clone()
	case *parser.Call:
		var args []labelSet
		for _, a := range e.Args {
			args = append(args, s.walk(a, errs))
		}
		switch e.Func.Name {
		case "label_replace", "label_join":
			// The source labels may legitimately be absent (label_replace
			// with an empty regex sets a default), so only the destination
			// is added.
			out := args[0].clone()
			if dst, ok := e.Args[1].(*parser.StringLiteral); ok {
				out[dst.Val] = true
			}
			return out
		case "absent", "absent_over_time":
			out := labelSet{}
			parser.Inspect(e.Args[0], func(n parser.Node, _ []parser.Node) error {
				if vs, ok := n.(*parser.VectorSelector); ok {
					for _, m := range vs.LabelMatchers {
						if m.Type == labels.MatchEqual && m.Name != model.MetricNameLabel {
							out[m.Name] = true
						}
					}
				}
				return nil
			})
			return out
		case "histogram_quantile":
			out := args[len(args)-1].clone()
			delete(out, "le")
			return out
		}
		for i, a := range e.Args {
			if t := a.Type(); t == parser.ValueTypeVector || t == parser.ValueTypeMatrix {
				return args[i]
			}
		}
		return labelSet{}
	case *parser.AggregateExpr:
		in := s.walk(e.Expr, errs)
		if e.Param != nil {
			s.walk(e.Param, errs)
		}
		for _, g := range e.Grouping {
			if !in[g] {
				errf("%s %s (%s): its input has no label %q (labels: %s)", e.Op, map[bool]string{true: "without", false: "by"}[e.Without], strings.Join(e.Grouping, ", "), g, strings.Join(in.sorted(), ", "))
			}
		}
		switch {
		case e.Op == parser.TOPK || e.Op == parser.BOTTOMK || e.Op == parser.LIMITK || e.Op == parser.LIMIT_RATIO:
			return in
		case e.Without:
			out := in.clone()
			for _, g := range e.Grouping {
				delete(out, g)
			}
			return out
		case e.Op == parser.COUNT_VALUES:
			out := setOf(e.Grouping...)
			if p, ok := e.Param.(*parser.StringLiteral); ok {
				out[p.Val] = true
			}
			return out
		default:
			return setOf(e.Grouping...)
		}
	case *parser.BinaryExpr:
		l := s.walk(e.LHS, errs)
		r := s.walk(e.RHS, errs)
		lScalar := e.LHS.Type() == parser.ValueTypeScalar
		rScalar := e.RHS.Type() == parser.ValueTypeScalar
		switch {
		case lScalar && rScalar:
			return labelSet{}
		case lScalar:
			return r
		case rScalar:
			return l
		}
		vm := e.VectorMatching
		if vm == nil {
			return l
		}
		if vm.On {
			for _, n := range vm.MatchingLabels {
				if !l[n] {
					errf("%s on (%s): left-hand side has no label %q (labels: %s)", e.Op, strings.Join(vm.MatchingLabels, ", "), n, strings.Join(l.sorted(), ", "))
				}
				if !r[n] {
					errf("%s on (%s): right-hand side has no label %q (labels: %s)", e.Op, strings.Join(vm.MatchingLabels, ", "), n, strings.Join(r.sorted(), ", "))
				}
			}
		} else {
			for _, n := range vm.MatchingLabels {
				if !l[n] && !r[n] {
					errf("%s ignoring (%s): neither side has label %q", e.Op, strings.Join(vm.MatchingLabels, ", "), n)
				}
			}
		}
		if e.Op.IsSetOperator() {
			if e.Op == parser.LOR {
				out := l.clone()
				for n := range r {
					out[n] = true
				}
				return out
			}
			return l
		}
		// group_right evaluates with the sides swapped.
		many, one := l, r
		if vm.Card == parser.CardOneToMany {
			many, one = r, l
		}
		for _, n := range vm.Include {
			if !one[n] {
				errf("%s group_x (%s): the \"one\" side has no label %q (labels: %s)", e.Op, strings.Join(vm.Include, ", "), n, strings.Join(one.sorted(), ", "))
			}
		}
		out := many.clone()
		if vm.Card == parser.CardOneToOne {
			if vm.On {
				out = labelSet{}
				for _, n := range vm.MatchingLabels {
					if many[n] {
						out[n] = true
					}
				}
			} else {
				for _, n := range vm.MatchingLabels {
					delete(out, n)
				}
			}
		}
		for _, n := range vm.Include {
			out[n] = true
		}
		return out
	default:
		errf("unsupported PromQL node %T", e)
		return labelSet{}
	}
}

// ruleFile is the part of a Prometheus rule file the tests read.
type ruleFile struct {
	Groups []struct {
		Name  string `yaml:"name"`
		Rules []struct {
			Record string            `yaml:"record"`
			Alert  string            `yaml:"alert"`
			Expr   string            `yaml:"expr"`
			Labels map[string]string `yaml:"labels"`
		} `yaml:"rules"`
	} `yaml:"groups"`
}

type rule struct {
	file, record, alert, expr string
	labels                    map[string]string
}

// loadRules reads rules/*.rules.yml; none is not an error (see callers).
func loadRules(t *testing.T) []rule {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(rulesDir, "*.rules.yml"))
	if err != nil {
		t.Fatalf("list rule files: %v", err)
	}
	var out []rule
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatalf("read rule file: %v", err)
		}
		var rf ruleFile
		if err := yaml.Unmarshal(b, &rf); err != nil {
			t.Fatalf("decode %s: %v", f, err)
		}
		for _, g := range rf.Groups {
			for _, r := range g.Rules {
				out = append(out, rule{file: filepath.Base(f), record: r.Record, alert: r.Alert, expr: r.Expr, labels: r.Labels})
			}
		}
	}
	return out
}

func parse(t *testing.T, expr string) parser.Expr {
	t.Helper()
	e, err := parser.NewParser(parser.Options{}).ParseExpr(expr)
	if err != nil {
		t.Fatalf("parse %q: %v", expr, err)
	}
	return e
}

// withRules adds the recording rules' outputs and ALERTS to the schema:
// from rules/*.rules.yml when they exist (every rule's labels inferred from
// its expression), else from docs/architecture.md. It returns the names of
// the recording rules defined in files (nil when there are none).
func (s *schema) withRules(t *testing.T) (defined map[string]bool) {
	t.Helper()
	rules := loadRules(t)
	if len(rules) == 0 {
		t.Logf("no %s/*.rules.yml: using the recording rule table of docs/architecture.md", rulesDir)
		for name, ls := range architectureRules {
			s.metrics[name] = setOf(ls...)
		}
		s.metrics["ALERTS"] = setOf("alertname", "alertstate", "severity", "job", "source", "instance")
		return nil
	}
	defined = map[string]bool{}
	// Records may use records defined later in the files: resolve in
	// passes until every record whose inputs are known is known.
	pending := slices.Clone(rules)
	for progress := true; progress; {
		progress = false
		var next []rule
		for _, r := range pending {
			if r.record == "" {
				continue
			}
			ls, errs := s.infer(parse(t, r.expr))
			if len(errs) > 0 {
				next = append(next, r)
				continue
			}
			s.metrics[r.record] = ls
			defined[r.record] = true
			progress = true
		}
		pending = next
	}
	for _, r := range pending {
		_, errs := s.infer(parse(t, r.expr))
		t.Errorf("%s: recording rule %s: %s", r.file, r.record, strings.Join(errs, "; "))
	}
	alerts := setOf("alertname", "alertstate")
	for _, r := range rules {
		if r.alert == "" {
			continue
		}
		ls, errs := s.infer(parse(t, r.expr))
		for _, e := range errs {
			t.Errorf("%s: alert %s: %s", r.file, r.alert, e)
		}
		for n := range ls {
			alerts[n] = true
		}
		for n := range r.labels {
			alerts[n] = true
		}
	}
	s.metrics["ALERTS"] = alerts
	return defined
}

// TestQueriesFollowContract is the heart of the dashboard tests: every
// query of every committed dashboard parses, selects only contract metrics,
// recording rule outputs and the standard metrics, and uses only labels
// those carry — in matchers, by/without, on/ignoring and group_left.
func TestQueriesFollowContract(t *testing.T) {
	s := newSchema()
	defined := s.withRules(t)
	queries, err := PanelQueries(dashboardsDir)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[Kind]int{}
	for _, q := range queries {
		kinds[q.Kind]++
		e := parse(t, q.Expr)
		result, errs := s.infer(e)
		for _, msg := range errs {
			t.Errorf("%s: %s\n\tquery: %s", q, msg, q.Expr)
		}
		for _, m := range q.Metrics {
			if defined != nil && strings.Count(m, ":") == 2 && !defined[m] {
				t.Errorf("%s: recording rule %s is not defined in %s/*.rules.yml", q, m, rulesDir)
			}
		}
		for _, name := range templateLabels(q.Legend) {
			if !result[name] {
				t.Errorf("%s: legend %q uses {{%s}}, which the query's result does not carry (labels: %s)", q, q.Legend, name, strings.Join(result.sorted(), ", "))
			}
		}
	}
	for _, k := range []Kind{KindPanel, KindVariable, KindAnnotation} {
		if kinds[k] == 0 {
			t.Errorf("no %s queries found: the enumeration is broken", k)
		}
	}
	t.Logf("%d queries: %v", len(queries), kinds)
}

var templateLabelRE = regexp.MustCompile(`\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}`)

// templateLabels returns the label names of a legend template ({{source}}).
func templateLabels(format string) []string {
	var out []string
	for _, m := range templateLabelRE.FindAllStringSubmatch(format, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestLabelValuesExist checks the constant label values the dashboards
// match on: error codes must be in the catalog and status classes must be
// ones the exporter produces, or a panel silently shows nothing forever.
func TestLabelValuesExist(t *testing.T) {
	cat := catalog.Default()
	classes := setOf("1xx", "2xx", "3xx", "4xx", "5xx", "unknown")
	queries, err := PanelQueries(dashboardsDir)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, q := range queries {
		parser.Inspect(parse(t, q.Expr), func(n parser.Node, _ []parser.Node) error {
			vs, ok := n.(*parser.VectorSelector)
			if !ok {
				return nil
			}
			for _, m := range vs.LabelMatchers {
				if m.Type != labels.MatchEqual {
					continue
				}
				switch m.Name {
				case "error_code":
					checked++
					if _, ok := cat.Lookup(m.Value); !ok {
						t.Errorf("%s: error_code %q is not in the catalog", q, m.Value)
					}
				case "status_class":
					checked++
					if !classes[m.Value] {
						t.Errorf("%s: status_class %q is never exported", q, m.Value)
					}
				}
			}
			return nil
		})
	}
	if checked == 0 {
		t.Fatal("no error_code or status_class matcher found: the dashboards lost their revoked-token and 5xx panels?")
	}
}

// TestSchemaCatchesMistakes proves the contract check can fail: each query
// below breaks the contract in one way that the test must report.
func TestSchemaCatchesMistakes(t *testing.T) {
	s := newSchema()
	for name, ls := range architectureRules {
		s.metrics[name] = setOf(ls...)
	}
	tests := map[string]struct {
		expr string
		want string
	}{
		"unknown metric":          {`rate(secondme_api_error_total[5m])`, `unknown metric "secondme_api_error_total"`},
		"unknown label matcher":   {`secondme_exporter_lines_total{module="x"}`, `has no label "module"`},
		"by on a dropped label":   {`sum by (module) (job_source:secondme_api_errors:rate5m)`, `input has no label "module"`},
		"by after aggregation":    {`sum by (error_code) (sum by (source) (secondme_api_errors_total))`, `input has no label "error_code"`},
		"on label missing right":  {`secondme_api_errors_total / on (reason) secondme_api_responses_total`, `right-hand side has no label "reason"`},
		"group_left from nowhere": {`secondme_api_errors_total * on (error_code) group_left (team) secondme_api_error_catalog_info`, `"one" side has no label "team"`},
		"on drops labels":         {`sum by (status_class) (secondme_api_errors_total / on (source) secondme_api_responses_total)`, `input has no label "status_class"`},
		"standard metric typo":    {`go_memstats_heap_inuse`, `unknown metric "go_memstats_heap_inuse"`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, errs := s.infer(parse(t, tc.expr))
			if !slices.ContainsFunc(errs, func(e string) bool { return strings.Contains(e, tc.want) }) {
				t.Errorf("errors %q do not contain %q", errs, tc.want)
			}
		})
	}
	// And a correct query yields exactly the labels Prometheus returns.
	ls, errs := s.infer(parse(t, `topk(5, sum by (error_code, module) (job_source_error_code:secondme_api_errors:rate5m) > 0)`+
		` * on (error_code) group_left (description, action) max by (error_code, description, action) (secondme_api_error_catalog_info)`))
	if len(errs) > 0 {
		t.Fatalf("valid query reported: %v", errs)
	}
	if got, want := strings.Join(ls.sorted(), ","), "action,description,error_code,module"; got != want {
		t.Errorf("labels = %s, want %s", got, want)
	}
}
