package deploy

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/secondme/secondme_error_exporter/exporter"
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

var (
	exporterOnce sync.Once
	exporterDir  string
	exporterBin  string
	exporterErr  error
)

// exporterBinary builds ./cmd/secondme_error_exporter once per test binary.
func exporterBinary(t *testing.T) string {
	t.Helper()
	exporterOnce.Do(func() {
		exporterDir, exporterErr = os.MkdirTemp("", "secondme-deploy-test-")
		if exporterErr != nil {
			return
		}
		exporterBin = filepath.Join(exporterDir, "secondme_error_exporter")
		cmd := exec.Command("go", "build", "-o", exporterBin, "./cmd/secondme_error_exporter")
		cmd.Dir = repoRoot
		if out, err := cmd.CombinedOutput(); err != nil {
			exporterErr = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if exporterErr != nil {
		t.Fatal(exporterErr)
	}
	return exporterBin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if exporterDir != "" {
		os.RemoveAll(exporterDir)
	}
	os.Exit(code)
}

var helpFlagRE = regexp.MustCompile(`--(?:\[no-\])?([a-z][a-z0-9.-]*)`)

// knownFlags returns the long flags the exporter (or one of its subcommands, e.g.
// "demo-writer") lists in its --help.
func knownFlags(t *testing.T, subcommand ...string) map[string]bool {
	t.Helper()
	args := append(append([]string{}, subcommand...), "--help")
	out, err := exec.Command(exporterBinary(t), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("secondme_error_exporter %v: %v\n%s", args, err, out)
	}
	flags := map[string]bool{}
	for _, m := range helpFlagRE.FindAllStringSubmatch(string(out), -1) {
		flags[m[1]] = true
	}
	if !flags["help"] {
		t.Fatalf("could not read the flags of %v:\n%s", args, out)
	}
	return flags
}

// checkFlags fails for every --flag in args that the command does not define: a
// manifest must not pass a flag the binary would reject at start-up.
func checkFlags(t *testing.T, where string, args []string) {
	t.Helper()
	var sub []string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[:1], args[1:]
	}
	known := knownFlags(t, sub...)
	for _, a := range args {
		if !strings.HasPrefix(a, "--") {
			t.Errorf("%s: argument %q is not a --flag", where, a)
			continue
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		name = strings.TrimPrefix(name, "no-")
		if !known[name] {
			t.Errorf("%s: %v does not accept --%s", where, append([]string{"secondme_error_exporter"}, sub...), name)
		}
	}
}

// defaultPort is the port of exporter.DefaultListenAddress, which every deploy
// artefact uses.
func defaultPort(t *testing.T) string {
	t.Helper()
	_, port, err := net.SplitHostPort(exporter.DefaultListenAddress)
	if err != nil {
		t.Fatal(err)
	}
	return port
}

// runTool runs an external checker with a deadline and returns its combined output.
func runTool(bin string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	return string(out), err
}
