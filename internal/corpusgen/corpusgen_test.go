package corpusgen

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestCommittedCorpusIsCurrent regenerates the committed corpus and its counts:
// a change to the generator must be followed by
// go run ./internal/corpusgen/cmd/corpusgen -out parser/testdata.
func TestCommittedCorpusIsCurrent(t *testing.T) {
	var buf bytes.Buffer
	counts, err := Generate(&buf, Seed, Records)
	if err != nil {
		t.Fatal(err)
	}
	log, err := os.ReadFile("../../parser/testdata/corpus.log")
	if err != nil {
		t.Fatal(err)
	}
	golden, err := os.ReadFile("../../parser/testdata/corpus.golden")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), log) || counts.Golden() != string(golden) {
		t.Error("parser/testdata/corpus.{log,golden} differ from the generator's output: run go run ./internal/corpusgen/cmd/corpusgen -out parser/testdata")
	}
}

// TestCorpusShape checks the properties the benchmarks rely on.
func TestCorpusShape(t *testing.T) {
	var buf bytes.Buffer
	c, err := Generate(&buf, Seed, Records)
	if err != nil {
		t.Fatal(err)
	}
	errors := 0
	for _, n := range c.Errors {
		errors += n
	}
	if share := float64(errors) / float64(c.Records()); share < 0.04 || share > 0.06 {
		t.Errorf("errors are %.1f%% of records, want about 5%%", 100*share)
	}
	if c.Success == 0 || c.Response == 0 || len(c.Malformed) != 4 {
		t.Errorf("missing kinds: %+v", c)
	}
	if buf.Len() > 4<<20 {
		t.Errorf("corpus is %d bytes, want a few MB at most", buf.Len())
	}
	var short, long, lines int
	for _, l := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
		lines++
		switch {
		case len(l) < 100:
			short++
		case len(l) > 400:
			long++
		}
	}
	if lines != c.Lines {
		t.Errorf("%d lines, counted %d", lines, c.Lines)
	}
	if float64(short+long) > 0.15*float64(lines) {
		t.Errorf("%d of %d lines outside 100-400 bytes", short+long, lines)
	}
	// The same seed gives the same corpus; another seed another one.
	var again, other bytes.Buffer
	Generate(&again, Seed, 200)
	Generate(&other, Seed+1, 200)
	var first bytes.Buffer
	Generate(&first, Seed, 200)
	if !bytes.Equal(first.Bytes(), again.Bytes()) || bytes.Equal(first.Bytes(), other.Bytes()) {
		t.Error("generator is not deterministic per seed")
	}
}
