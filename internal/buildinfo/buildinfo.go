// Package buildinfo fills in the version of a binary built without the
// Makefile's -ldflags (go install module@version, go run, go build).
package buildinfo

import (
	"runtime/debug"

	"github.com/prometheus/common/version"
)

// Fill sets prometheus/common/version.Version from the module version Go
// recorded in the binary ("v1.2.3" for go install module@v1.2.3, "(devel)" for
// a build from a checkout) when the linker did not set it.
func Fill() {
	if version.Version != "" {
		return
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		version.Version = bi.Main.Version
	}
}
