package parser

import (
	"math/rand/v2"
	"testing"
)

// TestPairBlocks checks the platform pairBlocks (SSE2 assembly on amd64)
// against the portable definition on random text rich in the target letters,
// at every length and alignment around the 16-byte blocks.
func TestPairBlocks(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "odutODUTx \x00\xff\x4f\x44\x55\x54\x64\x6f"
	buf := make([]byte, 200)
	for round := range 20000 {
		n := r.IntN(len(buf))
		off := r.IntN(8)
		b := buf[off : off+min(n, len(buf)-off)]
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
			if r.IntN(4) == 0 {
				b[i] = byte(r.IntN(256))
			}
		}
		if got, want := pairBlocks(b), pairBlocksGo(b); got != want {
			t.Fatalf("round %d: pairBlocks(%q) = %d, want %d", round, b, got, want)
		}
	}
}

func FuzzPairBlocks(f *testing.F) {
	f.Add([]byte("0123456789abcdeo" + "d123456789abcdef"))
	f.Add([]byte("status_code=0 and error_code=x.y ..."))
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := pairBlocks(b), pairBlocksGo(b); got != want {
			t.Errorf("pairBlocks(%q) = %d, want %d", b, got, want)
		}
	})
}
