package parser

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestZZDump(t *testing.T) {
	out, _ := os.Create("/tmp/heldout_dump.tsv")
	defer out.Close()
	p := New(nil)
	lines, _ := filepath.Glob("testdata/heldout/lines/*.tsv")
	for _, path := range lines {
		for _, row := range readTSV(t, path, 4) {
			var w3 W3C
			got := heldOutResult(p.Parse(w3.Record([]byte(row[3]))))
			fmt.Fprintf(out, "%s:%s\t%s\t%s\t%s\t%s\n", filepath.Base(path), row[4], row[0], heldOutExpected(row[0], row[1], row[2]), got, row[3])
		}
	}
}

func TestZZFile(t *testing.T) {
	path := os.Getenv("ZZFILE")
	if path == "" {
		t.Skip()
	}
	data, _ := os.ReadFile(path)
	p := New(nil)
	a := NewAssembler(1000, 1<<20)
	emit := func(r []byte) {
		e := p.Parse(r)
		s := string(r)
		if len(s) > 1600 {
			s = s[:1600]
		}
		if e.Kind != None || os.Getenv("ZZALL") != "" {
			fmt.Printf("%-40s | %q\n", heldOutResult(e), s)
		}
	}
	var w3 W3C
	for _, l := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		a.Add(w3.Record([]byte(l)), emit)
	}
	a.Flush(emit)
}
