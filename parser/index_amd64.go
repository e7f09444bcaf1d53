package parser

import "golang.org/x/sys/cpu"

// indexKernel is the bitIndex builder this CPU runs: AVX2 (classify64),
// SSSE3 (classify64SSE) or the portable loop (tests switch between them).
var indexKernel = func() int {
	switch {
	case cpu.X86.HasAVX2:
		return kernelAVX2
	case cpu.X86.HasSSSE3:
		return kernelSSSE3
	}
	return kernelGo
}()

// indexKernels lists the kernels this CPU can run.
func indexKernels() []int {
	ks := []int{kernelGo}
	if cpu.X86.HasSSSE3 {
		ks = append(ks, kernelSSSE3)
	}
	if cpu.X86.HasAVX2 {
		ks = append(ks, kernelAVX2)
	}
	return ks
}

// classify64 is implemented in index_amd64.s: for len(b) >= 32, the masks
// of b's bytes that end a bareword into term, of its double quotes and
// backslashes into dq and of its ':' and '=' into sep, one uint64 per 64 bytes (bit j of term[k]: b[64k+j]),
// the last one for b's last len(b)%64 bytes (if any). AVX2 only.
//
//go:noescape
func classify64(b []byte, term, dq, sep *uint64)

// classify64SSE is classify64 for len(b) >= 64 with SSSE3, implemented in
// index_amd64.s.
//
//go:noescape
func classify64SSE(b []byte, term, dq, sep *uint64)
