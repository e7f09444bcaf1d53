package grafana

//lint:file-ignore SA1019 the classic dashboard schema on purpose: every Grafana from 9 on provisions it from files; dashboardv2 needs Grafana 12 with its new dashboard API.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/plugins"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"

	"github.com/secondme/secondme_error_exporter/grafana/builder"
)

// layoutPanel is what the structure tests read of a panel.
type layoutPanel struct {
	ID         int             `json:"id"`
	Type       string          `json:"type"`
	Title      string          `json:"title"`
	Datasource *datasourceRef  `json:"datasource"`
	GridPos    *gridPos        `json:"gridPos"`
	Panels     []layoutPanel   `json:"panels"`
	Targets    []layoutTarget  `json:"targets"`
	FieldCfg   json.RawMessage `json:"fieldConfig"`
}

type layoutTarget struct {
	RefID      string         `json:"refId"`
	Datasource *datasourceRef `json:"datasource"`
}

type datasourceRef struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

type gridPos struct{ X, Y, W, H int }

type layoutDashboard struct {
	UID         string        `json:"uid"`
	Title       string        `json:"title"`
	Panels      []layoutPanel `json:"panels"`
	Annotations struct {
		List []struct {
			Name       string         `json:"name"`
			Datasource *datasourceRef `json:"datasource"`
		} `json:"list"`
	} `json:"annotations"`
	Templating struct {
		List []struct {
			Type       string         `json:"type"`
			Name       string         `json:"name"`
			Query      any            `json:"query"`
			Datasource *datasourceRef `json:"datasource"`
		} `json:"list"`
	} `json:"templating"`
	Links []struct {
		Title string `json:"title"`
		URL   string `json:"url"`
	} `json:"links"`
}

type loaded struct {
	file string
	raw  map[string]any
	d    layoutDashboard
}

func loadDashboards(t *testing.T) []loaded {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dashboardsDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(builder.All()) {
		t.Fatalf("%s holds %d JSON files, the generator makes %d: remove strays or regenerate", dashboardsDir, len(files), len(builder.All()))
	}
	var out []loaded
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		l := loaded{file: filepath.Base(f)}
		if err := json.Unmarshal(b, &l.raw); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if err := json.Unmarshal(b, &l.d); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, l)
	}
	return out
}

// flatten lists the panels in layout order, rows' nested panels included.
func flatten(ps []layoutPanel) []layoutPanel {
	var out []layoutPanel
	for _, p := range ps {
		out = append(out, p)
		out = append(out, flatten(p.Panels)...)
	}
	return out
}

func TestDashboardIdentity(t *testing.T) {
	want := map[string]bool{builder.OverviewUID: true, builder.DrilldownUID: true, builder.HealthUID: true}
	uids := map[string]string{}
	titles := map[string]bool{}
	for _, l := range loadDashboards(t) {
		uid := l.d.UID
		if !want[uid] {
			t.Errorf("%s: uid %q is not one of the stable uids %v", l.file, uid, want)
		}
		if len(uid) > 40 || !regexp.MustCompile(`^[a-zA-Z0-9_-]+$`).MatchString(uid) {
			t.Errorf("%s: uid %q is not a valid Grafana uid (≤ 40 of [a-zA-Z0-9_-])", l.file, uid)
		}
		if other, dup := uids[uid]; dup {
			t.Errorf("%s and %s share uid %q", l.file, other, uid)
		}
		uids[uid] = l.file
		if titles[l.d.Title] {
			t.Errorf("%s: duplicate title %q", l.file, l.d.Title)
		}
		titles[l.d.Title] = true
		if _, ok := l.raw["id"]; ok {
			t.Errorf("%s: has a numeric id; provisioned dashboards must not (Grafana assigns it)", l.file)
		}
	}
	if len(uids) != len(want) {
		t.Errorf("found uids %v, want %v", uids, want)
	}
}

func TestPanelLayout(t *testing.T) {
	for _, l := range loadDashboards(t) {
		t.Run(l.file, func(t *testing.T) {
			panels := flatten(l.d.Panels)
			ids := map[int]string{}
			type placed struct {
				title, typ string
				g          gridPos
			}
			var grid []placed
			for _, p := range panels {
				if p.ID <= 0 {
					t.Errorf("panel %q has no id", p.Title)
				} else if other, dup := ids[p.ID]; dup {
					t.Errorf("panels %q and %q share id %d", other, p.Title, p.ID)
				}
				ids[p.ID] = p.Title
				if p.Title == "" {
					t.Errorf("panel %d has no title", p.ID)
				}
				g := p.GridPos
				if g == nil {
					t.Errorf("panel %q has no gridPos", p.Title)
					continue
				}
				if g.W <= 0 || g.H <= 0 || g.X < 0 || g.Y < 0 || g.X+g.W > 24 {
					t.Errorf("panel %q: gridPos %+v outside the 24-column grid", p.Title, *g)
				}
				for _, o := range grid {
					if g.X < o.g.X+o.g.W && o.g.X < g.X+g.W && g.Y < o.g.Y+o.g.H && o.g.Y < g.Y+g.H {
						t.Errorf("panels %q %+v and %q %+v overlap", o.title, o.g, p.Title, *g)
					}
				}
				grid = append(grid, placed{p.Title, p.Type, *g})
			}

			// Reads top-down for someone just paged: the first row of panels
			// is all stats, and no stat comes after a graph or a table.
			sort.SliceStable(grid, func(i, j int) bool {
				if grid[i].g.Y != grid[j].g.Y {
					return grid[i].g.Y < grid[j].g.Y
				}
				return grid[i].g.X < grid[j].g.X
			})
			var order []string
			for _, g := range grid {
				if typ := g.typ; typ != "row" {
					order = append(order, typ)
				}
			}
			if len(order) == 0 || order[0] != "stat" {
				t.Fatalf("first panel is %v, want a stat row first", order)
			}
			firstOther := slices.IndexFunc(order, func(s string) bool { return s != "stat" })
			if firstOther < 0 {
				t.Fatal("only stats: no graphs")
			}
			if i := slices.Index(order[firstOther:], "stat"); i >= 0 {
				t.Errorf("a stat comes after a %s (layout order %v)", order[firstOther], order)
			}
			firstY := -1
			for _, g := range grid {
				if g.typ == "row" {
					continue
				}
				if firstY == -1 {
					firstY = g.g.Y
				}
				if g.g.Y == firstY && g.typ != "stat" {
					t.Errorf("%q (%s) sits in the first row of panels, which is for stats", g.title, g.typ)
				}
			}
		})
	}
}

// TestEverythingUsesDatasourceVariable: no panel, target, variable or
// annotation may name a data source uid, or the dashboards break in any
// Grafana whose Prometheus has another uid.
func TestEverythingUsesDatasourceVariable(t *testing.T) {
	check := func(where string, ds *datasourceRef) {
		t.Helper()
		if ds == nil {
			t.Errorf("%s: no datasource", where)
			return
		}
		if ds.UID != builder.DatasourceVar || ds.Type != "prometheus" {
			t.Errorf("%s: datasource %+v, want {prometheus %s}", where, *ds, builder.DatasourceVar)
		}
	}
	for _, l := range loadDashboards(t) {
		hasVar := false
		for _, v := range l.d.Templating.List {
			if v.Type == "datasource" {
				hasVar = v.Name == "datasource" && v.Query == "prometheus"
				continue
			}
			check(fmt.Sprintf("%s: variable %s", l.file, v.Name), v.Datasource)
		}
		if !hasVar {
			t.Errorf("%s: no datasource variable named datasource of type prometheus", l.file)
		}
		for _, a := range l.d.Annotations.List {
			check(fmt.Sprintf("%s: annotation %q", l.file, a.Name), a.Datasource)
		}
		for _, p := range flatten(l.d.Panels) {
			if p.Type == "row" {
				continue
			}
			where := fmt.Sprintf("%s: panel %q", l.file, p.Title)
			check(where, p.Datasource)
			if len(p.Targets) == 0 {
				t.Errorf("%s: no queries", where)
			}
			for _, tg := range p.Targets {
				check(where+" refId "+tg.RefID, tg.Datasource)
			}
			if strings.Contains(string(p.FieldCfg), `"uid"`) {
				t.Errorf("%s: fieldConfig names a uid", where)
			}
		}
	}
}

// TestLinksResolve: every /d/<uid> URL anywhere in a dashboard (dashboard
// links, table data links) points at one of the generated dashboards, and
// each dashboard links to the two others.
func TestLinksResolve(t *testing.T) {
	all := loadDashboards(t)
	uids := map[string]bool{}
	for _, l := range all {
		uids[l.d.UID] = true
	}
	dURL := regexp.MustCompile(`/d/([^/?&"#]+)`)
	for _, l := range all {
		seen := 0
		walkStrings(l.raw, func(s string) {
			for _, m := range dURL.FindAllStringSubmatch(s, -1) {
				seen++
				if !uids[m[1]] {
					t.Errorf("%s: link %q points at unknown uid %q", l.file, s, m[1])
				}
			}
		})
		linked := map[string]bool{}
		for _, link := range l.d.Links {
			if m := dURL.FindStringSubmatch(link.URL); m != nil {
				linked[m[1]] = true
			}
		}
		for uid := range uids {
			if uid != l.d.UID && !linked[uid] {
				t.Errorf("%s: no dashboard link to %s", l.file, uid)
			}
		}
		if seen == 0 {
			t.Errorf("%s: no links at all", l.file)
		}
	}
}

func walkStrings(v any, f func(string)) {
	switch v := v.(type) {
	case string:
		f(v)
	case []any:
		for _, e := range v {
			walkStrings(e, f)
		}
	case map[string]any:
		for _, e := range v {
			walkStrings(e, f)
		}
	}
}

// TestUnitsAndThresholds: every non-row panel states a unit, and stats
// colour by thresholds, so a number on a wall screen is never unitless.
func TestUnitsAndThresholds(t *testing.T) {
	for _, l := range loadDashboards(t) {
		for _, p := range flatten(l.d.Panels) {
			if p.Type == "row" {
				continue
			}
			var fc struct {
				Defaults struct {
					Unit       string `json:"unit"`
					Thresholds *struct {
						Steps []struct {
							Color string `json:"color"`
						} `json:"steps"`
					} `json:"thresholds"`
				} `json:"defaults"`
			}
			if err := json.Unmarshal(p.FieldCfg, &fc); err != nil {
				t.Fatalf("%s: panel %q: fieldConfig: %v", l.file, p.Title, err)
			}
			numeric := p.Type != "table" || strings.Contains(string(p.FieldCfg), `"Errors/s"`)
			if numeric && fc.Defaults.Unit == "" {
				t.Errorf("%s: panel %q (%s) has no unit", l.file, p.Title, p.Type)
			}
			if p.Type == "stat" && (fc.Defaults.Thresholds == nil || len(fc.Defaults.Thresholds.Steps) == 0) {
				t.Errorf("%s: stat %q has no thresholds", l.file, p.Title)
			}
		}
	}
}

// TestSchemaStrict decodes each committed dashboard with the SDK's strict
// decoder: unknown or mistyped fields in the JSON — a hand edit, or a
// generator change that bypasses the typed builders — fail here.
func TestSchemaStrict(t *testing.T) {
	plugins.RegisterDefaultPlugins()
	for _, l := range loadDashboards(t) {
		b, err := os.ReadFile(filepath.Join(dashboardsDir, l.file))
		if err != nil {
			t.Fatal(err)
		}
		var d dashboard.Dashboard
		err = d.UnmarshalJSONStrict(b)
		// The SDK reports success as a typed nil cog.BuildErrors, which
		// is a non-nil error interface.
		if be, ok := err.(cog.BuildErrors); ok && len(be) == 0 {
			err = nil
		}
		if err != nil {
			t.Errorf("%s: %v", l.file, err)
		}
	}
}
