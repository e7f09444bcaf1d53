//go:build !amd64

package parser

import "testing"

func pairScanLoops() []bool                                  { return []bool{false} }
func setPairScanAVX2(bool)                                   {}
func forEachPairScanLoop(t *testing.T, f func(t *testing.T)) { f(t) }
