package grafana

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/secondme/secondme_error_exporter/grafana/builder"
)

// TestCommittedJSONIsGenerated fails when grafana/dashboards differs from
// what grafana/builder produces: the Go code is the source, the JSON the
// artefact Grafana loads, and they must not drift.
func TestCommittedJSONIsGenerated(t *testing.T) {
	stale, err := builder.Check(dashboardsDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range stale {
		t.Errorf("%s/%s is stale: run `go generate ./grafana/...` (or go run ./grafana/cmd/gendashboards) and commit the result", dashboardsDir, f)
	}
}

// TestGenerationIsDeterministic: two renders are byte-identical (map
// iteration order must not leak into the JSON), and Check notices an edit.
func TestGenerationIsDeterministic(t *testing.T) {
	for _, s := range builder.All() {
		a, err := builder.Render(s)
		if err != nil {
			t.Fatal(err)
		}
		for range 5 {
			b, err := builder.Render(s)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b) {
				t.Fatalf("%s renders differently on each run", s.File)
			}
		}
	}

	dir := t.TempDir()
	if err := builder.WriteAll(dir); err != nil {
		t.Fatal(err)
	}
	if stale, err := builder.Check(dir); err != nil || len(stale) != 0 {
		t.Fatalf("fresh output reported stale: %v %v", stale, err)
	}
	victim := filepath.Join(dir, builder.All()[0].File)
	b, err := os.ReadFile(victim)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(victim, bytes.Replace(b, []byte(`"refresh": "1m"`), []byte(`"refresh": "5s"`), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, builder.All()[1].File)); err != nil {
		t.Fatal(err)
	}
	stale, err := builder.Check(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(stale) != 2 || stale[0] != builder.All()[0].File || stale[1] != builder.All()[1].File {
		t.Errorf("Check = %v, want the edited and the missing file", stale)
	}
}
