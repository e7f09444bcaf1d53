package parser

// pairBlocksGo is the portable pairBlocks: over the whole 16-byte blocks of b,
// the index of the first 'd' after an 'o' or 'u' after a 't', with every byte
// ORed with 0x20 (ASCII case folding), or -1. The assembly version must agree
// with it exactly (TestPairBlocks, FuzzPairBlocks).
func pairBlocksGo(b []byte) int {
	n := len(b) &^ 15
	for i := 1; i < n; i++ {
		c, p := b[i]|0x20, b[i-1]|0x20
		if (c == 'd' && p == 'o') || (c == 'u' && p == 't') {
			return i
		}
	}
	return -1
}
