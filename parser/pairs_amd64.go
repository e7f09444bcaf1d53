package parser

// pairScan is implemented in pairs_amd64.s.
//
//go:noescape
func pairScan(b []byte, from int) (pos int, mask uint32)
