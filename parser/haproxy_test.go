package parser

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// TestLastQuote checks the eight-bytes-at-a-time search against the standard
// library at every length and position, with bytes that differ from '"' by one
// bit and bytes with the high bit set around the quotes.
func TestLastQuote(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	const alphabet = "\"\x22\xa2\x02\x23\x21\x62a \xff\x00"
	buf := make([]byte, 100)
	for round := range 100000 {
		b := randomText(r, buf, "x", alphabet, 3)
		if got, want := lastQuote(b), bytes.LastIndexByte(b, '"'); got != want {
			t.Fatalf("round %d: lastQuote(%q) = %d, want %d", round, b, got, want)
		}
	}
}
