package rules

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/prometheus/common/model"
	"gopkg.in/yaml.v3"
)

// The `promtool test rules` file format, decoded strictly: a field that
// promtool 2.42 would reject must fail here too, and a field this runner
// does not implement must not be silently ignored.
type unitTestFile struct {
	RuleFiles          []string       `yaml:"rule_files"`
	EvaluationInterval model.Duration `yaml:"evaluation_interval"`
	GroupEvalOrder     []string       `yaml:"group_eval_order"`
	Tests              []testGroup    `yaml:"tests"`
}

type testGroup struct {
	Name            string            `yaml:"name"`
	Interval        model.Duration    `yaml:"interval"`
	InputSeries     []inputSeries     `yaml:"input_series"`
	AlertRuleTests  []alertTestCase   `yaml:"alert_rule_test"`
	PromqlExprTests []promqlTestCase  `yaml:"promql_expr_test"`
	ExternalLabels  map[string]string `yaml:"external_labels"`
	ExternalURL     string            `yaml:"external_url"`
}

type inputSeries struct {
	Series string `yaml:"series"`
	Values string `yaml:"values"`
}

type alertTestCase struct {
	EvalTime  model.Duration  `yaml:"eval_time"`
	Alertname string          `yaml:"alertname"`
	ExpAlerts []expectedAlert `yaml:"exp_alerts"`
}

type expectedAlert struct {
	ExpLabels      map[string]string `yaml:"exp_labels"`
	ExpAnnotations map[string]string `yaml:"exp_annotations"`
}

type promqlTestCase struct {
	Expr       string           `yaml:"expr"`
	EvalTime   model.Duration   `yaml:"eval_time"`
	ExpSamples []expectedSample `yaml:"exp_samples"`
}

type expectedSample struct {
	Labels string  `yaml:"labels"`
	Value  float64 `yaml:"value"`
}

// loadUnitTestFile reads one test file and resolves its rule_files relative
// to the file, as promtool does.
func loadUnitTestFile(path string) (*unitTestFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var f unitTestFile
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	if len(f.RuleFiles) == 0 {
		return nil, fmt.Errorf("%s: no rule_files", path)
	}
	for i, rf := range f.RuleFiles {
		if !filepath.IsAbs(rf) {
			f.RuleFiles[i] = filepath.Join(filepath.Dir(path), rf)
		}
		if _, err := os.Stat(f.RuleFiles[i]); err != nil {
			return nil, fmt.Errorf("%s: rule file: %w", path, err)
		}
	}
	if f.EvaluationInterval == 0 {
		f.EvaluationInterval = model.Duration(time.Minute)
	}
	for i := range f.Tests {
		if f.Tests[i].Interval == 0 {
			f.Tests[i].Interval = f.EvaluationInterval
		}
	}
	return &f, nil
}

// unitTestFiles lists rules/tests/*.yaml; the test fails if there are none,
// so that a moved directory cannot turn every runner into a no-op.
func unitTestFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("tests", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no rules/tests/*.yaml unit test files")
	}
	sort.Strings(files)
	return files
}

// ruleFiles lists the shipped rule files, rules/*.rules.yml.
func ruleFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.rules.yml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no rules/*.rules.yml rule files")
	}
	sort.Strings(files)
	return files
}
