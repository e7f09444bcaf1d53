// Command secondme_error_exporter tails application and gateway logs, finds
// SecondMe API error envelopes and exposes them as Prometheus metrics.
//
// This file is wiring only: flags → exporter.Options → exporter.Run. Only
// main touches signals: SIGTERM/SIGINT cancel the context, SIGHUP feeds the
// reload channel.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/alecthomas/kingpin/v2"
	"github.com/prometheus/common/model"
	"github.com/prometheus/common/promslog"
	promslogflag "github.com/prometheus/common/promslog/flag"
	"github.com/prometheus/common/version"
	"github.com/prometheus/exporter-toolkit/web/kingpinflag"

	"github.com/secondme/secondme_error_exporter/config"
	"github.com/secondme/secondme_error_exporter/containerlog"
	"github.com/secondme/secondme_error_exporter/demo"
	"github.com/secondme/secondme_error_exporter/exporter"
	"github.com/secondme/secondme_error_exporter/internal/buildinfo"
)

func main() {
	buildinfo.Fill()
	os.Exit(run(os.Args[1:]))
}

// writerCommand is the subcommand that runs the demo writer on its own (for
// the compose stack and the end-to-end tests). It is a separate kingpin
// application so that `--help` of the daemon lists the daemon's flags.
const writerCommand = "demo-writer"

func run(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if len(args) > 0 && args[0] == writerCommand {
		return runWriter(ctx, args[1:])
	}
	return runExporter(ctx, args)
}

func runExporter(ctx context.Context, args []string) int {
	app := kingpin.New(exporter.Name, "Tails logs, finds SecondMe API error envelopes and exposes them as Prometheus metrics.\n\n"+
		"`"+exporter.Name+" "+writerCommand+" --help` describes the standalone demo traffic writer.")
	app.Version(version.Print(exporter.Name))
	app.HelpFlag.Short('h')
	logConfig := &promslog.Config{}
	promslogflag.AddFlags(app, logConfig)
	var (
		configFile  = app.Flag("config.file", "YAML configuration file (inputs, limits, catalog file). Mutually exclusive with --tail.path.").String()
		configCheck = app.Flag("config.check", "Validate the configuration (and its catalog file), print it and exit.").Bool()
		tailPaths   = app.Flag("tail.path", "Glob of log files to tail, repeatable; all of them form the source \"default\".").Strings()
		tailML      = app.Flag("tail.multiline", "Join JSON (or a Python dict, a PHP dump) pretty-printed over several lines into one record, as an input's multiline: true does.").Bool()
		tailFormat  = app.Flag("tail.format", "How the files wrap the application's lines: raw, cri (Kubernetes /var/log/pods) or docker (json-file driver); cri and docker partial lines are joined. An input's format: does the same.").Default("raw").Enum(containerlog.Formats()...)
		tailStart   = app.Flag("tail.start", "Where to start reading a file that has no saved position: end or beginning.").Default("end").Enum("end", "beginning")
		tailPoll    = app.Flag("tail.poll", "Poll files instead of using inotify (NFS, some overlay filesystems).").Bool()
		positions   = app.Flag("tail.positions-file", "File keeping the read offset of every file across restarts (empty: none).").String()
		posInterval = app.Flag("tail.positions-interval", "How often the positions file is written; bounds the records counted twice after a crash.").Default(config.DefaultGlobalConfig.PositionsInterval.String()).Duration()
		maxRecord   = app.Flag("tail.max-record-bytes", "Longest record; longer ones are skipped and counted as malformed{reason=\"oversized\"}.").Default("1MiB").Bytes()
		maxUnknown  = app.Flag("metrics.max-unknown-codes", "Distinct error codes outside the catalog per source before they are counted as error_code=\"other\".").Default("100").Int()
		catalogFile = app.Flag("catalog.file", "Catalog extension file (with --tail.path; a configuration file names its own).").String()
		telemetry   = app.Flag("web.telemetry-path", "Path under which to expose metrics.").Default("/metrics").String()
		demoMode    = app.Flag("demo", "Write demo SecondMe client traffic to a temporary file and tail it.").Bool()
		demoRate    = app.Flag("demo.rate", "Records per second written in --demo mode.").Default(fmt.Sprint(exporter.DefaultDemoRate)).Float64()
		webFlags    = kingpinflag.AddFlags(app, exporter.DefaultListenAddress)
	)
	if _, err := app.Parse(args); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %s\n", exporter.Name, err)
		return 2
	}
	logger := promslog.New(logConfig)

	start, err := config.ParseStart(*tailStart)
	if err != nil {
		logger.Error("Invalid --tail.start", "err", err)
		return 2
	}
	global := config.DefaultGlobalConfig
	global.Start = start
	global.Poll = *tailPoll
	global.PositionsFile = *positions
	global.PositionsInterval = model.Duration(*posInterval)
	global.MaxRecordBytes = config.ByteSize(*maxRecord)
	global.MaxUnknownCodes = *maxUnknown

	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)

	opts := exporter.Options{
		ConfigFile:    *configFile,
		TailPaths:     *tailPaths,
		TailMultiline: *tailML,
		TailFormat:    *tailFormat,
		CatalogFile:   *catalogFile,
		Global:        global,
		Web:           webFlags,
		TelemetryPath: *telemetry,
		Logger:        logger,
		Reload:        hup,
		Demo:          *demoMode,
		DemoRate:      *demoRate,
		DemoSeed:      uint64(time.Now().UnixNano()),
	}

	if *configCheck {
		cfg, err := exporter.CheckConfig(opts)
		if err != nil {
			fmt.Fprintf(os.Stderr, "FAILED: %s\n", err)
			return 1
		}
		fmt.Printf("SUCCESS: %d input(s), %d catalog code(s)\n\n%s", len(cfg.Inputs), len(cfg.Catalog.Entries()), cfg)
		return 0
	}

	logger.Info("Starting "+exporter.Name, "version", version.Info())
	logger.Info("Build context", "build_context", version.BuildContext())
	if err := exporter.Run(ctx, opts); err != nil {
		logger.Error("Exporter stopped", "err", err)
		return 1
	}
	logger.Info("Exporter stopped")
	return 0
}

func runWriter(ctx context.Context, args []string) int {
	app := kingpin.New(exporter.Name+" "+writerCommand,
		"Append deterministic demo SecondMe traffic to files and report exactly what was written (for the compose stack and the end-to-end tests).")
	app.HelpFlag.Short('h')
	logConfig := &promslog.Config{}
	promslogflag.AddFlags(app, logConfig)
	var (
		out        = app.Flag("out", "File to append to (repeatable; records are spread round-robin).").Required().Strings()
		rate       = app.Flag("rate", "Records per second over all files (0: as fast as possible).").Default("50").Float64()
		count      = app.Flag("count", "Stop after this many records (0: no limit).").Default("0").Int64()
		duration   = app.Flag("duration", "Stop after this long (0: no limit).").Default("0s").Duration()
		seed       = app.Flag("seed", "Seed of the record sequence.").Default("1").Uint64()
		spikeCode  = app.Flag("spike-code", "Error code of the spikes.").Default(demo.DefaultSpikeCode).String()
		spikeAt    = app.Flag("spike-at", "Time of the first spike from the start.").Default("30s").Duration()
		spikeEvery = app.Flag("spike-every", "Time between spike starts (0: no spikes).").Default("2m").Duration()
		spikeFor   = app.Flag("spike-for", "Length of each spike.").Default("20s").Duration()
		spikeShare = app.Flag("spike-rate", "Share of the records inside a spike that carry the spike code.").Default("0.5").Float64()
		unknown    = app.Flag("unknown-codes", "Also write a few grammar-valid codes that are not in the catalog.").Default("true").Bool()
		countsFile = app.Flag("counts-file", "Write the exact counts of what was written here as JSON when done (also on SIGTERM).").String()
	)
	if _, err := app.Parse(args); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %s\n", app.Name, err)
		return 2
	}
	logger := promslog.New(logConfig)
	start, every, length, err := demo.SpikeSchedule(*rate, *spikeAt, *spikeEvery, *spikeFor)
	if err != nil {
		logger.Error("Invalid spike schedule", "err", err)
		return 2
	}
	counts, err := demo.WriteFiles(ctx, demo.FileOptions{
		Paths:      *out,
		CountsFile: *countsFile,
		WriterOptions: demo.WriterOptions{
			Options: demo.Options{
				Seed: *seed, SpikeCode: *spikeCode, SpikeStart: start, SpikeEvery: every,
				SpikeLength: length, SpikeShare: *spikeShare, UnknownCodes: *unknown,
			},
			Rate: *rate, Count: *count, Duration: *duration,
		},
	})
	if err != nil {
		logger.Error("Demo writer failed", "err", err)
		return 1
	}
	logger.Info("Demo writer done", "records", counts.Records, "errors", counts.TotalErrors(), "spike", counts.Spike)
	return 0
}
