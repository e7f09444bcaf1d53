// Command gencatalogdoc rewrites the catalog table of README.md from the embedded
// catalog.yaml, so that the documented catalog cannot drift from the shipped one
// (catalog's TestREADMETable fails until this has been run).
//
//	go run ./catalog/cmd/gencatalogdoc [-readme README.md]
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/secondme/secondme_error_exporter/catalog"
)

func main() { os.Exit(run()) }

func run() int {
	path := flag.String("readme", "README.md", "README file to rewrite between the catalog table markers")
	flag.Parse()
	readme, err := os.ReadFile(*path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencatalogdoc:", err)
		return 1
	}
	out, err := catalog.SpliceREADME(readme, catalog.Default().MarkdownTable())
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencatalogdoc:", err)
		return 1
	}
	if err := os.WriteFile(*path, out, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gencatalogdoc:", err)
		return 1
	}
	return 0
}
