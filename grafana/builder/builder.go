// Package builder defines the SecondMe Grafana dashboards as typed Go code
// (grafana-foundation-sdk) and renders them to the JSON committed under
// grafana/dashboards.
//
// The one idea: the dashboards are a function of the metrics contract and
// the recording rules, so they are code reviewed like code, and the JSON is
// an artefact that a test regenerates and compares byte for byte.
package builder

//lint:file-ignore SA1019 the classic dashboard schema on purpose: every Grafana from 9 on provisions it from files; dashboardv2 needs Grafana 12 with its new dashboard API.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// Spec is one dashboard and the file it is committed as.
type Spec struct {
	File  string // base name under grafana/dashboards
	Build func() (dashboard.Dashboard, error)
}

// All lists the dashboards in the order of a page: overview first.
func All() []Spec {
	return []Spec{
		{File: "secondme-api-errors-overview.json", Build: Overview},
		{File: "secondme-error-code-drilldown.json", Build: Drilldown},
		{File: "secondme-exporter-health.json", Build: Health},
	}
}

// Render builds a dashboard, numbers its panels and returns its JSON as
// committed: two-space indent, trailing newline.
//
// Panel ids are assigned here, in layout order, rather than in each panel
// helper: they must be unique within the dashboard and stable across
// regenerations, and a counter in one place guarantees both.
func Render(s Spec) ([]byte, error) {
	d, err := s.Build()
	if err != nil {
		return nil, fmt.Errorf("build %s: %w", s.File, err)
	}
	var last uint32
	next := func() uint32 { last++; return last }
	for _, p := range d.Panels {
		switch {
		case p.Panel != nil:
			id := next()
			p.Panel.Id = &id
		case p.RowPanel != nil:
			p.RowPanel.Id = next()
			for j := range p.RowPanel.Panels {
				id := next()
				p.RowPanel.Panels[j].Id = &id
			}
		}
	}
	// The SDK places links and annotation toggles "inControlsMenu", which
	// Grafana 12 folds into a drop-down. The links between the dashboards
	// are the way out of an incident page: keep them in plain sight.
	for i := range d.Links {
		d.Links[i].Placement = nil
	}
	for i := range d.Annotations.List {
		d.Annotations.List[i].Placement = nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	// Keep "&" and "<" readable in URLs and descriptions.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return nil, fmt.Errorf("encode %s: %w", s.File, err)
	}
	return buf.Bytes(), nil
}

// WriteAll renders every dashboard into dir, replacing existing files.
func WriteAll(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	for _, s := range All() {
		b, err := Render(s)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, s.File), b, 0o644); err != nil {
			return fmt.Errorf("write dashboard: %w", err)
		}
	}
	return nil
}

// Check compares every rendered dashboard with the file in dir and returns
// the names of those that differ or are missing.
func Check(dir string) (stale []string, err error) {
	for _, s := range All() {
		want, err := Render(s)
		if err != nil {
			return nil, err
		}
		got, err := os.ReadFile(filepath.Join(dir, s.File))
		if err != nil && !os.IsNotExist(err) {
			return nil, fmt.Errorf("read committed dashboard: %w", err)
		}
		if !bytes.Equal(got, want) {
			stale = append(stale, s.File)
		}
	}
	return stale, nil
}
