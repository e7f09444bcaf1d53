//go:build !amd64

package parser

// pairBlocks is pairBlocksGo where there is no assembly version.
func pairBlocks(b []byte) int { return pairBlocksGo(b) }
