// Package exporter is the daemon's application: it wires the configuration
// to the tailer, the tailer's records to per-source parsers, the parsers'
// envelopes to the metrics, and serves them over HTTP — with one reload path
// for SIGHUP and POST /-/reload.
//
// cmd/secondme_error_exporter only turns flags into Options; everything
// that can be tested without a process boundary lives here.
package exporter

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	versioncollector "github.com/prometheus/client_golang/prometheus/collectors/version"
	"github.com/prometheus/exporter-toolkit/web"

	"github.com/secondme/secondme_error_exporter/config"
	"github.com/secondme/secondme_error_exporter/containerlog"
	"github.com/secondme/secondme_error_exporter/metrics"
	"github.com/secondme/secondme_error_exporter/parser"
	"github.com/secondme/secondme_error_exporter/tailer"
)

// Name is the program name used in logs, build info and the landing page.
const Name = "secondme_error_exporter"

// Options is everything the daemon is started with (the flags).
type Options struct {
	// ConfigFile is the YAML configuration; when empty, TailPaths form one
	// input named config.DefaultSource.
	ConfigFile string
	TailPaths  []string
	// TailMultiline joins pretty-printed records in TailPaths mode (a
	// configuration file sets multiline per input).
	TailMultiline bool
	// TailFormat is how the files of TailPaths wrap their lines (raw, cri,
	// docker; a configuration file sets format per input).
	TailFormat string
	// CatalogFile extends the embedded catalog in TailPaths mode (a
	// configuration file names its own).
	CatalogFile string
	// Global holds the flag values of the global settings; a configuration
	// file overrides the ones it sets. The zero value means
	// config.DefaultGlobalConfig.
	Global config.GlobalConfig

	// Web holds the exporter-toolkit flags (listen addresses, web config
	// file for TLS and basic auth).
	Web *web.FlagConfig
	// Listener, when set, is served instead of Web's listen addresses
	// (tests pass a 127.0.0.1:0 listener to learn the port).
	Listener      net.Listener
	TelemetryPath string

	Logger *slog.Logger
	// Reload receives a value for every reload request (SIGHUP); the
	// HTTP endpoint POST /-/reload takes the same path.
	Reload <-chan os.Signal

	// Demo writes demo traffic to a temporary file and tails it.
	Demo     bool
	DemoRate float64
	DemoSeed uint64

	demoPath string // set by startDemo
}

// Exporter is a running daemon: its registry, metrics, tailer and the
// configuration in force.
type Exporter struct {
	opts    Options
	logger  *slog.Logger
	debug   bool
	reg     *prometheus.Registry
	metrics *metrics.Metrics
	tailer  *tailer.Tailer

	reloadMu sync.Mutex // serialises reloads
	cfg      *config.Config

	// states is the per-source state the tailer's goroutines read on every
	// record. It is replaced whole on reload (copy-on-write), so the hot
	// path takes no lock.
	states atomic.Pointer[map[string]*sourceState]
}

// sourceState is what one source's records need: a pool of parsers (a
// parser.Parser is not safe for concurrent use and the tailer runs one
// goroutine per file) and the source's metrics.
type sourceState struct {
	parsers sync.Pool
	metrics *metrics.Source
}

func newSourceState(m *metrics.Source, newParser func() *parser.Parser) *sourceState {
	st := &sourceState{metrics: m}
	st.parsers.New = func() any { return newParser() }
	return st
}

// New loads the configuration, builds the registry and the tailer, and
// hands the tailer its inputs. Nothing is read until Run.
func New(opts Options) (*Exporter, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	logger := slog.New(NewRedactingHandler(opts.Logger.Handler()))
	e := &Exporter{
		opts:   opts,
		logger: logger,
		debug:  logger.Enabled(context.Background(), slog.LevelDebug),
		reg:    prometheus.NewRegistry(),
	}
	cfg, err := e.loadConfig()
	if err != nil {
		return nil, err
	}
	e.reg.MustRegister(
		versioncollector.NewCollector("secondme_exporter"),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	e.metrics = metrics.New(e.reg, cfg.Catalog, cfg.Global.MaxUnknownCodes)
	g := cfg.Global
	e.tailer, err = tailer.New(tailer.Options{
		Poll:              g.Poll,
		PollInterval:      time.Duration(g.PollInterval),
		PositionsFile:     g.PositionsFile,
		PositionsInterval: time.Duration(g.PositionsInterval),
		RescanInterval:    time.Duration(g.RescanInterval),
		MaxRecordBytes:    int(g.MaxRecordBytes),
		MultilineMaxLines: g.MultilineMaxLines,
		MultilineMaxBytes: int(g.MultilineMaxBytes),
		MultilineTimeout:  time.Duration(g.MultilineTimeout),
		Logger:            logger.With("component", "tailer"),
		Hooks:             hooks{e},
	})
	if err != nil {
		return nil, fmt.Errorf("starting the tailer: %w", err)
	}
	e.metrics.SetTailerStats(e.tailerStats)
	empty := map[string]*sourceState{}
	e.states.Store(&empty)
	if err := e.apply(cfg); err != nil {
		return nil, err
	}
	e.metrics.SetReloadResult(true, time.Now())
	return e, nil
}

// Registry is the exporter's own registry (no global state).
func (e *Exporter) Registry() *prometheus.Registry { return e.reg }

// Metrics are the exporter's metrics.
func (e *Exporter) Metrics() *metrics.Metrics { return e.metrics }

// Config is the configuration in force.
func (e *Exporter) Config() *config.Config {
	e.reloadMu.Lock()
	defer e.reloadMu.Unlock()
	return e.cfg
}

// Ready reports whether every input is open.
func (e *Exporter) Ready() bool { return e.tailer.Ready() }

func (e *Exporter) loadConfig() (*config.Config, error) {
	if e.opts.Global == (config.GlobalConfig{}) {
		e.opts.Global = config.DefaultGlobalConfig
	}
	if e.opts.demoPath != "" {
		return demoConfig(e.opts.demoPath, e.opts.Global)
	}
	if e.opts.ConfigFile != "" {
		if len(e.opts.TailPaths) > 0 {
			return nil, errors.New("--tail.path and --config.file are mutually exclusive")
		}
		if e.opts.CatalogFile != "" || e.opts.TailMultiline || (e.opts.TailFormat != "" && e.opts.TailFormat != "raw") {
			// Ignoring them would leave the user believing they apply.
			return nil, errors.New("--catalog.file, --tail.multiline and --tail.format go with --tail.path; a configuration file sets catalog_file, and multiline and format per input")
		}
		return config.LoadFileWithDefaults(e.opts.ConfigFile, e.opts.Global)
	}
	return config.FromFlags(e.opts.TailPaths, e.opts.CatalogFile, e.opts.TailMultiline, e.opts.TailFormat, e.opts.Global)
}

// CheckConfig loads the configuration the daemon would run with and
// reports what is wrong with it (--config.check).
func CheckConfig(opts Options) (*config.Config, error) {
	e := &Exporter{opts: opts}
	return e.loadConfig()
}

// Reload re-reads the configuration and applies it. On any error the
// running configuration stays in force. Inputs that stay keep their
// counters; inputs that are removed stop being read and their counters
// stay frozen (series never expire while the process runs).
func (e *Exporter) Reload() error {
	e.reloadMu.Lock()
	defer e.reloadMu.Unlock()
	cfg, err := e.loadConfig()
	if err == nil {
		err = e.apply(cfg)
	}
	if err != nil {
		e.metrics.SetReloadResult(false, time.Now())
		e.logger.Error("Reloading the configuration failed; keeping the previous one", "err", err)
		return err
	}
	e.metrics.SetReloadResult(true, time.Now())
	names := make([]string, 0, len(cfg.Inputs))
	for _, in := range cfg.Inputs {
		names = append(names, in.Name)
	}
	e.logger.Info("Configuration reloaded", "inputs", names)
	return nil
}

// apply makes cfg the configuration in force. Called from New and with
// reloadMu held.
func (e *Exporter) apply(cfg *config.Config) error {
	old := e.cfg
	if old != nil {
		e.warnRestartOnly(old.Global, cfg.Global)
	}
	oldStates := *e.states.Load()

	// The new sources are published before the tailer is told about them,
	// so the first record of a new input finds its state; the union is
	// kept until the tailer has dropped removed inputs.
	cat := cfg.Catalog
	next := make(map[string]*sourceState, len(cfg.Inputs))
	union := make(map[string]*sourceState, len(cfg.Inputs)+len(oldStates))
	for k, v := range oldStates {
		union[k] = v
	}
	for _, in := range cfg.Inputs {
		st := newSourceState(e.metrics.Source(in.Name), func() *parser.Parser { return parser.New(cat) })
		next[in.Name] = st
		union[in.Name] = st
	}
	e.metrics.SetCatalog(cat)
	e.metrics.SetMaxUnknownCodes(cfg.Global.MaxUnknownCodes)
	e.states.Store(&union)

	inputs := make([]tailer.Input, 0, len(cfg.Inputs))
	for _, in := range cfg.Inputs {
		start := tailer.StartEnd
		if in.Start == config.StartBeginning {
			start = tailer.StartBeginning
		}
		format, _ := containerlog.ParseFormat(in.Format) // validated with the configuration
		inputs = append(inputs, tailer.Input{
			Name:      in.Name,
			Globs:     slices.Clone(in.Paths),
			Start:     start,
			Multiline: in.Multiline,
			Format:    format,
		})
	}
	if err := e.tailer.SetInputs(inputs); err != nil {
		e.states.Store(&oldStates)
		if old != nil {
			e.metrics.SetCatalog(old.Catalog)
			e.metrics.SetMaxUnknownCodes(old.Global.MaxUnknownCodes)
		}
		return fmt.Errorf("applying inputs: %w", err)
	}
	e.states.Store(&next)
	e.cfg = cfg
	return nil
}

// warnRestartOnly logs the global settings that a reload cannot change:
// they shape the tailer's goroutines and the positions file, which live
// for the whole process.
func (e *Exporter) warnRestartOnly(old, cur config.GlobalConfig) {
	type setting struct {
		name     string
		old, cur any
	}
	for _, s := range []setting{
		{"poll", old.Poll, cur.Poll},
		{"poll_interval", old.PollInterval, cur.PollInterval},
		{"positions_file", old.PositionsFile, cur.PositionsFile},
		{"positions_interval", old.PositionsInterval, cur.PositionsInterval},
		{"rescan_interval", old.RescanInterval, cur.RescanInterval},
		{"max_record_bytes", old.MaxRecordBytes, cur.MaxRecordBytes},
		{"multiline_max_lines", old.MultilineMaxLines, cur.MultilineMaxLines},
		{"multiline_max_bytes", old.MultilineMaxBytes, cur.MultilineMaxBytes},
		{"multiline_timeout", old.MultilineTimeout, cur.MultilineTimeout},
	} {
		if s.old != s.cur {
			e.logger.Warn("A changed global setting takes effect only after a restart", "setting", s.name, "running", s.old, "configured", s.cur)
		}
	}
}

// tailerStats feeds files_watched and lag_bytes at scrape time. Every
// configured source is reported, at 0 when it has no file yet, so that an
// input whose glob matches nothing is visible.
func (e *Exporter) tailerStats(emit func(source string, files int, lag int64)) {
	stats := e.tailer.Stats()
	for name := range *e.states.Load() {
		s := stats[name]
		emit(name, s.FilesWatched, s.LagBytes)
	}
}

// hooks receives the tailer's callbacks. It is a separate type so that the
// callbacks are not part of Exporter's API.
type hooks struct{ e *Exporter }

var (
	_ tailer.Hooks                  = hooks{}
	_ tailer.MultilineOverflowHooks = hooks{}
)

func (h hooks) state(source string) *sourceState {
	return (*h.e.states.Load())[source]
}

// Record is the hot path: one call per record, concurrently from one
// goroutine per file.
func (h hooks) Record(source string, record []byte) {
	st := h.state(source)
	if st == nil {
		// A record of an input removed by a reload, read before the
		// tailer stopped its goroutine.
		return
	}
	p := st.parsers.Get().(*parser.Parser)
	env := p.Parse(record)
	st.parsers.Put(p)
	st.metrics.Observe(env, len(record))
	if h.e.debug && env.Kind != parser.None {
		// Whole records only at debug level, and redacted by the handler.
		h.e.logger.Debug("Record", "source", source, "kind", env.Kind, "error_code", env.ErrorCode,
			"code", env.Code, "reason", env.Reason, "record", string(record))
	}
}

func (h hooks) Oversized(source string) {
	if st := h.state(source); st != nil {
		st.metrics.Oversized()
	}
	h.e.logger.Debug("Skipped an oversized record", "source", source)
}

// MultilineOverflow implements tailer.MultilineOverflowHooks.
func (h hooks) MultilineOverflow(source string) {
	if st := h.state(source); st != nil {
		st.metrics.MultilineOverflow()
	}
	h.e.logger.Debug("Dropped a multi-line record over the assembler's limits", "source", source)
}

func (h hooks) Rotated(source string) {
	if st := h.state(source); st != nil {
		st.metrics.Rotated()
	}
	h.e.logger.Debug("File rotated", "source", source)
}

func (h hooks) Truncated(source string) {
	if st := h.state(source); st != nil {
		st.metrics.Truncated()
	}
	h.e.logger.Info("File truncated; reading it again from the start", "source", source)
}

func (h hooks) ReadError(source string, err error) {
	if st := h.state(source); st != nil {
		st.metrics.ReadError()
	}
	h.e.logger.Warn("Error reading a log file", "source", source, "err", err)
}

// Run starts the tailer and the HTTP server and serves reloads until ctx
// is done, then stops both; the tailer saves the positions as it stops.
func (e *Exporter) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	webReload := make(chan chan error)
	srv := &http.Server{
		Handler:           e.handler(webReload),
		ReadHeaderTimeout: 10 * time.Second,
	}

	tailerDone := make(chan error, 1)
	go func() { tailerDone <- e.tailer.Run(ctx) }()

	srvDone := make(chan error, 1)
	go func() {
		var err error
		if e.opts.Listener != nil {
			err = web.Serve(e.opts.Listener, srv, e.webFlags(), e.logger)
		} else {
			err = web.ListenAndServe(srv, e.webFlags(), e.logger)
		}
		srvDone <- err
	}()

	var runErr error
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-e.opts.Reload:
			_ = e.Reload() // logged and reported by the metrics
		case rc := <-webReload:
			rc <- e.Reload()
		case err := <-srvDone:
			if !errors.Is(err, http.ErrServerClosed) {
				runErr = fmt.Errorf("HTTP server: %w", err)
			}
			srvDone = nil
			break loop
		case err := <-tailerDone:
			runErr = fmt.Errorf("tailer stopped: %w", err)
			tailerDone = nil
			break loop
		}
	}
	cancel()

	shutdownCtx, stop := context.WithTimeout(context.Background(), 5*time.Second)
	defer stop()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		e.logger.Warn("HTTP server shutdown", "err", err)
	}
	// The tailer saves the positions when its Run returns: that final save
	// is what makes a graceful stop lose and repeat nothing.
	if tailerDone != nil {
		if err := <-tailerDone; err != nil && runErr == nil {
			runErr = err
		}
	}
	return runErr
}

func (e *Exporter) webFlags() *web.FlagConfig {
	if e.opts.Web != nil {
		return e.opts.Web
	}
	addrs := []string{DefaultListenAddress}
	systemd := false
	cfgFile := ""
	return &web.FlagConfig{WebListenAddresses: &addrs, WebSystemdSocket: &systemd, WebConfigFile: &cfgFile}
}

// DefaultListenAddress is the default of --web.listen-address. 19948 is
// outside the 9100–9999 range of the Prometheus "Default port allocations"
// wiki page (fully allocated) and outside the block growing from 10000
// that succeeded it, and is not a registered IANA service port.
const DefaultListenAddress = ":19948"

// Run is the daemon: it starts the demo writer when asked, builds the
// exporter and runs it until ctx is done.
func Run(ctx context.Context, opts Options) error {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	opts.Logger = slog.New(NewRedactingHandler(opts.Logger.Handler()))

	if opts.Demo {
		stop, err := startDemo(ctx, &opts)
		if err != nil {
			return err
		}
		defer stop()
	}
	e, err := New(opts)
	if err != nil {
		return err
	}
	return e.Run(ctx)
}
