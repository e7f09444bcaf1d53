package builder

//lint:file-ignore SA1019 the classic dashboard schema on purpose: every Grafana from 9 on provisions it from files; dashboardv2 needs Grafana 12 with its new dashboard API.

import (
	"fmt"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/units"
)

// codeMatcher selects the error code variable. A regex matcher, although
// the variable is single-valued: the query stays valid when the variable is
// set to a pattern in the URL (var-error_code=oauth2.token.*).
const codeMatcher = `error_code=~"$error_code"`

// Drilldown is "SecondMe API errors — error code drill-down": one code's
// rate, its share of all errors, the statuses it is logged with, and what
// the catalog says it means and what to do about it.
func Drilldown() (dashboard.Dashboard, error) {
	return newDashboard(DrilldownUID, "SecondMe API errors — error code drill-down",
		"One SecondMe error code: its rate and share of all errors per source, the HTTP statuses it is logged with, and the catalog's meaning and recommended action.").
		WithVariable(datasourceVariable()).
		WithVariable(queryVariable("job", "Job", "secondme_api_errors_total", "job")).
		WithVariable(queryVariable("source", "Source", `secondme_api_errors_total{job=~"$job"}`, "source")).
		WithVariable(queryVariable("module", "Module", `secondme_api_errors_total{job=~"$job", source=~"$source"}`, "module")).
		WithVariable(singleVariable("error_code", "Error code", `secondme_api_errors_total{job=~"$job", source=~"$source", module=~"$module"}`, "error_code")).
		WithRow(dashboard.NewRowBuilder("$error_code")).
		WithPanel(codeRateStat()).
		WithPanel(codeShareStat()).
		WithPanel(codeCatalogStatusStat()).
		WithPanel(codeMismatchStat()).
		WithPanel(catalogTable()).
		WithRow(dashboard.NewRowBuilder("Trends")).
		WithPanel(codeRateTimeseries()).
		WithPanel(codeShareTimeseries()).
		WithPanel(codeLoggedStatusTimeseries()).
		WithPanel(moduleStatusClassTimeseries()).
		WithRow(dashboard.NewRowBuilder("Module $module")).
		WithPanel(moduleCodesTable()).
		Build()
}

// codeRate is the rate of the selected code per job and source.
func codeRate() string {
	return fmt.Sprintf(`sum by (job, source) (%s%s)`, ruleErrorsByCode, sel(codeMatcher))
}

func codeRateStat() cog.Builder[dashboard.Panel] {
	return statPanel("Rate",
		"Errors per second of the selected code over the last 5 minutes, all selected jobs and sources.",
		units.RequestsPerSecond, "0",
		prometheusQuery(fmt.Sprintf(`sum(%s%s)`, ruleErrorsByCode, sel(codeMatcher)), "errors/s"),
		thresholds(base(green), step(1, yellow), step(10, red))).
		Span(6)
}

func codeShareStat() cog.Builder[dashboard.Panel] {
	return statPanel("Share of all errors",
		"The selected code's rate divided by the rate of all error codes in the same jobs and sources.",
		units.PercentUnit, "",
		prometheusQuery(fmt.Sprintf(`sum(%s%s) / (sum(%s%s) > 0)`, ruleErrorsByCode, sel(codeMatcher), ruleErrors, sel()), "share"),
		thresholds(base(green), step(0.25, yellow), step(0.5, orange))).
		Decimals(1).
		Span(6)
}

func codeCatalogStatusStat() cog.Builder[dashboard.Panel] {
	return statPanel("Catalog HTTP status",
		"The HTTP status the SecondMe reference gives for this code. The graph below shows the statuses it is actually logged with.",
		units.String, "not in catalog",
		prometheusQuery(`max by (expected_code) (secondme_api_error_catalog_info{`+codeMatcher+`})`, "{{expected_code}}"),
		thresholds(base("text"))).
		TextMode(common.BigValueTextModeName).
		ColorMode(common.BigValueColorModeNone).
		GraphMode(common.BigValueGraphModeNone).
		Span(6)
}

func codeMismatchStat() cog.Builder[dashboard.Panel] {
	return statPanel("Logged with another status",
		"Errors per second of this code whose logged HTTP status differs from the catalog's (secondme_api_error_status_mismatch_total). No value: none seen.",
		units.RequestsPerSecond, "0",
		prometheusQuery(fmt.Sprintf(`sum(rate(secondme_api_error_status_mismatch_total%s[$__rate_interval]))`, sel(codeMatcher)), "mismatches/s"),
		thresholds(base(green), step(0.001, yellow))).
		Span(6)
}

func catalogTable() cog.Builder[dashboard.Panel] {
	return tablePanel("What the catalog says",
		"From secondme_api_error_catalog_info: the SecondMe reference's meaning of the code and the action the client should take.",
		tableQuery(`max by (error_code, section, expected_code, description, action) (secondme_api_error_catalog_info{`+codeMatcher+`})`)).
		Height(5).
		WithTransformation(organize(
			[]string{"Time", "Value"},
			[]string{"error_code", "expected_code", "section", "description", "action"})).
		OverrideByName("error_code", column("Error code")).
		OverrideByName("expected_code", column("HTTP status")).
		OverrideByName("section", column("Section")).
		OverrideByName("description", column("Meaning", wrap())).
		OverrideByName("action", column("Recommended action", wrap()))
}

func codeRateTimeseries() cog.Builder[dashboard.Panel] {
	return timeseriesPanel("Rate by source",
		"Errors per second of the selected code per job and source.",
		units.RequestsPerSecond,
		prometheusQuery(codeRate(), "{{source}} ({{job}})"))
}

func codeShareTimeseries() cog.Builder[dashboard.Panel] {
	return timeseriesPanel("Share of all errors by source",
		"The selected code's rate divided by all errors of the same job and source.",
		units.PercentUnit,
		prometheusQuery(fmt.Sprintf(`%s / on (job, source) (sum by (job, source) (%s%s) > 0)`, codeRate(), ruleErrors, sel()), "{{source}} ({{job}})")).
		Max(1)
}

func codeLoggedStatusTimeseries() cog.Builder[dashboard.Panel] {
	return stacked(timeseriesPanel("Logged HTTP status",
		"The selected code by the HTTP status it was logged with (code label; \"unknown\" when neither the log nor the catalog gives one). More than one status: see the mismatch stat.",
		units.RequestsPerSecond,
		prometheusQuery(fmt.Sprintf(`sum by (code) (rate(secondme_api_errors_total%s[$__rate_interval]))`, sel(codeMatcher)), "{{code}}")))
}

func moduleStatusClassTimeseries() cog.Builder[dashboard.Panel] {
	return stacked(timeseriesPanel("Module $module: 4xx vs 5xx",
		"All codes of the selected modules split by status class: is the module failing on the client's side (4xx) or SecondMe's (5xx)?",
		units.RequestsPerSecond,
		prometheusQuery(fmt.Sprintf(`sum by (status_class) (%s%s)`, ruleErrorsByCode, sel(`module=~"$module"`)), "{{status_class}}"))).
		OverrideByName("4xx", fixedColor(orange)).
		OverrideByName("5xx", fixedColor(red))
}

func moduleCodesTable() cog.Builder[dashboard.Panel] {
	self := "/d/" + DrilldownUID + "?${datasource:queryparam}&${job:queryparam}&${source:queryparam}&${module:queryparam}" +
		"&var-error_code=${__value.raw}&${__url_time_range}"
	return tablePanel("Codes of module $module",
		"Every code of the selected modules with a rate above zero over the last 5 minutes, with its meaning. Click a code to drill into it.",
		tableQuery(fmt.Sprintf(`(sum by (error_code, status_class) (%s%s) > 0)`, ruleErrorsByCode, sel(`module=~"$module"`))+catalogJoin)).
		Height(10).
		Unit(units.RequestsPerSecond).
		WithTransformation(organize(
			[]string{"Time"},
			[]string{"error_code", "status_class", "Value", "description", "action"})).
		OverrideByName("error_code", column("Error code", link("Drill down into ${__value.raw}", self))).
		OverrideByName("status_class", column("Class")).
		OverrideByName("Value", column("Errors/s")).
		OverrideByName("description", column("Meaning", wrap())).
		OverrideByName("action", column("Recommended action", wrap())).
		SortBy([]cog.Builder[common.TableSortByFieldState]{
			common.NewTableSortByFieldStateBuilder().DisplayName("Errors/s").Desc(true),
		})
}
