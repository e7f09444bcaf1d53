package builder

//lint:file-ignore SA1019 the classic dashboard schema on purpose: every Grafana from 9 on provisions it from files; dashboardv2 needs Grafana 12 with its new dashboard API.

import (
	"fmt"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/variants"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
	"github.com/grafana/grafana-foundation-sdk/go/stat"
	"github.com/grafana/grafana-foundation-sdk/go/table"
	"github.com/grafana/grafana-foundation-sdk/go/timeseries"
)

// DatasourceVar is the template variable every panel, variable and
// annotation queries through. Nothing is bound to a data source uid: the
// provisioned Prometheus is only the variable's default, so the same JSON
// works in any Grafana.
const DatasourceVar = "${datasource}"

// DefaultDatasourceUID is the uid of the Prometheus data source that
// grafana/provisioning/datasources provisions, preselected in the
// ${datasource} variable. Grafana falls back to its default data source
// when no data source has this uid.
const DefaultDatasourceUID = "prometheus"

// Stable dashboard uids: the links between the dashboards and people's
// bookmarks point at them, so they never change with a title.
const (
	OverviewUID  = "secondme-api-errors"
	DrilldownUID = "secondme-error-code"
	HealthUID    = "secondme-exporter-health"
)

// Tag shared by the three dashboards (and nothing else).
const Tag = "secondme"

// Grid sizes. The grid is 24 columns wide; a row of stats is followed by
// pairs of half-width time series and full-width tables.
const (
	statHeight  = 4
	graphHeight = 8
	half        = 12
	full        = 24
)

// Colours of the threshold steps: Grafana's named colours, and the yellow
// of its default threshold palette.
const (
	green  = "green"
	yellow = "#EAB839"
	orange = "orange"
	red    = "red"
)

func datasourceRef() dashboard.DataSourceRef {
	return dashboard.DataSourceRef{Type: cog.ToPtr("prometheus"), Uid: cog.ToPtr(DatasourceVar)}
}

// prometheusQuery is a range query drawn as one series per label set.
func prometheusQuery(expr, legend string) *prometheus.DataqueryBuilder {
	return prometheus.NewDataqueryBuilder().
		Datasource(datasourceRef()).
		Expr(expr).
		LegendFormat(legend).
		Range()
}

// tableQuery is an instant query whose labels become table columns.
func tableQuery(expr string) *prometheus.DataqueryBuilder {
	return prometheus.NewDataqueryBuilder().
		Datasource(datasourceRef()).
		Expr(expr).
		Format(prometheus.PromQueryFormatTable).
		Instant()
}

// withRefIDs names the queries of a panel A, B, C… in order, so that the
// committed JSON does not depend on Grafana filling them in.
func withRefIDs(queries ...*prometheus.DataqueryBuilder) []cog.Builder[variants.Dataquery] {
	out := make([]cog.Builder[variants.Dataquery], 0, len(queries))
	for i, q := range queries {
		out = append(out, q.RefId(string(rune('A'+i))))
	}
	return out
}

func thresholds(steps ...dashboard.Threshold) *dashboard.ThresholdsConfigBuilder {
	return dashboard.NewThresholdsConfigBuilder().
		Mode(dashboard.ThresholdsModeAbsolute).
		Steps(steps)
}

// base is the first threshold step (from -Inf).
func base(color string) dashboard.Threshold {
	return dashboard.Threshold{Color: color}
}

func step(value float64, color string) dashboard.Threshold {
	return dashboard.Threshold{Value: cog.ToPtr(value), Color: color}
}

// statPanel shows the last value of one query, coloured by its thresholds.
// Absent series read as noValue rather than "No data": a stat that is empty
// because nothing went wrong must not look like a broken panel at 3 am.
func statPanel(title, description, unit, noValue string, query *prometheus.DataqueryBuilder, th *dashboard.ThresholdsConfigBuilder) *stat.PanelBuilder {
	p := stat.NewPanelBuilder().
		Title(title).
		Description(description).
		Datasource(datasourceRef()).
		Targets(withRefIDs(query)).
		Height(statHeight).
		Unit(unit).
		Thresholds(th).
		ColorScheme(dashboard.NewFieldColorBuilder().Mode(dashboard.FieldColorModeIdThresholds)).
		ReduceOptions(common.NewReduceDataOptionsBuilder().Calcs([]string{"lastNotNull"})).
		ColorMode(common.BigValueColorModeBackground).
		GraphMode(common.BigValueGraphModeArea).
		TextMode(common.BigValueTextModeValue).
		Orientation(common.VizOrientationAuto)
	if noValue != "" {
		p = p.NoValue(noValue)
	}
	return p
}

// timeseriesPanel draws one or more range queries. The legend is a table
// sorted by the last value, so the series to look at is listed first.
func timeseriesPanel(title, description, unit string, queries ...*prometheus.DataqueryBuilder) *timeseries.PanelBuilder {
	return timeseries.NewPanelBuilder().
		Title(title).
		Description(description).
		Datasource(datasourceRef()).
		Targets(withRefIDs(queries...)).
		Height(graphHeight).
		Span(half).
		Unit(unit).
		Min(0).
		LineWidth(1).
		FillOpacity(10).
		ShowPoints(common.VisibilityModeNever).
		DrawStyle(common.GraphDrawStyleLine).
		SpanNulls(common.BoolOrFloat64{Bool: cog.ToPtr(false)}).
		Legend(common.NewVizLegendOptionsBuilder().
			DisplayMode(common.LegendDisplayModeTable).
			Placement(common.LegendPlacementBottom).
			ShowLegend(true).
			Calcs([]string{"lastNotNull", "max"}).
			SortBy("Last *").
			SortDesc(true)).
		Tooltip(common.NewVizTooltipOptionsBuilder().
			Mode(common.TooltipDisplayModeMulti).
			Sort(common.SortOrderDescending))
}

// stacked turns a time series panel into a stacked area chart: for parts of
// a whole (4xx + 5xx, modules) the top line is the total.
func stacked(p *timeseries.PanelBuilder) *timeseries.PanelBuilder {
	return p.
		FillOpacity(40).
		Stacking(common.NewStackingConfigBuilder().Mode(common.StackingModeNormal))
}

// tablePanel lists the label sets of an instant query, one row each.
func tablePanel(title, description string, query *prometheus.DataqueryBuilder) *table.PanelBuilder {
	return table.NewPanelBuilder().
		Title(title).
		Description(description).
		Datasource(datasourceRef()).
		Targets(withRefIDs(query)).
		Span(full).
		ShowHeader(true).
		CellHeight(common.TableCellHeightSm).
		Filterable(true).
		// An explicit footer: the SDK's default has a null reducer, which
		// Grafana's schema rejects.
		Footer(common.NewTableFooterOptionsBuilder().Show(false).Reducer([]string{"sum"}).CountRows(false))
}

// organize hides and orders the columns of a table query; the columns not
// listed keep Grafana's order after the listed ones. Renaming is left to
// column(): a byName override then still matches the label name.
func organize(exclude []string, order []string) dashboard.DataTransformerConfig {
	excludeByName := map[string]bool{}
	for _, name := range exclude {
		excludeByName[name] = true
	}
	indexByName := map[string]int{}
	for i, name := range order {
		indexByName[name] = i
	}
	return dashboard.DataTransformerConfig{
		Id: "organize",
		Options: map[string]any{
			"excludeByName": excludeByName,
			"indexByName":   indexByName,
		},
	}
}

// column gives a table column (a label name or "Value") its header and any
// further properties.
func column(display string, more ...dashboard.DynamicConfigValue) []dashboard.DynamicConfigValue {
	return append([]dashboard.DynamicConfigValue{{Id: "displayName", Value: display}}, more...)
}

// wrap lets long catalog text wrap inside its cell.
func wrap() dashboard.DynamicConfigValue {
	return dashboard.DynamicConfigValue{Id: "custom.cellOptions", Value: map[string]any{"type": "auto", "wrapText": true}}
}

// fixedColor pins a series colour, so 5xx is red on every dashboard.
func fixedColor(color string) []dashboard.DynamicConfigValue {
	return []dashboard.DynamicConfigValue{{
		Id:    "color",
		Value: map[string]any{"mode": "fixed", "fixedColor": color},
	}}
}

// thresholdLine styles a series as a dashed red line without fill: the
// alert threshold drawn next to the value it is compared with.
func thresholdLine() []dashboard.DynamicConfigValue {
	return []dashboard.DynamicConfigValue{
		{Id: "color", Value: map[string]any{"mode": "fixed", "fixedColor": red}},
		{Id: "custom.lineStyle", Value: map[string]any{"fill": "dash", "dash": []int{10, 10}}},
		{Id: "custom.fillOpacity", Value: 0},
		{Id: "custom.lineWidth", Value: 2},
	}
}

// link turns the values of a table column into links.
func link(title, url string) dashboard.DynamicConfigValue {
	return dashboard.DynamicConfigValue{
		Id:    "links",
		Value: []map[string]any{{"title": title, "url": url}},
	}
}

// valueText maps exact values to a text and a colour (1 → "up").
func valueText(pairs ...[3]string) []dashboard.ValueMapping {
	options := map[string]dashboard.ValueMappingResult{}
	for i, p := range pairs {
		options[p[0]] = dashboard.ValueMappingResult{
			Text:  cog.ToPtr(p[1]),
			Color: cog.ToPtr(p[2]),
			Index: cog.ToPtr(int32(i)),
		}
	}
	return []dashboard.ValueMapping{{ValueMap: &dashboard.ValueMap{
		Type:    dashboard.MappingTypeValueToText,
		Options: options,
	}}}
}

// datasourceVariable is the only way panels find Prometheus.
func datasourceVariable() *dashboard.DatasourceVariableBuilder {
	return dashboard.NewDatasourceVariableBuilder("datasource").
		Label("Data source").
		Type("prometheus").
		Current(dashboard.VariableOption{
			Selected: cog.ToPtr(true),
			Text:     dashboard.StringOrArrayOfString{String: cog.ToPtr("Prometheus")},
			Value:    dashboard.StringOrArrayOfString{String: cog.ToPtr(DefaultDatasourceUID)},
		}).
		Multi(false)
}

// queryVariable lists the values of one label. Multi-value with "All":
// Grafana then expands $var to an alternation of the listed values for =~,
// which, unlike a .* all-value, cannot match the series of other jobs.
func queryVariable(name, label, metricSelector, labelName string) *dashboard.QueryVariableBuilder {
	query := fmt.Sprintf("label_values(%s, %s)", metricSelector, labelName)
	return dashboard.NewQueryVariableBuilder(name).
		Label(label).
		Query(dashboard.StringOrMap{String: cog.ToPtr(query)}).
		Definition(query).
		Datasource(datasourceRef()).
		Current(dashboard.VariableOption{
			Selected: cog.ToPtr(true),
			Text:     dashboard.StringOrArrayOfString{ArrayOfString: []string{"All"}},
			Value:    dashboard.StringOrArrayOfString{ArrayOfString: []string{"$__all"}},
		}).
		Refresh(dashboard.VariableRefreshOnTimeRangeChanged).
		Sort(dashboard.VariableSortAlphabeticalAsc).
		Multi(true).
		IncludeAll(true)
}

// singleVariable is a query variable that selects exactly one value.
func singleVariable(name, label, metricSelector, labelName string) *dashboard.QueryVariableBuilder {
	query := fmt.Sprintf("label_values(%s, %s)", metricSelector, labelName)
	return dashboard.NewQueryVariableBuilder(name).
		Label(label).
		Query(dashboard.StringOrMap{String: cog.ToPtr(query)}).
		Definition(query).
		Datasource(datasourceRef()).
		Refresh(dashboard.VariableRefreshOnTimeRangeChanged).
		Sort(dashboard.VariableSortAlphabeticalAsc).
		Multi(false).
		IncludeAll(false)
}

// firingAlerts marks on every graph when a SecondMe alert fired. The
// alerts come from rules/*.rules.yml; ALERTS carries their labels, so the
// tags say which source and severity.
func firingAlerts() *dashboard.AnnotationQueryBuilder {
	return dashboard.NewAnnotationQueryBuilder().
		Name("Firing SecondMe alerts").
		Datasource(datasourceRef()).
		Enable(true).
		Hide(false).
		IconColor(red).
		Expr(`ALERTS{alertstate="firing", alertname=~"SecondMe.*"}`).
		Step("60s").
		TitleFormat("{{alertname}}").
		TagKeys("severity,job,source").
		TextFormat("{{alertname}} firing ({{severity}})")
}

// dashboardLinks link each dashboard to the two others, keeping the time
// range and the shared variables (datasource, job, source).
func dashboardLinks(self string) []cog.Builder[dashboard.DashboardLink] {
	targets := []struct{ uid, title, tooltip string }{
		{OverviewUID, "API errors — overview", "Error rate, ratio, modules and top codes"},
		{DrilldownUID, "Error code drill-down", "One error code: rate, share, catalog meaning"},
		{HealthUID, "Exporter health", "Is the exporter reading the logs?"},
	}
	var links []cog.Builder[dashboard.DashboardLink]
	for _, t := range targets {
		if t.uid == self {
			continue
		}
		links = append(links, dashboard.NewDashboardLinkBuilder(t.title).
			Type(dashboard.DashboardLinkTypeLink).
			Url("/d/"+t.uid).
			Tooltip(t.tooltip).
			Icon("dashboard").
			IncludeVars(true).
			KeepTime(true))
	}
	return links
}

// newDashboard holds what the three dashboards share.
func newDashboard(uid, title, description string) *dashboard.DashboardBuilder {
	return dashboard.NewDashboardBuilder(title).
		Uid(uid).
		Description(description).
		Tags([]string{Tag, "secondme_error_exporter", "generated"}).
		Readonly().
		Tooltip(dashboard.DashboardCursorSyncCrosshair).
		Refresh("1m").
		Time("now-3h", "now").
		Timezone(common.TimeZoneBrowser).
		Timepicker(dashboard.NewTimePickerBuilder().
			RefreshIntervals([]string{"30s", "1m", "5m", "15m", "1h"})).
		Links(dashboardLinks(uid)).
		Annotation(firingAlerts())
}
