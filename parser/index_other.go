//go:build !amd64

package parser

// indexKernel is the portable loop where there is no assembly version.
var indexKernel = kernelGo

func indexKernels() []int { return []int{kernelGo} }

func classify64(b []byte, term, dq, sep *uint64) { panic("unreachable") }

func classify64SSE(b []byte, term, dq, sep *uint64) { panic("unreachable") }
