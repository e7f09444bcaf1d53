package parser

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// checkIndex builds b's index with each kernel this CPU runs (AVX2, SSSE3,
// portable),
// into used buffers, and checks every bit and nextBit at every position
// against the definitions: !inWord for term, '"' or '\\' for dq (both with
// the sentinel at len(b)), ':' or '=' for sep, and anyBit on sep's ranges.
func checkIndex(t *testing.T, b []byte, x *bitIndex) {
	t.Helper()
	for _, kernel := range indexKernels() {
		saved := indexKernel
		indexKernel = kernel
		// Dirty the buffers first: build must not rely on them being zero.
		for _, bm := range [][]uint64{x.term, x.dq, x.sep} {
			bm = bm[:cap(bm)]
			for i := range bm {
				bm[i] = ^uint64(0)
			}
		}
		x.build(b)
		indexKernel = saved
		for i := 0; i <= len(b); i++ {
			wantT, wantD := i == len(b), i == len(b)
			if i < len(b) {
				wantT, wantD = !inWord[b[i]], b[i] == '"' || b[i] == '\\'
			}
			wantS := i < len(b) && (b[i] == ':' || b[i] == '=')
			gotT := x.term[i>>6]>>(i&63)&1 == 1
			gotD := x.dq[i>>6]>>(i&63)&1 == 1
			gotS := x.sep[i>>6]>>(i&63)&1 == 1
			if gotT != wantT || gotD != wantD || gotS != wantS {
				t.Fatalf("kernel %d, %q: byte %d: term %v dq %v sep %v, want %v %v %v",
					kernel, b, i, gotT, gotD, gotS, wantT, wantD, wantS)
			}
		}
		// anyBit on every range of sep (a sample of them for long inputs).
		for s := 0; s <= len(b); s += 1 + len(b)/40 {
			for e := s; e <= len(b); e++ {
				want := bytes.IndexByte(b[s:e], ':') >= 0 || bytes.IndexByte(b[s:e], '=') >= 0
				if got := anyBit(x.sep, s, e); got != want {
					t.Fatalf("kernel %d, %q: anyBit(sep, %d, %d) = %v, want %v", kernel, b, s, e, got, want)
				}
			}
		}
		for _, bm := range [][]uint64{x.term, x.dq} {
			for i := 0; i <= len(b); i++ {
				want := i
				for want < len(b) && bm[want>>6]>>(want&63)&1 == 0 {
					want++
				}
				if got := nextBit(bm, i); got != want {
					t.Fatalf("kernel %d, %q: nextBit from %d = %d, want %d", kernel, b, i, got, want)
				}
			}
		}
		if len(x.term) != len(b)/64+1 || len(x.dq) != len(x.term) || len(x.sep) != len(x.term) {
			t.Fatalf("index of %d bytes has %d, %d, %d words", len(b), len(x.term), len(x.dq), len(x.sep))
		}
	}
}

// TestBitIndex checks the index at every length around the 32- and 64-byte
// blocks, on text of every byte value and on text rich in the bytes it marks.
func TestBitIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	x := &bitIndex{term: make([]uint64, 0, 8), dq: make([]uint64, 0, 8), sep: make([]uint64, 0, 8)}
	for n := range 300 {
		b := make([]byte, n)
		for round := range 20 {
			for i := range b {
				if round%2 == 0 {
					b[i] = byte(r.IntN(256))
				} else {
					b[i] = "ab \"\\'{}:=,\x00\x1b\x80\xff7"[r.IntN(16)]
				}
			}
			checkIndex(t, b, x)
		}
	}
}

func FuzzBitIndex(f *testing.F) {
	f.Add([]byte(`{"code":401,"error_code":"oauth2.token.expired"}`))
	f.Add([]byte("time=2026-11-24T10:00:00Z level=error msg=\"x\\\"y\" code=401 \x1b[0m"))
	f.Fuzz(func(t *testing.T, b []byte) {
		checkIndex(t, b, &bitIndex{})
	})
}

// TestIndexKernelsAgree parses the committed corpus with each index builder
// this CPU runs: the envelopes must not depend on it.
func TestIndexKernelsAgree(t *testing.T) {
	c := loadBenchCorpus(t)
	want := make([]Envelope, len(c.all))
	p := New(nil)
	for i, l := range c.all {
		want[i] = p.Parse(l)
	}
	saved := indexKernel
	defer func() { indexKernel = saved }()
	for _, kernel := range indexKernels() {
		indexKernel = kernel
		p := New(nil)
		for i, l := range c.all {
			if got := p.Parse(l); got != want[i] {
				t.Fatalf("kernel %d: %q: %+v, want %+v", kernel, l, got, want[i])
			}
		}
	}
}
