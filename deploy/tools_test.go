package deploy

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// repoRoot is the module root, seen from this package's directory (go test runs tests in
// the package directory).
const repoRoot = ".."

// lookTool finds an external binary on PATH or in $(go env GOPATH)/bin. Under CI=true a
// missing tool fails the test (the project's install script must have installed it);
// elsewhere the test is skipped with the command that installs it.
func lookTool(t *testing.T, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if gopath, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		p := filepath.Join(string(trimNL(gopath)), "bin", name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s not found on PATH or in $(go env GOPATH)/bin; scripts/install-tools.sh installs it", name)
	}
	t.Skipf("%s not found; run scripts/install-tools.sh to enable this test", name)
	return ""
}

func trimNL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
