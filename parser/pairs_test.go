package parser

import (
	"math/rand/v2"
	"testing"
)

// TestPairScan checks the platform pairScan (AVX2 or SSE2 assembly on amd64) against
// the portable definition on random text rich in the target letters, at every
// length, alignment and starting point around the 16- and 32-byte blocks.
// On amd64 it runs once per loop the CPU has (AVX2, SSE2).
func TestPairScan(t *testing.T) {
	forEachPairScanLoop(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		const alphabet = "odutODUTHhx \x00\xff\x4f\x44\x55\x54\x64\x6f"
		buf := make([]byte, 200)
		for round := range 50000 {
			b := randomText(r, buf, alphabet, "", 4)
			from := 1 + r.IntN(max(len(b), 1))
			gp, gm := pairScan(b, from)
			wp, wm := pairScanGo(b, from)
			if gp != wp || gm != wm {
				t.Fatalf("round %d: pairScan(%q, %d) = %d, %#x; want %d, %#x", round, b, from, gp, gm, wp, wm)
			}
		}
	})
}

func FuzzPairScan(f *testing.F) {
	f.Add([]byte("0123456789abcdeo"+"d123456789abcdef"), 1)
	f.Add([]byte("status_code=0 and error_code=x.y ..."), 5)
	f.Fuzz(func(t *testing.T, b []byte, from int) {
		from = 1 + abs(from)%max(len(b), 1)
		wp, wm := pairScanGo(b, from)
		for _, avx2 := range pairScanLoops() {
			setPairScanAVX2(avx2)
			gp, gm := pairScan(b, from)
			if gp != wp || gm != wm {
				t.Errorf("pairScan(%q, %d) with AVX2 %v = %d, %#x; want %d, %#x", b, from, avx2, gp, gm, wp, wm)
			}
		}
		setPairScanAVX2(true)
	})
}

// TestIndexQuoteOrEscape checks the platform indexQuoteOrEscape against the
// portable one at every length, alignment and starting point around the
// 16-byte blocks.
func TestIndexQuoteOrEscape(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const alphabet = "ab\"'\\ \x00\xff\x22\x5c\x27x"
	buf := make([]byte, 100)
	for round := range 100000 {
		b := randomText(r, buf, "x", alphabet, 12)
		q := byte('"')
		if round%3 == 0 {
			q = '\''
		}
		from := r.IntN(len(b) + 1)
		if got, want := indexQuoteOrEscape(b, from, q), indexQuoteOrEscapeGo(b, from, q); got != want {
			t.Fatalf("round %d: indexQuoteOrEscape(%q, %d, %q) = %d; want %d", round, b, from, q, got, want)
		}
	}
}

func FuzzIndexQuoteOrEscape(f *testing.F) {
	f.Add([]byte("0123456789abcdef0123\"\\"), 0, byte('"'))
	f.Add([]byte("0123456789abcdef0123\"\\"), 17, byte('"'))
	f.Fuzz(func(t *testing.T, b []byte, from int, q byte) {
		from = abs(from) % (len(b) + 1)
		if got, want := indexQuoteOrEscape(b, from, q), indexQuoteOrEscapeGo(b, from, q); got != want {
			t.Errorf("indexQuoteOrEscape(%q, %d, %q) = %d; want %d", b, from, q, got, want)
		}
	})
}

// TestIndexAlue checks the platform indexAlue against the portable one at
// every length, alignment and starting point around its 16-start blocks.
func TestIndexAlue(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	buf := make([]byte, 100)
	for round := range 200000 {
		b := randomText(r, buf, "aalue", "Vvx\"=: \x00\xff", 6)
		from := r.IntN(len(b) + 1)
		if got, want := indexAlue(b, from), indexAlueGo(b, from); got != want {
			t.Fatalf("round %d: indexAlue(%q, %d) = %d; want %d", round, b, from, got, want)
		}
	}
}

func FuzzIndexAlue(f *testing.F) {
	f.Add([]byte("0123456789abcdef012value"), 0)
	f.Add([]byte("0123456789abcdef0123alue"), 17)
	f.Fuzz(func(t *testing.T, b []byte, from int) {
		from = abs(from) % (len(b) + 1)
		if got, want := indexAlue(b, from), indexAlueGo(b, from); got != want {
			t.Errorf("indexAlue(%q, %d) = %d; want %d", b, from, got, want)
		}
	})
}

// randomText fills a random-length, randomly aligned part of buf with bytes
// of common or, one in oneIn, of rare (any byte when rare is empty).
func randomText(r *rand.Rand, buf []byte, common, rare string, oneIn int) []byte {
	n := r.IntN(len(buf))
	off := r.IntN(8)
	b := buf[off : off+min(n, len(buf)-off)]
	for i := range b {
		switch {
		case r.IntN(oneIn) != 0:
			b[i] = common[r.IntN(len(common))]
		case rare == "":
			b[i] = byte(r.IntN(256))
		default:
			b[i] = rare[r.IntN(len(rare))]
		}
	}
	return b
}
