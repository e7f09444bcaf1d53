package parser

import (
	"testing"

	"golang.org/x/sys/cpu"
)

// pairScanLoops lists the pairScan loops this CPU can run: AVX2 when it has
// it, and SSE2.
func pairScanLoops() []bool {
	if cpu.X86.HasAVX2 {
		return []bool{true, false}
	}
	return []bool{false}
}

// setPairScanAVX2 selects the AVX2 loop (if the CPU has it) or the SSE2 one.
func setPairScanAVX2(on bool) { useAVX2 = on && cpu.X86.HasAVX2 }

func forEachPairScanLoop(t *testing.T, f func(t *testing.T)) {
	for _, avx2 := range pairScanLoops() {
		name := "sse2"
		if avx2 {
			name = "avx2"
		}
		t.Run(name, func(t *testing.T) {
			setPairScanAVX2(avx2)
			defer setPairScanAVX2(true)
			f(t)
		})
	}
}
