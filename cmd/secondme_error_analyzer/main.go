// Command secondme_error_analyzer replays logs offline through the
// exporter's parser, metrics and the shipped alert rules: what happened,
// what the exporter would have counted, what would have paged.
//
// It is a binary of its own so that the Prometheus rule engine and the
// Alertmanager packages it needs stay out of the exporter's sidecar image.
// This file is wiring only: flags → analyze.Config → analyze.Run.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/alecthomas/kingpin/v2"
	"github.com/prometheus/common/promslog"
	promslogflag "github.com/prometheus/common/promslog/flag"
	"github.com/prometheus/common/version"
	"golang.org/x/term"

	"github.com/secondme/secondme_error_exporter/analyze"
	"github.com/secondme/secondme_error_exporter/catalog"
	"github.com/secondme/secondme_error_exporter/config"
	"github.com/secondme/secondme_error_exporter/containerlog"
	"github.com/secondme/secondme_error_exporter/internal/buildinfo"
)

const name = "secondme_error_analyzer"

func main() {
	buildinfo.Fill()
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	// An input whose name starts with "@" is a file, not a list of
	// arguments to expand.
	kingpin.EnableFileExpansion = false
	def := analyze.DefaultConfig()
	app := kingpin.New(name, "Replays SecondMe client logs offline: totals, top error codes with their meaning, "+
		"a timeline with spikes; the counters the exporter would expose; the alerts the rules would have fired "+
		"and the notifications Alertmanager would have sent.")
	app.Version(version.Print(name))
	app.HelpFlag.Short('h')
	app.UsageWriter(stderr)
	app.ErrorWriter(stderr)
	logConfig := &promslog.Config{}
	promslogflag.AddFlags(app, logConfig)
	var (
		inputs      = app.Arg("input", "Log files, globs, or - for stdin; gzip is detected.").Required().Strings()
		format      = app.Flag("format", "Output: text, json, markdown, html or prometheus.").Short('f').Default(def.Format).Enum(analyze.Formats...)
		source      = app.Flag("source", "The source label, as the exporter's input name.").Default(config.DefaultSource).String()
		catalogFile = app.Flag("catalog.file", "Catalog extension file, as the exporter's.").String()
		maxUnknown  = app.Flag("metrics.max-unknown-codes", "Distinct unknown codes before error_code=\"other\", as the exporter's.").Default(fmt.Sprint(def.Scan.MaxUnknownCodes)).Int()
		maxRecord   = app.Flag("tail.max-record-bytes", "Longest record, as the exporter's.").Default("1MiB").Bytes()
		logFormat   = app.Flag("tail.format", "How the input wraps the application's lines: raw, cri or docker, as the exporter's.").Default("raw").Enum(containerlog.Formats()...)
		multiline   = app.Flag("multiline", "Join pretty-printed JSON spread over lines (an exporter input's multiline: true).").Default("true").Bool()
		mlLines     = app.Flag("multiline.max-lines", "Most lines of a joined record.").Default(fmt.Sprint(def.Scan.MultilineMaxLines)).Int()
		mlBytes     = app.Flag("multiline.max-bytes", "Most bytes of a joined record.").Default("1MiB").Bytes()
		timezone    = app.Flag("timezone", "Zone of times written without one (Python logging, \"2026-11-24 10:00:00\").").Default("UTC").String()
		top         = app.Flag("top", "Error codes listed in the top table.").Default(fmt.Sprint(def.Summary.Top)).Int()
		bucket      = app.Flag("timeline.bucket", "Timeline row width (0: automatic, at most 120 rows).").Default("0s").Duration()
		spikeFactor = app.Flag("spike.factor", "A bucket spikes at this many times the median bucket...").Default(fmt.Sprint(def.Summary.SpikeFactor)).Float64()
		spikeExcess = app.Flag("spike.min-excess", "...and at least this many events above it.").Default(fmt.Sprint(def.Summary.SpikeMinExcess)).Int64()
		ruleFiles   = app.Flag("rules", "Prometheus rule files (globs, repeatable): backtest them over the replay.").Strings()
		scrape      = app.Flag("scrape-interval", "Interval of the virtual scrapes of the replay.").Default(def.ScrapeInterval.String()).Duration()
		evalIv      = app.Flag("evaluation-interval", "Interval of rule groups that set none (Prometheus' global.evaluation_interval).").Default(def.EvaluationInterval.String()).Duration()
		tail        = app.Flag("backtest.tail", "How long the replay goes on after the last event, so alerts can resolve.").Default(def.Tail.String()).Duration()
		job         = app.Flag("backtest.job", "job label of the virtual target.").Default(def.TargetLabels["job"]).String()
		instance    = app.Flag("backtest.instance", "instance label of the virtual target.").Default(def.TargetLabels["instance"]).String()
		amConfig    = app.Flag("alertmanager.config", "Alertmanager configuration: estimate the notifications of the backtest's alerts.").String()
		omFile      = app.Flag("openmetrics", "Write the replayed series with timestamps here, for promtool tsdb create-blocks-from openmetrics.").String()
		noProgress  = app.Flag("no-progress", "Never show the progress line (it is shown on a terminal only).").Bool()
	)
	if _, err := app.Parse(args); err != nil {
		fmt.Fprintf(stderr, "%s: %s\n", name, err)
		return 2
	}
	for i, in := range *inputs {
		if in == "" {
			// kingpin hands a lone "-" argument over as "".
			(*inputs)[i] = "-"
		}
	}
	logger := promslog.New(logConfig)

	c := def
	c.Inputs, c.Stdin, c.Format = *inputs, stdin, *format
	c.Scan.Source = *source
	c.Scan.MaxUnknownCodes = *maxUnknown
	c.Scan.MaxRecordBytes = int(*maxRecord)
	c.Scan.Multiline = *multiline
	c.Scan.Format, _ = containerlog.ParseFormat(*logFormat) // one of Formats()
	c.Scan.MultilineMaxLines = *mlLines
	c.Scan.MultilineMaxBytes = int(*mlBytes)
	c.Scan.Logger = logger
	loc, err := time.LoadLocation(*timezone)
	if err != nil {
		fmt.Fprintf(stderr, "%s: --timezone: %s\n", name, err)
		return 2
	}
	c.Scan.Location = loc
	if *catalogFile != "" {
		if c.Scan.Catalog, err = catalog.LoadFile(*catalogFile); err != nil {
			fmt.Fprintf(stderr, "%s: --catalog.file: %s\n", name, err)
			return 2
		}
	}
	c.Summary.Top, c.Summary.TimelineBucket = *top, *bucket
	c.Summary.SpikeFactor, c.Summary.SpikeMinExcess = *spikeFactor, *spikeExcess
	c.RuleFiles, c.ScrapeInterval, c.EvaluationInterval, c.Tail = *ruleFiles, *scrape, *evalIv, *tail
	c.TargetLabels = map[string]string{"job": *job, "instance": *instance}
	c.AlertmanagerConfig, c.OpenMetricsFile = *amConfig, *omFile
	if f, ok := stderr.(*os.File); ok && !*noProgress && term.IsTerminal(int(f.Fd())) {
		c.ProgressTo = stderr
	}

	if err := analyze.Run(ctx, c, stdout); err != nil {
		fmt.Fprintf(stderr, "%s: %s\n", name, err)
		return 1
	}
	return 0
}
