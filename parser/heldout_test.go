package parser

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The held-out corpus (testdata/heldout) was written by writers who never saw
// the parser or its tests, from the envelope rules alone: single log lines of
// clients, gateways, pipelines, awkward real-world formats, Chinese and AI
// ecosystems and false-positive traps (lines/*.tsv: kind, error code, code,
// line), and multi-line log files whose counted records are listed in order
// (records/*_expected.tsv). A "?" before a kind marks a writer's own doubt.
//
// TestHeldOut holds the parser to every expectation except those listed in
// exceptions.tsv, each with the result the parser gives and why it differs
// (a rule the README documents, or a shape deliberately not read). An
// exception that no longer holds fails too, so the list stays true.

// heldOutResult is the comparable form of an envelope: kind, error code (for
// an error) and code (for an error or a response; 0 when absent).
func heldOutResult(e Envelope) string {
	switch e.Kind {
	case Error:
		return fmt.Sprintf("error %s %d", e.ErrorCode, e.Code)
	case Response:
		return fmt.Sprintf("response %d", e.Code)
	}
	return e.Kind.String()
}

// heldOutExpected is heldOutResult for a writer's row (kind, error code, code).
func heldOutExpected(kind, code, status string) string {
	kind = strings.TrimPrefix(kind, "?")
	if status == "-" {
		status = "0"
	}
	switch kind {
	case "error":
		return fmt.Sprintf("error %s %s", code, status)
	case "response":
		return fmt.Sprintf("response %s", status)
	}
	return kind
}

func readTSV(t *testing.T, path string, fields int) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		if sc.Text() == "" {
			continue
		}
		row := strings.SplitN(sc.Text(), "\t", fields)
		if len(row) != fields {
			t.Fatalf("%s:%d: %d fields, want %d", path, n, len(row), fields)
		}
		rows = append(rows, append(row, fmt.Sprint(n)))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestHeldOut(t *testing.T) {
	const dir = "testdata/heldout"
	// where → the parser's result that differs from the writer's expectation.
	exceptions := map[string]string{}
	for _, row := range readTSV(t, filepath.Join(dir, "exceptions.tsv"), 3) {
		exceptions[row[0]] = row[1]
	}
	used := map[string]bool{}
	check := func(where, want, got string) {
		t.Helper()
		exc, listed := exceptions[where]
		switch {
		case listed && got == want:
			t.Errorf("%s: listed as an exception, but the parser now gives the expected %q", where, want)
		case listed && got != exc:
			t.Errorf("%s: got %q, want %q (the writer) or %q (the listed exception)", where, got, want, exc)
		case !listed && got != want:
			t.Errorf("%s: got %q, want %q", where, got, want)
		}
		used[where] = true
	}

	p := New(nil)
	lines, _ := filepath.Glob(filepath.Join(dir, "lines", "*.tsv"))
	n := 0
	for _, path := range lines {
		for _, row := range readTSV(t, path, 4) {
			n++
			where := filepath.Base(path) + ":" + row[4]
			var w3 W3C // a line alone in its file, as the exporter reads it
			check(where, heldOutExpected(row[0], row[1], row[2]), heldOutResult(p.Parse(w3.Record([]byte(row[3])))))
		}
	}

	// Multi-line files, through the Assembler with the exporter's default
	// bounds: the sequence of counted records (the writers list no "none").
	expected, _ := filepath.Glob(filepath.Join(dir, "records", "*_expected.tsv"))
	files := 0
	for _, path := range expected {
		want := map[string][]string{}
		var order []string
		for _, row := range readTSV(t, path, 4) {
			if _, ok := want[row[0]]; !ok {
				// A file listed with "none" alone is checked too: nothing to count.
				order = append(order, row[0])
				want[row[0]] = nil
			}
			if strings.TrimPrefix(row[1], "?") == "none" {
				continue
			}
			want[row[0]] = append(want[row[0]], heldOutExpected(row[1], row[2], row[3]))
		}
		for _, name := range order {
			files++
			data, err := os.ReadFile(filepath.Join(dir, "records", name))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			emit := func(r []byte) {
				if e := p.Parse(r); e.Kind != None {
					got = append(got, heldOutResult(e))
				}
			}
			a := NewAssembler(1000, 1<<20)
			var w3 W3C // as the exporter reads every file
			for _, l := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
				a.Add(w3.Record([]byte(l)), emit)
			}
			a.Flush(emit)
			check(name, strings.Join(want[name], "; "), strings.Join(got, "; "))
		}
	}
	for where := range exceptions {
		if !used[where] {
			t.Errorf("exceptions.tsv: %s matches no held-out line or file", where)
		}
	}
	if n < 900 || files < 50 {
		t.Errorf("%d lines, %d files: the held-out corpus is missing", n, files)
	}
	t.Logf("%d lines and %d multi-line files, %d listed exceptions", n, files, len(exceptions))
}
