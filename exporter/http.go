package exporter

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/common/version"
	"github.com/prometheus/exporter-toolkit/web"
)

// handler serves the telemetry path, the landing page, /-/healthy,
// /-/ready and POST /-/reload. Reload requests are sent to reload, which
// the Run loop answers, so that SIGHUP and HTTP share one path.
func (e *Exporter) handler(reload chan chan error) http.Handler {
	mux := http.NewServeMux()
	path := e.opts.TelemetryPath
	if path == "" {
		path = "/metrics"
	}
	mux.Handle(path, promhttp.InstrumentMetricHandler(e.reg, promhttp.HandlerFor(e.reg, promhttp.HandlerOpts{
		ErrorLog:          slogPrinter{e.logger},
		ErrorHandling:     promhttp.ContinueOnError,
		Registry:          e.reg,
		EnableOpenMetrics: true,
	})))
	mux.HandleFunc("/-/healthy", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusOK)
		fmt.Fprintln(w, "Healthy")
	})
	mux.HandleFunc("/-/ready", func(w http.ResponseWriter, _ *http.Request) {
		if !e.Ready() {
			http.Error(w, "Not ready: inputs are still being opened", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
		fmt.Fprintln(w, "Ready")
	})
	mux.HandleFunc("/-/reload", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost && r.Method != http.MethodPut {
			w.Header().Set("Allow", "POST, PUT")
			http.Error(w, "Only POST or PUT requests allowed", http.StatusMethodNotAllowed)
			return
		}
		rc := make(chan error)
		var err error
		select {
		case reload <- rc:
			err = <-rc
		case <-r.Context().Done():
			return
		}
		if err != nil {
			http.Error(w, fmt.Sprintf("failed to reload config: %s", err), http.StatusInternalServerError)
			return
		}
		fmt.Fprintln(w, "Reloaded")
	})
	if path != "/" {
		landing, err := web.NewLandingPage(web.LandingConfig{
			Name:        Name,
			Description: "Counts SecondMe API error envelopes found in application and gateway logs",
			Version:     version.Info(),
			Profiling:   "false", // no /debug/pprof handlers: no links to them
			Links: []web.LandingLinks{
				{Address: path, Text: "Metrics"},
				{Address: "/-/healthy", Text: "Health"},
				{Address: "/-/ready", Text: "Readiness", Description: "ready once every input is open"},
			},
		})
		if err != nil {
			// The landing page is a template over constants: an error is a
			// programming error, but it must not take /metrics down.
			e.logger.Error("Building the landing page", "err", err)
		} else {
			mux.Handle("/", landing)
		}
	}
	return mux
}

// slogPrinter adapts a slog.Logger to promhttp's Logger.
type slogPrinter struct{ l *slog.Logger }

func (p slogPrinter) Println(v ...any) { p.l.Error(fmt.Sprint(v...)) }
