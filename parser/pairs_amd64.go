package parser

import "golang.org/x/sys/cpu"

// useAVX2 selects pairScan's AVX2 loop (tests switch it off to check the SSE2 one).
//
//lint:ignore U1000 read by pairs_amd64.s
var useAVX2 = cpu.X86.HasAVX2

// pairScan is implemented in pairs_amd64.s.
//
//go:noescape
func pairScan(b []byte, from int) (pos int, mask uint32)

// indexQuoteOrEscape is implemented in qoe_amd64.s.
//
//go:noescape
func indexQuoteOrEscape(b []byte, from int, q byte) int

// indexAlue is implemented in alue_amd64.s.
//
//go:noescape
func indexAlue(b []byte, from int) int
