package analyze

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"

	"github.com/secondme/secondme_error_exporter/config"
	"github.com/secondme/secondme_error_exporter/containerlog"
	"github.com/secondme/secondme_error_exporter/exporter"
)

// --format=prometheus prints exactly what the real exporter exposes after
// tailing the same file from the beginning (for the families it prints).
// Both the multi-line and the line-by-line reading are checked, and the
// same log as Kubernetes writes it (CRI lines, long lines split in pieces).
func TestPrometheusFormatMatchesExporter(t *testing.T) {
	var unwrapped string // the multi-line reading of the raw log
	for _, tc := range []struct {
		multiline bool
		format    string
	}{{true, "raw"}, {false, "raw"}, {true, "cri"}} {
		multiline := tc.multiline
		t.Run(fmt.Sprintf("multiline=%v,format=%s", multiline, tc.format), func(t *testing.T) {
			dir := t.TempDir()
			logPath := filepath.Join(dir, "app.log")
			data, err := os.ReadFile(incidentLog)
			if err != nil {
				t.Fatal(err)
			}
			// Add what only the exporter's limits decide: an oversized line,
			// a CRLF line, a pretty-printed record longer than
			// multiline_max_lines, and a last line without a newline.
			data = append(data, bytes.Repeat([]byte("x"), 2048)...)
			data = append(data, "\n"+`{"code":401,"error_code":"oauth2.token.expired"}`+"\r\n"...)
			data = append(data, "2026-11-24T10:30:00Z body={\n  \"code\": 500,\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 3,\n"+
				"  \"d\": 4,\n  \"error_code\": \"internal.error\"\n}\n"...)
			data = append(data, `{"code":403,"error_code":"apikey.permission.denied"}`...)
			if tc.format == "cri" {
				data = criWrap(data, 200)
			}
			if err := os.WriteFile(logPath, data, 0o644); err != nil {
				t.Fatal(err)
			}
			cfgPath := filepath.Join(dir, "exporter.yml")
			cfg := fmt.Sprintf("global:\n  start: beginning\n  max_record_bytes: 1KiB\n  multiline_max_lines: 5\n"+
				"inputs:\n  - name: app\n    paths: [%q]\n    multiline: %v\n    format: %s\n", logPath, multiline, tc.format)
			if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
				t.Fatal(err)
			}

			// The analyzer.
			c := DefaultConfig()
			c.Inputs, c.Format = []string{logPath}, FormatPrometheus
			c.Scan.Source, c.Scan.Multiline, c.Scan.MaxRecordBytes = "app", multiline, 1024
			c.Scan.MultilineMaxLines = 5
			c.Scan.Format, _ = containerlog.ParseFormat(tc.format)
			var analyzed bytes.Buffer
			if err := Run(context.Background(), c, &analyzed); err != nil {
				t.Fatal(err)
			}
			switch {
			case tc.format == "raw" && multiline:
				unwrapped = analyzed.String()
			case tc.format == "cri" && analyzed.String() != unwrapped:
				t.Errorf("the CRI-wrapped log reads differently from the raw one:\n%s", firstDiff(analyzed.String(), unwrapped))
			}
			res, err := Scan(context.Background(), []Input{ReaderInput(logPath, bytes.NewReader(data))}, c.Scan)
			if err != nil {
				t.Fatal(err)
			}

			// The exporter.
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			e, err := exporter.New(exporter.Options{ConfigFile: cfgPath, Global: config.DefaultGlobalConfig, Listener: ln, TelemetryPath: "/metrics",
				Logger: slog.New(slog.DiscardHandler), Reload: make(chan os.Signal)})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- e.Run(ctx) }()
			defer func() {
				cancel()
				if err := <-done; err != nil {
					t.Errorf("exporter: %v", err)
				}
			}()
			// Poll until the exporter has read every record, then compare
			// one more gather: a gather is not atomic across metric
			// families, so the one that saw the last record may have
			// collected other families a moment before it.
			deadline := time.Now().Add(30 * time.Second)
			var got bytes.Buffer
			for done := false; ; {
				fams, err := e.Registry().Gather()
				if err != nil {
					t.Fatal(err)
				}
				fams = exposed(fams)
				got.Reset()
				enc := expfmt.NewEncoder(&got, expfmt.NewFormat(expfmt.TypeTextPlain))
				var lines float64
				for _, f := range fams {
					if err := enc.Encode(f); err != nil {
						t.Fatal(err)
					}
					if f.GetName() == linesFamily {
						lines = f.Metric[0].GetCounter().GetValue()
					}
				}
				if done {
					break
				}
				if lines >= float64(res.Records) {
					done = true
					continue
				}
				if time.Now().After(deadline) {
					t.Fatalf("exporter read %v records, the analyzer %d", lines, res.Records)
				}
				time.Sleep(20 * time.Millisecond) // poll interval
			}
			if got.String() != analyzed.String() {
				t.Errorf("analyzer and exporter differ:\n%s", firstDiff(got.String(), analyzed.String()))
			}
		})
	}
}

// criWrap writes data as containerd writes a container's output: each line
// prefixed with a time, the stream and a tag, split into pieces of at most
// piece bytes (tag P) and ended by one tagged F. A last line without a
// newline stays without one.
func criWrap(data []byte, piece int) []byte {
	var out []byte
	lines := bytes.SplitAfter(data, []byte("\n"))
	for i, line := range lines {
		nl := bytes.HasSuffix(line, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\n"))
		ts := fmt.Sprintf("2026-11-24T10:%02d:%02d.%09dZ stdout ", i/60%60, i%60, i)
		for len(line) > piece {
			out = append(append(append(out, ts+"P "...), line[:piece]...), '\n')
			line = line[piece:]
		}
		out = append(append(out, ts+"F "...), line...)
		if nl {
			out = append(out, '\n')
		}
	}
	return out
}
