package grafana

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
)

// Kind says where in a dashboard a query sits.
type Kind string

// The three places Grafana sends PromQL from.
const (
	KindPanel      Kind = "panel"      // a panel target
	KindVariable   Kind = "variable"   // a template variable's label_values() query
	KindAnnotation Kind = "annotation" // an annotation query
)

// Query is one PromQL query of a committed dashboard, ready to run.
type Query struct {
	File           string // dashboard file, base name ("secondme-api-errors-overview.json")
	Dashboard      string // dashboard uid
	DashboardTitle string
	Kind           Kind
	PanelID        int    // panel id; 0 for variables and annotations
	Panel          string // panel title, variable name or annotation name
	RefID          string // the target's refId (panels only)
	// Raw is the query as committed, template variables unsubstituted.
	Raw string
	// Expr is the PromQL to run: template variables substituted, and a
	// variable's label_values(selector, label) rewritten as
	// `group by (label) (selector)`, which returns one series per value the
	// variable would offer.
	Expr string
	// Legend holds the label templates the result must fill: a target's
	// legendFormat, or an annotation's titleFormat, textFormat and tag keys
	// (as {{key}}).
	Legend string
	// Instant is true when the panel asks for an instant query (tables).
	// Everything else is a range query; both must return data.
	Instant bool
	// Metrics are the metric names the query selects, sorted.
	Metrics []string
	// MayBeEmpty marks a query whose empty result is correct in a healthy
	// system: only queries over ALERTS, which has series only while an
	// alert is pending or firing.
	MayBeEmpty bool
}

// String names the query for test failures.
func (q Query) String() string {
	var where string
	if q.Kind == KindPanel {
		where = fmt.Sprintf("panel %d %q refId %s", q.PanelID, q.Panel, q.RefID)
	} else {
		where = fmt.Sprintf("%s %q", q.Kind, q.Panel)
	}
	return fmt.Sprintf("%s: %s", q.File, where)
}

// TestValues returns the values PanelQueries substitutes for the Grafana
// template variables, documented in the README:
//
//   - $__rate_interval, $__interval → 1m: four samples at a 15s scrape
//     interval, so rate() has data one minute after the exporter starts.
//   - $__range → 1h.
//   - $job, $source, $module, $error_code → .* : every dashboard matches
//     them with =~, so .* selects every series, as "All" does in Grafana.
//
// $datasource only appears in data source references, never in PromQL.
// Callers may copy the map and pin a variable to a concrete value.
func TestValues() map[string]string {
	return map[string]string{
		"__rate_interval": "1m",
		"__interval":      "1m",
		"__range":         "1h",
		"job":             ".*",
		"source":          ".*",
		"module":          ".*",
		"error_code":      ".*",
	}
}

// PanelQueries reads every dashboard JSON file in dir and returns all its
// PromQL queries with TestValues() substituted, in file order, then panel,
// variable and annotation order.
func PanelQueries(dir string) ([]Query, error) {
	return PanelQueriesWith(dir, TestValues())
}

// PanelQueriesWith is PanelQueries with caller-chosen variable values. A
// query that uses a variable missing from values, or that does not parse
// as PromQL after substitution, is an error.
func PanelQueriesWith(dir string, values map[string]string) ([]Query, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("list dashboards: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no dashboard JSON files in %s", dir)
	}
	sort.Strings(files)
	var out []Query
	var errs []error
	for _, f := range files {
		qs, err := fileQueries(f, values)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, qs...)
	}
	return out, errors.Join(errs...)
}

// The subset of the dashboard JSON model that holds queries.
type jsonDashboard struct {
	UID         string      `json:"uid"`
	Title       string      `json:"title"`
	Panels      []jsonPanel `json:"panels"`
	Annotations struct {
		List []struct {
			Name        string          `json:"name"`
			Enable      bool            `json:"enable"`
			Datasource  json.RawMessage `json:"datasource"`
			Expr        string          `json:"expr"`
			TitleFormat string          `json:"titleFormat"`
			TextFormat  string          `json:"textFormat"`
			TagKeys     string          `json:"tagKeys"`
			Target      *struct {
				Expr string `json:"expr"`
			} `json:"target"`
			BuiltIn float64 `json:"builtIn"`
		} `json:"list"`
	} `json:"annotations"`
	Templating struct {
		List []struct {
			Type  string          `json:"type"`
			Name  string          `json:"name"`
			Query json.RawMessage `json:"query"`
		} `json:"list"`
	} `json:"templating"`
}

type jsonPanel struct {
	ID      int         `json:"id"`
	Type    string      `json:"type"`
	Title   string      `json:"title"`
	Panels  []jsonPanel `json:"panels"` // collapsed rows nest their panels
	Targets []struct {
		RefID   string `json:"refId"`
		Expr    string `json:"expr"`
		Legend  string `json:"legendFormat"`
		Instant bool   `json:"instant"`
		Range   *bool  `json:"range"`
		Hide    bool   `json:"hide"`
	} `json:"targets"`
}

func fileQueries(path string, values map[string]string) ([]Query, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read dashboard: %w", err)
	}
	var d jsonDashboard
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	file := filepath.Base(path)
	var out []Query
	var errs []error
	add := func(q Query) {
		q.File, q.Dashboard, q.DashboardTitle = file, d.UID, d.Title
		if err := q.complete(values); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", q, err))
			return
		}
		out = append(out, q)
	}

	var walk func(ps []jsonPanel)
	walk = func(ps []jsonPanel) {
		for _, p := range ps {
			for _, t := range p.Targets {
				if t.Hide {
					continue
				}
				add(Query{Kind: KindPanel, PanelID: p.ID, Panel: p.Title, RefID: t.RefID, Raw: t.Expr, Legend: t.Legend,
					Instant: t.Instant && (t.Range == nil || !*t.Range)})
			}
			walk(p.Panels)
		}
	}
	walk(d.Panels)

	for _, v := range d.Templating.List {
		if v.Type != "query" {
			continue
		}
		raw, err := variableQuery(v.Query)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: variable %q: %w", file, v.Name, err))
			continue
		}
		add(Query{Kind: KindVariable, Panel: v.Name, Raw: raw, Instant: true})
	}

	for _, a := range d.Annotations.List {
		if a.BuiltIn == 1 {
			continue // Grafana's own annotation store, not PromQL
		}
		expr := a.Expr
		if expr == "" && a.Target != nil {
			expr = a.Target.Expr
		}
		legend := strings.TrimSpace(a.TitleFormat + "\n" + a.TextFormat)
		for _, k := range strings.Split(a.TagKeys, ",") {
			if k = strings.TrimSpace(k); k != "" {
				legend += "\n{{" + k + "}}"
			}
		}
		add(Query{Kind: KindAnnotation, Panel: a.Name, Raw: expr, Legend: legend})
	}
	return out, errors.Join(errs...)
}

// variableQuery reads a query variable's query, a string in the classic
// model and {"query": "..."} in the Prometheus variable editor's model.
func variableQuery(raw json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var m struct {
		Query string `json:"query"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return "", fmt.Errorf("query is neither a string nor an object with a query: %w", err)
	}
	return m.Query, nil
}

var labelValuesRE = regexp.MustCompile(`^\s*label_values\(\s*(.+?)\s*,\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*$`)

// complete substitutes the variables, rewrites label_values() and parses.
func (q *Query) complete(values map[string]string) error {
	if strings.TrimSpace(q.Raw) == "" {
		return errors.New("empty query")
	}
	expr, err := Substitute(q.Raw, values)
	if err != nil {
		return err
	}
	if q.Kind == KindVariable {
		m := labelValuesRE.FindStringSubmatch(expr)
		if m == nil {
			return fmt.Errorf("variable query %q is not label_values(selector, label)", q.Raw)
		}
		expr = fmt.Sprintf("group by (%s) (%s)", m[2], m[1])
	}
	e, err := parser.NewParser(parser.Options{}).ParseExpr(expr)
	if err != nil {
		return fmt.Errorf("parse %q: %w", expr, err)
	}
	q.Expr = expr
	q.Metrics = MetricNames(e)
	q.MayBeEmpty = slices.Contains(q.Metrics, "ALERTS")
	return nil
}

// MetricNames returns the sorted metric names a PromQL expression selects.
func MetricNames(e parser.Expr) []string {
	seen := map[string]bool{}
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		vs, ok := n.(*parser.VectorSelector)
		if !ok {
			return nil
		}
		name := vs.Name
		for _, m := range vs.LabelMatchers {
			if m.Name == model.MetricNameLabel && m.Type == labels.MatchEqual {
				name = m.Value
			}
		}
		if name != "" {
			seen[name] = true
		}
		return nil
	})
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Grafana's variable syntaxes: ${name}, ${name:format}, [[name]],
// [[name:format]] and $name. A name starts with a letter or underscore, so
// label_replace's "$1" is left alone.
var variableRE = regexp.MustCompile(`\$\{([A-Za-z_]\w*)(?::[^}]*)?\}|\[\[([A-Za-z_]\w*)(?::[^\]]*)?\]\]|\$([A-Za-z_]\w*)`)

// Substitute replaces every Grafana template variable in s by its value in
// values. A variable without a value is an error: a query the tests cannot
// resolve is a query they would silently skip.
func Substitute(s string, values map[string]string) (string, error) {
	var missing []string
	out := variableRE.ReplaceAllStringFunc(s, func(v string) string {
		m := variableRE.FindStringSubmatch(v)
		name := m[1] + m[2] + m[3]
		val, ok := values[name]
		if !ok {
			missing = append(missing, name)
			return v
		}
		return val
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("no test value for template variable(s) %s in %q", strings.Join(missing, ", "), s)
	}
	return out, nil
}
