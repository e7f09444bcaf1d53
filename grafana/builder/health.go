package builder

//lint:file-ignore SA1019 the classic dashboard schema on purpose: every Grafana from 9 on provisions it from files; dashboardv2 needs Grafana 12 with its new dashboard API.

import (
	"fmt"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/units"
)

// jobSel selects the exporter's own series (process, Go runtime, scrape):
// they carry job and instance but no source.
const jobSel = `{job=~"$job"}`

// Lag thresholds in bytes. 10 MiB is the floor of the alert
// SecondMeExporterLagGrowing; 64 MiB behind, errors surface minutes late.
const (
	lagWarnBytes = 10 << 20
	lagCritBytes = 64 << 20
)

// malformedRatioAlert is the share of malformed records at which
// SecondMeExporterMalformedRecords fires.
const malformedRatioAlert = 0.01

// Health is "secondme_error_exporter — health": whether the error
// dashboards can be trusted. An error rate of zero means nothing if the
// exporter stopped reading, fell behind, or drops malformed records.
func Health() (dashboard.Dashboard, error) {
	return newDashboard(HealthUID, "secondme_error_exporter — health",
		"Is secondme_error_exporter reading the logs? Throughput, lag, malformed records, rotations, label overflow, scrape duration and its own CPU and memory.").
		WithVariable(datasourceVariable()).
		WithVariable(queryVariable("job", "Job", "secondme_exporter_lines_total", "job")).
		WithVariable(queryVariable("source", "Source", `secondme_exporter_lines_total{job=~"$job"}`, "source")).
		WithRow(dashboard.NewRowBuilder("Now")).
		WithPanel(upStat()).
		WithPanel(reloadStat()).
		WithPanel(filesWatchedStat()).
		WithPanel(lagStat()).
		WithPanel(lastRecordStat()).
		WithPanel(malformedStat()).
		WithRow(dashboard.NewRowBuilder("Reading")).
		WithPanel(linesTimeseries()).
		WithPanel(bytesTimeseries()).
		WithPanel(lagTimeseries()).
		WithPanel(lastRecordTimeseries()).
		WithPanel(malformedTimeseries()).
		WithPanel(rotationsTimeseries()).
		WithPanel(filesWatchedTimeseries()).
		WithPanel(overflowTimeseries()).
		WithRow(dashboard.NewRowBuilder("Process")).
		WithPanel(scrapeDurationTimeseries()).
		WithPanel(cpuTimeseries()).
		WithPanel(memoryTimeseries()).
		WithPanel(goroutinesTimeseries()).
		WithPanel(buildInfoTable()).
		Build()
}

func upStat() cog.Builder[dashboard.Panel] {
	return statPanel("Targets up",
		"Lowest `up` of the exporter's scrape targets: DOWN means at least one instance cannot be scraped and its errors are invisible.",
		units.NoUnit, "no target",
		prometheusQuery(`min(up`+jobSel+`)`, "up"),
		thresholds(base(red), step(1, green))).
		Mappings(valueText([3]string{"0", "DOWN", red}, [3]string{"1", "UP", green})).
		GraphMode(common.BigValueGraphModeNone).
		Span(4)
}

func reloadStat() cog.Builder[dashboard.Panel] {
	return statPanel("Config reload",
		"secondme_exporter_config_last_reload_successful: FAILED means the exporter kept its previous configuration; check its log.",
		units.NoUnit, "",
		prometheusQuery(`min(secondme_exporter_config_last_reload_successful`+jobSel+`)`, "reload"),
		thresholds(base(red), step(1, green))).
		Mappings(valueText([3]string{"0", "FAILED", red}, [3]string{"1", "OK", green})).
		GraphMode(common.BigValueGraphModeNone).
		Span(4)
}

func filesWatchedStat() cog.Builder[dashboard.Panel] {
	return statPanel("Files watched",
		"Log files followed right now. 0: the globs match nothing (wrong path, missing volume mount).",
		units.Short, "0",
		prometheusQuery(fmt.Sprintf(`sum(secondme_exporter_files_watched%s)`, sel()), "files"),
		thresholds(base(red), step(1, green))).
		Span(4)
}

func lagStat() cog.Builder[dashboard.Panel] {
	return statPanel("Max lag",
		"Largest backlog of any source: bytes written to its files but not read yet.",
		units.BytesIEC, "0",
		prometheusQuery(fmt.Sprintf(`max(secondme_exporter_lag_bytes%s)`, sel()), "lag"),
		thresholds(base(green), step(lagWarnBytes, yellow), step(lagCritBytes, red))).
		Span(4)
}

func lastRecordStat() cog.Builder[dashboard.Panel] {
	return statPanel("Since last record",
		"Time since the most recently read record of any selected source. Quiet logs are legitimate; a source that usually talks and has gone silent is not.",
		units.Seconds, "never",
		prometheusQuery(fmt.Sprintf(`time() - max(secondme_exporter_last_record_timestamp_seconds%s)`, sel()), "age"),
		thresholds(base(green), step(900, yellow), step(3600, orange))).
		Span(4)
}

func malformedStat() cog.Builder[dashboard.Panel] {
	return statPanel("Malformed records",
		fmt.Sprintf("Share of records that looked like an envelope but failed validation or were skipped (oversized, too deep…). Red at %g%%, the threshold of SecondMeExporterMalformedRecords: real errors may go uncounted.", 100*malformedRatioAlert),
		units.PercentUnit, "0",
		prometheusQuery(fmt.Sprintf(`sum(rate(secondme_exporter_malformed_total%s[$__rate_interval])) / (sum(rate(secondme_exporter_lines_total%s[$__rate_interval])) > 0)`, sel(), sel()), "malformed"),
		thresholds(base(green), step(malformedRatioAlert/10, yellow), step(malformedRatioAlert, red))).
		Decimals(2).
		Span(4)
}

func linesTimeseries() cog.Builder[dashboard.Panel] {
	return timeseriesPanel("Records read",
		"Records (lines, or joined multi-line JSON) read per second per source.",
		units.CountsPerSecond,
		prometheusQuery(fmt.Sprintf(`sum by (source) (rate(secondme_exporter_lines_total%s[$__rate_interval]))`, sel()), "{{source}}"))
}

func bytesTimeseries() cog.Builder[dashboard.Panel] {
	return timeseriesPanel("Bytes read",
		"Bytes per second handed to the parser per source.",
		units.BytesPerSecondSI,
		prometheusQuery(fmt.Sprintf(`sum by (source) (rate(secondme_exporter_bytes_total%s[$__rate_interval]))`, sel()), "{{source}}"))
}

func lagTimeseries() cog.Builder[dashboard.Panel] {
	return timeseriesPanel("Lag",
		"Bytes written to each source's files but not read yet. A rising line: the exporter cannot keep up.",
		units.BytesIEC,
		prometheusQuery(fmt.Sprintf(`sum by (source) (secondme_exporter_lag_bytes%s)`, sel()), "{{source}}")).
		Thresholds(thresholds(base(green), step(lagWarnBytes, yellow), step(lagCritBytes, red))).
		ThresholdsStyle(common.NewGraphThresholdsStyleConfigBuilder().Mode(common.GraphThresholdsStyleModeDashed))
}

func lastRecordTimeseries() cog.Builder[dashboard.Panel] {
	return timeseriesPanel("Time since last record",
		"Per source: seconds since its last record was read.",
		units.Seconds,
		prometheusQuery(fmt.Sprintf(`time() - max by (source) (secondme_exporter_last_record_timestamp_seconds%s)`, sel()), "{{source}}"))
}

func malformedTimeseries() cog.Builder[dashboard.Panel] {
	return stacked(timeseriesPanel("Malformed records by reason",
		"Records that looked like an envelope but failed validation, by reason (bad_error_code, truncated_json, oversized, …; the closed set is in the README).",
		units.CountsPerSecond,
		prometheusQuery(fmt.Sprintf(`sum by (reason) (rate(secondme_exporter_malformed_total%s[$__rate_interval]))`, sel()), "{{reason}}")))
}

func rotationsTimeseries() cog.Builder[dashboard.Panel] {
	return timeseriesPanel("Rotations and truncations",
		"Log rotations (a new file at a watched path) and truncations (copytruncate: reading restarts at 0) per interval. Truncations without rotations can lose lines.",
		units.Short,
		prometheusQuery(fmt.Sprintf(`sum by (source) (increase(secondme_exporter_rotations_total%s[$__rate_interval]))`, sel()), "{{source}} rotations"),
		prometheusQuery(fmt.Sprintf(`sum by (source) (increase(secondme_exporter_truncations_total%s[$__rate_interval]))`, sel()), "{{source}} truncations")).
		DrawStyle(common.GraphDrawStyleBars).
		FillOpacity(60)
}

func filesWatchedTimeseries() cog.Builder[dashboard.Panel] {
	return timeseriesPanel("Files watched",
		"Files followed per source. Steps show rotation and new files matching the globs.",
		units.Short,
		prometheusQuery(fmt.Sprintf(`sum by (source) (secondme_exporter_files_watched%s)`, sel()), "{{source}}")).
		Decimals(0)
}

func overflowTimeseries() cog.Builder[dashboard.Panel] {
	return timeseriesPanel("Label overflow",
		"Errors counted as error_code=\"other\" because the source already has --metrics.max-unknown-codes distinct unknown codes: their codes are lost. Extend the catalog.",
		units.CountsPerSecond,
		prometheusQuery(fmt.Sprintf(`sum by (source) (rate(secondme_exporter_label_overflow_total%s[$__rate_interval]))`, sel()), "{{source}}"))
}

func scrapeDurationTimeseries() cog.Builder[dashboard.Panel] {
	return timeseriesPanel("Scrape duration",
		"How long Prometheus takes to scrape each exporter instance; it grows with the number of series (sources × codes).",
		units.Seconds,
		prometheusQuery(`scrape_duration_seconds`+jobSel, "{{instance}}"))
}

func cpuTimeseries() cog.Builder[dashboard.Panel] {
	return timeseriesPanel("CPU",
		"CPU used by each exporter process, in cores (1 = 100 % of one core).",
		units.PercentUnit,
		prometheusQuery(`rate(process_cpu_seconds_total`+jobSel+`[$__rate_interval])`, "{{instance}}"))
}

func memoryTimeseries() cog.Builder[dashboard.Panel] {
	return timeseriesPanel("Memory",
		"Resident memory of each exporter process, and the Go heap in use within it.",
		units.BytesIEC,
		prometheusQuery(`process_resident_memory_bytes`+jobSel, "{{instance}} resident"),
		prometheusQuery(`go_memstats_heap_inuse_bytes`+jobSel, "{{instance}} heap in use"))
}

func goroutinesTimeseries() cog.Builder[dashboard.Panel] {
	return timeseriesPanel("Goroutines",
		"Goroutines of each exporter process; steady growth means a leak (e.g. one per rotated file).",
		units.Short,
		prometheusQuery(`go_goroutines`+jobSel, "{{instance}}")).
		Decimals(0)
}

func buildInfoTable() cog.Builder[dashboard.Panel] {
	return tablePanel("Versions",
		"secondme_exporter_build_info of each instance.",
		tableQuery(`max by (job, instance, version, revision, branch, goversion) (secondme_exporter_build_info`+jobSel+`)`)).
		Height(6).
		WithTransformation(organize(
			[]string{"Time", "Value"},
			[]string{"job", "instance", "version", "revision", "branch", "goversion"})).
		OverrideByName("job", column("Job")).
		OverrideByName("instance", column("Instance")).
		OverrideByName("version", column("Version")).
		OverrideByName("revision", column("Revision")).
		OverrideByName("branch", column("Branch")).
		OverrideByName("goversion", column("Go"))
}
