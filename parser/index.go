package parser

import (
	"math/bits"
)

// The builders of a bitIndex (indexKernel).
const (
	kernelGo = iota
	kernelSSSE3
	kernelAVX2
)

// bitIndex is the structural index of one buffer the tokenizer reads (a
// record, or a string's decoded content): one bit per byte marking the bytes
// that end a bareword (term: !inWord), the double quotes and backslashes
// (dq), and the separators ':' and '=' (sep); term and dq have a sentinel bit
// at len(b). Built once per buffer, 32 bytes per instruction sequence where
// the CPU has AVX2 (16 with SSSE3), it turns the search for a word's end or a
// string's next quote or escape into a shift and a trailing-zero count,
// however long the word or string.
type bitIndex struct {
	term, dq, sep []uint64
}

// build indexes b.
func (x *bitIndex) build(b []byte) {
	n := len(b)/64 + 1
	x.term, x.dq, x.sep = growBits(x.term, n), growBits(x.dq, n), growBits(x.sep, n)
	// The last word is the only one not written whole below.
	x.term[n-1], x.dq[n-1], x.sep[n-1] = 0, 0, 0
	switch {
	case indexKernel == kernelGo:
		clear(x.term)
		clear(x.dq)
		clear(x.sep)
		classifyGo(b, x)
	case indexKernel == kernelAVX2 && len(b) >= 32:
		classify64(b, &x.term[0], &x.dq[0], &x.sep[0])
	case len(b) >= 64:
		classify64SSE(b, &x.term[0], &x.dq[0], &x.sep[0])
	case len(b) > 0:
		// Through a zero-padded block.
		var pad [64]byte
		copy(pad[:], b)
		if indexKernel == kernelAVX2 {
			classify64(pad[:], &x.term[0], &x.dq[0], &x.sep[0])
		} else {
			classify64SSE(pad[:], &x.term[0], &x.dq[0], &x.sep[0])
		}
		keep := uint64(1)<<len(b) - 1
		x.term[0] &= keep
		x.dq[0] &= keep
		x.sep[0] &= keep
	}
	x.term[len(b)>>6] |= 1 << (uint(len(b)) & 63)
	x.dq[len(b)>>6] |= 1 << (uint(len(b)) & 63)
}

func growBits(s []uint64, n int) []uint64 {
	if cap(s) < n {
		return make([]uint64, n, n+n/2+4)
	}
	return s[:n]
}

// trim drops an index grown by a record longer than maxKeptScratch.
func (x *bitIndex) trim() {
	if cap(x.term) > maxKeptScratch/64 {
		x.term, x.dq, x.sep = nil, nil, nil
	}
}

// nextBit returns the index of the first bit of bm set at or after i, which
// must not be past the sentinel.
func nextBit(bm []uint64, i int) int {
	w := i >> 6
	if m := bm[w] >> (uint(i) & 63); m != 0 {
		return i + bits.TrailingZeros64(m)
	}
	for w++; bm[w] == 0; w++ {
	}
	return w<<6 + bits.TrailingZeros64(bm[w])
}

// anyBit reports whether bm has a bit set in [s, e).
func anyBit(bm []uint64, s, e int) bool {
	if s >= e {
		return false
	}
	ws, we := s>>6, (e-1)>>6
	first := bm[ws] >> (uint(s) & 63)
	if ws == we {
		return first&(uint64(1)<<uint(e-s)-1) != 0
	}
	if first != 0 {
		return true
	}
	for w := ws + 1; w < we; w++ {
		if bm[w] != 0 {
			return true
		}
	}
	return bm[we]&(uint64(1)<<((uint(e-1)&63)+1)-1) != 0
}

// mayHoldDQ reports whether b[s:e] of the buffer x indexes may hold a double
// quote or a backslash: exactly for a span within one bitmap word (a key or
// value of text, mostly), true for one across words. Inlined.
func (x *bitIndex) mayHoldDQ(s, e int) bool {
	if n := e - s; n > 0 && int(uint(s)&63)+n <= 64 {
		return x.dq[s>>6]>>(uint(s)&63)&(1<<uint(n)-1) != 0
	}
	return e > s
}

// mayNest reports whether the string b[s:e] of the buffer x indexes may hold a
// record of its own: long enough, with a separator (a key needs one; an
// access line has ':' in its timestamp), and passing the pre-filter. The
// separator check spares the pre-filter most user agents, paths and messages.
func (x *bitIndex) mayNest(b []byte, s, e int) bool {
	return e-s >= minNested && anyBit(x.sep, s, e) && interesting(b[s:e])
}

// wordEnd returns the end of the bareword starting at i. Quotes inside a word
// belong to it (can't, O'Brien): only a quote at a token start opens a string.
func (x *bitIndex) wordEnd(i int) int { return nextBit(x.term, i+1) }

// classifyGo is classify64 for any length and CPU: it sets the bits of b's
// bytes in x, whose words must be zero.
func classifyGo(b []byte, x *bitIndex) {
	for i, c := range b {
		bit := uint64(1) << (uint(i) & 63)
		if !inWord[c] {
			x.term[i>>6] |= bit
		}
		if c == '"' || c == '\\' {
			x.dq[i>>6] |= bit
		}
		if c == ':' || c == '=' {
			x.sep[i>>6] |= bit
		}
	}
}

// termLo and termHi classify a byte by its nibbles, for classify64: c ends a
// bareword exactly when termLo[c&15]&termHi[c>>4] != 0. A byte of 0x80 or
// more ends none (inWord holds them all); the shuffle the assembly uses
// yields 0 for them. TestBitIndex checks the tables through the assembly.
//
//lint:ignore U1000 read by index_amd64.s
var termLo, termHi = func() (lo, hi [16]byte) {
	for h := range 8 {
		hi[h] = 1 << h
		for l := range 16 {
			if !inWord[h<<4|l] {
				lo[l] |= 1 << h
			}
		}
	}
	for c := 0x80; c < 0x100; c++ {
		if !inWord[c] {
			panic("parser: a byte >= 0x80 ends a word: classify64 cannot tell")
		}
	}
	return lo, hi
}()
