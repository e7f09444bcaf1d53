package parser

// pairBlocksGo is the portable pairBlocks: for len(b) >= 16, the index of the
// first 'd' after an 'o' or 'u' after a 't', with every byte ORed with 0x20
// (ASCII case folding), or -1; -1 for shorter slices. The assembly version must
// agree with it exactly (TestPairBlocks, FuzzPairBlocks).
func pairBlocksGo(b []byte) int {
	if len(b) < 16 {
		return -1
	}
	for i := 1; i < len(b); i++ {
		c, p := b[i]|0x20, b[i-1]|0x20
		if (c == 'd' && p == 'o') || (c == 'u' && p == 't') {
			return i
		}
	}
	return -1
}
