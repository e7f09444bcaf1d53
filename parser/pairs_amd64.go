package parser

// pairBlocks is implemented in pairs_amd64.s.
//
//go:noescape
func pairBlocks(b []byte) int
