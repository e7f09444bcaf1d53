// Command gencorpus writes the analyzer's generated logs: the committed
// incident log, or a large mixed file for scripts/bench-analyzer.sh.
//
//	go run ./analyze/internal/corpusgen/gencorpus -kind bench -size 300MB -o /tmp/big.log -truth /tmp/big.truth.json
//	go run ./analyze/internal/corpusgen/gencorpus -kind incident -o analyze/testdata/incident.log
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/alecthomas/units"

	"github.com/secondme/secondme_error_exporter/analyze/internal/corpusgen"
)

func main() { os.Exit(run()) }

func run() int {
	kind := flag.String("kind", "bench", "what to write: bench or incident")
	size := flag.String("size", "300MB", "approximate size of a bench corpus (base 2 units: 1MiB=1MB)")
	seed := flag.Uint64("seed", 1, "seed of a bench corpus")
	out := flag.String("o", "-", "output file, - for stdout")
	truthPath := flag.String("truth", "", "also write the true counts as JSON to this file")
	flag.Parse()

	var w io.Writer = os.Stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer f.Close()
		w = f
	}
	var (
		truth corpusgen.Truth
		err   error
	)
	switch *kind {
	case "bench":
		n, perr := units.ParseBase2Bytes(*size)
		if perr != nil {
			fmt.Fprintf(os.Stderr, "bad -size %q: %v\n", *size, perr)
			return 2
		}
		truth, err = corpusgen.Bench(w, corpusgen.BenchOptions{Size: int64(n), Seed: *seed})
	case "incident":
		truth, err = corpusgen.Incident(w, corpusgen.FullIncident)
	default:
		fmt.Fprintf(os.Stderr, "unknown -kind %q (want bench or incident)\n", *kind)
		return 2
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if *truthPath != "" {
		b, _ := json.MarshalIndent(truth, "", "  ")
		if err := os.WriteFile(*truthPath, append(b, '\n'), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	return 0
}
