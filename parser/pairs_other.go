//go:build !amd64

package parser

// pairScan is pairScanGo where there is no assembly version.
func pairScan(b []byte, from int) (pos int, mask uint32) { return pairScanGo(b, from) }

// indexQuoteOrEscape is indexQuoteOrEscapeGo where there is no assembly version.
func indexQuoteOrEscape(b []byte, from int, q byte) int {
	return indexQuoteOrEscapeGo(b, from, q)
}

// indexAlue is indexAlueGo where there is no assembly version.
func indexAlue(b []byte, from int) int { return indexAlueGo(b, from) }
