// Command corpusgen writes the parser's benchmark and golden corpus
// (corpus.log) and the counts the generator expects in it (corpus.golden).
//
//	go run ./internal/corpusgen/cmd/corpusgen -out parser/testdata
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/secondme/secondme_error_exporter/internal/corpusgen"
)

func main() { os.Exit(run()) }

func run() int {
	out := flag.String("out", "parser/testdata", "directory for corpus.log and corpus.golden")
	seed := flag.Uint64("seed", corpusgen.Seed, "random seed")
	records := flag.Int("records", corpusgen.Records, "number of records")
	flag.Parse()
	var buf bytes.Buffer
	counts, err := corpusgen.Generate(&buf, *seed, *records)
	if err == nil {
		err = os.WriteFile(filepath.Join(*out, "corpus.log"), buf.Bytes(), 0o644)
	}
	if err == nil {
		err = os.WriteFile(filepath.Join(*out, "corpus.golden"), []byte(counts.Golden()), 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "corpusgen:", err)
		return 1
	}
	fmt.Printf("wrote %d lines, %d bytes, %d records\n", counts.Lines, buf.Len(), counts.Records())
	return 0
}
