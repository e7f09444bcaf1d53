package parser

import (
	"math/rand/v2"
	"testing"
)

// TestPairScan checks the platform pairScan (SSE2 assembly on amd64) against
// the portable definition on random text rich in the target letters, at every
// length, alignment and starting point around the 16- and 32-byte blocks.
func TestPairScan(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "odutODUTHhx \x00\xff\x4f\x44\x55\x54\x64\x6f"
	buf := make([]byte, 200)
	for round := range 50000 {
		n := r.IntN(len(buf))
		off := r.IntN(8)
		b := buf[off : off+min(n, len(buf)-off)]
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
			if r.IntN(4) == 0 {
				b[i] = byte(r.IntN(256))
			}
		}
		from := 1 + r.IntN(max(len(b), 1))
		gp, gm := pairScan(b, from)
		wp, wm := pairScanGo(b, from)
		if gp != wp || gm != wm {
			t.Fatalf("round %d: pairScan(%q, %d) = %d, %#x; want %d, %#x", round, b, from, gp, gm, wp, wm)
		}
	}
}

func FuzzPairScan(f *testing.F) {
	f.Add([]byte("0123456789abcdeo"+"d123456789abcdef"), 1)
	f.Add([]byte("status_code=0 and error_code=x.y ..."), 5)
	f.Fuzz(func(t *testing.T, b []byte, from int) {
		from = 1 + abs(from)%max(len(b), 1)
		gp, gm := pairScan(b, from)
		wp, wm := pairScanGo(b, from)
		if gp != wp || gm != wm {
			t.Errorf("pairScan(%q, %d) = %d, %#x; want %d, %#x", b, from, gp, gm, wp, wm)
		}
	})
}
