package e2e

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestScenario2RotationUnderLoad: the log is rotated twice while the writer keeps
// writing — first as logrotate `create` does it for nginx (rename, create, and the
// writer reopens a little later, having written more lines into the renamed file in
// between), then with copytruncate — and a third time by rename with an immediate
// reopen. Every counter Prometheus scrapes equals what the writer wrote.
//
// copytruncate loses, by construction, the lines written between the tailer's last
// read and the truncation: they survive only in the copy, which no tailer follows
// (logrotate's own manual warns about the same window for the copy itself). The test
// therefore holds the writer for the instant of copy + truncate after the exporter has
// read the file to its end — the condition under which copytruncate is lossless — and
// asserts exact counts. The README's logrotate advice (create + postrotate reopen)
// follows from this.
func TestScenario2RotationUnderLoad(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	logPath := filepath.Join(dir, "app.log")
	log := newLiveLog(t, logPath)
	exp := startExporter(t, nil, "--tail.path="+logPath, "--tail.start=beginning")
	const job = "secondme-rotation"
	_, prom := startPrometheus(t, promConfig{Jobs: []scrapeJob{{Name: job, Target: exp.addr}}})

	const records = 36000 // 12 s at 3000 lines/s: about 3 MB of log
	run := startLiveRun(t, log, demoRun{Seed: 2, Records: records, Rate: 3000, UnknownCodes: true})

	// 1. Rename + create; the application reopens only after 1500 more lines.
	log.waitLines(t, 8000, 30*time.Second)
	if err := os.Rename(logPath, logPath+".1"); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	renamedAt := log.lines.Load()
	log.waitLines(t, renamedAt+1500, 30*time.Second)
	if err := log.reopen(); err != nil {
		t.Fatal(err)
	}

	// 2. copytruncate, with the writer held while the exporter catches up, the file is
	// copied and truncated.
	log.waitLines(t, 18000, 30*time.Second)
	release := log.hold()
	written := log.lines.Load()
	waitFor(t, "exporter read everything before copytruncate", 30*time.Second, exp.proc, func() (bool, error) {
		m, err := scrapeExporter(exp.addr)
		if err != nil {
			return false, err
		}
		got := m["secondme_exporter_lines_total"]
		return got == float64(written), fmt.Errorf("read %v of %d lines", got, written)
	})
	copyFile(t, logPath, logPath+".2")
	if err := os.Truncate(logPath, 0); err != nil {
		t.Fatal(err)
	}
	release()

	// 3. Rename with an immediate reopen (logrotate + a program that reopens at once).
	log.waitLines(t, 27000, 30*time.Second)
	if err := os.Rename(logPath, logPath+".3"); err != nil {
		t.Fatal(err)
	}
	if err := log.reopen(); err != nil {
		t.Fatal(err)
	}

	counts := run.wait(t, 60*time.Second, records)
	assertCountsInPrometheus(t, prom, job, counts, 60*time.Second, exp.proc)

	// The exporter noticed each event as what it was.
	at := time.Now()
	if got := singleValue(t, prom, fmt.Sprintf(`sum(secondme_exporter_rotations_total{job=%q})`, job), at); got != 2 {
		t.Errorf("rotations_total = %v, want 2 (two renames)", got)
	}
	if got := singleValue(t, prom, fmt.Sprintf(`sum(secondme_exporter_truncations_total{job=%q})`, job), at); got != 1 {
		t.Errorf("truncations_total = %v, want 1 (one copytruncate)", got)
	}
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
