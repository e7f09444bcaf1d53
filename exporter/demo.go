package exporter

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/secondme/secondme_error_exporter/config"
	"github.com/secondme/secondme_error_exporter/demo"
)

// DemoSource is the source label of the demo input.
const DemoSource = "demo"

// Demo defaults: a gentle rate, so the demo is cheap to leave running, and a
// spike every two minutes, so that a newcomer sees one within a few
// minutes of `go run … --demo`.
const (
	DefaultDemoRate = 20
	demoSpikeEvery  = 2 * time.Minute
	demoSpikeFor    = 20 * time.Second
)

// startDemo writes demo traffic to a file in a new temporary directory and
// points opts at it. The returned function stops the writer and removes
// the directory.
func startDemo(ctx context.Context, opts *Options) (func(), error) {
	if opts.ConfigFile != "" || len(opts.TailPaths) > 0 {
		return nil, errors.New("--demo tails its own file: do not combine it with --config.file or --tail.path")
	}
	rate := opts.DemoRate
	if rate <= 0 {
		rate = DefaultDemoRate
	}
	start, every, length, err := demo.SpikeSchedule(rate, demoSpikeEvery/4, demoSpikeEvery, demoSpikeFor)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "secondme-demo-")
	if err != nil {
		return nil, fmt.Errorf("creating the demo directory: %w", err)
	}
	path := filepath.Join(dir, "secondme-client.log")
	// Create the file before the tailer starts so that readiness does not
	// depend on the writer's first tick.
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	f.Close()
	opts.demoPath = path

	wctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, err := demo.WriteFiles(wctx, demo.FileOptions{
			Paths: []string{path},
			WriterOptions: demo.WriterOptions{
				Options: demo.Options{
					Seed:         opts.DemoSeed,
					SpikeStart:   start,
					SpikeEvery:   every,
					SpikeLength:  length,
					UnknownCodes: true,
				},
				Rate: rate,
			},
		})
		if err != nil {
			opts.Logger.Error("Demo writer stopped", "err", err)
		}
	}()
	opts.Logger.Info("Demo mode: writing SecondMe client traffic and tailing it from the beginning",
		"file", path, "rate_per_second", rate, "spike_code", demo.DefaultSpikeCode, "spike_every", demoSpikeEvery)
	opts.Logger.Info("Demo metrics", "url", metricsURL(opts))
	return func() {
		cancel()
		wg.Wait()
		os.RemoveAll(dir)
	}, nil
}

// demoConfig is the configuration of --demo: one input, read from the
// beginning so that nothing the writer wrote before the tailer opened the
// file is missed.
func demoConfig(path string, g config.GlobalConfig) (*config.Config, error) {
	cfg := &config.Config{
		Global: g,
		Inputs: []config.Input{{Name: DemoSource, Paths: []string{path}, Start: config.StartBeginning}},
	}
	if err := cfg.Resolve(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// metricsURL is the URL a newcomer can open, derived from the first listen
// address.
func metricsURL(opts *Options) string {
	path := opts.TelemetryPath
	if path == "" {
		path = "/metrics"
	}
	addr := DefaultListenAddress
	if opts.Listener != nil {
		addr = opts.Listener.Addr().String()
	} else if opts.Web != nil && opts.Web.WebListenAddresses != nil && len(*opts.Web.WebListenAddresses) > 0 {
		addr = (*opts.Web.WebListenAddresses)[0]
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr + path
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return fmt.Sprintf("http://%s:%s%s", host, port, path)
}
