package parser

// pairScan is implemented in pairs_amd64.s.
//
//go:noescape
func pairScan(b []byte, from int) (pos int, mask uint32)

// indexQuoteOrEscape is implemented in qoe_amd64.s.
//
//go:noescape
func indexQuoteOrEscape(b []byte, q byte) int
