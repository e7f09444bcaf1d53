//go:build !amd64

package parser

// useIndexAVX2 is false where there is no assembly version.
var useIndexAVX2 = false

func classify64(b []byte, term, dq, sep *uint64) { panic("unreachable") }
