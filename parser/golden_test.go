package parser

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/secondme/secondme_error_exporter/internal/corpusgen"
)

// tally runs data through an Assembler and a Parser, as the daemon does, and
// counts the results in the generator's format.
func tally(t testing.TB, data []byte) (corpusgen.Counts, map[string][]string) {
	c := corpusgen.Counts{Errors: map[string]int{}, Malformed: map[string]int{}, Responses: map[int]int{}}
	examples := map[string][]string{}
	p := New(nil)
	a := NewAssembler(64, 64<<10)
	emit := func(rec []byte) {
		e := p.Parse(rec)
		var key string
		switch e.Kind {
		case None:
			c.None++
			key = "none"
		case Success:
			c.Success++
			key = "success"
		case Response:
			c.Response++
			c.Responses[e.Code]++
			key = fmt.Sprintf("response %d", e.Code)
		case Error:
			key = fmt.Sprintf("%s %d", e.ErrorCode, e.Code)
			c.Errors[key]++
			key = "error " + key
		case Malformed:
			c.Malformed[string(e.Reason)]++
			key = "malformed " + string(e.Reason)
		}
		if len(examples[key]) < 3 {
			examples[key] = append(examples[key], string(rec))
		}
	}
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		c.Lines++
		a.Add(bytes.TrimSuffix(line, []byte("\n")), emit)
	}
	a.Flush(emit)
	if a.Overflows() != 0 {
		t.Errorf("assembler overflowed %d times", a.Overflows())
	}
	return c, examples
}

// TestGoldenCorpus checks the parser's real output on the committed corpus
// against the counts the generator wrote while choosing what to generate.
func TestGoldenCorpus(t *testing.T) {
	data, err := os.ReadFile("testdata/corpus.log")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/corpus.golden")
	if err != nil {
		t.Fatal(err)
	}
	got, examples := tally(t, data)
	if got.Golden() == string(want) {
		return
	}
	gl, wl := strings.Split(got.Golden(), "\n"), strings.Split(string(want), "\n")
	wantSet := map[string]bool{}
	for _, l := range wl {
		wantSet[l] = true
	}
	gotSet := map[string]bool{}
	for _, l := range gl {
		gotSet[l] = true
		if !wantSet[l] {
			t.Errorf("parser: %s", l)
		}
	}
	for _, l := range wl {
		if !gotSet[l] {
			t.Errorf("golden: %s", l)
		}
	}
	for k, ex := range examples {
		for _, l := range wl {
			if strings.HasPrefix(l, k+" ") {
				goto next
			}
		}
		for _, e := range ex {
			t.Logf("%s: %q", k, e)
		}
	next:
	}
}
