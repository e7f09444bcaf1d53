package analyze

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"github.com/secondme/secondme_error_exporter/analyze/internal/corpusgen"
)

var (
	benchOnce   sync.Once
	benchCorpus []byte
	benchTruth  corpusgen.Truth
)

// benchData is a 64 MiB mixed corpus (2% error envelopes, five shapes
// including pretty-printed JSON), generated once per process.
func benchData(b *testing.B) []byte {
	benchOnce.Do(func() {
		var buf bytes.Buffer
		var err error
		benchTruth, err = corpusgen.Bench(&buf, corpusgen.BenchOptions{Size: 64 << 20, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		benchCorpus = buf.Bytes()
	})
	return benchCorpus
}

// BenchmarkAnalyze measures a whole scan (read, split, assemble, pre-filter,
// parse, time extraction, exporter metrics) of an in-memory corpus.
func BenchmarkAnalyze(b *testing.B) {
	data := benchData(b)
	opts := DefaultOptions()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := Scan(context.Background(), []Input{ReaderInput("bench", bytes.NewReader(data))}, opts)
		if err != nil {
			b.Fatal(err)
		}
		if res.Records == 0 {
			b.Fatal("no records")
		}
	}
}
