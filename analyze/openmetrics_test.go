package analyze

import (
	"bufio"
	"bytes"
	"go/build"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/secondme/secondme_error_exporter/analyze/internal/corpusgen"
)

// tool finds an external binary on PATH or in $(go env GOPATH)/bin. Under
// CI=true a missing tool fails the test; elsewhere it skips it.
func tool(t *testing.T, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if p := filepath.Join(build.Default.GOPATH, "bin", name); fileExists(p) {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s not found on PATH or in GOPATH/bin (scripts/install-tools.sh installs it)", name)
	}
	t.Skipf("%s not found on PATH or in GOPATH/bin; run scripts/install-tools.sh", name)
	return ""
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// The --openmetrics file backfills a real Prometheus TSDB with promtool, and
// the counters read back from the blocks are the replay's: at the end of the
// spike, the revoked-refresh-token counter holds every revocation logged
// before that instant (counted independently, from the report's timeline).
func TestOpenMetricsBackfill(t *testing.T) {
	promtool := tool(t, "promtool")
	dir := t.TempDir()
	omFile := filepath.Join(dir, "series.om")
	c := DefaultConfig()
	c.Inputs, c.OpenMetricsFile = []string{incidentLog}, omFile
	doc := runJSON(t, c)

	at := corpusgen.SpikeStart.Add(corpusgen.SpikeMinutes * time.Minute)
	var want int64
	for _, b := range doc.Timeline.Buckets {
		if b.Start.Before(at) {
			want += b.ByErrorCode[corpusgen.SpikeCode]
		}
	}
	if want < corpusgen.SpikeMinutes*corpusgen.SpikePerMinute {
		t.Fatalf("the timeline has %d revocations before %s, fewer than the spike", want, at)
	}

	data := filepath.Join(dir, "data")
	out, err := exec.Command(promtool, "tsdb", "create-blocks-from", "openmetrics", omFile, data).CombinedOutput()
	if err != nil {
		t.Fatalf("promtool create-blocks-from openmetrics: %v\n%s", err, out)
	}
	// promtool 2.x's dump insists on a WAL directory; backfilled blocks
	// have none.
	if err := os.MkdirAll(filepath.Join(data, "wal"), 0o755); err != nil {
		t.Fatal(err)
	}
	ms := strconv.FormatInt(at.UnixMilli(), 10)
	cmd := exec.Command(promtool, "tsdb", "dump", "--min-time="+ms, "--max-time="+ms, data)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	dump, err := cmd.Output()
	if err != nil {
		t.Fatalf("promtool tsdb dump: %v\n%s", err, stderr.String())
	}
	var got []string
	var up bool
	sc := bufio.NewScanner(bytes.NewReader(dump))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, `{__name__="up", instance="analyzer", job="secondme_error_exporter"} 1 `+ms) {
			up = true
		}
		if strings.HasPrefix(line, `{__name__="secondme_api_errors_total"`) &&
			strings.Contains(line, `error_code="`+corpusgen.SpikeCode+`"`) {
			got = append(got, line)
		}
	}
	if len(got) != 1 {
		t.Fatalf("dump has %d series of %s at %s, want 1:\n%s", len(got), corpusgen.SpikeCode, at, strings.Join(got, "\n"))
	}
	f := strings.Fields(got[0])
	if v := f[len(f)-2]; v != strconv.FormatInt(want, 10) || f[len(f)-1] != ms {
		t.Errorf("backfilled %s = %s at %s, want %d at %s", corpusgen.SpikeCode, v, f[len(f)-1], want, ms)
	}
	for _, l := range []string{`job="secondme_error_exporter"`, `instance="analyzer"`, `source="default"`, `code="401"`} {
		if !strings.Contains(got[0], l) {
			t.Errorf("series lacks %s: %s", l, got[0])
		}
	}
	if !up {
		t.Error("no up series at the sampled time")
	}
}
