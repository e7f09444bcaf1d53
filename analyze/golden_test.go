package analyze

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/secondme/secondme_error_exporter/analyze/internal/corpusgen"
	"github.com/secondme/secondme_error_exporter/analyze/report"
)

var update = flag.Bool("update", false, "rewrite analyze/testdata/incident.log and the golden reports")

const incidentLog = "testdata/incident.log"

// The committed incident log is generated; this keeps it in step with its
// generator (go test ./analyze -run TestIncidentLog -update rewrites it).
func TestIncidentLogUpToDate(t *testing.T) {
	var buf bytes.Buffer
	if _, err := corpusgen.Incident(&buf, corpusgen.FullIncident); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(incidentLog, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(incidentLog)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, buf.Bytes()) {
		t.Fatalf("%s differs from corpusgen.Incident's output; rerun with -update", incidentLog)
	}
}

// goldenConfig is the run behind the goldens: the incident log with the
// fixture rules and Alertmanager configuration of testdata/.
func goldenConfig(format string) Config {
	c := DefaultConfig()
	c.Inputs = []string{incidentLog}
	c.Format = format
	c.RuleFiles = []string{"testdata/rules.yml"}
	c.AlertmanagerConfig = "testdata/alertmanager.yml"
	return c
}

func render(t *testing.T, c Config) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := Run(context.Background(), c, &out); err != nil {
		t.Fatalf("Run(%s): %v", c.Format, err)
	}
	return out.Bytes()
}

func TestGoldenReports(t *testing.T) {
	for format, file := range map[string]string{
		"text":     "incident.txt",
		"json":     "incident.json",
		"markdown": "incident.md",
	} {
		t.Run(format, func(t *testing.T) {
			got := render(t, goldenConfig(format))
			path := filepath.Join("testdata", "golden", file)
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s report differs from %s (rerun with -update and review the diff):\n%s",
					format, path, firstDiff(string(want), string(got)))
			}
		})
	}
}

// firstDiff shows the first differing line.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n want: " + w + "\n  got: " + g
		}
	}
	return "(no line differs)"
}

// The HTML report parses, needs nothing from outside (no script, no remote
// resource) and holds exactly one SVG chart in every section.
func TestHTMLReport(t *testing.T) {
	out := render(t, goldenConfig("html"))
	doc, err := html.Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("parse HTML: %v", err)
	}
	var sections []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "link", "iframe", "img":
				t.Errorf("self-contained report has a <%s>", n.Data)
			case "section":
				id := attr(n, "id")
				sections = append(sections, id)
				if c := count(n, "svg"); c != 1 {
					t.Errorf("section %q has %d svg charts, want 1", id, c)
				}
			}
			for _, a := range n.Attr {
				if (a.Key == "src" || a.Key == "href") && strings.Contains(a.Val, "//") {
					t.Errorf("remote resource %s=%q", a.Key, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	want := []string{"overview", "modules", "resources", "status-classes", "top-codes", "unknown-codes",
		"mismatches", "timeline", "backtest", "notifications"}
	if strings.Join(sections, " ") != strings.Join(want, " ") {
		t.Errorf("sections = %v, want %v", sections, want)
	}
	// The spike is drawn: red timeline columns for the five spike minutes.
	if n := strings.Count(string(out), `fill="#d62728"><title>10:0`); n != corpusgen.SpikeMinutes {
		t.Errorf("%d spike columns in the timeline chart, want %d", n, corpusgen.SpikeMinutes)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func count(n *html.Node, tag string) int {
	c := 0
	if n.Type == html.ElementNode && n.Data == tag {
		c++
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c += count(ch, tag)
	}
	return c
}

// The JSON document round-trips into report.Document with the documented
// by_error_code object.
func TestJSONSchema(t *testing.T) {
	out := render(t, goldenConfig("json"))
	var doc report.Document
	if err := jsonUnmarshalStrict(out, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.SchemaVersion != report.SchemaVersion {
		t.Errorf("schema_version = %d", doc.SchemaVersion)
	}
	if doc.ByErrorCode[corpusgen.SpikeCode] == 0 || doc.Backtest == nil || doc.Notifications == nil {
		t.Errorf("document misses sections: by_error_code=%v backtest=%v notifications=%v",
			doc.ByErrorCode, doc.Backtest != nil, doc.Notifications != nil)
	}
}

func jsonUnmarshalStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
