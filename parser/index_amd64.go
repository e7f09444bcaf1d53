package parser

import "golang.org/x/sys/cpu"

// useIndexAVX2 selects classify64 for bitIndex.build (tests switch it off to
// check classifyGo against it).
var useIndexAVX2 = cpu.X86.HasAVX2

// classify64 is implemented in index_amd64.s: for len(b) >= 32, the masks
// of b's bytes that end a bareword into term, of its double quotes and
// backslashes into dq and of its ':' and '=' into sep, one uint64 per 64 bytes (bit j of term[k]: b[64k+j]),
// the last one for b's last len(b)%64 bytes (if any). AVX2 only.
//
//go:noescape
func classify64(b []byte, term, dq, sep *uint64)
