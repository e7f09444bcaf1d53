package parser

import "bytes"

// pairScanGo is the portable pairScan: for len(b) >= 16 and from >= 1, the
// first block of b holding a 'd' after an 'o' or a 'u' after a 't' (every byte
// ORed with 0x20, ASCII case folding), or an 'H', at or after from, as the block's start
// and a mask of those bytes (bit k: b[pos+k]); pos -1 if there is none, and for
// shorter slices. Blocks are 32 bytes from from, then the last 32 bytes of b
// (for more than 32 bytes), else 16 and the last 16 bytes. The assembly
// version must agree with it exactly (TestPairScan, FuzzPairScan).
func pairScanGo(b []byte, from int) (pos int, mask uint32) {
	if len(b) < 16 {
		return -1, 0
	}
	hit := func(i int) bool {
		c, p := b[i]|0x20, b[i-1]|0x20
		return (c == 'd' && p == 'o') || (c == 'u' && p == 't') || b[i] == 'H'
	}
	block := func(start, width, first int) (int, uint32) {
		var m uint32
		for k := range width {
			if start+k >= first && hit(start+k) {
				m |= 1 << k
			}
		}
		return start, m
	}
	i := from
	for ; i+32 <= len(b); i += 32 {
		if p, m := block(i, 32, i); m != 0 {
			return p, m
		}
	}
	if i < len(b) && len(b) > 32 {
		// The last 32 bytes, those before i left out.
		if p, m := block(len(b)-32, 32, i); m != 0 {
			return p, m
		}
		return -1, 0
	}
	if i+16 <= len(b) {
		if p, m := block(i, 16, i); m != 0 {
			return p, m
		}
		i += 16
	}
	if i < len(b) {
		if p, m := block(len(b)-16, 16, i); m != 0 {
			return p, m
		}
	}
	return -1, 0
}

// indexQuoteOrEscapeGo is the portable indexQuoteOrEscape: the index of the
// first byte of b at or after from (0 <= from <= len(b)) equal to q or to a
// backslash, -1 if there is none.
func indexQuoteOrEscapeGo(b []byte, from int, q byte) int {
	for i := from; i < len(b); i++ {
		if c := b[i]; c == q || c == '\\' {
			return i
		}
	}
	return -1
}

// indexAlueGo is the portable indexAlue: the index of the first "alue" in b
// at or after from (0 <= from <= len(b)), -1 if there is none.
func indexAlueGo(b []byte, from int) int {
	if k := bytes.Index(b[from:], alue); k >= 0 {
		return from + k
	}
	return -1
}
