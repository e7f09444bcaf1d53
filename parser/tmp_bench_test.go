package parser

import "testing"

func BenchmarkParts(b *testing.B) {
	c := loadBenchCorpus(b)
	p := New(nil)
	b.Run("prefilter_envelope", func(b *testing.B) {
		benchLines(b, c.envelope, func(l []byte) Envelope { interesting(l); return Envelope{} })
	})
	b.Run("scan_envelope", func(b *testing.B) {
		benchLines(b, c.envelope, func(l []byte) Envelope { p.reset(); p.scan(l, 0); return Envelope{} })
	})
	b.Run("full_envelope", func(b *testing.B) { benchLines(b, c.envelope, p.Parse) })
	b.Run("json_envelope", func(b *testing.B) { benchLines(b, c.envelope, jsonBaseline) })
}
