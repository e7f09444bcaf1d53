package builder

//lint:file-ignore SA1019 the classic dashboard schema on purpose: every Grafana from 9 on provisions it from files; dashboardv2 needs Grafana 12 with its new dashboard API.

import (
	"fmt"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/units"
)

// Overview is "SecondMe API errors — overview": the page to open when
// paged. Top row answers "how bad and since when", the graphs "which kind
// and where", the table "which codes, what they mean, what to do".
func Overview() (dashboard.Dashboard, error) {
	return newDashboard(OverviewUID, "SecondMe API errors — overview",
		"SecondMe API errors found in application and gateway logs by secondme_error_exporter: rate, ratio, status classes, modules and top error codes with their catalog meaning.").
		WithVariable(datasourceVariable()).
		WithVariable(queryVariable("job", "Job", "secondme_api_errors_total", "job")).
		WithVariable(queryVariable("source", "Source", `secondme_api_errors_total{job=~"$job"}`, "source")).
		WithRow(dashboard.NewRowBuilder("Now")).
		WithPanel(errorRateStat()).
		WithPanel(errorRatioStat()).
		WithPanel(serverErrorRatioStat()).
		WithPanel(revokedSpikeStat()).
		WithPanel(unknownCodesStat()).
		WithPanel(firingAlertsStat()).
		WithRow(dashboard.NewRowBuilder("Trends")).
		WithPanel(statusClassTimeseries()).
		WithPanel(errorRatioTimeseries()).
		WithPanel(moduleTimeseries()).
		WithPanel(revokedTimeseries()).
		WithPanel(unknownCodesTimeseries()).
		WithPanel(mismatchTimeseries()).
		WithRow(dashboard.NewRowBuilder("Error codes")).
		WithPanel(topCodesTable()).
		Build()
}

func errorRateStat() cog.Builder[dashboard.Panel] {
	return statPanel("Error rate",
		"SecondMe API error envelopes per second over the last 5 minutes (all codes, selected jobs and sources).",
		units.RequestsPerSecond, "0",
		prometheusQuery(fmt.Sprintf(`sum(%s%s)`, ruleErrors, sel()), "errors/s"),
		thresholds(base(green), step(1, yellow), step(10, red))).
		Span(4)
}

func errorRatioStat() cog.Builder[dashboard.Panel] {
	return statPanel("Error ratio",
		"Errors as a share of all SecondMe API responses seen in the logs (errors, code 0 successes, gateway status lines). Empty when no responses were seen.",
		units.PercentUnit, "",
		prometheusQuery(fmt.Sprintf(`sum(%s%s) / (sum(%s%s) > 0)`, ruleErrors, sel(), ruleResponses, sel()), "error ratio"),
		thresholds(base(green), step(0.01, yellow), step(0.05, red))).
		Decimals(2).
		Span(4)
}

func serverErrorRatioStat() cog.Builder[dashboard.Panel] {
	return statPanel("5xx ratio",
		fmt.Sprintf("5xx errors as a share of all responses: SecondMe or an upstream is failing, not the client. Yellow and red at the thresholds of SecondMeHighServerErrorRatio (%g%% warning, %g%% critical).",
			100*ServerErrorRatioWarning, 100*ServerErrorRatioCritical),
		units.PercentUnit, "",
		prometheusQuery(fmt.Sprintf(`sum(%s%s) / (sum(%s%s) > 0)`, ruleErrorsByClass, sel(`status_class="5xx"`), ruleResponses, sel()), "5xx ratio"),
		thresholds(base(green), step(ServerErrorRatioWarning, yellow), step(ServerErrorRatioCritical, red))).
		Decimals(2).
		Span(4)
}

func revokedSpikeStat() cog.Builder[dashboard.Panel] {
	return statPanel("Revoked refresh tokens vs alert threshold",
		fmt.Sprintf("Highest %s rate of any job/source as a share of the spike threshold of SecondMeRefreshTokenRevokedSpike: max(%d × the 6h baseline, %d errors in %d s). From 100%% the alert condition holds; it fires after 5 minutes.",
			RevokedCode, RevokedSpikeFactor, RevokedFloorCount, RevokedFloorSeconds),
		units.PercentUnit, "0",
		prometheusQuery(fmt.Sprintf(`max(%s / %s)`, RevokedRateExpr(sel()), RevokedThresholdExpr(sel())), "share of threshold"),
		thresholds(base(green), step(0.7, yellow), step(1, red))).
		Decimals(0).
		Span(4)
}

func unknownCodesStat() cog.Builder[dashboard.Panel] {
	return statPanel("Unknown error codes",
		"Error envelopes per second whose error_code is not in the catalog: a new SecondMe code, or a client inventing codes. Extend the catalog file.",
		units.RequestsPerSecond, "0",
		prometheusQuery(fmt.Sprintf(`sum(rate(secondme_exporter_unknown_error_codes_total%s[$__rate_interval]))`, sel()), "unknown codes/s"),
		thresholds(base(green), step(0.001, yellow))).
		Span(4)
}

func firingAlertsStat() cog.Builder[dashboard.Panel] {
	return statPanel("Firing SecondMe alerts",
		"Alerts of rules/secondme.rules.yml firing now, from ALERTS. The red marks on the graphs are the same alerts over time.",
		units.Short, "0",
		prometheusQuery(`count(ALERTS{alertstate="firing", alertname=~"SecondMe.*"})`, "firing"),
		thresholds(base(green), step(1, red))).
		Span(4)
}

func statusClassTimeseries() cog.Builder[dashboard.Panel] {
	return stacked(timeseriesPanel("Errors by status class (4xx vs 5xx)",
		"4xx: the client must change something (token, scope, parameters). 5xx: SecondMe or the network failed; retry with backoff.",
		units.RequestsPerSecond,
		prometheusQuery(fmt.Sprintf(`sum by (status_class) (%s%s)`, ruleErrorsByClass, sel()), "{{status_class}}"))).
		OverrideByName("4xx", fixedColor(orange)).
		OverrideByName("5xx", fixedColor(red))
}

func errorRatioTimeseries() cog.Builder[dashboard.Panel] {
	return timeseriesPanel("Error ratio by source",
		fmt.Sprintf("All errors and 5xx errors as a share of the responses of each job and source (recording rules *:ratio_rate5m; absent where a source logs no responses). Dashed: the 5xx-ratio alert thresholds (%g%%, %g%%).",
			100*ServerErrorRatioWarning, 100*ServerErrorRatioCritical),
		units.PercentUnit,
		prometheusQuery(ruleErrorRatio+sel(), "{{source}} all errors"),
		prometheusQuery(ruleErrorRatioByClass+sel(`status_class="5xx"`), "{{source}} 5xx")).
		Thresholds(thresholds(base(green), step(ServerErrorRatioWarning, yellow), step(ServerErrorRatioCritical, red))).
		ThresholdsStyle(common.NewGraphThresholdsStyleConfigBuilder().Mode(common.GraphThresholdsStyleModeDashed))
}

func moduleTimeseries() cog.Builder[dashboard.Panel] {
	return stacked(timeseriesPanel("Errors by module",
		"The first segment of error_code (oauth2, apikey, secondme, …): which part of the integration is failing.",
		units.RequestsPerSecond,
		prometheusQuery(fmt.Sprintf(`sum by (module) (%s%s)`, ruleErrorsByModule, sel()), "{{module}}")))
}

func revokedTimeseries() cog.Builder[dashboard.Panel] {
	return timeseriesPanel("Revoked refresh tokens vs spike threshold",
		fmt.Sprintf("%s per job/source (solid) and the threshold of SecondMeRefreshTokenRevokedSpike (dashed): max(%d × the 6h baseline, %d errors in %d s). The alert fires when the solid line stays above the dashed one for 5 minutes.",
			RevokedCode, RevokedSpikeFactor, RevokedFloorCount, RevokedFloorSeconds),
		units.RequestsPerSecond,
		prometheusQuery(RevokedRateExpr(sel()), "{{source}} ({{job}}) rate"),
		prometheusQuery(RevokedThresholdExpr(sel()), "{{source}} ({{job}}) threshold")).
		OverrideByQuery("B", thresholdLine())
}

func unknownCodesTimeseries() cog.Builder[dashboard.Panel] {
	return timeseriesPanel("Unknown error codes and label overflow",
		"Codes outside the catalog per source; overflow counts those folded into error_code=\"other\" after --metrics.max-unknown-codes distinct unknown codes.",
		units.RequestsPerSecond,
		prometheusQuery(fmt.Sprintf(`sum by (source) (rate(secondme_exporter_unknown_error_codes_total%s[$__rate_interval]))`, sel()), "{{source}} unknown"),
		prometheusQuery(fmt.Sprintf(`sum by (source) (rate(secondme_exporter_label_overflow_total%s[$__rate_interval]))`, sel()), "{{source}} overflow"))
}

func mismatchTimeseries() cog.Builder[dashboard.Panel] {
	return timeseriesPanel("Status mismatches (logged vs catalog status)",
		"Known codes logged with an HTTP status other than the catalog's: a gateway rewriting statuses, or a catalog out of date.",
		units.RequestsPerSecond,
		prometheusQuery(fmt.Sprintf(`sum by (error_code, code, expected_code) (rate(secondme_api_error_status_mismatch_total%s[$__rate_interval]))`, sel()),
			"{{error_code}}: {{code}} (catalog {{expected_code}})"))
}

func topCodesTable() cog.Builder[dashboard.Panel] {
	drill := "/d/" + DrilldownUID + "?${datasource:queryparam}&${job:queryparam}&${source:queryparam}" +
		"&var-module=${__data.fields.module}&var-error_code=${__value.raw}&${__url_time_range}"
	return tablePanel("Top error codes",
		"The 20 codes with the highest rate over the last 5 minutes, with the catalog's meaning and the action to take. Click a code for its drill-down.",
		tableQuery(fmt.Sprintf(`topk(20, sum by (error_code, module, status_class) (%s%s) > 0)`, ruleErrorsByCode, sel())+catalogJoin)).
		Height(10).
		Unit(units.RequestsPerSecond).
		WithTransformation(organize(
			[]string{"Time"},
			[]string{"error_code", "module", "status_class", "Value", "description", "action"})).
		OverrideByName("error_code", column("Error code", link("Drill down into ${__value.raw}", drill))).
		OverrideByName("module", column("Module")).
		OverrideByName("status_class", column("Class")).
		OverrideByName("Value", column("Errors/s")).
		OverrideByName("description", column("Meaning", wrap())).
		OverrideByName("action", column("Recommended action", wrap())).
		SortBy([]cog.Builder[common.TableSortByFieldState]{
			common.NewTableSortByFieldStateBuilder().DisplayName("Errors/s").Desc(true),
		})
}
