// Command gendashboards writes the SecondMe Grafana dashboards, built from
// the Go code in grafana/builder, as JSON into grafana/dashboards.
//
//	go run ./grafana/cmd/gendashboards            # regenerate (or: go generate ./grafana/...)
//	go run ./grafana/cmd/gendashboards -check     # exit 1 if the committed JSON is stale
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/secondme/secondme_error_exporter/grafana/builder"
)

func main() { os.Exit(run()) }

func run() int {
	out := flag.String("out", "grafana/dashboards", "directory to write the dashboard JSON files into")
	check := flag.Bool("check", false, "do not write; exit 1 if a file in -out differs from the generated JSON")
	flag.Parse()

	if *check {
		stale, err := builder.Check(*out)
		if err != nil {
			fmt.Fprintln(os.Stderr, "gendashboards:", err)
			return 2
		}
		if len(stale) > 0 {
			fmt.Fprintf(os.Stderr, "gendashboards: stale in %s: %s (run: go run ./grafana/cmd/gendashboards)\n", *out, strings.Join(stale, ", "))
			return 1
		}
		return 0
	}
	if err := builder.WriteAll(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gendashboards:", err)
		return 1
	}
	return 0
}
