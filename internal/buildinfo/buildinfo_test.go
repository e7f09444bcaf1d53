package buildinfo

import (
	"testing"

	"github.com/prometheus/common/version"
)

func TestFill(t *testing.T) {
	saved := version.Version
	defer func() { version.Version = saved }()

	version.Version = "v9.9.9"
	Fill()
	if version.Version != "v9.9.9" {
		t.Errorf("a version set by the linker was replaced: %q", version.Version)
	}
	version.Version = ""
	Fill()
	if version.Version == "" {
		t.Error("no version from the build info") // a test binary records "(devel)"
	}
}
