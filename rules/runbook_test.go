package rules

import (
	"bufio"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/secondme/secondme_error_exporter/internal/markdown"
)

// runbookSection is the text under one "## " heading of runbooks.md.
type runbookSection struct {
	heading, slug string
	body          []string
}

func readRunbooks(t *testing.T) []runbookSection {
	t.Helper()
	f, err := os.Open("runbooks.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var secs []runbookSection
	seen := map[string]int{}
	inCode := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "```") {
			inCode = !inCode
		}
		if !inCode && strings.HasPrefix(line, "#") {
			h := strings.TrimSpace(strings.TrimLeft(line, "#"))
			slug := markdown.Slug(h)
			if n := seen[slug]; n > 0 {
				slug += "-" + strconv.Itoa(n)
			}
			seen[markdown.Slug(h)]++
			secs = append(secs, runbookSection{heading: h, slug: slug})
			continue
		}
		if len(secs) > 0 {
			secs[len(secs)-1].body = append(secs[len(secs)-1].body, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return secs
}

// promqlBlocks returns the ```promql fenced blocks of a section.
func promqlBlocks(body []string) []string {
	var blocks []string
	var cur []string
	in := false
	for _, l := range body {
		switch {
		case !in && strings.TrimSpace(l) == "```promql":
			in, cur = true, nil
		case in && strings.TrimSpace(l) == "```":
			in = false
			blocks = append(blocks, strings.Join(cur, "\n"))
		case in:
			cur = append(cur, l)
		}
	}
	return blocks
}

// Every alert's runbook_url anchors a heading of runbooks.md that is named
// after the alert, and that section has the five parts a responder needs,
// with a query that parses and uses only metrics that exist.
func TestRunbooks(t *testing.T) {
	_, all := loadShippedRules(t)
	secs := readRunbooks(t)
	bySlug := map[string]runbookSection{}
	for _, s := range secs {
		bySlug[s.slug] = s
	}
	li := &labelInference{recorded: map[string]labelSet{}}
	p := promqlParser()
	for _, r := range recordingRules(all) {
		e, err := p.ParseExpr(r.Expr)
		if err != nil {
			t.Fatal(err)
		}
		li.recorded[r.Record] = li.labels(e)
	}
	done := map[string]bool{}
	for _, r := range alertRules(all) {
		url := r.Annotations["runbook_url"]
		if !strings.HasPrefix(url, runbookBase) {
			t.Errorf("%s: runbook_url %q is not under %s", r.Alert, url, runbookBase)
			continue
		}
		anchor := strings.TrimPrefix(url, runbookBase)
		sec, ok := bySlug[anchor]
		if !ok {
			t.Errorf("%s: runbook_url anchor #%s matches no heading of rules/runbooks.md", r.Alert, anchor)
			continue
		}
		if sec.heading != r.Alert {
			t.Errorf("%s: runbook_url lands on heading %q", r.Alert, sec.heading)
		}
		if done[r.Alert] {
			continue // warning and critical twins share a section
		}
		done[r.Alert] = true
		text := strings.Join(sec.body, "\n")
		for _, part := range []string{"**Meaning.**", "**Error codes.**", "**Check first.**", "**Query.**", "**Fix.**"} {
			if !strings.Contains(text, part) {
				t.Errorf("runbook %s: no %s part", r.Alert, part)
			}
		}
		blocks := promqlBlocks(sec.body)
		if len(blocks) == 0 {
			t.Errorf("runbook %s: no ```promql query", r.Alert)
		}
		for _, b := range blocks {
			e, err := p.ParseExpr(b)
			if err != nil {
				t.Errorf("runbook %s: query does not parse: %v\n%s", r.Alert, err, b)
				continue
			}
			before := len(li.errs)
			li.labels(e)
			for _, msg := range li.errs[before:] {
				t.Errorf("runbook %s: %s", r.Alert, msg)
			}
		}
	}
}

// catalogEntry is the part of catalog/catalog.yaml these tests read.
type catalogEntry struct {
	Code        string `yaml:"code"`
	Status      int    `yaml:"status"`
	Section     string `yaml:"section"`
	Description string `yaml:"description"`
	Action      string `yaml:"action"`
}

// loadCatalog reads the embedded catalog's source file (not the catalog
// package: this package must build while others change).
func loadCatalog(t *testing.T) []catalogEntry {
	t.Helper()
	b, err := os.ReadFile("../catalog/catalog.yaml")
	if err != nil {
		if os.IsNotExist(err) && os.Getenv("CI") != "true" {
			t.Skip("catalog/catalog.yaml not there yet")
		}
		t.Fatal(err)
	}
	var c struct {
		Codes []catalogEntry `yaml:"codes"`
	}
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatalf("catalog/catalog.yaml: %v", err)
	}
	if len(c.Codes) == 0 {
		t.Fatal("catalog/catalog.yaml: no codes")
	}
	return c.Codes
}

// owner is the team that owns an error code: the split the generic spike
// detector computes in PromQL and Alertmanager's module fallback mirrors.
func owner(code string) string {
	for _, p := range []string{"oauth2.", "apikey.", "resource.auth."} {
		if strings.HasPrefix(code, p) {
			return "login"
		}
	}
	return "api"
}

// The runbook's catalog table lists exactly the catalog's codes, with the
// catalog's status and the owner the routing uses.
func TestRunbookCatalogTable(t *testing.T) {
	cat := loadCatalog(t)
	var table []string
	for _, s := range readRunbooks(t) {
		if s.heading == "The catalog at a glance" {
			table = s.body
		}
	}
	if table == nil {
		t.Fatal("runbooks.md: no \"The catalog at a glance\" section")
	}
	row := regexp.MustCompile("^\\| `([^`]+)` \\| (\\d+) \\| (\\w+) \\|")
	rows := map[string][2]string{}
	for _, l := range table {
		if m := row.FindStringSubmatch(l); m != nil {
			rows[m[1]] = [2]string{m[2], m[3]}
		}
	}
	for _, e := range cat {
		got, ok := rows[e.Code]
		if !ok {
			t.Errorf("runbooks.md catalog table: %s missing", e.Code)
			continue
		}
		if got[0] != strconv.Itoa(e.Status) {
			t.Errorf("runbooks.md catalog table: %s HTTP %s, catalog says %d", e.Code, got[0], e.Status)
		}
		if got[1] != owner(e.Code) {
			t.Errorf("runbooks.md catalog table: %s owner %s, routing says %s", e.Code, got[1], owner(e.Code))
		}
		delete(rows, e.Code)
	}
	for code := range rows {
		t.Errorf("runbooks.md catalog table: %s is not in the catalog", code)
	}
}

// The catalog_info series the unit tests feed in carry the catalog's real
// text, so that the descriptions asserted there are what users will read.
func TestUnitTestCatalogInfoMatchesCatalog(t *testing.T) {
	cat := map[string]catalogEntry{}
	for _, e := range loadCatalog(t) {
		cat[e.Code] = e
	}
	p := promqlParser()
	n := 0
	for _, file := range unitTestFiles(t) {
		utf, err := loadUnitTestFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, tg := range utf.Tests {
			for _, s := range tg.InputSeries {
				ls, err := p.ParseMetric(s.Series)
				if err != nil {
					t.Fatalf("%s: %v", file, err)
				}
				if ls.Get("__name__") != "secondme_api_error_catalog_info" {
					continue
				}
				n++
				e, ok := cat[ls.Get("error_code")]
				switch {
				case !ok:
					t.Errorf("%s: catalog_info for %s, not in the catalog", file, ls.Get("error_code"))
				case ls.Get("description") != e.Description || ls.Get("action") != e.Action ||
					ls.Get("expected_code") != strconv.Itoa(e.Status) || ls.Get("section") != e.Section:
					t.Errorf("%s: catalog_info %s differs from catalog/catalog.yaml %+v", file, ls, e)
				}
			}
		}
	}
	if n == 0 {
		t.Error("no unit test feeds secondme_api_error_catalog_info: the catalog join is untested")
	}
}
